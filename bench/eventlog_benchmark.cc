// Benchmarks of the write path of Samråd: append a batch of events to the event log, then
// apply them to a projection store, on both backends, next to the reference the backend is
// built on (raw RocksDB WriteBatch writes, raw librdkafka produce), all in one run so that
// the ratios compare figures taken on the same machine at the same time.
//
// Run through `make bench` (scripts/run-benchmarks.sh), which also writes JSON and prints
// the ratios; docs/benchmarks.md records the figures.
//
// Every benchmark reports items_per_second (events/s) and bytes_per_second (the events'
// values, headers and keys), plus these counters:
//   batch_us   mean latency of one batch (append, and apply where there is one), per call
//   append_us  mean latency of the append of one batch
//   apply_us   mean latency of the ApplyBatch of one batch
//   per_group  (embedded) records per group write: how much group commit merged
// Multi-threaded variants use wall-clock time, so their items_per_second is the total over
// all threads.

#include <librdkafka/rdkafka.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "libs/common/log.h"
#include "libs/eventlog/embedded_event_log.h"
#include "libs/eventlog/event_log.h"
#include "libs/eventlog/kafka_event_log.h"
#include "libs/eventlog/mock_kafka_cluster.h"
#include "libs/eventlog/rdkafka_support.h"
#include "libs/projection/projection_store.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace samrad::bench {
namespace {

using eventlog::EmbeddedEventLog;
using eventlog::EmbeddedEventLogOptions;
using eventlog::Header;
using eventlog::KafkaEventLog;
using eventlog::KafkaEventLogOptions;
using eventlog::MockKafkaCluster;
using eventlog::Record;
using eventlog::TopicPartition;
using projection::Cf;
using projection::ProjectionStore;
using projection::ProjectionStoreOptions;
using projection::Transaction;
using Clock = std::chrono::steady_clock;
namespace rdkafka = ::samrad::eventlog::rdkafka;

// ---------------------------------------------------------------------------------------
// Workload

// Size of one serialized event envelope (metadata, actor, ids and a small payload).
constexpr size_t kValueBytes = 300;
// Malmö: every event of the benchmarks belongs to this tenant.
constexpr char kTenant[] = "1280";
// Events of one partition update this many aggregates in turn, so that the projection's
// Get finds existing state most of the time, as a real Evolve does.
constexpr int64_t kAggregates = 1024;

const std::vector<int64_t> kBatchSizes = {1, 16, 128, 1024};

// A value of kValueBytes that looks like a protobuf envelope: field tags, ids, text.
std::string EnvelopeValue(int64_t seq) {
  std::string value =
      absl::StrCat("\n$", "0190f3c2-7a4e-7d1b-9c55-", absl::Hex(seq, absl::kZeroPad12), "\x12\x04",
                   kTenant, "\x1a\x08", "dialogue", "\"\x0c", "dialogues/", seq % kAggregates,
                   "*\x1b", "samrad.registry.v1.Dialogue", "2\x0b", "1700000000Z", ":\x18",
                   "Malmö stad, stadskontoret", "B\x1c", "Dialogmöte om trygghet i Rosengård");
  for (int64_t i = 0; value.size() < kValueBytes; ++i) {
    value.push_back(static_cast<char>('a' + (seq * 7 + i * 13) % 26));
  }
  value.resize(kValueBytes);
  return value;
}

// `count` records of tenant 1280 with the headers every Samråd event carries.
std::vector<Record> MakeBatch(int64_t count) {
  std::vector<Record> records;
  records.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    records.push_back({.key = kTenant,
                       .value = EnvelopeValue(i),
                       .headers = {{"event-type", "samrad.registry.v1.DialogueRegistered"},
                                   {"event-id", absl::StrCat("0190f3c2-7a4e-7d1b-9c55-",
                                                             absl::Hex(i, absl::kZeroPad12))}}});
  }
  return records;
}

// Bytes of a record that a log stores: key, value and headers.
int64_t RecordBytes(const Record& record) {
  int64_t bytes = static_cast<int64_t>(record.key.size() + record.value.size());
  for (const Header& h : record.headers)
    bytes += static_cast<int64_t>(h.key.size() + h.value.size());
  return bytes;
}

int64_t BatchBytes(const std::vector<Record>& records) {
  int64_t bytes = 0;
  for (const Record& r : records) bytes += RecordBytes(r);
  return bytes;
}

// The projection key of the aggregate that event `offset` of `partition` updates.
std::string StateKey(int32_t partition, int64_t offset) {
  return absl::StrCat(kTenant, "/", partition, "/dialogues/", offset % kAggregates);
}

// What a service's Evolve does with one event: read the aggregate's state, write the new
// one (here: the event's value, the size of a small aggregate).
absl::Status Evolve(const TopicPartition& tp, int64_t offset, const Record& record,
                    Transaction& tx) {
  const std::string key = StateKey(tp.partition, offset);
  absl::StatusOr<std::optional<std::string>> state = tx.Get(Cf::kState, key);
  if (!state.ok()) return state.status();
  tx.Put(Cf::kState, key, record.value);
  return absl::OkStatus();
}

// Applies the batch `records`, appended at `first_offset` of `tp`, to `store`.
absl::Status ApplyEvents(ProjectionStore& store, const TopicPartition& tp, int64_t first_offset,
                         const std::vector<Record>& records) {
  absl::StatusOr<int64_t> applied = store.ApplyBatch(
      tp, first_offset, static_cast<int64_t>(records.size()), [&](int64_t offset, Transaction& tx) {
        return Evolve(tp, offset, records[static_cast<size_t>(offset - first_offset)], tx);
      });
  if (!applied.ok()) return applied.status();
  if (*applied != static_cast<int64_t>(records.size())) {
    return absl::InternalError(absl::StrCat("applied ", *applied, " of ", records.size()));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------
// Support

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/samrad-bench-XXXXXX";
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// Per-thread latency sums, reported as means per batch (counters are summed over threads
// and divided by the total number of iterations).
struct Latencies {
  double append_us = 0;
  double apply_us = 0;

  void Report(benchmark::State& state, bool with_apply) const {
    using benchmark::Counter;
    state.counters["append_us"] = Counter(append_us, Counter::kAvgIterations);
    if (with_apply) state.counters["apply_us"] = Counter(apply_us, Counter::kAvgIterations);
    state.counters["batch_us"] = Counter(append_us + apply_us, Counter::kAvgIterations);
  }
};

// Copies of one batch, prepared ahead so that building records (the caller's work of
// serializing events, the same for every backend and absent from the raw references) stays
// out of the measured time. Append takes its records by value: each iteration moves one
// copy in. Refills happen with the timer paused, about every 8k records.
class BatchPool {
 public:
  BatchPool(const std::vector<Record>& batch, int64_t copies) : batch_(batch) {
    copies_.reserve(static_cast<size_t>(copies));
    Refill(copies);
  }

  explicit BatchPool(const std::vector<Record>& batch)
      : BatchPool(batch,
                  std::max<int64_t>(kRecordsPerFill / static_cast<int64_t>(batch.size()), 4)) {}

  std::vector<Record> Take(benchmark::State& state) {
    if (copies_.empty()) {
      state.PauseTiming();
      Refill(static_cast<int64_t>(copies_.capacity()));
      state.ResumeTiming();
    }
    std::vector<Record> out = std::move(copies_.back());
    copies_.pop_back();
    return out;
  }

 private:
  static constexpr int64_t kRecordsPerFill = 8192;

  void Refill(int64_t copies) {
    for (int64_t i = 0; i < copies; ++i) copies_.push_back(batch_);
  }

  const std::vector<Record>& batch_;
  std::vector<std::vector<Record>> copies_;
};

void ReportThroughput(benchmark::State& state, int64_t batch_bytes) {
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * batch_bytes);
}

// ---------------------------------------------------------------------------------------
// Embedded event log (+ projection store)
//
// Arguments: batch (records per Append), sync (EmbeddedEventLogOptions::sync), window_us
// (group_commit_window). Thread i appends to partition i of one topic and applies its own
// batches as source i of one projection store: one writer per partition, as in Samråd;
// concurrent threads stand for several tenants or services sharing the log.

constexpr char kEmbeddedTopic[] = "registry.events.v1";

struct EmbeddedFixture {
  TempDir dir;
  std::unique_ptr<EmbeddedEventLog> log;
  std::unique_ptr<ProjectionStore> store;
  eventlog::EmbeddedEventLogStats stats_before;
};

// Set up by EmbeddedSetup before each run of an embedded benchmark (once for all its
// threads), torn down by EmbeddedTeardown after it.
std::unique_ptr<EmbeddedFixture> embedded_fixture;
absl::Status embedded_setup_status;

absl::Status OpenEmbedded(const benchmark::State& state, EmbeddedFixture& f) {
  if (!f.dir.ok()) return absl::UnavailableError("mkdtemp under /tmp failed");
  EmbeddedEventLogOptions log_options;
  log_options.path = f.dir.Sub("log");
  log_options.sync = state.range(1) != 0;
  log_options.group_commit_window = absl::Microseconds(state.range(2));
  absl::StatusOr<std::unique_ptr<EmbeddedEventLog>> log = EmbeddedEventLog::Open(log_options);
  if (!log.ok()) return log.status();
  f.log = std::move(*log);
  if (absl::Status s = f.log->EnsureTopic(kEmbeddedTopic, state.threads()); !s.ok()) return s;
  ProjectionStoreOptions store_options;
  store_options.path = f.dir.Sub("projection");
  absl::StatusOr<std::unique_ptr<ProjectionStore>> store = ProjectionStore::Open(store_options);
  if (!store.ok()) return store.status();
  f.store = std::move(*store);
  f.stats_before = f.log->stats();
  return absl::OkStatus();
}

void EmbeddedSetup(const benchmark::State& state) {
  embedded_fixture = std::make_unique<EmbeddedFixture>();
  embedded_setup_status = OpenEmbedded(state, *embedded_fixture);
}

void EmbeddedTeardown(const benchmark::State&) { embedded_fixture.reset(); }

void RunEmbedded(benchmark::State& state, bool with_apply) {
  if (!embedded_setup_status.ok()) {
    state.SkipWithError(embedded_setup_status.ToString().c_str());
    return;
  }
  EmbeddedFixture& f = *embedded_fixture;
  const TopicPartition tp{kEmbeddedTopic, state.thread_index()};
  const std::vector<Record> batch = MakeBatch(state.range(0));
  BatchPool pool(batch);
  Latencies latency;
  for (auto _ : state) {
    std::vector<Record> records = pool.Take(state);
    const Clock::time_point start = Clock::now();
    absl::StatusOr<std::vector<int64_t>> offsets = f.log->Append(tp, std::move(records));
    const Clock::time_point appended = Clock::now();
    if (!offsets.ok()) {
      state.SkipWithError(offsets.status().ToString().c_str());
      break;
    }
    latency.append_us += Micros(appended - start);
    if (with_apply) {
      if (absl::Status s = ApplyEvents(*f.store, tp, offsets->front(), batch); !s.ok()) {
        state.SkipWithError(s.ToString().c_str());
        break;
      }
      latency.apply_us += Micros(Clock::now() - appended);
    }
  }
  ReportThroughput(state, BatchBytes(batch));
  latency.Report(state, with_apply);
  if (state.thread_index() == 0) {
    // Every thread has finished its iterations: the loop ends at a barrier of all threads.
    const eventlog::EmbeddedEventLogStats stats = f.log->stats();
    const int64_t groups = stats.group_writes - f.stats_before.group_writes;
    const int64_t records = stats.records_appended - f.stats_before.records_appended;
    if (groups > 0) {
      state.counters["per_group"] = static_cast<double>(records) / static_cast<double>(groups);
    }
  }
}

void BM_EmbeddedAppendApply(benchmark::State& state) { RunEmbedded(state, /*with_apply=*/true); }
void BM_EmbeddedAppend(benchmark::State& state) { RunEmbedded(state, /*with_apply=*/false); }

// ---------------------------------------------------------------------------------------
// Reference: raw RocksDB
//
// BM_RawRocksDbWriteBatch: one WriteBatch of `batch` Puts per iteration into a fresh
// database, with the key and value sizes of the embedded log's records (a 33-byte key:
// prefix, topic, partition, offset; the value: the record with its headers and a few bytes
// of framing) and its memtable settings, so that the difference to BM_EmbeddedAppend is the
// log's own work. This is the reference the issue's targets name.
//
// BM_RawRocksDbAppendApply: the same write, then what an apply costs RocksDB alone, in a
// second database (RocksDB's default memtable, as ProjectionStore's column families have):
// per event a Get and a Put of the aggregate's state, and the source's offset, in one plain
// WriteBatch. The difference to
// BM_EmbeddedAppendApply is the work of EmbeddedEventLog and ProjectionStore.
//
// Arguments: batch, sync (of the log write; the state write is unsynced, as in
// ProjectionStore).

struct RawFixture {
  TempDir dir;
  std::unique_ptr<rocksdb::DB> db;
  std::unique_ptr<rocksdb::DB> state_db;
};

std::unique_ptr<RawFixture> raw_fixture;
absl::Status raw_setup_status;

absl::Status OpenRaw(RawFixture& f) {
  if (!f.dir.ok()) return absl::UnavailableError("mkdtemp under /tmp failed");
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  rocksdb::Options log_options = options;
  log_options.write_buffer_size = 128 << 20;
  log_options.max_write_buffer_number = 4;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(log_options, f.dir.Sub("raw-log"), &db);
  f.db.reset(db);
  if (!s.ok()) return absl::UnavailableError(s.ToString());
  s = rocksdb::DB::Open(options, f.dir.Sub("raw-state"), &db);
  f.state_db.reset(db);
  if (!s.ok()) return absl::UnavailableError(s.ToString());
  return absl::OkStatus();
}

void RawSetup(const benchmark::State&) {
  raw_fixture = std::make_unique<RawFixture>();
  raw_setup_status = OpenRaw(*raw_fixture);
}

void RawTeardown(const benchmark::State&) {
  if (raw_fixture != nullptr) {
    for (auto* db : {raw_fixture->db.get(), raw_fixture->state_db.get()}) {
      if (db != nullptr) static_cast<void>(db->Close());
    }
  }
  raw_fixture.reset();
}

void AppendBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void RunRaw(benchmark::State& state, bool with_apply) {
  if (!raw_setup_status.ok()) {
    state.SkipWithError(raw_setup_status.ToString().c_str());
    return;
  }
  rocksdb::DB& db = *raw_fixture->db;
  rocksdb::DB& state_db = *raw_fixture->state_db;
  rocksdb::WriteOptions write_options;
  write_options.sync = state.range(1) != 0;
  const rocksdb::WriteOptions state_write_options;
  const int32_t partition = state.thread_index();

  // "R" <u16 topic length> <topic> <u32 partition>, then the u64 offset per record.
  std::string prefix = "R";
  AppendBigEndian(prefix, sizeof(kEmbeddedTopic) - 1, 2);
  prefix.append(kEmbeddedTopic);
  AppendBigEndian(prefix, static_cast<uint32_t>(partition), 4);
  const std::string offset_key = absl::StrCat("offset/", partition);
  const std::vector<Record> records = MakeBatch(state.range(0));
  std::vector<std::string> values;
  for (const Record& r : records) {
    // Framing of the embedded log's encoding: version, timestamp, lengths, header count.
    std::string value(12 + 2 * r.headers.size(), '\x01');
    value.append(r.key).append(r.value);
    for (const Header& h : r.headers) value.append(h.key).append(h.value);
    values.push_back(std::move(value));
  }

  uint64_t offset = 0;
  std::string key;
  std::string old_state;
  Latencies latency;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    const uint64_t first_offset = offset;
    rocksdb::WriteBatch batch;
    for (const std::string& value : values) {
      key = prefix;
      AppendBigEndian(key, offset++, 8);
      batch.Put(key, value);
    }
    if (rocksdb::Status s = db.Write(write_options, &batch); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    const Clock::time_point appended = Clock::now();
    latency.append_us += Micros(appended - start);
    if (!with_apply) continue;

    rocksdb::WriteBatch state_batch;
    rocksdb::Status s;
    for (size_t i = 0; i < records.size() && s.ok(); ++i) {
      key = StateKey(partition, static_cast<int64_t>(first_offset + i));
      s = state_db.Get(rocksdb::ReadOptions(), key, &old_state);
      if (s.IsNotFound()) s = rocksdb::Status::OK();
      if (s.ok()) s = state_batch.Put(key, records[i].value);
    }
    std::string next;
    AppendBigEndian(next, offset, 8);
    if (s.ok()) s = state_batch.Put(offset_key, next);
    if (s.ok()) s = state_db.Write(state_write_options, &state_batch);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    latency.apply_us += Micros(Clock::now() - appended);
  }
  ReportThroughput(state, BatchBytes(records));
  latency.Report(state, with_apply);
}

void BM_RawRocksDbWriteBatch(benchmark::State& state) { RunRaw(state, /*with_apply=*/false); }
void BM_RawRocksDbAppendApply(benchmark::State& state) { RunRaw(state, /*with_apply=*/true); }

// ---------------------------------------------------------------------------------------
// Kafka, against librdkafka's in-process mock cluster (1 broker)
//
// The mock keeps about 5 MiB per partition and drops older records, so every run gets a
// fresh topic and a fixed number of iterations that keeps it below ~3.5 MiB.

struct KafkaEnv {
  std::unique_ptr<MockKafkaCluster> cluster;
  std::unique_ptr<KafkaEventLog> log;
  rdkafka::KafkaPtr producer;
  int topics_created = 0;
};

std::unique_ptr<KafkaEnv> kafka_env;

// The producer properties of KafkaEventLog::Open (libs/eventlog/kafka_event_log.cc).
rdkafka::Properties ProducerProperties(const std::string& brokers) {
  return {
      {"bootstrap.servers", brokers},
      {"client.id", "samrad-bench-raw"},
      {"socket.nagle.disable", "true"},
      {"allow.auto.create.topics", "false"},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"max.in.flight.requests.per.connection", "5"},
      {"linger.ms", "1"},
      {"message.timeout.ms", "30000"},
  };
}

// Delivery state of one raw batch, counted down by the delivery report callback.
struct RawDelivery {
  int64_t pending = 0;
  rd_kafka_resp_err_t first_error = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void OnRawDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  auto* delivery = static_cast<RawDelivery*>(msg->_private);
  if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR && delivery->first_error == 0) {
    delivery->first_error = msg->err;
  }
  --delivery->pending;
}

absl::StatusOr<KafkaEnv*> GetKafkaEnv() {
  if (kafka_env != nullptr) return kafka_env.get();
  auto env = std::make_unique<KafkaEnv>();
  absl::StatusOr<std::unique_ptr<MockKafkaCluster>> cluster = MockKafkaCluster::Start(1);
  if (!cluster.ok()) return cluster.status();
  env->cluster = std::move(*cluster);
  KafkaEventLogOptions options;
  options.brokers = env->cluster->bootstrap_servers();
  options.client_id = "samrad-bench";
  absl::StatusOr<std::unique_ptr<KafkaEventLog>> log = KafkaEventLog::Open(options);
  if (!log.ok()) return log.status();
  env->log = std::move(*log);
  absl::StatusOr<rdkafka::ConfPtr> conf =
      rdkafka::MakeConf(ProducerProperties(env->cluster->bootstrap_servers()));
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &OnRawDelivery);
  absl::StatusOr<rdkafka::KafkaPtr> producer =
      rdkafka::NewHandle(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!producer.ok()) return producer.status();
  env->producer = std::move(*producer);
  kafka_env = std::move(env);
  return kafka_env.get();
}

// A new single-partition topic, known to KafkaEventLog's metadata.
absl::StatusOr<std::string> FreshTopic(KafkaEnv& env, const std::string& what) {
  std::string topic = absl::StrCat("bench.", what, ".", env.topics_created++);
  if (absl::Status s = env.cluster->CreateTopic(topic, 1, 1); !s.ok()) return s;
  if (absl::Status s = env.log->EnsureTopic(topic, 1); !s.ok()) return s;
  return topic;
}

// Iterations per batch size: at most ~8k records (~3.5 MiB) per topic.
int64_t KafkaIterations(int64_t batch) {
  return batch == 1 ? 1000 : std::max<int64_t>(8192 / batch, 8);
}

void RunKafka(benchmark::State& state, bool with_apply) {
  absl::StatusOr<KafkaEnv*> env = GetKafkaEnv();
  if (!env.ok()) {
    state.SkipWithError(env.status().ToString().c_str());
    return;
  }
  absl::StatusOr<std::string> topic = FreshTopic(**env, with_apply ? "append-apply" : "append");
  if (!topic.ok()) {
    state.SkipWithError(topic.status().ToString().c_str());
    return;
  }
  const TopicPartition tp{*topic, 0};
  TempDir dir;
  ProjectionStoreOptions store_options;
  store_options.path = dir.Sub("projection");
  absl::StatusOr<std::unique_ptr<ProjectionStore>> store = ProjectionStore::Open(store_options);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  KafkaEventLog& log = *(*env)->log;
  // Warm up: the first append to a topic looks up its leader. Applied as offset 0.
  const std::vector<Record> first = MakeBatch(1);
  absl::StatusOr<std::vector<int64_t>> warm = log.Append(tp, first);
  absl::Status warm_status =
      warm.ok() ? ApplyEvents(**store, tp, warm->front(), first) : warm.status();
  if (!warm_status.ok()) {
    state.SkipWithError(warm_status.ToString().c_str());
    return;
  }

  const std::vector<Record> batch = MakeBatch(state.range(0));
  BatchPool pool(batch, state.max_iterations);
  Latencies latency;
  for (auto _ : state) {
    std::vector<Record> records = pool.Take(state);
    const Clock::time_point start = Clock::now();
    absl::StatusOr<std::vector<int64_t>> offsets = log.Append(tp, std::move(records));
    const Clock::time_point appended = Clock::now();
    if (!offsets.ok()) {
      state.SkipWithError(offsets.status().ToString().c_str());
      break;
    }
    latency.append_us += Micros(appended - start);
    if (with_apply) {
      if (absl::Status s = ApplyEvents(**store, tp, offsets->front(), batch); !s.ok()) {
        state.SkipWithError(s.ToString().c_str());
        break;
      }
      latency.apply_us += Micros(Clock::now() - appended);
    }
  }
  ReportThroughput(state, BatchBytes(batch));
  latency.Report(state, with_apply);
}

void BM_KafkaAppend(benchmark::State& state) { RunKafka(state, /*with_apply=*/false); }
void BM_KafkaAppendApply(benchmark::State& state) { RunKafka(state, /*with_apply=*/true); }

// Reference: the producer calls KafkaEventLog::Append makes, without it: rd_kafka_producev
// of the batch (copied, with the same headers), then rd_kafka_poll until every delivery
// report of the batch has arrived.
void BM_RawKafkaProduce(benchmark::State& state) {
  absl::StatusOr<KafkaEnv*> env = GetKafkaEnv();
  if (!env.ok()) {
    state.SkipWithError(env.status().ToString().c_str());
    return;
  }
  absl::StatusOr<std::string> topic = FreshTopic(**env, "raw");
  if (!topic.ok()) {
    state.SkipWithError(topic.status().ToString().c_str());
    return;
  }
  rd_kafka_t* rk = (*env)->producer.get();
  rdkafka::TopicPtr rkt(rd_kafka_topic_new(rk, topic->c_str(), nullptr));
  const std::vector<Record> batch = MakeBatch(state.range(0));

  auto produce_batch = [&](const std::vector<Record>& records) -> absl::Status {
    RawDelivery delivery;
    for (const Record& r : records) {
      rd_kafka_headers_t* headers = rd_kafka_headers_new(r.headers.size());
      for (const Header& h : r.headers) {
        rd_kafka_header_add(headers, h.key.data(), static_cast<ssize_t>(h.key.size()),
                            h.value.data(), static_cast<ssize_t>(h.value.size()));
      }
      rd_kafka_resp_err_t err = rd_kafka_producev(
          rk, RD_KAFKA_V_RKT(rkt.get()), RD_KAFKA_V_PARTITION(0),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(r.key.data(), r.key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(r.value.data()), r.value.size()),
          RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(&delivery), RD_KAFKA_V_END);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_headers_destroy(headers);
        // Wait for what was enqueued: its reports point at `delivery`.
        while (delivery.pending > 0) rd_kafka_poll(rk, 100);
        return rdkafka::ErrorStatus(err, "rd_kafka_producev");
      }
      ++delivery.pending;
    }
    while (delivery.pending > 0) rd_kafka_poll(rk, 100);
    if (delivery.first_error != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return rdkafka::ErrorStatus(delivery.first_error, "delivery");
    }
    return absl::OkStatus();
  };

  if (absl::Status s = produce_batch(MakeBatch(1)); !s.ok()) {  // warm up, as above
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  Latencies latency;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    if (absl::Status s = produce_batch(batch); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    latency.append_us += Micros(Clock::now() - start);
  }
  ReportThroughput(state, BatchBytes(batch));
  latency.Report(state, /*with_apply=*/false);
}

// ---------------------------------------------------------------------------------------
// Registration

constexpr int kThreads = 8;
// A small group commit window for the synced multi-threaded variant.
constexpr int64_t kWindowUs = 200;

void EmbeddedArgs(benchmark::internal::Benchmark* b, int64_t sync, int64_t window_us) {
  b->ArgNames({"batch", "sync", "window_us"});
  for (int64_t batch : kBatchSizes) b->Args({batch, sync, window_us});
}

void RegisterAll() {
  using benchmark::RegisterBenchmark;
  // Embedded append+apply: one writer, unsynced and synced; eight writers (group commit),
  // unsynced, synced, and synced with a commit window.
  for (int64_t sync : {0, 1}) {
    auto* b = RegisterBenchmark("BM_EmbeddedAppendApply", BM_EmbeddedAppendApply);
    EmbeddedArgs(b, sync, 0);
    b->Setup(EmbeddedSetup)
        ->Teardown(EmbeddedTeardown)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
  for (auto [sync, window_us] : {std::pair<int64_t, int64_t>{0, 0}, {1, 0}, {1, kWindowUs}}) {
    auto* b = RegisterBenchmark("BM_EmbeddedAppendApply", BM_EmbeddedAppendApply);
    EmbeddedArgs(b, sync, window_us);
    b->Setup(EmbeddedSetup)
        ->Teardown(EmbeddedTeardown)
        ->Threads(kThreads)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
  // Embedded append only (the log's share of the cost), one writer.
  for (int64_t sync : {0, 1}) {
    auto* b = RegisterBenchmark("BM_EmbeddedAppend", BM_EmbeddedAppend);
    EmbeddedArgs(b, sync, 0);
    b->Setup(EmbeddedSetup)
        ->Teardown(EmbeddedTeardown)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
  // Raw RocksDB: one writer and eight (RocksDB's own write group), unsynced and synced; and
  // the raw equivalent of append+apply.
  for (int threads : {1, kThreads}) {
    auto* b = RegisterBenchmark("BM_RawRocksDbWriteBatch", BM_RawRocksDbWriteBatch);
    b->ArgNames({"batch", "sync"});
    for (int64_t sync : {0, 1}) {
      for (int64_t batch : kBatchSizes) b->Args({batch, sync});
    }
    b->Setup(RawSetup)->Teardown(RawTeardown)->UseRealTime()->Unit(benchmark::kMicrosecond);
    if (threads > 1) b->Threads(threads);
  }
  for (int64_t sync : {0, 1}) {
    auto* b = RegisterBenchmark("BM_RawRocksDbAppendApply", BM_RawRocksDbAppendApply);
    b->ArgNames({"batch", "sync"});
    for (int64_t batch : kBatchSizes) b->Args({batch, sync});
    b->Setup(RawSetup)->Teardown(RawTeardown)->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  // Kafka: KafkaEventLog append, append+apply, and raw produce.
  for (auto [name, fn] : {std::pair{"BM_KafkaAppend", &BM_KafkaAppend},
                          {"BM_KafkaAppendApply", &BM_KafkaAppendApply},
                          {"BM_RawKafkaProduce", &BM_RawKafkaProduce}}) {
    for (int64_t batch : kBatchSizes) {
      RegisterBenchmark(name, fn)
          ->ArgName("batch")
          ->Arg(batch)
          ->Iterations(KafkaIterations(batch))
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace
}  // namespace samrad::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  samrad::log::Init("warn", samrad::log::Format::kText);
  samrad::bench::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // The Kafka clients before the mock cluster they talk to.
  if (samrad::bench::kafka_env != nullptr) {
    samrad::bench::kafka_env->producer.reset();
    samrad::bench::kafka_env->log.reset();
  }
  samrad::bench::kafka_env.reset();
  return 0;
}
