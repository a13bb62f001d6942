#ifndef SAMRAD_TESTS_LIBS_EVENTLOG_EVENT_LOG_CONTRACT_H_
#define SAMRAD_TESTS_LIBS_EVENTLOG_EVENT_LOG_CONTRACT_H_

// The contract every EventLog backend passes (see the semantics in libs/eventlog/event_log.h).
//
// The TEST_Ps live in event_log_contract.cc, which each backend's test binary compiles in;
// the backend's test file instantiates them:
//
//   INSTANTIATE_TEST_SUITE_P(Embedded, EventLogContractTest,
//                            ::testing::Values(EventLogBackend{.name = "embedded", ...}),
//                            BackendName);

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/eventlog/event_log.h"

namespace samrad::eventlog::testing {

struct EventLogBackend {
  // Used for the test name suffix: letters, digits and '_' only.
  std::string name;
  // Opens a log on `dir` (a directory unique to the test, created by the fixture, empty at
  // first). Opening again with the same dir must see the same data (embedded: same RocksDB;
  // kafka: same cluster).
  std::function<absl::StatusOr<std::unique_ptr<EventLog>>(const std::string& dir)> open;
  // Whether the records of one Append call are contiguous in the partition even while other
  // calls append concurrently (embedded: yes; Kafka: no, only each caller's order holds).
  bool batches_contiguous = true;
  // What EventLogContractTest::Reopen closes and opens again, and so what the tests across
  // a reopen show for this backend; named in their failure messages. E.g. "the RocksDB
  // database in the test's directory" (records survive a restart of the process), or "a
  // new client against the same running mock cluster" (records live in the cluster, not in
  // the client; surviving a broker restart is beyond an in-memory mock).
  std::string reopen_scope = {};
};

// Prints the backend's name in gtest messages (instead of the struct's bytes).
void PrintTo(const EventLogBackend& backend, std::ostream* os);

// gtest's name generator for INSTANTIATE_TEST_SUITE_P: the backend's name.
std::string BackendName(const ::testing::TestParamInfo<EventLogBackend>& info);

class EventLogContractTest : public ::testing::TestWithParam<EventLogBackend> {
 protected:
  // Upper bound for anything the tests wait for; reached only when a backend is broken.
  static constexpr absl::Duration kTimeout = absl::Seconds(30);

  // Creates the test's directory and opens the log on it.
  void SetUp() override;
  // Closes the log and removes the directory.
  void TearDown() override;

  EventLog& log() { return *log_; }

  // Destroys the log and opens it again on the same directory (see
  // EventLogBackend::reopen_scope for what that reopens).
  void Reopen();

  // A topic name unique to this test and run (test name plus a random suffix), created
  // with `partitions` partitions.
  std::string NewTopic(int32_t partitions = 1);

  // Appends and expects success.
  std::vector<int64_t> MustAppend(const TopicPartition& tp, std::vector<Record> records);

  // Reads exactly `count` entries from `from` with as many Reads as needed; fails the test
  // if the log has fewer than that within kTimeout.
  std::vector<Entry> ReadExactly(const TopicPartition& tp, int64_t from, size_t count);

  // The directory the log lives in.
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::unique_ptr<EventLog> log_;
};

// Simple records whose value is `prefix` + index, keyed by `key`.
std::vector<Record> MakeRecords(const std::string& prefix, int count,
                                const std::string& key = "1280");

}  // namespace samrad::eventlog::testing

#endif  // SAMRAD_TESTS_LIBS_EVENTLOG_EVENT_LOG_CONTRACT_H_
