#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_NETWORK_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_NETWORK_H_

// The cross-administration network (förvaltningsövergripande nätverk, KF 2020-02-06 §17):
// every administration appoints one representative (kontaktperson) per track,
// medborgardialog and kunskapsdialog (DOMAIN.md, "What the city decided").
//
// Appointment periods: start_date is the first day the appointment runs, end_date the
// first day it no longer runs (exclusive). So when a new representative is appointed from
// D, the previous appointment gets end_date D and on D exactly one runs. An unset end_date
// runs on.
//
// The network on a date (NetworkAsOf):
// - members: every appointment that runs on that date, with its person;
// - vacancies: each ACTIVE administration and track without a running appointment, except
//   the coordinator's administration (stadskontoret, serving the committee with
//   coordinator = true): it runs the network and "every OTHER administration appoints one
//   representative" (DOMAIN.md). Stadskontoret may still appoint representatives; they are
//   then listed as members.
// Members and vacancies are sorted by administration name, then track.

#include <optional>
#include <vector>

#include "google/type/date.pb.h"
#include "samrad/registry/v1/registry_service.pb.h"
#include "samrad/registry/v1/resources.pb.h"

namespace samrad::registry::domain {

// The two tracks of the network, in order.
inline constexpr v1::Track kTracks[] = {v1::TRACK_MEDBORGARDIALOG, v1::TRACK_KUNSKAPSDIALOG};

// start_date ≤ date < end_date (end unset: open).
bool RunsOn(const v1::Appointment& appointment, const google::type::Date& date);
// The appointment has an end date on or before `today`.
bool HasEnded(const v1::Appointment& appointment, const google::type::Date& today);

// The members and vacancies of the network on `date`. People are looked up by name in
// `people`; a member whose person is not there has an empty `person`.
v1::ListNetworkResponse NetworkAsOf(const std::vector<v1::Committee>& committees,
                                    const std::vector<v1::Administration>& administrations,
                                    const std::vector<v1::Appointment>& appointments,
                                    const std::vector<v1::Person>& people,
                                    const google::type::Date& date);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_NETWORK_H_
