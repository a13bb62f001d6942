#include "services/samradctl/error_output.h"

#include <map>
#include <optional>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/api/errors.h"

namespace samrad::ctl {
namespace {

// What a Samråd error carries besides its code.
struct ErrorDetails {
  std::optional<google::rpc::ErrorInfo> info;
  std::optional<google::rpc::BadRequest> bad_request;
  std::optional<google::rpc::LocalizedMessage> localized;
};

std::optional<ErrorDetails> DecodeDetails(const grpc::Status& status) {
  if (status.error_details().empty()) return std::nullopt;
  google::rpc::Status rpc_status;
  if (!rpc_status.ParseFromString(status.error_details())) return std::nullopt;
  ErrorDetails out;
  for (const google::protobuf::Any& any : rpc_status.details()) {
    if (google::rpc::ErrorInfo info; any.UnpackTo(&info)) {
      out.info = std::move(info);
    } else if (google::rpc::BadRequest bad; any.UnpackTo(&bad)) {
      out.bad_request = std::move(bad);
    } else if (google::rpc::LocalizedMessage message; any.UnpackTo(&message)) {
      out.localized = std::move(message);
    }
  }
  return out;
}

}  // namespace

bool IsUnreachable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE && !DecodeDetails(status);
}

int ExitCodeFor(const grpc::Status& status) {
  if (status.ok()) return kExitOk;
  return IsUnreachable(status) ? kExitUnreachable : kExitServerError;
}

void PrintError(const grpc::Status& status, std::string_view target, Lang lang, std::ostream& err) {
  if (status.ok()) return;
  if (IsUnreachable(status)) {
    err << Tr(lang, "fel: kan inte nå ", "error: cannot reach ") << target << ": "
        << status.error_message() << " [" << api::GrpcCodeName(status.error_code()) << "]\n";
    return;
  }
  const std::optional<ErrorDetails> details = DecodeDetails(status);
  std::string fallback;
  if (status.error_message().empty()) {
    fallback = status.error_code() == grpc::StatusCode::UNIMPLEMENTED
                   ? Tr(lang, "servern på målet har inte denna metod",
                        "the server at the target does not have this method")
                   : Tr(lang, "servern gav inget meddelande", "the server gave no message");
  }
  const std::string& message =
      details && details->localized && !details->localized->message().empty()
          ? details->localized->message()
          : (status.error_message().empty() ? fallback : status.error_message());
  err << Tr(lang, "fel: ", "error: ") << message << " [" << api::GrpcCodeName(status.error_code())
      << "]\n";
  if (!details) return;
  if (details->bad_request) {
    for (const auto& violation : details->bad_request->field_violations()) {
      err << "  " << violation.field() << ": " << violation.description() << "\n";
    }
  }
  if (details->info && !details->info->reason().empty()) {
    err << "  " << Tr(lang, "orsak: ", "reason: ") << details->info->reason();
    if (!details->info->domain().empty()) err << " (" << details->info->domain() << ")";
    // Sorted, so that the output does not depend on the map's order.
    const std::map<std::string, std::string> metadata(details->info->metadata().begin(),
                                                      details->info->metadata().end());
    for (const auto& [key, value] : metadata) err << " " << key << "=" << value;
    err << "\n";
  }
}

}  // namespace samrad::ctl
