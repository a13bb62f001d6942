#ifndef SAMRAD_TESTS_SERVICES_REGISTRY_E2E_REGISTRY_SCENARIO_H_
#define SAMRAD_TESTS_SERVICES_REGISTRY_E2E_REGISTRY_SCENARIO_H_

// The registry's end-to-end scenario (issue 3), written once and run on both backends:
// Malmö's network of representatives and the STK-2018-90 consultation round (DOMAIN.md),
// registered through the real samradctl binary, then read back after every restart.
//
// Usage, whatever runs the registry (samradd, or samrad-registry on Kafka):
//
//   Samradctl ctl(dir.path(), server->grpc_address());
//   ASSERT_NO_FATAL_FAILURE(RegisterMalmo(ctl));
//   const Answers before = CaptureAnswers(ctl);
//   ... restart the server, ctl.set_target(new address) ...
//   ExpectSameAnswers(before, CaptureAnswers(ctl), "after a restart");
//   ExpectRetryAppendsNothing(ctl);

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/testing/server_process.h"

namespace samrad::e2e {

// Runs build/bin/samradctl against one target, as a coordinator at stadskontoret, with
// `-o json`.
class Samradctl {
 public:
  struct Result {
    // -1 when samradctl did not finish in time.
    int exit_code = -1;
    std::string out;
    std::string err;
  };

  // `work_dir` holds the files samradctl writes its stdout and stderr to.
  Samradctl(std::string work_dir, std::string target);

  const std::string& target() const { return target_; }
  void set_target(std::string target) { target_ = std::move(target); }

  // Runs `samradctl <global options> args...` to completion.
  Result Run(const std::vector<std::string>& args) const;

  // The JSON a command printed; a test failure (and null) unless it exits 0 with one JSON
  // value on stdout.
  nlohmann::json Json(const std::vector<std::string>& args) const;

 private:
  const std::string work_dir_;
  std::string target_;
};

// How long one samradctl run or one wait for a server may take.
inline constexpr absl::Duration kE2eTimeout = absl::Seconds(60);

// The deploy/config/malmo.json of the source tree, for --organisation-data.
std::string OrganisationDataPath();

// Writes the scenario, checking every answer on the way:
// 1. the bootstrap (tenant 1280 with 13 committees and administrations);
// 2. people (officials and elected officials) and the network's representatives on both
//    tracks, with one replacement that ends the previous appointment and one appointment
//    ended explicitly; the network on several dates;
// 3. the STK-2018-90 remiss to the 12 committees: 9 answers, 3 bodies overdue on
//    2019-07-01, the other 3 answers, nobody overdue;
// 4. a medborgardialog with elected officials through its lifecycle (principles, history)
//    and an overlapping kunskapsdialog of another administration (coordination hints).
void RegisterMalmo(const Samradctl& ctl);

// The JSON answers of every read of the scenario, keyed by the command line.
using Answers = std::map<std::string, nlohmann::json>;
Answers CaptureAnswers(const Samradctl& ctl);

// Every answer is identical; a mismatch is reported as a JSON patch.
void ExpectSameAnswers(const Answers& before, const Answers& after, const std::string& when);

// The retried create of the STK-2018-90 round (same request id) answers exactly as the
// first call did and appends nothing; a create of the same id under a new request id is
// refused and appends nothing either.
void ExpectRetryAppendsNothing(const Samradctl& ctl);

// After a restart: every read answers as in `before`, the registry's log still ends at
// `offset` (RegistryLogEnd: the restart appended nothing), and ExpectRetryAppendsNothing
// holds.
void ExpectUnchanged(const Samradctl& ctl, const Answers& before, int64_t offset,
                     const std::string& when);

// The end of registry.events.v1 partition 0 (its high watermark: the offset the next
// append gets) as the server at `target` reads it from the log for ListProjections; -1
// when it cannot be read. Not the projector's next offset, which lags the command
// executor's appends and would let a check of "nothing appended" pass after an append.
int64_t RegistryLogEnd(const std::string& target);

// `samradctl health` at `target` exits 0 and reports `service` (e.g.
// "samrad.registry.v1.Registry") serving.
void ExpectServing(const Samradctl& ctl, const std::string& target, const std::string& service);

// Starts a server binary (testutil::ServerProcess) and waits until it is SERVING; nullptr
// and a test failure otherwise.
std::unique_ptr<testutil::ServerProcess> StartServing(const std::string& binary,
                                                      const std::vector<std::string>& args,
                                                      const std::string& work_dir);

// Polls `done` until it holds or `timeout` has passed; returns whether it held.
bool WaitFor(absl::Duration timeout, const std::function<bool()>& done);

}  // namespace samrad::e2e

#endif  // SAMRAD_TESTS_SERVICES_REGISTRY_E2E_REGISTRY_SCENARIO_H_
