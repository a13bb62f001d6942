#ifndef SAMRAD_LIBS_EVENTLOG_EVENT_LOG_H_
#define SAMRAD_LIBS_EVENTLOG_EVENT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace samrad::eventlog {

// One header of a record, e.g. {"event-type", "samrad.registry.v1.TenantCreated"}.
struct Header {
  std::string key;
  std::string value;
  friend bool operator==(const Header&, const Header&) = default;
};

// What a writer appends.
struct Record {
  // The tenant id (municipality code): all of one tenant's events share a partition.
  std::string key;
  // One serialized `<Service>Event` envelope.
  std::string value;
  std::vector<Header> headers;
};

// What a reader gets back: the record and where it sits in the partition.
struct Entry {
  int64_t offset = 0;
  // Time the log accepted the record, milliseconds since the Unix epoch.
  int64_t timestamp_ms = 0;
  std::string key;
  std::string value;
  std::vector<Header> headers;
};

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;

  std::string ToString() const { return topic + "/" + std::to_string(partition); }
  friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
  friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
};

// Receives consecutive entries of one partition, in offset order. Returning an error makes
// the subscription wait (with backoff) and deliver the same entries again, so handlers must
// be idempotent per offset (projections are: see libs/projection).
using Handler = std::function<absl::Status(const std::vector<Entry>& entries)>;

// A running subscription. Delivery stops when it is destroyed; the destructor returns after
// the handler has returned for the last time.
class Subscription {
 public:
  virtual ~Subscription() = default;
  // Offset of the next entry the subscription will deliver.
  virtual int64_t position() const = 0;
};

struct SubscribeOptions {
  // At most this many entries per handler call.
  size_t max_batch = 512;
  // Backoff after a handler or read error; doubles up to max_backoff.
  absl::Duration initial_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(5);
};

// An ordered, durable, partitioned log of records: the one source of truth of Samråd.
//
// Semantics shared by every backend (tests/libs/eventlog/event_log_contract.h checks them):
// - Offsets in a partition start at 0 and grow by one per record; they are never reused.
// - Append returns only after every record of the call is durable: acknowledged by all
//   in-sync replicas (Kafka, acks=all) or written to the local store (embedded; fsynced when
//   `sync` is on). The records of one call keep their order. Concurrent calls may interleave
//   between calls but never inside one on the embedded backend.
// - On error, none of the records may be assumed written; a retry may duplicate records
//   that were in fact written, which is why writers deduplicate by request id.
// - Read and Subscribe return exactly the appended records, in order, from any offset.
// - Every method is thread-safe.
class EventLog {
 public:
  virtual ~EventLog() = default;

  // Creates the topic with `partitions` partitions if it does not exist. Existing topics are
  // left as they are (a smaller partition count is not an error).
  virtual absl::Status EnsureTopic(const std::string& topic, int32_t partitions) = 0;

  // Appends `records` to `tp` and returns their offsets, in order, once durable.
  virtual absl::StatusOr<std::vector<int64_t>> Append(const TopicPartition& tp,
                                                      std::vector<Record> records) = 0;

  // The two halves of Append, for a writer that applies its records before they are durable
  // and answers only after (CommandExecutor; docs/adr/0008-pipelined-durability.md):
  // - AppendDeferred fixes the records' order and offsets and returns them, possibly before
  //   the records are durable. Readers (Read, Subscribe, HighWatermark) see a record only
  //   once it is durable, so nothing downstream ever depends on a record that may vanish.
  // - AwaitDurable returns once every record of `tp` below `end_offset` that was appended is
  //   durable, or the error that keeps them from becoming durable (then they may or may not
  //   survive, as after a failed Append).
  // Many deferred appends share one sync (group commit across writers that each hold a
  // lock only until their offsets are known). Backends where an offset exists only once
  // the record is durable (Kafka: acks=all) keep these defaults: a durable Append and
  // nothing to wait for.
  virtual absl::StatusOr<std::vector<int64_t>> AppendDeferred(const TopicPartition& tp,
                                                              std::vector<Record> records) {
    return Append(tp, std::move(records));
  }
  virtual absl::Status AwaitDurable(const TopicPartition& tp, int64_t end_offset) {
    (void)tp;
    (void)end_offset;
    return absl::OkStatus();
  }

  // Returns up to `max_records` entries with offset >= `from_offset`. When none is available
  // yet, waits up to `wait` for one, then returns what it has (possibly nothing).
  virtual absl::StatusOr<std::vector<Entry>> Read(const TopicPartition& tp, int64_t from_offset,
                                                  size_t max_records, absl::Duration wait) = 0;

  // The end of what readers see: the offset after the last durable record (0 for an empty
  // partition). Equal to the offset the next Append gets when no deferred append is pending.
  virtual absl::StatusOr<int64_t> HighWatermark(const TopicPartition& tp) = 0;

  // Delivers every entry from `from_offset` on to `handler`, on a thread of its own, until
  // the returned subscription is destroyed.
  virtual absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(
      const TopicPartition& tp, int64_t from_offset, Handler handler,
      SubscribeOptions options = {}) = 0;

  // A short name of the mechanism, e.g. "embedded" or "kafka", for logs and metric labels.
  virtual std::string_view backend() const = 0;
};

// The partition of `key` among `partitions`, with Kafka's default (murmur2) partitioner, so
// that Samråd, the Java clients and kcat agree on where a tenant's events live.
int32_t PartitionForKey(std::string_view key, int32_t partitions);

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_EVENT_LOG_H_
