#ifndef SAMRAD_SERVICES_SAMRADCTL_USAGE_ERROR_H_
#define SAMRAD_SERVICES_SAMRADCTL_USAGE_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "libs/common/lang.h"

namespace samrad::ctl {

// A mistake on the command line (exit code 2), told in `lang`. Pure code of samradctl
// reports every such mistake as INVALID_ARGUMENT with this text as its message.
inline absl::Status UsageError(Lang lang, const std::string& sv, const std::string& en) {
  return absl::InvalidArgumentError(lang == Lang::kEn ? en : sv);
}

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_USAGE_ERROR_H_
