#ifndef SAMRAD_LIBS_PROJECTION_PROJECTOR_H_
#define SAMRAD_LIBS_PROJECTION_PROJECTOR_H_

// Runs one projection: keeps a ProjectionStore up to date with the entries of its source
// partitions in the event log.
//
//   ProjectorOptions options{.name = "scheduling", .sources = {{"registry.events.v1", 0}}};
//   auto projector = Projector::Start(log, store, evolve, options);
//   if (absl::Status s = (*projector)->CatchUp(absl::Seconds(30)); !s.ok()) ...  // readiness
//
// For every source the projector subscribes from the store's NextOffset and applies each
// delivered batch of entries with ProjectionStore::ApplyBatch (one atomic write per batch,
// state and offset together). A failing apply writes nothing and is retried with backoff by
// the subscription, so a projection never skips an event; the error shows in Status().

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "libs/eventlog/event_log.h"
#include "libs/projection/projection_store.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace samrad::projection {

// The metrics of the projectors of a process. The families carry a `projection` label, so
// one registry holds every projection's series.
struct ProjectorMetrics {
  // samrad_projection_events_applied_total{projection}: events applied (duplicates that
  // were skipped are not counted).
  prometheus::Counter& events_applied;
  // samrad_projection_apply_latency_seconds{projection}: duration of one atomic apply
  // (a batch of entries, mutate functions and the RocksDB write).
  prometheus::Histogram& apply_latency_seconds;
  // samrad_projection_consumer_lag_events{projection,topic,partition}: the source's high
  // watermark minus the projection's next offset; refreshed after every apply and
  // periodically (ProjectorOptions::lag_refresh_interval).
  prometheus::Family<prometheus::Gauge>& consumer_lag_events;
  // The value of the `projection` label.
  std::string projection;

  // The lag gauge of one source of this projection.
  prometheus::Gauge& ConsumerLag(const eventlog::TopicPartition& source) const;

  // Registers (or finds, for a second projection) the families in `registry` and adds
  // this projection's series.
  static ProjectorMetrics Create(prometheus::Registry& registry, std::string projection);
};

struct ProjectorOptions {
  // The projection's name, for logs and the `projection` metric label.
  std::string name = {};
  // The partitions the projection consumes; each is subscribed on its own thread, and
  // their applies are serialized by the store.
  std::vector<eventlog::TopicPartition> sources = {};
  // Batching and retry backoff of the subscriptions. `subscribe.max_batch` entries at most
  // are applied per atomic write.
  eventlog::SubscribeOptions subscribe = {};
  // How often the high watermarks are polled to refresh the lag gauges (only when
  // `metrics` is set; zero disables the polling, leaving updates on apply only).
  absl::Duration lag_refresh_interval = absl::Seconds(1);
  // Optional; must outlive the projector.
  const ProjectorMetrics* metrics = nullptr;
};

// Where one source of a projection stands.
struct SourceStatus {
  eventlog::TopicPartition source;
  // The projection holds the effects of exactly the entries 0..next_offset-1.
  int64_t next_offset = 0;
  // The offset the log will give its next record, as last observed.
  int64_t high_watermark = 0;
  // high_watermark - next_offset: entries in the log not yet applied.
  int64_t lag = 0;
  // Entries applied by this projector since it started (skipped duplicates excluded).
  int64_t events_applied = 0;
  // The error of the latest apply attempt, OK once an apply succeeds again.
  absl::Status last_error;
};

class Projector {
 public:
  // Applies one entry of `source` to the transaction: the service's Evolve plus its key
  // encoding. It must be deterministic in (state, entry); an error fails the whole batch,
  // which is retried. Entries a service does not know should be counted and skipped (OK),
  // not failed, or the projection stops at them.
  using ApplyFn = std::function<absl::Status(const eventlog::TopicPartition& source,
                                             const eventlog::Entry& entry, Transaction& tx)>;

  // Subscribes to every source from store->NextOffset(source). `log` and `store` must
  // outlive the projector. Others may apply to `store` meanwhile: a service's
  // command::CommandExecutor applies its own events to it right after appending them. The
  // store applies each offset of a source once, whoever comes first (its offsets are the
  // idempotence key, docs/adr/0009-skip-by-offset.md), and the projector skips what it finds
  // applied; that is only correct if every applier applies the log's entries with the same
  // function (runtime::ProjectionModule composes a service's one apply function and gives
  // it to both, as ModuleContext::apply). Fails with
  // DATA_LOSS when the store is ahead of the log for a source (next offset > high
  // watermark: the log lost records the projection applied, or the store belongs to another
  // log); wipe the store to rebuild it.
  static absl::StatusOr<std::unique_ptr<Projector>> Start(eventlog::EventLog* log,
                                                          ProjectionStore* store, ApplyFn apply,
                                                          ProjectorOptions options);

  Projector(const Projector&) = delete;
  Projector& operator=(const Projector&) = delete;
  // Stops delivery; returns after the last apply has finished.
  ~Projector();

  // Waits until every source is applied up to the high watermark observed at the call (all
  // records appended before the call are then visible in the store). DEADLINE_EXCEEDED
  // after `timeout`, naming the sources behind and their last error.
  absl::Status CatchUp(absl::Duration timeout);

  // Where each source stands, in the order of ProjectorOptions::sources. Asks the log for
  // fresh high watermarks (a broker round trip on Kafka: not for hot paths); a source whose
  // watermark cannot be read keeps the last one observed.
  std::vector<SourceStatus> Status() const;

  // Entries applied by this projector since it started, over all sources.
  int64_t events_applied() const { return events_applied_.load(std::memory_order_relaxed); }
  const std::string& name() const { return options_.name; }

 private:
  struct Source {
    // Immutable after Start.
    eventlog::TopicPartition tp;
    prometheus::Gauge* lag_gauge = nullptr;
    // Guarded by Projector::mu_.
    int64_t next_offset = 0;
    int64_t high_watermark = 0;
    int64_t events_applied = 0;
    absl::Status last_error;
  };

  Projector(eventlog::EventLog* log, ProjectionStore* store, ApplyFn apply,
            ProjectorOptions options);

  // The subscription handler of `source`.
  absl::Status ApplyEntries(Source& source, const std::vector<eventlog::Entry>& entries);
  // Polls the high watermarks and updates the cached values and the lag gauges.
  void RefreshHighWatermarks() const;
  void RefreshLoop();

  eventlog::EventLog* const log_;
  ProjectionStore* const store_;
  const ApplyFn apply_;
  const ProjectorOptions options_;

  mutable absl::Mutex mu_;
  // One per source, at stable addresses (the subscriptions' handlers point at them). The
  // vector is fixed after Start; the mutable fields of each Source are guarded by mu_.
  std::vector<std::unique_ptr<Source>> sources_;
  std::atomic<int64_t> events_applied_{0};

  absl::Notification stop_;
  std::thread refresher_;
  // Declared last so that they are destroyed first (the destructor also stops them
  // explicitly): their handlers use the members above.
  std::vector<std::unique_ptr<eventlog::Subscription>> subscriptions_;
};

}  // namespace samrad::projection

#endif  // SAMRAD_LIBS_PROJECTION_PROJECTOR_H_
