#include "libs/eventlog/embedded_event_log.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/common/log.h"
#include "libs/eventlog/polling_subscription.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/status.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

namespace samrad::eventlog {
namespace {

// ---------------------------------------------------------------------------------------
// On-disk layout (one RocksDB database, default column family, bytewise order):
//
//   "F"                                   -> format version of the layout, "1"
//   "T" <topic>                           -> topic metadata (EncodeTopicMeta)
//   "R" <u16 len> <topic> <u32 partition> <u64 offset>
//                                         -> one record (EncodeRecordValue)
//
// Integers in keys are big-endian, so bytewise order is offset order and every
// topic-partition is one contiguous key range ("R" + length-prefixed topic + partition);
// the length prefix keeps "ab" and "abc" from interleaving.
// ---------------------------------------------------------------------------------------

constexpr char kFormatKey[] = "F";
constexpr char kFormatVersion[] = "1";
constexpr char kTopicPrefix = 'T';
constexpr char kRecordPrefix = 'R';

// Versions of the value encodings; a decoder rejects versions it does not know.
constexpr uint8_t kTopicMetaVersion = 1;
constexpr uint8_t kRecordValueVersion = 1;

constexpr size_t kMaxTopicLength = 249;  // Kafka's limit, so names work on both backends.
constexpr int32_t kMaxPartitions = 10000;

void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetBigEndian(std::string_view in) {
  uint64_t v = 0;
  for (char c : in) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void PutLengthPrefixed(std::string& out, std::string_view s) {
  PutVarint(out, s.size());
  out.append(s);
}

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Reads the encodings above; every accessor fails (returns false) on truncated input.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  bool Byte(uint8_t& v) {
    if (in_.empty()) return false;
    v = static_cast<uint8_t>(in_.front());
    in_.remove_prefix(1);
    return true;
  }

  bool Varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      uint8_t b;
      if (!Byte(b)) return false;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;  // More than 10 bytes: not a varint64.
  }

  bool LengthPrefixed(std::string& s) {
    uint64_t n;
    if (!Varint(n) || n > in_.size()) return false;
    s.assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }

  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

// Topic metadata value, version 1: <u8 version> <varint partitions>.
std::string EncodeTopicMeta(int32_t partitions) {
  std::string out;
  out.push_back(static_cast<char>(kTopicMetaVersion));
  PutVarint(out, static_cast<uint64_t>(partitions));
  return out;
}

absl::StatusOr<int32_t> DecodeTopicMeta(absl::string_view topic, std::string_view in) {
  Decoder d(in);
  uint8_t version;
  uint64_t partitions;
  if (!d.Byte(version) || version != kTopicMetaVersion || !d.Varint(partitions) || !d.done() ||
      partitions < 1 || partitions > static_cast<uint64_t>(kMaxPartitions)) {
    return absl::DataLossError(absl::StrCat("event log: bad metadata of topic '", topic, "'"));
  }
  return static_cast<int32_t>(partitions);
}

// Record value, version 1:
//   <u8 version> <varint timestamp_ms> <len-prefixed key> <len-prefixed value>
//   <varint header count> { <len-prefixed header key> <len-prefixed header value> }*
void EncodeRecordValue(const Record& record, int64_t timestamp_ms, std::string& out) {
  size_t size = 1 + VarintSize(static_cast<uint64_t>(timestamp_ms)) +
                VarintSize(record.key.size()) + record.key.size() +
                VarintSize(record.value.size()) + record.value.size() +
                VarintSize(record.headers.size());
  for (const Header& h : record.headers) {
    size += VarintSize(h.key.size()) + h.key.size() + VarintSize(h.value.size()) + h.value.size();
  }
  out.clear();
  out.reserve(size);
  out.push_back(static_cast<char>(kRecordValueVersion));
  PutVarint(out, static_cast<uint64_t>(timestamp_ms));
  PutLengthPrefixed(out, record.key);
  PutLengthPrefixed(out, record.value);
  PutVarint(out, record.headers.size());
  for (const Header& h : record.headers) {
    PutLengthPrefixed(out, h.key);
    PutLengthPrefixed(out, h.value);
  }
}

bool DecodeRecordValue(std::string_view in, Entry& entry) {
  Decoder d(in);
  uint8_t version;
  uint64_t timestamp_ms;
  uint64_t header_count;
  if (!d.Byte(version) || version != kRecordValueVersion || !d.Varint(timestamp_ms) ||
      !d.LengthPrefixed(entry.key) || !d.LengthPrefixed(entry.value) || !d.Varint(header_count) ||
      header_count > in.size()) {
    return false;
  }
  entry.timestamp_ms = static_cast<int64_t>(timestamp_ms);
  entry.headers.clear();
  entry.headers.reserve(header_count);
  for (uint64_t i = 0; i < header_count; ++i) {
    Header& h = entry.headers.emplace_back();
    if (!d.LengthPrefixed(h.key) || !d.LengthPrefixed(h.value)) return false;
  }
  return d.done();
}

std::string TopicKey(std::string_view topic) {
  std::string key(1, kTopicPrefix);
  key.append(topic);
  return key;
}

// The key prefix shared by every record of one topic-partition.
std::string PartitionPrefix(std::string_view topic, int32_t partition) {
  std::string prefix(1, kRecordPrefix);
  PutBigEndian(prefix, topic.size(), 2);
  prefix.append(topic);
  PutBigEndian(prefix, static_cast<uint32_t>(partition), 4);
  return prefix;
}

std::string RecordKey(std::string_view prefix, int64_t offset) {
  std::string key;
  key.reserve(prefix.size() + 8);
  key.append(prefix);
  PutBigEndian(key, static_cast<uint64_t>(offset), 8);
  return key;
}

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat("event log: ", what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (s.IsNotSupported()) return absl::UnimplementedError(message);
  if (s.IsNoSpace() || s.IsMemoryLimit()) return absl::ResourceExhaustedError(message);
  if (s.IsIOError() || s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) {
    return absl::UnavailableError(message);
  }
  if (s.IsAborted()) return absl::AbortedError(message);
  return absl::InternalError(message);
}

absl::Status ValidateTopicName(absl::string_view topic) {
  if (topic.empty() || topic.size() > kMaxTopicLength || topic == "." || topic == "..") {
    return absl::InvalidArgumentError(absl::StrCat("event log: topic name must have 1 to ",
                                                   kMaxTopicLength, " characters, got '", topic,
                                                   "'"));
  }
  for (char c : topic) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("event log: topic name '", topic, "' may only contain [a-zA-Z0-9._-]"));
    }
  }
  return absl::OkStatus();
}

// std::chrono deadline `d` from now, saturating for very long (or infinite) waits.
std::chrono::steady_clock::time_point DeadlineAfter(absl::Duration d) {
  constexpr absl::Duration kLongest = absl::Hours(24 * 365);
  return std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(std::min(d, kLongest));
}

rocksdb::Options MakeRocksOptions() {
  rocksdb::Options o;
  o.create_if_missing = true;
  // Every write goes straight to the OS (no manual WAL flush), so an acknowledged Append
  // survives a crash of the process even when `sync` is off.
  o.manual_wal_flush = false;
  // After a crash, keep the longest consistent prefix of the WAL: a torn last batch (never
  // acknowledged when `sync` is on) is dropped whole; nothing before it is lost.
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // An append-only log writes in bursts and reads mostly the recent tail: a larger
  // memtable absorbs bursts and keeps the tail in memory, and extra memtables let writes go
  // on while an older one is flushed, instead of stalling appenders.
  o.write_buffer_size = 128 << 20;
  o.max_write_buffer_number = 4;
  // Keys arrive in offset order per partition, so SSTs barely overlap; dynamic level sizes
  // keep write amplification low as the log grows.
  o.level_compaction_dynamic_level_bytes = true;
  // Events are small protobufs with repeated field names and ids: LZ4 is cheap on the write
  // path; the cold bottom level, rewritten rarely, is worth zstd.
  o.compression = rocksdb::kLZ4Compression;
  o.bottommost_compression = rocksdb::kZSTD;
  // Let the OS write back SSTs in small steps instead of one large burst at the end of a
  // file. Not the WAL (wal_bytes_per_sync): RocksDB issues that sync_file_range in the
  // appender's own write path (unsynced appends were 25 % faster without it in
  // bench/eventlog_benchmark.cc), and with `sync` on AwaitDurable fsyncs the WAL anyway
  // (group writes themselves are never synced: one SyncWAL covers every group written
  // before it).
  o.bytes_per_sync = 1 << 20;
  // Two cores: one flush and one compaction at a time is plenty for an event log.
  o.max_background_jobs = 2;
  o.keep_log_file_num = 5;
  o.max_log_file_size = 16 << 20;

  rocksdb::BlockBasedTableOptions table;
  // Reads are range scans (replay, tailing): bigger blocks mean fewer seeks, and bloom
  // filters would not help (no point lookups of records), so none are built.
  table.block_size = 32 << 10;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

// One topic-partition's write state. Owned by TopicState; its address is stable for the
// life of the log (topics are never removed), so requests may point at it.
struct PartitionState {
  TopicPartition tp;
  std::string key_prefix;
  // The offset the next record gets: every offset below it is written. Guarded by mu_.
  int64_t next_offset = 0;
  // Every offset below it is durable (synced, or written when `sync` is off) and visible to
  // readers. <= next_offset. Guarded by mu_.
  int64_t durable_offset = 0;
};

struct TopicState {
  std::vector<std::unique_ptr<PartitionState>> partitions;
};

// One waiting Append call. Lives on the caller's stack; guarded by mu_ of the log.
struct AppendRequest {
  PartitionState* partition = nullptr;
  const std::vector<Record>* records = nullptr;
  int64_t first_offset = 0;  // Assigned by the leader.
  absl::Status status;
  bool done = false;
  std::condition_variable cv;
};

class EmbeddedEventLogImpl final : public EmbeddedEventLog {
 public:
  EmbeddedEventLogImpl(EmbeddedEventLogOptions options, std::unique_ptr<rocksdb::DB> db)
      : options_(std::move(options)), db_(std::move(db)) {}

  ~EmbeddedEventLogImpl() override {
    if (rocksdb::Status s = db_->SyncWAL(); !s.ok()) {
      SAMRAD_LOG_WARN("event log {}: syncing the WAL at close failed: {}", options_.path,
                      s.ToString());
    }
    if (rocksdb::Status s = db_->Close(); !s.ok()) {
      SAMRAD_LOG_WARN("event log {}: close failed: {}", options_.path, s.ToString());
    }
  }

  // Reads the format marker and the topics, and recovers every partition's next offset
  // from its last key. Called once by Open, before the log is shared.
  absl::Status Load();

  absl::Status EnsureTopic(const std::string& topic, int32_t partitions) override;
  absl::StatusOr<std::vector<int64_t>> Append(const TopicPartition& tp,
                                              std::vector<Record> records) override;
  absl::StatusOr<std::vector<int64_t>> AppendDeferred(const TopicPartition& tp,
                                                      std::vector<Record> records) override;
  absl::Status AwaitDurable(const TopicPartition& tp, int64_t end_offset) override;
  absl::StatusOr<std::vector<Entry>> Read(const TopicPartition& tp, int64_t from_offset,
                                          size_t max_records, absl::Duration wait) override;
  absl::StatusOr<int64_t> HighWatermark(const TopicPartition& tp) override;
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(const TopicPartition& tp,
                                                          int64_t from_offset, Handler handler,
                                                          SubscribeOptions options) override;
  std::string_view backend() const override { return "embedded"; }

  EmbeddedEventLogStats stats() const override {
    std::lock_guard lock(mu_);
    return stats_;
  }

  void FailNextWriteForTesting(absl::Status status) override {
    std::lock_guard lock(mu_);
    injected_write_error_ = std::move(status);
  }

 private:
  absl::StatusOr<PartitionState*> FindPartitionLocked(const TopicPartition& tp) const;
  // Writes the records of `group` (offsets assigned) as one WriteBatch.
  absl::Status WriteGroup(const std::vector<AppendRequest*>& group, int64_t timestamp_ms);
  // Reads [from, limit) of `partition`; every offset in it must exist.
  absl::StatusOr<std::vector<Entry>> Scan(const PartitionState& partition, int64_t from,
                                          int64_t limit);

  const EmbeddedEventLogOptions options_;
  const std::unique_ptr<rocksdb::DB> db_;

  // Serialises EnsureTopic calls, so that a topic's metadata is written once.
  std::mutex ensure_mu_;

  mutable std::mutex mu_;
  std::map<std::string, TopicState, std::less<>> topics_;  // Guarded by mu_.
  // Appends waiting to be written, oldest first; the front one is the leader.
  std::deque<AppendRequest*> queue_;  // Guarded by mu_.
  size_t queued_records_ = 0;         // Guarded by mu_.
  // Signalled when a request joins the queue, for a leader inside its commit window.
  std::condition_variable joined_cv_;
  // Signalled whenever records become durable, for readers waiting at the end.
  std::condition_variable appended_cv_;
  // A WAL sync is running; the others wait for it (synced_cv_) instead of starting their own.
  bool syncing_ = false;  // Guarded by mu_.
  std::condition_variable synced_cv_;
  // Timestamp of the last group write; later writes never get a smaller one.
  int64_t last_timestamp_ms_ = 0;      // Guarded by mu_.
  absl::Status injected_write_error_;  // Guarded by mu_.
  EmbeddedEventLogStats stats_;        // Guarded by mu_.
};

absl::Status EmbeddedEventLogImpl::Load() {
  std::string format;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), kFormatKey, &format);
  if (s.IsNotFound()) {
    std::unique_ptr<rocksdb::Iterator> any(db_->NewIterator(rocksdb::ReadOptions()));
    any->SeekToFirst();
    if (any->Valid()) {
      return absl::FailedPreconditionError(
          absl::StrCat("event log: ", options_.path, " holds a database that is not an event log"));
    }
    if (!any->status().ok()) return FromRocks(any->status(), "reading the database");
    rocksdb::WriteOptions wo;
    wo.sync = true;
    s = db_->Put(wo, kFormatKey, kFormatVersion);
    if (!s.ok()) return FromRocks(s, "writing the format version");
  } else if (!s.ok()) {
    return FromRocks(s, "reading the format version");
  } else if (format != kFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("event log: ", options_.path, " has format version '", format,
                     "', this build reads '", kFormatVersion, "'"));
  }

  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string topic_prefix(1, kTopicPrefix);
  for (it->Seek(topic_prefix); it->Valid() && it->key().starts_with(topic_prefix); it->Next()) {
    std::string topic = it->key().ToString().substr(1);
    absl::StatusOr<int32_t> partitions = DecodeTopicMeta(topic, it->value().ToStringView());
    if (!partitions.ok()) return partitions.status();
    TopicState state;
    for (int32_t p = 0; p < *partitions; ++p) {
      auto partition = std::make_unique<PartitionState>();
      partition->tp = {topic, p};
      partition->key_prefix = PartitionPrefix(topic, p);
      state.partitions.push_back(std::move(partition));
    }
    topics_.emplace(std::move(topic), std::move(state));
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading the topics");

  for (auto& [topic, state] : topics_) {
    for (auto& partition : state.partitions) {
      const std::string last = RecordKey(partition->key_prefix, -1);  // All 0xff: past any.
      it->SeekForPrev(last);
      if (!it->status().ok()) return FromRocks(it->status(), "recovering offsets");
      if (!it->Valid() || !it->key().starts_with(partition->key_prefix)) continue;
      rocksdb::Slice key = it->key();
      if (key.size() != partition->key_prefix.size() + 8) {
        return absl::DataLossError(
            absl::StrCat("event log: malformed record key in ", partition->tp.ToString()));
      }
      key.remove_prefix(partition->key_prefix.size());
      const int64_t last_offset = static_cast<int64_t>(GetBigEndian(key.ToStringView()));
      Entry entry;
      if (last_offset < 0 || !DecodeRecordValue(it->value().ToStringView(), entry)) {
        return absl::DataLossError(absl::StrCat("event log: malformed record at ",
                                                partition->tp.ToString(), "@", last_offset));
      }
      partition->next_offset = last_offset + 1;
      partition->durable_offset = partition->next_offset;
      last_timestamp_ms_ = std::max(last_timestamp_ms_, entry.timestamp_ms);
    }
  }
  SAMRAD_LOG_INFO("event log {}: opened with {} topic(s)", options_.path, topics_.size());
  return absl::OkStatus();
}

absl::StatusOr<PartitionState*> EmbeddedEventLogImpl::FindPartitionLocked(
    const TopicPartition& tp) const {
  if (tp.partition < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("event log: negative partition in ", tp.ToString()));
  }
  auto it = topics_.find(tp.topic);
  if (it == topics_.end()) {
    return absl::NotFoundError(absl::StrCat("event log: topic '", tp.topic,
                                            "' does not exist (create it with EnsureTopic)"));
  }
  const auto& partitions = it->second.partitions;
  if (static_cast<size_t>(tp.partition) >= partitions.size()) {
    return absl::NotFoundError(absl::StrCat("event log: topic '", tp.topic, "' has ",
                                            partitions.size(), " partition(s), no partition ",
                                            tp.partition));
  }
  return partitions[tp.partition].get();
}

absl::Status EmbeddedEventLogImpl::EnsureTopic(const std::string& topic, int32_t partitions) {
  if (absl::Status s = ValidateTopicName(topic); !s.ok()) return s;
  if (partitions < 1 || partitions > kMaxPartitions) {
    return absl::InvalidArgumentError(absl::StrCat("event log: topic '", topic, "' needs 1 to ",
                                                   kMaxPartitions, " partitions, got ",
                                                   partitions));
  }
  std::lock_guard ensure(ensure_mu_);
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    if (it != topics_.end()) {
      if (static_cast<size_t>(partitions) > it->second.partitions.size()) {
        SAMRAD_LOG_WARN("event log: topic '{}' keeps its {} partition(s), {} were asked for", topic,
                        it->second.partitions.size(), partitions);
      }
      return absl::OkStatus();
    }
  }
  // The metadata is synced whatever `sync` says: topics are rare, and a topic must never
  // vanish while records written to it survive.
  rocksdb::WriteOptions wo;
  wo.sync = true;
  if (rocksdb::Status s = db_->Put(wo, TopicKey(topic), EncodeTopicMeta(partitions)); !s.ok()) {
    return FromRocks(s, absl::StrCat("creating topic '", topic, "'"));
  }
  TopicState state;
  for (int32_t p = 0; p < partitions; ++p) {
    auto partition = std::make_unique<PartitionState>();
    partition->tp = {topic, p};
    partition->key_prefix = PartitionPrefix(topic, p);
    state.partitions.push_back(std::move(partition));
  }
  std::lock_guard lock(mu_);
  topics_.emplace(topic, std::move(state));
  SAMRAD_LOG_INFO("event log: created topic '{}' with {} partition(s)", topic, partitions);
  return absl::OkStatus();
}

// Group commit. Every Append joins the queue; the request at the front is the leader. The
// leader takes the longest prefix of the queue that fits in max_group_records (at least
// itself), assigns consecutive offsets per partition in queue order, and writes the group
// as one WriteBatch without holding mu_, so later appenders queue up meanwhile and form the
// next group. Then it publishes the offsets (or the error) to every member, wakes them and
// hands leadership to the new front. Only one group is written at a time, which is what
// keeps offsets gap-free and the records of one call contiguous.
absl::StatusOr<std::vector<int64_t>> EmbeddedEventLogImpl::Append(const TopicPartition& tp,
                                                                  std::vector<Record> records) {
  absl::StatusOr<std::vector<int64_t>> offsets = AppendDeferred(tp, std::move(records));
  if (!offsets.ok() || offsets->empty()) return offsets;
  if (absl::Status s = AwaitDurable(tp, offsets->back() + 1); !s.ok()) return s;
  return offsets;
}

absl::StatusOr<std::vector<int64_t>> EmbeddedEventLogImpl::AppendDeferred(
    const TopicPartition& tp, std::vector<Record> records) {
  std::unique_lock lock(mu_);
  absl::StatusOr<PartitionState*> partition = FindPartitionLocked(tp);
  if (!partition.ok()) return partition.status();
  if (records.empty()) return std::vector<int64_t>();
  ++stats_.append_calls;

  AppendRequest self;
  self.partition = *partition;
  self.records = &records;
  queue_.push_back(&self);
  queued_records_ += records.size();
  joined_cv_.notify_one();
  self.cv.wait(lock, [&] { return self.done || queue_.front() == &self; });

  if (!self.done) {
    // Leader.
    const size_t max_records = std::max<size_t>(options_.max_group_records, 1);
    if (options_.group_commit_window > absl::ZeroDuration() && queued_records_ < max_records) {
      joined_cv_.wait_until(lock, DeadlineAfter(options_.group_commit_window),
                            [&] { return queued_records_ >= max_records; });
    }
    std::vector<AppendRequest*> group;
    size_t group_records = 0;
    for (AppendRequest* r : queue_) {
      if (!group.empty() && group_records + r->records->size() > max_records) break;
      group.push_back(r);
      group_records += r->records->size();
    }
    // Offsets follow queue order; `next` collects each touched partition's new end.
    std::vector<std::pair<PartitionState*, int64_t>> next;
    for (AppendRequest* r : group) {
      auto it = std::find_if(next.begin(), next.end(),
                             [&](const auto& n) { return n.first == r->partition; });
      if (it == next.end()) it = next.insert(next.end(), {r->partition, r->partition->next_offset});
      r->first_offset = it->second;
      it->second += static_cast<int64_t>(r->records->size());
    }
    const int64_t timestamp_ms = std::max(absl::ToUnixMillis(absl::Now()), last_timestamp_ms_);
    absl::Status status = std::exchange(injected_write_error_, absl::OkStatus());

    lock.unlock();
    if (status.ok()) status = WriteGroup(group, timestamp_ms);
    lock.lock();

    if (status.ok()) {
      for (const auto& [p, end] : next) {
        p->next_offset = end;
        if (!options_.sync) p->durable_offset = end;
      }
      last_timestamp_ms_ = timestamp_ms;
      ++stats_.group_writes;
      stats_.records_appended += static_cast<int64_t>(group_records);
    } else {
      ++stats_.failed_group_writes;
      SAMRAD_LOG_WARN("event log: group write of {} append(s), {} record(s) failed: {}",
                      group.size(), group_records, status.ToString());
    }
    for (AppendRequest* r : group) {
      queue_.pop_front();
      queued_records_ -= r->records->size();
      r->status = status;
      r->done = true;
      // Notified under mu_, so the member cannot return (and destroy its cv) before this.
      if (r != &self) r->cv.notify_one();
    }
    if (!queue_.empty()) queue_.front()->cv.notify_one();
    if (status.ok() && !options_.sync) appended_cv_.notify_all();
  }

  if (!self.status.ok()) return self.status;
  std::vector<int64_t> offsets(records.size());
  for (size_t i = 0; i < offsets.size(); ++i) {
    offsets[i] = self.first_offset + static_cast<int64_t>(i);
  }
  return offsets;
}

absl::Status EmbeddedEventLogImpl::WriteGroup(const std::vector<AppendRequest*>& group,
                                              int64_t timestamp_ms) {
  // Reserve the batch once (an upper bound of the keys and encoded values) instead of
  // letting it grow by doubling, and build every key in one reused string.
  size_t bytes = 0;
  for (const AppendRequest* r : group) {
    for (const Record& record : *r->records) {
      bytes += r->partition->key_prefix.size() + record.key.size() + record.value.size() + 64;
      for (const Header& h : record.headers) bytes += h.key.size() + h.value.size() + 4;
    }
  }
  rocksdb::WriteBatch batch(bytes);
  std::string key;
  std::string value;
  for (const AppendRequest* r : group) {
    int64_t offset = r->first_offset;
    for (const Record& record : *r->records) {
      EncodeRecordValue(record, timestamp_ms, value);
      key.assign(r->partition->key_prefix);
      PutBigEndian(key, static_cast<uint64_t>(offset++), 8);
      rocksdb::Status s = batch.Put(key, value);
      if (!s.ok()) return FromRocks(s, "building the write batch");
    }
  }
  // Never synced here: AwaitDurable syncs once for every group written before it.
  return FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "writing a group of appends");
}

// Group commit of durability: the first waiter that finds no sync running syncs the WAL for
// everything written so far (the partitions' next offsets when it starts); waiters that
// arrive meanwhile wait for it and, if their records were written after it started, for the
// next one, which one of them leads.
absl::Status EmbeddedEventLogImpl::AwaitDurable(const TopicPartition& tp, int64_t end_offset) {
  std::unique_lock lock(mu_);
  absl::StatusOr<PartitionState*> found = FindPartitionLocked(tp);
  if (!found.ok()) return found.status();
  PartitionState* partition = *found;
  const int64_t end = std::min(end_offset, partition->next_offset);
  while (partition->durable_offset < end) {
    if (syncing_) {
      synced_cv_.wait(lock);
      continue;
    }
    syncing_ = true;
    std::vector<std::pair<PartitionState*, int64_t>> written;
    for (auto& [name, topic] : topics_) {
      for (auto& p : topic.partitions) {
        if (p->next_offset > p->durable_offset) written.emplace_back(p.get(), p->next_offset);
      }
    }
    lock.unlock();
    const rocksdb::Status s = db_->SyncWAL();
    lock.lock();
    syncing_ = false;
    if (s.ok()) {
      for (const auto& [p, synced] : written)
        p->durable_offset = std::max(p->durable_offset, synced);
      ++stats_.syncs;
      appended_cv_.notify_all();
    }
    synced_cv_.notify_all();
    if (!s.ok()) {
      SAMRAD_LOG_WARN("event log: syncing the WAL failed: {}", s.ToString());
      return FromRocks(s, "syncing the write-ahead log");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Entry>> EmbeddedEventLogImpl::Read(const TopicPartition& tp,
                                                              int64_t from_offset,
                                                              size_t max_records,
                                                              absl::Duration wait) {
  if (from_offset < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("event log: negative offset ", from_offset, " for ", tp.ToString()));
  }
  PartitionState* partition;
  int64_t end;
  {
    std::unique_lock lock(mu_);
    absl::StatusOr<PartitionState*> found = FindPartitionLocked(tp);
    if (!found.ok()) return found.status();
    partition = *found;
    if (from_offset > partition->next_offset) {
      return absl::OutOfRangeError(absl::StrCat("event log: offset ", from_offset,
                                                " is beyond the end of ", tp.ToString(), " (",
                                                partition->next_offset, ")"));
    }
    if (max_records == 0) return std::vector<Entry>();
    if (from_offset >= partition->durable_offset && wait > absl::ZeroDuration()) {
      appended_cv_.wait_until(lock, DeadlineAfter(wait),
                              [&] { return partition->durable_offset > from_offset; });
    }
    end = partition->durable_offset;
  }
  if (from_offset >= end) return std::vector<Entry>();
  const int64_t room = std::numeric_limits<int64_t>::max() - from_offset;
  const int64_t count = std::min<int64_t>(end - from_offset, std::min<uint64_t>(max_records, room));
  return Scan(*partition, from_offset, from_offset + count);
}

absl::StatusOr<std::vector<Entry>> EmbeddedEventLogImpl::Scan(const PartitionState& partition,
                                                              int64_t from, int64_t limit) {
  // Offsets below the high watermark read under mu_ are written and immutable, so the scan
  // needs no lock; the upper bound keeps RocksDB from looking past them.
  const std::string start = RecordKey(partition.key_prefix, from);
  const std::string upper = RecordKey(partition.key_prefix, limit);
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));

  std::vector<Entry> entries;
  entries.reserve(static_cast<size_t>(limit - from));
  int64_t expected = from;
  for (it->Seek(start); it->Valid(); it->Next()) {
    rocksdb::Slice key = it->key();
    const bool ours =
        key.size() == partition.key_prefix.size() + 8 && key.starts_with(partition.key_prefix);
    key.remove_prefix(std::min(key.size(), partition.key_prefix.size()));
    if (!ours || static_cast<int64_t>(GetBigEndian(key.ToStringView())) != expected) {
      return absl::DataLossError(absl::StrCat("event log: record ", partition.tp.ToString(), "@",
                                              expected, " is missing"));
    }
    Entry& entry = entries.emplace_back();
    entry.offset = expected;
    if (!DecodeRecordValue(it->value().ToStringView(), entry)) {
      return absl::DataLossError(absl::StrCat("event log: record ", partition.tp.ToString(), "@",
                                              expected, " is malformed"));
    }
    ++expected;
  }
  if (!it->status().ok()) {
    return FromRocks(it->status(), absl::StrCat("reading ", partition.tp.ToString()));
  }
  if (expected != limit) {
    return absl::DataLossError(
        absl::StrCat("event log: record ", partition.tp.ToString(), "@", expected, " is missing"));
  }
  return entries;
}

absl::StatusOr<int64_t> EmbeddedEventLogImpl::HighWatermark(const TopicPartition& tp) {
  std::lock_guard lock(mu_);
  absl::StatusOr<PartitionState*> partition = FindPartitionLocked(tp);
  if (!partition.ok()) return partition.status();
  return (*partition)->durable_offset;
}

absl::StatusOr<std::unique_ptr<Subscription>> EmbeddedEventLogImpl::Subscribe(
    const TopicPartition& tp, int64_t from_offset, Handler handler, SubscribeOptions options) {
  if (from_offset < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("event log: negative offset ", from_offset, " for ", tp.ToString()));
  }
  if (!handler) return absl::InvalidArgumentError("event log: Subscribe needs a handler");
  {
    std::lock_guard lock(mu_);
    absl::StatusOr<PartitionState*> partition = FindPartitionLocked(tp);
    if (!partition.ok()) return partition.status();
    if (from_offset > (*partition)->next_offset) {
      return absl::OutOfRangeError(absl::StrCat("event log: offset ", from_offset,
                                                " is beyond the end of ", tp.ToString(), " (",
                                                (*partition)->next_offset, ")"));
    }
  }
  return std::make_unique<PollingSubscription>(this, tp, from_offset, std::move(handler), options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<EmbeddedEventLog>> EmbeddedEventLog::Open(
    const EmbeddedEventLogOptions& options) {
  if (options.path.empty()) return absl::InvalidArgumentError("event log: empty path");
  if (options.max_group_records == 0) {
    return absl::InvalidArgumentError("event log: max_group_records must be at least 1");
  }
  if (options.group_commit_window < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("event log: negative group_commit_window");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("event log: cannot create ", options.path, ": ", ec.message()));
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(MakeRocksOptions(), options.path, &raw);
  std::unique_ptr<rocksdb::DB> db(raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening ", options.path));
  auto log = std::make_unique<EmbeddedEventLogImpl>(options, std::move(db));
  if (absl::Status loaded = log->Load(); !loaded.ok()) return loaded;
  return log;
}

}  // namespace samrad::eventlog
