#ifndef SAMRAD_LIBS_EVENTLOG_KAFKA_EVENT_LOG_H_
#define SAMRAD_LIBS_EVENTLOG_KAFKA_EVENT_LOG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventlog/event_log.h"

namespace samrad::eventlog {

struct KafkaEventLogOptions {
  // bootstrap.servers, e.g. "kafka-0:9092,kafka-1:9092".
  std::string brokers;
  // client.id, shown in broker logs and quotas.
  std::string client_id = "samrad";
  // Replication factor for topics created by EnsureTopic; -1 takes the broker's default.
  int16_t replication_factor = -1;
  // Upper bound for one Append (message.timeout.ms is derived from it).
  absl::Duration append_timeout = absl::Seconds(30);
  // Extra librdkafka properties, applied last (e.g. security.protocol, sasl.*).
  std::map<std::string, std::string> extra_config;
};

// Counters of one KafkaEventLog since it was opened.
struct KafkaEventLogStats {
  // Producers replaced after a fatal error.
  int64_t producer_recreations = 0;
  // Consumers created: one per cached Read partition and one per Subscribe.
  int64_t consumers_created = 0;
  // rd_kafka_assign calls: a consumer's first Read and every Read (or redelivery of a
  // subscription) at an offset other than where the consumer stands.
  int64_t consumer_assignments = 0;
};

// An EventLog on Kafka through librdkafka. Idempotent producer with acks=all; consumers use
// assign() with offsets given by the caller, never consumer-group offsets.
//
// Delivery semantics (beyond the EventLog contract):
// - Append returns once every record of the call has its delivery report: acknowledged by
//   all in-sync replicas (acks=all), or failed. It returns the offsets from the reports, in
//   the call's order, or an error naming the topic/partition and the first failure
//   (timeouts DEADLINE_EXCEEDED, broker unavailability UNAVAILABLE, ... see
//   rdkafka_support.h). After an error some of the call's records may have been written
//   (a timed-out or purged record may still have reached the broker): a retry is
//   at-least-once and may duplicate them, which is why writers deduplicate by request id.
// - Order: the producer is idempotent (enable.idempotence, max.in.flight <= 5), so
//   librdkafka's internal retries neither reorder nor duplicate records of a partition; the
//   records of one call keep their order. Concurrent calls are enqueued one call at a time,
//   so a call's records are contiguous in practice, but that is not guaranteed: after an
//   error the next call's records may follow a partially written one.
// - One Append waits at most `append_timeout` (message.timeout.ms) for its reports;
//   a dedicated poller thread serves the delivery reports of every call.
// - A fatal idempotence error (e.g. OUT_OF_ORDER_SEQUENCE_NUMBER: the broker lost
//   acknowledged records) is logged, every in-flight call fails with UNAVAILABLE, and the
//   producer is recreated (new producer id); later Appends work again. The log itself may
//   then lack records that an earlier Append reported as written: that is the broker's data
//   loss, which the hash chain of every partition detects.
// - Read assigns one cached consumer per topic-partition at the requested offset and keeps
//   its position, so sequential Reads continue without re-assigning; a Read at another
//   offset re-assigns. Concurrent Reads of one partition are served one after another.
//   Subscribe has a consumer and a thread of its own, and re-assigns only after a handler
//   error (redelivering the same entries).
// - Errors: a negative partition or offset, or a bad topic name, is INVALID_ARGUMENT; a
//   topic the cluster does not have, or a partition beyond its partition count, is
//   NOT_FOUND on Append, Read, HighWatermark and Subscribe (checked against metadata of all
//   topics, cached per topic, so no call auto-creates a topic); Read from above the high
//   watermark, or from below the log start (records deleted by retention), is OUT_OF_RANGE;
//   Read at exactly the high watermark waits up to `wait`. Entry timestamps are the
//   producer's create time.
// - EnsureTopic uses the Admin API (CreateTopics, TOPIC_ALREADY_EXISTS accepted) and waits
//   until the topic's metadata is visible. A broker without CreateTopics (librdkafka 2.0.2's
//   mock cluster) gets the topic auto-created by a metadata request instead, with the
//   broker's default partition count (4 on the mock); fewer partitions than asked for is
//   FAILED_PRECONDITION then (precreate such topics, e.g. samrad-kafka-dev --topics).
// - Consumers need a group.id for assign() in librdkafka; it is "<client_id>.assign" and
//   never joins a group or commits (override it through extra_config if ACLs demand).
// - librdkafka's log output goes to SAMRAD_LOG_*.
// - Thread-safety: every method may be called concurrently. Destroy every Subscription and
//   return from every call before destroying the log.
class KafkaEventLog : public EventLog {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaEventLog>> Open(const KafkaEventLogOptions& options);

  // A snapshot of the counters, for tests and metrics.
  virtual KafkaEventLogStats stats() const = 0;
};

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_KAFKA_EVENT_LOG_H_
