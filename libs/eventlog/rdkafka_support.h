#ifndef SAMRAD_LIBS_EVENTLOG_RDKAFKA_SUPPORT_H_
#define SAMRAD_LIBS_EVENTLOG_RDKAFKA_SUPPORT_H_

// Small pieces shared by everything in Samråd that talks to librdkafka directly
// (KafkaEventLog, MockKafkaCluster): owning pointers for its handles, the log and error
// callbacks that route its output to SAMRAD_LOG_*, and the mapping of its error codes to
// absl::Status.

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace samrad::eventlog::rdkafka {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
struct TopicDeleter {
  void operator()(rd_kafka_topic_t* rkt) const { rd_kafka_topic_destroy(rkt); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* rkqu) const { rd_kafka_queue_destroy(rkqu); }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* msg) const { rd_kafka_message_destroy(msg); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* ev) const { rd_kafka_event_destroy(ev); }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* md) const { rd_kafka_metadata_destroy(md); }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct HeadersDeleter {
  void operator()(rd_kafka_headers_t* headers) const { rd_kafka_headers_destroy(headers); }
};

using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, HeadersDeleter>;

// rd_kafka_conf_set_log_cb callback: librdkafka's syslog levels become SAMRAD_LOG_ERROR
// (0-3), WARN (4), INFO (5-6) and DEBUG (7). The warnings librdkafka gives when a property
// meant for the other client type is set (KafkaEventLogOptions::extra_config is applied to
// every handle) are demoted to DEBUG.
void LogCallback(const rd_kafka_t* rk, int level, const char* facility, const char* message);

// rd_kafka_conf_set_error_cb callback that only logs (WARN; DEBUG for transport failures,
// which librdkafka has logged already). Non-fatal errors are informational: librdkafka
// retries by itself.
void LogErrorCallback(rd_kafka_t* rk, int err, const char* reason, void* opaque);

// librdkafka configuration properties, applied in order (a later one overrides).
using Properties = std::vector<std::pair<std::string, std::string>>;

// A configuration with `properties` set in order and LogCallback installed. A property
// librdkafka rejects is INVALID_ARGUMENT naming it.
absl::StatusOr<ConfPtr> MakeConf(const Properties& properties);

// rd_kafka_new that takes `conf` only when it succeeds (librdkafka leaves a rejected
// configuration with the caller). Failure is INVALID_ARGUMENT with librdkafka's reason.
absl::StatusOr<KafkaPtr> NewHandle(rd_kafka_type_t type, ConfPtr conf);

// The absl status code for a librdkafka error (local `_*` codes and broker codes):
// - timeouts → DEADLINE_EXCEEDED;
// - broker or network unavailability, leadership changes, not enough replicas, purged
//   messages and fatal producer errors (the producer is recreated) → UNAVAILABLE;
// - unknown topic or partition → NOT_FOUND; offset out of range → OUT_OF_RANGE;
// - oversized or invalid records and requests → INVALID_ARGUMENT;
// - authorisation → PERMISSION_DENIED; authentication → UNAUTHENTICATED;
// - a full local queue → RESOURCE_EXHAUSTED; unsupported by the broker → UNIMPLEMENTED;
// - a destroyed handle → CANCELLED; everything else → UNKNOWN.
absl::StatusCode ErrorCode(rd_kafka_resp_err_t err);

// A status with ErrorCode(err) and the message "<context>: <ERROR_NAME>: <description>".
absl::Status ErrorStatus(rd_kafka_resp_err_t err, absl::string_view context);

}  // namespace samrad::eventlog::rdkafka

#endif  // SAMRAD_LIBS_EVENTLOG_RDKAFKA_SUPPORT_H_
