#include "services/reporting/app/reporting_module.h"

#include "libs/runtime/projection_module.h"
#include "libs/runtime/service_names.h"
#include "services/reporting/projection/reporting_projection.h"

namespace samrad::reporting {

std::unique_ptr<runtime::ServiceModule> NewReportingModule() {
  return std::make_unique<runtime::ProjectionModule>(runtime::ProjectionModuleSpec{
      .name = "reporting",
      .health_names = {std::string(runtime::kReportingHealthName)},
      .owned_topics = {std::string(runtime::kReportingTopic)},
      .source_topics = {std::string(runtime::kRegistryTopic),
                        std::string(runtime::kSchedulingTopic),
                        std::string(runtime::kReportingTopic)},
      .schema_version = kProjectionSchemaVersion,
      .apply = ApplyReportingEntry,
      .register_services = {},
  });
}

}  // namespace samrad::reporting
