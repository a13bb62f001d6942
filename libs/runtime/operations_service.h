#ifndef SAMRAD_LIBS_RUNTIME_OPERATIONS_SERVICE_H_
#define SAMRAD_LIBS_RUNTIME_OPERATIONS_SERVICE_H_

#include <vector>

#include "libs/runtime/service_module.h"
#include "samrad/ops/v1/operations.grpc.pb.h"

namespace samrad::runtime {

// samrad.ops.v1.Operations over the modules of this process.
class OperationsService final : public ops::v1::Operations::CallbackService {
 public:
  explicit OperationsService(std::vector<ServiceModule*> modules) : modules_(std::move(modules)) {}

  grpc::ServerUnaryReactor* ListProjections(grpc::CallbackServerContext* context,
                                            const ops::v1::ListProjectionsRequest* request,
                                            ops::v1::ListProjectionsResponse* response) override;

 private:
  const std::vector<ServiceModule*> modules_;
};

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_OPERATIONS_SERVICE_H_
