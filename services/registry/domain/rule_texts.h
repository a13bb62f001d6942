#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_RULE_TEXTS_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_RULE_TEXTS_H_

// The Swedish and English texts of the registry's field violations and errors, in one
// place so that the same rule always reads the same. Swedish is what users see by default
// (DESIGN.md, "API conventions").

#include <cstddef>
#include <string>
#include <string_view>

#include "libs/errors/errors.h"

namespace samrad::registry::domain::texts {

errors::Text Required();
errors::Text TooLong(size_t max, size_t actual);
errors::Text TooMany(size_t max, size_t actual);
// `pattern` like "tenants/{code}/dialogues/{id}".
errors::Text InvalidName(std::string_view pattern);
errors::Text InvalidId();
errors::Text OtherTenant(std::string_view tenant);
errors::Text InvalidDate();
// `start_field` is the path of the start ("dialogue.start_date"); the text names it in
// words (FieldInWords), never by its path.
errors::Text EndBeforeStart(std::string_view end_label_sv, std::string_view end_label_en,
                            std::string_view start_field);
errors::Text Unspecified();
errors::Text UnknownEnumValue(int value);
// `first_field` is the path of the first entry with the value ("dialogue.channels[0]");
// the text gives its position in the list (1-based), not the path.
errors::Text Duplicate(std::string_view first_field);
errors::Text InvalidEmail();
errors::Text InvalidCaseNumber();
errors::Text Negative();

// A request field named in words, for texts that refer to a field other than the one
// violated: Swedish in lower case without article ("startdatum"), English with "the"
// ("the start date"). Judged by the last segment of `path` ("consultation.start_date" →
// start date); a field without words of its own reads "det andra fältet" / "the other
// field". Field paths belong in BadRequest.field only, never in a text.
errors::Text FieldInWords(std::string_view path);

// Decide-time references to other resources. `what_sv` is the capitalised definite form
// ("Förvaltningen", "Området"), `what_en` likewise ("The administration").
errors::Text UnknownReference(std::string_view what_sv, std::string_view what_en,
                              std::string_view name);
errors::Text RetiredReference(std::string_view what_sv, std::string_view what_en,
                              std::string_view name);

}  // namespace samrad::registry::domain::texts

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_RULE_TEXTS_H_
