#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_DATES_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_DATES_H_

// Calendar dates (google.type.Date) of the registry: periods of dialogue efforts,
// appointments and consultation rounds. Only full dates are used (year, month and day all
// set); a date is a day in Europe/Stockholm, never an instant.

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace samrad::registry::domain {

google::type::Date MakeDate(int year, int month, int day);

// A full, existing calendar date: year 1..9999, month 1..12, day valid for the month
// (leap years included). Partial dates (a zero field) are not valid here.
bool IsValidDate(const google::type::Date& date);

// Precondition: IsValidDate(date).
absl::CivilDay ToCivilDay(const google::type::Date& date);
google::type::Date FromCivilDay(absl::CivilDay day);

// Negative, zero or positive as a is before, on or after b. Compares field-wise, so it is
// meaningful for valid dates only.
int CompareDates(const google::type::Date& a, const google::type::Date& b);

// Days from `from` to `to` (negative when `to` is earlier). Both must be valid.
int64_t DaysBetween(const google::type::Date& from, const google::type::Date& to);

// "2019-06-28".
std::string FormatDate(const google::type::Date& date);

// The instant as a protobuf Timestamp (seconds and nanoseconds since the Unix epoch).
google::protobuf::Timestamp ToTimestamp(absl::Time time);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_DATES_H_
