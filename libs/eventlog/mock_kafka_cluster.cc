#include "libs/eventlog/mock_kafka_cluster.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/common/log.h"

namespace samrad::eventlog {

absl::StatusOr<std::unique_ptr<MockKafkaCluster>> MockKafkaCluster::Start(int broker_count) {
  if (broker_count < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("mock kafka: needs at least 1 broker, not ", broker_count));
  }
  // A plain handle to host the cluster: no bootstrap servers, never used as a client.
  absl::StatusOr<rdkafka::ConfPtr> conf = rdkafka::MakeConf(
      // Quiet: without bootstrap.servers librdkafka would note that it cannot connect.
      {{"client.id", "samrad-mock-host"}, {"log_level", "4"}});
  if (!conf.ok()) return conf.status();
  absl::StatusOr<rdkafka::KafkaPtr> host = rdkafka::NewHandle(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!host.ok()) return host.status();
  std::unique_ptr<rd_kafka_mock_cluster_t, ClusterDeleter> cluster(
      rd_kafka_mock_cluster_new(host->get(), broker_count));
  if (cluster == nullptr) {
    return absl::InternalError(
        absl::StrCat("mock kafka: cannot start a cluster of ", broker_count, " brokers"));
  }
  return std::unique_ptr<MockKafkaCluster>(
      new MockKafkaCluster(std::move(*host), std::move(cluster), broker_count));
}

MockKafkaCluster::MockKafkaCluster(rdkafka::KafkaPtr host,
                                   std::unique_ptr<rd_kafka_mock_cluster_t, ClusterDeleter> cluster,
                                   int broker_count)
    : host_(std::move(host)),
      cluster_(std::move(cluster)),
      broker_count_(broker_count),
      bootstrap_servers_(rd_kafka_mock_cluster_bootstraps(cluster_.get())) {
  SAMRAD_LOG_INFO("mock kafka: {} brokers at {}", broker_count_, bootstrap_servers_);
}

absl::Status MockKafkaCluster::CheckBroker(int32_t broker_id) const {
  if (broker_id < 1 || broker_id > broker_count_) {
    return absl::InvalidArgumentError(
        absl::StrCat("mock kafka: no broker ", broker_id, " (ids are 1..", broker_count_, ")"));
  }
  return absl::OkStatus();
}

absl::Status MockKafkaCluster::SetBrokerDown(int32_t broker_id) {
  if (absl::Status s = CheckBroker(broker_id); !s.ok()) return s;
  return rdkafka::ErrorStatus(rd_kafka_mock_broker_set_down(cluster_.get(), broker_id),
                              absl::StrCat("mock kafka: set broker ", broker_id, " down"));
}

absl::Status MockKafkaCluster::SetBrokerUp(int32_t broker_id) {
  if (absl::Status s = CheckBroker(broker_id); !s.ok()) return s;
  return rdkafka::ErrorStatus(rd_kafka_mock_broker_set_up(cluster_.get(), broker_id),
                              absl::StrCat("mock kafka: set broker ", broker_id, " up"));
}

absl::Status MockKafkaCluster::SetBrokerRtt(int32_t broker_id, absl::Duration rtt) {
  if (absl::Status s = CheckBroker(broker_id); !s.ok()) return s;
  if (rtt < absl::ZeroDuration() || rtt > absl::Hours(1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("mock kafka: round-trip time ", absl::FormatDuration(rtt)));
  }
  return rdkafka::ErrorStatus(
      rd_kafka_mock_broker_set_rtt(cluster_.get(), broker_id,
                                   static_cast<int>(absl::ToInt64Milliseconds(rtt))),
      absl::StrCat("mock kafka: set the round-trip time of broker ", broker_id));
}

absl::Status MockKafkaCluster::CreateTopic(const std::string& topic, int32_t partitions,
                                           int32_t replication_factor) {
  if (topic.empty() || partitions < 1 || replication_factor < 1 ||
      replication_factor > broker_count_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mock kafka: topic '", topic, "' with ", partitions, " partitions and replication factor ",
        replication_factor, " on ", broker_count_, " brokers"));
  }
  return rdkafka::ErrorStatus(
      rd_kafka_mock_topic_create(cluster_.get(), topic.c_str(), partitions, replication_factor),
      absl::StrCat("mock kafka: create topic '", topic, "'"));
}

absl::Status MockKafkaCluster::SetPartitionLeader(const std::string& topic, int32_t partition,
                                                  int32_t broker_id) {
  if (broker_id != -1) {
    if (absl::Status s = CheckBroker(broker_id); !s.ok()) return s;
  }
  return rdkafka::ErrorStatus(
      rd_kafka_mock_partition_set_leader(cluster_.get(), topic.c_str(), partition, broker_id),
      absl::StrCat("mock kafka: set the leader of ", topic, "/", partition, " to ", broker_id));
}

void MockKafkaCluster::PushRequestErrors(int16_t api_key,
                                         const std::vector<rd_kafka_resp_err_t>& errors) {
  rd_kafka_mock_push_request_errors_array(cluster_.get(), api_key, errors.size(), errors.data());
}

}  // namespace samrad::eventlog
