// End-to-end (issue 3): samradd on the embedded log, Malmö registered through samradctl
// (tests/services/registry/e2e/registry_scenario.h), then the same answers after a crash
// (SIGKILL) and after a graceful stop (SIGTERM), each followed by a restart on the same data.
#include <signal.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/services/registry/e2e/registry_scenario.h"
#include "tests/testing/temp_dir.h"

namespace samrad::e2e {
namespace {

TEST(RegistrySamraddE2eTest, MalmoAnswersTheSameAfterCrashAndRestart) {
  testutil::TempDir dir;
  const std::vector<std::string> args = {"--data-dir", dir.Sub("data"), "--organisation-data",
                                         OrganisationDataPath()};
  auto server = StartServing("samradd", args, dir.path());
  ASSERT_NE(server, nullptr);
  Samradctl ctl(dir.path(), server->grpc_address());
  for (const char* service : {"samrad.registry.v1.Registry", "samrad.scheduling.v1.Scheduling",
                              "samrad.reporting.v1.Reporting"}) {
    ExpectServing(ctl, server->grpc_address(), service);
  }

  ASSERT_NO_FATAL_FAILURE(RegisterMalmo(ctl)) << server->Output();
  const Answers before = CaptureAnswers(ctl);
  const int64_t offset = RegistryLogEnd(ctl.target());
  ASSERT_GT(offset, 0);
  ASSERT_NO_FATAL_FAILURE(ExpectRetryAppendsNothing(ctl));

  // A crash right after the writes: what the projections had not flushed comes back from
  // the log.
  server->process().Signal(SIGKILL);
  ASSERT_TRUE(server->process().Wait(kE2eTimeout).has_value());
  server = StartServing("samradd", args, dir.path());
  ASSERT_NE(server, nullptr);
  ctl.set_target(server->grpc_address());
  ExpectUnchanged(ctl, before, offset, "after SIGKILL and a restart");

  ASSERT_EQ(server->Stop(kE2eTimeout), 0) << server->Output();
  server = StartServing("samradd", args, dir.path());
  ASSERT_NE(server, nullptr);
  ctl.set_target(server->grpc_address());
  ExpectUnchanged(ctl, before, offset, "after SIGTERM and a restart");
  EXPECT_EQ(server->Stop(kE2eTimeout), 0) << server->Output();
}

}  // namespace
}  // namespace samrad::e2e
