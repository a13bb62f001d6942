#ifndef SAMRAD_LIBS_EVENTLOG_POLLING_SUBSCRIPTION_H_
#define SAMRAD_LIBS_EVENTLOG_POLLING_SUBSCRIPTION_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include "libs/eventlog/event_log.h"

namespace samrad::eventlog {

// A Subscription built on EventLog::Read: one thread reads from the position, hands each
// batch to the handler and advances only after the handler succeeded. Backends whose Read
// blocks efficiently (both of ours) use it as their Subscribe.
class PollingSubscription : public Subscription {
 public:
  // `log` must outlive the subscription.
  PollingSubscription(EventLog* log, TopicPartition tp, int64_t from_offset, Handler handler,
                      SubscribeOptions options);
  ~PollingSubscription() override;

  PollingSubscription(const PollingSubscription&) = delete;
  PollingSubscription& operator=(const PollingSubscription&) = delete;

  int64_t position() const override { return position_.load(std::memory_order_acquire); }

 private:
  void Run();

  EventLog* const log_;
  const TopicPartition tp_;
  const Handler handler_;
  const SubscribeOptions options_;
  std::atomic<int64_t> position_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_POLLING_SUBSCRIPTION_H_
