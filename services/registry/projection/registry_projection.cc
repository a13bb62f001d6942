#include "services/registry/projection/registry_projection.h"

#include "absl/strings/str_cat.h"
#include "libs/runtime/envelope.h"
#include "samrad/registry/v1/events.pb.h"

namespace samrad::registry {

std::string TenantKey(std::string_view code) { return absl::StrCat("tenant/", std::string(code)); }

absl::StatusOr<runtime::ApplyOutcome> ApplyRegistryEntry(const eventlog::TopicPartition& source,
                                                         const eventlog::Entry& entry,
                                                         projection::Transaction& tx) {
  auto event = runtime::DecodeEnvelope<v1::RegistryEvent>(source, entry);
  if (!event) return runtime::ApplyOutcome::kUnknown;
  switch (event->event_case()) {
    case v1::RegistryEvent::kTenantCreated:
      tx.Put(projection::Cf::kState, TenantKey(event->tenant_created().code()),
             event->tenant_created().SerializeAsString());
      return runtime::ApplyOutcome::kApplied;
    case v1::RegistryEvent::EVENT_NOT_SET:
      return runtime::ApplyOutcome::kUnknown;
    default:
      // Known cases whose projection comes with the registry API; a schema-version bump
      // then rebuilds the projection from offset 0, so nothing is lost by passing them now.
      return runtime::ApplyOutcome::kApplied;
  }
}

}  // namespace samrad::registry
