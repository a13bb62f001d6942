#ifndef SAMRAD_LIBS_COMMON_WORK_POOL_H_
#define SAMRAD_LIBS_COMMON_WORK_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"

namespace samrad::common {

// A fixed set of threads that run submitted work in the order it was submitted.
//
// For work that blocks, so that it does not hold threads that must not block: a write
// command waits for its partition's lock and for the log's fsync, and gRPC's callback API
// has only a few threads (as many as cores), which health checks and reads need too. With
// the work on a pool of its own, many commands can wait for the same fsync at once, and
// the log makes them durable together (docs/adr/0008-pipelined-durability.md).
//
// Thread-safety: Submit may be called from any thread, also from work running on the pool.
// The destructor stops accepting work, runs what was submitted before it, and joins.
class WorkPool {
 public:
  // `threads` >= 1; `name` shows in logs.
  WorkPool(std::string name, size_t threads);
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;
  ~WorkPool();

  // Queues `work`. Returns false (and drops it) once the pool is being destroyed.
  bool Submit(absl::AnyInvocable<void() &&> work);

  size_t threads() const { return threads_.size(); }

 private:
  void Loop();

  const std::string name_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<absl::AnyInvocable<void() &&>> queue_;  // Guarded by mu_.
  bool stopping_ = false;                            // Guarded by mu_.
  std::vector<std::thread> threads_;
};

}  // namespace samrad::common

#endif  // SAMRAD_LIBS_COMMON_WORK_POOL_H_
