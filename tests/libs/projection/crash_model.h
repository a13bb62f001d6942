#ifndef SAMRAD_TESTS_LIBS_PROJECTION_CRASH_MODEL_H_
#define SAMRAD_TESTS_LIBS_PROJECTION_CRASH_MODEL_H_

// The deterministic event stream and projection of the crash test, shared by the child that
// applies it to a ProjectionStore (crash_child.cc) and the parent that replays it in memory
// (crash_test.cc).
//
// Every event reads and rewrites several keys: a count, a running sum, an order-sensitive
// hash chain, the last applied offset, one of kBuckets bucket records, and a sliding window
// of index entries (one put and one delete per event). Applying an event twice, skipping
// one, reordering two or applying half of one all change the final state.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "libs/eventlog/event_log.h"
#include "libs/projection/key_codec.h"
#include "libs/projection/projection_store.h"

namespace samrad::projection::crash {

inline const eventlog::TopicPartition kSource{"crash.events.v1", 0};
inline constexpr int kSchemaVersion = 1;
inline constexpr uint64_t kBuckets = 16;
inline constexpr int64_t kWindow = 8;
// Small memtables make the child flush often, so that recovery also starts from SST files
// and from several write-ahead logs.
inline constexpr size_t kMemtableBytes = 64 << 10;

// splitmix64: a well-mixed 64-bit hash.
inline uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The payload of the event at `offset` of the stream of `seed`.
inline uint64_t EventValue(uint64_t seed, int64_t offset) {
  return Mix(seed ^ Mix(static_cast<uint64_t>(offset)));
}

// How many events the child applies in one call when it stands at `offset`: 1 (Apply) about
// half of the time, otherwise a batch of 2..8 (ApplyBatch).
inline int64_t ChunkSize(uint64_t seed, int64_t offset) {
  const uint64_t h = Mix(seed + 0x51ed27 + static_cast<uint64_t>(offset));
  return (h & 1) ? 1 : 2 + static_cast<int64_t>((h >> 1) % 7);
}

// Whether the child, standing at `offset`, first re-delivers some already applied events
// (as an at-least-once subscription does after a retry), which the store must skip.
inline bool Redeliver(uint64_t seed, int64_t offset) {
  return offset > 0 && Mix(seed * 31 + static_cast<uint64_t>(offset)) % 11 == 0;
}

inline std::string U64(uint64_t v) { return keys::EncodeUint64(v); }

inline uint64_t ParseU64(const std::optional<std::string>& v) {
  if (!v.has_value()) return 0;
  std::string_view in = *v;
  uint64_t out = 0;
  return keys::ConsumeUint64(&in, &out) ? out : ~uint64_t{0};
}

// Applies the event (offset, value) to `kv`, which offers
//   absl::StatusOr<std::optional<std::string>> Get(Cf, std::string_view);
//   void Put(Cf, std::string_view, std::string_view);
//   void Delete(Cf, std::string_view);
// (a Transaction, or MapKv below).
template <typename Kv>
absl::Status Evolve(Kv& kv, int64_t offset, uint64_t value) {
  std::array<std::optional<std::string>, 5> current;
  const std::array<std::string, 5> names = {"count", "sum", "chain", "last",
                                            absl::StrCat("bucket/", value % kBuckets)};
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StatusOr<std::optional<std::string>> v = kv.Get(Cf::kState, names[i]);
    if (!v.ok()) return v.status();
    current[i] = *v;
  }
  const uint64_t count = ParseU64(current[0]);
  // The state itself checks continuity: the last applied offset must be offset - 1.
  const uint64_t expected_last = static_cast<uint64_t>(offset - 1);
  if (offset > 0 && (!current[3].has_value() || ParseU64(current[3]) != expected_last)) {
    return absl::InternalError(absl::StrCat(
        "event ", offset, " applied after ",
        current[3].has_value() ? static_cast<int64_t>(ParseU64(current[3])) : int64_t{-1}));
  }
  kv.Put(Cf::kState, "count", U64(count + 1));
  kv.Put(Cf::kState, "sum", U64(ParseU64(current[1]) + value));
  kv.Put(Cf::kState, "chain", U64(Mix(ParseU64(current[2]) ^ value)));
  kv.Put(Cf::kState, "last", U64(static_cast<uint64_t>(offset)));
  // Bucket record: events in the bucket, xor of their values, offset of the latest one.
  std::string bucket = current[4].value_or(std::string(24, '\0'));
  std::string_view in = bucket;
  uint64_t bucket_count = 0, bucket_xor = 0, bucket_last = 0;
  if (!keys::ConsumeUint64(&in, &bucket_count) || !keys::ConsumeUint64(&in, &bucket_xor) ||
      !keys::ConsumeUint64(&in, &bucket_last)) {
    return absl::DataLossError("malformed bucket record");
  }
  kv.Put(Cf::kState, names[4],
         U64(bucket_count + 1) + U64(bucket_xor ^ value) + U64(static_cast<uint64_t>(offset)));
  // A sliding window of index entries, and the latest offset per bucket.
  kv.Put(Cf::kIndexes, "window/" + keys::EncodeInt64(offset), U64(value));
  if (offset >= kWindow) kv.Delete(Cf::kIndexes, "window/" + keys::EncodeInt64(offset - kWindow));
  kv.Put(Cf::kIndexes, "bucket-latest/" + U64(value % kBuckets), keys::EncodeInt64(offset));
  return absl::OkStatus();
}

// The in-memory model: one map per written column family.
struct MapKv {
  std::map<std::string, std::string> state;
  std::map<std::string, std::string> indexes;

  std::map<std::string, std::string>& Map(Cf cf) { return cf == Cf::kState ? state : indexes; }
  absl::StatusOr<std::optional<std::string>> Get(Cf cf, std::string_view key) {
    auto& map = Map(cf);
    auto it = map.find(std::string(key));
    if (it == map.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  void Put(Cf cf, std::string_view key, std::string_view value) {
    Map(cf)[std::string(key)] = std::string(value);
  }
  void Delete(Cf cf, std::string_view key) { Map(cf).erase(std::string(key)); }
};

}  // namespace samrad::projection::crash

#endif  // SAMRAD_TESTS_LIBS_PROJECTION_CRASH_MODEL_H_
