#ifndef SAMRAD_TESTS_SERVICES_REGISTRY_API_REGISTRY_API_FIXTURE_H_
#define SAMRAD_TESTS_SERVICES_REGISTRY_API_REGISTRY_API_FIXTURE_H_

// Shared support of the registry API tests: the registry module started in-process on an
// EmbeddedEventLog (sync = false) and its RocksDB projection in a temporary directory,
// bootstrapped from deploy/config/malmo.json (found through SAMRAD_SOURCE_DIR, which ctest
// sets) and served over real loopback gRPC; client contexts; builders of valid requests;
// readers of the error details; and a pager for List RPCs.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/type/date.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/common/lang.h"
#include "libs/eventlog/embedded_event_log.h"
#include "libs/runtime/service_module.h"
#include "samrad/registry/v1/registry_service.grpc.pb.h"
#include "tests/testing/temp_dir.h"

namespace samrad::registry::apitest {

inline constexpr char kTenant[] = "tenants/1280";
// The actor of Ctx() unless another is given.
inline constexpr char kActor[] = "anna.svensson";
// The ErrorInfo domain of the registry's own errors.
inline constexpr char kDomain[] = "registry.samrad.malmo.se";
// The ErrorInfo domain of the API layer shared by every service (actor, paging).
inline constexpr char kApiDomain[] = "samrad.malmo.se";

// "tenants/1280/<collection>/<id>".
std::string Name(std::string_view collection, std::string_view id);
google::type::Date D(int y, int m, int d);

// A client context with an actor (none when `actor` is empty) and a language.
std::unique_ptr<grpc::ClientContext> Ctx(std::string actor = kActor, Lang lang = Lang::kSv);

// A synchronous method of the stub, e.g. &v1::Registry::Stub::GetDialogue.
template <typename Request, typename Response>
using Rpc = grpc::Status (v1::Registry::Stub::*)(grpc::ClientContext*, const Request&, Response*);

// Calls `rpc` with Ctx(actor, lang), discarding the response.
template <typename Request, typename Response>
grpc::Status Call(v1::Registry::Stub& stub, Rpc<Request, Response> rpc, const Request& request,
                  std::string actor = kActor, Lang lang = Lang::kSv) {
  Response response;
  return (stub.*rpc)(Ctx(std::move(actor), lang).get(), request, &response);
}

// A status and the serialized response of one call, to compare answers byte for byte.
struct Reply {
  grpc::Status status;
  std::string response;
};
template <typename Request, typename Response>
Reply CallForReply(v1::Registry::Stub& stub, Rpc<Request, Response> rpc, const Request& request,
                   std::string actor = kActor) {
  Response response;
  Reply reply;
  reply.status = (stub.*rpc)(Ctx(std::move(actor)).get(), request, &response);
  reply.response = response.SerializeAsString();
  return reply;
}

// --- Error details (google.rpc.Status in grpc-status-details-bin) -----------------------

google::rpc::BadRequest BadRequestOf(const grpc::Status& status);
// ErrorInfo.reason; empty when the status has none.
std::string ReasonOf(const grpc::Status& status);
// ErrorInfo.metadata[key]; empty when absent.
std::string MetadataOf(const grpc::Status& status, const std::string& key);
// The fields of the BadRequest violations, in order; empty when there is no BadRequest.
std::vector<std::string> ViolatedFields(const grpc::Status& status);

// The `reason` of IsError for validation errors: INVALID_ARGUMENT's ErrorInfo.reason is the
// reason of its first field violation (and metadata["field"] that violation's field).
inline constexpr std::string_view kFirstViolationReason = "(the first violation's reason)";

// Succeeds when `status` has `code`, ErrorInfo reason `reason` in the registry's domain
// (or another `domain`), and BadRequest violations naming exactly `fields`, in order.
::testing::AssertionResult IsError(const grpc::Status& status, grpc::StatusCode code,
                                   std::string_view reason,
                                   const std::vector<std::string>& fields = {},
                                   std::string_view domain = kDomain);
// INVALID_ARGUMENT naming exactly `fields`, with the first violation's reason in ErrorInfo.
::testing::AssertionResult IsInvalid(const grpc::Status& status,
                                     const std::vector<std::string>& fields);

// One way to get a request of type Request refused: `mutate` turns a valid request into
// the refused one. For table tests (RegistryApiTest::ExpectRefused).
template <typename Request>
struct ErrorCase {
  using Mutate = std::function<void(Request&)>;

  // INVALID_ARGUMENT naming exactly `fields` (IsInvalid).
  static ErrorCase Invalid(std::string label, Mutate mutate, std::vector<std::string> fields) {
    return {std::move(label),
            std::move(mutate),
            grpc::StatusCode::INVALID_ARGUMENT,
            std::string(kFirstViolationReason),
            std::move(fields),
            kDomain};
  }
  // Any other error, without field violations.
  static ErrorCase Refused(std::string label, Mutate mutate, grpc::StatusCode code,
                           std::string reason, std::string domain = kDomain) {
    return {std::move(label), std::move(mutate), code, std::move(reason), {}, std::move(domain)};
  }

  std::string label;
  Mutate mutate;
  grpc::StatusCode code;
  std::string reason;
  std::vector<std::string> fields;
  std::string domain;
};

// --- Requests ---------------------------------------------------------------------------

// A valid medborgardialog of Fritidsförvaltningen in Rosengård, 2020-03-01..2020-05-31,
// for citizens, with the elected official people/anna (who must exist), request id
// "dialogue-<id>".
v1::CreateDialogueRequest DialogueRequest(const std::string& id);

// A valid consultation round like STK-2018-90 (three questions, the bodies given, or five
// committees by default; 2019-02-19..2019-06-28), request id "consultation-<id>".
v1::CreateConsultationRequest ConsultationRequest(const std::string& id,
                                                  std::vector<std::string> bodies = {});

// An answer of `body` received on `received` with one point of every tag.
v1::ConsultationAnswer AnswerOf(const std::string& body, google::type::Date received);

// Writes that must succeed (a failure is a test failure; the response is then empty).
v1::Person CreatePerson(v1::Registry::Stub& stub, const std::string& id, v1::PersonRole role);
v1::CreateDialogueResponse CreateDialogue(v1::Registry::Stub& stub,
                                          const v1::CreateDialogueRequest& request);
v1::Consultation CreateConsultation(v1::Registry::Stub& stub,
                                    const v1::CreateConsultationRequest& request);
v1::Committee CreateCommittee(v1::Registry::Stub& stub, const std::string& id);
v1::Committee RetireCommittee(v1::Registry::Stub& stub, const std::string& id);

// Every event of the resource `name`, oldest first (GetHistory must succeed).
std::vector<v1::RegistryEvent> HistoryOf(v1::Registry::Stub& stub, const std::string& name);
// The event types ("samrad.registry.v1.DialogueRegistered", ...) of `events`.
std::vector<std::string> EventTypesOf(const std::vector<v1::RegistryEvent>& events);

// --- Paging -----------------------------------------------------------------------------

// Pages through a List RPC from `request` (its page_token is replaced) until
// next_page_token is empty; `items(response)` gives a page's items. Every page but the last
// must hold exactly `full_page` items (0: not checked). Stops at the first error, which is
// a test failure.
template <typename Request, typename Response, typename ItemsFn>
auto ListAll(v1::Registry::Stub& stub, Rpc<Request, Response> rpc, Request request,
             const ItemsFn& items, int full_page = 0) {
  using Item = typename std::decay_t<decltype(items(Response()))>::value_type;
  std::vector<Item> all;
  request.clear_page_token();
  for (int page = 0;; ++page) {
    Response response;
    const grpc::Status s = (stub.*rpc)(Ctx().get(), request, &response);
    if (!s.ok()) {
      ADD_FAILURE() << "page " << page << ": " << s.error_message();
      break;
    }
    const auto& got = items(response);
    all.insert(all.end(), got.begin(), got.end());
    if (response.next_page_token().empty()) break;
    if (full_page > 0) {
      EXPECT_EQ(got.size(), full_page) << "page " << page << " is not full";
    }
    request.set_page_token(response.next_page_token());
  }
  return all;
}

// The names of `resources`, in order.
template <typename Resources>
std::vector<std::string> NamesOf(const Resources& resources) {
  std::vector<std::string> names;
  for (const auto& r : resources) names.push_back(r.name());
  return names;
}

// --- The server -------------------------------------------------------------------------

// The registry module over an EmbeddedEventLog in its own temporary directory, served on
// 127.0.0.1 at a free port.
class RegistryServer {
 public:
  // The production default of the write pool (--command-threads).
  static inline const size_t kDefaultCommandThreads = runtime::ModuleContext{}.command_threads;

  // `command_threads`: the size of the registry's write pool (ModuleContext::
  // command_threads), e.g. small, so that concurrent clients exceed it.
  explicit RegistryServer(size_t command_threads = kDefaultCommandThreads)
      : command_threads_(command_threads) {}
  ~RegistryServer() { Stop(); }
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  // Opens the log (on the first call), starts the module and the server and waits until
  // the module is ready. May be called again after Stop (a restart on the same data).
  absl::Status Start();
  // Stops the server and the module; the log and the data stay.
  void Stop();

  v1::Registry::Stub& stub() { return *stub_; }
  // The end offset of registry.events.v1 partition 0: what has been appended so far.
  int64_t HighWatermark() const;
  size_t command_threads() const { return command_threads_; }

 private:
  const size_t command_threads_;
  testutil::TempDir dir_;
  std::unique_ptr<eventlog::EmbeddedEventLog> log_;
  std::unique_ptr<runtime::ServiceModule> module_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Registry::Stub> stub_;
};

// A fresh registry per test (with a write pool of `command_threads`).
class RegistryApiTest : public ::testing::Test {
 protected:
  explicit RegistryApiTest(size_t command_threads = RegistryServer::kDefaultCommandThreads)
      : server_(command_threads) {}

  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartModule()); }
  void TearDown() override { StopModule(); }

  void StartModule() {
    const absl::Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started;
    stub_ = &server_.stub();
  }
  void StopModule() {
    server_.Stop();
    stub_ = nullptr;
  }

  int64_t HighWatermark() const { return server_.HighWatermark(); }

  v1::Person CreatePerson(const std::string& id, v1::PersonRole role) {
    return apitest::CreatePerson(*stub_, id, role);
  }

  // Sends `base` changed by each case's mutate and expects the case's error, and that the
  // refused write appended nothing to the log.
  template <typename Request, typename Response>
  void ExpectRefused(Rpc<Request, Response> rpc, const Request& base,
                     const std::vector<ErrorCase<Request>>& cases) {
    for (const ErrorCase<Request>& c : cases) {
      SCOPED_TRACE(c.label);
      Request request = base;
      c.mutate(request);
      const int64_t before = HighWatermark();
      EXPECT_TRUE(IsError(Call(*stub_, rpc, request), c.code, c.reason, c.fields, c.domain));
      EXPECT_EQ(HighWatermark(), before) << "a refused write appended events";
    }
  }

  RegistryServer server_;
  v1::Registry::Stub* stub_ = nullptr;
};

}  // namespace samrad::registry::apitest

#endif  // SAMRAD_TESTS_SERVICES_REGISTRY_API_REGISTRY_API_FIXTURE_H_
