#ifndef SAMRAD_BENCH_LOAD_DRIVER_H_
#define SAMRAD_BENCH_LOAD_DRIVER_H_

// Closed-loop and open-loop load over asynchronous gRPC calls, with latencies.
//
// - Closed loop (saturation): `concurrency` calls are outstanding at all times; each
//   completion starts the next call at once. Throughput is the number of calls that complete
//   inside the measurement window divided by its length.
// - Open loop (a fixed load): call i is due at start + i / rate, whatever happened to the
//   calls before it, and its latency runs from that scheduled time, not from when the client
//   got round to sending it. A server that stalls therefore shows the stall in the latency
//   of every call that was due during it (no coordinated omission).

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace samrad::bench {

// Called once when a call ends, on a gRPC thread.
using DoneFn = std::function<void(const grpc::Status&)>;

// One kind of call.
class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string name() const = 0;
  // Starts one asynchronous call that runs `done` when it ends. Returns false (and does not
  // call `done`) when no call can be started now, e.g. nothing is free to update.
  virtual bool Start(DoneFn done) = 0;
};

struct LatencySummary {
  int64_t count = 0;
  double mean_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
};

// Percentiles by the nearest-rank method over every sample (no histogram buckets).
LatencySummary Summarize(std::vector<int64_t> nanos);

struct PhaseResult {
  std::string workload;
  // "closed" or "open".
  std::string mode;
  // Closed loop: calls outstanding.
  int concurrency = 0;
  // Open loop: the scheduled rate (calls per second).
  double target_rate = 0;
  // The measurement window (after the warm-up).
  double window_seconds = 0;
  // Calls that ended inside the window (closed loop), or were due in it (open loop).
  int64_t ok = 0;
  // Successful calls of the whole phase, warm-up and drain included (for CPU per call).
  int64_t all_ok = 0;
  int64_t errors = 0;
  // Status code name → count, for the errors.
  std::map<std::string, int64_t> error_codes;
  // Calls the workload could not start (closed loop) or that were not sent because
  // `max_outstanding` calls were still open (open loop: the server could not keep up).
  int64_t skipped = 0;
  // Successful calls per second in the window.
  double rate = 0;
  LatencySummary latency;
  // Open loop: the most calls outstanding at once, and how late the client sent a call
  // after its scheduled time at worst (its own lag; included in the latency).
  int64_t max_outstanding = 0;
  double max_send_lag_ms = 0;
  // False if calls were still open when the driver gave up waiting for them.
  bool drained = true;
  // Filled in by the caller: CPU time per successful call, server and client process.
  double server_cpu_us_per_call = 0;
  double client_cpu_us_per_call = 0;
};

// Keeps `concurrency` calls outstanding for warmup + duration, then waits for the open calls
// to end (at most `drain_timeout`). Only calls ending after the warm-up are measured.
PhaseResult RunClosedLoop(Workload& workload, int concurrency, absl::Duration warmup,
                          absl::Duration duration,
                          absl::Duration drain_timeout = absl::Seconds(60));

// Starts calls at `rate` per second for warmup + duration, then waits for the open calls to
// end. Calls due during the warm-up are not measured. At most `max_outstanding` calls are
// open at once; a call due beyond that is not sent and counted in `skipped`.
PhaseResult RunOpenLoop(Workload& workload, double rate, absl::Duration warmup,
                        absl::Duration duration, int64_t max_outstanding = 20000,
                        absl::Duration drain_timeout = absl::Seconds(60));

}  // namespace samrad::bench

#endif  // SAMRAD_BENCH_LOAD_DRIVER_H_
