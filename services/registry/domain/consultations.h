#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_CONSULTATIONS_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_CONSULTATIONS_H_

// Consultation rounds (remiss; DOMAIN.md "Consultation rounds"): the STK-2018-90 round was
// sent to 12 committees with a period (2019-02-19 to 2019-06-28) and three questions, and
// all 12 answered. A body is overdue when the deadline has passed and it has not answered:
// on the deadline day itself it is not yet overdue; the day after it is 1 day overdue.

#include <optional>
#include <string_view>
#include <vector>

#include "google/type/date.pb.h"
#include "samrad/registry/v1/registry_service.pb.h"
#include "samrad/registry/v1/resources.pb.h"

namespace samrad::registry::domain {

// The answer of `body`, if it has answered.
std::optional<v1::ConsultationAnswer> AnswerOf(const v1::Consultation& consultation,
                                               std::string_view body);

// Whether `body` had answered by the end of `day`: its answer was received on or before
// `day` (from the answer's received_date, not from when it was recorded). An answer without
// a valid received date counts as given.
bool HadAnsweredOn(const v1::Consultation& consultation, std::string_view body,
                   const google::type::Date& day);

// Bodies asked that had not answered by `today` (HadAnsweredOn), when `today` is after the
// deadline; in the order the bodies were asked. Empty before and on the deadline, or without
// a valid deadline. `today` may be any date: an answer received after it does not count, so
// the list for a past date is the list as it stood on that date.
std::vector<v1::OverdueBody> OverdueBodies(const v1::Consultation& consultation,
                                           const google::type::Date& today);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_CONSULTATIONS_H_
