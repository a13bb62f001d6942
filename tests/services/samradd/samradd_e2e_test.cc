// End-to-end: the real samradd and samradctl binaries on the embedded log.
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
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

// The health of `service` ("" for the server as a whole) at `target`.
grpc::health::v1::HealthCheckResponse::ServingStatus HealthOf(const std::string& target,
                                                              const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  if (!stub->Check(&context, request, &response).ok()) {
    return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

// `samradctl -o json get tenant` at `target` (exit code; the output in `out`).
int GetTenant(const std::string& target, std::string* out) {
  return testutil::RunCommand({Samradctl(), "--target", target, "-o", "json", "get", "tenant"},
                              kTimeout, out);
}

// Runs the test body in another working directory and goes back after it.
class InAnotherDirectory {
 public:
  explicit InAnotherDirectory(const std::string& dir) : previous_(std::filesystem::current_path()) {
    std::filesystem::create_directories(dir);
    std::filesystem::current_path(dir);
  }
  ~InAnotherDirectory() { std::filesystem::current_path(previous_); }

 private:
  std::filesystem::path previous_;
};

// Issue 8: the default --organisation-data was relative to the working directory, so samradd
// started anywhere but the source tree served without its tenant. It is now found beside the
// executable (build/share/samrad, as installed: <prefix>/share/samrad).
TEST(SamraddE2eTest, FindsItsOrganisationDataFromAnyWorkingDirectory) {
  testutil::TempDir dir;
  const InAnotherDirectory elsewhere(dir.Sub("elsewhere"));
  ASSERT_FALSE(std::filesystem::exists("deploy/config/malmo.json"));
  auto server = ServerProcess::Start("samradd", {"--data-dir", dir.Sub("data")}, dir.path());
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->WaitServing(kTimeout).ok()) << server->Output();
  std::string out;
  EXPECT_EQ(GetTenant(server->grpc_address(), &out), 0) << out << server->Output();
  EXPECT_THAT(out, HasSubstr("\"code\": \"1280\""));
  EXPECT_THAT(out, HasSubstr("Malmö stad"));
  EXPECT_THAT(server->Output(), HasSubstr("created tenant 1280 from "));
  EXPECT_THAT(server->Output(), HasSubstr("share/samrad/malmo.json"));
  EXPECT_EQ(server->Stop(kTimeout), 0) << server->Output();
}

// A configured organisation that cannot be read keeps the registry (and so the server) not
// ready, with a clear log line, instead of serving without its tenant; once the file is
// there, the registry loads it and becomes ready.
TEST(SamraddE2eTest, UnreadableOrganisationDataKeepsTheRegistryNotReady) {
  testutil::TempDir dir;
  std::filesystem::create_directories(dir.Sub("config"));
  const std::string data_file = dir.Sub("config") + "/malmo.json";
  auto server = ServerProcess::Start(
      "samradd", {"--data-dir", dir.Sub("data"), "--organisation-data", data_file}, dir.path());
  ASSERT_NE(server, nullptr);
  const absl::Time deadline = absl::Now() + kTimeout;
  while (server->Output().find("NOT READY") == std::string::npos && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_THAT(server->Output(), HasSubstr("NOT READY: cannot read the organisation data " +
                                          data_file + " (--organisation-data"));
  absl::SleepFor(absl::Seconds(2));  // a few retries: still not ready
  using Health = grpc::health::v1::HealthCheckResponse;
  EXPECT_EQ(HealthOf(server->grpc_address(), ""), Health::NOT_SERVING);
  EXPECT_EQ(HealthOf(server->grpc_address(), "samrad.registry.v1.Registry"), Health::NOT_SERVING);
  std::string body;
  EXPECT_EQ(server->HttpGet("/healthz", &body), 200);  // alive, so not restarted in a loop
  EXPECT_NE(server->HttpGet("/readyz", &body), 200);
  EXPECT_TRUE(server->process().Running());

  {
    const char* source = std::getenv("SAMRAD_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "set SAMRAD_SOURCE_DIR (ctest does)";
    std::filesystem::copy_file(std::string(source) + "/deploy/config/malmo.json",
                               data_file + ".tmp");
    std::filesystem::rename(data_file + ".tmp", data_file);
  }
  ASSERT_TRUE(server->WaitServing(kTimeout).ok()) << server->Output();
  EXPECT_EQ(HealthOf(server->grpc_address(), "samrad.registry.v1.Registry"), Health::SERVING);
  EXPECT_EQ(server->HttpGet("/readyz", &body), 200);
  std::string out;
  EXPECT_EQ(GetTenant(server->grpc_address(), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Malmö stad"));
  EXPECT_EQ(server->Stop(kTimeout), 0) << server->Output();

  // Stopping while not ready ends at once.
  testutil::TempDir missing;
  server = ServerProcess::Start(
      "samradd",
      {"--data-dir", missing.Sub("data"), "--organisation-data", missing.Sub("malmo.json")},
      missing.path());
  ASSERT_NE(server, nullptr);
  EXPECT_FALSE(server->WaitServing(absl::Seconds(2)).ok());
  const absl::Time stop_start = absl::Now();
  EXPECT_EQ(server->Stop(kTimeout), 0) << server->Output();
  EXPECT_LT(absl::Now() - stop_start, absl::Seconds(10));

  // An empty --organisation-data is the explicit choice of none: ready, without a tenant.
  testutil::TempDir none;
  server = ServerProcess::Start(
      "samradd", {"--data-dir", none.Sub("data"), "--organisation-data", ""}, none.path());
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->WaitServing(kTimeout).ok()) << server->Output();
  EXPECT_NE(GetTenant(server->grpc_address(), &out), 0) << out;
  EXPECT_EQ(server->Stop(kTimeout), 0) << server->Output();
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
