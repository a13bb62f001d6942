#ifndef SAMRAD_LIBS_EVENTLOG_INSTRUMENTED_EVENT_LOG_H_
#define SAMRAD_LIBS_EVENTLOG_INSTRUMENTED_EVENT_LOG_H_

#include <memory>
#include <string>
#include <vector>

#include "libs/eventlog/event_log.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace samrad::eventlog {

// The event log's metrics, labelled by backend only (topics are few, but they are not needed
// to tell a slow disk from a slow broker).
struct EventLogMetrics {
  // samrad_eventlog_append_latency_seconds: Append calls, from call to durable, and
  // AppendDeferred calls, from call to written.
  prometheus::Histogram& append_latency;
  // samrad_eventlog_durable_wait_seconds: AwaitDurable calls, from call to durable (the
  // shared fsync a deferred append waits for).
  prometheus::Histogram& durable_wait;
  // samrad_eventlog_appended_events_total: records made durable.
  prometheus::Counter& appended_events;
  // samrad_eventlog_append_errors_total: Append calls that failed.
  prometheus::Counter& append_errors;
  // samrad_eventlog_read_events_total: records returned by Read.
  prometheus::Counter& read_events;

  static EventLogMetrics Create(prometheus::Registry& registry, std::string_view backend);
};

// Decorates any EventLog with EventLogMetrics; the one place where the log is measured.
class InstrumentedEventLog : public EventLog {
 public:
  InstrumentedEventLog(std::unique_ptr<EventLog> inner, EventLogMetrics metrics);

  absl::Status EnsureTopic(const std::string& topic, int32_t partitions) override;
  absl::StatusOr<std::vector<int64_t>> Append(const TopicPartition& tp,
                                              std::vector<Record> records) override;
  absl::StatusOr<std::vector<int64_t>> AppendDeferred(const TopicPartition& tp,
                                                      std::vector<Record> records) override;
  absl::Status AwaitDurable(const TopicPartition& tp, int64_t end_offset) override;
  absl::StatusOr<std::vector<Entry>> Read(const TopicPartition& tp, int64_t from_offset,
                                          size_t max_records, absl::Duration wait) override;
  absl::StatusOr<int64_t> HighWatermark(const TopicPartition& tp) override;
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(const TopicPartition& tp,
                                                          int64_t from_offset, Handler handler,
                                                          SubscribeOptions options) override;
  std::string_view backend() const override { return inner_->backend(); }

 private:
  using AppendFn = absl::StatusOr<std::vector<int64_t>> (EventLog::*)(const TopicPartition&,
                                                                      std::vector<Record>);
  absl::StatusOr<std::vector<int64_t>> Measure(AppendFn append, const TopicPartition& tp,
                                               std::vector<Record> records);

  std::unique_ptr<EventLog> inner_;
  EventLogMetrics metrics_;
};

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_INSTRUMENTED_EVENT_LOG_H_
