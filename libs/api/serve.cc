#include "libs/api/serve.h"

#include <utility>

#include "absl/status/statusor.h"
#include "libs/api/errors.h"
#include "libs/errors/errors.h"

namespace samrad::api {
namespace {

grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    const absl::Status& status, Lang lang) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Finish(reactor, status, lang);
  return reactor;
}

}  // namespace

void Finish(grpc::ServerUnaryReactor* reactor, const absl::Status& status, Lang lang) {
  reactor->Finish(status.ok() ? grpc::Status::OK : ToGrpcStatus(status, lang));
}

Lang LanguageOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  const auto it =
      metadata.find(grpc::string_ref(kAcceptLanguageHeader.data(), kAcceptLanguageHeader.size()));
  if (it == metadata.end()) return Lang::kSv;
  return ParseAcceptLanguage(std::string_view(it->second.data(), it->second.size()));
}

CallRunner::CallRunner(CallRunnerOptions options)
    : domain_(std::move(options.domain)),
      writes_(options.service + "-writes", options.write_threads == 0 ? 1 : options.write_threads) {
}

grpc::ServerUnaryReactor* CallRunner::Read(
    grpc::CallbackServerContext* context,
    absl::FunctionRef<absl::Status(const RequestContext&)> handler) {
  absl::StatusOr<RequestContext> rc = ReadRequestContext(*context, Access::kRead);
  if (!rc.ok()) return FinishNow(context, rc.status(), LanguageOf(*context));
  return FinishNow(context, handler(*rc), rc->lang);
}

grpc::ServerUnaryReactor* CallRunner::Write(
    grpc::CallbackServerContext* context,
    absl::AnyInvocable<absl::Status(const RequestContext&)> handler) {
  absl::StatusOr<RequestContext> rc = ReadRequestContext(*context, Access::kWrite);
  if (!rc.ok()) return FinishNow(context, rc.status(), LanguageOf(*context));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const Lang lang = rc->lang;
  const bool queued =
      writes_.Submit([reactor, rc = *std::move(rc), handler = std::move(handler)]() mutable {
        Finish(reactor, handler(rc), rc.lang);
      });
  if (!queued) {
    Finish(reactor,
           errors::Error(absl::StatusCode::kUnavailable, domain_, "SHUTTING_DOWN",
                         {"Tjänsten stängs av. Försök igen om en stund med samma request_id.",
                          "The service is shutting down. Retry in a moment with the same "
                          "request_id."}),
           lang);
  }
  return reactor;
}

}  // namespace samrad::api
