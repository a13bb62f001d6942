#include "services/registry/domain/rule_texts.h"

#include "absl/strings/str_cat.h"

namespace samrad::registry::domain::texts {
namespace {

std::string S(std::string_view s) { return std::string(s); }

}  // namespace

api::Text Required() { return {"Måste anges.", "Is required."}; }

api::Text TooLong(size_t max, size_t actual) {
  return {absl::StrCat("Får vara högst ", max, " tecken (är ", actual, ")."),
          absl::StrCat("Must be at most ", max, " characters (is ", actual, ").")};
}

api::Text TooMany(size_t max, size_t actual) {
  return {absl::StrCat("Får ha högst ", max, " värden (har ", actual, ")."),
          absl::StrCat("Must have at most ", max, " entries (has ", actual, ").")};
}

api::Text InvalidName(std::string_view pattern) {
  return {absl::StrCat("Ogiltigt resursnamn; formen är \"", S(pattern),
                       "\" där id består av a–z, 0–9 och bindestreck och börjar med en bokstav."),
          absl::StrCat("Invalid resource name; the form is \"", S(pattern),
                       "\" where the id consists of a-z, 0-9 and hyphens and starts with a "
                       "letter.")};
}

api::Text InvalidId() {
  return {"Ogiltigt id: 1–63 tecken a–z, 0–9 och bindestreck, med en bokstav först.",
          "Invalid id: 1-63 characters a-z, 0-9 and hyphens, starting with a letter."};
}

api::Text OtherTenant(std::string_view tenant) {
  return {absl::StrCat("Resursen hör till en annan kommun än ", S(tenant), "."),
          absl::StrCat("The resource belongs to another tenant than ", S(tenant), ".")};
}

api::Text InvalidDate() {
  return {"Ogiltigt datum; ange år, månad och dag för en dag som finns.",
          "Invalid date; give year, month and day of a day that exists."};
}

api::Text EndBeforeStart(std::string_view end_label_sv, std::string_view end_label_en,
                         std::string_view start_field) {
  return {absl::StrCat(S(end_label_sv), " får inte vara före ", S(start_field), "."),
          absl::StrCat(S(end_label_en), " must not be before ", S(start_field), ".")};
}

api::Text Unspecified() { return {"Ett värde måste väljas.", "A value must be chosen."}; }

api::Text UnknownEnumValue(int value) {
  return {absl::StrCat("Okänt värde ", value, "."), absl::StrCat("Unknown value ", value, ".")};
}

api::Text Duplicate(std::string_view first_field) {
  return {absl::StrCat("Finns redan i ", S(first_field), "."),
          absl::StrCat("Already given in ", S(first_field), ".")};
}

api::Text InvalidEmail() { return {"Ogiltig e-postadress.", "Invalid e-mail address."}; }

api::Text InvalidCaseNumber() {
  return {"Ogiltigt ärendenummer; formen är t.ex. STK-2018-90.",
          "Invalid case number; the form is e.g. STK-2018-90."};
}

api::Text Negative() { return {"Får inte vara negativt.", "Must not be negative."}; }

api::Text UnknownReference(std::string_view what_sv, std::string_view what_en,
                           std::string_view name) {
  return {absl::StrCat(S(what_sv), " ", S(name), " finns inte."),
          absl::StrCat(S(what_en), " ", S(name), " does not exist.")};
}

api::Text RetiredReference(std::string_view what_sv, std::string_view what_en,
                           std::string_view name) {
  return {absl::StrCat(S(what_sv), " ", S(name), " har avvecklats."),
          absl::StrCat(S(what_en), " ", S(name), " has been retired.")};
}

}  // namespace samrad::registry::domain::texts
