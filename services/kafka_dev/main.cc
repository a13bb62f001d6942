// samrad-kafka-dev: hosts librdkafka's mock Kafka cluster on 127.0.0.1 for local
// multi-process runs and tests. FOR DEVELOPMENT ONLY: nothing is durable.
//
//   samrad-kafka-dev [--brokers N] [--port-file PATH] [--topics a,b --partitions N]
//
// Prints the bootstrap servers on stdout (one line) once the brokers listen, and writes them
// to --port-file (atomically: a temporary file renamed into place), because the brokers get
// ephemeral ports. Runs until SIGINT or SIGTERM, then removes the port file and exits 0.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "CLI/CLI.hpp"
#include "libs/common/log.h"
#include "libs/eventlog/mock_kafka_cluster.h"
#include "libs/runtime/listen_address.h"

namespace {

constexpr char kWarning[] =
    "samrad-kafka-dev: FOR DEVELOPMENT ONLY. This is librdkafka's mock Kafka cluster: nothing "
    "is durable (the log lives in this process's memory and is gone when it exits), retention "
    "is limited to about 5 MiB or 100k batches per partition, transactions are not real, and "
    "it listens on 127.0.0.1 only. Never point production at it.\n";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Hosts librdkafka's mock Kafka cluster on 127.0.0.1. FOR DEVELOPMENT ONLY.",
               "samrad-kafka-dev"};
  int brokers = 1;
  std::string port_file;
  std::vector<std::string> topics;
  int partitions = 1;
  int replication_factor = 0;
  std::string log_level = "info";
  app.add_option("--brokers", brokers, "Number of brokers (ids 1..N)")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  app.add_option("--port-file", port_file,
                 "Write the bootstrap servers here once ready (temporary file + rename)");
  app.add_option("--topics", topics, "Topics to create at start, comma-separated")->delimiter(',');
  app.add_option("--partitions", partitions, "Partitions of each --topics topic")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--replication-factor", replication_factor,
                 "Replication factor of each --topics topic (default: min(3, brokers))")
      ->check(CLI::Range(1, 16));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (replication_factor == 0) replication_factor = std::min(3, brokers);
  if (replication_factor > brokers) {
    std::cerr << "samrad-kafka-dev: --replication-factor " << replication_factor
              << " exceeds --brokers " << brokers << "\n";
    return 2;
  }

  // Block the shutdown signals before librdkafka starts its threads, so that they inherit
  // the mask and only sigwait below takes the signals.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  samrad::log::Init(log_level, samrad::log::Format::kText);
  std::cerr << kWarning << std::flush;

  auto cluster = samrad::eventlog::MockKafkaCluster::Start(brokers);
  if (!cluster.ok()) {
    std::cerr << "samrad-kafka-dev: " << cluster.status() << "\n";
    return 1;
  }
  for (const std::string& topic : topics) {
    if (topic.empty()) continue;
    if (absl::Status s = (*cluster)->CreateTopic(topic, partitions, replication_factor); !s.ok()) {
      std::cerr << "samrad-kafka-dev: " << s << "\n";
      return 1;
    }
    SAMRAD_LOG_INFO("samrad-kafka-dev: topic {} with {} partitions, replication factor {}", topic,
                    partitions, replication_factor);
  }
  const std::string& bootstrap = (*cluster)->bootstrap_servers();
  if (!port_file.empty()) {
    if (absl::Status written = samrad::runtime::WriteFileAtomically(port_file, bootstrap + "\n");
        !written.ok()) {
      std::cerr << "samrad-kafka-dev: " << written.message() << "\n";
      return 1;
    }
  }
  std::cout << bootstrap << std::endl;
  SAMRAD_LOG_INFO("samrad-kafka-dev: {} broker(s) at {}; Ctrl-C stops", brokers, bootstrap);

  int signal_number = 0;
  while (sigwait(&shutdown_signals, &signal_number) != 0) {
  }
  SAMRAD_LOG_INFO("samrad-kafka-dev: {} received, stopping", strsignal(signal_number));
  if (!port_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(port_file, ec);
  }
  cluster->reset();
  return 0;
}
