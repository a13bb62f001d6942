#include "libs/runtime/server_main.h"

#include "libs/common/log.h"
#include "libs/runtime/server.h"
#include "libs/runtime/signals.h"

namespace samrad::runtime {

int ServerMain(int argc, char** argv, const std::string& program, const std::string& description,
               EventLogBackend default_backend, const std::vector<ModuleFactory>& modules) {
  BlockShutdownSignals();
  ParsedConfig parsed = ParseServerConfig(program, description, default_backend, argc, argv);
  if (parsed.exit_code >= 0) return parsed.exit_code;
  log::Init(parsed.config.log_level,
            parsed.config.log_format == "json" ? log::Format::kJson : log::Format::kText);
  std::vector<std::unique_ptr<ServiceModule>> instances;
  for (const auto& factory : modules) instances.push_back(factory());
  return RunServer(parsed.config, std::move(instances));
}

}  // namespace samrad::runtime
