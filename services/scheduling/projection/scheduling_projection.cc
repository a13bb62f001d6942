#include "services/scheduling/projection/scheduling_projection.h"

#include "absl/strings/str_cat.h"
#include "libs/runtime/envelope.h"
#include "libs/runtime/service_names.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/scheduling/v1/events.pb.h"

namespace samrad::scheduling {

std::string TenantKey(std::string_view code) { return absl::StrCat("tenant/", std::string(code)); }

std::string MeetingKey(std::string_view tenant, std::string_view meeting_id) {
  return absl::StrCat("meeting/", std::string(tenant), "/", std::string(meeting_id));
}

absl::StatusOr<runtime::ApplyOutcome> ApplySchedulingEntry(const eventlog::TopicPartition& source,
                                                           const eventlog::Entry& entry,
                                                           projection::Transaction& tx) {
  if (source.topic == runtime::kRegistryTopic) {
    auto event = runtime::DecodeEnvelope<registry::v1::RegistryEvent>(source, entry);
    if (!event) return runtime::ApplyOutcome::kUnknown;
    switch (event->event_case()) {
      case registry::v1::RegistryEvent::kTenantCreated:
        tx.Put(projection::Cf::kState, TenantKey(event->tenant_created().code()),
               event->tenant_created().SerializeAsString());
        return runtime::ApplyOutcome::kApplied;
      case registry::v1::RegistryEvent::EVENT_NOT_SET:
        return runtime::ApplyOutcome::kUnknown;
      default:
        // Registry facts scheduling does not keep a copy of.
        return runtime::ApplyOutcome::kApplied;
    }
  }
  auto event = runtime::DecodeEnvelope<v1::SchedulingEvent>(source, entry);
  if (!event) return runtime::ApplyOutcome::kUnknown;
  switch (event->event_case()) {
    case v1::SchedulingEvent::kMeetingScheduled:
      tx.Put(projection::Cf::kState,
             MeetingKey(event->metadata().tenant(), event->meeting_scheduled().meeting_id()),
             event->meeting_scheduled().SerializeAsString());
      return runtime::ApplyOutcome::kApplied;
    case v1::SchedulingEvent::EVENT_NOT_SET:
      break;
  }
  return runtime::ApplyOutcome::kUnknown;
}

}  // namespace samrad::scheduling
