#include "services/scheduling/projection/scheduling_projection.h"

#include "absl/strings/str_cat.h"
#include "libs/runtime/service_names.h"
#include "libs/runtime/topic_dispatch.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/scheduling/v1/events.pb.h"

namespace samrad::scheduling {

std::string TenantKey(std::string_view code) { return absl::StrCat("tenant/", std::string(code)); }

std::string MeetingKey(std::string_view tenant, std::string_view meeting_id) {
  return absl::StrCat("meeting/", std::string(tenant), "/", std::string(meeting_id));
}

namespace {

// Scheduling's own copy of the registry facts it needs.
absl::StatusOr<runtime::ApplyOutcome> EvolveRegistryFacts(const registry::v1::RegistryEvent& event,
                                                          projection::Transaction& tx) {
  switch (event.event_case()) {
    case registry::v1::RegistryEvent::kTenantCreated:
      tx.Put(projection::Cf::kState, TenantKey(event.tenant_created().code()),
             event.tenant_created().SerializeAsString());
      return runtime::ApplyOutcome::kApplied;
    default:
      // Registry facts scheduling does not keep a copy of.
      return runtime::ApplyOutcome::kApplied;
  }
}

absl::StatusOr<runtime::ApplyOutcome> EvolveMeetings(const v1::SchedulingEvent& event,
                                                     projection::Transaction& tx) {
  switch (event.event_case()) {
    case v1::SchedulingEvent::kMeetingScheduled:
      tx.Put(projection::Cf::kState,
             MeetingKey(event.metadata().tenant(), event.meeting_scheduled().meeting_id()),
             event.meeting_scheduled().SerializeAsString());
      return runtime::ApplyOutcome::kApplied;
    case v1::SchedulingEvent::EVENT_NOT_SET:
      break;
  }
  return runtime::ApplyOutcome::kUnknown;
}

const runtime::TopicDispatch& Dispatch() {
  static const runtime::TopicDispatch* const dispatch = new runtime::TopicDispatch(
      runtime::TopicDispatch()
          .OnEnvelope<registry::v1::RegistryEvent>(runtime::kRegistryTopic, EvolveRegistryFacts)
          .OnEnvelope<v1::SchedulingEvent>(runtime::kSchedulingTopic, EvolveMeetings));
  return *dispatch;
}

}  // namespace

absl::StatusOr<runtime::ApplyOutcome> ApplySchedulingEntry(const eventlog::TopicPartition& source,
                                                           const eventlog::Entry& entry,
                                                           projection::Transaction& tx) {
  return Dispatch()(source, entry, tx);
}

}  // namespace samrad::scheduling
