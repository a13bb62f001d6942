#include "services/reporting/projection/reporting_projection.h"

#include "absl/strings/str_cat.h"
#include "libs/projection/key_codec.h"
#include "libs/runtime/envelope.h"
#include "libs/runtime/service_names.h"
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

// Counts an envelope whose case this build knows; anything else is unknown.
template <typename Envelope>
absl::StatusOr<runtime::ApplyOutcome> CountEnvelope(const eventlog::TopicPartition& source,
                                                    const eventlog::Entry& entry,
                                                    projection::Transaction& tx) {
  auto event = runtime::DecodeEnvelope<Envelope>(source, entry);
  if (!event || event->event_case() == Envelope::EVENT_NOT_SET) {
    return runtime::ApplyOutcome::kUnknown;
  }
  const auto* field = Envelope::descriptor()->FindFieldByNumber(event->event_case());
  if (absl::Status s = CountEvent(tx, event->metadata(), field->message_type()->full_name());
      !s.ok()) {
    return s;
  }
  return runtime::ApplyOutcome::kApplied;
}

}  // namespace

std::string EventCountKey(std::string_view tenant, std::string_view event_type) {
  return absl::StrCat("events/", std::string(tenant), "/", std::string(event_type));
}

absl::StatusOr<runtime::ApplyOutcome> ApplyReportingEntry(const eventlog::TopicPartition& source,
                                                          const eventlog::Entry& entry,
                                                          projection::Transaction& tx) {
  if (source.topic == runtime::kRegistryTopic) {
    return CountEnvelope<registry::v1::RegistryEvent>(source, entry, tx);
  }
  if (source.topic == runtime::kSchedulingTopic) {
    return CountEnvelope<scheduling::v1::SchedulingEvent>(source, entry, tx);
  }
  return CountEnvelope<v1::ReportingEvent>(source, entry, tx);
}

}  // namespace samrad::reporting
