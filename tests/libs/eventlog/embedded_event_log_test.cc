#include "libs/eventlog/embedded_event_log.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <latch>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "tests/libs/eventlog/event_log_contract.h"

namespace samrad::eventlog {
namespace {

using ::samrad::eventlog::testing::BackendName;
using ::samrad::eventlog::testing::EventLogBackend;
using ::samrad::eventlog::testing::EventLogContractTest;
using ::samrad::eventlog::testing::MakeRecords;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Options other than the path (which the fixtures set). Plain assignments rather than
// designated initialisers, which GCC 12 flags under -Wmissing-field-initializers.
EmbeddedEventLogOptions MakeOptions(bool sync, size_t max_group_records = 8192,
                                    absl::Duration group_commit_window = absl::ZeroDuration()) {
  EmbeddedEventLogOptions options;
  options.sync = sync;
  options.max_group_records = max_group_records;
  options.group_commit_window = group_commit_window;
  return options;
}

// The contract, for the embedded log with the settings that change its write path.
EventLogBackend Embedded(std::string name, EmbeddedEventLogOptions options) {
  return {.name = std::move(name),
          .open = [options](const std::string& dir) -> absl::StatusOr<std::unique_ptr<EventLog>> {
            EmbeddedEventLogOptions o = options;
            o.path = dir;
            auto log = EmbeddedEventLog::Open(o);
            if (!log.ok()) return log.status();
            return std::unique_ptr<EventLog>(std::move(*log));
          },
          .batches_contiguous = true,
          .reopen_scope =
              "the RocksDB database in the test's directory, closed and opened "
              "again (as a restart of the process does)"};
}

INSTANTIATE_TEST_SUITE_P(
    Embedded, EventLogContractTest,
    ::testing::Values(
        // The default: synced, every leader writes at once.
        Embedded("embedded", {}),
        // Unsynced, with small groups and a commit window: exercises the group limits.
        Embedded("embedded_unsynced_grouped",
                 MakeOptions(/*sync=*/false, /*max_group_records=*/16, absl::Microseconds(200)))),
    BackendName);

// A directory of its own for each test, removed afterwards.
class EmbeddedEventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "samrad-embedded-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<EmbeddedEventLog> MustOpen(EmbeddedEventLogOptions options = {}) {
    options.path = dir_ + "/log";
    auto log = EmbeddedEventLog::Open(options);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? *std::move(log) : nullptr;
  }

  std::string dir_;
};

// Appends one record from each of `threads` threads at once; returns each call's result.
std::vector<absl::StatusOr<std::vector<int64_t>>> AppendConcurrently(EventLog& log,
                                                                     const TopicPartition& tp,
                                                                     int threads) {
  std::vector<absl::StatusOr<std::vector<int64_t>>> results(threads);
  std::latch start(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      start.arrive_and_wait();
      results[t] = log.Append(tp, MakeRecords(absl::StrCat("thread", t, "-"), 1));
    });
  }
  for (std::thread& w : workers) w.join();
  return results;
}

TEST_F(EmbeddedEventLogTest, BackendIsEmbedded) {
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->backend(), "embedded");
}

TEST_F(EmbeddedEventLogTest, SyncOnAndOffBothPersistAcrossReopen) {
  for (bool sync : {true, false}) {
    SCOPED_TRACE(sync ? "sync" : "no sync");
    const std::string topic = sync ? "synced" : "unsynced";
    {
      auto log = MustOpen(MakeOptions(sync));
      ASSERT_NE(log, nullptr);
      ASSERT_TRUE(log->EnsureTopic(topic, 1).ok());
      for (int batch = 0; batch < 5; ++batch) {
        auto offsets = log->Append({topic, 0}, MakeRecords(absl::StrCat(batch, "-"), 20));
        ASSERT_TRUE(offsets.ok()) << offsets.status();
        EXPECT_EQ(offsets->front(), batch * 20);
      }
    }
    auto log = MustOpen(MakeOptions(!sync));
    ASSERT_NE(log, nullptr);
    auto entries = log->Read({topic, 0}, 0, 1000, absl::ZeroDuration());
    ASSERT_TRUE(entries.ok()) << entries.status();
    ASSERT_EQ(entries->size(), 100u);
    EXPECT_EQ(entries->back().value, "4-19");
  }
}

TEST_F(EmbeddedEventLogTest, GroupCommitWritesConcurrentAppendsInOneBatch) {
  // The leader waits (up to the window, far longer than needed) until the group is full.
  auto log = MustOpen(MakeOptions(/*sync=*/true, /*max_group_records=*/8, absl::Seconds(30)));
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("grouped", 1).ok());

  const auto results = AppendConcurrently(*log, {"grouped", 0}, 8);
  std::vector<int64_t> offsets;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->size(), 1u);
    offsets.push_back(r->front());
  }
  std::sort(offsets.begin(), offsets.end());
  EXPECT_THAT(offsets, ElementsAre(0, 1, 2, 3, 4, 5, 6, 7));

  const EmbeddedEventLogStats stats = log->stats();
  EXPECT_EQ(stats.append_calls, 8);
  EXPECT_EQ(stats.records_appended, 8);
  EXPECT_EQ(stats.group_writes, 1);
  EXPECT_EQ(stats.failed_group_writes, 0);
}

TEST_F(EmbeddedEventLogTest, DeferredRecordsAreInvisibleUntilDurable) {
  auto log = MustOpen();  // sync on: readers see a record only after its sync
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("deferred", 1).ok());
  const TopicPartition tp{"deferred", 0};
  ASSERT_TRUE(log->Append(tp, MakeRecords("a", 2)).ok());

  auto offsets = log->AppendDeferred(tp, MakeRecords("b", 3));
  ASSERT_TRUE(offsets.ok()) << offsets.status();
  EXPECT_THAT(*offsets, ElementsAre(2, 3, 4));
  EXPECT_EQ(*log->HighWatermark(tp), 2);
  auto before = log->Read(tp, 0, 100, absl::ZeroDuration());
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->size(), 2u);
  // Reading from the written but not yet durable end waits, and finds nothing.
  auto waiting = log->Read(tp, 2, 100, absl::Milliseconds(20));
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_THAT(*waiting, IsEmpty());

  ASSERT_TRUE(log->AwaitDurable(tp, offsets->back() + 1).ok());
  EXPECT_EQ(*log->HighWatermark(tp), 5);
  auto after = log->Read(tp, 2, 100, absl::ZeroDuration());
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ(after->front().value, "b0");
  // Waiting again, or for more than was written, returns at once.
  EXPECT_TRUE(log->AwaitDurable(tp, 5).ok());
  EXPECT_TRUE(log->AwaitDurable(tp, std::numeric_limits<int64_t>::max()).ok());
  EXPECT_EQ(log->stats().syncs, 2);
}

TEST_F(EmbeddedEventLogTest, AReaderWaitingAtTheEndWakesWhenTheSyncLands) {
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("tail", 1).ok());
  const TopicPartition tp{"tail", 0};
  ASSERT_TRUE(log->AppendDeferred(tp, MakeRecords("x", 1)).ok());
  std::thread syncer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_TRUE(log->AwaitDurable(tp, 1).ok());
  });
  auto entries = log->Read(tp, 0, 10, absl::Seconds(30));
  syncer.join();
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().value, "x0");
}

TEST_F(EmbeddedEventLogTest, OneSyncServesEveryDeferredAppendWrittenBeforeIt) {
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("shared", 2).ok());
  // Ten deferred appends on two partitions, then one wait: one sync makes all durable.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(log->AppendDeferred({"shared", i % 2}, MakeRecords(absl::StrCat(i, "-"), 1)).ok());
  }
  ASSERT_TRUE(log->AwaitDurable({"shared", 0}, 5).ok());
  EXPECT_EQ(log->stats().syncs, 1);
  EXPECT_EQ(*log->HighWatermark({"shared", 1}), 5);
  EXPECT_TRUE(log->AwaitDurable({"shared", 1}, 5).ok());
  EXPECT_EQ(log->stats().syncs, 1);
}

TEST_F(EmbeddedEventLogTest, ConcurrentWaitersShareSyncs) {
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("many", 1).ok());
  const TopicPartition tp{"many", 0};
  constexpr int kThreads = 16;
  constexpr int kPerThread = 50;
  std::latch start(kThreads);
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        auto offsets = log->AppendDeferred(tp, MakeRecords(absl::StrCat(t, "-", i, "-"), 1));
        ASSERT_TRUE(offsets.ok()) << offsets.status();
        ASSERT_TRUE(log->AwaitDurable(tp, offsets->back() + 1).ok());
        // Durable means visible.
        ASSERT_GT(*log->HighWatermark(tp), offsets->back());
      }
    });
  }
  for (std::thread& w : workers) w.join();
  const EmbeddedEventLogStats stats = log->stats();
  EXPECT_EQ(stats.records_appended, kThreads * kPerThread);
  EXPECT_EQ(*log->HighWatermark(tp), kThreads * kPerThread);
  // Every waiter either led a sync or was covered by one; never more syncs than waits.
  EXPECT_GE(stats.syncs, 1);
  EXPECT_LE(stats.syncs, kThreads * kPerThread);
}

TEST_F(EmbeddedEventLogTest, UnsyncedLogMakesDeferredRecordsVisibleAtOnce) {
  auto log = MustOpen(MakeOptions(/*sync=*/false));
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("nosync", 1).ok());
  ASSERT_TRUE(log->AppendDeferred({"nosync", 0}, MakeRecords("n", 4)).ok());
  EXPECT_EQ(*log->HighWatermark({"nosync", 0}), 4);
  EXPECT_TRUE(log->AwaitDurable({"nosync", 0}, 4).ok());
  EXPECT_EQ(log->stats().syncs, 0);
}

TEST_F(EmbeddedEventLogTest, DeferredRecordsSurviveAReopen) {
  {
    auto log = MustOpen();
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->EnsureTopic("closed", 1).ok());
    ASSERT_TRUE(log->AppendDeferred({"closed", 0}, MakeRecords("c", 3)).ok());
  }  // Closing syncs what was written.
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(*log->HighWatermark({"closed", 0}), 3);
}

TEST_F(EmbeddedEventLogTest, GroupsRespectMaxGroupRecordsButNeverSplitACall) {
  auto log = MustOpen(MakeOptions(/*sync=*/true, /*max_group_records=*/4, absl::Seconds(30)));
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("limited", 1).ok());

  for (const auto& r : AppendConcurrently(*log, {"limited", 0}, 8)) {
    ASSERT_TRUE(r.ok()) << r.status();
  }
  EXPECT_EQ(log->stats().group_writes, 2);

  // A call larger than the limit is written whole, in one group of its own.
  auto big = log->Append({"limited", 0}, MakeRecords("big", 10));
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_THAT(*big, ElementsAre(8, 9, 10, 11, 12, 13, 14, 15, 16, 17));
  EXPECT_EQ(log->stats().group_writes, 3);
  EXPECT_EQ(log->stats().records_appended, 18);
}

TEST_F(EmbeddedEventLogTest, ManyConcurrentAppendersKeepCallsContiguous) {
  // Synced and without a window: groups form only from appenders that queue up during a
  // write, so their number varies; correctness must not.
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("busy", 1).ok());
  constexpr int kThreads = 8;
  constexpr int kCalls = 100;
  std::vector<std::thread> threads;
  std::latch start(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int call = 0; call < kCalls; ++call) {
        auto offsets = log->Append({"busy", 0}, MakeRecords(absl::StrCat(t, "-", call, "-"), 5));
        ASSERT_TRUE(offsets.ok()) << offsets.status();
        for (int j = 0; j < 5; ++j) EXPECT_EQ((*offsets)[j], offsets->front() + j);
      }
    });
  }
  for (std::thread& t : threads) t.join();

  const EmbeddedEventLogStats stats = log->stats();
  EXPECT_EQ(stats.append_calls, kThreads * kCalls);
  EXPECT_EQ(stats.records_appended, kThreads * kCalls * 5);
  EXPECT_GE(stats.group_writes, 1);
  EXPECT_LE(stats.group_writes, stats.append_calls);
  ::testing::Test::RecordProperty("group_writes", static_cast<int>(stats.group_writes));

  auto entries = log->Read({"busy", 0}, 0, kThreads * kCalls * 5, absl::ZeroDuration());
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), static_cast<size_t>(kThreads * kCalls * 5));
  for (size_t i = 0; i < entries->size(); i += 5) {
    // Every call's five records sit together, in order.
    const std::string& first = (*entries)[i].value;
    ASSERT_TRUE(first.ends_with("-0")) << first;
    const std::string stem = first.substr(0, first.size() - 1);
    for (int j = 1; j < 5; ++j) EXPECT_EQ((*entries)[i + j].value, absl::StrCat(stem, j));
  }
}

TEST_F(EmbeddedEventLogTest, FailedWriteFailsTheWholeGroupAndAssignsNoOffsets) {
  {
    auto log = MustOpen(MakeOptions(/*sync=*/true, /*max_group_records=*/3, absl::Seconds(30)));
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->EnsureTopic("faulty", 1).ok());
    const TopicPartition tp{"faulty", 0};
    auto first = log->Append(tp, MakeRecords("ok", 3));
    ASSERT_TRUE(first.ok()) << first.status();

    log->FailNextWriteForTesting(absl::UnavailableError("disk on fire"));
    for (const auto& r : AppendConcurrently(*log, tp, 3)) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
      EXPECT_THAT(r.status().message(), HasSubstr("disk on fire"));
    }
    EXPECT_EQ(log->stats().failed_group_writes, 1);
    EXPECT_EQ(log->stats().group_writes, 1);

    auto hwm = log->HighWatermark(tp);
    ASSERT_TRUE(hwm.ok()) << hwm.status();
    EXPECT_EQ(*hwm, 3);
    auto entries = log->Read(tp, 0, 100, absl::ZeroDuration());
    ASSERT_TRUE(entries.ok()) << entries.status();
    EXPECT_EQ(entries->size(), 3u);

    // The next write takes the offsets the failed group did not get. (Three records fill a
    // group, so the leader does not wait for the window.)
    auto next = log->Append(tp, MakeRecords("after", 3));
    ASSERT_TRUE(next.ok()) << next.status();
    EXPECT_THAT(*next, ElementsAre(3, 4, 5));
  }
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  auto entries = log->Read({"faulty", 0}, 0, 100, absl::ZeroDuration());
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 6u);
  EXPECT_EQ((*entries)[2].value, "ok2");
  EXPECT_EQ((*entries)[3].value, "after0");
}

TEST_F(EmbeddedEventLogTest, RecoversOffsetsOfSeveralTopicsAndPartitions) {
  // topic -> records per partition (some partitions stay empty).
  const std::vector<std::pair<std::string, std::vector<int>>> layout = {
      {"registry.events.v1", {12}},
      {"scheduling.events.v1", {0, 5, 1}},
      {"reporting.events.v1", {3, 0, 0, 7, 2}},
      {"empty.events.v1", {0, 0}},
  };
  int64_t last_timestamp = 0;
  {
    auto log = MustOpen();
    ASSERT_NE(log, nullptr);
    for (const auto& [topic, counts] : layout) {
      ASSERT_TRUE(log->EnsureTopic(topic, static_cast<int32_t>(counts.size())).ok());
      for (size_t p = 0; p < counts.size(); ++p) {
        for (int i = 0; i < counts[p]; ++i) {  // One record per call: many small writes.
          ASSERT_TRUE(log->Append({topic, static_cast<int32_t>(p)}, MakeRecords(topic, 1)).ok());
        }
      }
    }
    auto tail = log->Read({"reporting.events.v1", 3}, 6, 1, absl::ZeroDuration());
    ASSERT_TRUE(tail.ok() && tail->size() == 1);
    last_timestamp = tail->front().timestamp_ms;
  }

  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  for (const auto& [topic, counts] : layout) {
    for (size_t p = 0; p < counts.size(); ++p) {
      const TopicPartition tp{topic, static_cast<int32_t>(p)};
      auto hwm = log->HighWatermark(tp);
      ASSERT_TRUE(hwm.ok()) << tp.ToString() << ": " << hwm.status();
      EXPECT_EQ(*hwm, counts[p]) << tp.ToString();
      auto next = log->Append(tp, MakeRecords("next", 1));
      ASSERT_TRUE(next.ok()) << next.status();
      EXPECT_THAT(*next, ElementsAre(counts[p])) << tp.ToString();
    }
    // The partition count came back too.
    EXPECT_EQ(log->HighWatermark({topic, static_cast<int32_t>(counts.size())}).status().code(),
              absl::StatusCode::kNotFound);
  }
  auto after = log->Read({"reporting.events.v1", 3}, 7, 1, absl::ZeroDuration());
  ASSERT_TRUE(after.ok() && after->size() == 1);
  EXPECT_GE(after->front().timestamp_ms, last_timestamp) << "timestamps went back";
}

TEST_F(EmbeddedEventLogTest, UnknownTopicsAndPartitionsAreErrors) {
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("known", 2).ok());
  auto noop = [](const std::vector<Entry>&) { return absl::OkStatus(); };

  for (const TopicPartition& tp : {TopicPartition{"unknown", 0}, TopicPartition{"known", 2}}) {
    SCOPED_TRACE(tp.ToString());
    auto appended = log->Append(tp, MakeRecords("x", 1));
    EXPECT_EQ(appended.status().code(), absl::StatusCode::kNotFound);
    EXPECT_THAT(appended.status().message(), HasSubstr(tp.topic));
    EXPECT_EQ(log->Read(tp, 0, 1, absl::ZeroDuration()).status().code(),
              absl::StatusCode::kNotFound);
    EXPECT_EQ(log->HighWatermark(tp).status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(log->Subscribe(tp, 0, noop).status().code(), absl::StatusCode::kNotFound);
  }
  EXPECT_THAT(log->Append({"unknown", 0}, MakeRecords("x", 1)).status().message(),
              HasSubstr("EnsureTopic"));
  EXPECT_THAT(log->Append({"known", 2}, MakeRecords("x", 1)).status().message(),
              HasSubstr("2 partition(s)"));

  const TopicPartition negative{"known", -1};
  EXPECT_EQ(log->Append(negative, MakeRecords("x", 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Read(negative, 0, 1, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Read({"known", 0}, -1, 1, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Subscribe({"known", 0}, -1, noop).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->stats().append_calls, 0);
}

TEST_F(EmbeddedEventLogTest, EnsureTopicRejectsBadNamesAndCounts) {
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  for (const std::string& name :
       {std::string(), std::string("."), std::string(".."), std::string("has space"),
        std::string("slash/topic"), std::string("ä"), std::string(250, 'a')}) {
    EXPECT_EQ(log->EnsureTopic(name, 1).code(), absl::StatusCode::kInvalidArgument) << name;
  }
  EXPECT_TRUE(log->EnsureTopic(std::string(249, 'a'), 1).ok());
  EXPECT_TRUE(log->EnsureTopic("Registry_events-v1.x", 1).ok());
  EXPECT_EQ(log->EnsureTopic("zero", 0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->EnsureTopic("negative", -3).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->EnsureTopic("huge", 10001).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->HighWatermark({"zero", 0}).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(EmbeddedEventLogTest, EnsureTopicNeverChangesThePartitionCount) {
  {
    auto log = MustOpen();
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->EnsureTopic("fixed", 2).ok());
    EXPECT_TRUE(log->EnsureTopic("fixed", 5).ok());
    EXPECT_EQ(log->HighWatermark({"fixed", 2}).status().code(), absl::StatusCode::kNotFound);
  }
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  EXPECT_TRUE(log->HighWatermark({"fixed", 1}).ok());
  EXPECT_EQ(log->HighWatermark({"fixed", 2}).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(EmbeddedEventLogTest, ReadEdgeCases) {
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("edges", 1).ok());
  const TopicPartition tp{"edges", 0};
  auto none = log->Append(tp, {});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, IsEmpty());
  ASSERT_TRUE(log->Append(tp, MakeRecords("v", 3)).ok());

  auto zero = log->Read(tp, 0, 0, absl::Seconds(30));  // Must not wait.
  ASSERT_TRUE(zero.ok()) << zero.status();
  EXPECT_THAT(*zero, IsEmpty());
  auto at_end = log->Read(tp, 3, 10, absl::ZeroDuration());
  ASSERT_TRUE(at_end.ok()) << at_end.status();
  EXPECT_THAT(*at_end, IsEmpty());
  EXPECT_EQ(log->Read(tp, 4, 10, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kOutOfRange);
  auto noop = [](const std::vector<Entry>&) { return absl::OkStatus(); };
  EXPECT_EQ(log->Subscribe(tp, 4, noop).status().code(), absl::StatusCode::kOutOfRange);
  auto huge = log->Read(tp, 1, std::numeric_limits<size_t>::max(), absl::ZeroDuration());
  ASSERT_TRUE(huge.ok()) << huge.status();
  EXPECT_EQ(huge->size(), 2u);
}

TEST_F(EmbeddedEventLogTest, TimestampsNeverDecrease) {
  auto log = MustOpen(MakeOptions(/*sync=*/false));
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->EnsureTopic("clock", 1).ok());
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(log->Append({"clock", 0}, MakeRecords("t", 2)).ok());
  auto entries = log->Read({"clock", 0}, 0, 1000, absl::ZeroDuration());
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 100u);
  for (size_t i = 1; i < entries->size(); ++i) {
    EXPECT_GE((*entries)[i].timestamp_ms, (*entries)[i - 1].timestamp_ms);
  }
  // Records of one call share the timestamp of their group write.
  EXPECT_EQ((*entries)[0].timestamp_ms, (*entries)[1].timestamp_ms);
}

TEST_F(EmbeddedEventLogTest, SecondOpenOfTheSameDirectoryFails) {
  auto log = MustOpen();
  ASSERT_NE(log, nullptr);
  auto second = EmbeddedEventLog::Open({.path = dir_ + "/log"});
  EXPECT_FALSE(second.ok());
}

TEST_F(EmbeddedEventLogTest, OpenRejectsBadOptionsAndForeignData) {
  EXPECT_EQ(EmbeddedEventLog::Open({.path = ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EmbeddedEventLog::Open({.path = dir_ + "/a", .max_group_records = 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EmbeddedEventLog::Open({.path = dir_ + "/b", .group_commit_window = absl::Seconds(-1)})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  // A regular file where the directory should be.
  const std::string file = dir_ + "/file";
  std::ofstream(file) << "not a database";
  EXPECT_FALSE(EmbeddedEventLog::Open({.path = file}).ok());

  // A RocksDB database that is not an event log is left alone.
  const std::string foreign = dir_ + "/foreign";
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, foreign, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "some", "data").ok());
  }
  EXPECT_EQ(EmbeddedEventLog::Open({.path = foreign}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace samrad::eventlog
