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

// An EventLog on Kafka through librdkafka. Idempotent producer with acks=all; consumers use
// assign() with offsets given by the caller, never consumer-group offsets.
class KafkaEventLog : public EventLog {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaEventLog>> Open(const KafkaEventLogOptions& options);
};

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_KAFKA_EVENT_LOG_H_
