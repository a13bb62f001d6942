#include "libs/common/work_pool.h"

#include <algorithm>
#include <utility>

namespace samrad::common {

WorkPool::WorkPool(std::string name, size_t threads) : name_(std::move(name)) {
  threads_.reserve(std::max<size_t>(threads, 1));
  for (size_t i = 0; i < std::max<size_t>(threads, 1); ++i) {
    threads_.emplace_back([this] { Loop(); });
  }
}

WorkPool::~WorkPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool WorkPool::Submit(absl::AnyInvocable<void() &&> work) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    queue_.push_back(std::move(work));
  }
  ready_.notify_one();
  return true;
}

void WorkPool::Loop() {
  while (true) {
    absl::AnyInvocable<void() &&> work;
    {
      std::unique_lock lock(mu_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Drain before stopping: submitted work has a caller waiting for it (a gRPC call).
      if (queue_.empty()) return;
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    std::move(work)();
  }
}

}  // namespace samrad::common
