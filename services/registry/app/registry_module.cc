#include "services/registry/app/registry_module.h"

#include <fstream>
#include <optional>
#include <sstream>
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
              std::string organisation_data)
      : metrics_(std::move(metrics)),
        executor_(std::move(executor)),
        service_(executor_.get(), store),
        store_(store),
        organisation_data_(std::move(organisation_data)) {}

  void RegisterServices(grpc::ServerBuilder& builder) override {
    builder.RegisterService(&service_);
  }

  // First start: the tenant of the organisation data (Malmö, 1280) and its organisation.
  absl::Status OnReady() override { return Bootstrap(); }

 private:
  absl::Status Bootstrap() {
    std::ifstream in(organisation_data_);
    if (!in) {
      // Not fatal: the registry serves without the tenant (its writes answer
      // TENANT_NOT_FOUND) and the bootstrap runs at the next start that finds the file.
      SAMRAD_LOG_ERROR(
          "registry: cannot read the organisation data {} (--organisation-data, "
          "SAMRAD_ORGANISATION_DATA); the first-start tenant is not created",
          organisation_data_);
      return absl::OkStatus();
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
              std::vector<v1::RegistryEvent> events =
                  domain::BootstrapEvents(organisation, ctx.now);
              for (v1::RegistryEvent& event : events) {
                const auto target = AggregateOfName(ResourceOfEvent(event));
                if (!target) return absl::InternalError("bootstrap event without a resource");
                event.mutable_metadata()->set_aggregate_type(target->ref.type);
                event.mutable_metadata()->set_aggregate_id(target->ref.id);
              }
              return events;
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
};

absl::Status PlainEvolve(const eventlog::TopicPartition& source, const eventlog::Entry& entry,
                         projection::Transaction& tx) {
  return ApplyRegistryEntry(source, entry, tx).status();
}

}  // namespace

std::unique_ptr<runtime::ServiceModule> NewRegistryModule() {
  return std::make_unique<runtime::ProjectionModule>(runtime::ProjectionModuleSpec{
      .name = "registry",
      .health_names = {std::string(runtime::kRegistryHealthName)},
      .owned_topics = {std::string(runtime::kRegistryTopic)},
      .source_topics = {std::string(runtime::kRegistryTopic)},
      .schema_version = kProjectionSchemaVersion,
      .apply = RegistryApplyFn(),
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
            .evolve = PlainEvolve,
            .metrics = metrics.get(),
        });
        if (!executor.ok()) return executor.status();
        return std::make_unique<RegistryApi>(*std::move(executor), std::move(metrics), &store,
                                             context.organisation_data);
      },
  });
}

}  // namespace samrad::registry
