#ifndef SAMRAD_SERVICES_SCHEDULING_APP_SCHEDULING_MODULE_H_
#define SAMRAD_SERVICES_SCHEDULING_APP_SCHEDULING_MODULE_H_

#include <memory>

#include "libs/runtime/service_module.h"

namespace samrad::scheduling {

// The scheduling service as a module: projection of registry and scheduling events.
std::unique_ptr<runtime::ServiceModule> NewSchedulingModule();

}  // namespace samrad::scheduling

#endif  // SAMRAD_SERVICES_SCHEDULING_APP_SCHEDULING_MODULE_H_
