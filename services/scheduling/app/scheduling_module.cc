#include "services/scheduling/app/scheduling_module.h"

#include "libs/runtime/projection_module.h"
#include "libs/runtime/service_names.h"
#include "services/scheduling/projection/scheduling_projection.h"

namespace samrad::scheduling {

std::unique_ptr<runtime::ServiceModule> NewSchedulingModule() {
  return std::make_unique<runtime::ProjectionModule>(runtime::ProjectionModuleSpec{
      .name = "scheduling",
      .health_names = {std::string(runtime::kSchedulingHealthName)},
      .owned_topics = {std::string(runtime::kSchedulingTopic)},
      .source_topics = {std::string(runtime::kRegistryTopic),
                        std::string(runtime::kSchedulingTopic)},
      .schema_version = kProjectionSchemaVersion,
      .apply = ApplySchedulingEntry,
      .register_services = {},
  });
}

}  // namespace samrad::scheduling
