#ifndef SAMRAD_LIBS_API_SERVE_H_
#define SAMRAD_LIBS_API_SERVE_H_

// How every Samråd service serves a unary RPC of gRPC's callback API: read the request
// context (the one place identity and language come from, request_context.h), run the
// handler, and finish the call through the one error boundary (ToGrpcStatus) in the
// caller's language.
//
//   class SchedulingService final : public v1::Scheduling::CallbackService {
//     grpc::ServerUnaryReactor* GetMeeting(grpc::CallbackServerContext* context,
//                                          const v1::GetMeetingRequest* request,
//                                          v1::Meeting* response) override {
//       return calls_.Read(context, [&](const api::RequestContext& rc) {
//         return ReadMeeting(rc, *request, response);
//       });
//     }
//     grpc::ServerUnaryReactor* CreateMeeting(...) override {
//       return calls_.Write(context, [this, request, response](const api::RequestContext& rc) {
//         return CreateMeeting(rc, *request, response);  // runs on the write pool
//       });
//     }
//     api::CallRunner calls_{{.service = "scheduling", .domain = kErrorDomain}};
//   };
//
// Reads run on gRPC's callback thread: they must not block (one RocksDB snapshot, no waits).
// Writes run on the runner's write pool, because a command blocks on its partition's lock
// and on the log's sync, which it shares with the writes queued behind it
// (docs/adr/0008-pipelined-durability.md); gRPC's callback threads, as many as there are
// cores, stay free for reads and health checks meanwhile.
//
// Errors: a malformed request context is answered in the language of the call's
// accept-language header (Swedish when it is absent or unreadable), as is every error the
// handler returns. A write that arrives while the runner shuts down is UNAVAILABLE with
// reason SHUTTING_DOWN in the service's error domain: nothing was done, and a retry with the
// same request_id is safe.
//
// Thread-safety: Read and Write may be called concurrently. The destructor waits for the
// writes already queued (their reactors are finished) and refuses later ones.

#include <cstddef>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "libs/api/request_context.h"
#include "libs/common/lang.h"
#include "libs/common/work_pool.h"

namespace samrad::api {

// Finishes `reactor` with `status` in `lang`: every answer of a Samråd RPC passes here, so
// every error leaves through ToGrpcStatus exactly once.
void Finish(grpc::ServerUnaryReactor* reactor, const absl::Status& status, Lang lang);

// The language `context` asks for by accept-language (Swedish by default). Readable even
// when the rest of the request metadata is malformed.
Lang LanguageOf(const grpc::ServerContextBase& context);

struct CallRunnerOptions {
  // Short service name, e.g. "registry": names the write pool's threads in logs.
  std::string service = {};
  // ErrorInfo domain of the errors the runner answers itself (SHUTTING_DOWN), e.g.
  // "registry.samrad.malmo.se".
  std::string domain = {};
  // Threads of the write pool: the most writes that can wait for one fsync together.
  // Blocked threads cost little; 16 covers the closed-loop benchmarks' deepest queue that
  // still helps (docs/benchmarks.md). Must be at least 1.
  size_t write_threads = 16;
};

class CallRunner {
 public:
  static constexpr size_t kDefaultWriteThreads = 16;

  explicit CallRunner(CallRunnerOptions options);
  CallRunner(const CallRunner&) = delete;
  CallRunner& operator=(const CallRunner&) = delete;

  // Serves a read on the calling thread: reads the request context (Access::kRead), runs
  // `handler` and finishes the call with its status.
  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* context,
                                 absl::FunctionRef<absl::Status(const RequestContext&)> handler);

  // Serves a write on the write pool: reads the request context (Access::kWrite: an actor is
  // required) on the calling thread, then runs `handler` on the pool and finishes the call
  // from there. `handler` must keep what it refers to alive (the request and response
  // messages live until the call is finished).
  grpc::ServerUnaryReactor* Write(grpc::CallbackServerContext* context,
                                  absl::AnyInvocable<absl::Status(const RequestContext&)> handler);

  size_t write_threads() const { return writes_.threads(); }
  const std::string& domain() const { return domain_; }

 private:
  const std::string domain_;
  // Last member: destroyed first, so its threads finish before the rest goes.
  common::WorkPool writes_;
};

}  // namespace samrad::api

#endif  // SAMRAD_LIBS_API_SERVE_H_
