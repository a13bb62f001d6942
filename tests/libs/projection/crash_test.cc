// Kills a child process that applies a deterministic event stream to a ProjectionStore with
// SIGKILL at random points, many times over the same directory, and checks after every kill
// that the reopened store equals an in-memory replay of exactly the applied prefix
// 0..NextOffset-1: nothing applied twice, nothing skipped, nothing half-applied, nothing
// lost.

#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/projection/projection_store.h"
#include "tests/libs/projection/crash_model.h"
#include "tests/testing/temp_dir.h"

#ifndef SAMRAD_PROJECTION_CRASH_CHILD
#error "SAMRAD_PROJECTION_CRASH_CHILD must name the child binary"
#endif

namespace samrad::projection::crash {
namespace {

constexpr int kRounds = 30;
constexpr uint64_t kDefaultSeed = 20240611;

uint64_t Seed() {
  uint64_t seed = kDefaultSeed;
  if (const char* env = std::getenv("SAMRAD_CRASH_SEED"); env != nullptr) {
    EXPECT_TRUE(absl::SimpleAtoi(env, &seed)) << "bad SAMRAD_CRASH_SEED " << env;
  }
  return seed;
}

// A running child process, killed and reaped when the object goes away. The child's stdout
// is a pipe on which it reports that its store is open.
class Child {
 public:
  Child(const std::string& dir, uint64_t seed, int64_t stop_at) {
    std::vector<std::string> args = {SAMRAD_PROJECTION_CRASH_CHILD, dir, std::to_string(seed),
                                     std::to_string(stop_at)};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int fds[2];
    if (pipe(fds) != 0) {
      ADD_FAILURE() << "pipe failed";
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    ready_fd_ = fds[0];
    EXPECT_GT(pid_, 0) << "fork failed";
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (ready_fd_ >= 0) close(ready_fd_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Waits until the child has opened its store and starts applying. False if it ended
  // first or did not get there within `timeout` (a bound against hangs, not a measurement).
  bool WaitReady(absl::Duration timeout) const {
    pollfd pfd{.fd = ready_fd_, .events = POLLIN, .revents = 0};
    if (poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout))) != 1) return false;
    char byte = 0;
    return read(ready_fd_, &byte, 1) == 1;
  }
  void Kill() const { kill(pid_, SIGKILL); }
  // Waits for the child to end and returns its wait status.
  int Wait() {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int ready_fd_ = -1;
};

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exit code ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return absl::StrCat("signal ", WTERMSIG(status));
  return absl::StrCat("wait status ", status);
}

std::map<std::string, std::string> Dump(const ProjectionStore& store, Cf cf) {
  std::map<std::string, std::string> out;
  absl::Status s = store.ScanPrefix(cf, "", [&](std::string_view k, std::string_view v) {
    out.emplace(std::string(k), std::string(v));
    return true;
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

// The parent's view of the stream: the model of the prefix verified so far.
struct Replay {
  uint64_t seed = 0;
  MapKv model = {};
  int64_t modeled = 0;  // the model holds the events 0..modeled-1

  // Extends the model to the events 0..next-1. Replaying from where the last check ended is
  // the same computation as a fresh replay from 0: Evolve is deterministic.
  void ExtendTo(int64_t next) {
    for (; modeled < next; ++modeled) {
      absl::Status s = Evolve(model, modeled, EventValue(seed, modeled));
      ASSERT_TRUE(s.ok()) << "model at " << modeled << ": " << s;
    }
  }
};

// Reopens the store, checks it against the replay of exactly its applied prefix and returns
// its NextOffset.
int64_t VerifyStore(const std::string& dir, Replay& replay, int64_t previous_next) {
  absl::StatusOr<std::unique_ptr<ProjectionStore>> store = ProjectionStore::Open(
      {.path = dir, .schema_version = kSchemaVersion, .memtable_bytes = kMemtableBytes});
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return -1;
  EXPECT_NE((*store)->open_outcome(), ProjectionStore::OpenOutcome::kRebuilt);
  absl::StatusOr<int64_t> next = (*store)->NextOffset(kSource);
  EXPECT_TRUE(next.ok()) << next.status();
  if (!next.ok()) return -1;
  // Unsynced writes survive a process crash: they were in the OS when Apply returned.
  EXPECT_GE(*next, previous_next) << "applied events were lost";
  replay.ExtendTo(*next);
  EXPECT_EQ(Dump(**store, Cf::kState), replay.model.state) << "state differs at " << *next;
  EXPECT_EQ(Dump(**store, Cf::kIndexes), replay.model.indexes) << "indexes differ at " << *next;
  EXPECT_EQ(Dump(**store, Cf::kOffsets).size(), *next > 0 ? 1u : 0u);
  return *next;
}

TEST(ProjectionCrashTest, SigkillNeverAppliesTwiceNorSkips) {
  const uint64_t seed = Seed();
  SCOPED_TRACE(absl::StrCat("seed ", seed, "; rerun with SAMRAD_CRASH_SEED=", seed));
  samrad::testutil::TempDir dir;
  const std::string path = dir.Sub("store");
  std::mt19937_64 rng(seed);
  Replay replay{.seed = seed};
  int64_t next = 0;
  int rounds_with_progress = 0;
  const absl::Time start = absl::Now();

  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    Child child(path, seed, /*stop_at=*/-1);
    if (rng() % 5 == 0) {
      // Some kills land during start-up: opening the store and recovering its WAL.
      absl::SleepFor(absl::Microseconds(rng() % 30'000));
    } else {
      // Most land mid-stream, at a random point after the child started applying.
      ASSERT_TRUE(child.WaitReady(absl::Seconds(30))) << "the child did not start applying";
      absl::SleepFor(absl::Microseconds(rng() % 100'000));
    }
    child.Kill();
    const int status = child.Wait();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended on its own: " << DescribeWaitStatus(status);
    const int64_t previous = next;
    next = VerifyStore(path, replay, previous);
    ASSERT_FALSE(::testing::Test::HasFailure());
    if (next > previous) ++rounds_with_progress;
  }

  // Last, a child that runs to a fixed end by itself: it resumes exactly where the kills
  // left the store.
  const int64_t stop_at = next + 5000;
  {
    Child child(path, seed, stop_at);
    const int status = child.Wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << DescribeWaitStatus(status);
  }
  EXPECT_EQ(VerifyStore(path, replay, next), stop_at);

  std::cout << "crash test: seed " << seed << ", " << kRounds << " SIGKILLs, "
            << rounds_with_progress << " of them after progress, " << stop_at
            << " events verified in " << absl::FormatDuration(absl::Now() - start) << "\n";
}

}  // namespace
}  // namespace samrad::projection::crash
