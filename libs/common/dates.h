#ifndef SAMRAD_LIBS_COMMON_DATES_H_
#define SAMRAD_LIBS_COMMON_DATES_H_

// Calendar dates (google.type.Date) and instants (google.protobuf.Timestamp) as every Samråd
// service uses them. A date is a day in Europe/Stockholm, never an instant; only full dates
// are valid (year, month and day all set). Thread-safe: every function is pure, except that
// the "now" helpers read the clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace samrad::dates {

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

// "2019-06-28" → the date; nullopt for anything else (other shapes, invalid dates).
std::optional<google::type::Date> ParseIsoDate(std::string_view text);

// Europe/Stockholm (UTC if the time zone database is missing).
const absl::TimeZone& StockholmZone();

// The day `time` falls on in Europe/Stockholm.
google::type::Date StockholmDate(absl::Time time);

// The instant as a protobuf Timestamp (seconds and nanoseconds since the Unix epoch), and
// back.
google::protobuf::Timestamp ToTimestamp(absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

}  // namespace samrad::dates

#endif  // SAMRAD_LIBS_COMMON_DATES_H_
