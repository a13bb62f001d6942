#include "libs/command/command_executor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "counter.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "libs/api/errors.h"
#include "libs/command/command_index.h"
#include "libs/command/hash_chain.h"
#include "libs/command/history.h"
#include "libs/eventlog/embedded_event_log.h"
#include "libs/projection/projection_store.h"
#include "libs/projection/projector.h"
#include "prometheus/registry.h"
#include "tests/testing/temp_dir.h"

namespace samrad::command {
namespace {

using projection::Cf;
using testing::counter::v1::Counter;
using testing::counter::v1::CounterEvent;
using testing::counter::v1::CreateCounterRequest;
using testing::counter::v1::IncrementCounterRequest;

constexpr char kTopic[] = "counter.events.v1";
constexpr char kDomain[] = "counter.samrad.test";
constexpr int32_t kPartitions = 4;

// --- the toy service: its Evolve, fold, decisions and answers ---

std::string CounterKey(std::string_view tenant, std::string_view id) {
  return absl::StrCat("counter/", std::string(tenant), "/", std::string(id));
}

// Evolve of one counter in memory: what the projection stores and what FoldAsOf rebuilds.
absl::Status FoldCounter(Counter& counter, const CounterEvent& event) {
  switch (event.event_case()) {
    case CounterEvent::kCreated:
      counter.set_id(event.created().id());
      counter.set_name(event.created().name());
      counter.set_value(0);
      break;
    case CounterEvent::kIncremented:
      counter.set_value(counter.value() + event.incremented().by());
      break;
    default:
      return absl::OkStatus();
  }
  counter.set_version(event.metadata().aggregate_version());
  return absl::OkStatus();
}

absl::Status EvolveCounters(const eventlog::TopicPartition&, const eventlog::Entry& entry,
                            projection::Transaction& tx) {
  CounterEvent event;
  if (!event.ParseFromString(entry.value)) return absl::OkStatus();
  const auto& md = event.metadata();
  if (event.has_noted()) {
    tx.Put(Cf::kState, absl::StrCat("note/", md.tenant(), "/", md.aggregate_id()),
           event.noted().note());
    return absl::OkStatus();
  }
  const std::string key = CounterKey(md.tenant(), md.aggregate_id());
  absl::StatusOr<std::optional<std::string>> current = tx.Get(Cf::kState, key);
  if (!current.ok()) return current.status();
  Counter counter;
  if (*current && !counter.ParseFromString(**current)) return absl::DataLossError("counter");
  if (absl::Status s = FoldCounter(counter, event); !s.ok()) return s;
  tx.Put(Cf::kState, key, counter.SerializeAsString());
  if (event.has_created()) {
    tx.Put(Cf::kIndexes, absl::StrCat("name/", md.tenant(), "/", counter.name()), counter.id());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Counter>> ReadCounter(const projection::ReadView& view,
                                                   std::string_view tenant, std::string_view id) {
  absl::StatusOr<std::optional<std::string>> value = view.Get(Cf::kState, CounterKey(tenant, id));
  if (!value.ok()) return value.status();
  if (!*value) return std::nullopt;
  Counter counter;
  if (!counter.ParseFromString(**value)) return absl::DataLossError("counter");
  return counter;
}

// What the toy API answers: the counter (with its etag in `version`) and, for the tests,
// whether the answer was a replay.
struct Answer {
  Counter counter;
  bool replayed = false;
};

absl::StatusOr<Answer> AnswerCounter(const AnswerContext& ctx) {
  if (ctx.version == 0) return absl::NotFoundError("no such counter");
  if (ctx.at_latest()) {
    absl::StatusOr<std::optional<Counter>> counter =
        ReadCounter(ctx.view, ctx.tenant, ctx.aggregate.id);
    if (!counter.ok()) return counter.status();
    if (!*counter) return absl::NotFoundError("no such counter");
    return Answer{**counter, ctx.replayed};
  }
  auto folded =
      FoldAsOf<CounterEvent>(ctx.view, ctx.tenant, ctx.aggregate,
                             AsOf{.version = ctx.version, .time = {}}, Counter(), FoldCounter);
  if (!folded.ok()) return folded.status();
  if (!*folded) return absl::NotFoundError("no such counter");
  return Answer{(*folded)->state, ctx.replayed};
}

class CounterService {
 public:
  explicit CounterService(CommandExecutor<CounterEvent>* executor) : executor_(executor) {}

  absl::StatusOr<Answer> Create(const api::RequestContext& rc, const CreateCounterRequest& request,
                                std::string tenant = "1280") {
    return executor_->Execute(
        rc,
        Command<CounterEvent, Answer>{
            .tenant = std::move(tenant),
            .aggregate = {"counter", request.id()},
            .request_id = request.request_id(),
            .request_id_field = "request_id",
            .fingerprint = RequestFingerprint(request),
            .reason = "created in a test",
            .decide = [&](const DecideContext& ctx) -> absl::StatusOr<std::vector<CounterEvent>> {
              if (ctx.version != 0) return absl::AlreadyExistsError("counter exists");
              CounterEvent event;
              event.mutable_created()->set_id(request.id());
              event.mutable_created()->set_name(request.name());
              return std::vector<CounterEvent>{event};
            },
            .answer = AnswerCounter});
  }

  // Increments by request.by(); with `note`, also records an AuditNoted event of the
  // aggregate ("note", id) before the increment.
  absl::StatusOr<Answer> Increment(const api::RequestContext& rc,
                                   const IncrementCounterRequest& request,
                                   std::string tenant = "1280", std::string note = "") {
    return executor_->Execute(
        rc,
        Command<CounterEvent, Answer>{
            .tenant = std::move(tenant),
            .aggregate = {"counter", request.id()},
            .request_id = request.request_id(),
            .fingerprint = RequestFingerprint(request),
            .etag = request.etag(),
            .etag_field = "etag",
            .reason = "incremented in a test",
            .decide = [&](const DecideContext& ctx) -> absl::StatusOr<std::vector<CounterEvent>> {
              if (ctx.version == 0) return absl::NotFoundError("no such counter");
              if (request.by() == 0) return std::vector<CounterEvent>{};  // nothing to do
              std::vector<CounterEvent> events;
              if (!note.empty()) {
                CounterEvent noted;
                noted.mutable_metadata()->set_aggregate_type("note");
                noted.mutable_metadata()->set_aggregate_id(request.id());
                noted.mutable_noted()->set_note(note);
                events.push_back(noted);
              }
              CounterEvent event;
              event.mutable_incremented()->set_id(request.id());
              event.mutable_incremented()->set_by(request.by());
              events.push_back(event);
              return events;
            },
            .answer = AnswerCounter});
  }

 private:
  CommandExecutor<CounterEvent>* executor_;
};

CreateCounterRequest CreateRequest(std::string id, std::string name, std::string request_id) {
  CreateCounterRequest request;
  request.set_id(std::move(id));
  request.set_name(std::move(name));
  request.set_request_id(std::move(request_id));
  return request;
}

IncrementCounterRequest IncrementRequest(std::string id, int64_t by, std::string request_id,
                                         std::string etag = "") {
  IncrementCounterRequest request;
  request.set_id(std::move(id));
  request.set_by(by);
  request.set_request_id(std::move(request_id));
  request.set_etag(std::move(etag));
  return request;
}

api::RequestContext Anna() {
  api::RequestContext rc;
  rc.actor.set_id("anna.svensson");
  rc.actor.set_display_name("Anna Svensson");
  rc.actor.set_role(common::v1::ACTOR_ROLE_OFFICIAL);
  rc.actor.set_administration("stadskontoret");
  rc.correlation_id = "corr-anna";
  return rc;
}

api::RequestContext Bo() {
  api::RequestContext rc = Anna();
  rc.actor.set_id("bo.ek");
  rc.actor.set_display_name("Bo Ek");
  rc.correlation_id = "corr-bo";
  return rc;
}

// Every key and value of one column family.
std::vector<std::pair<std::string, std::string>> Dump(const projection::ProjectionStore& store,
                                                      Cf cf) {
  std::vector<std::pair<std::string, std::string>> out;
  EXPECT_TRUE(store
                  .ScanPrefix(cf, "",
                              [&](std::string_view k, std::string_view v) {
                                out.emplace_back(std::string(k), std::string(v));
                                return true;
                              })
                  .ok());
  return out;
}

std::vector<eventlog::Entry> ReadAll(eventlog::EventLog& log, const eventlog::TopicPartition& tp) {
  std::vector<eventlog::Entry> all;
  const int64_t end = log.HighWatermark(tp).value();
  while (static_cast<int64_t>(all.size()) < end) {
    auto entries = log.Read(tp, static_cast<int64_t>(all.size()), 1000, absl::Seconds(1));
    EXPECT_TRUE(entries.ok());
    if (!entries.ok()) break;
    all.insert(all.end(), entries->begin(), entries->end());
  }
  return all;
}

CounterEvent Parse(const eventlog::Entry& entry) {
  CounterEvent event;
  EXPECT_TRUE(event.ParseFromString(entry.value));
  return event;
}

// An EventLog that forwards to another and can pretend an append failed after it was in
// fact written: what a Kafka producer sees when the acknowledgement is lost. It can also hold
// AwaitDurable at a gate (a slow fsync) and fail it (a failed fsync).
class LostAckLog : public eventlog::EventLog {
 public:
  explicit LostAckLog(eventlog::EventLog* log) : log_(log) {}
  void LoseNextAck() { lose_next_ack_ = true; }

  void CloseGate() {
    std::lock_guard lock(mu_);
    gate_open_ = false;
  }
  void OpenGate() {
    std::lock_guard lock(mu_);
    gate_open_ = true;
    cv_.notify_all();
  }
  void FailNextDurableWait(absl::Status status) {
    std::lock_guard lock(mu_);
    fail_durable_ = std::move(status);
  }
  // Blocks until `n` AwaitDurable calls are waiting at the gate.
  void WaitForWaiters(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return at_gate_ >= n; });
  }
  int durable_waits() {
    std::lock_guard lock(mu_);
    return durable_waits_;
  }

  absl::StatusOr<std::vector<int64_t>> AppendDeferred(
      const eventlog::TopicPartition& tp, std::vector<eventlog::Record> records) override {
    absl::StatusOr<std::vector<int64_t>> offsets = log_->AppendDeferred(tp, std::move(records));
    if (offsets.ok() && lose_next_ack_.exchange(false)) {
      return absl::UnavailableError("acknowledgement lost");
    }
    return offsets;
  }
  absl::Status AwaitDurable(const eventlog::TopicPartition& tp, int64_t end) override {
    {
      std::unique_lock lock(mu_);
      ++durable_waits_;
      ++at_gate_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return gate_open_; });
      --at_gate_;
      if (!fail_durable_.ok()) return std::exchange(fail_durable_, absl::OkStatus());
    }
    return log_->AwaitDurable(tp, end);
  }

  absl::Status EnsureTopic(const std::string& topic, int32_t partitions) override {
    return log_->EnsureTopic(topic, partitions);
  }
  absl::StatusOr<std::vector<int64_t>> Append(const eventlog::TopicPartition& tp,
                                              std::vector<eventlog::Record> records) override {
    absl::StatusOr<std::vector<int64_t>> offsets = log_->Append(tp, std::move(records));
    if (offsets.ok() && lose_next_ack_.exchange(false)) {
      return absl::UnavailableError("acknowledgement lost");
    }
    return offsets;
  }
  absl::StatusOr<std::vector<eventlog::Entry>> Read(const eventlog::TopicPartition& tp,
                                                    int64_t from, size_t max,
                                                    absl::Duration wait) override {
    return log_->Read(tp, from, max, wait);
  }
  absl::StatusOr<int64_t> HighWatermark(const eventlog::TopicPartition& tp) override {
    return log_->HighWatermark(tp);
  }
  absl::StatusOr<std::unique_ptr<eventlog::Subscription>> Subscribe(
      const eventlog::TopicPartition& tp, int64_t from, eventlog::Handler handler,
      eventlog::SubscribeOptions options) override {
    return log_->Subscribe(tp, from, std::move(handler), options);
  }
  std::string_view backend() const override { return "lost-ack"; }

 private:
  eventlog::EventLog* log_;
  std::atomic<bool> lose_next_ack_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool gate_open_ = true;      // Guarded by mu_.
  int at_gate_ = 0;            // Guarded by mu_.
  int durable_waits_ = 0;      // Guarded by mu_.
  absl::Status fail_durable_;  // Guarded by mu_.
};

class CommandExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = eventlog::EmbeddedEventLog::Open({.path = dir_.Sub("log"), .sync = false});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    ASSERT_TRUE(log_->EnsureTopic(kTopic, kPartitions).ok());
    lost_ack_log_ = std::make_unique<LostAckLog>(log_.get());
    metrics_.emplace(CommandMetrics::Create(registry_));
    OpenStore("store");
    MakeExecutor();
  }

  void OpenStore(const std::string& name) {
    executor_.reset();
    store_.reset();
    auto store = projection::ProjectionStore::Open({.path = dir_.Sub(name)});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void MakeExecutor(EvolveFn evolve = EvolveCounters) {
    auto executor = CommandExecutor<CounterEvent>::Create({.service = "counter",
                                                           .domain = kDomain,
                                                           .topic = kTopic,
                                                           .partitions = kPartitions,
                                                           .log = lost_ack_log_.get(),
                                                           .store = store_.get(),
                                                           .apply = WithCommandIndexes(kTopic, std::move(evolve)),
                                                           .metrics = &*metrics_});
    ASSERT_TRUE(executor.ok()) << executor.status();
    executor_ = std::move(*executor);
    service_ = std::make_unique<CounterService>(executor_.get());
  }

  eventlog::TopicPartition Tp(std::string_view tenant = "1280") const {
    return executor_->PartitionOf(tenant);
  }
  int64_t Hw(std::string_view tenant = "1280") { return log_->HighWatermark(Tp(tenant)).value(); }

  Counter MustCreate(const std::string& id, const std::string& tenant = "1280") {
    auto answer =
        service_->Create(Anna(), CreateRequest(id, "Räknare " + id, "create-" + id), tenant);
    EXPECT_TRUE(answer.ok()) << answer.status();
    return answer.ok() ? answer->counter : Counter();
  }

  testutil::TempDir dir_;
  prometheus::Registry registry_;
  std::optional<CommandMetrics> metrics_;
  std::unique_ptr<eventlog::EmbeddedEventLog> log_;
  std::unique_ptr<LostAckLog> lost_ack_log_;
  std::unique_ptr<projection::ProjectionStore> store_;
  std::unique_ptr<CommandExecutor<CounterEvent>> executor_;
  std::unique_ptr<CounterService> service_;
};

TEST_F(CommandExecutorTest, WritePathEndToEnd) {
  Counter created = MustCreate("c1");
  EXPECT_EQ(created.id(), "c1");
  EXPECT_EQ(created.name(), "Räknare c1");
  EXPECT_EQ(created.version(), 1);

  auto inc = service_->Increment(Anna(), IncrementRequest("c1", 5, "r-1", "1"));
  ASSERT_TRUE(inc.ok()) << inc.status();
  EXPECT_EQ(inc->counter.value(), 5);
  EXPECT_EQ(inc->counter.version(), 2);
  EXPECT_FALSE(inc->replayed);
  inc = service_->Increment(Anna(), IncrementRequest("c1", 3, "r-2", "\"2\""));
  ASSERT_TRUE(inc.ok()) << inc.status();
  EXPECT_EQ(inc->counter.value(), 8);
  EXPECT_EQ(inc->counter.version(), 3);

  // The log has the three events, the projection the state and the version.
  EXPECT_EQ(Hw(), 3);
  EXPECT_EQ(store_->NextOffset(Tp()).value(), 3);
  const projection::ReadView view = store_->NewReadView();
  EXPECT_EQ(AggregateVersion(view, "1280", {"counter", "c1"}).value(), 3);
  EXPECT_EQ(ReadCounter(view, "1280", "c1").value()->value(), 8);

  // History and state as of a version.
  auto history = History<CounterEvent>(view, "1280", {"counter", "c1"});
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_TRUE((*history)[0].has_created());
  EXPECT_EQ((*history)[1].incremented().by(), 5);
  EXPECT_EQ((*history)[2].metadata().aggregate_version(), 3);
  auto page = History<CounterEvent>(view, "1280", {"counter", "c1"}, 2, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].metadata().aggregate_version(), 2);

  auto at2 = FoldAsOf<CounterEvent>(view, "1280", {"counter", "c1"}, AsOf{.version = 2}, Counter(),
                                    FoldCounter);
  ASSERT_TRUE(at2.ok() && at2->has_value());
  EXPECT_EQ((*at2)->state.value(), 5);
  EXPECT_EQ((*at2)->version, 2);
  auto none =
      FoldAsOf<CounterEvent>(view, "1280", {"counter", "c9"}, AsOf{}, Counter(), FoldCounter);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(CommandExecutorTest, StateAsOfATime) {
  MustCreate("c1");
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(service_->Increment(Anna(), IncrementRequest("c1", i, absl::StrCat("r-", i))).ok());
  }
  const projection::ReadView view = store_->NewReadView();
  auto history = History<CounterEvent>(view, "1280", {"counter", "c1"}).value();
  ASSERT_EQ(history.size(), 6u);
  auto time_of = [](const CounterEvent& e) {
    return absl::FromUnixSeconds(e.metadata().occurred_at().seconds()) +
           absl::Nanoseconds(e.metadata().occurred_at().nanos());
  };
  for (size_t i = 1; i < history.size(); ++i) {
    EXPECT_GE(time_of(history[i]), time_of(history[i - 1])) << "occurred_at never decreases";
  }
  for (size_t i = 0; i < history.size(); ++i) {
    const absl::Time t = time_of(history[i]);
    // Expected: every event up to the last one stamped no later than t.
    int64_t expected_version = 0;
    int64_t expected_value = 0;
    for (const CounterEvent& e : history) {
      if (time_of(e) > t) break;
      expected_version = e.metadata().aggregate_version();
      if (e.has_incremented()) expected_value += e.incremented().by();
    }
    auto folded = FoldAsOf<CounterEvent>(view, "1280", {"counter", "c1"},
                                         AsOf{.version = {}, .time = t}, Counter(), FoldCounter);
    ASSERT_TRUE(folded.ok() && folded->has_value());
    EXPECT_EQ((*folded)->version, expected_version);
    EXPECT_EQ((*folded)->state.value(), expected_value);
  }
  auto before = FoldAsOf<CounterEvent>(
      view, "1280", {"counter", "c1"},
      AsOf{.version = {}, .time = time_of(history[0]) - absl::Microseconds(1)}, Counter(),
      FoldCounter);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value());
}

// A version the aggregate has not reached does not exist: FoldAsOf says so (OUT_OF_RANGE)
// instead of answering the latest state as if it were that version (issue 8). An unknown
// aggregate is still "not found" (nullopt), and a time after the last event is the latest.
TEST_F(CommandExecutorTest, AsOfAVersionBeyondTheLatestIsOutOfRange) {
  MustCreate("c1");
  ASSERT_TRUE(service_->Increment(Anna(), IncrementRequest("c1", 5, "r-1")).ok());
  const projection::ReadView view = store_->NewReadView();
  const auto fold = [&](AsOf as_of, std::string id = "c1") {
    return FoldAsOf<CounterEvent>(view, "1280", {"counter", id}, as_of, Counter(), FoldCounter);
  };
  struct Row {
    std::string name;
    AsOf as_of;
    absl::StatusCode code;
    int64_t version;  // of the folded state; 0: none (nullopt)
  };
  const absl::Time last =
      absl::FromUnixSeconds(History<CounterEvent>(view, "1280", {"counter", "c1"})
                                ->back()
                                .metadata()
                                .occurred_at()
                                .seconds() +
                            1);
  const std::vector<Row> rows = {
      {"the first version", AsOf{.version = 1}, absl::StatusCode::kOk, 1},
      {"the latest version", AsOf{.version = 2}, absl::StatusCode::kOk, 2},
      {"one beyond the latest", AsOf{.version = 3}, absl::StatusCode::kOutOfRange, 0},
      {"far beyond the latest", AsOf{.version = 1000000}, absl::StatusCode::kOutOfRange, 0},
      {"a time after the last event", AsOf{.version = {}, .time = last + absl::Hours(24)},
       absl::StatusCode::kOk, 2},
      {"a version beyond, with a time before it", AsOf{.version = 3, .time = absl::InfinitePast()},
       absl::StatusCode::kOutOfRange, 0},
      {"an existing version, with a time before it",
       AsOf{.version = 2, .time = absl::InfinitePast()}, absl::StatusCode::kOk, 0},
      {"now", AsOf{}, absl::StatusCode::kOk, 2},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    auto folded = fold(row.as_of);
    ASSERT_EQ(folded.status().code(), row.code) << folded.status();
    if (!folded.ok()) {
      EXPECT_THAT(std::string(folded.status().message()), ::testing::HasSubstr("latest is 2"));
      continue;
    }
    ASSERT_EQ(folded->has_value(), row.version != 0);
    if (row.version != 0) {
      EXPECT_EQ((*folded)->version, row.version);
    }
  }
  // An aggregate that does not exist is not found, whatever version is asked for.
  auto unknown = fold(AsOf{.version = 3}, "c9");
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(CommandExecutorTest, MetadataIsComplete) {
  MustCreate("c1");
  api::RequestContext rc = Bo();
  ASSERT_TRUE(service_->Increment(rc, IncrementRequest("c1", 2, "r-meta"), "1280", "checked").ok());

  const std::vector<eventlog::Entry> entries = ReadAll(*log_, Tp());
  ASSERT_EQ(entries.size(), 3u);
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> event_ids;
  std::string previous_hash;
  for (const eventlog::Entry& entry : entries) {
    const CounterEvent event = Parse(entry);
    const common::v1::EventMetadata& md = event.metadata();
    EXPECT_TRUE(std::regex_match(md.event_id(), uuid)) << md.event_id();
    event_ids.insert(md.event_id());
    EXPECT_EQ(md.tenant(), "1280");
    EXPECT_GT(md.occurred_at().seconds(), 1600000000);
    EXPECT_EQ(md.previous_hash(), previous_hash);
    EXPECT_EQ(md.hash().size(), 32u);
    previous_hash = md.hash();
    EXPECT_EQ(entry.key, "1280");
    std::map<std::string, std::string> headers;
    for (const auto& h : entry.headers) headers[h.key] = h.value;
    EXPECT_EQ(headers["event-type"], md.event_type());
    EXPECT_EQ(headers["event-id"], md.event_id());
  }
  EXPECT_EQ(event_ids.size(), 3u);

  // The second command: a note (another aggregate) and the increment, one time for both.
  const CounterEvent noted = Parse(entries[1]);
  const CounterEvent incremented = Parse(entries[2]);
  for (const CounterEvent* e : {&noted, &incremented}) {
    const common::v1::EventMetadata& md = e->metadata();
    EXPECT_EQ(md.actor().id(), "bo.ek");
    EXPECT_EQ(md.actor().display_name(), "Bo Ek");
    EXPECT_EQ(md.actor().role(), common::v1::ACTOR_ROLE_OFFICIAL);
    EXPECT_EQ(md.actor().administration(), "stadskontoret");
    EXPECT_EQ(md.request_id(), "r-meta");
    EXPECT_EQ(md.correlation_id(), "corr-bo");
    EXPECT_EQ(md.causation_id(), "r-meta");
    EXPECT_EQ(md.reason(), "incremented in a test");
  }
  EXPECT_EQ(noted.metadata().occurred_at().SerializeAsString(),
            incremented.metadata().occurred_at().SerializeAsString());
  EXPECT_EQ(noted.metadata().aggregate_type(), "note");
  EXPECT_EQ(noted.metadata().aggregate_id(), "c1");
  EXPECT_EQ(noted.metadata().aggregate_version(), 1);
  EXPECT_EQ(noted.metadata().event_type(), "samrad.testing.counter.v1.AuditNoted");
  EXPECT_EQ(incremented.metadata().aggregate_type(), "counter");
  EXPECT_EQ(incremented.metadata().aggregate_id(), "c1");
  EXPECT_EQ(incremented.metadata().aggregate_version(), 2);
  EXPECT_EQ(incremented.metadata().event_type(), "samrad.testing.counter.v1.CounterIncremented");
  EXPECT_EQ(Parse(entries[0]).metadata().event_type(), "samrad.testing.counter.v1.CounterCreated");

  // Only the last event of the command's own aggregate carries the fingerprint, and the
  // request index points at that aggregate.
  auto has_fingerprint = [](const eventlog::Entry& e) {
    return std::any_of(e.headers.begin(), e.headers.end(),
                       [](const auto& h) { return h.key == kRequestFingerprintHeader; });
  };
  EXPECT_TRUE(has_fingerprint(entries[0]));
  EXPECT_FALSE(has_fingerprint(entries[1]));
  EXPECT_TRUE(has_fingerprint(entries[2]));
  auto record = FindRequest(store_->NewReadView(), "1280", "r-meta");
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->aggregate, (AggregateRef{"counter", "c1"}));
  EXPECT_EQ((*record)->version, 2);
  EXPECT_EQ((*record)->offset, 2);
  EXPECT_EQ(AggregateVersion(store_->NewReadView(), "1280", {"note", "c1"}).value(), 1);
}

TEST_F(CommandExecutorTest, CausationIdCanBeGiven) {
  auto answer = executor_->Execute(
      Anna(), Command<CounterEvent, Answer>{
                  .tenant = "1280",
                  .aggregate = {"counter", "c1"},
                  .request_id = "r-cause",
                  .causation_id = "event-42",
                  .decide = [](const DecideContext&) -> absl::StatusOr<std::vector<CounterEvent>> {
                    CounterEvent e;
                    e.mutable_created()->set_id("c1");
                    return std::vector<CounterEvent>{e};
                  },
                  .answer = AnswerCounter});
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(Parse(ReadAll(*log_, Tp())[0]).metadata().causation_id(), "event-42");
}

TEST_F(CommandExecutorTest, EtagMismatchIsAborted) {
  MustCreate("c1");
  ASSERT_TRUE(service_->Increment(Anna(), IncrementRequest("c1", 1, "r-1", "1")).ok());
  const int64_t hw = Hw();

  auto stale = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-2", "1"));
  ASSERT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  std::optional<common::v1::ErrorDetail> detail = errors::DetailOf(stale.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->reason(), "ETAG_MISMATCH");
  EXPECT_EQ(detail->domain(), kDomain);
  EXPECT_EQ(detail->metadata().at("expected_etag"), "1");
  EXPECT_EQ(detail->metadata().at("current_etag"), "2");
  EXPECT_THAT(detail->message().sv(), ::testing::HasSubstr("ändrats av någon annan"));
  EXPECT_THAT(detail->message().en(), ::testing::HasSubstr("changed by someone else"));
  EXPECT_EQ(Hw(), hw);

  // What the client receives.
  grpc::Status grpc_status = api::ToGrpcStatus(stale.status(), Lang::kEn);
  EXPECT_EQ(grpc_status.error_code(), grpc::StatusCode::ABORTED);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(grpc_status.error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_GE(rpc.details_size(), 1);
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "ETAG_MISMATCH");

  // An etag from the future is stale too; a garbage etag is invalid.
  EXPECT_EQ(service_->Increment(Anna(), IncrementRequest("c1", 1, "r-3", "9")).status().code(),
            absl::StatusCode::kAborted);
  auto garbage = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-4", "W/x"));
  ASSERT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  detail = errors::DetailOf(garbage.status());
  ASSERT_TRUE(detail.has_value());
  ASSERT_EQ(detail->field_violations_size(), 1);
  EXPECT_EQ(detail->field_violations(0).field(), "etag");
  EXPECT_EQ(detail->field_violations(0).reason(), "ETAG_INVALID");
  EXPECT_EQ(Hw(), hw);

  // The current etag passes.
  auto fresh = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-5", Etag(2)));
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(fresh->counter.version(), 3);
}

TEST_F(CommandExecutorTest, RepeatedRequestIdReturnsTheFirstAnswerAndAppendsNothing) {
  MustCreate("c1");
  const IncrementCounterRequest request = IncrementRequest("c1", 7, "r-once", "1");
  auto first = service_->Increment(Anna(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  const int64_t hw = Hw();

  auto again = service_->Increment(Anna(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(again->counter, first->counter));
  EXPECT_EQ(Hw(), hw);

  // Later changes do not change the replayed answer: it is the resource at that version.
  ASSERT_TRUE(service_->Increment(Anna(), IncrementRequest("c1", 100, "r-later")).ok());
  auto later = service_->Increment(Anna(), request);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->replayed);
  EXPECT_EQ(later->counter.value(), 7);
  EXPECT_EQ(later->counter.version(), 2);
  EXPECT_EQ(Hw(), hw + 1);

  // The same request id in another tenant is another request.
  MustCreate("c1", "0180");
  auto other_tenant = service_->Increment(Anna(), request, "0180");
  ASSERT_TRUE(other_tenant.ok()) << other_tenant.status();
  EXPECT_FALSE(other_tenant->replayed);
}

TEST_F(CommandExecutorTest, RepeatedCreateReturnsTheSameResource) {
  const CreateCounterRequest request = CreateRequest("c1", "Första", "r-create");
  auto first = service_->Create(Anna(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = service_->Create(Anna(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(again->counter, first->counter));
  EXPECT_EQ(Hw(), 1);
}

TEST_F(CommandExecutorTest, ReusedRequestIdWithAnotherPayloadIsInvalid) {
  MustCreate("c1");
  ASSERT_TRUE(service_->Increment(Anna(), IncrementRequest("c1", 1, "r-x")).ok());
  const int64_t hw = Hw();
  for (auto [rc, request] :
       {std::pair{Anna(), IncrementRequest("c1", 2, "r-x")},   // another payload
        std::pair{Bo(), IncrementRequest("c1", 1, "r-x")}}) {  // another actor
    auto reused = service_->Increment(rc, request);
    ASSERT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
    std::optional<common::v1::ErrorDetail> detail = errors::DetailOf(reused.status());
    ASSERT_TRUE(detail.has_value());
    ASSERT_EQ(detail->field_violations_size(), 1);
    EXPECT_EQ(detail->field_violations(0).field(), "options.request_id");
    EXPECT_EQ(detail->field_violations(0).reason(), "REQUEST_ID_REUSED");
  }
  EXPECT_EQ(Hw(), hw);
}

TEST_F(CommandExecutorTest, RequestIdIsRequiredAndNamedByItsPath) {
  MustCreate("c1");
  auto missing = service_->Increment(Anna(), IncrementRequest("c1", 1, ""));
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  auto detail = errors::DetailOf(missing.status());
  ASSERT_TRUE(detail.has_value());
  ASSERT_EQ(detail->field_violations_size(), 1);
  EXPECT_EQ(detail->field_violations(0).field(), "options.request_id");
  EXPECT_EQ(detail->field_violations(0).reason(), "REQUIRED");

  auto create = service_->Create(Anna(), CreateRequest("c2", "x", ""));
  detail = errors::DetailOf(create.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->field_violations(0).field(), "request_id");

  auto too_long = service_->Increment(Anna(), IncrementRequest("c1", 1, std::string(257, 'r')));
  detail = errors::DetailOf(too_long.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->field_violations(0).reason(), "TOO_LONG");
  EXPECT_EQ(Hw(), 1);
}

TEST_F(CommandExecutorTest, WritesNeedAnActor) {
  api::RequestContext nobody = Anna();
  nobody.actor.clear_id();
  auto answer = service_->Create(nobody, CreateRequest("c1", "x", "r-1"));
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Hw(), 0);
}

TEST_F(CommandExecutorTest, DecisionErrorsAndEmptyDecisionsAppendNothing) {
  auto missing = service_->Increment(Anna(), IncrementRequest("nope", 1, "r-1"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  MustCreate("c1");
  EXPECT_EQ(service_->Create(Anna(), CreateRequest("c1", "again", "r-2")).status().code(),
            absl::StatusCode::kAlreadyExists);
  auto noop = service_->Increment(Anna(), IncrementRequest("c1", 0, "r-3"));
  ASSERT_TRUE(noop.ok()) << noop.status();
  EXPECT_EQ(noop->counter.version(), 1);
  EXPECT_EQ(Hw(), 1);
  EXPECT_FALSE(FindRequest(store_->NewReadView(), "1280", "r-3").value().has_value());
}

TEST_F(CommandExecutorTest, AuthorizeRunsAgainstTheState) {
  MustCreate("c1");
  auto denied = executor_->Execute(
      Bo(), Command<CounterEvent, Answer>{
                .tenant = "1280",
                .aggregate = {"counter", "c1"},
                .request_id = "r-deny",
                .authorize = [](const DecideContext& ctx) -> absl::Status {
                  if (ctx.request.actor.id() != "anna.svensson") {
                    return errors::Error(absl::StatusCode::kPermissionDenied, kDomain, "NOT_OWNER",
                                      {"Inte ägare.", "Not the owner."});
                  }
                  return absl::OkStatus();
                },
                .decide = [](const DecideContext&) -> absl::StatusOr<std::vector<CounterEvent>> {
                  ADD_FAILURE() << "decide after a refused authorisation";
                  return std::vector<CounterEvent>{};
                },
                .answer = AnswerCounter});
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Hw(), 1);
}

TEST_F(CommandExecutorTest, ConcurrentCommandsOnOnePartitionLoseNothing) {
  MustCreate("c1");
  // A projector follows the log at the same time, applying the same events as the
  // executor's local apply (whichever comes first wins; the other skips).
  std::vector<eventlog::TopicPartition> sources;
  for (int32_t p = 0; p < kPartitions; ++p) sources.push_back({kTopic, p});
  auto projector = projection::Projector::Start(log_.get(), store_.get(), executor_->apply(),
                                                {.name = "counter", .sources = sources});
  ASSERT_TRUE(projector.ok()) << projector.status();

  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<int64_t>> versions(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto answer =
            service_->Increment(Anna(), IncrementRequest("c1", 1, absl::StrCat("t", t, "-", i)));
        ASSERT_TRUE(answer.ok()) << answer.status();
        versions[t].push_back(answer->counter.version());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE((*projector)->CatchUp(absl::Seconds(30)).ok());
  projector->reset();

  std::set<int64_t> all;
  for (const auto& v : versions) {
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*all.begin(), 2);
  EXPECT_EQ(*all.rbegin(), 1 + kThreads * kPerThread);
  EXPECT_EQ(ReadCounter(store_->NewReadView(), "1280", "c1").value()->value(),
            kThreads * kPerThread);

  // The log holds consecutive versions in offset order.
  const std::vector<eventlog::Entry> entries = ReadAll(*log_, Tp());
  ASSERT_EQ(entries.size(), static_cast<size_t>(1 + kThreads * kPerThread));
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(Parse(entries[i]).metadata().aggregate_version(), static_cast<int64_t>(i + 1));
  }
  absl::StatusOr<ChainReport> report = VerifyChain(*log_, Tp());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact()) << report->first_break->ToString();
}

TEST_F(CommandExecutorTest, TheNextCommandDecidesWhileThePreviousWaitsForDurability) {
  MustCreate("c1");
  lost_ack_log_->CloseGate();
  // The first command is written and applied, and waits for its sync at the gate...
  absl::StatusOr<Answer> first;
  std::atomic<bool> first_done = false;
  std::thread a([&] {
    first = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-a"));
    first_done = true;
  });
  lost_ack_log_->WaitForWaiters(1);
  EXPECT_FALSE(first_done.load());
  // ...which does not hold the partition: the second command decides on the first one's
  // state (version 2) and reaches the gate too.
  absl::StatusOr<Answer> second;
  std::thread b([&] { second = service_->Increment(Anna(), IncrementRequest("c1", 10, "r-b")); });
  lost_ack_log_->WaitForWaiters(2);
  EXPECT_FALSE(first_done.load());
  lost_ack_log_->OpenGate();
  a.join();
  b.join();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->counter.value(), 1);
  EXPECT_EQ(first->counter.version(), 2);
  EXPECT_EQ(second->counter.value(), 11);
  EXPECT_EQ(second->counter.version(), 3);
  EXPECT_EQ(Hw(), 3);
}

TEST_F(CommandExecutorTest, ARefusalWaitsForTheStateItReadToBeDurable) {
  MustCreate("c1");
  const int before = lost_ack_log_->durable_waits();
  auto stale = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-stale", "7"));
  ASSERT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(lost_ack_log_->durable_waits(), before + 1);
}

TEST_F(CommandExecutorTest, AFailedSyncIsUnavailableAndTheRetryGetsTheAnswer) {
  MustCreate("c1");
  lost_ack_log_->FailNextDurableWait(absl::UnavailableError("fsync failed"));
  const IncrementCounterRequest request = IncrementRequest("c1", 5, "r-1", "1");
  auto failed = service_->Increment(Anna(), request);
  ASSERT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(errors::DetailOf(failed.status())->reason(), "EVENT_LOG_UNAVAILABLE");

  // The events were written and applied; the retry makes them durable first (the executor
  // re-checks the partition after a failure) and answers from the record of the first call.
  auto retry = service_->Increment(Anna(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->counter.value(), 5);
  EXPECT_EQ(retry->counter.version(), 2);
  EXPECT_EQ(Hw(), 2);
  EXPECT_TRUE(VerifyChain(*log_, Tp()).value().intact());
}

TEST_F(CommandExecutorTest, HashChainHoldsAndVerifyChainFindsTampering) {
  // Many events over several tenants (and so partitions).
  const std::vector<std::string> tenants = {"1280", "0180", "1480", "0380", "1281"};
  for (const std::string& tenant : tenants) {
    MustCreate("c", tenant);
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE(
          service_->Increment(Anna(), IncrementRequest("c", i + 1, absl::StrCat("r", i)), tenant)
              .ok());
    }
  }
  std::set<int32_t> used;
  for (const std::string& tenant : tenants) used.insert(Tp(tenant).partition);
  EXPECT_GT(used.size(), 1u);
  for (int32_t p = 0; p < kPartitions; ++p) {
    const eventlog::TopicPartition tp{kTopic, p};
    auto head = ReadChainHead(store_->NewReadView(), tp).value();
    absl::StatusOr<ChainReport> report =
        VerifyChain(*log_, tp, {.batch = 16, .expected_head = head});
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->intact()) << report->first_break->ToString();
    EXPECT_EQ(report->events_verified, log_->HighWatermark(tp).value());
    if (head) {
      EXPECT_EQ(report->head_hash, head->hash);
    }
  }

  // Tampered copies of the busiest partition in second logs.
  const eventlog::TopicPartition tp = Tp("1280");
  const std::vector<eventlog::Entry> original = ReadAll(*log_, tp);
  ASSERT_GT(original.size(), 30u);
  auto copy_into_new_log = [&](const std::string& name, std::vector<eventlog::Entry> entries) {
    auto copy = eventlog::EmbeddedEventLog::Open({.path = dir_.Sub(name), .sync = false});
    EXPECT_TRUE(copy.ok());
    EXPECT_TRUE((*copy)->EnsureTopic(kTopic, kPartitions).ok());
    std::vector<eventlog::Record> records;
    for (auto& e : entries) records.push_back({e.key, e.value, e.headers});
    EXPECT_TRUE((*copy)->Append(tp, std::move(records)).ok());
    return std::move(*copy);
  };
  const auto head = ReadChainHead(store_->NewReadView(), tp).value();

  {  // One increment's amount changed.
    std::vector<eventlog::Entry> altered = original;
    CounterEvent event = Parse(altered[20]);
    event.mutable_incremented()->set_by(event.incremented().by() + 1000);
    altered[20].value = event.SerializeAsString();
    auto copy = copy_into_new_log("altered", altered);
    auto report = VerifyChain(*copy, tp);
    ASSERT_TRUE(report.ok());
    ASSERT_FALSE(report->intact());
    EXPECT_EQ(report->first_break->kind, ChainBreak::Kind::kAltered);
    EXPECT_EQ(report->first_break->offset, 20);
    EXPECT_EQ(report->first_break->found, Parse(original[20]).metadata().hash());
  }
  {  // One event removed.
    std::vector<eventlog::Entry> missing = original;
    missing.erase(missing.begin() + 20);
    auto copy = copy_into_new_log("missing", missing);
    auto report = VerifyChain(*copy, tp);
    ASSERT_TRUE(report.ok());
    ASSERT_FALSE(report->intact());
    EXPECT_EQ(report->first_break->kind, ChainBreak::Kind::kBrokenLink);
    EXPECT_EQ(report->first_break->offset, 20);
    EXPECT_EQ(report->first_break->expected, Parse(original[19]).metadata().hash());
  }
  {  // The last event removed: found against the projection's chain head.
    std::vector<eventlog::Entry> truncated = original;
    truncated.pop_back();
    auto copy = copy_into_new_log("truncated", truncated);
    auto report = VerifyChain(*copy, tp, {.expected_head = head});
    ASSERT_TRUE(report.ok());
    ASSERT_FALSE(report->intact());
    EXPECT_EQ(report->first_break->kind, ChainBreak::Kind::kTruncated);
    EXPECT_EQ(report->first_break->offset, static_cast<int64_t>(original.size() - 1));
  }
}

TEST_F(CommandExecutorTest, ReplayingTheLogRebuildsTheSameBytes) {
  for (const std::string tenant : {"1280", "0180", "1480"}) {
    MustCreate("a", tenant);
    MustCreate("b", tenant);
    for (int i = 0; i < 15; ++i) {
      ASSERT_TRUE(service_
                      ->Increment(Anna(), IncrementRequest(i % 2 ? "a" : "b", i, absl::StrCat(i)),
                                  tenant, i % 5 == 0 ? "note" : "")
                      .ok());
    }
  }
  auto replayed = projection::ProjectionStore::Open({.path = dir_.Sub("replayed")});
  ASSERT_TRUE(replayed.ok());
  const auto apply = WithCommandIndexes(kTopic, EvolveCounters);
  for (int32_t p = 0; p < kPartitions; ++p) {
    const eventlog::TopicPartition tp{kTopic, p};
    const std::vector<eventlog::Entry> entries = ReadAll(*log_, tp);
    if (entries.empty()) continue;
    // Odd batch sizes, so that batch borders fall inside commands.
    for (size_t first = 0; first < entries.size(); first += 7) {
      const size_t n = std::min<size_t>(7, entries.size() - first);
      auto applied =
          (*replayed)->ApplyBatch(tp, static_cast<int64_t>(first), static_cast<int64_t>(n),
                                  [&](int64_t offset, projection::Transaction& tx) {
                                    return apply(tp, entries[static_cast<size_t>(offset)], tx);
                                  });
      ASSERT_TRUE(applied.ok()) << applied.status();
    }
  }
  for (Cf cf : {Cf::kState, Cf::kIndexes, Cf::kOffsets}) {
    const auto written = Dump(*store_, cf);
    EXPECT_FALSE(written.empty());
    EXPECT_TRUE(written == Dump(**replayed, cf)) << projection::CfName(cf);
  }
}

TEST_F(CommandExecutorTest, RestartContinuesVersionsChainAndDeduplication) {
  MustCreate("c1");
  const IncrementCounterRequest request = IncrementRequest("c1", 4, "r-before");
  auto before = service_->Increment(Anna(), request);
  ASSERT_TRUE(before.ok());

  OpenStore("store");  // closes and reopens the same store
  MakeExecutor();
  auto again = service_->Increment(Anna(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->counter.value(), 4);
  auto after = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-after", "2"));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->counter.version(), 3);
  auto report = VerifyChain(*log_, Tp());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact());
  EXPECT_EQ(report->events_verified, 3);
}

TEST_F(CommandExecutorTest, AFreshStoreCatchesUpFromTheLogBeforeDeciding) {
  MustCreate("c1");
  ASSERT_TRUE(service_->Increment(Anna(), IncrementRequest("c1", 4, "r-1")).ok());

  OpenStore("fresh");  // an empty projection over the same log
  MakeExecutor();
  ASSERT_TRUE(executor_->CatchUp().ok());
  EXPECT_EQ(store_->NextOffset(Tp()).value(), 2);
  auto retry = service_->Increment(Anna(), IncrementRequest("c1", 4, "r-1"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  auto next = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-2", "2"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->counter.value(), 5);
  EXPECT_TRUE(VerifyChain(*log_, Tp()).value().intact());
}

TEST_F(CommandExecutorTest, AStoreWithoutCommandIndexesIsRefused) {
  MustCreate("c1");
  // A projection built by the plain Evolve (no chain head, versions or request index).
  auto plain = projection::ProjectionStore::Open({.path = dir_.Sub("plain")});
  ASSERT_TRUE(plain.ok());
  const auto entries = ReadAll(*log_, Tp());
  ASSERT_TRUE((*plain)
                  ->ApplyBatch(Tp(), 0, static_cast<int64_t>(entries.size()),
                               [&](int64_t offset, projection::Transaction& tx) {
                                 return EvolveCounters(Tp(), entries[offset], tx);
                               })
                  .ok());
  auto executor = CommandExecutor<CounterEvent>::Create({.service = "counter",
                                                         .domain = kDomain,
                                                         .topic = kTopic,
                                                         .partitions = kPartitions,
                                                         .log = log_.get(),
                                                         .store = plain->get(),
                                                         .apply = WithCommandIndexes(kTopic, EvolveCounters)});
  ASSERT_TRUE(executor.ok());
  CounterService service(executor->get());
  auto refused = service.Increment(Anna(), IncrementRequest("c1", 1, "r-1"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Hw(), 1);
}

TEST_F(CommandExecutorTest, FailedAppendAppliesNothingAndTheRetryWorks) {
  MustCreate("c1");
  log_->FailNextWriteForTesting(absl::InternalError("disk full"));
  const IncrementCounterRequest request = IncrementRequest("c1", 2, "r-1", "1");
  auto failed = service_->Increment(Anna(), request);
  ASSERT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(errors::DetailOf(failed.status())->reason(), "EVENT_LOG_UNAVAILABLE");
  EXPECT_EQ(Hw(), 1);
  EXPECT_EQ(ReadCounter(store_->NewReadView(), "1280", "c1").value()->version(), 1);

  auto retry = service_->Increment(Anna(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_FALSE(retry->replayed);
  EXPECT_EQ(retry->counter.value(), 2);
  EXPECT_EQ(Hw(), 2);
}

TEST_F(CommandExecutorTest, AnAppendWrittenDespiteAnErrorIsFoundByTheRetry) {
  MustCreate("c1");
  lost_ack_log_->LoseNextAck();
  const IncrementCounterRequest request = IncrementRequest("c1", 2, "r-1", "1");
  auto failed = service_->Increment(Anna(), request);
  ASSERT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Hw(), 2);  // written after all

  // The retry finds the command (the executor re-reads the partition first): the first
  // answer, no duplicate, and the etag check does not refuse it.
  auto retry = service_->Increment(Anna(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->counter.value(), 2);
  EXPECT_EQ(retry->counter.version(), 2);
  EXPECT_EQ(Hw(), 2);
  auto next = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-2", "2"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->counter.value(), 3);
  EXPECT_TRUE(VerifyChain(*log_, Tp()).value().intact());
}

TEST_F(CommandExecutorTest, RecordsOfAnotherWriterAreAppliedNotLost) {
  MustCreate("c1");
  ASSERT_TRUE(executor_->CatchUp().ok());
  // A second executor with its own store writes to the same partition behind the first
  // one's back (a broken deployment: two writers).
  auto other_store = projection::ProjectionStore::Open({.path = dir_.Sub("other")});
  ASSERT_TRUE(other_store.ok());
  auto other = CommandExecutor<CounterEvent>::Create({.service = "counter",
                                                      .domain = kDomain,
                                                      .topic = kTopic,
                                                      .partitions = kPartitions,
                                                      .log = log_.get(),
                                                      .store = other_store->get(),
                                                      .apply = WithCommandIndexes(kTopic, EvolveCounters)});
  ASSERT_TRUE(other.ok());
  CounterService other_service(other->get());
  ASSERT_TRUE(other_service.Increment(Bo(), IncrementRequest("c1", 10, "r-bo")).ok());

  // The first executor's next command lands after Bo's record; its state includes both.
  auto answer = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-anna"));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(ReadCounter(store_->NewReadView(), "1280", "c1").value()->value(), 11);
  EXPECT_EQ(store_->NextOffset(Tp()).value(), Hw());
  auto after = service_->Increment(Anna(), IncrementRequest("c1", 1, "r-anna-2"));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->counter.value(), 12);
}

TEST_F(CommandExecutorTest, MetricsCountOutcomes) {
  MustCreate("c1");
  ASSERT_TRUE(service_->Create(Anna(), CreateRequest("c1", "Räknare c1", "create-c1")).ok());
  EXPECT_FALSE(service_->Increment(Anna(), IncrementRequest("c1", 1, "r", "7")).ok());
  std::map<std::string, uint64_t> counts;
  for (const auto& family : registry_.Collect()) {
    if (family.name != "samrad_command_duration_seconds") continue;
    for (const auto& metric : family.metric) {
      std::string outcome;
      for (const auto& label : metric.label) {
        if (label.name == "outcome") outcome = label.value;
        if (label.name == "service") {
          EXPECT_EQ(label.value, "counter");
        }
      }
      counts[outcome] += metric.histogram.sample_count;
    }
  }
  EXPECT_EQ(counts["ok"], 1u);
  EXPECT_EQ(counts["replayed"], 1u);
  EXPECT_EQ(counts["aborted"], 1u);
}

TEST(EtagTest, FormatsAndParses) {
  EXPECT_EQ(Etag(7), "7");
  EXPECT_EQ(ParseEtag("7"), 7);
  EXPECT_EQ(ParseEtag("\"12\""), 12);
  EXPECT_EQ(ParseEtag("0"), 0);
  for (std::string bad : {"", "\"\"", "-1", "7a", "W/\"7\"", " 7", "99999999999999999999"}) {
    EXPECT_FALSE(ParseEtag(bad).has_value()) << bad;
  }
}

TEST(CommandExecutorOptionsTest, EnvelopeWithoutMetadataIsRejected) {
  testutil::TempDir dir;
  auto log = eventlog::EmbeddedEventLog::Open({.path = dir.Sub("log"), .sync = false});
  auto store = projection::ProjectionStore::Open({.path = dir.Sub("store")});
  ASSERT_TRUE(log.ok() && store.ok());
  // Counter's field 1 is a string, not EventMetadata; it has no oneof either.
  auto executor = CommandExecutor<Counter>::Create({.service = "counter",
                                                    .domain = kDomain,
                                                    .topic = kTopic,
                                                    .partitions = 1,
                                                    .log = log->get(),
                                                    .store = store->get(),
                                                    .apply = WithCommandIndexes(kTopic, EvolveCounters)});
  EXPECT_EQ(executor.status().code(), absl::StatusCode::kInvalidArgument);
  auto no_log = CommandExecutor<CounterEvent>::Create({.service = "counter",
                                                       .domain = kDomain,
                                                       .topic = kTopic,
                                                       .store = store->get(),
                                                       .apply = WithCommandIndexes(kTopic, EvolveCounters)});
  EXPECT_EQ(no_log.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace samrad::command
