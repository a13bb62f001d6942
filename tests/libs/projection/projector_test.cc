#include "libs/projection/projector.h"

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/eventlog/polling_subscription.h"
#include "libs/projection/key_codec.h"
#include "libs/projection/projection_store.h"
#include "prometheus/registry.h"
#include "tests/testing/temp_dir.h"

namespace samrad::projection {
namespace {

using ::testing::HasSubstr;

const eventlog::TopicPartition kRegistry{"registry.events.v1", 0};
const eventlog::TopicPartition kScheduling{"scheduling.events.v1", 1};

// An in-memory EventLog: enough of the contract for a projector (ordered partitions,
// offsets from 0, blocking reads, subscriptions through PollingSubscription).
class FakeEventLog : public eventlog::EventLog {
 public:
  absl::Status EnsureTopic(const std::string&, int32_t) override { return absl::OkStatus(); }

  absl::StatusOr<std::vector<int64_t>> Append(const eventlog::TopicPartition& tp,
                                              std::vector<eventlog::Record> records) override {
    absl::MutexLock lock(&mu_);
    std::vector<eventlog::Entry>& entries = partitions_[tp];
    std::vector<int64_t> offsets;
    for (eventlog::Record& record : records) {
      const int64_t offset = static_cast<int64_t>(entries.size());
      entries.push_back(eventlog::Entry{.offset = offset,
                                        .timestamp_ms = absl::ToUnixMillis(absl::Now()),
                                        .key = std::move(record.key),
                                        .value = std::move(record.value),
                                        .headers = std::move(record.headers)});
      offsets.push_back(offset);
    }
    return offsets;
  }

  absl::StatusOr<std::vector<eventlog::Entry>> Read(const eventlog::TopicPartition& tp,
                                                    int64_t from_offset, size_t max_records,
                                                    absl::Duration wait) override {
    absl::MutexLock lock(&mu_);
    auto available = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return static_cast<int64_t>(partitions_[tp].size()) > from_offset;
    };
    mu_.AwaitWithTimeout(absl::Condition(&available), wait);
    const std::vector<eventlog::Entry>& entries = partitions_[tp];
    std::vector<eventlog::Entry> out;
    for (int64_t o = from_offset;
         o < static_cast<int64_t>(entries.size()) && out.size() < max_records; ++o) {
      out.push_back(entries[o]);
    }
    return out;
  }

  absl::StatusOr<int64_t> HighWatermark(const eventlog::TopicPartition& tp) override {
    absl::MutexLock lock(&mu_);
    return static_cast<int64_t>(partitions_[tp].size());
  }

  absl::StatusOr<std::unique_ptr<eventlog::Subscription>> Subscribe(
      const eventlog::TopicPartition& tp, int64_t from_offset, eventlog::Handler handler,
      eventlog::SubscribeOptions options) override {
    return std::make_unique<eventlog::PollingSubscription>(this, tp, from_offset,
                                                           std::move(handler), options);
  }

  std::string_view backend() const override { return "fake"; }

  // Appends `n` records whose values are "<first>".."<first+n-1>", in calls of `per_call`.
  void AppendNumbers(const eventlog::TopicPartition& tp, int first, int n, int per_call = 7) {
    for (int i = 0; i < n; i += per_call) {
      std::vector<eventlog::Record> records;
      for (int j = i; j < std::min(n, i + per_call); ++j) {
        records.push_back({.key = "1280", .value = std::to_string(first + j), .headers = {}});
      }
      ASSERT_TRUE(Append(tp, std::move(records)).ok());
    }
  }

 private:
  absl::Mutex mu_;
  std::map<eventlog::TopicPartition, std::vector<eventlog::Entry>> partitions_ ABSL_GUARDED_BY(mu_);
};

// The test projection: per source a count and a sum of the values, and one index entry per
// applied entry; applying an entry twice is detected through the index and refused.
absl::Status SumEvolve(const eventlog::TopicPartition& source, const eventlog::Entry& entry,
                       Transaction& tx) {
  std::string seen_key;
  keys::AppendString(&seen_key, source.ToString());
  keys::AppendInt64(&seen_key, entry.offset);
  absl::StatusOr<std::optional<std::string>> seen = tx.Get(Cf::kIndexes, seen_key);
  if (!seen.ok()) return seen.status();
  if (seen->has_value()) {
    return absl::InternalError(absl::StrCat("applied twice: ", entry.offset));
  }
  tx.Put(Cf::kIndexes, seen_key, entry.value);
  int64_t value = 0;
  if (!absl::SimpleAtoi(entry.value, &value)) return absl::InvalidArgumentError("bad value");
  for (const auto& [name, delta] : {std::pair<std::string, int64_t>{"count/", 1},
                                    std::pair<std::string, int64_t>{"sum/", value}}) {
    const std::string key = name + source.ToString();
    absl::StatusOr<std::optional<std::string>> current = tx.Get(Cf::kState, key);
    if (!current.ok()) return current.status();
    int64_t total = 0;
    if (current->has_value() && !absl::SimpleAtoi(**current, &total)) {
      return absl::DataLossError("bad total");
    }
    tx.Put(Cf::kState, key, std::to_string(total + delta));
  }
  return absl::OkStatus();
}

int64_t StateNumber(const ProjectionStore& store, const std::string& key) {
  absl::StatusOr<std::optional<std::string>> value = store.Get(Cf::kState, key);
  EXPECT_TRUE(value.ok()) << value.status();
  int64_t out = 0;
  if (value.ok() && value->has_value()) {
    EXPECT_TRUE(absl::SimpleAtoi(**value, &out));
  }
  return out;
}

// Sum of first..first+n-1.
int64_t SumRange(int64_t first, int64_t n) { return n * (2 * first + n - 1) / 2; }

class ProjectorTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenStore(); }

  void OpenStore() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<ProjectionStore>> store =
        ProjectionStore::Open({.path = dir_.Sub("store")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  ProjectorOptions Options(std::vector<eventlog::TopicPartition> sources) {
    ProjectorOptions options{.name = "test", .sources = std::move(sources)};
    options.subscribe.initial_backoff = absl::Milliseconds(5);
    options.subscribe.max_backoff = absl::Milliseconds(20);
    return options;
  }

  std::unique_ptr<Projector> Start(ProjectorOptions options, Projector::ApplyFn apply = SumEvolve) {
    absl::StatusOr<std::unique_ptr<Projector>> projector =
        Projector::Start(&log_, store_.get(), std::move(apply), std::move(options));
    EXPECT_TRUE(projector.ok()) << projector.status();
    return projector.ok() ? *std::move(projector) : nullptr;
  }

  samrad::testutil::TempDir dir_;
  FakeEventLog log_;
  std::unique_ptr<ProjectionStore> store_;
};

TEST_F(ProjectorTest, AppliesEverythingFromSeveralSources) {
  log_.AppendNumbers(kRegistry, 0, 300);
  log_.AppendNumbers(kScheduling, 1000, 200);
  std::unique_ptr<Projector> projector = Start(Options({kRegistry, kScheduling}));
  ASSERT_NE(projector, nullptr);
  ASSERT_TRUE(projector->CatchUp(absl::Seconds(30)).ok());
  EXPECT_EQ(StateNumber(*store_, "count/" + kRegistry.ToString()), 300);
  EXPECT_EQ(StateNumber(*store_, "count/" + kScheduling.ToString()), 200);

  // Entries appended while it runs.
  log_.AppendNumbers(kRegistry, 300, 100, /*per_call=*/1);
  log_.AppendNumbers(kScheduling, 1200, 50, /*per_call=*/50);
  ASSERT_TRUE(projector->CatchUp(absl::Seconds(30)).ok());
  EXPECT_EQ(StateNumber(*store_, "count/" + kRegistry.ToString()), 400);
  EXPECT_EQ(StateNumber(*store_, "sum/" + kRegistry.ToString()), SumRange(0, 400));
  EXPECT_EQ(StateNumber(*store_, "count/" + kScheduling.ToString()), 250);
  EXPECT_EQ(StateNumber(*store_, "sum/" + kScheduling.ToString()), SumRange(1000, 250));
  EXPECT_EQ(projector->events_applied(), 650);
  EXPECT_EQ(*store_->NextOffset(kRegistry), 400);
  EXPECT_EQ(*store_->NextOffset(kScheduling), 250);

  std::vector<SourceStatus> status = projector->Status();
  ASSERT_EQ(status.size(), 2u);
  EXPECT_EQ(status[0].source, kRegistry);
  EXPECT_EQ(status[0].next_offset, 400);
  EXPECT_EQ(status[0].high_watermark, 400);
  EXPECT_EQ(status[0].lag, 0);
  EXPECT_EQ(status[0].events_applied, 400);
  EXPECT_TRUE(status[0].last_error.ok());
  EXPECT_EQ(status[1].source, kScheduling);
  EXPECT_EQ(status[1].next_offset, 250);
  EXPECT_EQ(status[1].events_applied, 250);
}

TEST_F(ProjectorTest, ResumesAfterRestartWithoutDuplicates) {
  log_.AppendNumbers(kRegistry, 0, 500);
  {
    std::unique_ptr<Projector> projector = Start(Options({kRegistry}));
    ASSERT_NE(projector, nullptr);
    // Stopped at an arbitrary point, possibly mid-stream, while more entries arrive.
    log_.AppendNumbers(kRegistry, 500, 300, /*per_call=*/3);
  }
  // Whatever the first projector applied is in the store, and nothing more.
  const int64_t applied_by_first = *store_->NextOffset(kRegistry);
  EXPECT_EQ(StateNumber(*store_, "count/" + kRegistry.ToString()), applied_by_first);
  EXPECT_EQ(StateNumber(*store_, "sum/" + kRegistry.ToString()), SumRange(0, applied_by_first));
  OpenStore();  // also across a reopen of the store
  log_.AppendNumbers(kRegistry, 800, 200);
  std::unique_ptr<Projector> projector = Start(Options({kRegistry}));
  ASSERT_NE(projector, nullptr);
  ASSERT_TRUE(projector->CatchUp(absl::Seconds(30)).ok());
  EXPECT_EQ(StateNumber(*store_, "count/" + kRegistry.ToString()), 1000);
  EXPECT_EQ(StateNumber(*store_, "sum/" + kRegistry.ToString()), SumRange(0, 1000));
  EXPECT_TRUE(projector->Status()[0].last_error.ok()) << projector->Status()[0].last_error;
  // The second projector applied exactly what the first one had not.
  EXPECT_EQ(projector->events_applied(), 1000 - applied_by_first);
}

TEST_F(ProjectorTest, CatchUpReportsASourceStuckOnAFailingEntry) {
  log_.AppendNumbers(kRegistry, 0, 20);
  std::atomic<bool> fail{true};
  ProjectorOptions options = Options({kRegistry});
  options.subscribe.max_batch = 1;
  std::unique_ptr<Projector> projector = Start(
      options,
      [&](const eventlog::TopicPartition& source, const eventlog::Entry& entry, Transaction& tx) {
        if (entry.offset == 5 && fail.load()) return absl::UnavailableError("dependency down");
        return SumEvolve(source, entry, tx);
      });
  ASSERT_NE(projector, nullptr);
  absl::Status s = projector->CatchUp(absl::Milliseconds(300));
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded) << s;
  EXPECT_THAT(s.message(), HasSubstr("at 5 of 20"));
  EXPECT_THAT(s.message(), HasSubstr("dependency down"));
  SourceStatus status = projector->Status()[0];
  EXPECT_EQ(status.next_offset, 5);
  EXPECT_EQ(status.lag, 15);
  EXPECT_EQ(status.last_error.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*store_->NextOffset(kRegistry), 5);

  fail.store(false);  // retried with backoff, then it goes through
  ASSERT_TRUE(projector->CatchUp(absl::Seconds(30)).ok());
  status = projector->Status()[0];
  EXPECT_EQ(status.next_offset, 20);
  EXPECT_TRUE(status.last_error.ok());
  EXPECT_EQ(StateNumber(*store_, "count/" + kRegistry.ToString()), 20);
}

TEST_F(ProjectorTest, LagAndMetricsFollowTheApplier) {
  prometheus::Registry registry;
  const ProjectorMetrics metrics = ProjectorMetrics::Create(registry, "test");
  log_.AppendNumbers(kRegistry, 0, 100);
  absl::Notification entered;
  absl::Notification release;
  ProjectorOptions options = Options({kRegistry});
  options.subscribe.max_batch = 1;
  options.metrics = &metrics;
  options.lag_refresh_interval = absl::ZeroDuration();  // only Status() and applies refresh
  std::unique_ptr<Projector> projector = Start(
      options,
      [&](const eventlog::TopicPartition& source, const eventlog::Entry& entry, Transaction& tx) {
        if (entry.offset == 10 && !release.HasBeenNotified()) {
          if (!entered.HasBeenNotified()) entered.Notify();
          release.WaitForNotification();
        }
        return SumEvolve(source, entry, tx);
      });
  ASSERT_NE(projector, nullptr);
  entered.WaitForNotification();  // offsets 0..9 applied, the applier waits inside 10

  SourceStatus status = projector->Status()[0];
  EXPECT_EQ(status.next_offset, 10);
  EXPECT_EQ(status.high_watermark, 100);
  EXPECT_EQ(status.lag, 90);
  prometheus::Gauge& lag = metrics.ConsumerLag(kRegistry);
  EXPECT_EQ(lag.Value(), 90);
  EXPECT_EQ(metrics.events_applied.Value(), 10);
  EXPECT_EQ(metrics.apply_latency_seconds.Collect().histogram.sample_count, 10u);

  log_.AppendNumbers(kRegistry, 100, 20);
  EXPECT_EQ(projector->Status()[0].lag, 110);
  EXPECT_EQ(lag.Value(), 110);

  release.Notify();
  ASSERT_TRUE(projector->CatchUp(absl::Seconds(30)).ok());
  status = projector->Status()[0];
  EXPECT_EQ(status.next_offset, 120);
  EXPECT_EQ(status.lag, 0);
  EXPECT_EQ(lag.Value(), 0);
  EXPECT_EQ(metrics.events_applied.Value(), 120);
  EXPECT_EQ(metrics.apply_latency_seconds.Collect().histogram.sample_count, 120u);

  // The series are labelled with the projection and the source.
  bool found_lag = false;
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != "samrad_projection_consumer_lag_events") continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      std::map<std::string, std::string> labels;
      for (const auto& label : metric.label) labels[label.name] = label.value;
      EXPECT_EQ(labels["projection"], "test");
      EXPECT_EQ(labels["topic"], kRegistry.topic);
      EXPECT_EQ(labels["partition"], "0");
      found_lag = true;
    }
  }
  EXPECT_TRUE(found_lag);
}

// The periodic refresher notices appends while the applier is stuck.
TEST_F(ProjectorTest, LagRefresherPollsTheHighWatermark) {
  prometheus::Registry registry;
  const ProjectorMetrics metrics = ProjectorMetrics::Create(registry, "refresher");
  log_.AppendNumbers(kRegistry, 0, 10);
  absl::Notification entered;
  absl::Notification release;
  ProjectorOptions options = Options({kRegistry});
  options.metrics = &metrics;
  options.lag_refresh_interval = absl::Milliseconds(5);
  std::unique_ptr<Projector> projector = Start(
      options,
      [&](const eventlog::TopicPartition& source, const eventlog::Entry& entry, Transaction& tx) {
        if (!release.HasBeenNotified()) {
          if (!entered.HasBeenNotified()) entered.Notify();
          release.WaitForNotification();
        }
        return SumEvolve(source, entry, tx);
      });
  ASSERT_NE(projector, nullptr);
  entered.WaitForNotification();
  log_.AppendNumbers(kRegistry, 10, 30);
  // Nothing but the refresher updates the gauge now; wait (bounded) until it has.
  prometheus::Gauge& lag = metrics.ConsumerLag(kRegistry);
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (lag.Value() != 40 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(2));
  EXPECT_EQ(lag.Value(), 40);
  release.Notify();
  ASSERT_TRUE(projector->CatchUp(absl::Seconds(30)).ok());
  EXPECT_EQ(lag.Value(), 0);
}

TEST_F(ProjectorTest, RefusesAStoreAheadOfTheLog) {
  log_.AppendNumbers(kRegistry, 0, 5);
  ASSERT_TRUE(
      store_->ApplyBatch(kRegistry, 0, 8, [](int64_t, Transaction&) { return absl::OkStatus(); })
          .ok());
  absl::StatusOr<std::unique_ptr<Projector>> projector =
      Projector::Start(&log_, store_.get(), SumEvolve, Options({kRegistry}));
  EXPECT_EQ(projector.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(projector.status().message(), HasSubstr("Wipe"));
}

TEST_F(ProjectorTest, RebuildsAfterAWipe) {
  log_.AppendNumbers(kRegistry, 0, 120);
  {
    std::unique_ptr<Projector> projector = Start(Options({kRegistry}));
    ASSERT_NE(projector, nullptr);
    ASSERT_TRUE(projector->CatchUp(absl::Seconds(30)).ok());
  }
  ASSERT_TRUE(store_->Wipe().ok());
  std::unique_ptr<Projector> projector = Start(Options({kRegistry}));
  ASSERT_NE(projector, nullptr);
  ASSERT_TRUE(projector->CatchUp(absl::Seconds(30)).ok());
  EXPECT_EQ(projector->events_applied(), 120);
  EXPECT_EQ(StateNumber(*store_, "count/" + kRegistry.ToString()), 120);
  EXPECT_EQ(StateNumber(*store_, "sum/" + kRegistry.ToString()), SumRange(0, 120));
}

TEST_F(ProjectorTest, RejectsBadArguments) {
  EXPECT_EQ(Projector::Start(&log_, store_.get(), SumEvolve, Options({})).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Projector::Start(&log_, store_.get(), SumEvolve, Options({kRegistry, kRegistry}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Projector::Start(nullptr, store_.get(), SumEvolve, Options({kRegistry})).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Projector::Start(&log_, store_.get(), nullptr, Options({kRegistry})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace samrad::projection
