#include "libs/runtime/operations_service.h"

namespace samrad::runtime {

grpc::ServerUnaryReactor* OperationsService::ListProjections(
    grpc::CallbackServerContext* context, const ops::v1::ListProjectionsRequest* /*request*/,
    ops::v1::ListProjectionsResponse* response) {
  for (ServiceModule* module : modules_) {
    for (auto& p : module->Projections()) *response->add_projections() = std::move(p);
  }
  auto* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace samrad::runtime
