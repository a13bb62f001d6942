// End-to-end (issue 3) on Kafka: samrad-kafka-dev hosts a mock cluster in its own process,
// and samrad-registry, samrad-scheduling and samrad-reporting each run in their own. Malmö
// is registered through samradctl (tests/services/registry/e2e/registry_scenario.h); the
// registry then answers the same after a restart on its data, and after a rebuild of its
// projection from Kafka alone on an empty data dir.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "tests/services/e2e_support.h"
#include "tests/services/registry/e2e/registry_scenario.h"
#include "tests/testing/child_process.h"
#include "tests/testing/temp_dir.h"

namespace samrad::e2e {
namespace {

using testutil::ServerProcess;

class RegistryKafkaE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string bootstrap_file = dir_.Sub("kafka.bootstrap");
    cluster_ = testutil::ChildProcess::Start(
        {testutil::BinaryPath("samrad-kafka-dev", SAMRAD_TEST_BIN_DIR), "--brokers", "3",
         "--topics", "registry.events.v1,scheduling.events.v1,reporting.events.v1", "--partitions",
         "1", "--port-file", bootstrap_file},
        dir_.Sub("kafka-dev.out"), dir_.Sub("kafka-dev.err"));
    ASSERT_NE(cluster_, nullptr);
    // The port file appears (by rename) once the cluster and its topics are ready.
    ASSERT_TRUE(WaitFor(kE2eTimeout, [&] {
      brokers_ = std::string(absl::StripAsciiWhitespace(testutil::ReadFile(bootstrap_file)));
      return !brokers_.empty();
    })) << testutil::ReadFile(dir_.Sub("kafka-dev.err"));
  }

  // `binary` on the cluster, with its projection in <dir>/<data>.
  std::unique_ptr<ServerProcess> StartService(const std::string& binary, const std::string& data) {
    return StartServing(binary,
                        {"--kafka-brokers", brokers_, "--data-dir", dir_.Sub(data),
                         "--organisation-data", OrganisationDataPath()},
                        dir_.path());
  }

  // Waits until `projection` at `server` has applied registry.events.v1 up to `offset`.
  static void ExpectFollowsRegistry(const ServerProcess& server, const std::string& projection,
                                    int64_t offset) {
    int64_t seen = -1;
    EXPECT_TRUE(WaitFor(kE2eTimeout,
                        [&] {
                          auto projections = ListProjections(server.grpc_address());
                          if (projections.ok() && projections->count(projection) != 0) {
                            seen = NextOffset(projections->at(projection), "registry.events.v1");
                          }
                          return seen == offset;
                        }))
        << projection << " applied registry.events.v1 up to " << seen << ", not " << offset;
  }

  testutil::TempDir dir_;
  std::unique_ptr<testutil::ChildProcess> cluster_;
  std::string brokers_;
};

TEST_F(RegistryKafkaE2eTest, MalmoAnswersTheSameAfterRestartAndRebuildFromKafka) {
  auto registry = StartService("samrad-registry", "registry");
  auto scheduling = StartService("samrad-scheduling", "scheduling");
  auto reporting = StartService("samrad-reporting", "reporting");
  ASSERT_TRUE(registry && scheduling && reporting);
  Samradctl ctl(dir_.path(), registry->grpc_address());
  ExpectServing(ctl, registry->grpc_address(), "samrad.registry.v1.Registry");
  ExpectServing(ctl, scheduling->grpc_address(), "samrad.scheduling.v1.Scheduling");
  ExpectServing(ctl, reporting->grpc_address(), "samrad.reporting.v1.Reporting");

  ASSERT_NO_FATAL_FAILURE(RegisterMalmo(ctl)) << registry->Output();
  const Answers before = CaptureAnswers(ctl);
  const int64_t offset = RegistryLogEnd(ctl.target());
  ASSERT_GT(offset, 0);
  ASSERT_NO_FATAL_FAILURE(ExpectRetryAppendsNothing(ctl));
  // The other services read the registry's events from Kafka in their own processes.
  ExpectFollowsRegistry(*scheduling, "scheduling", offset);
  ExpectFollowsRegistry(*reporting, "reporting", offset);

  // A restart on the same data dir resumes from the offsets stored in the projection.
  ASSERT_EQ(registry->Stop(kE2eTimeout), 0) << registry->Output();
  registry = StartService("samrad-registry", "registry");
  ASSERT_NE(registry, nullptr);
  ctl.set_target(registry->grpc_address());
  ExpectUnchanged(ctl, before, offset, "after a restart of samrad-registry");

  // On an empty data dir the projection is rebuilt from Kafka alone (and the first-start
  // bootstrap finds Malmö there, so it appends nothing).
  ASSERT_EQ(registry->Stop(kE2eTimeout), 0) << registry->Output();
  registry = StartService("samrad-registry", "registry-rebuilt");
  ASSERT_NE(registry, nullptr);
  ctl.set_target(registry->grpc_address());
  auto projections = ListProjections(registry->grpc_address());
  ASSERT_TRUE(projections.ok()) << projections.status();
  EXPECT_EQ(projections->at("registry").events_applied(), offset);
  ExpectUnchanged(ctl, before, offset, "after a rebuild from Kafka on an empty data dir");

  // The services stop before the cluster they talk to.
  for (auto* server : {registry.get(), scheduling.get(), reporting.get()}) {
    EXPECT_EQ(server->Stop(kE2eTimeout), 0) << server->Output();
  }
}

}  // namespace
}  // namespace samrad::e2e
