#include "libs/common/dates.h"

#include "absl/strings/str_format.h"

namespace samrad::dates {

google::type::Date MakeDate(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

bool IsValidDate(const google::type::Date& date) {
  if (date.year() < 1 || date.year() > 9999) return false;
  if (date.month() < 1 || date.month() > 12) return false;
  if (date.day() < 1 || date.day() > 31) return false;
  // absl::CivilDay normalises 2019-02-30 to 2019-03-02; a date is valid when it survives.
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return day.year() == date.year() && day.month() == date.month() && day.day() == date.day();
}

absl::CivilDay ToCivilDay(const google::type::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

google::type::Date FromCivilDay(absl::CivilDay day) {
  return MakeDate(static_cast<int>(day.year()), day.month(), day.day());
}

int CompareDates(const google::type::Date& a, const google::type::Date& b) {
  if (a.year() != b.year()) return a.year() < b.year() ? -1 : 1;
  if (a.month() != b.month()) return a.month() < b.month() ? -1 : 1;
  if (a.day() != b.day()) return a.day() < b.day() ? -1 : 1;
  return 0;
}

int64_t DaysBetween(const google::type::Date& from, const google::type::Date& to) {
  return ToCivilDay(to) - ToCivilDay(from);
}

std::string FormatDate(const google::type::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

std::optional<google::type::Date> ParseIsoDate(std::string_view text) {
  // Exactly YYYY-MM-DD: ten characters, digits but for the two dashes.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  auto number = [&](size_t from, size_t to) {
    int n = 0;
    for (size_t i = from; i < to; ++i) n = n * 10 + (text[i] - '0');
    return n;
  };
  const int year = number(0, 4);
  const int month = number(5, 7);
  const int day = number(8, 10);
  google::type::Date date = MakeDate(year, month, day);
  if (!IsValidDate(date)) return std::nullopt;
  return date;
}

const absl::TimeZone& StockholmZone() {
  static const absl::TimeZone* const zone = [] {
    auto* tz = new absl::TimeZone(absl::UTCTimeZone());
    if (!absl::LoadTimeZone("Europe/Stockholm", tz)) *tz = absl::UTCTimeZone();
    return tz;
  }();
  return *zone;
}

google::type::Date StockholmDate(absl::Time time) {
  return FromCivilDay(absl::ToCivilDay(time, StockholmZone()));
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  out.set_nanos(
      static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return out;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

}  // namespace samrad::dates
