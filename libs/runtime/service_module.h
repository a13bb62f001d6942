#ifndef SAMRAD_LIBS_RUNTIME_SERVICE_MODULE_H_
#define SAMRAD_LIBS_RUNTIME_SERVICE_MODULE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/server_builder.h"
#include "libs/eventlog/event_log.h"
#include "libs/projection/projection_store.h"
#include "prometheus/registry.h"
#include "samrad/ops/v1/operations.pb.h"

namespace samrad::runtime {

// What the hosting process gives a service at start.
struct ModuleContext {
  // The event log; outlives the module.
  eventlog::EventLog* log = nullptr;
  // A directory of the module's own (its projection lives there).
  std::string data_dir;
  prometheus::Registry* metrics = nullptr;
  // Partitions of every topic: a tenant's events are in PartitionForKey(tenant, partitions).
  int32_t partitions = 1;
  // ServerConfig::organisation_data: what the registry loads at first start.
  std::string organisation_data;
  // ServerConfig::command_threads: the size of each service's write pool
  // (api::CallRunnerOptions::write_threads).
  size_t command_threads = 16;
  // Set by ProjectionModule for its make_api: the module's one apply function (the
  // service's Evolve with the command indexes for its command topic), the same function its
  // projector runs. Give it to the CommandExecutor (CommandExecutorOptions::apply).
  std::function<absl::Status(const eventlog::TopicPartition& source, const eventlog::Entry& entry,
                             projection::Transaction& tx)>
      apply = {};
};

// One Samråd service (registry, scheduling, reporting) as a unit the process hosts: samradd
// hosts all three in one process, samrad-<service> exactly one. The host calls Start,
// RegisterServices, then WaitReady before it reports SERVING, and Stop on shutdown.
class ServiceModule {
 public:
  virtual ~ServiceModule() = default;

  // Short name, e.g. "registry": used for the data sub-directory, logs and metric labels.
  virtual std::string_view name() const = 0;
  // Fully qualified gRPC service names whose health follows this module's readiness.
  virtual std::vector<std::string> health_names() const = 0;
  // Topics this module writes or reads; the host makes sure they exist before Start, so a
  // service can start before the services it reads from.
  virtual std::vector<std::string> topics() const = 0;

  // Opens the projection and starts following the log.
  virtual absl::Status Start(const ModuleContext& context) = 0;
  // Adds the module's gRPC services; called after Start. The services must outlive the server.
  virtual void RegisterServices(grpc::ServerBuilder& builder) = 0;
  // Returns when every projection has applied the log up to its end at call time.
  virtual absl::Status WaitReady(absl::Duration timeout) = 0;
  // Where each projection stands, for samrad.ops.v1.Operations.
  virtual std::vector<ops::v1::ProjectionStatus> Projections() const = 0;
  // Makes a pending WaitReady return soon; Stop follows once it has returned.
  virtual void RequestStop() = 0;
  // Stops following the log and closes the projection; called after the gRPC server stopped.
  virtual void Stop() = 0;
};

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_SERVICE_MODULE_H_
