#include "libs/projection/projector.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/common/log.h"

namespace samrad::projection {

// ---------------------------------------------------------------------------------------
// ProjectorMetrics

prometheus::Gauge& ProjectorMetrics::ConsumerLag(const eventlog::TopicPartition& source) const {
  return consumer_lag_events.Add({{"projection", projection},
                                  {"topic", source.topic},
                                  {"partition", std::to_string(source.partition)}});
}

ProjectorMetrics ProjectorMetrics::Create(prometheus::Registry& registry, std::string projection) {
  auto& applied = prometheus::BuildCounter()
                      .Name("samrad_projection_events_applied_total")
                      .Help("Events applied to the projection (skipped duplicates excluded).")
                      .Register(registry);
  auto& latency = prometheus::BuildHistogram()
                      .Name("samrad_projection_apply_latency_seconds")
                      .Help("Duration of one atomic apply of a batch of events.")
                      .Register(registry);
  auto& lag = prometheus::BuildGauge()
                  .Name("samrad_projection_consumer_lag_events")
                  .Help("Events in the log not yet applied to the projection.")
                  .Register(registry);
  static const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  return ProjectorMetrics{
      .events_applied = applied.Add({{"projection", projection}}),
      .apply_latency_seconds = latency.Add({{"projection", projection}}, kLatencyBuckets),
      .consumer_lag_events = lag,
      .projection = std::move(projection),
  };
}

// ---------------------------------------------------------------------------------------
// Projector

Projector::Projector(eventlog::EventLog* log, ProjectionStore* store, ApplyFn apply,
                     ProjectorOptions options)
    : log_(log), store_(store), apply_(std::move(apply)), options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<Projector>> Projector::Start(eventlog::EventLog* log,
                                                            ProjectionStore* store, ApplyFn apply,
                                                            ProjectorOptions options) {
  if (log == nullptr || store == nullptr || !apply) {
    return absl::InvalidArgumentError("projector: log, store and apply function are required");
  }
  if (options.sources.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("projector ", options.name, ": no sources"));
  }
  if (options.subscribe.max_batch == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("projector ", options.name, ": max_batch must be positive"));
  }
  std::set<eventlog::TopicPartition> distinct(options.sources.begin(), options.sources.end());
  if (distinct.size() != options.sources.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("projector ", options.name, ": a source is listed twice"));
  }

  std::unique_ptr<Projector> projector(
      new Projector(log, store, std::move(apply), std::move(options)));
  const ProjectorOptions& opts = projector->options_;
  for (const eventlog::TopicPartition& tp : opts.sources) {
    absl::StatusOr<int64_t> next = store->NextOffset(tp);
    if (!next.ok()) return next.status();
    absl::StatusOr<int64_t> hwm = log->HighWatermark(tp);
    if (!hwm.ok()) return hwm.status();
    if (*next > *hwm) {
      return absl::DataLossError(absl::StrCat(
          "projector ", opts.name, ": the store at ", store->path(), " has applied ", tp.ToString(),
          " up to offset ", *next, " but the log ends at ", *hwm,
          "; the log lost records or the store belongs to another log. Wipe the store to "
          "rebuild it."));
    }
    auto source = std::make_unique<Source>();
    source->tp = tp;
    source->next_offset = *next;
    source->high_watermark = *hwm;
    if (opts.metrics != nullptr) {
      source->lag_gauge = &opts.metrics->ConsumerLag(tp);
      source->lag_gauge->Set(static_cast<double>(*hwm - *next));
    }
    projector->sources_.push_back(std::move(source));
  }

  SAMRAD_LOG_INFO("projector {}: starting on {} source(s) of the {} log", opts.name,
                  opts.sources.size(), log->backend());
  for (const std::unique_ptr<Source>& source_ptr : projector->sources_) {
    Source* source = source_ptr.get();
    int64_t from = 0;
    {
      absl::MutexLock lock(&projector->mu_);
      from = source->next_offset;
    }
    Projector* self = projector.get();
    absl::StatusOr<std::unique_ptr<eventlog::Subscription>> subscription = log->Subscribe(
        source->tp, from,
        [self, source](const std::vector<eventlog::Entry>& entries) {
          return self->ApplyEntries(*source, entries);
        },
        opts.subscribe);
    if (!subscription.ok()) return subscription.status();
    projector->subscriptions_.push_back(*std::move(subscription));
  }
  if (opts.metrics != nullptr && opts.lag_refresh_interval > absl::ZeroDuration()) {
    projector->refresher_ = std::thread([self = projector.get()] { self->RefreshLoop(); });
  }
  return projector;
}

Projector::~Projector() {
  // Subscriptions first: once they are gone no handler runs any more.
  subscriptions_.clear();
  stop_.Notify();
  if (refresher_.joinable()) refresher_.join();
}

absl::Status Projector::ApplyEntries(Source& source, const std::vector<eventlog::Entry>& entries) {
  if (entries.empty()) return absl::OkStatus();
  const int64_t first = entries.front().offset;
  const int64_t count = static_cast<int64_t>(entries.size());
  for (int64_t i = 0; i < count; ++i) {
    if (entries[i].offset != first + i) {
      return absl::InternalError(absl::StrCat("projector ", options_.name, ": ",
                                              source.tp.ToString(), " delivered offset ",
                                              entries[i].offset, " after ", first + i - 1));
    }
  }

  const absl::Time start = absl::Now();
  absl::StatusOr<int64_t> applied =
      store_->ApplyBatch(source.tp, first, count, [&](int64_t offset, Transaction& tx) {
        return apply_(source.tp, entries[offset - first], tx);
      });
  const absl::Duration elapsed = absl::Now() - start;
  if (!applied.ok()) {
    absl::MutexLock lock(&mu_);
    source.last_error = applied.status();
    return applied.status();
  }

  const int64_t next = first + count;
  // Everything is updated under the lock, so that a CatchUp that returns sees the counters
  // and metrics of the applies it waited for.
  absl::MutexLock lock(&mu_);
  source.next_offset = std::max(source.next_offset, next);
  source.high_watermark = std::max(source.high_watermark, source.next_offset);
  source.events_applied += *applied;
  source.last_error = absl::OkStatus();
  events_applied_.fetch_add(*applied, std::memory_order_relaxed);
  if (const ProjectorMetrics* metrics = options_.metrics; metrics != nullptr) {
    if (*applied > 0) {
      metrics->events_applied.Increment(static_cast<double>(*applied));
      metrics->apply_latency_seconds.Observe(absl::ToDoubleSeconds(elapsed));
    }
    source.lag_gauge->Set(static_cast<double>(source.high_watermark - source.next_offset));
  }
  return absl::OkStatus();
}

void Projector::RefreshHighWatermarks() const {
  for (const std::unique_ptr<Source>& source : sources_) {
    absl::StatusOr<int64_t> hwm = log_->HighWatermark(source->tp);
    if (!hwm.ok()) {
      SAMRAD_LOG_DEBUG("projector {}: high watermark of {}: {}", options_.name,
                       source->tp.ToString(), hwm.status().ToString());
      continue;
    }
    absl::MutexLock lock(&mu_);
    // Never below what was applied: the log's answer may predate the latest apply.
    source->high_watermark = std::max(*hwm, source->next_offset);
    if (source->lag_gauge != nullptr) {
      source->lag_gauge->Set(static_cast<double>(source->high_watermark - source->next_offset));
    }
  }
}

void Projector::RefreshLoop() {
  while (!stop_.WaitForNotificationWithTimeout(options_.lag_refresh_interval)) {
    RefreshHighWatermarks();
  }
}

std::vector<SourceStatus> Projector::Status() const {
  RefreshHighWatermarks();
  std::vector<SourceStatus> statuses;
  absl::MutexLock lock(&mu_);
  for (const std::unique_ptr<Source>& source : sources_) {
    statuses.push_back(SourceStatus{
        .source = source->tp,
        .next_offset = source->next_offset,
        .high_watermark = source->high_watermark,
        .lag = source->high_watermark - source->next_offset,
        .events_applied = source->events_applied,
        .last_error = source->last_error,
    });
  }
  return statuses;
}

absl::Status Projector::CatchUp(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::vector<int64_t> targets;
  for (const std::unique_ptr<Source>& source : sources_) {
    absl::StatusOr<int64_t> hwm = log_->HighWatermark(source->tp);
    if (!hwm.ok()) return hwm.status();
    targets.push_back(*hwm);
  }
  auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (size_t i = 0; i < sources_.size(); ++i) {
      if (sources_[i]->next_offset < targets[i]) return false;
    }
    return true;
  };
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < sources_.size(); ++i) {
    sources_[i]->high_watermark = std::max(sources_[i]->high_watermark, targets[i]);
  }
  if (mu_.AwaitWithDeadline(absl::Condition(&reached), deadline)) return absl::OkStatus();
  std::string behind;
  for (size_t i = 0; i < sources_.size(); ++i) {
    const Source& source = *sources_[i];
    if (source.next_offset >= targets[i]) continue;
    absl::StrAppend(&behind, behind.empty() ? "" : "; ", source.tp.ToString(), " at ",
                    source.next_offset, " of ", targets[i]);
    if (!source.last_error.ok()) {
      absl::StrAppend(&behind, " (last error: ", source.last_error.ToString(), ")");
    }
  }
  return absl::DeadlineExceededError(absl::StrCat("projector ", options_.name,
                                                  ": not caught up within ",
                                                  absl::FormatDuration(timeout), ": ", behind));
}

}  // namespace samrad::projection
