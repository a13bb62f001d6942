#ifndef SAMRAD_LIBS_EVENTLOG_EMBEDDED_EVENT_LOG_H_
#define SAMRAD_LIBS_EVENTLOG_EMBEDDED_EVENT_LOG_H_

#include <cstddef>
#include <memory>
#include <string>

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
  // one WriteBatch (and one fsync), up to this many records.
  size_t max_group_records = 8192;
  // How long a leader waits for more appenders to join its group before writing. Zero (the
  // default) writes at once; a small window raises synced throughput under load at the cost
  // of latency.
  absl::Duration group_commit_window = absl::ZeroDuration();
};

// An EventLog in one local RocksDB database: the default of `samradd` on one machine.
// Durable across restarts, ordered per partition, replayable from any offset.
class EmbeddedEventLog : public EventLog {
 public:
  static absl::StatusOr<std::unique_ptr<EmbeddedEventLog>> Open(
      const EmbeddedEventLogOptions& options);
};

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_EMBEDDED_EVENT_LOG_H_
