#include "libs/eventlog/kafka_event_log.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/common/log.h"
#include "libs/eventlog/polling_subscription.h"
#include "libs/eventlog/rdkafka_support.h"

namespace samrad::eventlog {
namespace {

using rdkafka::ConfPtr;
using rdkafka::ErrorStatus;
using rdkafka::EventPtr;
using rdkafka::HeadersPtr;
using rdkafka::KafkaPtr;
using rdkafka::MessagePtr;
using rdkafka::MetadataPtr;
using rdkafka::PartitionListPtr;
using rdkafka::Properties;
using rdkafka::QueuePtr;
using rdkafka::TopicPtr;
using SteadyTime = std::chrono::steady_clock::time_point;

// Upper bound for metadata, admin and watermark requests.
constexpr absl::Duration kRequestTimeout = absl::Seconds(10);
// How long Append waits beyond message.timeout.ms for delivery reports before giving up on
// them. librdkafka reports every message within message.timeout.ms, so this only bounds a
// call if a report is lost (e.g. a producer destroyed while recreating it).
constexpr absl::Duration kDeliveryGrace = absl::Seconds(5);
// The poller's rd_kafka_poll timeout: also how long stopping the poller may take.
constexpr absl::Duration kPollInterval = absl::Milliseconds(100);
// How long a failed producer may take to hand back the reports of its purged messages.
constexpr absl::Duration kPurgeTimeout = absl::Seconds(5);
// Broker-side long poll of a fetch. Real brokers answer as soon as data arrives, so this
// only sets how often an idle consumer asks; librdkafka's mock answers after the full wait,
// so it is also the mock's read latency at the end of a partition.
constexpr int kFetchWaitMaxMs = 100;
// Consumers kept for Read; the least recently used idle one is closed beyond this.
constexpr size_t kMaxCachedReaders = 64;

// Milliseconds for librdkafka timeouts: positive sub-millisecond durations round up to 1.
int TimeoutMs(absl::Duration d) {
  if (d <= absl::ZeroDuration()) return 0;
  const int64_t ms = absl::ToInt64Milliseconds(absl::Ceil(d, absl::Milliseconds(1)));
  return static_cast<int>(std::min<int64_t>(ms, std::numeric_limits<int>::max()));
}

SteadyTime SteadyDeadline(absl::Duration d) {
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             absl::ToChronoNanoseconds(std::max(d, absl::ZeroDuration())));
}

absl::Duration Remaining(SteadyTime deadline) {
  const auto left = deadline - std::chrono::steady_clock::now();
  return left.count() > 0 ? absl::FromChrono(left) : absl::ZeroDuration();
}

// Kafka's rules for topic names (the embedded backend applies the same).
absl::Status ValidateTopic(absl::string_view topic) {
  constexpr size_t kMaxTopicLength = 249;
  const bool chars_ok = std::all_of(topic.begin(), topic.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (topic.empty() || topic.size() > kMaxTopicLength || !chars_ok || topic == "." ||
      topic == "..") {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka: invalid topic name '", topic, "' (1 to 249 of [a-zA-Z0-9._-])"));
  }
  return absl::OkStatus();
}

absl::Status ValidateTopicPartition(const TopicPartition& tp) {
  if (absl::Status s = ValidateTopic(tp.topic); !s.ok()) return s;
  if (tp.partition < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka: negative partition ", tp.partition, " of topic ", tp.topic));
  }
  return absl::OkStatus();
}

Entry ToEntry(const rd_kafka_message_t& msg) {
  Entry entry;
  entry.offset = msg.offset;
  rd_kafka_timestamp_type_t type;
  const int64_t ts = rd_kafka_message_timestamp(&msg, &type);
  entry.timestamp_ms = ts >= 0 ? ts : 0;
  if (msg.key != nullptr) entry.key.assign(static_cast<const char*>(msg.key), msg.key_len);
  if (msg.payload != nullptr) entry.value.assign(static_cast<const char*>(msg.payload), msg.len);
  rd_kafka_headers_t* headers = nullptr;  // Owned by `msg`.
  if (rd_kafka_message_headers(&msg, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name;
    const void* value;
    size_t size;
    for (size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      entry.headers.push_back(
          {name, value != nullptr ? std::string(static_cast<const char*>(value), size) : ""});
    }
  }
  return entry;
}

// Metadata of every topic: a request for one named topic would make brokers with
// auto-creation (and librdkafka's mock, always) create it.
absl::StatusOr<MetadataPtr> AllTopicsMetadata(rd_kafka_t* rk) {
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, /*all_topics=*/1, /*only_rkt=*/nullptr, &md,
                                              TimeoutMs(kRequestTimeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return ErrorStatus(err, "kafka: cluster metadata");
  return MetadataPtr(md);
}

const rd_kafka_metadata_topic_t* FindTopic(const rd_kafka_metadata_t& md, std::string_view name) {
  for (int i = 0; i < md.topic_cnt; ++i) {
    if (name == md.topics[i].topic) return &md.topics[i];
  }
  return nullptr;
}

// The state of one Append call, shared with the delivery reports of its records.
class AppendCall {
 public:
  explicit AppendCall(size_t records)
      : offsets_(records, -1), errors_(records, RD_KAFKA_RESP_ERR_NO_ERROR), pending_(records) {}

  // Records the outcome of record `index` (a delivery report, or a failure to enqueue).
  void Complete(size_t index, rd_kafka_resp_err_t err, int64_t offset) {
    std::lock_guard lock(mu_);
    offsets_[index] = offset;
    errors_[index] = err;
    if (--pending_ == 0) done_.notify_all();
  }

  // Waits until every record has its outcome; false if `deadline` passed first.
  bool Wait(SteadyTime deadline) {
    std::unique_lock lock(mu_);
    return done_.wait_until(lock, deadline, [&] { return pending_ == 0; });
  }

  // The call's result once Wait returned true.
  absl::StatusOr<std::vector<int64_t>> Result(const TopicPartition& tp) {
    std::lock_guard lock(mu_);
    size_t failed = 0;
    size_t first = 0;
    for (size_t i = 0; i < errors_.size(); ++i) {
      if (errors_[i] != RD_KAFKA_RESP_ERR_NO_ERROR && failed++ == 0) first = i;
    }
    if (failed > 0) {
      return ErrorStatus(
          errors_[first],
          absl::StrCat("kafka: append to ", tp.ToString(), ": ", failed, " of ", errors_.size(),
                       " records not acknowledged, the first at index ", first,
                       " (a retry may duplicate records that were in fact written)"));
    }
    for (int64_t offset : offsets_) {
      if (offset < 0) {
        return absl::UnknownError(absl::StrCat(
            "kafka: append to ", tp.ToString(),
            ": the broker acknowledged the records without reporting their offsets (a retry "
            "would duplicate them)"));
      }
    }
    return offsets_;
  }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  std::vector<int64_t> offsets_;
  std::vector<rd_kafka_resp_err_t> errors_;
  size_t pending_;
};

// KafkaEventLogStats as the log counts them; readers count into their log's.
struct Counters {
  std::atomic<int64_t> producer_recreations{0};
  std::atomic<int64_t> consumers_created{0};
  std::atomic<int64_t> consumer_assignments{0};
};

// The msg_opaque of one produced record: which call and which of its records.
struct RecordToken {
  std::shared_ptr<AppendCall> call;
  size_t index;
};

// A producer and the handles of the topics it has produced to; replaced as a whole when the
// producer is recreated.
class Producer {
 public:
  explicit Producer(KafkaPtr rk) : rk_(std::move(rk)) {}

  rd_kafka_t* get() const { return rk_.get(); }

  // The handle of `topic`. On first use it also fetches the topic's metadata: librdkafka
  // 2.0.2 would otherwise learn a new topic's partitions only at its next 1-second scan, and
  // the first Append to each topic would wait for that.
  absl::StatusOr<rd_kafka_topic_t*> Topic(const std::string& topic) {
    std::lock_guard lock(mu_);
    if (auto it = topics_.find(topic); it != topics_.end()) return it->second.get();
    TopicPtr rkt(rd_kafka_topic_new(rk_.get(), topic.c_str(), nullptr));
    if (rkt == nullptr) {
      return ErrorStatus(rd_kafka_last_error(), absl::StrCat("kafka: topic handle of ", topic));
    }
    const rd_kafka_metadata_t* md = nullptr;
    const rd_kafka_resp_err_t err =
        rd_kafka_metadata(rk_.get(), 0, rkt.get(), &md, TimeoutMs(kRequestTimeout));
    if (md != nullptr) rd_kafka_metadata_destroy(md);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Not fatal: librdkafka keeps asking by itself.
      SAMRAD_LOG_WARN("kafka: metadata of topic {}: {}", topic, rd_kafka_err2str(err));
    }
    return topics_.emplace(topic, std::move(rkt)).first->second.get();
  }

 private:
  // Declared before the topics so that they are destroyed first.
  const KafkaPtr rk_;
  std::mutex mu_;
  std::map<std::string, TopicPtr> topics_;  // Guarded by mu_.
};

// One consumer assigned to one topic-partition. Read keeps the consumer's position, so
// consecutive Reads continue where the last one stopped; a Read from elsewhere re-assigns.
class PartitionReader {
 public:
  // `counters` must outlive the reader.
  static absl::StatusOr<std::unique_ptr<PartitionReader>> Create(const Properties& config,
                                                                 const TopicPartition& tp,
                                                                 Counters* counters) {
    absl::StatusOr<ConfPtr> conf = rdkafka::MakeConf(config);
    if (!conf.ok()) return conf.status();
    rd_kafka_conf_set_error_cb(conf->get(), &rdkafka::LogErrorCallback);
    absl::StatusOr<KafkaPtr> consumer = rdkafka::NewHandle(RD_KAFKA_CONSUMER, std::move(*conf));
    if (!consumer.ok()) return consumer.status();
    // Serve everything (errors, logs) from rd_kafka_consumer_poll.
    rd_kafka_resp_err_t err = rd_kafka_poll_set_consumer(consumer->get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return ErrorStatus(err, absl::StrCat("kafka: consumer for ", tp.ToString()));
    }
    counters->consumers_created.fetch_add(1, std::memory_order_relaxed);
    return std::unique_ptr<PartitionReader>(
        new PartitionReader(tp, std::move(*consumer), counters));
  }

  ~PartitionReader() {
    // No group membership and no commits: closing only stops the fetcher.
    rd_kafka_consumer_close(consumer_.get());
  }

  PartitionReader(const PartitionReader&) = delete;
  PartitionReader& operator=(const PartitionReader&) = delete;

  // Up to `max_records` entries from `from`: waits up to `wait` for the first, then takes
  // what is already fetched.
  absl::StatusOr<std::vector<Entry>> Read(int64_t from, size_t max_records, absl::Duration wait) {
    std::lock_guard lock(mu_);
    std::vector<Entry> entries;
    if (max_records == 0) return entries;
    if (from != next_offset_) {
      if (absl::Status s = AssignLocked(from); !s.ok()) return s;
    }
    const SteadyTime deadline = SteadyDeadline(wait);
    while (entries.size() < max_records) {
      // Wait only for the first entry; after it, take only what is ready.
      const int timeout_ms = entries.empty() ? TimeoutMs(Remaining(deadline)) : 0;
      MessagePtr msg(rd_kafka_consumer_poll(consumer_.get(), timeout_ms));
      if (msg == nullptr) {
        if (entries.empty() && Remaining(deadline) > absl::ZeroDuration()) continue;
        break;
      }
      if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        // Caught up with the high watermark: return what we have, or keep waiting.
        if (!entries.empty()) break;
        continue;
      }
      if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        // The fetcher may have stopped (e.g. offset out of range): start afresh next time.
        next_offset_ = -1;
        absl::Status status = ErrorStatus(
            msg->err, absl::StrCat("kafka: read of ", tp_.ToString(), " from offset ", from, " (",
                                   rd_kafka_message_errstr(msg.get()), ")"));
        if (!entries.empty()) {
          SAMRAD_LOG_WARN("{}; returning the {} entries read before it", status.ToString(),
                          entries.size());
          break;
        }
        return status;
      }
      // Messages of an earlier assignment are filtered by librdkafka; this is a safeguard.
      if (msg->offset < next_offset_) continue;
      entries.push_back(ToEntry(*msg));
      next_offset_ = msg->offset + 1;
    }
    return entries;
  }

 private:
  PartitionReader(TopicPartition tp, KafkaPtr consumer, Counters* counters)
      : tp_(std::move(tp)), consumer_(std::move(consumer)), counters_(counters) {}

  absl::Status AssignLocked(int64_t offset) {
    PartitionListPtr list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), tp_.topic.c_str(), tp_.partition)->offset =
        offset;
    // Assigning replaces the previous assignment and discards what it had prefetched.
    counters_->consumer_assignments.fetch_add(1, std::memory_order_relaxed);
    rd_kafka_resp_err_t err = rd_kafka_assign(consumer_.get(), list.get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      next_offset_ = -1;
      return ErrorStatus(err, absl::StrCat("kafka: assign ", tp_.ToString(), "@", offset));
    }
    next_offset_ = offset;
    return absl::OkStatus();
  }

  const TopicPartition tp_;
  std::mutex mu_;
  KafkaPtr consumer_;
  Counters* const counters_;
  // The offset the consumer delivers next; -1 when it must be (re-)assigned. Guarded by mu_.
  int64_t next_offset_ = -1;
};

class KafkaEventLogImpl final : public KafkaEventLog {
 public:
  KafkaEventLogImpl(KafkaEventLogOptions options, Properties producer_config,
                    Properties consumer_config, Properties admin_config)
      : options_(std::move(options)),
        producer_config_(std::move(producer_config)),
        consumer_config_(std::move(consumer_config)),
        admin_config_(std::move(admin_config)) {}

  ~KafkaEventLogImpl() override {
    stopping_.store(true, std::memory_order_release);
    if (producer_ != nullptr) rd_kafka_yield(producer_->get());
    if (poller_.joinable()) poller_.join();
    readers_.clear();
    if (producer_ != nullptr) {
      // Every Append has returned (the contract), so this only waits for stragglers.
      rd_kafka_flush(producer_->get(), TimeoutMs(kPurgeTimeout));
      producer_.reset();
    }
    admin_.reset();
  }

  // Creates the admin handle and the producer and starts the poller.
  absl::Status Init() {
    absl::StatusOr<ConfPtr> conf = rdkafka::MakeConf(admin_config_);
    if (!conf.ok()) return conf.status();
    rd_kafka_conf_set_error_cb(conf->get(), &rdkafka::LogErrorCallback);
    absl::StatusOr<KafkaPtr> admin = rdkafka::NewHandle(RD_KAFKA_PRODUCER, std::move(*conf));
    if (!admin.ok()) return admin.status();
    admin_ = std::move(*admin);
    // Validate the consumers' configuration now rather than at the first Read.
    if (absl::StatusOr<ConfPtr> c = rdkafka::MakeConf(consumer_config_); !c.ok()) {
      return c.status();
    }
    absl::StatusOr<KafkaPtr> producer = NewProducer();
    if (!producer.ok()) return producer.status();
    producer_ = std::make_unique<Producer>(std::move(*producer));
    poller_ = std::thread([this] { PollLoop(); });
    return absl::OkStatus();
  }

  absl::Status EnsureTopic(const std::string& topic, int32_t partitions) override;
  absl::StatusOr<std::vector<int64_t>> Append(const TopicPartition& tp,
                                              std::vector<Record> records) override;
  absl::StatusOr<std::vector<Entry>> Read(const TopicPartition& tp, int64_t from_offset,
                                          size_t max_records, absl::Duration wait) override;
  absl::StatusOr<int64_t> HighWatermark(const TopicPartition& tp) override;
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(const TopicPartition& tp,
                                                          int64_t from_offset, Handler handler,
                                                          SubscribeOptions options) override;
  std::string_view backend() const override { return "kafka"; }

  KafkaEventLogStats stats() const override {
    KafkaEventLogStats stats;
    stats.producer_recreations = counters_.producer_recreations.load(std::memory_order_relaxed);
    stats.consumers_created = counters_.consumers_created.load(std::memory_order_relaxed);
    stats.consumer_assignments = counters_.consumer_assignments.load(std::memory_order_relaxed);
    return stats;
  }

 private:
  struct CachedReader {
    std::shared_ptr<PartitionReader> reader;
    uint64_t last_use = 0;
  };

  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static void OnProducerError(rd_kafka_t* rk, int err, const char* reason, void* opaque);

  absl::StatusOr<KafkaPtr> NewProducer();
  void PollLoop();
  void RecreateProducer();

  // Enqueues the records of `call` on the current producer; records that cannot be
  // enqueued are completed with the error, and so are all records after them. An error
  // before the first record (no topic handle) is returned, with nothing enqueued.
  absl::Status Enqueue(const TopicPartition& tp, std::vector<Record>& records,
                       const std::shared_ptr<AppendCall>& call, SteadyTime deadline);

  // The topic's partition count from cluster metadata (cached: Kafka never shrinks it).
  // NOT_FOUND for an unknown topic.
  absl::StatusOr<int32_t> PartitionCount(const std::string& topic, bool refresh);
  // OK if `tp` exists; NOT_FOUND otherwise, INVALID_ARGUMENT for a malformed one.
  absl::Status CheckPartition(const TopicPartition& tp);
  // Waits until cluster metadata shows `topic` without error.
  absl::StatusOr<int32_t> WaitForTopic(const std::string& topic);
  // CreateTopics through the Admin API. UNIMPLEMENTED if the cluster lacks it.
  absl::Status CreateTopic(const std::string& topic, int32_t partitions,
                           const rd_kafka_metadata_t& md);
  absl::StatusOr<std::shared_ptr<PartitionReader>> GetReader(const TopicPartition& tp);

  const KafkaEventLogOptions options_;
  const Properties producer_config_;
  const Properties consumer_config_;
  const Properties admin_config_;
  Counters counters_;

  // Metadata, watermarks and admin requests. Set in Init, then constant.
  KafkaPtr admin_;

  // Appends hold producer_mu_ shared while they enqueue; the poller swaps the producer
  // under an exclusive lock. Only the poller thread writes producer_.
  std::shared_mutex producer_mu_;
  std::unique_ptr<Producer> producer_;
  // Serialises enqueuing so that one call's records enter the partition queue together.
  std::mutex enqueue_mu_;
  // The producer whose fatal error the poller has yet to handle (set by OnProducerError).
  std::atomic<rd_kafka_t*> fatal_producer_{nullptr};
  std::atomic<bool> stopping_{false};
  std::thread poller_;

  std::mutex metadata_mu_;
  std::map<std::string, int32_t> partition_counts_;  // Guarded by metadata_mu_.

  std::mutex readers_mu_;
  std::map<TopicPartition, CachedReader> readers_;  // Guarded by readers_mu_.
  uint64_t reader_clock_ = 0;                       // Guarded by readers_mu_.
};

void KafkaEventLogImpl::OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* msg,
                                   void* /*opaque*/) {
  std::unique_ptr<RecordToken> token(static_cast<RecordToken*>(msg->_private));
  if (token == nullptr) return;
  token->call->Complete(token->index, msg->err, msg->offset);
}

void KafkaEventLogImpl::OnProducerError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  if (err != RD_KAFKA_RESP_ERR__FATAL) {
    rdkafka::LogErrorCallback(rk, err, reason, opaque);
    return;
  }
  char detail[512];
  const rd_kafka_resp_err_t cause = rd_kafka_fatal_error(rk, detail, sizeof(detail));
  SAMRAD_LOG_ERROR("kafka: producer {} failed fatally: {}: {}", rd_kafka_name(rk),
                   rd_kafka_err2name(cause), detail);
  static_cast<KafkaEventLogImpl*>(opaque)->fatal_producer_.store(rk, std::memory_order_release);
}

absl::StatusOr<KafkaPtr> KafkaEventLogImpl::NewProducer() {
  absl::StatusOr<ConfPtr> conf = rdkafka::MakeConf(producer_config_);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &KafkaEventLogImpl::OnDelivery);
  rd_kafka_conf_set_error_cb(conf->get(), &KafkaEventLogImpl::OnProducerError);
  rd_kafka_conf_set_opaque(conf->get(), this);
  return rdkafka::NewHandle(RD_KAFKA_PRODUCER, std::move(*conf));
}

void KafkaEventLogImpl::PollLoop() {
  while (!stopping_.load(std::memory_order_acquire)) {
    // Serves delivery reports and errors; returns as soon as one arrives.
    rd_kafka_poll(producer_->get(), TimeoutMs(kPollInterval));
    // The admin handle's errors and logs would pile up in its queue otherwise.
    rd_kafka_poll(admin_.get(), 0);
    if (fatal_producer_.load(std::memory_order_acquire) == producer_->get()) RecreateProducer();
  }
}

void KafkaEventLogImpl::RecreateProducer() {
  absl::StatusOr<KafkaPtr> fresh = NewProducer();
  if (!fresh.ok()) {
    // The configuration was accepted before, so this is a resource problem: retry soon.
    SAMRAD_LOG_ERROR("kafka: cannot recreate the producer: {}", fresh.status().ToString());
    absl::SleepFor(kPollInterval);
    return;
  }
  std::unique_ptr<Producer> failed;
  {
    std::unique_lock lock(producer_mu_);
    failed = std::move(producer_);
    producer_ = std::make_unique<Producer>(std::move(*fresh));
  }
  SAMRAD_LOG_WARN("kafka: producer {} replaces {} after its fatal error",
                  rd_kafka_name(producer_->get()), rd_kafka_name(failed->get()));
  // Fail whatever the old producer still holds, and serve those delivery reports so that the
  // Append calls waiting for them return (UNAVAILABLE: purged).
  rd_kafka_purge(failed->get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  const SteadyTime deadline = SteadyDeadline(kPurgeTimeout);
  while (rd_kafka_outq_len(failed->get()) > 0 && Remaining(deadline) > absl::ZeroDuration()) {
    rd_kafka_poll(failed->get(), 10);
  }
  counters_.producer_recreations.fetch_add(1, std::memory_order_relaxed);
  if (const int left = rd_kafka_outq_len(failed->get()); left > 0) {
    SAMRAD_LOG_ERROR("kafka: {} requests or reports of the failed producer are still pending",
                     left);
  }
}

absl::Status KafkaEventLogImpl::Enqueue(const TopicPartition& tp, std::vector<Record>& records,
                                        const std::shared_ptr<AppendCall>& call,
                                        SteadyTime deadline) {
  std::shared_lock producer_lock(producer_mu_);
  absl::StatusOr<rd_kafka_topic_t*> rkt = producer_->Topic(tp.topic);
  if (!rkt.ok()) return rkt.status();
  std::lock_guard enqueue_lock(enqueue_mu_);
  rd_kafka_t* rk = producer_->get();
  for (size_t i = 0; i < records.size(); ++i) {
    Record& record = records[i];
    HeadersPtr headers(rd_kafka_headers_new(record.headers.size()));
    for (const Header& h : record.headers) {
      rd_kafka_header_add(headers.get(), h.key.data(), static_cast<ssize_t>(h.key.size()),
                          h.value.data(), static_cast<ssize_t>(h.value.size()));
    }
    auto token = std::make_unique<RecordToken>(RecordToken{call, i});
    rd_kafka_resp_err_t err;
    while (true) {
      err = rd_kafka_producev(
          rk, RD_KAFKA_V_RKT(*rkt), RD_KAFKA_V_PARTITION(tp.partition),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(record.key.empty() ? nullptr : record.key.data(), record.key.size()),
          RD_KAFKA_V_VALUE(record.value.empty() ? nullptr : record.value.data(),
                           record.value.size()),
          RD_KAFKA_V_HEADERS(headers.get()), RD_KAFKA_V_OPAQUE(token.get()), RD_KAFKA_V_END);
      // A full local queue drains as the poller serves delivery reports.
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || Remaining(deadline) <= absl::ZeroDuration()) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Later records must not be written without this one: fail the rest of the call too.
      for (size_t j = i; j < records.size(); ++j) call->Complete(j, err, -1);
      return absl::OkStatus();
    }
    // librdkafka owns both now; the token comes back in the delivery report.
    static_cast<void>(headers.release());
    static_cast<void>(token.release());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> KafkaEventLogImpl::Append(const TopicPartition& tp,
                                                               std::vector<Record> records) {
  if (absl::Status s = ValidateTopicPartition(tp); !s.ok()) return s;
  if (records.empty()) return std::vector<int64_t>();
  if (absl::Status s = CheckPartition(tp); !s.ok()) return s;
  auto call = std::make_shared<AppendCall>(records.size());
  if (absl::Status s = Enqueue(tp, records, call, SteadyDeadline(options_.append_timeout));
      !s.ok()) {
    return s;
  }
  if (!call->Wait(SteadyDeadline(options_.append_timeout + kDeliveryGrace))) {
    return absl::DeadlineExceededError(
        absl::StrCat("kafka: append to ", tp.ToString(), ": no delivery report within ",
                     absl::FormatDuration(options_.append_timeout + kDeliveryGrace),
                     " (a retry may duplicate records that were in fact written)"));
  }
  return call->Result(tp);
}

absl::StatusOr<int32_t> KafkaEventLogImpl::PartitionCount(const std::string& topic, bool refresh) {
  if (!refresh) {
    std::lock_guard lock(metadata_mu_);
    if (auto it = partition_counts_.find(topic); it != partition_counts_.end()) return it->second;
  }
  absl::StatusOr<MetadataPtr> md = AllTopicsMetadata(admin_.get());
  if (!md.ok()) return md.status();
  const rd_kafka_metadata_topic_t* t = FindTopic(**md, topic);
  if (t == nullptr) {
    return absl::NotFoundError(absl::StrCat("kafka: topic '", topic, "' does not exist"));
  }
  if (t->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return ErrorStatus(t->err, absl::StrCat("kafka: metadata of topic '", topic, "'"));
  }
  std::lock_guard lock(metadata_mu_);
  partition_counts_[topic] = t->partition_cnt;
  return t->partition_cnt;
}

absl::Status KafkaEventLogImpl::CheckPartition(const TopicPartition& tp) {
  if (absl::Status s = ValidateTopicPartition(tp); !s.ok()) return s;
  absl::StatusOr<int32_t> count = PartitionCount(tp.topic, /*refresh=*/false);
  // Partitions may have been added since the count was cached.
  if (count.ok() && tp.partition >= *count) count = PartitionCount(tp.topic, /*refresh=*/true);
  if (!count.ok()) return count.status();
  if (tp.partition >= *count) {
    return absl::NotFoundError(absl::StrCat("kafka: topic '", tp.topic, "' has ", *count,
                                            " partitions; partition ", tp.partition,
                                            " does not exist"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int32_t> KafkaEventLogImpl::WaitForTopic(const std::string& topic) {
  const SteadyTime deadline = SteadyDeadline(kRequestTimeout);
  absl::Status last;
  do {
    absl::StatusOr<int32_t> count = PartitionCount(topic, /*refresh=*/true);
    if (count.ok()) return count;
    last = count.status();
    absl::SleepFor(absl::Milliseconds(100));
  } while (Remaining(deadline) > absl::ZeroDuration());
  return absl::Status(
      last.code(), absl::StrCat(last.message(), " (waited ", absl::FormatDuration(kRequestTimeout),
                                " for the created topic to appear)"));
}

absl::Status KafkaEventLogImpl::CreateTopic(const std::string& topic, int32_t partitions,
                                            const rd_kafka_metadata_t& md) {
  char errstr[512];
  std::unique_ptr<rd_kafka_NewTopic_t, decltype(&rd_kafka_NewTopic_destroy)> new_topic(
      rd_kafka_NewTopic_new(topic.c_str(), partitions, options_.replication_factor, errstr,
                            sizeof(errstr)),
      &rd_kafka_NewTopic_destroy);
  if (new_topic == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("kafka: topic '", topic, "': ", errstr));
  }
  std::unique_ptr<rd_kafka_AdminOptions_t, decltype(&rd_kafka_AdminOptions_destroy)> admin_options(
      rd_kafka_AdminOptions_new(admin_.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS),
      &rd_kafka_AdminOptions_destroy);
  rd_kafka_AdminOptions_set_request_timeout(admin_options.get(), TimeoutMs(kRequestTimeout), errstr,
                                            sizeof(errstr));
  rd_kafka_AdminOptions_set_operation_timeout(admin_options.get(), TimeoutMs(kRequestTimeout),
                                              errstr, sizeof(errstr));
  // CreateTopics goes to the controller. A controller id that is no broker of the cluster
  // (librdkafka's mock reports 0) would leave the request waiting: ask any broker instead.
  const int32_t controller = rd_kafka_controllerid(admin_.get(), TimeoutMs(kRequestTimeout));
  bool controller_known = false;
  for (int i = 0; i < md.broker_cnt; ++i) controller_known |= md.brokers[i].id == controller;
  if (!controller_known && md.broker_cnt > 0) {
    rd_kafka_AdminOptions_set_broker(admin_options.get(), md.brokers[0].id, errstr, sizeof(errstr));
  }
  QueuePtr queue(rd_kafka_queue_new(admin_.get()));
  rd_kafka_NewTopic_t* topics[] = {new_topic.get()};
  rd_kafka_CreateTopics(admin_.get(), topics, 1, admin_options.get(), queue.get());
  EventPtr event(rd_kafka_queue_poll(queue.get(), TimeoutMs(2 * kRequestTimeout)));
  const std::string context = absl::StrCat("kafka: create topic '", topic, "'");
  if (event == nullptr) {
    return absl::DeadlineExceededError(absl::StrCat(context, ": no answer"));
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return ErrorStatus(rd_kafka_event_error(event.get()),
                       absl::StrCat(context, " (", rd_kafka_event_error_string(event.get()), ")"));
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results =
      result != nullptr ? rd_kafka_CreateTopics_result_topics(result, &count) : nullptr;
  if (count != 1) return absl::UnknownError(absl::StrCat(context, ": malformed result"));
  const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[0]);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
    return absl::OkStatus();
  }
  const char* detail = rd_kafka_topic_result_error_string(results[0]);
  return ErrorStatus(err, absl::StrCat(context, " (", detail != nullptr ? detail : "", ")"));
}

absl::Status KafkaEventLogImpl::EnsureTopic(const std::string& topic, int32_t partitions) {
  if (absl::Status s = ValidateTopic(topic); !s.ok()) return s;
  if (partitions < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka: topic '", topic, "' needs at least 1 partition, not ", partitions));
  }
  absl::StatusOr<MetadataPtr> md = AllTopicsMetadata(admin_.get());
  if (!md.ok()) return md.status();
  if (const rd_kafka_metadata_topic_t* t = FindTopic(**md, topic);
      t != nullptr && t->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::lock_guard lock(metadata_mu_);
    partition_counts_[topic] = t->partition_cnt;
    return absl::OkStatus();  // Left as it is, whatever its partition count.
  }
  absl::Status created = CreateTopic(topic, partitions, **md);
  if (created.code() != absl::StatusCode::kUnimplemented) {
    if (!created.ok()) return created;
    absl::StatusOr<int32_t> count = WaitForTopic(topic);
    return count.ok() ? absl::OkStatus() : count.status();
  }
  // No CreateTopics on this cluster (librdkafka 2.0.2's mock): a metadata request for the
  // topic makes a broker with auto-creation create it, with its default partition count.
  SAMRAD_LOG_WARN("kafka: {}; falling back to auto-creation through a metadata request",
                  created.ToString());
  {
    TopicPtr rkt(rd_kafka_topic_new(admin_.get(), topic.c_str(), nullptr));
    const rd_kafka_metadata_t* topic_md = nullptr;
    rd_kafka_resp_err_t err =
        rd_kafka_metadata(admin_.get(), 0, rkt.get(), &topic_md, TimeoutMs(kRequestTimeout));
    if (topic_md != nullptr) rd_kafka_metadata_destroy(topic_md);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return ErrorStatus(err, absl::StrCat("kafka: auto-create topic '", topic, "'"));
    }
  }
  absl::StatusOr<int32_t> count = WaitForTopic(topic);
  if (!count.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("kafka: the cluster supports neither CreateTopics nor auto-creation of '",
                     topic, "': ", count.status().message()));
  }
  if (*count < partitions) {
    return absl::FailedPreconditionError(absl::StrCat(
        "kafka: topic '", topic, "' was auto-created with ", *count, " partitions, fewer than ",
        partitions, " (the cluster lacks CreateTopics; create the topic beforehand)"));
  }
  if (*count != partitions) {
    SAMRAD_LOG_WARN("kafka: topic '{}' was auto-created with {} partitions instead of {}", topic,
                    *count, partitions);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<PartitionReader>> KafkaEventLogImpl::GetReader(
    const TopicPartition& tp) {
  {
    std::lock_guard lock(readers_mu_);
    if (auto it = readers_.find(tp); it != readers_.end()) {
      it->second.last_use = ++reader_clock_;
      return it->second.reader;
    }
  }
  // Creating a consumer takes a while: not under the lock.
  absl::StatusOr<std::unique_ptr<PartitionReader>> created =
      PartitionReader::Create(consumer_config_, tp, &counters_);
  if (!created.ok()) return created.status();
  std::shared_ptr<PartitionReader> reader = std::move(*created);
  std::shared_ptr<PartitionReader> evicted;  // Closed after the lock is released.
  std::lock_guard lock(readers_mu_);
  auto [it, inserted] = readers_.try_emplace(tp, CachedReader{reader, 0});
  it->second.last_use = ++reader_clock_;
  if (!inserted) {
    evicted = std::move(reader);  // Another Read of tp created one first: use that.
    return it->second.reader;
  }
  if (readers_.size() > kMaxCachedReaders) {
    auto oldest = readers_.end();
    for (auto r = readers_.begin(); r != readers_.end(); ++r) {
      if (r->second.reader.use_count() == 1 &&
          (oldest == readers_.end() || r->second.last_use < oldest->second.last_use)) {
        oldest = r;
      }
    }
    if (oldest != readers_.end()) {
      evicted = std::move(oldest->second.reader);
      readers_.erase(oldest);
    }
  }
  return it->second.reader;
}

absl::StatusOr<std::vector<Entry>> KafkaEventLogImpl::Read(const TopicPartition& tp,
                                                           int64_t from_offset, size_t max_records,
                                                           absl::Duration wait) {
  if (absl::Status s = ValidateTopicPartition(tp); !s.ok()) return s;
  if (from_offset < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka: negative offset ", from_offset, " for ", tp.ToString()));
  }
  if (absl::Status s = CheckPartition(tp); !s.ok()) return s;
  if (max_records == 0) return std::vector<Entry>();
  absl::StatusOr<std::shared_ptr<PartitionReader>> reader = GetReader(tp);
  if (!reader.ok()) return reader.status();
  return (*reader)->Read(from_offset, max_records, wait);
}

absl::StatusOr<int64_t> KafkaEventLogImpl::HighWatermark(const TopicPartition& tp) {
  if (absl::Status s = CheckPartition(tp); !s.ok()) return s;
  int64_t low = 0;
  int64_t high = 0;
  rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
      admin_.get(), tp.topic.c_str(), tp.partition, &low, &high, TimeoutMs(kRequestTimeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return ErrorStatus(err, absl::StrCat("kafka: high watermark of ", tp.ToString()));
  }
  return high;
}

absl::StatusOr<std::unique_ptr<Subscription>> KafkaEventLogImpl::Subscribe(
    const TopicPartition& tp, int64_t from_offset, Handler handler, SubscribeOptions options) {
  if (absl::Status s = ValidateTopicPartition(tp); !s.ok()) return s;
  if (from_offset < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka: negative offset ", from_offset, " for ", tp.ToString()));
  }
  if (!handler) return absl::InvalidArgumentError("kafka: Subscribe needs a handler");
  if (absl::Status s = CheckPartition(tp); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<PartitionReader>> reader =
      PartitionReader::Create(consumer_config_, tp, &counters_);
  if (!reader.ok()) return reader.status();
  // The subscription has a consumer of its own, shared with nothing else.
  std::shared_ptr<PartitionReader> own_reader = std::move(*reader);
  return std::make_unique<PollingSubscription>(
      [own_reader](int64_t from, size_t max, absl::Duration wait) {
        return own_reader->Read(from, max, wait);
      },
      tp, from_offset, std::move(handler), options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaEventLog>> KafkaEventLog::Open(
    const KafkaEventLogOptions& options) {
  if (options.brokers.empty()) return absl::InvalidArgumentError("kafka: no brokers given");
  if (options.client_id.empty()) return absl::InvalidArgumentError("kafka: empty client_id");
  const int timeout_ms = TimeoutMs(options.append_timeout);
  if (timeout_ms < 1) {
    return absl::InvalidArgumentError("kafka: append_timeout must be at least 1ms");
  }
  if (options.replication_factor == 0 || options.replication_factor < -1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kafka: replication_factor must be -1 or positive, not ", options.replication_factor));
  }
  const Properties common = {
      {"bootstrap.servers", options.brokers},
      {"client.id", options.client_id},
      {"socket.nagle.disable", "true"},
      // Topics come from EnsureTopic, never from a typo in a producer or consumer.
      {"allow.auto.create.topics", "false"},
  };
  Properties producer = common;
  producer.insert(producer.end(), {
                                      {"enable.idempotence", "true"},
                                      {"acks", "all"},
                                      {"max.in.flight.requests.per.connection", "5"},
                                      // Low latency: wait at most 1 ms to fill a batch.
                                      {"linger.ms", "1"},
                                      {"message.timeout.ms", std::to_string(timeout_ms)},
                                  });
  Properties consumer = common;
  consumer.insert(consumer.end(), {
                                      // Required by rd_kafka_assign; never joined or committed.
                                      {"group.id", options.client_id + ".assign"},
                                      {"enable.auto.commit", "false"},
                                      {"enable.auto.offset.store", "false"},
                                      // Out of range is an error, never a silent jump.
                                      {"auto.offset.reset", "error"},
                                      {"enable.partition.eof", "true"},
                                      {"fetch.wait.max.ms", std::to_string(kFetchWaitMaxMs)},
                                      // Bounds each cached consumer's prefetch (KiB).
                                      {"queued.max.messages.kbytes", "16384"},
                                  });
  Properties admin = common;
  for (const auto& [name, value] : options.extra_config) {
    producer.emplace_back(name, value);
    consumer.emplace_back(name, value);
    admin.emplace_back(name, value);
  }
  auto log = std::make_unique<KafkaEventLogImpl>(options, std::move(producer), std::move(consumer),
                                                 std::move(admin));
  if (absl::Status s = log->Init(); !s.ok()) return s;
  return log;
}

}  // namespace samrad::eventlog
