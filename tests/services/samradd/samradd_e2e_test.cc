// End-to-end: the real samradd and samradctl binaries on the embedded log.
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/eventlog/embedded_event_log.h"
#include "tests/services/e2e_support.h"
#include "tests/testing/child_process.h"
#include "tests/testing/server_process.h"
#include "tests/testing/temp_dir.h"

namespace samrad {
namespace {

using ::testing::HasSubstr;
using testutil::ServerProcess;

constexpr absl::Duration kTimeout = absl::Seconds(60);

std::string Samradctl() { return testutil::BinaryPath("samradctl", SAMRAD_TEST_BIN_DIR); }

TEST(SamraddE2eTest, ServesHealthAndMetricsAndStopsGracefully) {
  testutil::TempDir dir;
  auto server = ServerProcess::Start("samradd", {"--data-dir", dir.Sub("data")}, dir.path());
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->WaitServing(kTimeout).ok()) << server->Output();
  EXPECT_THAT(server->Output(), HasSubstr("gRPC on " + server->grpc_address()));

  std::string out;
  EXPECT_EQ(testutil::RunCommand({Samradctl(), "health", "--target", server->grpc_address()},
                                 kTimeout, &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("samrad.registry.v1.Registry"));
  EXPECT_THAT(out, HasSubstr("samrad.scheduling.v1.Scheduling"));
  EXPECT_THAT(out, HasSubstr("samrad.reporting.v1.Reporting"));
  EXPECT_THAT(out, HasSubstr("är i drift"));
  EXPECT_EQ(testutil::RunCommand(
                {Samradctl(), "--lang", "en", "health", "--target", server->grpc_address()},
                kTimeout, &out),
            0);
  EXPECT_THAT(out, HasSubstr("is serving"));

  // Server reflection lists every service, so grpcurl and similar tools need no protos.
  {
    auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(
        grpc::CreateChannel(server->grpc_address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kTimeout));
    auto stream = stub->ServerReflectionInfo(&context);
    grpc::reflection::v1alpha::ServerReflectionRequest request;
    request.set_list_services("*");
    ASSERT_TRUE(stream->Write(request));
    stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse response;
    ASSERT_TRUE(stream->Read(&response));
    std::vector<std::string> services;
    for (const auto& s : response.list_services_response().service()) {
      services.push_back(s.name());
    }
    EXPECT_THAT(services,
                ::testing::IsSupersetOf({"grpc.health.v1.Health", "samrad.ops.v1.Operations",
                                         "grpc.reflection.v1alpha.ServerReflection"}));
    EXPECT_TRUE(stream->Finish().ok());
  }

  std::string body;
  ASSERT_EQ(server->HttpGet("/metrics", &body), 200);
  for (const char* metric :
       {"samrad_eventlog_append_latency_seconds_bucket", "samrad_projection_events_applied_total",
        "samrad_projection_consumer_lag_events"}) {
    EXPECT_THAT(body, HasSubstr(metric));
  }
  EXPECT_EQ(server->HttpGet("/healthz", &body), 200);
  EXPECT_EQ(server->HttpGet("/readyz", &body), 200);

  EXPECT_EQ(server->Stop(kTimeout), 0) << server->Output();
  EXPECT_THAT(server->Output(), HasSubstr("stopped"));
  // Nobody listens any more: samradctl says so with its own exit code.
  EXPECT_EQ(testutil::RunCommand(
                {Samradctl(), "health", "--target", server->grpc_address(), "--timeout", "1"},
                kTimeout, &out),
            2);
  EXPECT_THAT(out, HasSubstr("Kan inte nå"));
}

TEST(SamraddE2eTest, ProjectionsApplyTheLogAndResumeAfterRestart) {
  testutil::TempDir dir;
  const std::string data = dir.Sub("data");
  {
    // Events written before the server starts: the projections must catch up before the
    // server reports SERVING.
    eventlog::EmbeddedEventLogOptions options;
    options.path = data + "/eventlog";
    auto log = eventlog::EmbeddedEventLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status();
    ASSERT_TRUE((*log)->EnsureTopic("registry.events.v1", 1).ok());
    ASSERT_TRUE((*log)->EnsureTopic("scheduling.events.v1", 1).ok());
    std::vector<eventlog::Record> registry_records = {
        e2e::TenantCreatedRecord("1280", "Malmö stad"), e2e::UnknownCaseRecord(),
        eventlog::Record{.key = "1280", .value = "\xff\xff not an envelope", .headers = {}}};
    ASSERT_TRUE((*log)->Append({"registry.events.v1", 0}, registry_records).ok());
    ASSERT_TRUE(
        (*log)->Append({"scheduling.events.v1", 0}, {e2e::MeetingScheduledRecord("n-1")}).ok());
  }

  auto server = ServerProcess::Start("samradd", {"--data-dir", data}, dir.path());
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->WaitServing(kTimeout).ok()) << server->Output();
  auto projections = e2e::ListProjections(server->grpc_address());
  ASSERT_TRUE(projections.ok()) << projections.status();
  ASSERT_EQ(projections->size(), 3u);
  const auto& registry = projections->at("registry");
  EXPECT_EQ(e2e::NextOffset(registry, "registry.events.v1"), 3);
  EXPECT_EQ(registry.events_applied(), 3);
  EXPECT_EQ(registry.unknown_events(), 2);  // the unknown case and the undecodable record
  const auto& scheduling = projections->at("scheduling");
  EXPECT_EQ(e2e::NextOffset(scheduling, "registry.events.v1"), 3);
  EXPECT_EQ(e2e::NextOffset(scheduling, "scheduling.events.v1"), 1);
  const auto& reporting = projections->at("reporting");
  EXPECT_EQ(e2e::NextOffset(reporting, "registry.events.v1"), 3);
  EXPECT_EQ(e2e::NextOffset(reporting, "scheduling.events.v1"), 1);
  EXPECT_EQ(e2e::NextOffset(reporting, "reporting.events.v1"), 0);
  EXPECT_EQ(reporting.events_applied(), 4);
  EXPECT_EQ(reporting.unknown_events(), 2);
  std::string metrics;
  ASSERT_EQ(server->HttpGet("/metrics", &metrics), 200);
  EXPECT_THAT(metrics,
              HasSubstr("samrad_projection_events_applied_total{projection=\"reporting\"} 4"));
  ASSERT_EQ(server->Stop(kTimeout), 0) << server->Output();

  // Restart on the same data: every projection resumes from its stored offset, so nothing is
  // applied again and the durable unknown-event count is unchanged.
  server = ServerProcess::Start("samradd", {"--data-dir", data}, dir.path());
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->WaitServing(kTimeout).ok()) << server->Output();
  projections = e2e::ListProjections(server->grpc_address());
  ASSERT_TRUE(projections.ok());
  EXPECT_EQ(e2e::NextOffset(projections->at("registry"), "registry.events.v1"), 3);
  EXPECT_EQ(projections->at("registry").events_applied(), 0);
  EXPECT_EQ(projections->at("registry").unknown_events(), 2);
  EXPECT_EQ(projections->at("reporting").events_applied(), 0);
  EXPECT_EQ(projections->at("reporting").unknown_events(), 2);
  EXPECT_EQ(server->Stop(kTimeout), 0);
}

TEST(SamraddE2eTest, RejectsBadConfigurationWithAClearMessage) {
  std::string out;
  const std::string samradd = testutil::BinaryPath("samradd", SAMRAD_TEST_BIN_DIR);
  EXPECT_NE(testutil::RunCommand({samradd, "--event-log", "kafka"}, kTimeout, &out), 0);
  EXPECT_THAT(out, HasSubstr("--kafka-brokers"));
  testutil::TempDir dir;
  EXPECT_EQ(
      testutil::RunCommand({samradd, "--data-dir", dir.Sub("data"), "--grpc-listen", "nonsense"},
                           kTimeout, &out),
      2);
  EXPECT_THAT(out, HasSubstr("--grpc-listen"));
}

}  // namespace
}  // namespace samrad
