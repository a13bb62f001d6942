#ifndef SAMRAD_SERVICES_REGISTRY_APP_REGISTRY_MODULE_H_
#define SAMRAD_SERVICES_REGISTRY_APP_REGISTRY_MODULE_H_

#include <memory>

#include "libs/runtime/service_module.h"

namespace samrad::registry {

// The registry service as a module: projection of registry.events.v1 and its gRPC API.
std::unique_ptr<runtime::ServiceModule> NewRegistryModule();

}  // namespace samrad::registry

#endif  // SAMRAD_SERVICES_REGISTRY_APP_REGISTRY_MODULE_H_
