#ifndef SAMRAD_LIBS_EVENTLOG_EMBEDDED_EVENT_LOG_H_
#define SAMRAD_LIBS_EVENTLOG_EMBEDDED_EVENT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventlog/event_log.h"

namespace samrad::eventlog {

struct EmbeddedEventLogOptions {
  // Directory of the log's RocksDB database; created if missing.
  std::string path;
  // fsync the write-ahead log before Append returns. Default on: an acknowledged event
  // survives a power loss. Off: it survives a process crash, not an OS crash.
  bool sync = true;
  // Group commit: one leader writes the records of every Append waiting at that moment in
  // one WriteBatch, up to this many records. (The fsync is shared separately: see
  // AwaitDurable below.)
  size_t max_group_records = 8192;
  // How long a leader waits for more appenders to join its group before writing. Zero (the
  // default) writes at once; a small window makes fewer, larger WriteBatches under load at
  // the cost of latency.
  absl::Duration group_commit_window = absl::ZeroDuration();
};

// Counters of one EmbeddedEventLog since it was opened.
struct EmbeddedEventLogStats {
  // Append calls that reached the write path (validated, with at least one record).
  int64_t append_calls = 0;
  // Records written by successful group writes.
  int64_t records_appended = 0;
  // Successful group writes: one RocksDB WriteBatch each, not synced (see `syncs`). With
  // concurrent appenders this is smaller than `append_calls`.
  int64_t group_writes = 0;
  // Group writes that failed; every Append of such a group returned the error.
  int64_t failed_group_writes = 0;
  // Successful WAL syncs (with `sync`): each made every record written before it durable,
  // for all the appends waiting at that moment.
  int64_t syncs = 0;
};

// An EventLog in one local RocksDB database: the default of `samradd` on one machine.
// Durable across restarts, ordered per partition, replayable from any offset.
//
// Beyond the EventLog contract:
// - Topics exist only through EnsureTopic; their partition count is stored durably and is
//   never changed afterwards. Topic names follow Kafka's rules: 1 to 249 characters of
//   [a-zA-Z0-9._-], not "." or "..". Partition counts are 1 to 10000.
// - Errors: an unknown topic, or a partition outside [0, partition count) of a known topic,
//   is NOT_FOUND on Append, Read, HighWatermark and Subscribe; a negative partition, a
//   negative offset, or an invalid name or count for EnsureTopic is INVALID_ARGUMENT.
// - Read or Subscribe from an offset above the high watermark is OUT_OF_RANGE: a consumer
//   ahead of the log means the log was replaced, which must not be waited out silently. Read
//   from exactly the high watermark waits up to `wait` and may return nothing. Read with
//   max_records == 0 returns nothing at once. Append with no records returns no offsets and
//   writes nothing.
// - A failed write fails every Append of its group and assigns no offsets; the next
//   successful write reuses them, so offsets stay gap-free.
// - Records of one Append are contiguous in their partition even under concurrent Appends.
// - Entry timestamps are the time of the group write, never decreasing across the whole log
//   (also across restarts), even if the wall clock steps back.
// - Durability: with `sync`, Append returns after the WAL is fsynced. Without it, after
//   the write reached the OS (RocksDB's manual_wal_flush stays off), and the WAL is synced
//   once more when the log is destroyed.
// - Two steps, as a group commit across writers: a group write puts the records in the WAL
//   without a sync, and then one waiter syncs the WAL (SyncWAL) for every record written so
//   far while the others wait for that sync instead of starting their own. Append is
//   AppendDeferred followed by AwaitDurable. With `sync`, Read, Subscribe and HighWatermark
//   see a record only after its sync; without it, as soon as it is written.
// - Thread-safety: every method may be called concurrently. Destroy every Subscription and
//   return from every call before destroying the log.
class EmbeddedEventLog : public EventLog {
 public:
  static absl::StatusOr<std::unique_ptr<EmbeddedEventLog>> Open(
      const EmbeddedEventLogOptions& options);

  // A consistent snapshot of the counters, for tests and metrics.
  virtual EmbeddedEventLogStats stats() const = 0;

  // Makes the next group write fail with `status` (not OK) instead of writing, as a failed
  // RocksDB write would. For tests of the error path only.
  virtual void FailNextWriteForTesting(absl::Status status) = 0;
};

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_EMBEDDED_EVENT_LOG_H_
