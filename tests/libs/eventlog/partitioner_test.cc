#include <cstdint>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "libs/eventlog/event_log.h"

namespace samrad::eventlog {
int32_t KafkaMurmur2ForTest(std::string_view data);
namespace {

// Reference values from Kafka's own test of Utils.murmur2.
struct Murmur2Case {
  std::string input;
  int32_t expected;
};

TEST(PartitionerTest, Murmur2MatchesKafkasJavaClient) {
  const Murmur2Case cases[] = {
      {"21", -973932308},
      {"foobar", -790332482},
      {"a-little-bit-long-string", -985981536},
      {"a-little-bit-longer-string", -1486304829},
      {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
      {"abc", 479470107},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(KafkaMurmur2ForTest(c.input), c.expected) << c.input;
  }
}

TEST(PartitionerTest, SinglePartitionAlwaysZero) {
  EXPECT_EQ(PartitionForKey("1280", 1), 0);
  EXPECT_EQ(PartitionForKey("", 0), 0);
}

TEST(PartitionerTest, StableAndInRange) {
  for (int32_t n : {2, 3, 12, 64}) {
    const int32_t p = PartitionForKey("1280", n);
    EXPECT_GE(p, 0);
    EXPECT_LT(p, n);
    EXPECT_EQ(p, PartitionForKey("1280", n));
  }
}

}  // namespace
}  // namespace samrad::eventlog
