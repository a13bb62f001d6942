#include "libs/runtime/config.h"

#include <filesystem>
#include <map>
#include <system_error>

#include "CLI/CLI.hpp"
#include "libs/runtime/listen_address.h"

// The organisation data's directory relative to the executables' directory, as installed
// (CMakeLists.txt: "Installed layout").
#ifndef SAMRAD_DATA_FROM_BIN
#define SAMRAD_DATA_FROM_BIN "../share/samrad"
#endif

namespace samrad::runtime {

std::string DefaultOrganisationData() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return "deploy/config/malmo.json";
  return (exe.parent_path() / SAMRAD_DATA_FROM_BIN / "malmo.json").lexically_normal().string();
}

ParsedConfig ParseServerConfig(const std::string& program, const std::string& description,
                               EventLogBackend default_backend, int argc, char** argv) {
  ParsedConfig parsed;
  ServerConfig& c = parsed.config;
  c.event_log = default_backend;

  CLI::App app{description, program};
  app.set_config("--config", "", "Config file (TOML or INI) with the same keys as the flags");
  app.add_option("--data-dir", c.data_dir, "Directory for the embedded log and projections")
      ->envname("SAMRAD_DATA_DIR")
      ->capture_default_str();
  app.add_option("--grpc-listen", c.grpc_listen, "gRPC listen address (port 0: any free port)")
      ->envname("SAMRAD_GRPC_LISTEN")
      ->capture_default_str();
  app.add_option("--http-listen", c.http_listen,
                 "HTTP listen address for /metrics, /healthz, /readyz")
      ->envname("SAMRAD_HTTP_LISTEN")
      ->capture_default_str();
  app.add_option("--organisation-data", c.organisation_data,
                 "Organisation data (JSON) the registry loads at first start; the registry is "
                 "not ready until it is loaded (empty: none)")
      ->envname("SAMRAD_ORGANISATION_DATA")
      ->capture_default_str();
  app.add_option("--command-threads", c.command_threads,
                 "Threads of each service's write pool (write commands waiting together for "
                 "the log's sync)")
      ->envname("SAMRAD_COMMAND_THREADS")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--listen-file", c.listen_file,
                 "Write the bound addresses to this file once listening")
      ->envname("SAMRAD_LISTEN_FILE");
  const std::map<std::string, EventLogBackend> backends{{"embedded", EventLogBackend::kEmbedded},
                                                        {"kafka", EventLogBackend::kKafka}};
  app.add_option("--event-log", c.event_log, "Event log backend: embedded or kafka")
      ->envname("SAMRAD_EVENT_LOG")
      ->transform(CLI::CheckedTransformer(backends, CLI::ignore_case));
  app.add_option("--embedded-sync", c.embedded_sync,
                 "fsync the embedded log before acknowledging (true/false)")
      ->envname("SAMRAD_EMBEDDED_SYNC")
      ->capture_default_str();
  app.add_option("--embedded-group-commit-us", c.embedded_group_commit_us,
                 "Group-commit window of the embedded log in microseconds")
      ->envname("SAMRAD_EMBEDDED_GROUP_COMMIT_US")
      ->check(CLI::Range(int64_t{0}, int64_t{100000}))
      ->capture_default_str();
  app.add_option("--kafka-brokers", c.kafka_brokers, "Kafka bootstrap servers (host:port,...)")
      ->envname("SAMRAD_KAFKA_BROKERS");
  app.add_option("--partitions", c.partitions, "Partitions of each topic this server creates")
      ->envname("SAMRAD_PARTITIONS")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--kafka-replication-factor", c.kafka_replication_factor,
                 "Replication factor of topics created on Kafka (-1: broker default)")
      ->envname("SAMRAD_KAFKA_REPLICATION_FACTOR")
      ->capture_default_str();
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error or off")
      ->envname("SAMRAD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.add_option("--log-format", c.log_format, "text or json")
      ->envname("SAMRAD_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--shutdown-grace-seconds", c.shutdown_grace_seconds,
                 "Seconds in-flight RPCs get to finish on shutdown")
      ->envname("SAMRAD_SHUTDOWN_GRACE_SECONDS")
      ->check(CLI::Range(0, 600))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    parsed.exit_code = app.exit(e);
    return parsed;
  }
  for (const auto& [flag, value] :
       {std::pair{"--grpc-listen", c.grpc_listen}, std::pair{"--http-listen", c.http_listen}}) {
    if (auto parsed_address = ParseListenAddress(value); !parsed_address.ok()) {
      std::cerr << program << ": " << flag << ": " << parsed_address.status().message() << "\n";
      parsed.exit_code = 2;
      return parsed;
    }
  }
  if (c.event_log == EventLogBackend::kKafka && c.kafka_brokers.empty()) {
    std::cerr << program << ": --kafka-brokers is required with --event-log=kafka\n";
    parsed.exit_code = 2;
  }
  return parsed;
}

}  // namespace samrad::runtime
