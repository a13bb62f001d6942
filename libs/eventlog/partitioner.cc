#include <cstdint>
#include <string_view>

#include "libs/eventlog/event_log.h"

namespace samrad::eventlog {
namespace {

// MurmurHash2 exactly as Kafka's Java client computes it (Utils.murmur2), seed 0x9747b28c.
uint32_t KafkaMurmur2(std::string_view data) {
  constexpr uint32_t kSeed = 0x9747b28c;
  constexpr uint32_t kM = 0x5bd1e995;
  constexpr int kR = 24;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const uint32_t length = static_cast<uint32_t>(data.size());
  uint32_t h = kSeed ^ length;
  const uint32_t chunks = length / 4;
  for (uint32_t i = 0; i < chunks; ++i) {
    const uint32_t i4 = i * 4;
    uint32_t k = static_cast<uint32_t>(bytes[i4]) | (static_cast<uint32_t>(bytes[i4 + 1]) << 8) |
                 (static_cast<uint32_t>(bytes[i4 + 2]) << 16) |
                 (static_cast<uint32_t>(bytes[i4 + 3]) << 24);
    k *= kM;
    k ^= k >> kR;
    k *= kM;
    h *= kM;
    h ^= k;
  }
  const uint32_t tail = length & ~3u;
  switch (length % 4) {
    case 3:
      h ^= static_cast<uint32_t>(bytes[tail + 2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<uint32_t>(bytes[tail + 1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= static_cast<uint32_t>(bytes[tail]);
      h *= kM;
  }
  h ^= h >> 13;
  h *= kM;
  h ^= h >> 15;
  return h;
}

}  // namespace

int32_t PartitionForKey(std::string_view key, int32_t partitions) {
  if (partitions <= 1) return 0;
  return static_cast<int32_t>((KafkaMurmur2(key) & 0x7fffffffu) % static_cast<uint32_t>(partitions));
}

// Exposed for tests of the hash itself.
int32_t KafkaMurmur2ForTest(std::string_view data) {
  return static_cast<int32_t>(KafkaMurmur2(data));
}

}  // namespace samrad::eventlog
