#include "libs/eventlog/polling_subscription.h"

#include <algorithm>
#include <utility>

#include "libs/common/log.h"

namespace samrad::eventlog {
namespace {
// Upper bound for one blocking Read, so that destruction never waits longer than this.
constexpr absl::Duration kReadWait = absl::Milliseconds(100);
}  // namespace

PollingSubscription::PollingSubscription(EventLog* log, TopicPartition tp, int64_t from_offset,
                                         Handler handler, SubscribeOptions options)
    : PollingSubscription([log, tp](int64_t from, size_t max,
                                    absl::Duration wait) { return log->Read(tp, from, max, wait); },
                          tp, from_offset, std::move(handler), options) {}

PollingSubscription::PollingSubscription(ReadFn read, TopicPartition tp, int64_t from_offset,
                                         Handler handler, SubscribeOptions options)
    : read_(std::move(read)),
      tp_(std::move(tp)),
      handler_(std::move(handler)),
      options_(options),
      position_(from_offset) {
  thread_ = std::thread([this] { Run(); });
}

PollingSubscription::~PollingSubscription() {
  stopping_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
}

void PollingSubscription::Run() {
  absl::Duration backoff = options_.initial_backoff;
  auto sleep_backoff = [&] {
    // Sleep in short steps so that a stop request is honoured promptly.
    const absl::Time until = absl::Now() + backoff;
    while (!stopping_.load(std::memory_order_acquire) && absl::Now() < until) {
      absl::SleepFor(std::min(absl::Milliseconds(10), until - absl::Now()));
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
  };
  while (!stopping_.load(std::memory_order_acquire)) {
    const int64_t from = position_.load(std::memory_order_relaxed);
    auto entries = read_(from, std::max<size_t>(options_.max_batch, 1), kReadWait);
    if (!entries.ok()) {
      SAMRAD_LOG_WARN("subscription {}: read from {} failed: {}", tp_.ToString(), from,
                      entries.status().ToString());
      sleep_backoff();
      continue;
    }
    if (entries->empty()) continue;
    if (absl::Status s = handler_(*entries); !s.ok()) {
      SAMRAD_LOG_WARN("subscription {}: handler failed at offset {}: {}", tp_.ToString(),
                      entries->front().offset, s.ToString());
      sleep_backoff();
      continue;
    }
    backoff = options_.initial_backoff;
    position_.store(entries->back().offset + 1, std::memory_order_release);
  }
}

}  // namespace samrad::eventlog
