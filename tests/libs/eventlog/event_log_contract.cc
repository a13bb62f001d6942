#include "tests/libs/eventlog/event_log_contract.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <latch>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace samrad::eventlog::testing {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

void PrintTo(const EventLogBackend& backend, std::ostream* os) { *os << backend.name; }

std::string BackendName(const ::testing::TestParamInfo<EventLogBackend>& info) {
  return info.param.name;
}

std::vector<Record> MakeRecords(const std::string& prefix, int count, const std::string& key) {
  std::vector<Record> records;
  records.reserve(count);
  for (int i = 0; i < count; ++i) {
    records.push_back({.key = key, .value = absl::StrCat(prefix, i), .headers = {}});
  }
  return records;
}

void EventLogContractTest::SetUp() {
  std::string tmpl = ::testing::TempDir() + "samrad-eventlog-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr) << "mkdtemp " << tmpl;
  dir_ = tmpl;
  auto opened = GetParam().open(dir_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  log_ = std::move(*opened);
}

void EventLogContractTest::TearDown() {
  log_.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void EventLogContractTest::Reopen() {
  log_.reset();
  auto opened = GetParam().open(dir_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  log_ = std::move(*opened);
}

std::string EventLogContractTest::NewTopic(int32_t partitions) {
  static std::mt19937_64 rng{std::random_device{}()};
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  for (char& c : name) {
    const bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-';
    if (!legal) c = '.';
  }
  std::string topic = absl::StrCat("contract.", name, ".", absl::Hex(rng()));
  absl::Status s = log_->EnsureTopic(topic, partitions);
  EXPECT_TRUE(s.ok()) << s;
  return topic;
}

std::vector<int64_t> EventLogContractTest::MustAppend(const TopicPartition& tp,
                                                      std::vector<Record> records) {
  const size_t count = records.size();
  auto offsets = log_->Append(tp, std::move(records));
  EXPECT_TRUE(offsets.ok()) << offsets.status();
  if (!offsets.ok()) return {};
  EXPECT_EQ(offsets->size(), count);
  return *std::move(offsets);
}

std::vector<Entry> EventLogContractTest::ReadExactly(const TopicPartition& tp, int64_t from,
                                                     size_t count) {
  std::vector<Entry> all;
  const absl::Time deadline = absl::Now() + kTimeout;
  while (all.size() < count) {
    const size_t want = count - all.size();
    const int64_t at = from + static_cast<int64_t>(all.size());
    auto got = log_->Read(tp, at, want, std::max(deadline - absl::Now(), absl::ZeroDuration()));
    if (!got.ok()) {
      ADD_FAILURE() << "Read(" << tp.ToString() << ", " << at << ") failed: " << got.status();
      break;
    }
    if (got->empty()) {
      if (absl::Now() >= deadline) {
        ADD_FAILURE() << "only " << all.size() << " of " << count << " entries from " << from
                      << " in " << tp.ToString();
        break;
      }
      continue;
    }
    EXPECT_LE(got->size(), want) << "Read returned more than max_records";
    for (Entry& e : *got) {
      EXPECT_EQ(e.offset, from + static_cast<int64_t>(all.size())) << "gap or reorder";
      all.push_back(std::move(e));
    }
  }
  return all;
}

namespace {

// Polls `done` until it holds or `timeout` passes; returns whether it holds. Only a bound
// for waiting, never an assertion about speed.
bool WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

::testing::AssertionResult SameRecord(const Entry& entry, const Record& record) {
  if (entry.key != record.key) {
    return ::testing::AssertionFailure() << "offset " << entry.offset << ": key differs";
  }
  if (entry.value != record.value) {
    return ::testing::AssertionFailure()
           << "offset " << entry.offset << ": value of " << entry.value.size()
           << " bytes differs from the appended one of " << record.value.size() << " bytes";
  }
  if (entry.headers != record.headers) {
    return ::testing::AssertionFailure()
           << "offset " << entry.offset << ": headers differ (" << entry.headers.size() << " vs "
           << record.headers.size() << ")";
  }
  return ::testing::AssertionSuccess();
}

std::vector<int64_t> Offsets(const std::vector<Entry>& entries) {
  std::vector<int64_t> offsets;
  for (const Entry& e : entries) offsets.push_back(e.offset);
  return offsets;
}

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> r;
  for (int64_t i = from; i < to; ++i) r.push_back(i);
  return r;
}

// Collects what a subscription delivers.
class Collector {
 public:
  absl::Status Add(const std::vector<Entry>& entries) {
    std::lock_guard lock(mu_);
    entries_.insert(entries_.end(), entries.begin(), entries.end());
    return absl::OkStatus();
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
  }
  std::vector<Entry> entries() const {
    std::lock_guard lock(mu_);
    return entries_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Entry> entries_;
};

SubscribeOptions FastRetry(size_t max_batch = 512) {
  SubscribeOptions options;
  options.max_batch = max_batch;
  options.initial_backoff = absl::Milliseconds(1);
  options.max_backoff = absl::Milliseconds(5);
  return options;
}

}  // namespace

TEST_P(EventLogContractTest, OffsetsStartAtZeroAndAreConsecutive) {
  const TopicPartition tp{NewTopic(), 0};
  auto hwm = log().HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, 0);

  EXPECT_THAT(MustAppend(tp, MakeRecords("a", 1)), ElementsAre(0));
  EXPECT_THAT(MustAppend(tp, MakeRecords("b", 3)), ElementsAre(1, 2, 3));
  EXPECT_THAT(MustAppend(tp, MakeRecords("c", 1)), ElementsAre(4));

  hwm = log().HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, 5);
}

TEST_P(EventLogContractTest, PartitionsHaveTheirOwnOffsets) {
  const std::string topic = NewTopic(3);
  EXPECT_THAT(MustAppend({topic, 2}, MakeRecords("two", 2)), ElementsAre(0, 1));
  EXPECT_THAT(MustAppend({topic, 0}, MakeRecords("zero", 1)), ElementsAre(0));
  EXPECT_THAT(MustAppend({topic, 2}, MakeRecords("two-again", 1)), ElementsAre(2));

  for (const auto& [partition, expected] :
       std::vector<std::pair<int32_t, int64_t>>{{0, 1}, {1, 0}, {2, 3}}) {
    auto hwm = log().HighWatermark({topic, partition});
    ASSERT_TRUE(hwm.ok()) << hwm.status();
    EXPECT_EQ(*hwm, expected) << "partition " << partition;
  }
  const std::vector<Entry> two = ReadExactly({topic, 2}, 0, 3);
  ASSERT_EQ(two.size(), 3u);
  EXPECT_EQ(two[0].value, "two0");
  EXPECT_EQ(two[1].value, "two1");
  EXPECT_EQ(two[2].value, "two-again0");
  const std::vector<Entry> zero = ReadExactly({topic, 0}, 0, 1);
  ASSERT_EQ(zero.size(), 1u);
  EXPECT_EQ(zero[0].value, "zero0");
}

TEST_P(EventLogContractTest, OrderIsKeptWithinAndAcrossBatches) {
  const TopicPartition tp{NewTopic(), 0};
  std::vector<Record> appended;
  int64_t next = 0;
  for (int size : {1, 2, 7, 100, 1000, 1, 513}) {
    std::vector<Record> batch = MakeRecords(absl::StrCat("batch", size, "-"), size);
    appended.insert(appended.end(), batch.begin(), batch.end());
    EXPECT_EQ(MustAppend(tp, std::move(batch)), Range(next, next + size));
    next += size;
  }
  const std::vector<Entry> entries = ReadExactly(tp, 0, appended.size());
  ASSERT_EQ(entries.size(), appended.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    ASSERT_TRUE(SameRecord(entries[i], appended[i])) << "at " << i;
  }
}

TEST_P(EventLogContractTest, KeysValuesAndHeadersRoundTrip) {
  const TopicPartition tp{NewTopic(), 0};
  std::string large(256 * 1024, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>((i * 31 + 7) % 256);
  const std::string binary("\0a\0\xff\x01\0", 6);

  std::vector<Record> records;
  records.push_back({.key = "", .value = "", .headers = {}});
  records.push_back({.key = "1280",
                     .value = binary,
                     .headers = {{"event-type", "samrad.registry.v1.TenantCreated"},
                                 {"event-id", "0b3c3a52-8c8e-4a56-a0a4-1d0e2b1f7d11"}}});
  records.push_back({.key = std::string("\0k\xfe", 3),
                     .value = large,
                     .headers = {{"h", "1"}, {"h", "2"}, {"empty", ""}, {"bin", binary}}});
  records.push_back({.key = "0180", .value = "last", .headers = {{"only", "one"}}});

  const absl::Time before = absl::Now();
  EXPECT_THAT(MustAppend(tp, records), ElementsAre(0, 1, 2, 3));
  const absl::Time after = absl::Now();

  const std::vector<Entry> entries = ReadExactly(tp, 0, records.size());
  ASSERT_EQ(entries.size(), records.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_TRUE(SameRecord(entries[i], records[i]));
    // A plausibility bound only (clocks of a broker may differ a little), not a timing test.
    EXPECT_GE(entries[i].timestamp_ms, absl::ToUnixMillis(before - absl::Hours(1)));
    EXPECT_LE(entries[i].timestamp_ms, absl::ToUnixMillis(after + absl::Hours(1)));
  }
}

TEST_P(EventLogContractTest, HighWatermarkIsTheNextOffset) {
  const TopicPartition tp{NewTopic(), 0};
  int64_t expected = 0;
  for (int size : {3, 1, 10}) {
    const std::vector<int64_t> offsets = MustAppend(tp, MakeRecords("r", size));
    ASSERT_FALSE(offsets.empty());
    expected += size;
    auto hwm = log().HighWatermark(tp);
    ASSERT_TRUE(hwm.ok()) << hwm.status();
    EXPECT_EQ(*hwm, expected);
    EXPECT_EQ(*hwm, offsets.back() + 1);
  }
  // Reading changes nothing.
  ReadExactly(tp, 0, expected);
  auto hwm = log().HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, expected);
}

TEST_P(EventLogContractTest, ReadsFromAnyOffset) {
  const TopicPartition tp{NewTopic(), 0};
  MustAppend(tp, MakeRecords("v", 10));

  for (int64_t from : {0, 1, 5, 9}) {
    const std::vector<Entry> rest = ReadExactly(tp, from, 10 - from);
    ASSERT_EQ(rest.size(), static_cast<size_t>(10 - from));
    for (const Entry& e : rest) EXPECT_EQ(e.value, absl::StrCat("v", e.offset));
  }

  // At the end, Read waits and then returns nothing.
  auto at_end = log().Read(tp, 10, 100, absl::Milliseconds(50));
  ASSERT_TRUE(at_end.ok()) << at_end.status();
  EXPECT_THAT(*at_end, IsEmpty());
}

TEST_P(EventLogContractTest, ReadReturnsAtMostMaxRecords) {
  const TopicPartition tp{NewTopic(), 0};
  MustAppend(tp, MakeRecords("v", 20));
  for (size_t max : {1u, 3u, 7u, 20u, 100u}) {
    for (int64_t from : {0, 2, 15}) {
      auto got = log().Read(tp, from, max, kTimeout);
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_FALSE(got->empty()) << "from " << from;
      EXPECT_LE(got->size(), max);
      EXPECT_LE(got->back().offset, 19);
      EXPECT_EQ(Offsets(*got), Range(from, from + static_cast<int64_t>(got->size())));
    }
  }
}

TEST_P(EventLogContractTest, ReadWaitsForAnAppendFromAnotherThread) {
  const TopicPartition tp{NewTopic(), 0};
  auto empty = log().Read(tp, 0, 10, absl::Milliseconds(20));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_THAT(*empty, IsEmpty());

  std::latch reading(1);
  absl::StatusOr<std::vector<Entry>> got;
  absl::Duration waited;
  std::thread reader([&] {
    reading.count_down();
    const absl::Time start = absl::Now();
    got = log().Read(tp, 0, 10, kTimeout);
    waited = absl::Now() - start;
  });
  reading.wait();
  // Gives the reader time to block first; the test holds either way, since Read must return
  // the record whether it arrives before or during the wait.
  absl::SleepFor(absl::Milliseconds(20));
  MustAppend(tp, MakeRecords("awaited", 1));
  reader.join();

  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].offset, 0);
  EXPECT_EQ((*got)[0].value, "awaited0");
  // The append woke the reader; it did not find the record only when its wait ran out.
  EXPECT_LT(waited, kTimeout);
}

// Appended records outlive the EventLog object that appended them: a log opened again on the
// same storage reads every record and continues the offsets. What "again" means is the
// backend's (EventLogBackend::reopen_scope). For the embedded log it closes and reopens
// the RocksDB database, as a restart of the process does. For the Kafka mock it is a new
// client (producer, consumers, admin handle) against the same running cluster, so the
// records must come from the brokers, and the new producer must continue the offsets. That
// the brokers themselves keep them across a restart is Kafka's guarantee (acks=all,
// replication) and cannot be shown against an in-memory mock.
TEST_P(EventLogContractTest, RecordsSurviveReopen) {
  SCOPED_TRACE("reopened: " + GetParam().reopen_scope);
  const std::string topic = NewTopic(2);
  const TopicPartition p0{topic, 0};
  const TopicPartition p1{topic, 1};
  for (int batch = 0; batch < 3; ++batch) MustAppend(p0, MakeRecords(absl::StrCat("b", batch), 50));
  MustAppend(p1, MakeRecords("one", 7));

  Reopen();
  auto hwm0 = log().HighWatermark(p0);
  auto hwm1 = log().HighWatermark(p1);
  ASSERT_TRUE(hwm0.ok()) << hwm0.status();
  ASSERT_TRUE(hwm1.ok()) << hwm1.status();
  EXPECT_EQ(*hwm0, 150);
  EXPECT_EQ(*hwm1, 7);

  const std::vector<Entry> entries = ReadExactly(p0, 0, 150);
  ASSERT_EQ(entries.size(), 150u);
  for (const Entry& e : entries) {
    EXPECT_EQ(e.value, absl::StrCat("b", e.offset / 50, e.offset % 50));
  }

  // Appending goes on with the next offsets, never reusing one.
  EXPECT_THAT(MustAppend(p0, MakeRecords("after", 2)), ElementsAre(150, 151));
  EXPECT_THAT(MustAppend(p1, MakeRecords("after", 1)), ElementsAre(7));

  Reopen();
  const std::vector<Entry> tail = ReadExactly(p0, 148, 4);
  ASSERT_EQ(tail.size(), 4u);
  EXPECT_EQ(tail[1].value, "b249");
  EXPECT_EQ(tail[2].value, "after0");
  EXPECT_EQ(tail[3].value, "after1");
  const std::vector<Entry> one = ReadExactly(p1, 0, 8);
  ASSERT_EQ(one.size(), 8u);
  EXPECT_EQ(one[7].value, "after0");
}

// After a reopen (EventLogBackend::reopen_scope) the log replays every record from offset 0,
// unchanged, with the timestamps it gave them.
TEST_P(EventLogContractTest, ReplaysFromOffsetZeroAfterReopen) {
  SCOPED_TRACE("reopened: " + GetParam().reopen_scope);
  const TopicPartition tp{NewTopic(), 0};
  std::vector<Record> appended;
  for (int batch = 0; batch < 6; ++batch) {
    std::vector<Record> records = MakeRecords(absl::StrCat("replay", batch, "-"), 50);
    for (Record& r : records) r.headers = {{"event-type", absl::StrCat("Type", batch)}};
    appended.insert(appended.end(), records.begin(), records.end());
    MustAppend(tp, std::move(records));
  }
  const std::vector<Entry> original = ReadExactly(tp, 0, appended.size());
  ASSERT_EQ(original.size(), appended.size());

  for (int round = 0; round < 2; ++round) {
    Reopen();
    const std::vector<Entry> replayed = ReadExactly(tp, 0, appended.size());
    ASSERT_EQ(replayed.size(), appended.size()) << "round " << round;
    for (size_t i = 0; i < replayed.size(); ++i) {
      ASSERT_TRUE(SameRecord(replayed[i], appended[i])) << "round " << round;
      EXPECT_EQ(replayed[i].timestamp_ms, original[i].timestamp_ms) << "at " << i;
    }
  }
}

TEST_P(EventLogContractTest, ConcurrentAppendersLoseAndDuplicateNothing) {
  constexpr int kThreads = 4;
  constexpr int kCalls = 500;
  const TopicPartition tp{NewTopic(), 0};

  // offsets[thread][call] as returned by Append.
  std::vector<std::vector<std::vector<int64_t>>> offsets(kThreads);
  std::vector<std::thread> threads;
  std::latch start(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int call = 0; call < kCalls; ++call) {
        const int size = 1 + (call + t) % 3;
        auto appended = log().Append(tp, MakeRecords(absl::StrCat(t, "-", call, "-"), size));
        if (!appended.ok()) {
          ADD_FAILURE() << "thread " << t << " call " << call << ": " << appended.status();
          return;
        }
        offsets[t].push_back(*std::move(appended));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  size_t total = 0;
  for (const auto& calls : offsets) {
    ASSERT_EQ(calls.size(), static_cast<size_t>(kCalls));
    for (const auto& call : calls) total += call.size();
  }
  auto hwm = log().HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, static_cast<int64_t>(total));

  const std::vector<Entry> entries = ReadExactly(tp, 0, total);
  ASSERT_EQ(entries.size(), total);
  std::set<std::string> values;
  for (const Entry& e : entries) values.insert(e.value);
  EXPECT_EQ(values.size(), total) << "a record was written twice";

  for (int t = 0; t < kThreads; ++t) {
    int64_t previous = -1;
    for (int call = 0; call < kCalls; ++call) {
      const std::vector<int64_t>& call_offsets = offsets[t][call];
      for (size_t j = 0; j < call_offsets.size(); ++j) {
        const int64_t offset = call_offsets[j];
        ASSERT_GE(offset, 0);
        ASSERT_LT(offset, static_cast<int64_t>(total));
        // What Append said is what Read shows.
        EXPECT_EQ(entries[offset].value, absl::StrCat(t, "-", call, "-", j));
        // Each appender's records keep their order.
        EXPECT_GT(offset, previous) << "thread " << t << " call " << call;
        previous = offset;
        if (GetParam().batches_contiguous) {
          EXPECT_EQ(offset, call_offsets[0] + static_cast<int64_t>(j))
              << "records of one call are not contiguous";
        }
      }
    }
  }
}

TEST_P(EventLogContractTest, SubscriberDeliversEverythingInOrder) {
  const TopicPartition tp{NewTopic(), 0};
  for (int batch = 0; batch < 10; ++batch)
    MustAppend(tp, MakeRecords(absl::StrCat("pre", batch, "-"), 10));

  Collector collector;
  auto sub = log().Subscribe(
      tp, 0, [&](const std::vector<Entry>& entries) { return collector.Add(entries); },
      FastRetry(/*max_batch=*/64));
  ASSERT_TRUE(sub.ok()) << sub.status();
  for (int batch = 0; batch < 10; ++batch)
    MustAppend(tp, MakeRecords(absl::StrCat("live", batch, "-"), 10));

  ASSERT_TRUE(WaitFor([&] { return (*sub)->position() == 200; }, kTimeout))
      << "position " << (*sub)->position() << ", delivered " << collector.size();
  sub->reset();

  const std::vector<Entry> delivered = collector.entries();
  ASSERT_EQ(Offsets(delivered), Range(0, 200));
  for (const Entry& e : delivered) {
    const int64_t batch = (e.offset % 100) / 10;
    EXPECT_EQ(e.value, absl::StrCat(e.offset < 100 ? "pre" : "live", batch, "-", e.offset % 10));
  }
}

TEST_P(EventLogContractTest, SubscriberFromTheMiddleStartsThere) {
  const TopicPartition tp{NewTopic(), 0};
  MustAppend(tp, MakeRecords("v", 30));
  Collector collector;
  auto sub = log().Subscribe(
      tp, 12, [&](const std::vector<Entry>& entries) { return collector.Add(entries); },
      FastRetry());
  ASSERT_TRUE(sub.ok()) << sub.status();
  ASSERT_TRUE(WaitFor([&] { return (*sub)->position() == 30; }, kTimeout));
  sub->reset();
  EXPECT_EQ(Offsets(collector.entries()), Range(12, 30));
}

TEST_P(EventLogContractTest, ResubscribingFromPositionResumesWithoutGapsOrDuplicates) {
  const TopicPartition tp{NewTopic(), 0};
  for (int batch = 0; batch < 20; ++batch)
    MustAppend(tp, MakeRecords(absl::StrCat("b", batch, "-"), 10));

  // The first subscriber accepts batches until it has 50 entries, then refuses every later
  // one, so its position stops right after the last accepted entry while delivery is live.
  std::mutex mu;
  std::vector<Entry> first;
  bool refused = false;
  auto sub = log().Subscribe(
      tp, 0,
      [&](const std::vector<Entry>& entries) {
        std::lock_guard lock(mu);
        if (first.size() >= 50) {
          refused = true;
          return absl::UnavailableError("paused by the test");
        }
        first.insert(first.end(), entries.begin(), entries.end());
        return absl::OkStatus();
      },
      FastRetry(/*max_batch=*/16));
  ASSERT_TRUE(sub.ok()) << sub.status();
  ASSERT_TRUE(WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return refused;
      },
      kTimeout));
  const int64_t position = (*sub)->position();
  sub->reset();
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(position, first.back().offset + 1);

  for (int batch = 20; batch < 30; ++batch)
    MustAppend(tp, MakeRecords(absl::StrCat("b", batch, "-"), 10));

  Collector second;
  auto resumed = log().Subscribe(
      tp, position, [&](const std::vector<Entry>& entries) { return second.Add(entries); },
      FastRetry(/*max_batch=*/16));
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  ASSERT_TRUE(WaitFor([&] { return (*resumed)->position() == 300; }, kTimeout));
  resumed->reset();

  std::vector<Entry> all = first;
  for (Entry& e : second.entries()) all.push_back(std::move(e));
  ASSERT_EQ(Offsets(all), Range(0, 300));
  for (const Entry& e : all) {
    EXPECT_EQ(e.value, absl::StrCat("b", e.offset / 10, "-", e.offset % 10));
  }
}

TEST_P(EventLogContractTest, FailingHandlerGetsTheSameEntriesAgain) {
  const TopicPartition tp{NewTopic(), 0};
  MustAppend(tp, MakeRecords("v", 20));

  std::mutex mu;
  std::vector<std::vector<Entry>> calls;  // Every handler call, including the failed one.
  auto sub = log().Subscribe(
      tp, 0,
      [&](const std::vector<Entry>& entries) {
        std::lock_guard lock(mu);
        calls.push_back(entries);
        if (calls.size() == 1) return absl::UnavailableError("fails once");
        return absl::OkStatus();
      },
      FastRetry());
  ASSERT_TRUE(sub.ok()) << sub.status();
  ASSERT_TRUE(WaitFor([&] { return (*sub)->position() == 20; }, kTimeout));
  sub->reset();

  ASSERT_GE(calls.size(), 2u);
  const std::vector<Entry>& failed = calls[0];
  const std::vector<Entry>& retried = calls[1];
  ASSERT_FALSE(failed.empty());
  EXPECT_EQ(failed.front().offset, 0);
  // The retry starts at the same offset; whatever the first call saw comes again, unchanged.
  ASSERT_GE(retried.size(), failed.size());
  for (size_t i = 0; i < failed.size(); ++i) {
    EXPECT_EQ(retried[i].offset, failed[i].offset);
    EXPECT_EQ(retried[i].value, failed[i].value);
  }
  // After the failure, the successful calls deliver every entry exactly once.
  std::vector<Entry> accepted;
  for (size_t i = 1; i < calls.size(); ++i) {
    accepted.insert(accepted.end(), calls[i].begin(), calls[i].end());
  }
  EXPECT_EQ(Offsets(accepted), Range(0, 20));
}

// --- AppendDeferred and AwaitDurable (docs/adr/0008-pipelined-durability.md) ------------
//
// What every backend guarantees, whether AppendDeferred defers (embedded with `sync`) or is
// a durable Append (Kafka, the unsynced embedded log): offsets are fixed and returned at
// once, continuing those of Append; readers never see past what was appended nor lose what
// they saw; once AwaitDurable returns OK for an end, every record below it is readable and
// survives a reopen.

TEST_P(EventLogContractTest, DeferredAppendsContinueTheOffsetsAndAreReadableOnceDurable) {
  const TopicPartition tp{NewTopic(), 0};
  EXPECT_THAT(MustAppend(tp, MakeRecords("a", 2)), ElementsAre(0, 1));

  const std::vector<Record> deferred = MakeRecords("b", 3);
  auto offsets = log().AppendDeferred(tp, deferred);
  ASSERT_TRUE(offsets.ok()) << offsets.status();
  EXPECT_THAT(*offsets, ElementsAre(2, 3, 4));
  // Before the wait, readers see at least the durable records and never past the appended.
  auto hwm = log().HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_GE(*hwm, 2);
  EXPECT_LE(*hwm, 5);

  absl::Status durable = log().AwaitDurable(tp, offsets->back() + 1);
  ASSERT_TRUE(durable.ok()) << durable;
  hwm = log().HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, 5);
  const std::vector<Entry> entries = ReadExactly(tp, 2, 3);
  ASSERT_EQ(entries.size(), 3u);
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].offset, (*offsets)[i]);
    EXPECT_TRUE(SameRecord(entries[i], deferred[i]));
  }

  // Waiting again, for an end already durable, for 0, or for more than was appended
  // returns at once (nothing to wait for is not an error).
  for (int64_t end : {int64_t{5}, int64_t{0}, std::numeric_limits<int64_t>::max()}) {
    absl::Status again = log().AwaitDurable(tp, end);
    EXPECT_TRUE(again.ok()) << "end " << end << ": " << again;
  }
  // Append goes on after the deferred records.
  EXPECT_THAT(MustAppend(tp, MakeRecords("c", 1)), ElementsAre(5));
}

TEST_P(EventLogContractTest, AwaitDurableOnAPartitionWithoutAppendsReturns) {
  const std::string topic = NewTopic(2);
  EXPECT_THAT(MustAppend({topic, 0}, MakeRecords("only-zero", 2)), ElementsAre(0, 1));
  absl::Status empty = log().AwaitDurable({topic, 1}, 10);
  EXPECT_TRUE(empty.ok()) << empty;
  auto hwm = log().HighWatermark({topic, 1});
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, 0);
}

TEST_P(EventLogContractTest, DeferredAndPlainAppendsKeepOneOrder) {
  const TopicPartition tp{NewTopic(), 0};
  std::vector<Record> appended;
  int64_t next = 0;
  // Deferred appends whose wait comes later, between plain ones.
  for (int round = 0; round < 5; ++round) {
    std::vector<Record> deferred = MakeRecords(absl::StrCat("d", round, "-"), 1 + round);
    appended.insert(appended.end(), deferred.begin(), deferred.end());
    auto offsets = log().AppendDeferred(tp, std::move(deferred));
    ASSERT_TRUE(offsets.ok()) << offsets.status();
    EXPECT_EQ(*offsets, Range(next, next + 1 + round));
    next += 1 + round;
    std::vector<Record> plain = MakeRecords(absl::StrCat("p", round, "-"), 2);
    appended.insert(appended.end(), plain.begin(), plain.end());
    EXPECT_EQ(MustAppend(tp, std::move(plain)), Range(next, next + 2));
    next += 2;
  }
  absl::Status durable = log().AwaitDurable(tp, next);
  ASSERT_TRUE(durable.ok()) << durable;
  const std::vector<Entry> entries = ReadExactly(tp, 0, appended.size());
  ASSERT_EQ(entries.size(), appended.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    ASSERT_TRUE(SameRecord(entries[i], appended[i])) << "at " << i;
  }
}

TEST_P(EventLogContractTest, ConcurrentDeferredAppendersLoseAndDuplicateNothing) {
  constexpr int kThreads = 4;
  constexpr int kCalls = 100;
  const TopicPartition tp{NewTopic(), 0};
  // offsets[thread][call] as returned by AppendDeferred.
  std::vector<std::vector<std::vector<int64_t>>> offsets(kThreads);
  std::vector<std::thread> threads;
  std::latch start(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int call = 0; call < kCalls; ++call) {
        const int size = 1 + (call + t) % 3;
        auto appended =
            log().AppendDeferred(tp, MakeRecords(absl::StrCat(t, "-", call, "-"), size));
        if (!appended.ok() || appended->size() != static_cast<size_t>(size)) {
          ADD_FAILURE() << "thread " << t << " call " << call << ": " << appended.status();
          return;
        }
        const int64_t end = appended->back() + 1;
        if (absl::Status s = log().AwaitDurable(tp, end); !s.ok()) {
          ADD_FAILURE() << "thread " << t << " call " << call << ": " << s;
          return;
        }
        // Durable means visible.
        auto hwm = log().HighWatermark(tp);
        if (!hwm.ok() || *hwm < end) {
          ADD_FAILURE() << "thread " << t << " call " << call << ": durable up to " << end
                        << " but the high watermark is "
                        << (hwm.ok() ? absl::StrCat(*hwm) : hwm.status().ToString());
          return;
        }
        offsets[t].push_back(*std::move(appended));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  size_t total = 0;
  for (const auto& calls : offsets) {
    ASSERT_EQ(calls.size(), static_cast<size_t>(kCalls));
    for (const auto& call : calls) total += call.size();
  }
  auto hwm = log().HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, static_cast<int64_t>(total));
  const std::vector<Entry> entries = ReadExactly(tp, 0, total);
  ASSERT_EQ(entries.size(), total);
  std::set<std::string> values;
  for (const Entry& e : entries) values.insert(e.value);
  EXPECT_EQ(values.size(), total) << "a record was written twice";
  for (int t = 0; t < kThreads; ++t) {
    int64_t previous = -1;
    for (int call = 0; call < kCalls; ++call) {
      const std::vector<int64_t>& call_offsets = offsets[t][call];
      for (size_t j = 0; j < call_offsets.size(); ++j) {
        const int64_t offset = call_offsets[j];
        ASSERT_GE(offset, 0);
        ASSERT_LT(offset, static_cast<int64_t>(total));
        // What AppendDeferred said is what Read shows.
        EXPECT_EQ(entries[offset].value, absl::StrCat(t, "-", call, "-", j));
        EXPECT_GT(offset, previous) << "thread " << t << " call " << call;
        previous = offset;
        if (GetParam().batches_contiguous) {
          EXPECT_EQ(offset, call_offsets[0] + static_cast<int64_t>(j))
              << "records of one call are not contiguous";
        }
      }
    }
  }
}

TEST_P(EventLogContractTest, SubscriberGetsDeferredRecordsOnceDurable) {
  const TopicPartition tp{NewTopic(), 0};
  Collector collector;
  auto sub = log().Subscribe(
      tp, 0, [&](const std::vector<Entry>& entries) { return collector.Add(entries); },
      FastRetry(/*max_batch=*/8));
  ASSERT_TRUE(sub.ok()) << sub.status();
  int64_t end = 0;
  for (int batch = 0; batch < 10; ++batch) {
    auto offsets = log().AppendDeferred(tp, MakeRecords(absl::StrCat("d", batch, "-"), 5));
    ASSERT_TRUE(offsets.ok()) << offsets.status();
    end = offsets->back() + 1;
  }
  ASSERT_EQ(end, 50);
  absl::Status durable = log().AwaitDurable(tp, end);
  ASSERT_TRUE(durable.ok()) << durable;
  ASSERT_TRUE(WaitFor([&] { return (*sub)->position() == end; }, kTimeout))
      << "position " << (*sub)->position() << ", delivered " << collector.size();
  sub->reset();
  const std::vector<Entry> delivered = collector.entries();
  ASSERT_EQ(Offsets(delivered), Range(0, end));
  for (const Entry& e : delivered) {
    EXPECT_EQ(e.value, absl::StrCat("d", e.offset / 5, "-", e.offset % 5));
  }
}

TEST_P(EventLogContractTest, DurableDeferredRecordsSurviveReopen) {
  SCOPED_TRACE("reopened: " + GetParam().reopen_scope);
  const TopicPartition tp{NewTopic(), 0};
  const std::vector<Record> deferred = MakeRecords("kept", 4);
  auto offsets = log().AppendDeferred(tp, deferred);
  ASSERT_TRUE(offsets.ok()) << offsets.status();
  ASSERT_THAT(*offsets, ElementsAre(0, 1, 2, 3));
  absl::Status durable = log().AwaitDurable(tp, 4);
  ASSERT_TRUE(durable.ok()) << durable;

  Reopen();
  auto hwm = log().HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, 4);
  const std::vector<Entry> entries = ReadExactly(tp, 0, 4);
  ASSERT_EQ(entries.size(), 4u);
  for (size_t i = 0; i < entries.size(); ++i) EXPECT_TRUE(SameRecord(entries[i], deferred[i]));
  auto more = log().AppendDeferred(tp, MakeRecords("after", 1));
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_THAT(*more, ElementsAre(4));
  EXPECT_TRUE(log().AwaitDurable(tp, 5).ok());
}

TEST_P(EventLogContractTest, EnsureTopicIsIdempotent) {
  const std::string topic = NewTopic(3);
  ASSERT_TRUE(log().EnsureTopic(topic, 3).ok());
  const TopicPartition p2{topic, 2};
  EXPECT_THAT(MustAppend(p2, MakeRecords("kept", 2)), ElementsAre(0, 1));

  // Neither the same nor a smaller count changes the topic or its records.
  absl::Status again = log().EnsureTopic(topic, 3);
  EXPECT_TRUE(again.ok()) << again;
  absl::Status smaller = log().EnsureTopic(topic, 1);
  EXPECT_TRUE(smaller.ok()) << smaller;

  auto hwm = log().HighWatermark(p2);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  EXPECT_EQ(*hwm, 2);
  EXPECT_THAT(MustAppend(p2, MakeRecords("more", 1)), ElementsAre(2));
  const std::vector<Entry> entries = ReadExactly(p2, 0, 3);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].value, "kept0");
  EXPECT_EQ(entries[2].value, "more0");
}

}  // namespace samrad::eventlog::testing
