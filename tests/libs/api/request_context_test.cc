#include "libs/api/request_context.h"

#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/api/errors.h"

namespace samrad::api {
namespace {

using errors::DetailOf;

using common::v1::ActorRole;

struct Header {
  std::string key;
  std::string value;
};

// Owns the strings the string_refs of a ClientMetadata point to.
class Metadata {
 public:
  explicit Metadata(std::vector<Header> headers) : headers_(std::move(headers)) {
    for (const Header& h : headers_) {
      map_.emplace(grpc::string_ref(h.key), grpc::string_ref(h.value));
    }
  }
  const ClientMetadata& map() const { return map_; }

 private:
  std::vector<Header> headers_;
  ClientMetadata map_;
};

struct Case {
  std::string name = {};
  std::vector<Header> headers = {};
  Access access = Access::kRead;
  // Expected outcome.
  absl::StatusCode code = absl::StatusCode::kOk;
  std::string reason = {};
  std::string id = {};
  std::string display_name = {};
  ActorRole role = common::v1::ACTOR_ROLE_UNSPECIFIED;
  std::string administration = {};
  Lang lang = Lang::kSv;
  // Empty: a generated UUID is expected.
  std::string correlation_id = {};
};

class ParseRequestContextTest : public ::testing::TestWithParam<Case> {};

TEST_P(ParseRequestContextTest, Parses) {
  const Case& c = GetParam();
  Metadata metadata(c.headers);
  absl::StatusOr<RequestContext> context = ParseRequestContext(metadata.map(), c.access);
  ASSERT_EQ(context.status().code(), c.code) << context.status();
  if (!context.ok()) {
    std::optional<common::v1::ErrorDetail> detail = DetailOf(context.status());
    ASSERT_TRUE(detail.has_value());
    EXPECT_EQ(detail->reason(), c.reason);
    EXPECT_EQ(detail->domain(), kApiErrorDomain);
    EXPECT_FALSE(detail->message().sv().empty());
    EXPECT_FALSE(detail->message().en().empty());
    return;
  }
  EXPECT_EQ(context->actor.id(), c.id);
  EXPECT_EQ(context->actor.display_name(), c.display_name);
  EXPECT_EQ(context->actor.role(), c.role);
  EXPECT_EQ(context->actor.administration(), c.administration);
  EXPECT_EQ(context->lang, c.lang);
  if (c.correlation_id.empty()) {
    EXPECT_TRUE(std::regex_match(
        context->correlation_id,
        std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << context->correlation_id;
  } else {
    EXPECT_EQ(context->correlation_id, c.correlation_id);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseRequestContextTest,
    ::testing::Values(
        Case{.name = "empty_read"},
        Case{.name = "empty_write_is_unauthenticated",
             .access = Access::kWrite,
             .code = absl::StatusCode::kUnauthenticated,
             .reason = "ACTOR_MISSING"},
        Case{.name = "empty_id_write_is_unauthenticated",
             .headers = {{"x-samrad-actor-id", ""}, {"x-samrad-actor-name", "Anna"}},
             .access = Access::kWrite,
             .code = absl::StatusCode::kUnauthenticated,
             .reason = "ACTOR_MISSING"},
        Case{.name = "full_actor",
             .headers = {{"x-samrad-actor-id", "anna.svensson"},
                         {"x-samrad-actor-name", "J%C3%B6rgen%20%C3%85berg"},
                         {"x-samrad-actor-role", "elected_official"},
                         {"x-samrad-actor-administration", "stadskontoret"},
                         {"accept-language", "en"},
                         {"x-samrad-correlation-id", "c-123:abc_DEF.9"}},
             .access = Access::kWrite,
             .id = "anna.svensson",
             .display_name = "Jörgen Åberg",
             .role = common::v1::ACTOR_ROLE_ELECTED_OFFICIAL,
             .administration = "stadskontoret",
             .lang = Lang::kEn,
             .correlation_id = "c-123:abc_DEF.9"},
        Case{.name = "raw_ascii_name_is_accepted",
             .headers = {{"x-samrad-actor-id", "k"}, {"x-samrad-actor-name", "Kim Lee"}},
             .id = "k",
             .display_name = "Kim Lee"},
        Case{.name = "role_official",
             .headers = {{"x-samrad-actor-role", "official"}},
             .role = common::v1::ACTOR_ROLE_OFFICIAL},
        Case{.name = "role_coordinator",
             .headers = {{"x-samrad-actor-role", "coordinator"}},
             .role = common::v1::ACTOR_ROLE_COORDINATOR},
        Case{.name = "role_system",
             .headers = {{"x-samrad-actor-role", "system"}},
             .role = common::v1::ACTOR_ROLE_SYSTEM},
        Case{.name = "unknown_role",
             .headers = {{"x-samrad-actor-id", "a"}, {"x-samrad-actor-role", "mayor"}},
             .code = absl::StatusCode::kInvalidArgument,
             .reason = "INVALID_METADATA"},
        Case{.name = "bad_percent_escape",
             .headers = {{"x-samrad-actor-name", "A%2"}},
             .code = absl::StatusCode::kInvalidArgument,
             .reason = "INVALID_METADATA"},
        Case{.name = "bad_hex_escape",
             .headers = {{"x-samrad-actor-id", "%zz"}},
             .code = absl::StatusCode::kInvalidArgument,
             .reason = "INVALID_METADATA"},
        Case{.name = "invalid_utf8",
             .headers = {{"x-samrad-actor-name", "%C3%28"}},
             .code = absl::StatusCode::kInvalidArgument,
             .reason = "INVALID_METADATA"},
        Case{.name = "overlong_utf8",
             .headers = {{"x-samrad-actor-name", "%C0%AF"}},
             .code = absl::StatusCode::kInvalidArgument,
             .reason = "INVALID_METADATA"},
        Case{.name = "accept_language_weights",
             .headers = {{"accept-language", "de-DE, sv;q=0.5, en-GB;q=0.8"}},
             .lang = Lang::kEn},
        Case{.name = "accept_language_swedish_first",
             .headers = {{"accept-language", "sv-SE,en;q=0.9"}},
             .lang = Lang::kSv},
        Case{.name = "accept_language_refused_english",
             .headers = {{"accept-language", "en;q=0, fr"}},
             .lang = Lang::kSv},
        Case{.name = "accept_language_unsupported",
             .headers = {{"accept-language", "fi, de"}},
             .lang = Lang::kSv},
        Case{.name = "bad_correlation_id",
             .headers = {{"x-samrad-correlation-id", "has space"}},
             .code = absl::StatusCode::kInvalidArgument,
             .reason = "INVALID_METADATA"},
        Case{.name = "empty_correlation_id",
             .headers = {{"x-samrad-correlation-id", ""}},
             .code = absl::StatusCode::kInvalidArgument,
             .reason = "INVALID_METADATA"},
        Case{.name = "too_long_correlation_id",
             .headers = {{"x-samrad-correlation-id", std::string(129, 'a')}},
             .code = absl::StatusCode::kInvalidArgument,
             .reason = "INVALID_METADATA"}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(RequestContextTest, InvalidMetadataNamesTheHeader) {
  Metadata metadata({{"x-samrad-actor-role", "mayor"}, {"accept-language", "en"}});
  absl::StatusOr<RequestContext> context = ParseRequestContext(metadata.map(), Access::kRead);
  ASSERT_FALSE(context.ok());
  std::optional<common::v1::ErrorDetail> detail = DetailOf(context.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->metadata().at("header"), "x-samrad-actor-role");
  EXPECT_EQ(ToGrpcStatus(context.status(), Lang::kEn).error_message(), detail->message().en());
}

TEST(PercentEncodingTest, RoundTripsUtf8) {
  for (std::string text : {"", "Anna", "Jörgen Åberg", "100% säker", "a/b?c=d&e", "日本"}) {
    const std::string encoded = PercentEncode(text);
    for (char c : encoded) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7f) << encoded;
      EXPECT_NE(c, ' ');
    }
    EXPECT_EQ(PercentDecode(encoded), text);
  }
  EXPECT_EQ(PercentEncode("Åsa Ek"), "%C3%85sa%20Ek");
}

TEST(ActorRoleTest, NamesRoundTrip) {
  for (auto role : {common::v1::ACTOR_ROLE_OFFICIAL, common::v1::ACTOR_ROLE_ELECTED_OFFICIAL,
                    common::v1::ACTOR_ROLE_COORDINATOR, common::v1::ACTOR_ROLE_SYSTEM}) {
    EXPECT_EQ(ParseActorRole(ActorRoleName(role)), role);
  }
  EXPECT_EQ(ActorRoleName(common::v1::ACTOR_ROLE_UNSPECIFIED), "");
  EXPECT_FALSE(ParseActorRole("").has_value());
}

TEST(NewUuidV4Test, WellFormedAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string uuid = NewUuidV4();
    ASSERT_TRUE(std::regex_match(
        uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << uuid;
    seen.insert(uuid);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

// A health service that records the request context of each call.
class RecordingHealth : public grpc::health::v1::Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext* context, const grpc::health::v1::HealthCheckRequest*,
                     grpc::health::v1::HealthCheckResponse* response) override {
    absl::StatusOr<RequestContext> parsed = ReadRequestContext(*context, Access::kWrite);
    absl::MutexLock lock(&mu_);
    last_ = parsed;
    if (!parsed.ok()) return ToGrpcStatus(parsed.status(), Lang::kSv);
    response->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }

  absl::StatusOr<RequestContext> last() {
    absl::MutexLock lock(&mu_);
    return last_;
  }

 private:
  absl::Mutex mu_;
  absl::StatusOr<RequestContext> last_ ABSL_GUARDED_BY(mu_) = absl::UnknownError("no call");
};

TEST(RequestContextLoopbackTest, ClientHeadersReachTheServer) {
  RecordingHealth service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_GT(port, 0);
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));

  common::v1::Actor actor;
  actor.set_id("åsa.ek");
  actor.set_display_name("Åsa Ek (S)");
  actor.set_role(common::v1::ACTOR_ROLE_ELECTED_OFFICIAL);
  actor.set_administration("Stadsbyggnadskontoret");
  {
    grpc::ClientContext context;
    SetActorMetadata(context, actor, Lang::kEn);
    SetCorrelationId(context, "corr-1");
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(stub->Check(&context, {}, &response).ok());
    absl::StatusOr<RequestContext> seen = service.last();
    ASSERT_TRUE(seen.ok()) << seen.status();
    EXPECT_EQ(seen->actor.SerializeAsString(), actor.SerializeAsString());
    EXPECT_EQ(seen->lang, Lang::kEn);
    EXPECT_EQ(seen->correlation_id, "corr-1");
  }
  {
    // A write without an actor: UNAUTHENTICATED with the Swedish text.
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, {}, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr("x-samrad-actor-id"));
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr("Ändringar kräver"));
  }
  server->Shutdown();
}

}  // namespace
}  // namespace samrad::api
