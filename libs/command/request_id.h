#ifndef SAMRAD_LIBS_COMMAND_REQUEST_ID_H_
#define SAMRAD_LIBS_COMMAND_REQUEST_ID_H_

// The limit of a write's request_id (AIP-155), in a header without dependencies, so that a
// service's domain (which must not depend on gRPC or RocksDB) can validate against the same
// limit the command path enforces (CommandExecutor::Execute).

#include <cstddef>

namespace samrad::command {

// The longest request_id a command may carry, in bytes of its UTF-8 encoding (not
// characters): longer ones are INVALID_ARGUMENT with a TOO_LONG violation on the request id
// field. The one limit of request ids; a service's own validation must not set another.
inline constexpr size_t kMaxRequestIdBytes = 256;

}  // namespace samrad::command

#endif  // SAMRAD_LIBS_COMMAND_REQUEST_ID_H_
