#ifndef SAMRAD_SERVICES_REPORTING_APP_REPORTING_MODULE_H_
#define SAMRAD_SERVICES_REPORTING_APP_REPORTING_MODULE_H_

#include <memory>

#include "libs/runtime/service_module.h"

namespace samrad::reporting {

// The reporting service as a module: reads every topic.
std::unique_ptr<runtime::ServiceModule> NewReportingModule();

}  // namespace samrad::reporting

#endif  // SAMRAD_SERVICES_REPORTING_APP_REPORTING_MODULE_H_
