#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_RULE_TEXTS_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_RULE_TEXTS_H_

// The Swedish and English texts of the registry's field violations and errors, in one
// place so that the same rule always reads the same. Swedish is what users see by default
// (DESIGN.md, "API conventions").

#include <cstddef>
#include <string>
#include <string_view>

#include "libs/api/errors.h"

namespace samrad::registry::domain::texts {

api::Text Required();
api::Text TooLong(size_t max, size_t actual);
api::Text TooMany(size_t max, size_t actual);
// `pattern` like "tenants/{code}/dialogues/{id}".
api::Text InvalidName(std::string_view pattern);
api::Text InvalidId();
api::Text OtherTenant(std::string_view tenant);
api::Text InvalidDate();
api::Text EndBeforeStart(std::string_view end_label_sv, std::string_view end_label_en,
                         std::string_view start_field);
api::Text Unspecified();
api::Text UnknownEnumValue(int value);
api::Text Duplicate(std::string_view first_field);
api::Text InvalidEmail();
api::Text InvalidCaseNumber();
api::Text Negative();

// Decide-time references to other resources. `what_sv` is the capitalised definite form
// ("Förvaltningen", "Området"), `what_en` likewise ("The administration").
api::Text UnknownReference(std::string_view what_sv, std::string_view what_en,
                           std::string_view name);
api::Text RetiredReference(std::string_view what_sv, std::string_view what_en,
                           std::string_view name);

}  // namespace samrad::registry::domain::texts

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_RULE_TEXTS_H_
