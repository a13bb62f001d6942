#include "libs/eventlog/kafka_event_log.h"

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/eventlog/mock_kafka_cluster.h"
#include "libs/eventlog/rdkafka_support.h"
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

// Produce, in the Kafka protocol's numbering of request types.
constexpr int16_t kProduceApiKey = 0;
// Upper bound for anything a test waits for; reached only when something is broken.
constexpr absl::Duration kTimeout = absl::Seconds(30);

// One mock cluster for the whole binary: topics are unique per test.
class KafkaEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto cluster = MockKafkaCluster::Start(3);
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(*cluster);
  }
  void TearDown() override { cluster_.reset(); }

  static MockKafkaCluster& cluster() { return *cluster_; }

 private:
  static inline std::unique_ptr<MockKafkaCluster> cluster_;
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new KafkaEnvironment);

KafkaEventLogOptions OptionsFor(const MockKafkaCluster& cluster) {
  KafkaEventLogOptions options;
  options.brokers = cluster.bootstrap_servers();
  options.client_id = "samrad-test";
  options.append_timeout = kTimeout;
  return options;
}

absl::StatusOr<std::unique_ptr<EventLog>> OpenOnSharedCluster(const std::string& /*dir*/) {
  auto log = KafkaEventLog::Open(OptionsFor(KafkaEnvironment::cluster()));
  if (!log.ok()) return log.status();
  return std::unique_ptr<EventLog>(std::move(*log));
}

INSTANTIATE_TEST_SUITE_P(Kafka, EventLogContractTest,
                         ::testing::Values(EventLogBackend{
                             .name = "kafka",
                             .open = &OpenOnSharedCluster,
                             .batches_contiguous = false,
                             .reopen_scope = "a new client (producer, consumers, admin) against "
                                             "the same running mock cluster; the brokers are "
                                             "not restarted (the mock keeps records in memory)"}),
                         BackendName);

std::string UniqueTopic(const std::string& prefix) {
  static std::mt19937_64 rng{std::random_device{}()};
  return absl::StrCat("kafka-test.", prefix, ".", absl::Hex(rng()));
}

std::vector<std::string> Values(const std::vector<Entry>& entries) {
  std::vector<std::string> values;
  for (const Entry& e : entries) values.push_back(e.value);
  return values;
}

std::vector<int64_t> Offsets(const std::vector<Entry>& entries) {
  std::vector<int64_t> offsets;
  for (const Entry& e : entries) offsets.push_back(e.offset);
  return offsets;
}

// Reads every entry of `tp` below its high watermark.
std::vector<Entry> ReadAll(EventLog& log, const TopicPartition& tp) {
  auto hwm = log.HighWatermark(tp);
  EXPECT_TRUE(hwm.ok()) << hwm.status();
  if (!hwm.ok()) return {};
  std::vector<Entry> all;
  const absl::Time deadline = absl::Now() + kTimeout;
  while (static_cast<int64_t>(all.size()) < *hwm && absl::Now() < deadline) {
    auto got = log.Read(tp, static_cast<int64_t>(all.size()), 1000, absl::Seconds(1));
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok()) break;
    for (Entry& e : *got) all.push_back(std::move(e));
  }
  EXPECT_EQ(static_cast<int64_t>(all.size()), *hwm);
  return all;
}

class KafkaEventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = KafkaEventLog::Open(OptionsFor(cluster()));
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }

  MockKafkaCluster& cluster() { return KafkaEnvironment::cluster(); }
  KafkaEventLog& log() { return *log_; }

  // A new topic with `partitions` partitions, created on the mock directly.
  std::string NewTopic(int32_t partitions = 1) {
    std::string topic =
        UniqueTopic(::testing::UnitTest::GetInstance()->current_test_info()->name());
    absl::Status s = cluster().CreateTopic(topic, partitions, 3);
    EXPECT_TRUE(s.ok()) << s;
    return topic;
  }

  std::unique_ptr<KafkaEventLog> log_;
};

TEST(KafkaEventLogOpenTest, RejectsBadOptions) {
  KafkaEventLogOptions options;
  EXPECT_EQ(KafkaEventLog::Open(options).status().code(), absl::StatusCode::kInvalidArgument);

  options.brokers = "127.0.0.1:1";
  options.append_timeout = absl::ZeroDuration();
  EXPECT_EQ(KafkaEventLog::Open(options).status().code(), absl::StatusCode::kInvalidArgument);

  options.append_timeout = absl::Seconds(1);
  options.replication_factor = 0;
  EXPECT_EQ(KafkaEventLog::Open(options).status().code(), absl::StatusCode::kInvalidArgument);

  options.replication_factor = -1;
  options.extra_config = {{"no.such.property", "1"}};
  auto log = KafkaEventLog::Open(options);
  EXPECT_EQ(log.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(log.status().message(), HasSubstr("no.such.property"));
}

TEST_F(KafkaEventLogTest, BackendIsKafka) { EXPECT_EQ(log().backend(), "kafka"); }

// A fatal idempotence error (the broker answers OUT_OF_ORDER_SEQUENCE_NUMBER, as if it had
// lost acknowledged records) fails the call in flight; the producer is then recreated and
// later appends work. The failed call wrote nothing, so its retry is not a duplicate.
TEST_F(KafkaEventLogTest, FatalIdempotenceErrorRecreatesTheProducer) {
  const TopicPartition tp{NewTopic(), 0};
  auto first = log().Append(tp, MakeRecords("a", 3));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(*first, ElementsAre(0, 1, 2));
  EXPECT_EQ(log().stats().producer_recreations, 0);

  cluster().PushRequestErrors(kProduceApiKey, {RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER});
  auto failed = log().Append(tp, MakeRecords("b", 2));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_THAT(failed.status().message(), HasSubstr(tp.ToString()));

  // Retries fail fast while the failed producer is being replaced, then succeed.
  absl::StatusOr<std::vector<int64_t>> retried = failed.status();
  const absl::Time deadline = absl::Now() + kTimeout;
  while (!retried.ok() && absl::Now() < deadline) {
    EXPECT_EQ(retried.status().code(), absl::StatusCode::kUnavailable) << retried.status();
    absl::SleepFor(absl::Milliseconds(20));
    retried = log().Append(tp, MakeRecords("b", 2));
  }
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_THAT(*retried, ElementsAre(3, 4));
  EXPECT_EQ(log().stats().producer_recreations, 1);

  auto later = log().Append(tp, MakeRecords("c", 1));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_THAT(*later, ElementsAre(5));

  EXPECT_THAT(Values(ReadAll(log(), tp)), ElementsAre("a0", "a1", "a2", "b0", "b1", "c0"));
}

// Sequential Reads continue on the consumer's position; any other offset re-assigns, in
// either direction, and a Read of the same offset again (a redelivery) gets the same entries.
TEST_F(KafkaEventLogTest, ReadReassignsOnlyWhenTheOffsetDiffers) {
  const TopicPartition tp{NewTopic(), 0};
  ASSERT_TRUE(log().Append(tp, MakeRecords("v", 20)).ok());
  const KafkaEventLogStats before = log().stats();

  // Exactly `count` offsets from `from`, with as many (sequential) Reads as needed.
  auto read = [&](int64_t from, size_t count) {
    std::vector<int64_t> offsets;
    const absl::Time deadline = absl::Now() + kTimeout;
    while (offsets.size() < count && absl::Now() < deadline) {
      const int64_t at = from + static_cast<int64_t>(offsets.size());
      auto got = log().Read(tp, at, count - offsets.size(), kTimeout);
      EXPECT_TRUE(got.ok()) << got.status();
      if (!got.ok()) break;
      for (int64_t offset : Offsets(*got)) offsets.push_back(offset);
    }
    return offsets;
  };
  auto assignments = [&] {
    return log().stats().consumer_assignments - before.consumer_assignments;
  };

  EXPECT_THAT(read(0, 3), ElementsAre(0, 1, 2));
  EXPECT_EQ(assignments(), 1);
  // Continuing where the last Read stopped: served from the same assignment.
  EXPECT_THAT(read(3, 2), ElementsAre(3, 4));
  EXPECT_THAT(read(5, 5), ElementsAre(5, 6, 7, 8, 9));
  EXPECT_EQ(assignments(), 1);

  // Backwards: the same offsets again.
  EXPECT_THAT(read(2, 2), ElementsAre(2, 3));
  EXPECT_EQ(assignments(), 2);
  // Forwards past what was read.
  EXPECT_THAT(read(15, 1), ElementsAre(15));
  EXPECT_EQ(assignments(), 3);
  EXPECT_THAT(read(16, 1), ElementsAre(16));
  EXPECT_EQ(assignments(), 3);
  // The same offset twice in a row, as a subscription's redelivery does.
  EXPECT_THAT(read(17, 1), ElementsAre(17));
  EXPECT_THAT(read(17, 1), ElementsAre(17));
  EXPECT_EQ(assignments(), 4);

  // One cached consumer served all of it.
  EXPECT_EQ(log().stats().consumers_created - before.consumers_created, 1);
}

TEST_F(KafkaEventLogTest, ReadRecoversAfterAnOutOfRangeOffset) {
  const TopicPartition tp{NewTopic(), 0};
  ASSERT_TRUE(log().Append(tp, MakeRecords("v", 5)).ok());

  auto beyond = log().Read(tp, 6, 10, absl::Seconds(5));
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kOutOfRange) << beyond.status();
  EXPECT_THAT(beyond.status().message(), HasSubstr(tp.ToString()));

  // At exactly the high watermark: waits, then nothing.
  auto at_end = log().Read(tp, 5, 10, absl::Milliseconds(50));
  ASSERT_TRUE(at_end.ok()) << at_end.status();
  EXPECT_THAT(*at_end, IsEmpty());

  auto from_start = log().Read(tp, 0, 10, kTimeout);
  ASSERT_TRUE(from_start.ok()) << from_start.status();
  ASSERT_FALSE(from_start->empty());
  EXPECT_EQ(from_start->front().offset, 0);
  EXPECT_EQ(from_start->front().value, "v0");
}

TEST_F(KafkaEventLogTest, UnknownPartitionsAndTopicsAreNotFound) {
  const std::string topic = NewTopic(2);
  const TopicPartition missing{topic, 7};

  auto appended = log().Append(missing, MakeRecords("x", 1));
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kNotFound) << appended.status();
  EXPECT_THAT(appended.status().message(), HasSubstr(topic));

  EXPECT_EQ(log().Read(missing, 0, 1, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(log().HighWatermark(missing).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(log()
                .Subscribe(missing, 0, [](const std::vector<Entry>&) { return absl::OkStatus(); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);

  // Never created. (A metadata request naming it would create it on the mock; the log only
  // asks for all topics, so it stays unknown.)
  const TopicPartition unknown{UniqueTopic("never-created"), 0};
  EXPECT_EQ(log().Append(unknown, MakeRecords("x", 1)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(log().HighWatermark(unknown).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(log().Read(unknown, 0, 1, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kNotFound);

  // The existing partitions are unaffected.
  auto ok = log().Append({topic, 1}, MakeRecords("y", 1));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_THAT(*ok, ElementsAre(0));
}

TEST_F(KafkaEventLogTest, MalformedArgumentsAreInvalid) {
  const std::string topic = NewTopic();
  auto invalid = [](const absl::Status& s) {
    return s.code() == absl::StatusCode::kInvalidArgument;
  };
  EXPECT_TRUE(invalid(log().Append({topic, -1}, MakeRecords("x", 1)).status()));
  EXPECT_TRUE(invalid(log().Read({topic, 0}, -1, 1, absl::ZeroDuration()).status()));
  EXPECT_TRUE(invalid(log().HighWatermark({"bad topic", 0}).status()));
  EXPECT_TRUE(invalid(log().EnsureTopic("", 1)));
  EXPECT_TRUE(invalid(log().EnsureTopic(topic, 0)));
  EXPECT_TRUE(invalid(log().Subscribe({topic, 0}, 0, nullptr).status()));

  // Nothing to do is no error.
  auto none = log().Append({topic, 0}, {});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, IsEmpty());
  auto zero = log().Read({topic, 0}, 0, 0, absl::Seconds(1));
  ASSERT_TRUE(zero.ok()) << zero.status();
  EXPECT_THAT(*zero, IsEmpty());
}

// librdkafka 2.0.2's mock has no CreateTopics: EnsureTopic falls back on auto-creation,
// which gives the mock's default of 4 partitions. More than that must be precreated.
TEST_F(KafkaEventLogTest, EnsureTopicFallsBackOnAutoCreationOnTheMock) {
  const std::string small = UniqueTopic("auto");
  ASSERT_TRUE(log().EnsureTopic(small, 2).ok());
  auto p3 = log().HighWatermark({small, 3});
  ASSERT_TRUE(p3.ok()) << p3.status();
  EXPECT_EQ(*p3, 0);

  const std::string large = UniqueTopic("auto-large");
  absl::Status too_many = log().EnsureTopic(large, 8);
  EXPECT_EQ(too_many.code(), absl::StatusCode::kFailedPrecondition) << too_many;
  EXPECT_THAT(too_many.message(), HasSubstr(large));

  // A precreated topic with 8 partitions is taken as it is.
  const std::string precreated = NewTopic(8);
  ASSERT_TRUE(log().EnsureTopic(precreated, 8).ok());
  auto p7 = log().Append({precreated, 7}, MakeRecords("p7-", 1));
  ASSERT_TRUE(p7.ok()) << p7.status();
  EXPECT_THAT(*p7, ElementsAre(0));
}

// With the only broker down, an Append times out (DEADLINE_EXCEEDED, naming the partition)
// without writing; once the broker is back, appends work and the log has no trace of it.
// The appends after the fault go through a second log with the usual timeout, so that a
// slow reconnect cannot time one of them out (and a retry duplicate it).
TEST(KafkaEventLogFaultTest, AppendTimesOutWhileTheBrokerIsDown) {
  auto cluster = MockKafkaCluster::Start(1);
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  const std::string topic = UniqueTopic("timeout");
  ASSERT_TRUE((*cluster)->CreateTopic(topic, 1, 1).ok());
  KafkaEventLogOptions options = OptionsFor(**cluster);
  options.append_timeout = absl::Seconds(2);
  auto log = KafkaEventLog::Open(options);
  ASSERT_TRUE(log.ok()) << log.status();
  const TopicPartition tp{topic, 0};
  ASSERT_TRUE((*log)->Append(tp, MakeRecords("before", 2)).ok());

  ASSERT_TRUE((*cluster)->SetBrokerDown(1).ok());
  auto during = (*log)->Append(tp, MakeRecords("during", 1));
  ASSERT_FALSE(during.ok());
  EXPECT_EQ(during.status().code(), absl::StatusCode::kDeadlineExceeded) << during.status();
  EXPECT_THAT(during.status().message(), HasSubstr(tp.ToString()));
  ASSERT_TRUE((*cluster)->SetBrokerUp(1).ok());

  auto after_log = KafkaEventLog::Open(OptionsFor(**cluster));
  ASSERT_TRUE(after_log.ok()) << after_log.status();
  auto after = (*after_log)->Append(tp, MakeRecords("after", 1));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_THAT(*after, ElementsAre(2));
  EXPECT_THAT(Values(ReadAll(**after_log, tp)), ElementsAre("before0", "before1", "after0"));
}

TEST(RdkafkaErrorMappingTest, MapsTheErrorsAppendAndReadSee) {
  using rdkafka::ErrorCode;
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR_NO_ERROR), absl::StatusCode::kOk);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR__TRANSPORT), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR__PURGE_INFLIGHT), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR__FATAL), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR__QUEUE_FULL), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorCode(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE), absl::StatusCode::kUnimplemented);

  const absl::Status s = rdkafka::ErrorStatus(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, "append to t/0");
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(s.message(), HasSubstr("append to t/0: _MSG_TIMED_OUT: "));
  EXPECT_TRUE(rdkafka::ErrorStatus(RD_KAFKA_RESP_ERR_NO_ERROR, "x").ok());
}

TEST(MockKafkaClusterTest, RejectsUnknownBrokersAndBadTopics) {
  auto cluster = MockKafkaCluster::Start(2);
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  EXPECT_EQ((*cluster)->broker_count(), 2);
  EXPECT_THAT((*cluster)->bootstrap_servers(), HasSubstr("127.0.0.1:"));
  EXPECT_EQ((*cluster)->SetBrokerDown(3).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*cluster)->SetBrokerUp(0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*cluster)->CreateTopic("t", 1, 3).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE((*cluster)->CreateTopic("t", 2, 2).ok());
  EXPECT_TRUE((*cluster)->SetPartitionLeader("t", 1, 2).ok());
  EXPECT_TRUE((*cluster)->SetBrokerRtt(2, absl::Milliseconds(5)).ok());
  EXPECT_EQ((*cluster)->SetBrokerRtt(2, absl::Milliseconds(-1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MockKafkaCluster::Start(0).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace samrad::eventlog
