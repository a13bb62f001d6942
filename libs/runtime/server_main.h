#ifndef SAMRAD_LIBS_RUNTIME_SERVER_MAIN_H_
#define SAMRAD_LIBS_RUNTIME_SERVER_MAIN_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "libs/runtime/config.h"
#include "libs/runtime/service_module.h"

namespace samrad::runtime {

using ModuleFactory = std::function<std::unique_ptr<ServiceModule>()>;

// The whole main() of a server binary: blocks the shutdown signals, parses the config,
// sets up logging and runs the modules until SIGINT/SIGTERM.
int ServerMain(int argc, char** argv, const std::string& program, const std::string& description,
               EventLogBackend default_backend, const std::vector<ModuleFactory>& modules);

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_SERVER_MAIN_H_
