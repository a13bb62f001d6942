#include "services/samradctl/values.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/common/dates.h"
#include "libs/common/dates.h"

namespace samrad::ctl {
namespace {

absl::string_view Absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// The ASCII letter a two-byte UTF-8 Latin-1 letter (lead byte 0xC3) folds to, or 0.
char FoldLatin1(unsigned char second) {
  switch (second | 0x20) {  // 0x80..0x9F (upper case) → 0xA0..0xBF (lower case)
    case 0xA0:              // à
    case 0xA1:              // á
    case 0xA4:              // ä
    case 0xA5:              // å
      return 'a';
    case 0xA8:  // è
    case 0xA9:  // é
      return 'e';
    case 0xB3:  // ó
    case 0xB6:  // ö
      return 'o';
    case 0xBC:  // ü
      return 'u';
    default:
      return 0;
  }
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string Fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      if (char folded = FoldLatin1(static_cast<unsigned char>(text[i + 1]))) {
        out.push_back(folded);
        ++i;
        continue;
      }
    }
    if (c == ' ' || c == '-') {
      out.push_back('_');
    } else {
      out.push_back(static_cast<char>(absl::ascii_tolower(c)));
    }
  }
  return out;
}

std::optional<google::type::Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return std::nullopt;
  int year = 0, month = 0, day = 0;
  if (!absl::SimpleAtoi(Absl(y), &year) || !absl::SimpleAtoi(Absl(m), &month) ||
      !absl::SimpleAtoi(Absl(d), &day)) {
    return std::nullopt;
  }
  // CivilDay normalises 2019-02-30 to 2019-03-02: a date is real when it survives unchanged.
  const absl::CivilDay civil(year, month, day);
  if (year < 1 || civil.year() != year || civil.month() != month || civil.day() != day) {
    return std::nullopt;
  }
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::string FormatDate(const google::type::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

std::string FormatPeriod(const google::type::Date& start, const google::type::Date& end) {
  const std::string from = FormatDate(start);
  const std::string to = FormatDate(end);
  if (from.empty() && to.empty()) return "";
  if (to.empty()) return from + " –";
  if (from.empty()) return "– " + to;
  return from + " – " + to;
}

std::optional<google::protobuf::Timestamp> ParseRfc3339(std::string_view text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, Absl(text), &time, &error)) return std::nullopt;
  return dates::ToTimestamp(time);
}

std::string FormatLocalTime(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "";
  const absl::Time t = dates::FromTimestamp(time);
  static const absl::TimeZone* const stockholm = [] {
    auto* zone = new absl::TimeZone;
    return absl::LoadTimeZone("Europe/Stockholm", zone) ? zone : nullptr;
  }();
  if (stockholm == nullptr)
    return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, *stockholm);
}

std::optional<bool> ParseBool(std::string_view text) {
  const std::string folded = Fold(text);
  for (const char* yes : {"ja", "yes", "true", "1", "on", "j", "y"}) {
    if (folded == yes) return true;
  }
  for (const char* no : {"nej", "no", "false", "0", "off", "n"}) {
    if (folded == no) return false;
  }
  return std::nullopt;
}

std::string_view YesNo(bool value, Lang lang) {
  return value ? Tr(lang, "ja", "yes") : Tr(lang, "nej", "no");
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(Absl(text), ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) out.emplace_back(item.data(), item.size());
  }
  return out;
}

std::string_view ShortName(std::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

}  // namespace samrad::ctl
