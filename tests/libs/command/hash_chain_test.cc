#include "libs/command/hash_chain.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "counter.pb.h"
#include "gtest/gtest.h"
#include "libs/command/sha256.h"
#include "libs/eventlog/embedded_event_log.h"
#include "tests/testing/temp_dir.h"

namespace samrad::command {
namespace {

using testing::counter::v1::CounterEvent;

constexpr char kTopic[] = "counter.events.v1";

// A correctly chained event: its hash covers `previous` and its canonical bytes.
std::string ChainedEvent(int i, const std::string& previous, std::string* hash_out) {
  CounterEvent event;
  event.mutable_incremented()->set_id("c");
  event.mutable_incremented()->set_by(i);
  auto* md = event.mutable_metadata();
  md->set_event_id("event-" + std::to_string(i));
  md->set_tenant("1280");
  md->set_aggregate_type("counter");
  md->set_aggregate_id("c");
  md->set_aggregate_version(i + 1);
  (*md->mutable_occurred_at()).set_seconds(1700000000 + i);
  md->set_previous_hash(previous);
  md->set_event_type("samrad.testing.counter.v1.CounterIncremented");
  const std::string canonical = SerializeDeterministic(event);
  absl::StatusOr<std::string> hash = ChainHash(previous, canonical);
  EXPECT_TRUE(hash.ok());
  md->set_hash(*hash);
  *hash_out = *hash;
  return SerializeDeterministic(event);
}

std::vector<std::string> BuildChain(int n, std::vector<std::string>* hashes) {
  std::vector<std::string> values;
  std::string previous;
  for (int i = 0; i < n; ++i) {
    std::string hash;
    values.push_back(ChainedEvent(i, previous, &hash));
    hashes->push_back(hash);
    previous = hash;
  }
  return values;
}

class VerifyChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = eventlog::EmbeddedEventLog::Open({.path = dir_.Sub("log"), .sync = false});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    ASSERT_TRUE(log_->EnsureTopic(kTopic, 1).ok());
  }

  void Write(const std::vector<std::string>& values) {
    std::vector<eventlog::Record> records;
    for (const std::string& v : values)
      records.push_back({.key = "1280", .value = v, .headers = {}});
    ASSERT_TRUE(log_->Append(tp_, std::move(records)).ok());
  }

  ChainReport Verify(const VerifyOptions& options = {}) {
    absl::StatusOr<ChainReport> report = VerifyChain(*log_, tp_, options);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : ChainReport{};
  }

  testutil::TempDir dir_;
  std::unique_ptr<eventlog::EmbeddedEventLog> log_;
  const eventlog::TopicPartition tp_{kTopic, 0};
};

TEST(InspectRecordTest, CanonicalIsTheRecordWithoutItsHash) {
  std::string hash;
  const std::string value = ChainedEvent(3, std::string(32, 'p'), &hash);
  absl::StatusOr<ChainRecord> record = InspectRecord(value);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->metadata.hash(), hash);
  EXPECT_EQ(record->metadata.previous_hash(), std::string(32, 'p'));
  EXPECT_EQ(record->metadata.aggregate_version(), 4);

  CounterEvent event;
  ASSERT_TRUE(event.ParseFromString(value));
  event.mutable_metadata()->clear_hash();
  EXPECT_EQ(record->canonical, SerializeDeterministic(event));
  EXPECT_EQ(*ChainHash(std::string(32, 'p'), record->canonical), hash);
}

TEST(InspectRecordTest, CoversFieldsUnknownToThisBuild) {
  std::string hash;
  const std::string value = ChainedEvent(1, "", &hash);
  // An envelope field and a metadata field that a newer schema might add: field 999
  // (varint) at the top level, field 50 (bytes) inside the metadata.
  auto with_unknown = [&](char top, char inner) {
    CounterEvent event;
    EXPECT_TRUE(event.ParseFromString(value));
    auto* md = event.mutable_metadata();
    md->GetReflection()->MutableUnknownFields(md)->AddLengthDelimited(50, std::string(1, inner));
    event.GetReflection()->MutableUnknownFields(&event)->AddVarint(999, static_cast<uint64_t>(top));
    return event.SerializeAsString();
  };
  absl::StatusOr<ChainRecord> a = InspectRecord(with_unknown('a', 'x'));
  absl::StatusOr<ChainRecord> b = InspectRecord(with_unknown('b', 'x'));
  absl::StatusOr<ChainRecord> c = InspectRecord(with_unknown('a', 'y'));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_NE(a->canonical, b->canonical);
  EXPECT_NE(a->canonical, c->canonical);
  EXPECT_EQ(a->metadata.hash(), hash);
}

TEST(InspectRecordTest, RejectsWhatIsNoEnvelope) {
  EXPECT_FALSE(InspectRecord("\xff\xff\xff").ok());
  // Field 1 as a varint instead of a message.
  EXPECT_FALSE(InspectRecord(std::string("\x08\x01", 2)).ok());
  // Field 1 claims more bytes than there are.
  EXPECT_FALSE(InspectRecord(std::string("\x0a\x10\x01", 3)).ok());
  // Field 1 holds bytes that are not an EventMetadata.
  EXPECT_FALSE(InspectRecord(std::string("\x0a\x02\xff\xff", 4)).ok());
}

TEST_F(VerifyChainTest, EmptyPartitionIsIntact) {
  ChainReport report = Verify();
  EXPECT_TRUE(report.intact());
  EXPECT_EQ(report.events_verified, 0);
  EXPECT_EQ(report.end_offset, 0);
  EXPECT_EQ(report.head_hash, "");
}

TEST_F(VerifyChainTest, IntactChain) {
  std::vector<std::string> hashes;
  Write(BuildChain(50, &hashes));
  ChainReport report = Verify({.batch = 7});
  EXPECT_TRUE(report.intact()) << report.first_break->ToString();
  EXPECT_EQ(report.events_verified, 50);
  EXPECT_EQ(report.end_offset, 50);
  EXPECT_EQ(report.head_hash, hashes.back());
  // The expected head of a projection that saw all of it.
  EXPECT_TRUE(Verify({.expected_head = ChainHead{.offset = 49, .hash = hashes[49]}}).intact());
}

TEST_F(VerifyChainTest, DetectsAnAlteredEvent) {
  std::vector<std::string> hashes;
  std::vector<std::string> values = BuildChain(20, &hashes);
  CounterEvent event;
  ASSERT_TRUE(event.ParseFromString(values[10]));
  event.mutable_incremented()->set_by(1000);  // the content changes, the stored hash stays
  values[10] = event.SerializeAsString();
  Write(values);
  ChainReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->kind, ChainBreak::Kind::kAltered);
  EXPECT_EQ(report.first_break->offset, 10);
  EXPECT_EQ(report.first_break->found, hashes[10]);
  EXPECT_NE(report.first_break->expected, hashes[10]);
  EXPECT_EQ(report.events_verified, 10);
}

TEST_F(VerifyChainTest, DetectsAnAlteredAndReHashedEventAtItsSuccessor) {
  std::vector<std::string> hashes;
  std::vector<std::string> values = BuildChain(20, &hashes);
  std::string rehashed;
  values[10] = ChainedEvent(777, hashes[9], &rehashed);
  Write(values);
  ChainReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->kind, ChainBreak::Kind::kBrokenLink);
  EXPECT_EQ(report.first_break->offset, 11);
  EXPECT_EQ(report.first_break->expected, rehashed);
  EXPECT_EQ(report.first_break->found, hashes[10]);
}

TEST_F(VerifyChainTest, DetectsAMissingEvent) {
  std::vector<std::string> hashes;
  std::vector<std::string> values = BuildChain(20, &hashes);
  values.erase(values.begin() + 10);
  Write(values);
  ChainReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->kind, ChainBreak::Kind::kBrokenLink);
  EXPECT_EQ(report.first_break->offset, 10);
  EXPECT_EQ(report.first_break->expected, hashes[9]);
  EXPECT_EQ(report.first_break->found, hashes[10]);
}

TEST_F(VerifyChainTest, DetectsAMissingFirstEvent) {
  std::vector<std::string> hashes;
  std::vector<std::string> values = BuildChain(5, &hashes);
  values.erase(values.begin());
  Write(values);
  ChainReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->kind, ChainBreak::Kind::kBrokenLink);
  EXPECT_EQ(report.first_break->offset, 0);
  EXPECT_EQ(report.first_break->expected, "");
  EXPECT_EQ(report.first_break->found, hashes[0]);
}

TEST_F(VerifyChainTest, DetectsAnInsertedCopy) {
  std::vector<std::string> hashes;
  std::vector<std::string> values = BuildChain(10, &hashes);
  values.insert(values.begin() + 6, values[5]);
  Write(values);
  ChainReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->kind, ChainBreak::Kind::kBrokenLink);
  EXPECT_EQ(report.first_break->offset, 6);
}

TEST_F(VerifyChainTest, DetectsAnUnreadableRecord) {
  std::vector<std::string> hashes;
  std::vector<std::string> values = BuildChain(10, &hashes);
  values[3] = "\xff\xfe garbage";
  Write(values);
  ChainReport report = Verify();
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->kind, ChainBreak::Kind::kUnreadable);
  EXPECT_EQ(report.first_break->offset, 3);
}

TEST_F(VerifyChainTest, DetectsMissingEventsAtTheEndAgainstAnExpectedHead) {
  std::vector<std::string> hashes;
  std::vector<std::string> values = BuildChain(10, &hashes);
  values.pop_back();
  Write(values);
  EXPECT_TRUE(Verify().intact());  // the chain alone cannot tell
  ChainReport report = Verify({.expected_head = ChainHead{.offset = 9, .hash = hashes[9]}});
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->kind, ChainBreak::Kind::kTruncated);
  EXPECT_EQ(report.first_break->offset, 9);
  EXPECT_EQ(report.first_break->expected, hashes[9]);
  EXPECT_EQ(report.first_break->found, "");
  EXPECT_NE(report.first_break->ToString().find("offset 9"), std::string::npos);
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(HexEncode(*Sha256Of({""})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(*Sha256Of({"ab", "c"})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 sha;
  sha.Update("abc");
  EXPECT_TRUE(sha.Finish().ok());
  EXPECT_FALSE(sha.Finish().ok());  // spent
}

}  // namespace
}  // namespace samrad::command
