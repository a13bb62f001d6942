// The child of the projection crash test: applies the deterministic stream of
// crash_model.h to the store in a directory, resuming from the store's NextOffset, until it
// reaches `stop_at` or is killed.
//
//   projection_crash_child DIR SEED STOP_AT WAL PROGRESS
//
// STOP_AT < 0: run until killed. WAL 1 opens the store with ProjectionStoreOptions::
// write_ahead_log on (sync stays off), 0 with the default (off). PROGRESS is a file of at
// least 8 bytes that the child maps shared and in which it keeps the highest end offset of
// an apply that has returned OK (little-endian int64): what the child has acknowledged, for
// the parent to read after the kill.
//
// Two appliers run on one store, as in a service: the "executor" applies each event right
// after deciding it (and sometimes re-delivers a few applied ones, as an at-least-once
// subscription does after a retry), the "projector" follows the same stream in batches of
// its own. Both start at NextOffset and race over the same offsets; the store must apply
// every event exactly once, whichever applier gets there first (the model's Evolve fails an
// event applied out of order).
//
// On stdout the child writes "R" once the store is open and applying starts, and "A" once
// the first apply has returned OK.
//
// Exit codes: 0 reached STOP_AT, 2 usage, 3 a store operation failed, 4 the store broke a
// rule (a redelivered event was applied again, or an apply applied more than it was given).

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/projection/projection_store.h"
#include "tests/libs/projection/crash_model.h"

namespace samrad::projection::crash {
namespace {

// The projector's batches: 1..16 events.
int64_t ProjectorBatch(uint64_t seed, int64_t offset) {
  return 1 + static_cast<int64_t>(Mix(seed ^ (0x9a7e + static_cast<uint64_t>(offset))) % 16);
}

// What both appliers share.
class Run {
 public:
  Run(ProjectionStore& store, uint64_t seed, int64_t stop_at, int64_t* progress)
      : store_(store), seed_(seed), stop_at_(stop_at), progress_(progress) {}

  // The result: 0, or the first failure's exit code.
  int code() const { return code_.load(); }

  void Executor(int64_t offset) {
    auto must_not_run = [](int64_t o, Transaction&) {
      return absl::InternalError("mutate called for an applied offset " + std::to_string(o));
    };
    while (Running() && (stop_at_ < 0 || offset < stop_at_)) {
      if (Redeliver(seed_, offset)) {
        // Everything below `offset` is applied (this applier applied it, or saw it skipped).
        const int64_t from = offset >= 3 ? offset - 3 : 0;
        absl::StatusOr<int64_t> applied =
            store_.ApplyBatch(kSource, from, offset - from, must_not_run);
        if (!applied.ok()) return Fail("redelivered batch", applied.status());
        if (*applied != 0) return Broke();
        absl::Status single = store_.Apply(
            kSource, offset - 1, [&](Transaction& tx) { return must_not_run(offset - 1, tx); });
        if (!single.ok()) return Fail("redelivered event", single);
      }
      int64_t chunk = ChunkSize(seed_, offset);
      if (stop_at_ >= 0 && offset + chunk > stop_at_) chunk = stop_at_ - offset;
      if (chunk == 1) {
        const int64_t o = offset;
        absl::Status s = store_.Apply(kSource, o, [&](Transaction& tx) { return Evolve(o, tx); });
        if (!s.ok()) return Fail("apply", s);
      } else {
        absl::StatusOr<int64_t> applied = store_.ApplyBatch(
            kSource, offset, chunk, [&](int64_t o, Transaction& tx) { return Evolve(o, tx); });
        if (!applied.ok()) return Fail("apply batch", applied.status());
        // Fewer when the projector applied some of them first.
        if (*applied > chunk) return Broke();
      }
      offset += chunk;
      Acknowledge(offset);
    }
  }

  void Projector(int64_t offset) {
    while (Running() && (stop_at_ < 0 || offset < stop_at_)) {
      int64_t batch = ProjectorBatch(seed_, offset);
      if (stop_at_ >= 0 && offset + batch > stop_at_) batch = stop_at_ - offset;
      absl::StatusOr<int64_t> applied = store_.ApplyBatch(
          kSource, offset, batch, [&](int64_t o, Transaction& tx) { return Evolve(o, tx); });
      if (!applied.ok()) return Fail("projector batch", applied.status());
      if (*applied > batch) return Broke();
      offset += batch;
      Acknowledge(offset);
    }
  }

 private:
  absl::Status Evolve(int64_t offset, Transaction& tx) const {
    return crash::Evolve(tx, offset, EventValue(seed_, offset));
  }

  bool Running() const { return code_.load(std::memory_order_relaxed) == 0; }

  void Fail(const char* what, const absl::Status& status) {
    std::fprintf(stderr, "crash_child: %s: %s\n", what, status.ToString().c_str());
    int expected = 0;
    code_.compare_exchange_strong(expected, 3);
  }
  void Broke() {
    int expected = 0;
    code_.compare_exchange_strong(expected, 4);
  }

  // Every event below `end` is applied: raises the shared progress to `end`.
  void Acknowledge(int64_t end) {
    std::atomic_ref<int64_t> progress(*progress_);
    int64_t seen = progress.load();
    while (seen < end && !progress.compare_exchange_weak(seen, end)) {
    }
    if (!told_.exchange(true)) {
      if (write(STDOUT_FILENO, "A", 1) != 1) Fail("progress", absl::UnavailableError("stdout"));
    }
  }

  ProjectionStore& store_;
  const uint64_t seed_;
  const int64_t stop_at_;
  int64_t* const progress_;
  std::atomic<int> code_{0};
  std::atomic<bool> told_{false};
};

int Fail(const char* what, const absl::Status& status) {
  std::fprintf(stderr, "crash_child: %s: %s\n", what, status.ToString().c_str());
  return 3;
}

int Main(const std::string& dir, uint64_t seed, int64_t stop_at, bool wal,
         const std::string& progress_path) {
  const int fd = open(progress_path.c_str(), O_RDWR);
  if (fd < 0) return Fail("progress file", absl::NotFoundError(progress_path));
  void* mapped = mmap(nullptr, sizeof(int64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (mapped == MAP_FAILED) return Fail("progress file", absl::InternalError("mmap"));
  int64_t* progress = static_cast<int64_t*>(mapped);

  const ProjectionStoreOptions options{.path = dir,
                                       .schema_version = kSchemaVersion,
                                       .write_ahead_log = wal,
                                       .memtable_bytes = kMemtableBytes};
  absl::StatusOr<std::unique_ptr<ProjectionStore>> opened = ProjectionStore::Open(options);
  if (!opened.ok()) return Fail("open", opened.status());
  ProjectionStore& store = **opened;
  absl::StatusOr<int64_t> next = store.NextOffset(kSource);
  if (!next.ok()) return Fail("next offset", next.status());
  std::atomic_ref<int64_t>(*progress).store(*next);
  // Tell the parent that applying starts now.
  if (write(STDOUT_FILENO, "R", 1) != 1) return Fail("ready", absl::UnavailableError("stdout"));

  Run run(store, seed, stop_at, progress);
  std::thread projector([&] { run.Projector(*next); });
  run.Executor(*next);
  projector.join();
  return run.code();
}

}  // namespace
}  // namespace samrad::projection::crash

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s DIR SEED STOP_AT WAL PROGRESS\n", argv[0]);
    return 2;
  }
  return samrad::projection::crash::Main(argv[1], std::strtoull(argv[2], nullptr, 10),
                                         std::strtoll(argv[3], nullptr, 10),
                                         std::string(argv[4]) == "1", argv[5]);
}
