#include "services/registry/app/registry_module.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/command/command_executor.h"
#include "libs/common/log.h"
#include "libs/runtime/projection_module.h"
#include "libs/runtime/service_names.h"
#include "services/registry/api/registry_service.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/organisation_data.h"
#include "services/registry/projection/registry_projection.h"
#include "services/registry/projection/registry_store_view.h"

namespace samrad::registry {
namespace {

// The request id of a tenant's first-start bootstrap: a restart (or a second process
// racing the first) finds it recorded and appends nothing.
std::string BootstrapRequestId(std::string_view code) {
  return absl::StrCat("bootstrap-", std::string(code));
}

class RegistryApi : public runtime::ModuleApi {
 public:
  RegistryApi(std::unique_ptr<command::CommandExecutor<v1::RegistryEvent>> executor,
              std::unique_ptr<command::CommandMetrics> metrics, projection::ProjectionStore* store,
              std::string organisation_data, size_t command_threads)
      : metrics_(std::move(metrics)),
        executor_(std::move(executor)),
        service_(executor_.get(), store, command_threads),
        store_(store),
        organisation_data_(std::move(organisation_data)) {}

  void RegisterServices(grpc::ServerBuilder& builder) override {
    builder.RegisterService(&service_);
  }

  // First start: the tenant of the organisation data (Malmö, 1280) and its organisation.
  // Until the configured file can be read the registry is not ready (UNAVAILABLE: health
  // NOT_SERVING, /readyz 503; asked again about every second), rather than serving without
  // its tenant. Empty organisation data: nothing to load.
  absl::Status OnReady() override { return Bootstrap(); }

 private:
  absl::Status Bootstrap() {
    if (organisation_data_.empty()) {
      SAMRAD_LOG_INFO(
          "registry: no organisation data (--organisation-data is empty); no "
          "first-start tenant is created");
      return absl::OkStatus();
    }
    std::ifstream in(organisation_data_);
    if (!in) {
      std::error_code ec;
      const std::string path = std::filesystem::absolute(organisation_data_, ec).string();
      if (!reported_unreadable_) {
        SAMRAD_LOG_ERROR(
            "registry: NOT READY: cannot read the organisation data {} (--organisation-data, "
            "SAMRAD_ORGANISATION_DATA); the registry stays not ready until the file can be "
            "read (an empty --organisation-data starts without one)",
            ec ? organisation_data_ : path);
        reported_unreadable_ = true;
      }
      return absl::UnavailableError(
          absl::StrCat("cannot read the organisation data ", organisation_data_));
    }
    if (reported_unreadable_) {
      SAMRAD_LOG_INFO("registry: the organisation data {} can be read now", organisation_data_);
    }
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<domain::OrganisationData> data = domain::ParseOrganisationData(text.str());
    if (!data.ok()) {
      return absl::Status(data.status().code(),
                          absl::StrCat(organisation_data_, ": ", data.status().message()));
    }
    const std::string code = data->tenant.code();
    {
      const projection::ReadView view = store_->NewReadView();
      StoreRegistryView registry(view);
      const bool exists = registry.GetTenant(domain::TenantName(code)).has_value();
      if (!registry.status().ok()) return registry.status();
      if (exists) return absl::OkStatus();
    }
    api::RequestContext context;
    context.actor.set_id("system");
    context.actor.set_role(common::v1::ACTOR_ROLE_SYSTEM);
    context.correlation_id = BootstrapRequestId(code);
    const domain::OrganisationData organisation = *std::move(data);
    absl::StatusOr<bool> done = executor_->Execute(
        context,
        command::Command<v1::RegistryEvent, bool>{
            .tenant = code,
            .aggregate = {std::string(kTenantAggregateType), code},
            .request_id = BootstrapRequestId(code),
            .fingerprint = "organisation-data",
            .reason = absl::StrCat("first start: ", organisation_data_),
            .decide = [&](const command::DecideContext& ctx)
                -> absl::StatusOr<std::vector<v1::RegistryEvent>> {
              return domain::BootstrapEvents(organisation, ctx.now);
            },
            .answer = [](const command::AnswerContext&) -> absl::StatusOr<bool> { return true; },
        });
    if (!done.ok()) return done.status();
    SAMRAD_LOG_INFO("registry: created tenant {} from {}", code, organisation_data_);
    return absl::OkStatus();
  }

  // Declared before the executor, which refers to them.
  std::unique_ptr<command::CommandMetrics> metrics_;
  std::unique_ptr<command::CommandExecutor<v1::RegistryEvent>> executor_;
  RegistryService service_;
  projection::ProjectionStore* store_;
  std::string organisation_data_;
  // Whether Bootstrap has logged that the organisation data cannot be read (once, not on
  // every retry). Only the readiness thread calls Bootstrap.
  bool reported_unreadable_ = false;
};

}  // namespace

std::unique_ptr<runtime::ServiceModule> NewRegistryModule() {
  return std::make_unique<runtime::ProjectionModule>(runtime::ProjectionModuleSpec{
      .name = "registry",
      .health_names = {std::string(runtime::kRegistryHealthName)},
      .owned_topics = {std::string(runtime::kRegistryTopic)},
      .source_topics = {std::string(runtime::kRegistryTopic)},
      .schema_version = kProjectionSchemaVersion,
      .apply = ApplyRegistryEntry,
      .command_topic = std::string(runtime::kRegistryTopic),
      .register_services = {},
      .make_api = [](const runtime::ModuleContext& context, projection::ProjectionStore& store)
          -> absl::StatusOr<std::unique_ptr<runtime::ModuleApi>> {
        std::unique_ptr<command::CommandMetrics> metrics;
        if (context.metrics != nullptr) {
          metrics = std::make_unique<command::CommandMetrics>(
              command::CommandMetrics::Create(*context.metrics));
        }
        auto executor = command::CommandExecutor<v1::RegistryEvent>::Create({
            .service = "registry",
            .domain = domain::kErrorDomain,
            .topic = std::string(runtime::kRegistryTopic),
            .partitions = context.partitions,
            .log = context.log,
            .store = &store,
            .apply = context.apply,
            .aggregate_of = AggregateOfRegistryEvent,
            .metrics = metrics.get(),
        });
        if (!executor.ok()) return executor.status();
        return std::make_unique<RegistryApi>(*std::move(executor), std::move(metrics), &store,
                                             context.organisation_data, context.command_threads);
      },
  });
}

}  // namespace samrad::registry
