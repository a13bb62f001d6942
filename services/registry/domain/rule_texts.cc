#include "services/registry/domain/rule_texts.h"

#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace samrad::registry::domain::texts {
namespace {

std::string S(std::string_view s) { return std::string(s); }

// The last segment of a field path, without an index: "dialogue.channels[2]" → "channels".
std::string_view LastSegment(std::string_view path) {
  if (const size_t bracket = path.find('['); bracket != std::string_view::npos) {
    path = path.substr(0, bracket);
  }
  if (const size_t dot = path.rfind('.'); dot != std::string_view::npos) {
    path = path.substr(dot + 1);
  }
  return path;
}

// The index of the last "[n]" of a path, if any.
std::optional<int> LastIndex(std::string_view path) {
  const size_t bracket = path.rfind('[');
  if (bracket == std::string_view::npos || path.back() != ']') return std::nullopt;
  const std::string_view digits = path.substr(bracket + 1, path.size() - bracket - 2);
  int index = 0;
  if (!absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()), &index) || index < 0) {
    return std::nullopt;
  }
  return index;
}

}  // namespace

errors::Text FieldInWords(std::string_view path) {
  struct Words {
    std::string_view segment;
    std::string_view sv;
    std::string_view en;
  };
  static constexpr Words kWords[] = {
      {"start_date", "startdatum", "the start date"},
      {"end_date", "slutdatum", "the end date"},
      {"deadline", "sista svarsdag", "the deadline"},
      {"received_date", "svarsdatum", "the date the answer was received"},
  };
  const std::string_view segment = LastSegment(path);
  for (const Words& words : kWords) {
    if (words.segment == segment) return {S(words.sv), S(words.en)};
  }
  return {"det andra fältet", "the other field"};
}

errors::Text Required() { return {"Måste anges.", "Is required."}; }

errors::Text TooLong(size_t max, size_t actual) {
  return {absl::StrCat("Får vara högst ", max, " tecken (är ", actual, ")."),
          absl::StrCat("Must be at most ", max, " characters (is ", actual, ").")};
}

errors::Text TooMany(size_t max, size_t actual) {
  return {absl::StrCat("Får ha högst ", max, " värden (har ", actual, ")."),
          absl::StrCat("Must have at most ", max, " entries (has ", actual, ").")};
}

errors::Text InvalidName(std::string_view pattern) {
  return {absl::StrCat("Ogiltigt resursnamn; formen är \"", S(pattern),
                       "\" där id består av a–z, 0–9 och bindestreck och börjar med en bokstav."),
          absl::StrCat("Invalid resource name; the form is \"", S(pattern),
                       "\" where the id consists of a-z, 0-9 and hyphens and starts with a "
                       "letter.")};
}

errors::Text InvalidId() {
  return {"Ogiltigt id: 1–63 tecken a–z, 0–9 och bindestreck, med en bokstav först.",
          "Invalid id: 1-63 characters a-z, 0-9 and hyphens, starting with a letter."};
}

errors::Text OtherTenant(std::string_view tenant) {
  return {absl::StrCat("Resursen hör till en annan kommun än ", S(tenant), "."),
          absl::StrCat("The resource belongs to another tenant than ", S(tenant), ".")};
}

errors::Text InvalidDate() {
  return {"Ogiltigt datum; ange år, månad och dag för en dag som finns.",
          "Invalid date; give year, month and day of a day that exists."};
}

errors::Text EndBeforeStart(std::string_view end_label_sv, std::string_view end_label_en,
                            std::string_view start_field) {
  const errors::Text start = FieldInWords(start_field);
  return {absl::StrCat(S(end_label_sv), " får inte vara före ", start.sv, "."),
          absl::StrCat(S(end_label_en), " must not be before ", start.en, ".")};
}

errors::Text Unspecified() { return {"Ett värde måste väljas.", "A value must be chosen."}; }

errors::Text UnknownEnumValue(int value) {
  return {absl::StrCat("Okänt värde ", value, "."), absl::StrCat("Unknown value ", value, ".")};
}

errors::Text Duplicate(std::string_view first_field) {
  const std::optional<int> index = LastIndex(first_field);
  if (!index.has_value()) {
    return {"Värdet finns redan tidigare i listan.",
            "The value is already given earlier in the list."};
  }
  return {absl::StrCat("Värdet finns redan som nummer ", *index + 1, " i listan."),
          absl::StrCat("The value is already given as entry ", *index + 1, " of the list.")};
}

errors::Text InvalidEmail() { return {"Ogiltig e-postadress.", "Invalid e-mail address."}; }

errors::Text InvalidCaseNumber() {
  return {"Ogiltigt ärendenummer; formen är t.ex. STK-2018-90.",
          "Invalid case number; the form is e.g. STK-2018-90."};
}

errors::Text Negative() { return {"Får inte vara negativt.", "Must not be negative."}; }

errors::Text UnknownReference(std::string_view what_sv, std::string_view what_en,
                              std::string_view name) {
  return {absl::StrCat(S(what_sv), " ", S(name), " finns inte."),
          absl::StrCat(S(what_en), " ", S(name), " does not exist.")};
}

errors::Text RetiredReference(std::string_view what_sv, std::string_view what_en,
                              std::string_view name) {
  return {absl::StrCat(S(what_sv), " ", S(name), " har avvecklats."),
          absl::StrCat(S(what_en), " ", S(name), " has been retired.")};
}

}  // namespace samrad::registry::domain::texts
