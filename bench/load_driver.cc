#include "bench/load_driver.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "libs/api/errors.h"

namespace samrad::bench {
namespace {

double Ms(int64_t nanos) { return static_cast<double>(nanos) / 1e6; }

// What the callbacks of one phase record. Shared with the callbacks, so that a call still
// open after the driver gave up cannot touch freed memory.
struct Recorder {
  absl::Mutex mu;
  std::vector<int64_t> latencies ABSL_GUARDED_BY(mu);
  int64_t ok ABSL_GUARDED_BY(mu) = 0;
  int64_t all_ok ABSL_GUARDED_BY(mu) = 0;
  int64_t errors ABSL_GUARDED_BY(mu) = 0;
  std::map<std::string, int64_t> error_codes ABSL_GUARDED_BY(mu);

  // A call outside the measurement window: counted for CPU per call only.
  void CountOutside(const grpc::Status& status) {
    absl::MutexLock lock(&mu);
    if (status.ok()) ++all_ok;
  }

  void Record(absl::Duration latency, const grpc::Status& status) {
    absl::MutexLock lock(&mu);
    if (status.ok()) {
      ++ok;
      ++all_ok;
      latencies.push_back(absl::ToInt64Nanoseconds(latency));
    } else {
      ++errors;
      ++error_codes[api::GrpcCodeName(status.error_code())];
    }
  }

  void Fill(PhaseResult& result) {
    absl::MutexLock lock(&mu);
    result.ok = ok;
    result.all_ok = all_ok;
    result.errors = errors;
    result.error_codes = error_codes;
    result.rate = result.window_seconds > 0 ? static_cast<double>(ok) / result.window_seconds : 0;
    result.latency = Summarize(latencies);
  }
};

// Waits until `*open` is zero (under `mu`), at most `timeout`; true if it got there.
bool WaitForZero(absl::Mutex& mu, const int64_t* open, absl::Duration timeout) {
  absl::MutexLock lock(&mu);
  return mu.AwaitWithTimeout(absl::Condition(
                                 +[](const int64_t* n) { return *n == 0; }, open),
                             timeout);
}

struct ClosedLoop : std::enable_shared_from_this<ClosedLoop> {
  ClosedLoop(Workload& w, absl::Time from, absl::Time to)
      : workload(w), measure_from(from), measure_to(to) {}

  // Starts the next call of one slot, or ends the slot.
  void Issue() {
    if (absl::Now() >= measure_to) return EndSlot();
    const absl::Time start = absl::Now();
    std::shared_ptr<ClosedLoop> self = shared_from_this();
    const bool started = workload.Start([self, start](const grpc::Status& status) {
      const absl::Time end = absl::Now();
      if (end >= self->measure_from && end < self->measure_to) {
        self->recorder.Record(end - start, status);
      } else {
        self->recorder.CountOutside(status);
      }
      self->Issue();
    });
    if (!started) {
      {
        absl::MutexLock lock(&mu);
        ++skipped;
      }
      EndSlot();
    }
  }

  void EndSlot() {
    absl::MutexLock lock(&mu);
    --open_slots;
  }

  Workload& workload;
  const absl::Time measure_from;
  const absl::Time measure_to;
  Recorder recorder;
  absl::Mutex mu;
  int64_t open_slots ABSL_GUARDED_BY(mu) = 0;
  int64_t skipped ABSL_GUARDED_BY(mu) = 0;
};

struct OpenLoop {
  Recorder recorder;
  absl::Mutex mu;
  int64_t outstanding ABSL_GUARDED_BY(mu) = 0;
  int64_t max_outstanding ABSL_GUARDED_BY(mu) = 0;
};

}  // namespace

LatencySummary Summarize(std::vector<int64_t> nanos) {
  LatencySummary s;
  s.count = static_cast<int64_t>(nanos.size());
  if (nanos.empty()) return s;
  std::sort(nanos.begin(), nanos.end());
  auto rank = [&](double p) {
    const auto n = static_cast<double>(nanos.size());
    const auto index = static_cast<size_t>(std::max(1.0, std::ceil(p * n))) - 1;
    return Ms(nanos[std::min(index, nanos.size() - 1)]);
  };
  double total = 0;
  for (int64_t v : nanos) total += static_cast<double>(v);
  s.mean_ms = total / static_cast<double>(nanos.size()) / 1e6;
  s.p50_ms = rank(0.50);
  s.p90_ms = rank(0.90);
  s.p99_ms = rank(0.99);
  s.p999_ms = rank(0.999);
  s.max_ms = Ms(nanos.back());
  return s;
}

PhaseResult RunClosedLoop(Workload& workload, int concurrency, absl::Duration warmup,
                          absl::Duration duration, absl::Duration drain_timeout) {
  PhaseResult result;
  result.workload = workload.name();
  result.mode = "closed";
  result.concurrency = concurrency;
  result.window_seconds = absl::ToDoubleSeconds(duration);
  const absl::Time start = absl::Now();
  auto loop = std::make_shared<ClosedLoop>(workload, start + warmup, start + warmup + duration);
  {
    absl::MutexLock lock(&loop->mu);
    loop->open_slots = concurrency;
  }
  for (int i = 0; i < concurrency; ++i) loop->Issue();
  absl::SleepFor(loop->measure_to - absl::Now());
  result.drained = WaitForZero(loop->mu, &loop->open_slots, drain_timeout);
  {
    absl::MutexLock lock(&loop->mu);
    result.skipped = loop->skipped;
  }
  loop->recorder.Fill(result);
  return result;
}

PhaseResult RunOpenLoop(Workload& workload, double rate, absl::Duration warmup,
                        absl::Duration duration, int64_t max_outstanding,
                        absl::Duration drain_timeout) {
  PhaseResult result;
  result.workload = workload.name();
  result.mode = "open";
  result.target_rate = rate;
  result.window_seconds = absl::ToDoubleSeconds(duration);
  auto loop = std::make_shared<OpenLoop>();
  const absl::Duration interval = absl::Seconds(1.0 / rate);
  const absl::Time start = absl::Now() + absl::Milliseconds(1);
  const absl::Time measure_from = start + warmup;
  const absl::Time end = measure_from + duration;
  absl::Duration max_lag;
  int64_t skipped = 0;
  for (int64_t i = 0;; ++i) {
    const absl::Time due = start + interval * i;
    if (due >= end) break;
    const absl::Time now = absl::Now();
    if (due > now) absl::SleepFor(due - now);
    max_lag = std::max(max_lag, absl::Now() - due);
    const bool measured = due >= measure_from;
    {
      absl::MutexLock lock(&loop->mu);
      if (loop->outstanding >= max_outstanding) {
        if (measured) ++skipped;
        continue;
      }
      ++loop->outstanding;
      loop->max_outstanding = std::max(loop->max_outstanding, loop->outstanding);
    }
    const bool started = workload.Start([loop, due, measured](const grpc::Status& status) {
      if (measured) {
        loop->recorder.Record(absl::Now() - due, status);
      } else {
        loop->recorder.CountOutside(status);
      }
      absl::MutexLock lock(&loop->mu);
      --loop->outstanding;
    });
    if (!started) {
      absl::MutexLock lock(&loop->mu);
      --loop->outstanding;
      if (measured) ++skipped;
    }
  }
  result.drained = WaitForZero(loop->mu, &loop->outstanding, drain_timeout);
  {
    absl::MutexLock lock(&loop->mu);
    result.max_outstanding = loop->max_outstanding;
  }
  result.skipped = skipped;
  result.max_send_lag_ms = absl::ToDoubleMilliseconds(max_lag);
  loop->recorder.Fill(result);
  return result;
}

}  // namespace samrad::bench
