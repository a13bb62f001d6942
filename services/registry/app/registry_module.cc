#include "services/registry/app/registry_module.h"

#include "libs/runtime/projection_module.h"
#include "libs/runtime/service_names.h"
#include "services/registry/projection/registry_projection.h"

namespace samrad::registry {

std::unique_ptr<runtime::ServiceModule> NewRegistryModule() {
  return std::make_unique<runtime::ProjectionModule>(runtime::ProjectionModuleSpec{
      .name = "registry",
      .health_names = {std::string(runtime::kRegistryHealthName)},
      .owned_topics = {std::string(runtime::kRegistryTopic)},
      .source_topics = {std::string(runtime::kRegistryTopic)},
      .schema_version = kProjectionSchemaVersion,
      .apply = ApplyRegistryEntry,
      .register_services = {},
  });
}

}  // namespace samrad::registry
