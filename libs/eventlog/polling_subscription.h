#ifndef SAMRAD_LIBS_EVENTLOG_POLLING_SUBSCRIPTION_H_
#define SAMRAD_LIBS_EVENTLOG_POLLING_SUBSCRIPTION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "libs/eventlog/event_log.h"

namespace samrad::eventlog {

// A Subscription built on a blocking read: one thread reads from the position, hands each
// batch to the handler and advances only after the handler succeeded; after a read or
// handler error it waits (exponential backoff) and delivers from the same position again.
// Both backends use it: the embedded log over EventLog::Read, Kafka over a consumer of the
// subscription's own.
class PollingSubscription : public Subscription {
 public:
  // Reads up to `max` entries from `from`, waiting up to `wait` when none is available.
  using ReadFn = std::function<absl::StatusOr<std::vector<Entry>>(int64_t from, size_t max,
                                                                  absl::Duration wait)>;

  PollingSubscription(ReadFn read, TopicPartition tp, int64_t from_offset, Handler handler,
                      SubscribeOptions options);
  // Reads through `log->Read`; `log` must outlive the subscription.
  PollingSubscription(EventLog* log, TopicPartition tp, int64_t from_offset, Handler handler,
                      SubscribeOptions options);
  ~PollingSubscription() override;

  PollingSubscription(const PollingSubscription&) = delete;
  PollingSubscription& operator=(const PollingSubscription&) = delete;

  int64_t position() const override { return position_.load(std::memory_order_acquire); }

 private:
  void Run();

  const ReadFn read_;
  const TopicPartition tp_;
  const Handler handler_;
  const SubscribeOptions options_;
  std::atomic<int64_t> position_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_POLLING_SUBSCRIPTION_H_
