// The child of the projection crash test: applies the deterministic stream of
// crash_model.h to the store in a directory, resuming from the store's NextOffset, until it
// reaches `stop_at` or is killed.
//
//   projection_crash_child DIR SEED STOP_AT      (STOP_AT < 0: run until killed)
//
// Exit codes: 0 reached STOP_AT, 2 usage, 3 a store operation failed, 4 the store broke a
// rule (a redelivered event was applied again).

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/projection/projection_store.h"
#include "tests/libs/projection/crash_model.h"

namespace samrad::projection::crash {
namespace {

int Fail(const char* what, const absl::Status& status) {
  std::fprintf(stderr, "crash_child: %s: %s\n", what, status.ToString().c_str());
  return 3;
}

int Run(const std::string& dir, uint64_t seed, int64_t stop_at) {
  absl::StatusOr<std::unique_ptr<ProjectionStore>> opened = ProjectionStore::Open(
      {.path = dir, .schema_version = kSchemaVersion, .memtable_bytes = kMemtableBytes});
  if (!opened.ok()) return Fail("open", opened.status());
  ProjectionStore& store = **opened;
  absl::StatusOr<int64_t> next = store.NextOffset(kSource);
  if (!next.ok()) return Fail("next offset", next.status());
  int64_t offset = *next;
  // Tell the parent that applying starts now.
  if (write(STDOUT_FILENO, "R", 1) != 1) return Fail("ready", absl::UnavailableError("stdout"));

  auto evolve = [seed](int64_t o, Transaction& tx) { return Evolve(tx, o, EventValue(seed, o)); };
  auto must_not_run = [](int64_t o, Transaction&) {
    return absl::InternalError("mutate called for an applied offset " + std::to_string(o));
  };

  while (stop_at < 0 || offset < stop_at) {
    if (Redeliver(seed, offset)) {
      // A redelivery of the last few applied events: the store must skip all of them.
      const int64_t from = offset >= 3 ? offset - 3 : 0;
      absl::StatusOr<int64_t> applied =
          store.ApplyBatch(kSource, from, offset - from, must_not_run);
      if (!applied.ok()) return Fail("redelivered batch", applied.status());
      if (*applied != 0) return 4;
      absl::Status single = store.Apply(
          kSource, offset - 1, [&](Transaction& tx) { return must_not_run(offset - 1, tx); });
      if (!single.ok()) return Fail("redelivered event", single);
    }
    int64_t chunk = ChunkSize(seed, offset);
    if (stop_at >= 0 && offset + chunk > stop_at) chunk = stop_at - offset;
    if (chunk == 1) {
      const int64_t o = offset;
      absl::Status s = store.Apply(kSource, o, [&](Transaction& tx) { return evolve(o, tx); });
      if (!s.ok()) return Fail("apply", s);
    } else {
      absl::StatusOr<int64_t> applied = store.ApplyBatch(kSource, offset, chunk, evolve);
      if (!applied.ok()) return Fail("apply batch", applied.status());
      if (*applied != chunk) return 4;
    }
    offset += chunk;
  }
  return 0;
}

}  // namespace
}  // namespace samrad::projection::crash

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DIR SEED STOP_AT\n", argv[0]);
    return 2;
  }
  return samrad::projection::crash::Run(argv[1], std::strtoull(argv[2], nullptr, 10),
                                        std::strtoll(argv[3], nullptr, 10));
}
