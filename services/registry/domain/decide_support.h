#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_DECIDE_SUPPORT_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_DECIDE_SUPPORT_H_

// Internal helpers shared by the decide_*.cc files: the errors of decide.h and event
// construction. Not part of the domain's API.

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "libs/errors/errors.h"
#include "samrad/registry/v1/events.pb.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/rule_texts.h"

namespace samrad::registry::domain::internal {

// RESOURCE_NOT_FOUND; `what_*` as in texts::UnknownReference ("Dialoginsatsen").
absl::Status NotFound(std::string_view what_sv, std::string_view what_en, std::string_view name);
absl::Status TenantNotFound(std::string_view name);
absl::Status AlreadyExists(std::string_view name);
absl::Status Precondition(std::string reason, errors::Text text,
                          std::map<std::string, std::string> metadata = {});
// COMMITTEE_RETIRED / ADMINISTRATION_RETIRED for a reference in `field`.
absl::Status ReferenceRetired(std::string reason, std::string_view what_sv,
                              std::string_view what_en, std::string_view field,
                              std::string_view name);
// RETIRED: the resource acted on is retired.
absl::Status Retired(std::string_view what_sv, std::string_view what_en, std::string_view name);

inline absl::Status Invalid(const errors::Violations& violations) {
  return violations.ToStatus(kErrorDomain);
}

// Appends an empty event to `result` and returns it.
inline v1::RegistryEvent& AddEvent(DecideResult& result) { return result.events.emplace_back(); }

google::protobuf::FieldMask MaskOf(std::initializer_list<std::string_view> paths);

// Clears output-only fields that events do not carry.
void StripOutputOnly(v1::Committee& committee);
void StripOutputOnly(v1::Administration& administration);
void StripOutputOnly(v1::Person& person);
void StripOutputOnly(v1::Appointment& appointment);
void StripOutputOnly(v1::Dialogue& dialogue);
void StripOutputOnly(v1::Consultation& consultation);

}  // namespace samrad::registry::domain::internal

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_DECIDE_SUPPORT_H_
