// kafka_client_tool: a producer or a consumer process on KafkaEventLog, for the
// multi-process tests (kafka_process_test.cc).
//
//   kafka_client_tool produce --brokers B --topic T [--partition P] --count N [--batch K]
//       Appends records "<prefix><i>" (i = 0..N-1, key "1280", header "seq": i) in calls of
//       K records. Prints "<offset> <value>" per record, then "produced N". Exit 0 if every
//       Append succeeded.
//   kafka_client_tool consume --brokers B --topic T [--partition P] [--from F] --count N
//       Subscribes from F and prints "<offset> <value>" per entry until it has N entries,
//       then "hwm <high watermark>". Exit 0 if it got N entries within --timeout-ms.

#include <atomic>
#include <iostream>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/common/log.h"
#include "libs/eventlog/kafka_event_log.h"

namespace samrad::eventlog {
namespace {

struct Flags {
  std::string brokers;
  std::string topic;
  int partition = 0;
  int64_t count = 0;
  int batch = 1;
  int64_t from = 0;
  std::string prefix = "v-";
  int timeout_ms = 30000;
};

absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenLog(const Flags& flags, const char* client) {
  KafkaEventLogOptions options;
  options.brokers = flags.brokers;
  options.client_id = client;
  options.append_timeout = absl::Milliseconds(flags.timeout_ms);
  return KafkaEventLog::Open(options);
}

int Produce(const Flags& flags) {
  auto log = OpenLog(flags, "kafka-client-tool-producer");
  if (!log.ok()) {
    std::cerr << log.status() << "\n";
    return 1;
  }
  const TopicPartition tp{flags.topic, flags.partition};
  for (int64_t next = 0; next < flags.count;) {
    std::vector<Record> records;
    std::vector<std::string> values;
    for (int j = 0; j < flags.batch && next < flags.count; ++j, ++next) {
      values.push_back(absl::StrCat(flags.prefix, next));
      records.push_back(
          {.key = "1280", .value = values.back(), .headers = {{"seq", absl::StrCat(next)}}});
    }
    auto offsets = (*log)->Append(tp, std::move(records));
    if (!offsets.ok()) {
      std::cerr << "append: " << offsets.status() << "\n";
      return 1;
    }
    for (size_t i = 0; i < values.size(); ++i) {
      std::cout << (*offsets)[i] << " " << values[i] << "\n";
    }
  }
  std::cout << "produced " << flags.count << std::endl;
  return 0;
}

int Consume(const Flags& flags) {
  auto log = OpenLog(flags, "kafka-client-tool-consumer");
  if (!log.ok()) {
    std::cerr << log.status() << "\n";
    return 1;
  }
  const TopicPartition tp{flags.topic, flags.partition};
  std::mutex mu;
  std::vector<Entry> entries;
  std::atomic<int64_t> received{0};
  SubscribeOptions options;
  options.initial_backoff = absl::Milliseconds(10);
  options.max_backoff = absl::Milliseconds(100);
  auto subscription = (*log)->Subscribe(
      tp, flags.from,
      [&](const std::vector<Entry>& batch) {
        std::lock_guard lock(mu);
        entries.insert(entries.end(), batch.begin(), batch.end());
        received.store(static_cast<int64_t>(entries.size()));
        return absl::OkStatus();
      },
      options);
  if (!subscription.ok()) {
    std::cerr << "subscribe: " << subscription.status() << "\n";
    return 1;
  }
  const absl::Time deadline = absl::Now() + absl::Milliseconds(flags.timeout_ms);
  while (received.load() < flags.count && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  subscription->reset();
  for (const Entry& e : entries) std::cout << e.offset << " " << e.value << "\n";
  auto hwm = (*log)->HighWatermark(tp);
  if (!hwm.ok()) {
    std::cerr << "high watermark: " << hwm.status() << "\n";
    return 1;
  }
  std::cout << "hwm " << *hwm << std::endl;
  if (static_cast<int64_t>(entries.size()) < flags.count) {
    std::cerr << "only " << entries.size() << " of " << flags.count << " entries\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace samrad::eventlog

int main(int argc, char** argv) {
  samrad::eventlog::Flags flags;
  CLI::App app{"Produces or consumes records of one partition through KafkaEventLog",
               "kafka_client_tool"};
  app.require_subcommand(1);
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--brokers", flags.brokers, "bootstrap servers")->required();
    cmd->add_option("--topic", flags.topic, "topic")->required();
    cmd->add_option("--partition", flags.partition, "partition");
    cmd->add_option("--count", flags.count, "number of records")->required();
    cmd->add_option("--prefix", flags.prefix, "value prefix");
    cmd->add_option("--timeout-ms", flags.timeout_ms, "overall bound / append timeout");
  };
  CLI::App* produce = app.add_subcommand("produce", "append --count records");
  add_common(produce);
  produce->add_option("--batch", flags.batch, "records per Append")->check(CLI::PositiveNumber);
  CLI::App* consume = app.add_subcommand("consume", "subscribe until --count entries");
  add_common(consume);
  consume->add_option("--from", flags.from, "first offset");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  samrad::log::Init("warn", samrad::log::Format::kText);
  if (produce->parsed()) return samrad::eventlog::Produce(flags);
  return samrad::eventlog::Consume(flags);
}
