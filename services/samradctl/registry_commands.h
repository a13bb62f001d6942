#ifndef SAMRAD_SERVICES_SAMRADCTL_REGISTRY_COMMANDS_H_
#define SAMRAD_SERVICES_SAMRADCTL_REGISTRY_COMMANDS_H_

// The registry commands of samradctl (get, list, create, update, answer, transition, end,
// retire, history): build the request (requests.h), call samrad.registry.v1.Registry, print
// the answer (views.h, output.h) or the error (error_output.h). The calls carry the actor
// and the language as request metadata, one correlation id per command (so every page of
// `list --all` belongs together) and the --timeout deadline.

#include <ostream>

#include "samrad/registry/v1/registry_service.grpc.pb.h"
#include "services/samradctl/cli.h"

namespace samrad::ctl {

// Runs `invocation` (any command but health) against `stub`; returns the exit code
// (error_output.h). The from-file JSON is expected in invocation.create.json /
// invocation.update.json already.
int RunRegistryCommand(const Invocation& invocation, registry::v1::Registry::StubInterface& stub,
                       std::ostream& out, std::ostream& err);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_REGISTRY_COMMANDS_H_
