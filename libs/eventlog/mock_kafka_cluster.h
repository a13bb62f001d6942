#ifndef SAMRAD_LIBS_EVENTLOG_MOCK_KAFKA_CLUSTER_H_
#define SAMRAD_LIBS_EVENTLOG_MOCK_KAFKA_CLUSTER_H_

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventlog/rdkafka_support.h"

namespace samrad::eventlog {

// librdkafka's mock Kafka cluster, owned: brokers that speak the Kafka protocol on
// 127.0.0.1 (ephemeral ports) inside this process, for tests and samrad-kafka-dev.
//
// FOR DEVELOPMENT ONLY. What librdkafka 2.0.2's mock does and does not do:
// - It keeps the log in memory only, about 5 MiB or 100k batches per partition (older
//   records are dropped), and has no real transactions.
// - Broker ids are 1..broker_count(). Each partition has one log shared by its replicas, so
//   moving leadership (SetPartitionLeader) loses nothing.
// - A broker set down closes its connections and refuses new ones; its partitions stay led
//   by it (no election) until it is up again or leadership is moved.
// - Producer sequence numbers are checked only for transactional producers. An idempotent
//   producer's retry of a request that was appended but whose response was lost (a
//   connection dropped in between) is written again, where a real broker acknowledges it
//   without writing. Faults that drop connections mid-request can thus duplicate records
//   on the mock only.
// - No CreateTopics (the Admin API answers UNSUPPORTED_FEATURE) and a bogus controller id;
//   every metadata request naming an unknown topic creates it with 4 partitions. Use
//   CreateTopic for other partition counts.
// - The first consumer-group join waits 3 s; assign() is immediate. Fetches at the end of
//   a partition are answered after the consumer's full fetch.wait.max.ms.
//
// Thread-safe: librdkafka serialises the control calls on the cluster's own thread.
class MockKafkaCluster {
 public:
  // Starts `broker_count` (>= 1) brokers.
  static absl::StatusOr<std::unique_ptr<MockKafkaCluster>> Start(int broker_count);

  // Stops the brokers; clients still connected see them disappear.
  ~MockKafkaCluster() = default;

  MockKafkaCluster(const MockKafkaCluster&) = delete;
  MockKafkaCluster& operator=(const MockKafkaCluster&) = delete;

  // bootstrap.servers for clients, e.g. "127.0.0.1:39123,127.0.0.1:41231".
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }
  int broker_count() const { return broker_count_; }

  // Takes broker `broker_id` (1..broker_count) down, or brings it back up.
  absl::Status SetBrokerDown(int32_t broker_id);
  absl::Status SetBrokerUp(int32_t broker_id);

  // Delays every response of broker `broker_id` by `rtt` (after the request took effect: a
  // produce is in the log before its acknowledgement leaves). Zero turns it off.
  absl::Status SetBrokerRtt(int32_t broker_id, absl::Duration rtt);

  // Creates `topic` with `partitions` partitions, each replicated to `replication_factor`
  // brokers (1..broker_count). ALREADY_EXISTS if it exists.
  absl::Status CreateTopic(const std::string& topic, int32_t partitions,
                           int32_t replication_factor);

  // Makes `broker_id` the leader of the partition (-1: no leader, LEADER_NOT_AVAILABLE).
  absl::Status SetPartitionLeader(const std::string& topic, int32_t partition, int32_t broker_id);

  // The next requests of type `api_key` (0 = Produce, 1 = Fetch, 3 = Metadata, ...) fail,
  // one each, with `errors` in order, on whichever broker gets them.
  void PushRequestErrors(int16_t api_key, const std::vector<rd_kafka_resp_err_t>& errors);

  // The underlying cluster, for rdkafka_mock.h calls not wrapped here.
  rd_kafka_mock_cluster_t* raw() const { return cluster_.get(); }

 private:
  struct ClusterDeleter {
    void operator()(rd_kafka_mock_cluster_t* cluster) const {
      rd_kafka_mock_cluster_destroy(cluster);
    }
  };

  MockKafkaCluster(rdkafka::KafkaPtr host,
                   std::unique_ptr<rd_kafka_mock_cluster_t, ClusterDeleter> cluster,
                   int broker_count);

  absl::Status CheckBroker(int32_t broker_id) const;

  // The plain handle the cluster lives on, and the cluster: declared in this order so that
  // the cluster is destroyed first.
  const rdkafka::KafkaPtr host_;
  const std::unique_ptr<rd_kafka_mock_cluster_t, ClusterDeleter> cluster_;
  const int broker_count_;
  const std::string bootstrap_servers_;
};

}  // namespace samrad::eventlog

#endif  // SAMRAD_LIBS_EVENTLOG_MOCK_KAFKA_CLUSTER_H_
