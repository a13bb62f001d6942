#include "libs/eventlog/instrumented_event_log.h"

#include <chrono>
#include <utility>

namespace samrad::eventlog {

EventLogMetrics EventLogMetrics::Create(prometheus::Registry& registry, std::string_view backend) {
  const prometheus::Labels labels{{"backend", std::string(backend)}};
  // 50 µs .. ~3 s, doubling: covers unsynced embedded appends up to a slow Kafka cluster.
  prometheus::Histogram::BucketBoundaries buckets;
  for (double b = 50e-6; b < 4.0; b *= 2) buckets.push_back(b);
  return EventLogMetrics{
      .append_latency = prometheus::BuildHistogram()
                            .Name("samrad_eventlog_append_latency_seconds")
                            .Help("Time from Append call until its records are durable")
                            .Register(registry)
                            .Add(labels, buckets),
      .durable_wait = prometheus::BuildHistogram()
                          .Name("samrad_eventlog_durable_wait_seconds")
                          .Help("Time a deferred append waits for its records to be durable")
                          .Register(registry)
                          .Add(labels, buckets),
      .appended_events = prometheus::BuildCounter()
                             .Name("samrad_eventlog_appended_events_total")
                             .Help("Records appended and durable")
                             .Register(registry)
                             .Add(labels),
      .append_errors = prometheus::BuildCounter()
                           .Name("samrad_eventlog_append_errors_total")
                           .Help("Append calls that failed")
                           .Register(registry)
                           .Add(labels),
      .read_events = prometheus::BuildCounter()
                         .Name("samrad_eventlog_read_events_total")
                         .Help("Records returned by reads")
                         .Register(registry)
                         .Add(labels),
  };
}

InstrumentedEventLog::InstrumentedEventLog(std::unique_ptr<EventLog> inner, EventLogMetrics metrics)
    : inner_(std::move(inner)), metrics_(metrics) {}

absl::Status InstrumentedEventLog::EnsureTopic(const std::string& topic, int32_t partitions) {
  return inner_->EnsureTopic(topic, partitions);
}

absl::StatusOr<std::vector<int64_t>> InstrumentedEventLog::Append(const TopicPartition& tp,
                                                                  std::vector<Record> records) {
  return Measure(&EventLog::Append, tp, std::move(records));
}

absl::StatusOr<std::vector<int64_t>> InstrumentedEventLog::AppendDeferred(
    const TopicPartition& tp, std::vector<Record> records) {
  return Measure(&EventLog::AppendDeferred, tp, std::move(records));
}

absl::Status InstrumentedEventLog::AwaitDurable(const TopicPartition& tp, int64_t end_offset) {
  const auto start = std::chrono::steady_clock::now();
  absl::Status status = inner_->AwaitDurable(tp, end_offset);
  metrics_.durable_wait.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!status.ok()) metrics_.append_errors.Increment();
  return status;
}

absl::StatusOr<std::vector<int64_t>> InstrumentedEventLog::Measure(AppendFn append,
                                                                   const TopicPartition& tp,
                                                                   std::vector<Record> records) {
  const size_t count = records.size();
  const auto start = std::chrono::steady_clock::now();
  auto result = (inner_.get()->*append)(tp, std::move(records));
  metrics_.append_latency.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (result.ok()) {
    metrics_.appended_events.Increment(static_cast<double>(count));
  } else {
    metrics_.append_errors.Increment();
  }
  return result;
}

absl::StatusOr<std::vector<Entry>> InstrumentedEventLog::Read(const TopicPartition& tp,
                                                              int64_t from_offset,
                                                              size_t max_records,
                                                              absl::Duration wait) {
  auto result = inner_->Read(tp, from_offset, max_records, wait);
  if (result.ok()) metrics_.read_events.Increment(static_cast<double>(result->size()));
  return result;
}

absl::StatusOr<int64_t> InstrumentedEventLog::HighWatermark(const TopicPartition& tp) {
  return inner_->HighWatermark(tp);
}

absl::StatusOr<std::unique_ptr<Subscription>> InstrumentedEventLog::Subscribe(
    const TopicPartition& tp, int64_t from_offset, Handler handler, SubscribeOptions options) {
  return inner_->Subscribe(
      tp, from_offset,
      [this, handler = std::move(handler)](const std::vector<Entry>& entries) {
        metrics_.read_events.Increment(static_cast<double>(entries.size()));
        return handler(entries);
      },
      options);
}

}  // namespace samrad::eventlog
