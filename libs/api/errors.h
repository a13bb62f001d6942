#ifndef SAMRAD_LIBS_API_ERRORS_H_
#define SAMRAD_LIBS_API_ERRORS_H_

// The one place where an absl::Status becomes a gRPC status. Errors are made with
// libs/errors (gRPC-free, so that domains can use it); here they leave as a
// google.rpc.Status in `grpc-status-details-bin`: ErrorInfo (reason, domain, metadata),
// BadRequest (the field violations) and LocalizedMessage (the text in the caller's
// language).

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "libs/common/lang.h"
#include "libs/errors/errors.h"

namespace samrad::api {

// `status` as a gRPC status in `lang`. A status without an ErrorDetail keeps its code;
// INTERNAL, UNKNOWN and DATA_LOSS messages are replaced by a generic text so that internals
// never leak to callers (the original goes to the log).
grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang);

// The canonical name of a gRPC code: "INVALID_ARGUMENT", "NOT_FOUND", ...; "CODE_<n>" for a
// number gRPC does not define.
std::string GrpcCodeName(grpc::StatusCode code);

}  // namespace samrad::api

#endif  // SAMRAD_LIBS_API_ERRORS_H_
