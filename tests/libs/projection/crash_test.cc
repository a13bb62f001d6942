// Kills a child process that applies a deterministic event stream to a ProjectionStore with
// SIGKILL at random points, many times over the same directory, and checks after every kill
// that the reopened store equals an in-memory replay of exactly the applied prefix
// 0..NextOffset-1: nothing applied twice, nothing skipped, nothing half-applied. The child
// runs two appliers on the store, as a service does (the command executor's local apply and
// the projector, crash_child.cc), and reports the applies that returned OK before the kill.
//
// What survives the kill depends on ProjectionStoreOptions::write_ahead_log:
// - off (the default): the applies since the last memtable flush are lost, so the store may
//   resume from an earlier NextOffset than the child reached; what it holds is still
//   exactly the effect of 0..NextOffset-1 (atomic flushes), and the lost tail is re-applied
//   from the log. Only what was flushed (at the latest, at the clean close before the child
//   started) must survive.
// - on (sync off): every apply that returned OK survives a process crash (the write was in
//   the OS when Apply returned), so NextOffset is at least what the child acknowledged.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
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
// A bound against hangs, not a measurement.
constexpr absl::Duration kTimeout = absl::Seconds(30);

uint64_t Seed() {
  uint64_t seed = kDefaultSeed;
  if (const char* env = std::getenv("SAMRAD_CRASH_SEED"); env != nullptr) {
    EXPECT_TRUE(absl::SimpleAtoi(env, &seed)) << "bad SAMRAD_CRASH_SEED " << env;
  }
  return seed;
}

// The child's progress file (crash_child.cc): the highest end offset of an apply that
// returned OK, as a little-endian int64.
void WriteProgress(const std::string& path, int64_t value) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << "open " << path << ": " << std::strerror(errno);
  const ssize_t written = write(fd, &value, sizeof(value));
  close(fd);
  ASSERT_EQ(written, static_cast<ssize_t>(sizeof(value))) << "write " << path;
}

int64_t ReadProgress(const std::string& path) {
  int64_t value = -1;
  const int fd = open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0) << "open " << path << ": " << std::strerror(errno);
  if (fd < 0) return -1;
  const ssize_t got = read(fd, &value, sizeof(value));
  close(fd);
  EXPECT_EQ(got, static_cast<ssize_t>(sizeof(value))) << "read " << path;
  return value;
}

// A running child process, killed and reaped when the object goes away. The child's stdout
// is a pipe on which it reports that its store is open ("R") and that its first apply has
// returned ("A").
class Child {
 public:
  Child(const std::string& dir, uint64_t seed, int64_t stop_at, bool wal,
        const std::string& progress) {
    std::vector<std::string> args = {SAMRAD_PROJECTION_CRASH_CHILD,
                                     dir,
                                     std::to_string(seed),
                                     std::to_string(stop_at),
                                     wal ? "1" : "0",
                                     progress};
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
    report_fd_ = fds[0];
    EXPECT_GT(pid_, 0) << "fork failed";
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (report_fd_ >= 0) close(report_fd_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Waits until the child reports `what` ('R': applying starts; 'A': an apply returned OK).
  // False if it ended first or did not get there within `timeout`.
  bool WaitFor(char what, absl::Duration timeout) const {
    const absl::Time deadline = absl::Now() + timeout;
    while (true) {
      const int64_t left = absl::ToInt64Milliseconds(deadline - absl::Now());
      if (left <= 0) return false;
      pollfd pfd{.fd = report_fd_, .events = POLLIN, .revents = 0};
      if (poll(&pfd, 1, static_cast<int>(left)) != 1) return false;
      char byte = 0;
      if (read(report_fd_, &byte, 1) != 1) return false;
      if (byte == what) return true;
    }
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
  int report_fd_ = -1;
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
  // the same computation as a fresh replay from 0: Evolve is deterministic. A store that
  // went back to an earlier NextOffset (WAL off) is checked against a fresh replay.
  void ExtendTo(int64_t next) {
    if (next < modeled) {
      model = {};
      modeled = 0;
    }
    for (; modeled < next; ++modeled) {
      absl::Status s = Evolve(model, modeled, EventValue(seed, modeled));
      ASSERT_TRUE(s.ok()) << "model at " << modeled << ": " << s;
    }
  }
};

// Reopens the store, checks that it holds the effect of exactly its applied prefix (the
// replay of 0..NextOffset-1) and returns its NextOffset. Closing it again flushes
// everything, so the next child starts from a durable store.
int64_t VerifyStore(const std::string& dir, bool wal, Replay& replay) {
  absl::StatusOr<std::unique_ptr<ProjectionStore>> store =
      ProjectionStore::Open({.path = dir,
                             .schema_version = kSchemaVersion,
                             .write_ahead_log = wal,
                             .memtable_bytes = kMemtableBytes});
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return -1;
  EXPECT_NE((*store)->open_outcome(), ProjectionStore::OpenOutcome::kRebuilt);
  absl::StatusOr<int64_t> next = (*store)->NextOffset(kSource);
  EXPECT_TRUE(next.ok()) << next.status();
  if (!next.ok()) return -1;
  replay.ExtendTo(*next);
  EXPECT_EQ(Dump(**store, Cf::kState), replay.model.state) << "state differs at " << *next;
  EXPECT_EQ(Dump(**store, Cf::kIndexes), replay.model.indexes) << "indexes differ at " << *next;
  EXPECT_EQ(Dump(**store, Cf::kOffsets).size(), *next > 0 ? 1u : 0u);
  return *next;
}

// kRounds SIGKILLs of a child over one store, then a child that runs to a fixed end. With
// `wal`, every apply the child acknowledged must survive its kill.
void RunCrashRounds(bool wal) {
  const uint64_t seed = Seed();
  SCOPED_TRACE(absl::StrCat("seed ", seed, "; rerun with SAMRAD_CRASH_SEED=", seed));
  samrad::testutil::TempDir dir;
  const std::string path = dir.Sub("store");
  const std::string progress = dir.Sub("progress");
  std::mt19937_64 rng(seed);
  Replay replay{.seed = seed};
  int64_t next = 0;
  int rounds_with_progress = 0;
  int64_t acknowledged_total = 0;
  int64_t lost_total = 0;  // acknowledged applies a kill took back (WAL off only)
  const absl::Time start = absl::Now();

  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const int64_t resumed_at = next;
    ASSERT_NO_FATAL_FAILURE(WriteProgress(progress, resumed_at));
    bool applied_before_kill = false;
    {
      Child child(path, seed, /*stop_at=*/-1, wal, progress);
      if (rng() % 5 == 0) {
        // Some kills land during start-up: opening the store and recovering its WAL.
        absl::SleepFor(absl::Microseconds(rng() % 30'000));
      } else {
        // Most land mid-stream, at a random point after the child's first apply returned.
        ASSERT_TRUE(child.WaitFor('R', kTimeout)) << "the child did not start applying";
        ASSERT_TRUE(child.WaitFor('A', kTimeout)) << "the child applied nothing";
        applied_before_kill = true;
        absl::SleepFor(absl::Microseconds(rng() % 100'000));
      }
      child.Kill();
      const int status = child.Wait();
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "the child ended on its own: " << DescribeWaitStatus(status);
    }
    const int64_t acknowledged = ReadProgress(progress);
    ASSERT_GE(acknowledged, resumed_at);
    if (applied_before_kill) {
      EXPECT_GT(acknowledged, resumed_at) << "no apply had returned OK before the kill";
    }
    acknowledged_total += acknowledged - resumed_at;

    next = VerifyStore(path, wal, replay);
    ASSERT_FALSE(::testing::Test::HasFailure());
    // Both ways: what the store held when the child started (flushed by the clean close of
    // the previous check) is never lost.
    EXPECT_GE(next, resumed_at) << "applies that were flushed before the child started are lost";
    if (wal) {
      EXPECT_GE(next, acknowledged) << "with the WAL on, a process crash lost applies that had "
                                       "returned OK (acknowledged up to "
                                    << acknowledged << ")";
    } else if (next < acknowledged) {
      lost_total += acknowledged - next;
    }
    ASSERT_FALSE(::testing::Test::HasFailure());
    if (next > resumed_at) ++rounds_with_progress;
  }
  EXPECT_GT(acknowledged_total, 0) << "no round applied anything before its kill";
  if (wal) {
    EXPECT_GT(rounds_with_progress, 0);
  }

  // Last, a child that runs to a fixed end by itself: it resumes exactly where the kills
  // left the store.
  const int64_t stop_at = next + 5000;
  ASSERT_NO_FATAL_FAILURE(WriteProgress(progress, next));
  {
    Child child(path, seed, stop_at, wal, progress);
    const int status = child.Wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << DescribeWaitStatus(status);
  }
  EXPECT_EQ(ReadProgress(progress), stop_at);
  EXPECT_EQ(VerifyStore(path, wal, replay), stop_at);

  std::cout << "crash test (write-ahead log " << (wal ? "on" : "off") << "): seed " << seed << ", "
            << kRounds << " SIGKILLs, " << rounds_with_progress
            << " of them after durable progress, " << acknowledged_total
            << " applies acknowledged before a kill, " << lost_total
            << " of them lost to a kill and re-applied, " << stop_at << " events verified in "
            << absl::FormatDuration(absl::Now() - start) << "\n";
}

// The default store (WAL off): a kill may take back the unflushed tail of applies, but the
// store never holds an event twice, a gap, or half an event, and resumes exactly where its
// stored offset says.
TEST(ProjectionCrashTest, SigkillWithoutWalNeverAppliesTwiceNorSkips) { RunCrashRounds(false); }

// With the WAL on (sync off), additionally every apply that returned OK before the kill
// survives it.
TEST(ProjectionCrashTest, SigkillWithWalKeepsEveryAcknowledgedApply) { RunCrashRounds(true); }

}  // namespace
}  // namespace samrad::projection::crash
