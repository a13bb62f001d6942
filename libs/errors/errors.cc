#include "libs/errors/errors.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace samrad::errors {
namespace {

// The absl::Status payload key of the ErrorDetail (its Any type URL, by convention).
constexpr char kErrorDetailTypeUrl[] = "type.googleapis.com/samrad.common.v1.ErrorDetail";

common::v1::LocalizedText ToProto(const Text& text) {
  common::v1::LocalizedText out;
  out.set_sv(text.sv);
  out.set_en(text.en);
  return out;
}

absl::Status WithDetail(absl::StatusCode code, std::string message,
                        const common::v1::ErrorDetail& detail) {
  absl::Status status(code, message);
  status.SetPayload(kErrorDetailTypeUrl, absl::Cord(detail.SerializeAsString()));
  return status;
}

}  // namespace

void Violations::Add(std::string field, std::string reason, Text description) {
  list_.push_back({std::move(field), std::move(reason), std::move(description)});
}

absl::Status Violations::ToStatus(std::string_view domain) const {
  if (list_.empty()) return absl::OkStatus();
  return InvalidArgument(domain, list_);
}

absl::Status InvalidArgument(std::string_view domain, std::vector<FieldViolation> violations) {
  common::v1::ErrorDetail detail;
  detail.set_domain(std::string(domain));
  if (violations.empty()) {
    detail.set_reason("FIELD_INVALID");
  } else {
    detail.set_reason(violations.front().reason);
    (*detail.mutable_metadata())["field"] = violations.front().field;
  }
  if (violations.size() == 1) {
    *detail.mutable_message() = ToProto(violations.front().description);
  } else {
    *detail.mutable_message() =
        ToProto({absl::StrCat("Begäran har ", violations.size(), " ogiltiga fält."),
                 absl::StrCat("The request has ", violations.size(), " invalid fields.")});
  }
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) {
    auto* out = detail.add_field_violations();
    out->set_field(v.field);
    out->set_reason(v.reason);
    *out->mutable_description() = ToProto(v.description);
    parts.push_back(absl::StrCat(v.field, ": ", v.reason, " (", v.description.en, ")"));
  }
  return WithDetail(absl::StatusCode::kInvalidArgument,
                    absl::StrCat("invalid argument: ", absl::StrJoin(parts, "; ")), detail);
}

absl::Status InvalidField(std::string_view domain, std::string field, std::string reason,
                          Text description) {
  return InvalidArgument(domain, {{std::move(field), std::move(reason), std::move(description)}});
}

absl::Status Error(absl::StatusCode code, std::string_view domain, std::string reason, Text message,
                   std::map<std::string, std::string> metadata) {
  common::v1::ErrorDetail detail;
  detail.set_reason(reason);
  detail.set_domain(std::string(domain));
  *detail.mutable_message() = ToProto(message);
  for (auto& [key, value] : metadata) (*detail.mutable_metadata())[key] = value;
  return WithDetail(code, absl::StrCat(reason, ": ", message.en), detail);
}

std::optional<common::v1::ErrorDetail> DetailOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrorDetailTypeUrl);
  if (!payload) return std::nullopt;
  common::v1::ErrorDetail detail;
  if (!detail.ParseFromString(std::string(*payload))) return std::nullopt;
  return detail;
}

std::string ReasonOf(const absl::Status& status) {
  std::optional<common::v1::ErrorDetail> detail = DetailOf(status);
  return detail ? detail->reason() : std::string();
}

}  // namespace samrad::errors
