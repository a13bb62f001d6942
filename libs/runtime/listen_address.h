#ifndef SAMRAD_LIBS_RUNTIME_LISTEN_ADDRESS_H_
#define SAMRAD_LIBS_RUNTIME_LISTEN_ADDRESS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace samrad::runtime {

struct ListenAddress {
  std::string host;
  int port = 0;
};

// Parses "host:port" or "[v6]:port"; port 0 means any free port.
absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view address);

// Writes `content` to `path` atomically (temporary file, then rename).
absl::Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_LISTEN_ADDRESS_H_
