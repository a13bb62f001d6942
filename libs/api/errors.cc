#include "libs/api/errors.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/common/log.h"

namespace samrad::api {
namespace {

using errors::Text;

// Domain of the ErrorInfo of a status that carries no ErrorDetail.
constexpr char kGenericDomain[] = "samrad.malmo.se";

std::string ToStd(absl::string_view s) { return std::string(s.data(), s.size()); }

const std::string& Pick(const common::v1::LocalizedText& text, Lang lang) {
  const std::string& preferred = lang == Lang::kEn ? text.en() : text.sv();
  const std::string& other = lang == Lang::kEn ? text.sv() : text.en();
  return preferred.empty() ? other : preferred;
}

const char* Locale(Lang lang) { return lang == Lang::kEn ? "en-US" : "sv-SE"; }

// Text users read for a status without an ErrorDetail, by code.
Text GenericText(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kCancelled:
      return {"Begäran avbröts.", "The request was cancelled."};
    case absl::StatusCode::kInvalidArgument:
      return {"Begäran är ogiltig.", "The request is invalid."};
    case absl::StatusCode::kDeadlineExceeded:
      return {"Tidsgränsen för begäran överskreds.", "The request's deadline was exceeded."};
    case absl::StatusCode::kNotFound:
      return {"Resursen finns inte.", "The resource does not exist."};
    case absl::StatusCode::kAlreadyExists:
      return {"Resursen finns redan.", "The resource already exists."};
    case absl::StatusCode::kPermissionDenied:
      return {"Du har inte behörighet till detta.", "You are not allowed to do this."};
    case absl::StatusCode::kResourceExhausted:
      return {"Gränsen är nådd; försök igen senare.", "A limit was reached; retry later."};
    case absl::StatusCode::kFailedPrecondition:
      return {"Åtgärden är inte möjlig i resursens nuvarande tillstånd.",
              "The operation is not possible in the resource's current state."};
    case absl::StatusCode::kAborted:
      return {"Åtgärden avbröts på grund av en samtidig ändring; försök igen.",
              "The operation was aborted by a concurrent change; retry."};
    case absl::StatusCode::kOutOfRange:
      return {"Värdet ligger utanför det giltiga intervallet.", "The value is out of range."};
    case absl::StatusCode::kUnimplemented:
      return {"Åtgärden stöds inte.", "The operation is not supported."};
    case absl::StatusCode::kUnavailable:
      return {"Tjänsten är inte tillgänglig just nu; försök igen.",
              "The service is unavailable right now; retry."};
    case absl::StatusCode::kUnauthenticated:
      return {"Begäran saknar giltig identitet.", "The request lacks a valid identity."};
    case absl::StatusCode::kOk:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    default:
      return {"Ett internt fel inträffade.", "An internal error occurred."};
  }
}

// Codes whose message may describe internals (file paths, offsets, library errors): their
// text is replaced unless it came from an ErrorDetail written for users.
bool HidesMessage(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnknown ||
         code == absl::StatusCode::kDataLoss;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(static_cast<int>(status.code()));

  google::rpc::ErrorInfo info;
  google::rpc::BadRequest bad_request;
  // `message` is google.rpc.Status.message (and grpc-message); `localized` is what the
  // LocalizedMessage detail tells end users. They are the same text unless the status has no
  // ErrorDetail.
  std::string message;
  std::string localized;
  if (std::optional<common::v1::ErrorDetail> detail = errors::DetailOf(status)) {
    info.set_reason(detail->reason());
    info.set_domain(detail->domain());
    for (const auto& [key, value] : detail->metadata()) (*info.mutable_metadata())[key] = value;
    message = Pick(detail->message(), lang);
    for (const auto& v : detail->field_violations()) {
      auto* out = bad_request.add_field_violations();
      out->set_field(v.field());
      out->set_description(Pick(v.description(), lang));
      out->set_reason(v.reason());
    }
    if (message.empty()) {
      const Text generic = GenericText(status.code());
      message = lang == Lang::kEn ? generic.en : generic.sv;
    }
    localized = message;
  } else {
    info.set_reason(ToStd(absl::StatusCodeToString(status.code())));
    info.set_domain(kGenericDomain);
    const Text generic = GenericText(status.code());
    localized = lang == Lang::kEn ? generic.en : generic.sv;
    if (HidesMessage(status.code())) {
      SAMRAD_LOG_ERROR("{} answered with a generic text: {}", info.reason(), status.ToString());
      message = localized;
    } else {
      // A developer-facing English text that names no internals (the convention for every
      // absl::Status created in Samråd with these codes); users read `localized`.
      message = status.message().empty() ? localized : ToStd(status.message());
    }
  }

  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(code));
  rpc_status.set_message(message);
  rpc_status.add_details()->PackFrom(info);
  if (bad_request.field_violations_size() > 0) rpc_status.add_details()->PackFrom(bad_request);
  google::rpc::LocalizedMessage localized_message;
  localized_message.set_locale(Locale(lang));
  localized_message.set_message(localized);
  rpc_status.add_details()->PackFrom(localized_message);
  return grpc::Status(code, message, rpc_status.SerializeAsString());
}

std::string GrpcCodeName(grpc::StatusCode code) {
  // gRPC's codes and absl's are the same numbers with the same names.
  const std::string name = ToStd(absl::StatusCodeToString(static_cast<absl::StatusCode>(code)));
  return name.empty() ? absl::StrCat("CODE_", static_cast<int>(code)) : name;
}

}  // namespace samrad::api
