// ProjectionStore::WaitUntilApplied, the read barrier of cross-topic reads: a reader that
// knows the offset of an event (e.g. from another service's answer) waits until its
// projection has applied it.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/eventlog/embedded_event_log.h"
#include "libs/projection/projection_store.h"
#include "libs/projection/projector.h"
#include "tests/testing/temp_dir.h"

namespace samrad::projection {
namespace {

using ::testing::HasSubstr;

const eventlog::TopicPartition kSource{"registry.events.v1", 0};
const eventlog::TopicPartition kOtherSource{"registry.events.v1", 1};

// Long enough never to be reached when the barrier works; a broken wake-up fails the test
// with DEADLINE_EXCEEDED instead of hanging it.
constexpr absl::Duration kLongWait = absl::Seconds(30);

absl::Status PutOffset(Transaction& tx) {
  tx.Put(Cf::kState, "last", std::to_string(tx.offset()));
  return absl::OkStatus();
}

absl::Status ApplyOne(ProjectionStore& store, const eventlog::TopicPartition& source,
                      int64_t offset) {
  return store.Apply(source, offset, PutOffset);
}

class ProjectionStoreBarrierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = ProjectionStore::Open({.path = dir_.Sub("store")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // Runs WaitUntilApplied(source, offset, kLongWait) on a thread of its own: `started` is
  // notified just before the call. Join the thread before reading `wait`.
  struct Wait {
    absl::Notification started;
    absl::Status result = absl::UnknownError("not run");
    absl::Duration elapsed;
  };
  std::thread WaitOnThread(const eventlog::TopicPartition& source, int64_t offset, Wait* wait) {
    return std::thread([this, source, offset, wait] {
      wait->started.Notify();
      const absl::Time start = absl::Now();
      wait->result = store_->WaitUntilApplied(source, offset, kLongWait);
      wait->elapsed = absl::Now() - start;
    });
  }

  // Applies offsets from..to of `source` one at a time: a waiter for `to` is then all but
  // certainly blocked before the last apply, so a lost wake-up shows as a wait of kLongWait.
  void ApplyEach(const eventlog::TopicPartition& source, int64_t from, int64_t to) {
    for (int64_t offset = from; offset <= to; ++offset) {
      ASSERT_TRUE(ApplyOne(*store_, source, offset).ok());
    }
  }

  samrad::testutil::TempDir dir_;
  std::unique_ptr<ProjectionStore> store_;
};

TEST_F(ProjectionStoreBarrierTest, ReturnsAtOnceWhenAlreadyApplied) {
  ApplyEach(kSource, 0, 2);
  // A zero timeout: only an offset already applied can answer OK.
  EXPECT_TRUE(store_->WaitUntilApplied(kSource, 0, absl::ZeroDuration()).ok());
  EXPECT_TRUE(store_->WaitUntilApplied(kSource, 2, absl::ZeroDuration()).ok());
  EXPECT_EQ(store_->WaitUntilApplied(kSource, 3, absl::ZeroDuration()).code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST_F(ProjectionStoreBarrierTest, WakesWhenALaterApplyLandsOnAnotherThread) {
  Wait wait;
  std::thread waiter = WaitOnThread(kSource, 40, &wait);
  wait.started.WaitForNotification();
  ApplyEach(kSource, 0, 40);
  waiter.join();
  EXPECT_TRUE(wait.result.ok()) << wait.result;
  // Woken by the apply, not by its timeout.
  EXPECT_LT(wait.elapsed, kLongWait / 2);
}

TEST_F(ProjectionStoreBarrierTest, AnEarlierOffsetDoesNotSatisfyIt) {
  ApplyEach(kSource, 0, 9);
  // Offsets 0..9 are applied; a wait for 10 keeps waiting through the applies of another
  // source, and ends with the apply of 10.
  Wait wait;
  std::thread waiter = WaitOnThread(kSource, 10, &wait);
  wait.started.WaitForNotification();
  ApplyEach(kOtherSource, 0, 19);
  EXPECT_EQ(store_->WaitUntilApplied(kSource, 10, absl::ZeroDuration()).code(),
            absl::StatusCode::kDeadlineExceeded);
  ASSERT_TRUE(ApplyOne(*store_, kSource, 10).ok());
  waiter.join();
  EXPECT_TRUE(wait.result.ok()) << wait.result;
  EXPECT_LT(wait.elapsed, kLongWait / 2);
}

TEST_F(ProjectionStoreBarrierTest, TimesOutWithDeadlineExceeded) {
  ASSERT_TRUE(ApplyOne(*store_, kSource, 0).ok());
  const absl::Duration timeout = absl::Milliseconds(50);
  const absl::Time start = absl::Now();
  const absl::Status s = store_->WaitUntilApplied(kSource, 1, timeout);
  EXPECT_GE(absl::Now() - start, timeout);
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded) << s;
  EXPECT_THAT(s.message(), HasSubstr("registry.events.v1"));
  EXPECT_THAT(s.message(), HasSubstr("next offset to apply is 1"));
  // Applies of another source do not end the wait early, nor satisfy it.
  EXPECT_EQ(store_->WaitUntilApplied(kOtherSource, 0, absl::ZeroDuration()).code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST_F(ProjectionStoreBarrierTest, AnOffsetReachedByABatchApply) {
  ApplyEach(kSource, 0, 9);
  // Offsets inside one batch of 10..29: its first, one in the middle, its last.
  const std::vector<int64_t> offsets = {10, 17, 29};
  std::vector<Wait> waits(offsets.size());
  std::vector<std::thread> waiters;
  for (size_t i = 0; i < offsets.size(); ++i) {
    waiters.push_back(WaitOnThread(kSource, offsets[i], &waits[i]));
  }
  for (Wait& wait : waits) wait.started.WaitForNotification();
  // Applies of another source first, so the waiters are blocked when the batch lands.
  ApplyEach(kOtherSource, 0, 19);
  absl::StatusOr<int64_t> applied =
      store_->ApplyBatch(kSource, 10, 20, [](int64_t, Transaction& tx) { return PutOffset(tx); });
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 20);
  for (std::thread& t : waiters) t.join();
  for (const Wait& wait : waits) {
    EXPECT_TRUE(wait.result.ok()) << wait.result;
    EXPECT_LT(wait.elapsed, kLongWait / 2);
  }
  EXPECT_EQ(store_->WaitUntilApplied(kSource, 30, absl::ZeroDuration()).code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST_F(ProjectionStoreBarrierTest, AFailedApplyDoesNotSatisfyIt) {
  absl::StatusOr<int64_t> applied =
      store_->ApplyBatch(kSource, 0, 2, [](int64_t offset, Transaction& tx) -> absl::Status {
        if (offset == 1) return absl::InternalError("boom");
        return PutOffset(tx);
      });
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(store_->WaitUntilApplied(kSource, 0, absl::ZeroDuration()).code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST_F(ProjectionStoreBarrierTest, RefusesANegativeOffset) {
  EXPECT_EQ(store_->WaitUntilApplied(kSource, -1, kLongWait).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ProjectionStoreBarrierTest, AWaitSpanningAWipeEndsWhenTheRebuildReachesTheOffset) {
  ApplyEach(kSource, 0, 2);
  ASSERT_TRUE(store_->Wipe().ok());
  EXPECT_EQ(store_->WaitUntilApplied(kSource, 0, absl::ZeroDuration()).code(),
            absl::StatusCode::kDeadlineExceeded);
  Wait wait;
  std::thread waiter = WaitOnThread(kSource, 20, &wait);
  wait.started.WaitForNotification();
  ApplyEach(kSource, 0, 20);
  waiter.join();
  EXPECT_TRUE(wait.result.ok()) << wait.result;
  EXPECT_LT(wait.elapsed, kLongWait / 2);
}

// The use it exists for: a projection that follows a topic through a Projector, read right
// after the record it needs was appended by someone else.
TEST_F(ProjectionStoreBarrierTest, WaitsForAProjectorFollowingTheLog) {
  auto log = eventlog::EmbeddedEventLog::Open({.path = dir_.Sub("log"), .sync = false});
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->EnsureTopic(kSource.topic, 2).ok());
  auto projector = Projector::Start(
      log->get(), store_.get(),
      [](const eventlog::TopicPartition&, const eventlog::Entry& entry, Transaction& tx) {
        tx.Put(Cf::kState, "value", entry.value);
        return absl::OkStatus();
      },
      {.name = "barrier", .sources = {kSource}});
  ASSERT_TRUE(projector.ok()) << projector.status();

  for (int i = 0; i < 5; ++i) {
    auto offsets = (*log)->Append(
        kSource, {eventlog::Record{.key = "1280", .value = absl::StrCat("v", i), .headers = {}}});
    ASSERT_TRUE(offsets.ok()) << offsets.status();
    ASSERT_EQ(offsets->size(), 1u);
    const absl::Time start = absl::Now();
    ASSERT_TRUE(store_->WaitUntilApplied(kSource, offsets->front(), kLongWait).ok());
    EXPECT_LT(absl::Now() - start, kLongWait / 2);
    // The barrier held: the read sees the record just appended.
    auto value = store_->Get(Cf::kState, "value");
    ASSERT_TRUE(value.ok()) << value.status();
    EXPECT_EQ(value->value_or(""), absl::StrCat("v", i));
  }
}

}  // namespace
}  // namespace samrad::projection
