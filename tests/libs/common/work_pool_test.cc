#include "libs/common/work_pool.h"

#include <atomic>
#include <memory>
#include <thread>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace samrad::common {
namespace {

// Every wait of these tests is bounded by this, so that a broken pool (one that loses work,
// runs it on too few threads, or never returns from its destructor) fails the test instead
// of hanging it. Reached only when the pool is broken.
constexpr absl::Duration kTimeout = absl::Seconds(30);

// Work captures shared state by shared_ptr, never by reference to the test's stack: after
// a timeout the test returns while a broken pool may still run (or hold) the work. For the
// same reason no test returns early (ASSERT) while it still owns a pool: every pool is
// destroyed through DestroyWithin.

// Destroys `pool` (the only owner) on a thread of its own and waits up to kTimeout for the
// destructor, which drains the queue and joins the threads. On a timeout the thread is left
// behind with the pool, and the test fails.
::testing::AssertionResult DestroyWithin(std::shared_ptr<WorkPool> pool) {
  auto destroyed = std::make_shared<absl::Notification>();
  std::thread([pool = std::move(pool), destroyed]() mutable {
    pool.reset();
    destroyed->Notify();
  }).detach();
  if (destroyed->WaitForNotificationWithTimeout(kTimeout)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "the pool's destructor did not return within " << absl::FormatDuration(kTimeout);
}

// A barrier whose wait gives up: Arrive blocks until `count` parties have arrived, or
// until kTimeout has passed (then returns false).
class Gate {
 public:
  explicit Gate(int count) : count_(count) {}
  bool Arrive() {
    absl::MutexLock lock(&mu_);
    ++arrived_;
    auto all = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return arrived_ >= count_; };
    return mu_.AwaitWithTimeout(absl::Condition(&all), kTimeout);
  }

 private:
  const int count_;
  absl::Mutex mu_;
  int arrived_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST(WorkPoolTest, RunsEverySubmittedWorkOnce) {
  auto runs = std::make_shared<std::atomic<int>>(0);
  auto pool = std::make_shared<WorkPool>("test", 3);
  EXPECT_EQ(pool->threads(), 3u);
  int submitted = 0;
  for (int i = 0; i < 1000; ++i) submitted += pool->Submit([runs] { ++*runs; }) ? 1 : 0;
  EXPECT_EQ(submitted, 1000);
  // The destructor drains the queue.
  ASSERT_TRUE(DestroyWithin(std::move(pool)));
  EXPECT_EQ(runs->load(), 1000);
}

TEST(WorkPoolTest, ZeroThreadsMeansOne) {
  auto done = std::make_shared<absl::Notification>();
  auto pool = std::make_shared<WorkPool>("test", 0);
  EXPECT_EQ(pool->threads(), 1u);
  EXPECT_TRUE(pool->Submit([done] { done->Notify(); }));
  EXPECT_TRUE(done->WaitForNotificationWithTimeout(kTimeout)) << "the work never ran";
  EXPECT_TRUE(DestroyWithin(std::move(pool)));
}

TEST(WorkPoolTest, BlockingWorkDoesNotHoldTheOthers) {
  // Four pieces of work that each wait until all four run: they can only pass the gate if
  // the pool runs them at the same time. On a pool that runs fewer at once, the gate gives
  // up after kTimeout and the work counts as not passed.
  constexpr int kThreads = 4;
  auto pool = std::make_shared<WorkPool>("test", kThreads);
  auto gate = std::make_shared<Gate>(kThreads);
  auto passed = std::make_shared<std::atomic<int>>(0);
  auto finished = std::make_shared<std::atomic<int>>(0);
  auto all_finished = std::make_shared<absl::Notification>();
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_TRUE(pool->Submit([gate, passed, finished, all_finished] {
      if (gate->Arrive()) ++*passed;
      if (++*finished == kThreads) all_finished->Notify();
    }));
  }
  // Twice the gate's timeout: work that waited at the gate in vain still gets to finish.
  EXPECT_TRUE(all_finished->WaitForNotificationWithTimeout(2 * kTimeout))
      << finished->load() << " of " << kThreads << " pieces of work finished";
  EXPECT_EQ(passed->load(), kThreads) << "the pool did not run " << kThreads << " at once";
  EXPECT_TRUE(DestroyWithin(std::move(pool)));
}

TEST(WorkPoolTest, WorkMaySubmitMoreWork) {
  auto done = std::make_shared<absl::Notification>();
  auto resubmitted = std::make_shared<std::atomic<bool>>(false);
  auto pool = std::make_shared<WorkPool>("test", 1);
  WorkPool* const raw = pool.get();  // valid while work runs: the destructor drains first
  EXPECT_TRUE(pool->Submit(
      [raw, done, resubmitted] { *resubmitted = raw->Submit([done] { done->Notify(); }); }));
  EXPECT_TRUE(done->WaitForNotificationWithTimeout(kTimeout)) << "the inner work never ran";
  EXPECT_TRUE(resubmitted->load());
  EXPECT_TRUE(DestroyWithin(std::move(pool)));
}

TEST(WorkPoolTest, MoveOnlyWork) {
  auto done = std::make_shared<absl::Notification>();
  auto seen = std::make_shared<std::atomic<int>>(0);
  auto pool = std::make_shared<WorkPool>("test", 2);
  auto owned = std::make_unique<int>(7);
  EXPECT_TRUE(pool->Submit([p = std::move(owned), seen, done] {
    *seen = *p;
    done->Notify();
  }));
  EXPECT_TRUE(done->WaitForNotificationWithTimeout(kTimeout)) << "the work never ran";
  EXPECT_EQ(seen->load(), 7);
  EXPECT_TRUE(DestroyWithin(std::move(pool)));
}

}  // namespace
}  // namespace samrad::common
