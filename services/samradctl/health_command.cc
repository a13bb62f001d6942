#include "services/samradctl/health_command.h"

#include <string_view>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/text.h"
#include "libs/runtime/service_names.h"

namespace samrad::ctl {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

std::string_view StatusText(Lang lang, HealthCheckResponse::ServingStatus status) {
  switch (status) {
    case HealthCheckResponse::SERVING:
      return Tr(lang, "i drift", "serving");
    case HealthCheckResponse::NOT_SERVING:
      return Tr(lang, "ej i drift", "not serving");
    default:
      return Tr(lang, "okänd", "unknown");
  }
}

}  // namespace

int RunHealth(const HealthOptions& options, std::ostream& out, std::ostream& err) {
  const Lang lang = options.lang;
  auto channel = grpc::CreateChannel(options.target, grpc::InsecureChannelCredentials());
  auto stub = Health::NewStub(channel);

  struct Row {
    std::string name;
    HealthCheckResponse::ServingStatus status;
  };
  std::vector<Row> rows;
  std::vector<std::string> names = {""};
  for (std::string_view n : runtime::kAllHealthNames) names.emplace_back(n);

  bool all_serving = true;
  for (const auto& name : names) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
    HealthCheckRequest request;
    request.set_service(name);
    HealthCheckResponse response;
    const grpc::Status status = stub->Check(&context, request, &response);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) continue;  // not hosted here
    if (!status.ok()) {
      err << Tr(lang, "Kan inte nå ", "Cannot reach ") << options.target << ": "
          << status.error_message() << "\n";
      return kHealthUnreachable;
    }
    if (response.status() != HealthCheckResponse::SERVING) all_serving = false;
    rows.push_back(
        {name.empty() ? std::string(Tr(lang, "(servern)", "(server)")) : name, response.status()});
  }

  constexpr size_t kWidth = 36;
  out << PadRight(Tr(lang, "TJÄNST", "SERVICE"), kWidth) << "STATUS\n";
  for (const auto& row : rows) {
    out << PadRight(row.name, kWidth) << StatusText(lang, row.status) << "\n";
  }
  if (all_serving) {
    out << Tr(lang, "Alla tjänster på ", "Every service at ") << options.target
        << Tr(lang, " är i drift.", " is serving.") << "\n";
    return kHealthServing;
  }
  out << Tr(lang, "Alla tjänster på ", "Not every service at ") << options.target
      << Tr(lang, " är inte i drift.", " is serving.") << "\n";
  return kHealthNotServing;
}

}  // namespace samrad::ctl
