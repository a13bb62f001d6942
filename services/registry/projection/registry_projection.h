#ifndef SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_PROJECTION_H_
#define SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_PROJECTION_H_

#include <string>

#include "libs/runtime/projection_module.h"

namespace samrad::registry {

// Version of the registry projection's layout; bump to rebuild it from offset 0.
inline constexpr int kProjectionSchemaVersion = 1;

// State key of a tenant: "tenant/<code>" → TenantCreated.
std::string TenantKey(std::string_view code);

// Evolve of the registry projection over registry.events.v1.
absl::StatusOr<runtime::ApplyOutcome> ApplyRegistryEntry(const eventlog::TopicPartition& source,
                                                         const eventlog::Entry& entry,
                                                         projection::Transaction& tx);

}  // namespace samrad::registry

#endif  // SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_PROJECTION_H_
