#include "services/reporting/projection/reporting_projection.h"

#include "absl/strings/str_cat.h"
#include "libs/projection/key_codec.h"
#include "libs/runtime/service_names.h"
#include "libs/runtime/topic_dispatch.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/reporting/v1/events.pb.h"
#include "samrad/scheduling/v1/events.pb.h"

namespace samrad::reporting {
namespace {

absl::Status CountEvent(projection::Transaction& tx, const common::v1::EventMetadata& metadata,
                        std::string_view event_type) {
  const std::string key = EventCountKey(metadata.tenant(), event_type);
  auto current = tx.Get(projection::Cf::kState, key);
  if (!current.ok()) return current.status();
  int64_t n = 0;
  if (current->has_value()) {
    std::string_view in = **current;
    if (!projection::keys::ConsumeInt64(&in, &n)) {
      return absl::DataLossError(absl::StrCat("corrupt counter ", key));
    }
  }
  tx.Put(projection::Cf::kState, key, projection::keys::EncodeInt64(n + 1));
  return absl::OkStatus();
}

// Counts an envelope of a case this build knows (TopicDispatch::OnEnvelope answers unknown
// for the others).
template <typename Envelope>
absl::StatusOr<runtime::ApplyOutcome> CountEnvelope(const Envelope& event,
                                                    projection::Transaction& tx) {
  const auto* field = Envelope::descriptor()->FindFieldByNumber(event.event_case());
  if (field == nullptr) return runtime::ApplyOutcome::kUnknown;
  if (absl::Status s = CountEvent(tx, event.metadata(), field->message_type()->full_name());
      !s.ok()) {
    return s;
  }
  return runtime::ApplyOutcome::kApplied;
}

const runtime::TopicDispatch& Dispatch() {
  static const runtime::TopicDispatch* const dispatch = new runtime::TopicDispatch(
      runtime::TopicDispatch()
          .OnEnvelope<registry::v1::RegistryEvent>(runtime::kRegistryTopic,
                                                   CountEnvelope<registry::v1::RegistryEvent>)
          .OnEnvelope<scheduling::v1::SchedulingEvent>(
              runtime::kSchedulingTopic, CountEnvelope<scheduling::v1::SchedulingEvent>)
          .OnEnvelope<v1::ReportingEvent>(runtime::kReportingTopic,
                                          CountEnvelope<v1::ReportingEvent>));
  return *dispatch;
}

}  // namespace

std::string EventCountKey(std::string_view tenant, std::string_view event_type) {
  return absl::StrCat("events/", std::string(tenant), "/", std::string(event_type));
}

absl::StatusOr<runtime::ApplyOutcome> ApplyReportingEntry(const eventlog::TopicPartition& source,
                                                          const eventlog::Entry& entry,
                                                          projection::Transaction& tx) {
  return Dispatch()(source, entry, tx);
}

}  // namespace samrad::reporting
