#ifndef SAMRAD_LIBS_RUNTIME_CONFIG_H_
#define SAMRAD_LIBS_RUNTIME_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace samrad::runtime {

enum class EventLogBackend { kEmbedded, kKafka };

// The default organisation data: <dir of the running executable>/../share/samrad/malmo.json
// (the part after the executable's directory is set by CMake from the install directories).
// That is where `cmake --install` puts deploy/config/malmo.json beside <prefix>/bin, and the
// build tree has the same layout (build/bin, and build/share/samrad with a copy made at
// configure time), so the default does not depend on the working directory. Falls back to
// the working directory's deploy/config/malmo.json only when the executable's path is unknown.
std::string DefaultOrganisationData();

// Everything a Samråd server process is configured with. Every field has a documented
// default; docs/operations.md lists them with their flags and environment variables.
struct ServerConfig {
  // Directory for the embedded log and the projections (one RocksDB each).
  std::string data_dir = "./var";
  // gRPC listen address. Port 0 picks a free port (printed at start and written to
  // `listen_file`).
  std::string grpc_listen = "127.0.0.1:7400";
  // HTTP listen address for /metrics, /healthz and /readyz. Port 0 picks a free port.
  std::string http_listen = "127.0.0.1:7480";
  // If set, "grpc=<host:port>\nhttp=<host:port>\n" is written there once listening
  // (atomically), so that scripts and tests can find ports chosen by the OS.
  std::string listen_file;

  EventLogBackend event_log = EventLogBackend::kEmbedded;
  // fsync the embedded log before acknowledging an append.
  bool embedded_sync = true;
  // Group-commit window of the embedded log, in microseconds (0: write at once).
  int64_t embedded_group_commit_us = 0;
  // bootstrap.servers for the Kafka backend.
  std::string kafka_brokers;
  // Partitions of each topic created by this server.
  int32_t partitions = 1;
  // Replication factor for topics created on Kafka (-1: the broker's default).
  int32_t kafka_replication_factor = -1;

  // trace, debug, info, warn, error, off.
  std::string log_level = "info";
  // text or json.
  std::string log_format = "text";
  // Seconds to let in-flight RPCs finish on shutdown.
  int32_t shutdown_grace_seconds = 10;
  // Threads of each service's write pool: the most write commands that wait together for
  // their partition's lock and the log's sync (docs/adr/0008-pipelined-durability.md).
  // 1..1024.
  int32_t command_threads = 16;
  // The organisation data the registry loads at first start (DefaultOrganisationData();
  // a relative path given here is relative to the working directory). The registry is not
  // ready while this file cannot be loaded. Empty: none; the registry starts without a
  // first-start tenant.
  std::string organisation_data = DefaultOrganisationData();
};

// Parses flags, an optional config file (`--config FILE`, TOML or INI) and environment
// variables (SAMRAD_<FLAG_IN_UPPER_SNAKE_CASE>) into `ServerConfig`. Precedence: flags, then
// the config file, then the environment, then defaults. `default_backend` is the backend
// when none is given (embedded for samradd, kafka for the single-service binaries).
// Returns OK with `exit_code` set when the process should exit at once (--help, bad input).
struct ParsedConfig {
  ServerConfig config;
  // -1: go on; otherwise exit with this code (help printed, or an error explained).
  int exit_code = -1;
};
ParsedConfig ParseServerConfig(const std::string& program, const std::string& description,
                               EventLogBackend default_backend, int argc, char** argv);

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_CONFIG_H_
