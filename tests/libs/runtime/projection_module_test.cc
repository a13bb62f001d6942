#include "libs/runtime/projection_module.h"

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/eventlog/embedded_event_log.h"
#include "tests/testing/temp_dir.h"

namespace samrad::runtime {
namespace {

constexpr char kTopic[] = "own.events.v1";
const eventlog::TopicPartition kTp{kTopic, 0};

// Remembers the last value applied, so a test can tell which log the store was built from.
ModuleApplyFn RememberLast() {
  return [](const eventlog::TopicPartition&, const eventlog::Entry& entry,
            projection::Transaction& tx) -> absl::StatusOr<ApplyOutcome> {
    tx.Put(projection::Cf::kState, "last", entry.value);
    return ApplyOutcome::kApplied;
  };
}

ProjectionModuleSpec Spec(bool owns_topic) {
  ProjectionModuleSpec spec;
  spec.name = "own";
  if (owns_topic) spec.owned_topics = {kTopic};
  spec.source_topics = {kTopic};
  spec.apply = RememberLast();
  return spec;
}

eventlog::Record Rec(std::string value) {
  eventlog::Record record;
  record.key = "1280";
  record.value = std::move(value);
  return record;
}

// A log in `path` holding records "<prefix>0" .. "<prefix><n-1>".
std::unique_ptr<eventlog::EmbeddedEventLog> LogWith(const std::string& path,
                                                    const std::string& prefix, int n) {
  eventlog::EmbeddedEventLogOptions options;
  options.path = path;
  auto log = eventlog::EmbeddedEventLog::Open(options);
  EXPECT_TRUE(log.ok()) << log.status();
  if (!log.ok()) return nullptr;
  EXPECT_TRUE((*log)->EnsureTopic(kTopic, 1).ok());
  std::vector<eventlog::Record> records;
  for (int i = 0; i < n; ++i) records.push_back(Rec(absl::StrCat(prefix, i)));
  EXPECT_TRUE((*log)->Append(kTp, std::move(records)).ok());
  return *std::move(log);
}

// Runs the module once over `log` until it has caught up; returns Start's error, if any.
absl::Status RunOnce(bool owns_topic, eventlog::EventLog* log, const std::string& data_dir,
                     std::string* last = nullptr, int64_t* next_offset = nullptr) {
  ProjectionModule module(Spec(owns_topic));
  std::filesystem::create_directories(data_dir);  // the host does this (RunServer)
  ModuleContext context;
  context.log = log;
  context.data_dir = data_dir;
  if (absl::Status s = module.Start(context); !s.ok()) return s;
  if (absl::Status s = module.WaitReady(absl::Seconds(30)); !s.ok()) return s;
  if (last != nullptr) *last = module.store()->Get(projection::Cf::kState, "last")->value_or("");
  if (next_offset != nullptr) *next_offset = *module.store()->NextOffset(kTp);
  module.Stop();
  return absl::OkStatus();
}

TEST(ProjectionModuleTest, AStoreAheadOfItsOwnTopicIsRebuiltFromTheLog) {
  testutil::TempDir dir;
  const std::string data = dir.Sub("data");
  {
    auto log = LogWith(dir.Sub("log-before"), "a", 3);
    std::string last;
    absl::Status s = RunOnce(/*owns_topic=*/true, log.get(), data, &last);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(last, "a2");
  }
  // The log now ends before what the store applied: as after a power loss that took events
  // the executor had applied before the log's sync (ADR 0008). The store is rebuilt.
  auto log = LogWith(dir.Sub("log-after"), "b", 1);
  std::string last;
  int64_t next = -1;
  absl::Status s = RunOnce(/*owns_topic=*/true, log.get(), data, &last, &next);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(last, "b0");
  EXPECT_EQ(next, 1);
}

TEST(ProjectionModuleTest, AStoreAheadOfATopicItOnlyReadsIsDataLoss) {
  testutil::TempDir dir;
  const std::string data = dir.Sub("data");
  {
    auto log = LogWith(dir.Sub("log-before"), "a", 3);
    ASSERT_TRUE(RunOnce(/*owns_topic=*/false, log.get(), data).ok());
  }
  // Another service's topic lost records: that is not ours to paper over.
  auto log = LogWith(dir.Sub("log-after"), "b", 1);
  absl::Status s = RunOnce(/*owns_topic=*/false, log.get(), data);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
}

TEST(ProjectionModuleTest, AStoreBehindOrLevelWithItsLogIsKept) {
  testutil::TempDir dir;
  const std::string data = dir.Sub("data");
  auto log = LogWith(dir.Sub("log"), "a", 2);
  ASSERT_TRUE(RunOnce(/*owns_topic=*/true, log.get(), data).ok());
  std::vector<eventlog::Record> more;
  more.push_back(Rec("a2"));
  ASSERT_TRUE(log->Append(kTp, std::move(more)).ok());
  std::string last;
  int64_t next = -1;
  ASSERT_TRUE(RunOnce(/*owns_topic=*/true, log.get(), data, &last, &next).ok());
  EXPECT_EQ(last, "a2");
  EXPECT_EQ(next, 3);
}

}  // namespace
}  // namespace samrad::runtime
