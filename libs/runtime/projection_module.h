#ifndef SAMRAD_LIBS_RUNTIME_PROJECTION_MODULE_H_
#define SAMRAD_LIBS_RUNTIME_PROJECTION_MODULE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "libs/projection/projection_store.h"
#include "libs/projection/projector.h"
#include "libs/runtime/service_module.h"

namespace samrad::runtime {

// What applying one entry did.
enum class ApplyOutcome {
  kApplied,
  // The envelope case (or the whole record) is not known to this build: counted, skipped.
  kUnknown,
};

// A service's Evolve plus key encoding for one entry of one of its source topics.
using ModuleApplyFn = std::function<absl::StatusOr<ApplyOutcome>(
    const eventlog::TopicPartition& source, const eventlog::Entry& entry,
    projection::Transaction& tx)>;

// What a module owns besides its projection: its gRPC services and the objects behind them
// (e.g. the command executor). Created once the projection is open, destroyed before it.
class ModuleApi {
 public:
  virtual ~ModuleApi() = default;
  // Adds the gRPC services; they must outlive the server.
  virtual void RegisterServices(grpc::ServerBuilder& builder) = 0;
  // Called by WaitReady once the projection has caught up with the log, until it succeeds:
  // e.g. the data a service writes at first start. UNAVAILABLE means "not ready yet": the
  // module stays not ready (health NOT_SERVING, /readyz 503) and WaitReady asks again about
  // every second until its timeout; any other error ends WaitReady.
  virtual absl::Status OnReady() { return absl::OkStatus(); }
};

struct ProjectionModuleSpec {
  std::string name = {};
  std::vector<std::string> health_names = {};
  // The topic this service writes.
  std::vector<std::string> owned_topics = {};
  // Topics the projection reads, in dependency order (e.g. registry, then scheduling).
  std::vector<std::string> source_topics = {};
  // Bump when the projection's layout or Evolve changes: the store is wiped and rebuilt.
  int schema_version = 1;
  // The service's Evolve of one entry of any source topic (plain: without the command
  // indexes).
  ModuleApplyFn apply = {};
  // The owned topic the service writes through a command::CommandExecutor, if any: its
  // entries get the command indexes (command::WithCommandIndexes) before `apply`. The module
  // composes this once, and both its projector and, through ModuleContext::apply, the
  // executor's local apply run the composition, so a service writes its Evolve once.
  std::string command_topic = {};
  // Adds the service's gRPC services; called once the projection is open. May be empty.
  std::function<void(grpc::ServerBuilder&, projection::ProjectionStore&)> register_services = {};
  // Builds the module's API over the open projection (with the context's log, partitions
  // and metrics); called by Start before the projector starts. May be empty.
  std::function<absl::StatusOr<std::unique_ptr<ModuleApi>>(const ModuleContext&,
                                                           projection::ProjectionStore&)>
      make_api = {};
};

// The apply function of a module: spec.apply, with the command indexes
// (command::WithCommandIndexes) for entries of spec.command_topic when it is set. The one
// place a service's Evolve is composed: ProjectionModule's projector runs it, and its
// make_api gets it as ModuleContext::apply for the CommandExecutor.
ModuleApplyFn ComposeApply(const ProjectionModuleSpec& spec);

// A ServiceModule built from one ProjectionStore in `<data_dir>/projection` and one
// Projector over every partition of the source topics. Unknown events are counted durably in
// the state column family (key "\x00samrad/unknown_events"), so the figure survives restarts
// and rebuilds give the same number.
class ProjectionModule : public ServiceModule {
 public:
  explicit ProjectionModule(ProjectionModuleSpec spec);
  ~ProjectionModule() override;

  std::string_view name() const override { return spec_.name; }
  std::vector<std::string> health_names() const override { return spec_.health_names; }
  std::vector<std::string> topics() const override;
  absl::Status Start(const ModuleContext& context) override;
  void RegisterServices(grpc::ServerBuilder& builder) override;
  absl::Status WaitReady(absl::Duration timeout) override;
  std::vector<ops::v1::ProjectionStatus> Projections() const override;
  void RequestStop() override;
  void Stop() override;

  // Events of an unknown case skipped so far (durable).
  int64_t unknown_events() const;
  projection::ProjectionStore* store() { return store_.get(); }

 private:
  // Wipes the store when it is ahead of the log on a topic the module both owns and reads.
  absl::Status RebuildIfAheadOfLog(const ModuleContext& context);

  // Applies one entry: spec_.apply with the command indexes for spec_.command_topic, and
  // unknown events counted. What the projector and the executor run.
  absl::Status Apply(const eventlog::TopicPartition& source, const eventlog::Entry& entry,
                     projection::Transaction& tx);

  ProjectionModuleSpec spec_;
  // spec_.apply with the command indexes for spec_.command_topic (if any).
  ModuleApplyFn evolve_;
  std::unique_ptr<projection::ProjectionStore> store_;
  std::optional<projection::ProjectorMetrics> metrics_;
  std::unique_ptr<projection::Projector> projector_;
  std::unique_ptr<ModuleApi> api_;
  // Set once api_->OnReady has succeeded.
  std::atomic<bool> api_ready_{false};
  absl::Notification stopped_;
};

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_PROJECTION_MODULE_H_
