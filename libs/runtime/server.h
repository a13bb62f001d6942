#ifndef SAMRAD_LIBS_RUNTIME_SERVER_H_
#define SAMRAD_LIBS_RUNTIME_SERVER_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/eventlog/event_log.h"
#include "libs/runtime/config.h"
#include "libs/runtime/service_module.h"
#include "prometheus/registry.h"

namespace samrad::runtime {

// Opens the configured event log (embedded in `<data_dir>/eventlog`, or Kafka), wrapped with
// its metrics in `registry`.
absl::StatusOr<std::unique_ptr<eventlog::EventLog>> OpenEventLog(const ServerConfig& config,
                                                                 prometheus::Registry& registry);

// Runs a Samråd server process until SIGINT/SIGTERM: opens the log, starts the modules,
// serves gRPC (the modules' services, standard health, reflection, samrad.ops.v1.Operations)
// and HTTP (/metrics, /healthz, /readyz), reports SERVING once every module is ready, and on
// a signal stops in order: NOT_SERVING, drain RPCs within the grace period, stop the modules,
// close the log. Returns the process exit code. Call BlockShutdownSignals() first in main.
int RunServer(const ServerConfig& config, std::vector<std::unique_ptr<ServiceModule>> modules);

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_SERVER_H_
