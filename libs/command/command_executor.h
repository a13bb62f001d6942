#ifndef SAMRAD_LIBS_COMMAND_COMMAND_EXECUTOR_H_
#define SAMRAD_LIBS_COMMAND_COMMAND_EXECUTOR_H_

// The write path of every Samråd service (DESIGN.md "Writing: a single writer per
// partition", docs/adr/0006-command-path.md):
//
//   authenticate → validate → [lock the tenant's partition] → deduplicate the request id →
//   authorise → check the etag → decide against the projection → stamp metadata and chain
//   hashes → append to the log → apply to the local projection → [unlock] → answer
//
// A service builds one CommandExecutor<Envelope> for its topic and runs each write RPC
// through Execute:
//
//   auto executor = command::CommandExecutor<v1::RegistryEvent>::Create({
//       .service = "registry", .domain = "registry.samrad.malmo.se",
//       .topic = "registry.events.v1", .partitions = context.partitions,
//       .log = context.log, .store = store, .apply = context.apply,
//       .aggregate_of = AggregateOfRegistryEvent});
//
//   absl::StatusOr<v1::Committee> committee = (*executor)->Execute(request_context,
//       command::Command<v1::RegistryEvent, v1::Committee>{
//           .tenant = "1280",
//           .aggregate = {"committee", committee_id},
//           .request_id = request.options().request_id(),
//           .fingerprint = command::RequestFingerprint(request),
//           .etag = request.committee().etag(),
//           .etag_field = "committee.etag",
//           .reason = request.options().reason(),
//           .decide = [&](const command::DecideContext& ctx) { return Decide(ctx, request); },
//           .answer = [&](const command::AnswerContext& ctx) { return ReadCommittee(ctx); }});
//
// What the executor guarantees:
// - Single writer per partition: a mutex per partition of the topic (partition =
//   PartitionForKey(tenant, partitions)) is held from the deduplication check to the local
//   apply, so every decision sees every earlier write of its tenant. Different partitions
//   run in parallel. The executor must be the only writer of its topic (in the process and
//   across processes; fencing between processes comes with high availability).
// - Idempotence (AIP-155): request_id is required; a command that appended events is
//   recorded under (tenant, request_id), and a repeat with the same fingerprint appends
//   nothing and answers through `answer` with the version recorded for the first call
//   (replayed = true). A repeat with another fingerprint (another payload or another actor)
//   is INVALID_ARGUMENT with a field violation REQUEST_ID_REUSED on `request_id_field`. A
//   command whose decision appended nothing is not recorded (repeating it decides again).
// - Etag (AIP-154): etag = the aggregate's version in decimal ("7"; a quoted "\"7\"" is
//   accepted too). A given etag that is not the current version is ABORTED with ErrorInfo
//   reason ETAG_MISMATCH; an unparsable one is INVALID_ARGUMENT (ETAG_INVALID). An aggregate
//   that does not exist has no version to be stale against: its etag is not compared, and
//   decide answers (an update of a missing resource is NOT_FOUND, not ABORTED). The
//   deduplication check comes first, so a retry of an update that succeeded is answered,
//   not refused for its now stale etag.
// - Metadata: every event gets a fresh EventMetadata: event_id (UUID v4), tenant, aggregate
//   type/id (decide's if it set both on the event, else options.aggregate_of's, else the
//   command's),
//   aggregate_version (that aggregate's version + 1 per event of it in the command),
//   occurred_at (one time per command, never before the partition's previous event), the
//   actor, request_id, correlation_id, causation_id (Command::causation_id, default the
//   request_id: the command caused every event it produced), reason, event_type (the full
//   name of the envelope's oneof case message), previous_hash and hash (hash_chain.h).
// - Append then apply: the events are appended in one call (record key = tenant, headers
//   event-type, event-id and, on the last event of the command's aggregate,
//   request-fingerprint), then applied to the store at their offsets in one atomic write
//   with the service's apply function (its evolve composed with the command indexes,
//   WithCommandIndexes, the same function its projector runs). A projector following the
//   log skips them afterwards (offset <= stored).
// - Durable before answered, not before unlocked (docs/adr/0008-pipelined-durability.md):
//   the append is EventLog::AppendDeferred, so the lock is released once the events are
//   written and applied, and the next command of the partition decides while the log
//   syncs. Execute then waits (EventLog::AwaitDurable) until every event of the partition
//   up to its own is durable before it returns the answer, or a refusal that read the
//   state. Concurrent commands of a partition thus share one fsync. Reads of the store may
//   see an event up to one sync before it is durable; if the machine loses power in that
//   window, the event was never acknowledged and the store is rebuilt from the log at the
//   next start (runtime::ProjectionModule).
// - Failures: a failed append returns UNAVAILABLE (EVENT_LOG_UNAVAILABLE) and applies
//   nothing. It may still have been written (Kafka: the broker committed but the
//   acknowledgement was lost), so the partition is re-read from the log before its next
//   command: a client retry with the same request_id then finds the command recorded and
//   gets its answer instead of a duplicate. A failed local apply after a successful append
//   is UNAVAILABLE (EVENTS_NOT_APPLIED) for the same reason and with the same remedy, and
//   so is a failed wait for durability (EVENT_LOG_UNAVAILABLE).
// - Consistency with the log: before the first command of a partition (and after any
//   failure) the executor applies whatever of the log the store lacks, then checks that the
//   store's chain head is the hash of the log's last event (INTERNAL otherwise: the store was
//   not built with WithCommandIndexes or belongs to another log).
//
// Requirements on the service:
// - Envelope: field 1 is `samrad.common.v1.EventMetadata metadata`, and the event payload is
//   a oneof (Create checks both).
// - apply must be deterministic in (state, entry) and must not read Entry::timestamp_ms (the
//   local apply passes occurred_at there, the log its own time); use metadata.occurred_at.
// - decide must be a pure function of the DecideContext (and the request): it runs under the
//   partition lock, so it must not block on I/O other than reads of ctx.view. It returns the
//   events without metadata, at least one of them for the command's aggregate.
// - answer runs after the lock is released, on a view taken right after the apply (or, for a
//   replay, the current view): it must build the response from the store as of
//   ctx.version (ctx.at_latest() → read the state; otherwise FoldAsOf, history.h), so that a
//   replay returns what the first call returned.
//
// Thread-safety: Execute and CatchUp may be called concurrently from any thread. The log and
// the store must outlive the executor.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "libs/api/request_context.h"
#include "libs/command/command_index.h"
#include "libs/command/hash_chain.h"
#include "libs/command/request_id.h"
#include "libs/eventlog/event_log.h"
#include "libs/projection/projection_store.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace samrad::command {

// A service's Evolve plus key encoding for one entry (the signature of Projector::ApplyFn).
using EvolveFn =
    std::function<absl::Status(const eventlog::TopicPartition& source, const eventlog::Entry& entry,
                               projection::Transaction& tx)>;

// samrad_command_duration_seconds{service,outcome}: the duration of Execute, from the start
// to the answer. outcome is "ok", "replayed" (a repeated request_id) or the lower-case name
// of the error code (e.g. "aborted", "invalid_argument", "unavailable").
struct CommandMetrics {
  prometheus::Family<prometheus::Histogram>& duration_seconds;

  // Registers (or finds) the family in `registry`.
  static CommandMetrics Create(prometheus::Registry& registry);
  void Observe(const std::string& service, std::string_view outcome, absl::Duration d) const;
};

struct CommandExecutorOptions {
  // Short service name, e.g. "registry": logs and the `service` metric label.
  std::string service = {};
  // ErrorInfo domain of the executor's errors, e.g. "registry.samrad.malmo.se".
  std::string domain = {};
  // The topic the service owns and writes, e.g. "registry.events.v1".
  std::string topic = {};
  // Partitions of the topic (ModuleContext::partitions).
  int32_t partitions = 1;
  eventlog::EventLog* log = nullptr;
  projection::ProjectionStore* store = nullptr;
  // The service's ONE apply function: its Evolve composed with the command indexes
  // (WithCommandIndexes(topic, evolve)), exactly as its projector applies the log, so that
  // the local apply and every replay write byte-identical state. runtime::ProjectionModule
  // composes it once and hands it over as ModuleContext::apply. A plain Evolve is caught
  // before the first command: the store's chain head would not match the log (INTERNAL).
  EvolveFn apply = {};
  // The aggregate an event of a command belongs to (`event` is the Envelope), e.g. the
  // previous representative's appointment for an AppointmentEnded that an appointment of
  // another person caused, so that its history and version include it. nullopt, or no
  // function: the command's aggregate. Metadata that decide set on an event (both aggregate
  // type and id) wins over it.
  std::function<std::optional<AggregateRef>(const google::protobuf::Message& event)> aggregate_of =
      {};
  // Optional; must outlive the executor.
  const CommandMetrics* metrics = nullptr;
  // How long a catch-up from the log may wait for records it knows exist.
  absl::Duration catch_up_timeout = absl::Seconds(30);
};

// What decide (and authorize) see. Valid only during the call.
struct DecideContext {
  const api::RequestContext& request;
  // The projection under the partition lock: every earlier write of the tenant is in it.
  const projection::ReadView& view;
  std::string_view tenant;
  const AggregateRef& aggregate;
  // The aggregate's current version (0: it has no event yet, i.e. does not exist).
  int64_t version;
  // The occurred_at the events will carry (use it for create/update times in payloads).
  absl::Time now;
};

// What answer sees. Valid only during the call.
struct AnswerContext {
  const api::RequestContext& request;
  // For a first execution: the store right after this command's apply; for a replay: the
  // store now (possibly with later changes: read as of `version`).
  const projection::ReadView& view;
  std::string_view tenant;
  // The command's aggregate; for a replay the one recorded by the first call (so that a
  // server-generated id is the same).
  const AggregateRef& aggregate;
  // The aggregate's version after the command (the response's etag); 0 if it does not
  // exist (a decision that appended nothing for an absent aggregate).
  int64_t version;
  // The aggregate's version in `view`.
  int64_t current_version;
  // True when the request_id was seen before and nothing was appended now.
  bool replayed;

  // The state in the store is the state at `version`.
  bool at_latest() const { return version == current_version; }
};

// One write command. Strings are copied in; the callables run during Execute only.
template <typename Envelope, typename Response>
struct Command {
  // The municipality code: selects the partition, and scopes request ids and aggregates.
  std::string tenant = {};
  AggregateRef aggregate = {};
  // The client's idempotency key (WriteOptions.request_id). Required, at most
  // kMaxRequestIdBytes (256) bytes (libs/command/request_id.h).
  std::string request_id = {};
  // Where request_id is in the request, for field violations.
  std::string request_id_field = "options.request_id";
  // Identifies the request's payload (RequestFingerprint(request)); a repeated request_id
  // must come with the same fingerprint (and actor).
  std::string fingerprint = {};
  // The etag the client read; empty: no check.
  std::string etag = {};
  // Where etag is in the request, for field violations.
  std::string etag_field = "etag";
  // Free-text reason for the change, stored in every event.
  std::string reason = {};
  // Default: request_id.
  std::string causation_id = {};
  // Optional: authorisation against the current state (after deduplication); an error is
  // returned as is (e.g. PERMISSION_DENIED).
  std::function<absl::Status(const DecideContext&)> authorize = {};
  // Required: the decision. Returns the events (metadata left empty, except aggregate
  // type and id for an event of another aggregate) or the error the command answers.
  std::function<absl::StatusOr<std::vector<Envelope>>(const DecideContext&)> decide = {};
  // Required: builds the response.
  std::function<absl::StatusOr<Response>(const AnswerContext&)> answer = {};
};

// The etag of a version ("7") and the version of an etag ("7" or "\"7\""; nullopt otherwise).
std::string Etag(int64_t version);
std::optional<int64_t> ParseEtag(std::string_view etag);

// Hex SHA-256 of the deterministic serialization of `request`: the usual
// Command::fingerprint. Clear fields that may legitimately differ between retries first, if
// any (request_id itself is the same by definition).
std::string RequestFingerprint(const google::protobuf::Message& request);

// The non-template part of CommandExecutor.
class CommandExecutorBase {
 public:
  CommandExecutorBase(const CommandExecutorBase&) = delete;
  CommandExecutorBase& operator=(const CommandExecutorBase&) = delete;
  virtual ~CommandExecutorBase();

  const std::string& topic() const { return options_.topic; }
  // The partition that holds `tenant`'s events.
  eventlog::TopicPartition PartitionOf(std::string_view tenant) const;

  // Brings every partition's store state up to the log's end and checks the chain heads
  // (what the first command of each partition would do). Optional; useful at start.
  absl::Status CatchUp();

  // The apply function the executor applies with (CommandExecutorOptions::apply).
  const EvolveFn& apply() const { return options_.apply; }

 protected:
  struct CommandView {
    const std::string& tenant;
    const AggregateRef& aggregate;
    const std::string& request_id;
    const std::string& request_id_field;
    const std::string& fingerprint;
    const std::string& etag;
    const std::string& etag_field;
    const std::string& reason;
    const std::string& causation_id;
    const std::function<absl::Status(const DecideContext&)>& authorize;
  };
  using Events = std::vector<std::unique_ptr<google::protobuf::Message>>;
  using ErasedDecide = absl::FunctionRef<absl::StatusOr<Events>(const DecideContext&)>;
  using ErasedAnswer = absl::FunctionRef<absl::Status(const AnswerContext&)>;

  explicit CommandExecutorBase(CommandExecutorOptions options);
  // Validates the options and the envelope type.
  absl::Status Init(const google::protobuf::Descriptor* envelope);
  absl::Status ExecuteErased(const api::RequestContext& request, const CommandView& command,
                             ErasedDecide decide, ErasedAnswer answer);

 private:
  struct Partition {
    absl::Mutex mu;
    // The store holds exactly the log's records [0, next_offset) of this partition, as far
    // as this executor knows; false after a failure or before the first use.
    bool synced ABSL_GUARDED_BY(mu) = false;
    int64_t next_offset ABSL_GUARDED_BY(mu) = 0;
  };
  // What the locked part of a command hands to the answer.
  struct Outcome;

  absl::Status Run(const api::RequestContext& request, const CommandView& command,
                   ErasedDecide decide, ErasedAnswer answer, std::string* outcome_label);
  absl::Status RunLocked(const api::RequestContext& request, const CommandView& command,
                         const std::string& fingerprint, std::optional<int64_t> expected_version,
                         const eventlog::TopicPartition& tp, Partition& partition,
                         ErasedDecide decide, Outcome& outcome)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(partition.mu);
  // Makes the store hold the log's partition completely and checks the chain head.
  absl::Status SyncLocked(const eventlog::TopicPartition& tp, Partition& partition)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(partition.mu);
  // Applies the log's records [store's next offset, end) of `tp` to the store.
  absl::Status CatchUpTo(const eventlog::TopicPartition& tp, int64_t end);

  const CommandExecutorOptions options_;
  const google::protobuf::FieldDescriptor* metadata_field_ = nullptr;
  const google::protobuf::OneofDescriptor* event_oneof_ = nullptr;
  std::vector<std::unique_ptr<Partition>> partitions_;
};

// The command path of a service whose topic carries `Envelope` messages.
template <typename Envelope>
class CommandExecutor : public CommandExecutorBase {
 public:
  static absl::StatusOr<std::unique_ptr<CommandExecutor>> Create(CommandExecutorOptions options) {
    std::unique_ptr<CommandExecutor> executor(new CommandExecutor(std::move(options)));
    if (absl::Status s = executor->Init(Envelope::descriptor()); !s.ok()) return s;
    return executor;
  }

  // Runs one command (see the top of this file). Returns the answer or the error to send
  // (through api::ToGrpcStatus).
  template <typename Response>
  absl::StatusOr<Response> Execute(const api::RequestContext& request,
                                   const Command<Envelope, Response>& command) {
    if (!command.decide || !command.answer) {
      return absl::InternalError("command without decide or answer");
    }
    std::optional<Response> response;
    const CommandView view{command.tenant,           command.aggregate,   command.request_id,
                           command.request_id_field, command.fingerprint, command.etag,
                           command.etag_field,       command.reason,      command.causation_id,
                           command.authorize};
    absl::Status status = ExecuteErased(
        request, view,
        [&command](const DecideContext& ctx) -> absl::StatusOr<Events> {
          absl::StatusOr<std::vector<Envelope>> events = command.decide(ctx);
          if (!events.ok()) return events.status();
          Events erased;
          erased.reserve(events->size());
          for (Envelope& event : *events) {
            erased.push_back(std::make_unique<Envelope>(std::move(event)));
          }
          return erased;
        },
        [&command, &response](const AnswerContext& ctx) -> absl::Status {
          absl::StatusOr<Response> answer = command.answer(ctx);
          if (!answer.ok()) return answer.status();
          response = *std::move(answer);
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    return *std::move(response);
  }

 private:
  explicit CommandExecutor(CommandExecutorOptions options)
      : CommandExecutorBase(std::move(options)) {}
};

}  // namespace samrad::command

#endif  // SAMRAD_LIBS_COMMAND_COMMAND_EXECUTOR_H_
