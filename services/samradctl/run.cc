#include "services/samradctl/run.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "samrad/registry/v1/registry_service.grpc.pb.h"
#include "services/samradctl/error_output.h"
#include "services/samradctl/health_command.h"
#include "services/samradctl/registry_commands.h"

namespace samrad::ctl {
namespace {

// The content of `path` ("-" is standard input); nullopt when it cannot be read.
std::optional<std::string> ReadFile(const std::string& path) {
  std::ostringstream content;
  if (path == "-") {
    content << std::cin.rdbuf();
    return content.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  content << file.rdbuf();
  if (file.bad()) return std::nullopt;
  return content.str();
}

int RunHealthCommand(const GlobalOptions& global, std::ostream& out, std::ostream& err) {
  HealthOptions options;
  options.target = global.target;
  options.timeout = global.timeout;
  options.lang = global.lang();
  return RunHealth(options, out, err);
}

}  // namespace

int Run(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
        std::ostream& err) {
  ParseResult parsed = ParseCommandLine(args, env, out, err);
  if (!parsed.invocation) return parsed.exit_code;
  Invocation& invocation = *parsed.invocation;
  const GlobalOptions& global = invocation.global;
  if (invocation.command == Command::kHealth) return RunHealthCommand(global, out, err);

  if (!invocation.from_file.empty()) {
    std::optional<std::string> json = ReadFile(invocation.from_file);
    if (!json) {
      err << "samradctl: " << Tr(global.lang(), "kan inte läsa ", "cannot read ")
          << invocation.from_file << "\n";
      return kExitUsage;
    }
    invocation.create.json = *json;
    invocation.update.json = *std::move(json);
  }
  auto channel = grpc::CreateChannel(global.target, grpc::InsecureChannelCredentials());
  auto stub = registry::v1::Registry::NewStub(channel);
  return RunRegistryCommand(invocation, *stub, out, err);
}

}  // namespace samrad::ctl
