#ifndef SAMRAD_LIBS_ERRORS_ERRORS_H_
#define SAMRAD_LIBS_ERRORS_ERRORS_H_

// Errors of Samråd, free of gRPC so that domain libraries can use them: absl::Status
// everywhere, with a samrad.common.v1.ErrorDetail payload that carries the machine-readable
// reason, the ErrorInfo domain, the Swedish and English texts and the field violations.
// They become a gRPC status in exactly one place, api::ToGrpcStatus (libs/api/errors.h).
//
//   errors::Violations v;
//   v.Add("dialogue.title", "REQUIRED", {"Titeln saknas", "The title is missing"});
//   return v.ToStatus(kErrorDomain);  // OK when nothing was added
//
//   return errors::Error(absl::StatusCode::kNotFound, kErrorDomain, "RESOURCE_NOT_FOUND",
//                        {"Det finns ingen resurs x", "There is no resource x"});
//
// Thread-safety: every function is pure; Violations is a value type.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "samrad/common/v1/error_detail.pb.h"

namespace samrad::errors {

// A text users read, in both languages.
struct Text {
  std::string sv;
  std::string en;
};

struct FieldViolation {
  // Path in the request, e.g. "dialogue.title" or "dialogue.channels[2]".
  std::string field;
  // UPPER_SNAKE_CASE, e.g. "REQUIRED".
  std::string reason;
  // Names the field in words, never by its path (the path is `field`).
  Text description;
};

// Collects the violations of one request; empty means valid.
class Violations {
 public:
  void Add(std::string field, std::string reason, Text description);
  bool empty() const { return list_.empty(); }
  const std::vector<FieldViolation>& list() const { return list_; }
  // OK when empty, else InvalidArgument(domain, list()).
  absl::Status ToStatus(std::string_view domain) const;

 private:
  std::vector<FieldViolation> list_;
};

// INVALID_ARGUMENT naming every violated field (BadRequest). The ErrorDetail's reason (and
// so ErrorInfo.reason) is the first violation's reason, so that a client can switch on one
// field; ErrorInfo.metadata["field"] is the first violation's field. The status message
// (for logs) is English. Precondition: `violations` is not empty.
absl::Status InvalidArgument(std::string_view domain, std::vector<FieldViolation> violations);

// INVALID_ARGUMENT for one field.
absl::Status InvalidField(std::string_view domain, std::string field, std::string reason,
                          Text description);

// Any other error with a reason and a text for users, e.g.
//   Error(absl::StatusCode::kAborted, domain, "ETAG_MISMATCH",
//         {"Resursen har ändrats av någon annan", "The resource was changed by someone else"})
absl::Status Error(absl::StatusCode code, std::string_view domain, std::string reason, Text message,
                   std::map<std::string, std::string> metadata = {});

// The ErrorDetail a status carries, if any.
std::optional<common::v1::ErrorDetail> DetailOf(const absl::Status& status);

// The reason of the ErrorDetail a status carries ("" if none).
std::string ReasonOf(const absl::Status& status);

}  // namespace samrad::errors

// Evaluates `expr` (an absl::StatusOr<T>); returns its status from the calling function
// when it is not OK, else moves its value into `lhs` (a declaration or an lvalue):
//   SAMRAD_ASSIGN_OR_RETURN(std::optional<v1::Person> person, view.GetPerson(name));
#define SAMRAD_ASSIGN_OR_RETURN(lhs, expr) \
  SAMRAD_ASSIGN_OR_RETURN_IMPL_(SAMRAD_STATUS_CONCAT_(samrad_statusor_, __LINE__), lhs, expr)
#define SAMRAD_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).status();      \
  lhs = *std::move(tmp)

// Returns the status of `expr` (an absl::Status) from the calling function unless it is OK.
#define SAMRAD_RETURN_IF_ERROR(expr)                                                       \
  do {                                                                                     \
    if (absl::Status samrad_status_ = (expr); !samrad_status_.ok()) return samrad_status_; \
  } while (false)

#define SAMRAD_STATUS_CONCAT_(a, b) SAMRAD_STATUS_CONCAT_IMPL_(a, b)
#define SAMRAD_STATUS_CONCAT_IMPL_(a, b) a##b

#endif  // SAMRAD_LIBS_ERRORS_ERRORS_H_
