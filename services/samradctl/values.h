#ifndef SAMRAD_SERVICES_SAMRADCTL_VALUES_H_
#define SAMRAD_SERVICES_SAMRADCTL_VALUES_H_

// Scalar values of samradctl's command line and tables: lenient matching of words, dates
// (YYYY-MM-DD, a day in Europe/Stockholm), instants (RFC 3339 in, local time out) and
// yes/no. Pure functions, no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "libs/common/lang.h"

namespace samrad::ctl {

// `text` for comparison: ASCII lower case; å, ä, á, à → a; ö, ó → o; é, è → e (either
// case); spaces and hyphens → '_'. "Pågående" and "pagaende" fold alike, as do
// "feedback given" and "FEEDBACK_GIVEN".
std::string Fold(std::string_view text);

// A full, existing calendar date written YYYY-MM-DD (e.g. "2019-06-28"); nullopt otherwise.
std::optional<google::type::Date> ParseDate(std::string_view text);

// "2019-06-28"; "" for an unset date (all fields zero).
std::string FormatDate(const google::type::Date& date);

// "2019-02-19 – 2019-06-28", "2019-02-19 –" (open end), "– 2019-06-28", or "".
std::string FormatPeriod(const google::type::Date& start, const google::type::Date& end);

// An RFC 3339 instant, e.g. "2019-02-19T14:03:00+01:00" or "2019-02-19T13:03:00Z".
std::optional<google::protobuf::Timestamp> ParseRfc3339(std::string_view text);

// The instant as local time in Europe/Stockholm, "2019-02-19 14:03:00" ("" when unset).
// Falls back to UTC, marked " UTC", where no time zone database is installed.
std::string FormatLocalTime(const google::protobuf::Timestamp& time);

// ja/nej/yes/no/true/false/1/0/on/off, case-insensitively.
std::optional<bool> ParseBool(std::string_view text);
std::string_view YesNo(bool value, Lang lang);

// Splits on commas and trims spaces; empty items are dropped ("a, b," → {"a", "b"}).
std::vector<std::string> SplitList(std::string_view text);

// The last segment of a resource name ("tenants/1280/dialogues/x" → "x"); `name` when it
// has no '/'.
std::string_view ShortName(std::string_view name);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_VALUES_H_
