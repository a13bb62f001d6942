#ifndef SAMRAD_LIBS_API_ERRORS_H_
#define SAMRAD_LIBS_API_ERRORS_H_

// Errors of Samråd: absl::Status everywhere inside, with a samrad.common.v1.ErrorDetail
// payload that carries the machine-readable reason and the Swedish and English texts. They
// become a gRPC status (google.rpc.Status with ErrorInfo, BadRequest, LocalizedMessage in
// `grpc-status-details-bin`) in exactly one place: ToGrpcStatus.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "libs/common/lang.h"
#include "samrad/common/v1/error_detail.pb.h"

namespace samrad::api {

struct Text {
  std::string sv;
  std::string en;
};

struct FieldViolation {
  // Path in the request, e.g. "dialogue.title" or "dialogue.channels[2]".
  std::string field;
  // UPPER_SNAKE_CASE, e.g. "REQUIRED".
  std::string reason;
  Text description;
};

// Collects the violations of one request; empty means valid.
class Violations {
 public:
  void Add(std::string field, std::string reason, Text description);
  bool empty() const { return list_.empty(); }
  const std::vector<FieldViolation>& list() const { return list_; }
  // OK when empty, else InvalidArgument(list()).
  absl::Status ToStatus(std::string_view domain) const;

 private:
  std::vector<FieldViolation> list_;
};

// INVALID_ARGUMENT naming every violated field. The status message (for logs) is English.
absl::Status InvalidArgument(std::string_view domain, std::vector<FieldViolation> violations);

// Any other error with a reason and a text for users, e.g.
//   Error(absl::StatusCode::kAborted, domain, "ETAG_MISMATCH",
//         {"Resursen har ändrats av någon annan", "The resource was changed by someone else"})
absl::Status Error(absl::StatusCode code, std::string_view domain, std::string reason, Text message,
                   std::map<std::string, std::string> metadata = {});

// The ErrorDetail a status carries, if any.
std::optional<common::v1::ErrorDetail> DetailOf(const absl::Status& status);

// The one place where an absl::Status becomes a gRPC status, in `lang`. A status without a
// detail keeps its code; INTERNAL, UNKNOWN and DATA_LOSS messages are replaced by a generic text so
// that internals never leak to callers (the original goes to the log).
grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang);

// The canonical name of a gRPC code: "INVALID_ARGUMENT", "NOT_FOUND", ...; "CODE_<n>" for a
// number gRPC does not define.
std::string GrpcCodeName(grpc::StatusCode code);

}  // namespace samrad::api

#endif  // SAMRAD_LIBS_API_ERRORS_H_
