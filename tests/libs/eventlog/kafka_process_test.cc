// Kafka across processes and faults:
// - samrad-kafka-dev hosts the mock cluster in a process of its own; a producer process and
//   consumer processes (kafka_client_tool) talk to it over loopback.
// - A broker (the partition leader) goes down and comes back while a producer appends
//   continuously; afterwards every acknowledged record is there exactly once, in order.
//   This one runs in-process on MockKafkaCluster, which can take brokers down.
//
// What the mock cannot test: librdkafka 2.0.2's mock checks producer sequence numbers only
// for transactional producers, so when a connection drops after a produce request was
// appended but before its response left, the idempotent producer's retry (same producer id
// and sequence, which a real broker recognises and acknowledges without writing) is written
// a second time. The fault test therefore takes the leader down between two Append calls,
// never during one: the appends that follow meet the fault (a stall until the broker is
// back, or a leader change), and none of them can be persisted-but-unacknowledged.

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/eventlog/kafka_event_log.h"
#include "libs/eventlog/mock_kafka_cluster.h"
#include "tests/testing/child_process.h"

namespace samrad::eventlog {
namespace {

using ::testing::HasSubstr;

// Upper bound for anything a test waits for; reached only when something is broken.
constexpr absl::Duration kTimeout = absl::Seconds(30);

std::string KafkaDevPath() {
  const char* bin_dir = std::getenv("SAMRAD_BIN_DIR");
  if (bin_dir != nullptr && *bin_dir != '\0') return absl::StrCat(bin_dir, "/samrad-kafka-dev");
  return SAMRAD_KAFKA_DEV_PATH;  // The build's own, when run outside ctest.
}

using ::samrad::testutil::ChildProcess;
using ::samrad::testutil::ReadFile;

// "<offset> <value>" lines of kafka_client_tool, and its "hwm N" line.
struct ToolOutput {
  std::vector<std::pair<int64_t, std::string>> records;
  std::optional<int64_t> hwm;
};

ToolOutput ParseToolOutput(const std::string& text) {
  ToolOutput output;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    const std::string first = line.substr(0, space);
    const std::string second = line.substr(space + 1);
    int64_t number;
    if (first == "hwm" && absl::SimpleAtoi(second, &number)) {
      output.hwm = number;
    } else if (absl::SimpleAtoi(first, &number)) {
      output.records.emplace_back(number, second);
    }
  }
  return output;
}

class KafkaProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "samrad-kafka-process-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Starts a process whose stdout and stderr go to <name>.out and <name>.err.
  std::unique_ptr<ChildProcess> Start(const std::string& name,
                                      const std::vector<std::string>& argv) {
    return ChildProcess::Start(argv, Path(name + ".out"), Path(name + ".err"));
  }

  // Waits for samrad-kafka-dev's port file; the bootstrap servers, or "" on failure.
  std::string WaitForPortFile(ChildProcess& kafka_dev, const std::string& path) {
    const absl::Time deadline = absl::Now() + kTimeout;
    while (absl::Now() < deadline) {
      if (std::filesystem::exists(path)) {
        std::string content = ReadFile(path);
        while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
          content.pop_back();
        }
        return content;
      }
      if (!kafka_dev.Running()) {
        ADD_FAILURE() << "samrad-kafka-dev exited early: " << ReadFile(Path("kafka-dev.err"));
        return "";
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    ADD_FAILURE() << "no port file " << path;
    return "";
  }

  std::string dir_;
};

TEST_F(KafkaProcessTest, ProducerAndConsumersInSeparateProcesses) {
  constexpr int kCount = 1000;
  const std::string topic = "process.events.v1";
  const std::string port_file = Path("kafka.port");
  auto kafka_dev = Start("kafka-dev", {KafkaDevPath(), "--brokers", "3", "--topics", topic,
                                       "--partitions", "2", "--port-file", port_file});
  ASSERT_NE(kafka_dev, nullptr);
  const std::string brokers = WaitForPortFile(*kafka_dev, port_file);
  ASSERT_FALSE(brokers.empty());
  EXPECT_THAT(brokers, HasSubstr("127.0.0.1:"));

  const std::string tool = SAMRAD_KAFKA_CLIENT_TOOL_PATH;
  const std::vector<std::string> common = {"--brokers",   brokers, "--topic",      topic,
                                           "--partition", "1",     "--timeout-ms", "30000"};
  auto command = [&](std::vector<std::string> head, std::vector<std::string> tail) {
    head.insert(head.end(), common.begin(), common.end());
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };
  // The consumer subscribes first, so it gets the records live as the producer appends.
  auto consumer = Start(
      "consumer", command({tool, "consume"}, {"--from", "0", "--count", absl::StrCat(kCount)}));
  ASSERT_NE(consumer, nullptr);
  auto producer = Start(
      "producer", command({tool, "produce"}, {"--count", absl::StrCat(kCount), "--batch", "7"}));
  ASSERT_NE(producer, nullptr);

  ASSERT_EQ(producer->WaitExitCode(kTimeout + absl::Seconds(10)), 0)
      << ReadFile(Path("producer.err"));
  ASSERT_EQ(consumer->WaitExitCode(kTimeout + absl::Seconds(10)), 0)
      << ReadFile(Path("consumer.err"));

  const ToolOutput produced = ParseToolOutput(ReadFile(Path("producer.out")));
  ASSERT_EQ(produced.records.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(produced.records[i], std::make_pair(int64_t{i}, absl::StrCat("v-", i)));
  }
  const ToolOutput consumed = ParseToolOutput(ReadFile(Path("consumer.out")));
  EXPECT_EQ(consumed.records, produced.records) << "the consumer saw other records or order";
  EXPECT_EQ(consumed.hwm, kCount);

  // A later consumer process replays from the middle.
  auto replay = Start("replay", command({tool, "consume"}, {"--from", "600", "--count", "400"}));
  ASSERT_NE(replay, nullptr);
  ASSERT_EQ(replay->WaitExitCode(kTimeout + absl::Seconds(10)), 0) << ReadFile(Path("replay.err"));
  const ToolOutput replayed = ParseToolOutput(ReadFile(Path("replay.out")));
  const std::vector<std::pair<int64_t, std::string>> second_part(produced.records.begin() + 600,
                                                                 produced.records.end());
  EXPECT_EQ(replayed.records, second_part);

  // samrad-kafka-dev says what it is, prints its address, and stops cleanly on SIGTERM.
  kafka_dev->Signal(SIGTERM);
  EXPECT_EQ(kafka_dev->WaitExitCode(kTimeout), 0);
  EXPECT_THAT(ReadFile(Path("kafka-dev.err")), HasSubstr("FOR DEVELOPMENT ONLY"));
  EXPECT_EQ(ReadFile(Path("kafka-dev.out")), brokers + "\n");
  EXPECT_FALSE(std::filesystem::exists(port_file)) << "the port file outlived the cluster";
}

TEST_F(KafkaProcessTest, KafkaDevRejectsBadFlagsAndStopsOnSigint) {
  auto bad = Start("bad", {KafkaDevPath(), "--brokers", "0"});
  ASSERT_NE(bad, nullptr);
  EXPECT_NE(bad->WaitExitCode(kTimeout), 0);

  auto kafka_dev = Start("kafka-dev", {KafkaDevPath(), "--port-file", Path("port")});
  ASSERT_NE(kafka_dev, nullptr);
  ASSERT_FALSE(WaitForPortFile(*kafka_dev, Path("port")).empty());
  kafka_dev->Signal(SIGINT);
  EXPECT_EQ(kafka_dev->WaitExitCode(kTimeout), 0);
}

// Whether leadership moves to another broker while the leader is down (a failover) or
// stays with the down broker until it is back (a stall).
class KafkaBrokerFaultTest : public ::testing::TestWithParam<bool> {};

TEST_P(KafkaBrokerFaultTest, LeaderDownAndUpLosesAndDuplicatesNothing) {
  const bool failover = GetParam();
  auto cluster = MockKafkaCluster::Start(3);
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  const std::string topic = absl::StrCat("fault.", failover ? "failover" : "stall", ".",
                                         absl::Hex(std::random_device{}()));
  ASSERT_TRUE((*cluster)->CreateTopic(topic, 1, 3).ok());
  constexpr int32_t kLeader = 2;
  ASSERT_TRUE((*cluster)->SetPartitionLeader(topic, 0, kLeader).ok());
  const TopicPartition tp{topic, 0};

  KafkaEventLogOptions options;
  options.brokers = (*cluster)->bootstrap_servers();
  options.client_id = "samrad-fault-test";
  options.append_timeout = kTimeout;
  auto log = KafkaEventLog::Open(options);
  ASSERT_TRUE(log.ok()) << log.status();

  // One appender, appending calls of 1 to 3 records without pause; values carry a sequence
  // number, so the log's order can be checked against the appender's.
  std::mutex mu;
  std::vector<std::pair<int64_t, std::string>> acknowledged;  // (offset, value)
  std::vector<std::string> failed;
  std::atomic<bool> stop{false};
  // Lets the test act between two Append calls (see the file comment).
  std::mutex gate_mu;
  std::condition_variable gate_cv;
  bool pause_requested = false;
  bool paused = false;
  std::thread appender([&] {
    int64_t seq = 0;
    while (!stop.load()) {
      {
        std::unique_lock gate(gate_mu);
        if (pause_requested) {
          paused = true;
          gate_cv.notify_all();
          gate_cv.wait(gate, [&] { return !pause_requested; });
          paused = false;
        }
      }
      std::vector<Record> records;
      std::vector<std::string> values;
      for (int64_t j = 0; j < 1 + seq % 3; ++j) {
        values.push_back(absl::StrCat("s-", seq + j));
        records.push_back({.key = "1280", .value = values.back(), .headers = {}});
      }
      seq += static_cast<int64_t>(values.size());
      auto offsets = (*log)->Append(tp, std::move(records));
      std::lock_guard lock(mu);
      if (offsets.ok()) {
        for (size_t i = 0; i < values.size(); ++i)
          acknowledged.emplace_back((*offsets)[i], values[i]);
      } else {
        failed.insert(failed.end(), values.begin(), values.end());
        ADD_FAILURE() << "append failed (allowed by the semantics, unexpected within " << kTimeout
                      << "): " << offsets.status();
      }
    }
  });
  // Stops and joins the appender however the test ends.
  auto stop_appender = absl::MakeCleanup([&] {
    {
      std::lock_guard gate(gate_mu);
      pause_requested = false;
    }
    gate_cv.notify_all();
    stop.store(true);
    appender.join();
  });
  auto acknowledged_count = [&] {
    std::lock_guard lock(mu);
    return acknowledged.size();
  };
  auto wait_for_acknowledged = [&](size_t count) {
    const absl::Time deadline = absl::Now() + kTimeout;
    while (acknowledged_count() < count && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    return acknowledged_count() >= count;
  };

  EXPECT_TRUE(wait_for_acknowledged(200)) << "no progress before the fault";
  size_t at_fault = 0;
  {
    std::unique_lock gate(gate_mu);
    pause_requested = true;
    gate_cv.wait(gate, [&] { return paused; });
    at_fault = acknowledged_count();
    ASSERT_TRUE((*cluster)->SetBrokerDown(kLeader).ok());
    if (failover) {
      ASSERT_TRUE((*cluster)->SetPartitionLeader(topic, 0, 3).ok());
    }
    pause_requested = false;
    gate_cv.notify_all();
  }
  // The fault lasts a while; the appender keeps appending (and, on a stall, waiting).
  absl::SleepFor(absl::Seconds(1));
  const size_t before_up = acknowledged_count();
  if (!failover) {
    EXPECT_EQ(before_up, at_fault) << "acknowledged while the partition's only leader was down";
  }
  ASSERT_TRUE((*cluster)->SetBrokerUp(kLeader).ok());
  EXPECT_TRUE(wait_for_acknowledged(before_up + 200)) << "no progress after the fault";
  std::move(stop_appender).Invoke();

  // Read back everything through a fresh log.
  auto reader = KafkaEventLog::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto hwm = (*reader)->HighWatermark(tp);
  ASSERT_TRUE(hwm.ok()) << hwm.status();
  std::vector<Entry> entries;
  const absl::Time deadline = absl::Now() + kTimeout;
  while (static_cast<int64_t>(entries.size()) < *hwm && absl::Now() < deadline) {
    auto got = (*reader)->Read(tp, static_cast<int64_t>(entries.size()), 1000, absl::Seconds(1));
    ASSERT_TRUE(got.ok()) << got.status();
    for (Entry& e : *got) entries.push_back(std::move(e));
  }
  ASSERT_EQ(static_cast<int64_t>(entries.size()), *hwm);

  // Nothing twice, and in the appender's order.
  std::set<std::string> seen;
  int64_t previous_seq = -1;
  for (size_t i = 0; i < entries.size(); ++i) {
    ASSERT_EQ(entries[i].offset, static_cast<int64_t>(i));
    ASSERT_TRUE(seen.insert(entries[i].value).second) << "duplicate " << entries[i].value;
    int64_t seq;
    ASSERT_TRUE(absl::SimpleAtoi(entries[i].value.substr(2), &seq)) << entries[i].value;
    ASSERT_GT(seq, previous_seq) << "out of order at offset " << i;
    previous_seq = seq;
  }
  // Every acknowledged record is where Append said it is.
  for (const auto& [offset, value] : acknowledged) {
    ASSERT_LT(offset, static_cast<int64_t>(entries.size())) << value << " is missing";
    ASSERT_EQ(entries[offset].value, value) << "at offset " << offset;
  }
  // Nothing else is there: only acknowledged records and, at most, those of failed calls
  // (which may or may not have been written).
  std::set<std::string> appended(failed.begin(), failed.end());
  for (const auto& [offset, value] : acknowledged) appended.insert(value);
  for (const Entry& e : entries) EXPECT_TRUE(appended.contains(e.value)) << e.value;
  if (failed.empty()) {
    EXPECT_EQ(entries.size(), acknowledged.size());
  }
}

INSTANTIATE_TEST_SUITE_P(LeaderFault, KafkaBrokerFaultTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Failover" : "Stall";
                         });

}  // namespace
}  // namespace samrad::eventlog
