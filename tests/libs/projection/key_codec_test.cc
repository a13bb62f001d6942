#include "libs/projection/key_codec.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace samrad::projection::keys {
namespace {

// Asserts that `encoded[i] < encoded[i + 1]` bytewise for every i, which together with the
// values being strictly ascending shows that the encoding preserves their order.
void ExpectStrictlyAscending(const std::vector<std::string>& encoded) {
  for (size_t i = 0; i + 1 < encoded.size(); ++i) {
    // std::string compares with char_traits<char>::compare, i.e. memcmp: unsigned bytes,
    // exactly like RocksDB's bytewise comparator.
    EXPECT_LT(encoded[i], encoded[i + 1]) << "at index " << i;
  }
}

TEST(KeyCodecTest, Int64OrderAndRoundTrip) {
  const std::vector<int64_t> ascending = {std::numeric_limits<int64_t>::min(),
                                          -(int64_t{1} << 40),
                                          -256,
                                          -255,
                                          -1,
                                          0,
                                          1,
                                          255,
                                          256,
                                          int64_t{1} << 40,
                                          std::numeric_limits<int64_t>::max()};
  std::vector<std::string> encoded;
  for (int64_t v : ascending) {
    encoded.push_back(EncodeInt64(v));
    ASSERT_EQ(encoded.back().size(), 8u);
    std::string_view in = encoded.back();
    int64_t decoded = 0;
    ASSERT_TRUE(ConsumeInt64(&in, &decoded));
    EXPECT_EQ(decoded, v);
    EXPECT_TRUE(in.empty());
  }
  ExpectStrictlyAscending(encoded);
}

TEST(KeyCodecTest, Uint64OrderAndRoundTrip) {
  const std::vector<uint64_t> ascending = {
      0, 1, 0xff, 0x100, 0xffffffff, uint64_t{1} << 32, 1ull << 63, ~uint64_t{0}};
  std::vector<std::string> encoded;
  for (uint64_t v : ascending) {
    encoded.push_back(EncodeUint64(v));
    std::string_view in = encoded.back();
    uint64_t decoded = 0;
    ASSERT_TRUE(ConsumeUint64(&in, &decoded));
    EXPECT_EQ(decoded, v);
  }
  ExpectStrictlyAscending(encoded);
  EXPECT_EQ(EncodeUint64(0x0102030405060708), std::string("\x01\x02\x03\x04\x05\x06\x07\x08"));
}

TEST(KeyCodecTest, Int32AndUint32OrderAndRoundTrip) {
  const std::vector<int32_t> ascending = {
      std::numeric_limits<int32_t>::min(), -65536, -1, 0, 1, 65536,
      std::numeric_limits<int32_t>::max()};
  std::vector<std::string> encoded;
  for (int32_t v : ascending) {
    encoded.push_back(EncodeInt32(v));
    ASSERT_EQ(encoded.back().size(), 4u);
    std::string_view in = encoded.back();
    int32_t decoded = 0;
    ASSERT_TRUE(ConsumeInt32(&in, &decoded));
    EXPECT_EQ(decoded, v);
  }
  ExpectStrictlyAscending(encoded);

  std::vector<std::string> unsigned_encoded;
  for (uint32_t v : {0u, 1u, 0xffu, 0x100u, 0x80000000u, 0xffffffffu}) {
    std::string out;
    AppendUint32(&out, v);
    std::string_view in = out;
    uint32_t decoded = 0;
    ASSERT_TRUE(ConsumeUint32(&in, &decoded));
    EXPECT_EQ(decoded, v);
    unsigned_encoded.push_back(out);
  }
  ExpectStrictlyAscending(unsigned_encoded);
}

TEST(KeyCodecTest, StringOrderAndRoundTrip) {
  using namespace std::string_literals;
  // Ascending in std::string (unsigned bytewise) order.
  const std::vector<std::string> ascending = {
      ""s,      "\0"s, "\0\0"s, "\0\x01"s, "\x01"s, "a"s,    "a\0"s,    "a\0b"s,
      "a\x01"s, "ab"s, "abc"s,  "b"s,      "\xfe"s, "\xff"s, "\xff\0"s, "\xff\xff"s};
  std::vector<std::string> encoded;
  for (size_t i = 0; i < ascending.size(); ++i) {
    if (i > 0) {
      ASSERT_LT(ascending[i - 1], ascending[i]) << "table not sorted at " << i;
    }
    encoded.push_back(EncodeString(ascending[i]));
    std::string_view in = encoded.back();
    std::string decoded;
    ASSERT_TRUE(ConsumeString(&in, &decoded)) << i;
    EXPECT_EQ(decoded, ascending[i]);
    EXPECT_TRUE(in.empty());
  }
  ExpectStrictlyAscending(encoded);
}

// Composite keys sort like tuples, also when one string component is a prefix of another.
TEST(KeyCodecTest, CompositeKeysSortLikeTuples) {
  using Tuple = std::tuple<std::string, int64_t, std::string>;
  std::vector<Tuple> tuples;
  std::mt19937_64 rng(42);
  const std::vector<std::string> strings = {"", "a", "a\0", "ab", "b", "\xff", "1280", "12800"};
  for (int i = 0; i < 400; ++i) {
    tuples.emplace_back(strings[rng() % strings.size()], static_cast<int64_t>(rng() % 7) - 3,
                        strings[rng() % strings.size()]);
  }
  auto encode = [](const Tuple& t) {
    std::string key;
    AppendString(&key, std::get<0>(t));
    AppendInt64(&key, std::get<1>(t));
    AppendString(&key, std::get<2>(t));
    return key;
  };
  for (size_t i = 0; i < tuples.size(); ++i) {
    for (size_t j = 0; j < tuples.size(); j += 7) {
      const Tuple& a = tuples[i];
      const Tuple& b = tuples[j];
      EXPECT_EQ(a < b, encode(a) < encode(b)) << i << " vs " << j;
      EXPECT_EQ(a == b, encode(a) == encode(b)) << i << " vs " << j;
    }
    std::string key = encode(tuples[i]);
    std::string_view in = key;
    Tuple decoded;
    ASSERT_TRUE(ConsumeString(&in, &std::get<0>(decoded)));
    ASSERT_TRUE(ConsumeInt64(&in, &std::get<1>(decoded)));
    ASSERT_TRUE(ConsumeString(&in, &std::get<2>(decoded)));
    EXPECT_TRUE(in.empty());
    EXPECT_EQ(decoded, tuples[i]);
  }
}

TEST(KeyCodecTest, MalformedInputIsRefusedAndLeftUntouched) {
  using namespace std::string_literals;
  struct Case {
    std::string input;
    const char* what;
  };
  for (const Case& c : std::vector<Case>{{""s, "empty"},
                                         {"abc"s, "no terminator"},
                                         {"a\0"s, "cut after escape byte"},
                                         {"a\0\x02"s, "bad escape"}}) {
    std::string_view in = c.input;
    std::string out = "unchanged";
    EXPECT_FALSE(ConsumeString(&in, &out)) << c.what;
    EXPECT_EQ(in, c.input) << c.what;
    EXPECT_EQ(out, "unchanged") << c.what;
  }
  std::string seven(7, '\x01');
  std::string_view in = seven;
  uint64_t u64 = 9;
  int64_t i64 = 9;
  EXPECT_FALSE(ConsumeUint64(&in, &u64));
  EXPECT_FALSE(ConsumeInt64(&in, &i64));
  EXPECT_EQ(in.size(), 7u);
  EXPECT_EQ(u64, 9u);
  EXPECT_EQ(i64, 9);
  std::string three(3, '\x01');
  in = three;
  uint32_t u32 = 9;
  int32_t i32 = 9;
  EXPECT_FALSE(ConsumeUint32(&in, &u32));
  EXPECT_FALSE(ConsumeInt32(&in, &i32));
  EXPECT_EQ(in.size(), 3u);
}

TEST(KeyCodecTest, PrefixSuccessor) {
  using namespace std::string_literals;
  struct Case {
    std::string prefix;
    std::string successor;
  };
  for (const Case& c : std::vector<Case>{{""s, ""s},
                                         {"a"s, "b"s},
                                         {"ab"s, "ac"s},
                                         {"a\xff"s, "b"s},
                                         {"a\xff\xff"s, "b"s},
                                         {"\x01\0"s, "\x01\x01"s},
                                         {"\xff"s, ""s},
                                         {"\xff\xff"s, ""s}}) {
    EXPECT_EQ(PrefixSuccessor(c.prefix), c.successor) << "prefix size " << c.prefix.size();
  }
  // Every extension of a prefix sorts below its successor, which is not an extension.
  std::mt19937_64 rng(7);
  for (const std::string& prefix : {"a"s, "a\xff"s, "\x00\xfe"s, "1280"s}) {
    const std::string successor = PrefixSuccessor(prefix);
    EXPECT_FALSE(std::string_view(successor).starts_with(prefix));
    for (int i = 0; i < 100; ++i) {
      std::string key = prefix;
      for (uint64_t n = rng() % 4; n > 0; --n) key.push_back(static_cast<char>(rng() & 0xff));
      EXPECT_LT(key, successor);
    }
  }
}

}  // namespace
}  // namespace samrad::projection::keys
