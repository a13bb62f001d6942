#include "libs/common/work_pool.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "absl/synchronization/barrier.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace samrad::common {
namespace {

TEST(WorkPoolTest, RunsEverySubmittedWorkOnce) {
  std::atomic<int> runs = 0;
  {
    WorkPool pool("test", 3);
    EXPECT_EQ(pool.threads(), 3u);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(pool.Submit([&runs] { ++runs; }));
  }  // The destructor drains the queue.
  EXPECT_EQ(runs.load(), 1000);
}

TEST(WorkPoolTest, ZeroThreadsMeansOne) {
  absl::Notification done;
  WorkPool pool("test", 0);
  EXPECT_EQ(pool.threads(), 1u);
  pool.Submit([&done] { done.Notify(); });
  done.WaitForNotification();
}

TEST(WorkPoolTest, BlockingWorkDoesNotHoldTheOthers) {
  // Four pieces of work that each wait until all four run: they can only finish if the
  // pool runs them at the same time.
  constexpr int kThreads = 4;
  WorkPool pool("test", kThreads);
  auto barrier = std::make_shared<absl::Barrier>(kThreads);
  absl::Notification all;
  std::atomic<int> passed = 0;
  for (int i = 0; i < kThreads; ++i) {
    pool.Submit([barrier, &passed, &all] {
      barrier->Block();
      if (++passed == kThreads) all.Notify();
    });
  }
  all.WaitForNotification();
  EXPECT_EQ(passed.load(), kThreads);
}

TEST(WorkPoolTest, WorkMaySubmitMoreWork) {
  absl::Notification done;
  WorkPool pool("test", 1);
  pool.Submit([&pool, &done] { pool.Submit([&done] { done.Notify(); }); });
  done.WaitForNotification();
}

TEST(WorkPoolTest, MoveOnlyWork) {
  absl::Notification done;
  WorkPool pool("test", 2);
  auto owned = std::make_unique<int>(7);
  std::atomic<int> seen = 0;
  pool.Submit([p = std::move(owned), &seen, &done] {
    seen = *p;
    done.Notify();
  });
  done.WaitForNotification();
  EXPECT_EQ(seen.load(), 7);
}

}  // namespace
}  // namespace samrad::common
