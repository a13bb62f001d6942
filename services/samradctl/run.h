#ifndef SAMRAD_SERVICES_SAMRADCTL_RUN_H_
#define SAMRAD_SERVICES_SAMRADCTL_RUN_H_

#include <ostream>
#include <string>
#include <vector>

#include "services/samradctl/cli.h"

namespace samrad::ctl {

// All of samradctl: parses `args` (without the program name), runs the command against the
// target and returns the exit code. `env` supplies the defaults (SAMRAD_TARGET,
// SAMRAD_ACTOR, ...). Tests call this in-process instead of starting the binary.
//
// Exit codes: 0 ok, 1 the server answered with an error, 2 usage error, 3 the target cannot
// be reached; `health` keeps its own (0 serving, 1 not serving, 2 unreachable).
int Run(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
        std::ostream& err);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_RUN_H_
