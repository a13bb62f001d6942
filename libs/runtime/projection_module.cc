#include "libs/runtime/projection_module.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/command/command_index.h"
#include "libs/common/log.h"
#include "libs/projection/key_codec.h"

namespace samrad::runtime {
namespace {

constexpr std::string_view kUnknownEventsKey("\0samrad/unknown_events", 22);
// How long one CatchUp attempt waits before WaitReady checks whether to stop.
constexpr absl::Duration kCatchUpSlice = absl::Seconds(1);
// How long WaitReady waits before it asks a module API that is not ready yet again.
constexpr absl::Duration kOnReadyRetry = absl::Seconds(1);

absl::StatusOr<int64_t> ReadCounter(const std::optional<std::string>& value) {
  if (!value) return 0;
  std::string_view in = *value;
  int64_t n = 0;
  if (!projection::keys::ConsumeInt64(&in, &n)) {
    return absl::DataLossError("unknown-events counter is corrupt");
  }
  return n;
}

}  // namespace

ModuleApplyFn ComposeApply(const ProjectionModuleSpec& spec) {
  if (spec.command_topic.empty()) return spec.apply;
  return command::WithCommandIndexes(spec.command_topic, spec.apply);
}

ProjectionModule::ProjectionModule(ProjectionModuleSpec spec)
    : spec_(std::move(spec)), evolve_(ComposeApply(spec_)) {}

ProjectionModule::~ProjectionModule() { Stop(); }

std::vector<std::string> ProjectionModule::topics() const {
  std::vector<std::string> topics = spec_.owned_topics;
  for (const auto& t : spec_.source_topics) {
    if (std::find(topics.begin(), topics.end(), t) == topics.end()) topics.push_back(t);
  }
  return topics;
}

absl::Status ProjectionModule::Start(const ModuleContext& context) {
  auto store = projection::ProjectionStore::Open(
      {.path = (std::filesystem::path(context.data_dir) / "projection").string(),
       .schema_version = spec_.schema_version});
  if (!store.ok()) return store.status();
  store_ = std::move(*store);
  if (store_->rebuilt()) {
    SAMRAD_LOG_INFO("{}: projection schema changed to v{}, rebuilding from offset 0", spec_.name,
                    spec_.schema_version);
  }
  if (absl::Status s = RebuildIfAheadOfLog(context); !s.ok()) return s;

  if (spec_.make_api) {
    ModuleContext api_context = context;
    api_context.apply = [this](const eventlog::TopicPartition& source, const eventlog::Entry& entry,
                               projection::Transaction& tx) { return Apply(source, entry, tx); };
    auto api = spec_.make_api(api_context, *store_);
    if (!api.ok()) return api.status();
    api_ = std::move(*api);
  }

  std::vector<eventlog::TopicPartition> sources;
  for (const auto& topic : spec_.source_topics) {
    for (int32_t p = 0; p < context.partitions; ++p) sources.push_back({topic, p});
  }
  projection::ProjectorOptions options{.name = spec_.name, .sources = sources};
  if (context.metrics != nullptr) {
    metrics_.emplace(projection::ProjectorMetrics::Create(*context.metrics, spec_.name));
    options.metrics = &*metrics_;
  }
  auto apply = [this](const eventlog::TopicPartition& source, const eventlog::Entry& entry,
                      projection::Transaction& tx) { return Apply(source, entry, tx); };
  auto projector = projection::Projector::Start(context.log, store_.get(), apply, options);
  if (!projector.ok()) return projector.status();
  projector_ = std::move(*projector);
  return absl::OkStatus();
}

absl::Status ProjectionModule::Apply(const eventlog::TopicPartition& source,
                                     const eventlog::Entry& entry, projection::Transaction& tx) {
  auto outcome = evolve_(source, entry, tx);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == ApplyOutcome::kUnknown) {
    auto current = tx.Get(projection::Cf::kState, kUnknownEventsKey);
    if (!current.ok()) return current.status();
    auto n = ReadCounter(*current);
    if (!n.ok()) return n.status();
    tx.Put(projection::Cf::kState, kUnknownEventsKey, projection::keys::EncodeInt64(*n + 1));
    SAMRAD_LOG_DEBUG("{}: skipped an event of unknown type at {}@{}", spec_.name, source.ToString(),
                     entry.offset);
  }
  return absl::OkStatus();
}

absl::Status ProjectionModule::RebuildIfAheadOfLog(const ModuleContext& context) {
  // The command executor applies its events before the log has synced them
  // (docs/adr/0008-pipelined-durability.md). If the machine lost power in between, the store
  // may hold events of an owned topic that the log no longer has: they were never
  // acknowledged, and the store is derived data, so it is rebuilt from what the log holds.
  // On a topic this module only reads, a store ahead of the log means the log itself lost
  // records (or is another log): Projector::Start refuses that with DATA_LOSS.
  for (const std::string& topic : spec_.owned_topics) {
    if (std::find(spec_.source_topics.begin(), spec_.source_topics.end(), topic) ==
        spec_.source_topics.end()) {
      continue;
    }
    for (int32_t p = 0; p < context.partitions; ++p) {
      const eventlog::TopicPartition tp{topic, p};
      absl::StatusOr<int64_t> applied = store_->NextOffset(tp);
      if (!applied.ok()) return applied.status();
      absl::StatusOr<int64_t> end = context.log->HighWatermark(tp);
      if (!end.ok()) return end.status();
      if (*applied <= *end) continue;
      SAMRAD_LOG_ERROR(
          "{}: the projection has applied {} up to offset {} but the log ends at {}: events "
          "that were applied but never made durable (a crash of the machine before the log's "
          "sync) or a replaced log. Rebuilding the projection from the log.",
          spec_.name, tp.ToString(), *applied, *end);
      return store_->Wipe();
    }
  }
  return absl::OkStatus();
}

void ProjectionModule::RegisterServices(grpc::ServerBuilder& builder) {
  if (spec_.register_services) spec_.register_services(builder, *store_);
  if (api_ != nullptr) api_->RegisterServices(builder);
}

absl::Status ProjectionModule::WaitReady(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (stopped_.HasBeenNotified()) return absl::CancelledError("stopping");
    absl::Status s = projector_->CatchUp(std::min(kCatchUpSlice, deadline - absl::Now()));
    if (s.ok()) {
      if (api_ == nullptr || api_ready_.load()) return s;
      absl::Status ready = api_->OnReady();
      if (ready.ok()) {
        api_ready_.store(true);
        return s;
      }
      if (!absl::IsUnavailable(ready) || absl::Now() >= deadline) return ready;
      // Not ready yet (the API has said why): catch up and ask again after a pause.
      stopped_.WaitForNotificationWithTimeout(std::min(kOnReadyRetry, deadline - absl::Now()));
      continue;
    }
    if (!absl::IsDeadlineExceeded(s) || absl::Now() >= deadline) return s;
  }
}

int64_t ProjectionModule::unknown_events() const {
  if (store_ == nullptr) return 0;
  auto value = store_->Get(projection::Cf::kState, kUnknownEventsKey);
  if (!value.ok()) return 0;
  auto n = ReadCounter(*value);
  return n.ok() ? *n : 0;
}

std::vector<ops::v1::ProjectionStatus> ProjectionModule::Projections() const {
  ops::v1::ProjectionStatus status;
  status.set_name(spec_.name);
  if (projector_ != nullptr) {
    for (const auto& s : projector_->Status()) {
      auto* source = status.add_sources();
      source->set_topic(s.source.topic);
      source->set_partition(s.source.partition);
      source->set_next_offset(s.next_offset);
      source->set_high_watermark(s.high_watermark);
      source->set_lag(s.lag);
    }
    status.set_events_applied(projector_->events_applied());
  }
  status.set_unknown_events(unknown_events());
  status.set_schema_version(spec_.schema_version);
  return {status};
}

void ProjectionModule::RequestStop() {
  if (!stopped_.HasBeenNotified()) stopped_.Notify();
}

void ProjectionModule::Stop() {
  RequestStop();
  projector_.reset();
  api_.reset();
  store_.reset();
}

}  // namespace samrad::runtime
