#ifndef SAMRAD_SERVICES_SAMRADCTL_HEALTH_COMMAND_H_
#define SAMRAD_SERVICES_SAMRADCTL_HEALTH_COMMAND_H_

#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "libs/common/lang.h"

namespace samrad::ctl {

struct HealthOptions {
  std::string target = "127.0.0.1:7400";
  absl::Duration timeout = absl::Seconds(5);
  Lang lang = Lang::kSv;
};

// Exit codes of `samradctl health`.
inline constexpr int kHealthServing = 0;
inline constexpr int kHealthNotServing = 1;
inline constexpr int kHealthUnreachable = 2;

// Asks the standard gRPC health service at the target for the overall status and for each
// Samråd service, prints a table and returns kHealthServing only when every service hosted
// there (and the server as a whole) is SERVING.
int RunHealth(const HealthOptions& options, std::ostream& out, std::ostream& err);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_HEALTH_COMMAND_H_
