#include "libs/command/command_executor.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/api/errors.h"
#include "libs/command/sha256.h"
#include "libs/common/log.h"
#include "libs/projection/key_codec.h"
#include "prometheus/histogram.h"

namespace samrad::command {
namespace {

constexpr size_t kCatchUpBatch = 512;
// Attempts of a partition sync while the log keeps growing under it (another writer).
constexpr int kSyncAttempts = 3;

std::string ToStd(absl::string_view s) { return std::string(s.data(), s.size()); }

std::string OutcomeLabel(const absl::Status& status) {
  return absl::AsciiStrToLower(ToStd(absl::StatusCodeToString(status.code())));
}

absl::Status EventLogUnavailable(const std::string& domain) {
  return errors::Error(absl::StatusCode::kUnavailable, domain, "EVENT_LOG_UNAVAILABLE",
                       {"Ändringen kunde inte sparas just nu. Försök igen med samma request_id.",
                        "The change could not be saved right now. Retry with the same "
                        "request_id."});
}

absl::Time TruncateToMicros(absl::Time t) { return absl::FromUnixMicros(absl::ToUnixMicros(t)); }

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest * 1000));
}

}  // namespace

// --- metrics ---

CommandMetrics CommandMetrics::Create(prometheus::Registry& registry) {
  auto& family = prometheus::BuildHistogram()
                     .Name("samrad_command_duration_seconds")
                     .Help("Duration of write commands, from the start of Execute to the answer")
                     .Register(registry);
  return CommandMetrics{family};
}

void CommandMetrics::Observe(const std::string& service, std::string_view outcome,
                             absl::Duration d) const {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  duration_seconds.Add({{"service", service}, {"outcome", std::string(outcome)}}, kBuckets)
      .Observe(absl::ToDoubleSeconds(d));
}

// --- etags and fingerprints ---

std::string Etag(int64_t version) { return absl::StrCat(version); }

std::optional<int64_t> ParseEtag(std::string_view etag) {
  absl::string_view s(etag.data(), etag.size());
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  if (s.empty() ||
      !std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); })) {
    return std::nullopt;
  }
  int64_t version = 0;
  if (!absl::SimpleAtoi(s, &version)) return std::nullopt;
  return version;
}

std::string RequestFingerprint(const google::protobuf::Message& request) {
  absl::StatusOr<std::string> digest = Sha256Of({SerializeDeterministic(request)});
  // Without a digest (OpenSSL out of memory) fall back to the bytes themselves: still a
  // faithful fingerprint, only longer.
  return digest.ok() ? HexEncode(*digest) : HexEncode(SerializeDeterministic(request));
}

// --- executor ---

struct CommandExecutorBase::Outcome {
  std::optional<projection::ReadView> view;
  AggregateRef aggregate;
  int64_t version = 0;
  int64_t current_version = 0;
  bool replayed = false;
  // The partition's end when the lock was released: the answer may show any record below
  // it, so it is sent only once they are all durable.
  int64_t durable_end = 0;
};

CommandExecutorBase::CommandExecutorBase(CommandExecutorOptions options)
    : options_(std::move(options)) {}

CommandExecutorBase::~CommandExecutorBase() = default;

absl::Status CommandExecutorBase::Init(const google::protobuf::Descriptor* envelope) {
  if (options_.log == nullptr || options_.store == nullptr || !options_.apply) {
    return absl::InvalidArgumentError("CommandExecutor needs a log, a store and apply");
  }
  if (options_.topic.empty() || options_.partitions < 1) {
    return absl::InvalidArgumentError("CommandExecutor needs a topic and partitions >= 1");
  }
  if (options_.domain.empty() || options_.service.empty()) {
    return absl::InvalidArgumentError("CommandExecutor needs a service name and error domain");
  }
  metadata_field_ = envelope->FindFieldByNumber(kMetadataFieldNumber);
  if (metadata_field_ == nullptr ||
      metadata_field_->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE ||
      metadata_field_->is_repeated() ||
      metadata_field_->message_type() != common::v1::EventMetadata::descriptor()) {
    return absl::InvalidArgumentError(absl::StrCat(
        envelope->full_name(), ": field 1 must be samrad.common.v1.EventMetadata metadata"));
  }
  event_oneof_ = envelope->FindOneofByName("event");
  for (int i = 0; event_oneof_ == nullptr && i < envelope->oneof_decl_count(); ++i) {
    event_oneof_ = envelope->oneof_decl(i);
  }
  if (event_oneof_ == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(envelope->full_name(), ": the event payload must be a oneof"));
  }
  for (int32_t p = 0; p < options_.partitions; ++p) {
    partitions_.push_back(std::make_unique<Partition>());
  }
  return absl::OkStatus();
}

eventlog::TopicPartition CommandExecutorBase::PartitionOf(std::string_view tenant) const {
  return {options_.topic, eventlog::PartitionForKey(tenant, options_.partitions)};
}

absl::Status CommandExecutorBase::CatchUp() {
  for (int32_t p = 0; p < options_.partitions; ++p) {
    Partition& partition = *partitions_[p];
    absl::MutexLock lock(&partition.mu);
    if (absl::Status s = SyncLocked({options_.topic, p}, partition); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CommandExecutorBase::ExecuteErased(const api::RequestContext& request,
                                                const CommandView& command, ErasedDecide decide,
                                                ErasedAnswer answer) {
  const absl::Time start = absl::Now();
  std::string label;
  absl::Status status = Run(request, command, decide, answer, &label);
  if (options_.metrics != nullptr) {
    options_.metrics->Observe(options_.service, status.ok() ? label : OutcomeLabel(status),
                              absl::Now() - start);
  }
  return status;
}

absl::Status CommandExecutorBase::Run(const api::RequestContext& request,
                                      const CommandView& command, ErasedDecide decide,
                                      ErasedAnswer answer, std::string* outcome_label) {
  if (absl::Status s = api::RequireActor(request); !s.ok()) return s;
  if (command.tenant.empty() || command.aggregate.type.empty() || command.aggregate.id.empty()) {
    return absl::InternalError("command without a tenant or an aggregate");
  }
  if (command.request_id.empty()) {
    return errors::InvalidArgument(
        options_.domain,
        {{command.request_id_field,
          "REQUIRED",
          {"request_id krävs, så att ett nytt försök inte utför ändringen två gånger.",
           "request_id is required, so that a retry does not make the change twice."}}});
  }
  if (command.request_id.size() > kMaxRequestIdBytes) {
    return errors::InvalidArgument(
        options_.domain,
        {{command.request_id_field,
          "TOO_LONG",
          {absl::StrCat("request_id får vara högst ", kMaxRequestIdBytes, " byte lång."),
           absl::StrCat("request_id must be at most ", kMaxRequestIdBytes, " bytes long.")}}});
  }
  std::optional<int64_t> expected_version;
  if (!command.etag.empty()) {
    expected_version = ParseEtag(command.etag);
    if (!expected_version) {
      return errors::InvalidArgument(
          options_.domain, {{command.etag_field,
                             "ETAG_INVALID",
                             {"Etag är ogiltig; använd etag-värdet från resursen oförändrat.",
                              "The etag is invalid; pass the resource's etag value unchanged."}}});
    }
  }
  // The fingerprint binds the request id to the payload AND the actor: somebody else's
  // retry of the same id is refused rather than answered with another person's result.
  absl::StatusOr<std::string> digest = Sha256Of(
      {projection::keys::EncodeString(request.actor.id()), std::string_view(command.fingerprint)});
  if (!digest.ok()) return digest.status();
  const std::string fingerprint = HexEncode(*digest);

  const eventlog::TopicPartition tp = PartitionOf(command.tenant);
  Partition& partition = *partitions_[tp.partition];
  Outcome outcome;
  {
    absl::MutexLock lock(&partition.mu);
    absl::Status s =
        RunLocked(request, command, fingerprint, expected_version, tp, partition, decide, outcome);
    outcome.durable_end = partition.next_offset;
    if (!s.ok()) {
      // A refusal may rest on state not yet durable (a version, an existing name): it waits
      // like an answer. Its own error is what the caller needs, whatever the wait says.
      if (!absl::IsUnavailable(s)) (void)options_.log->AwaitDurable(tp, outcome.durable_end);
      return s;
    }
  }
  *outcome_label = outcome.replayed ? "replayed" : "ok";
  // The answer is built while the log syncs (it reads the view taken under the lock), and
  // sent only once everything it may show is durable (docs/adr/0008).
  absl::Status answered = answer(AnswerContext{.request = request,
                                               .view = *outcome.view,
                                               .tenant = command.tenant,
                                               .aggregate = outcome.aggregate,
                                               .version = outcome.version,
                                               .current_version = outcome.current_version,
                                               .replayed = outcome.replayed});
  if (absl::Status durable = options_.log->AwaitDurable(tp, outcome.durable_end); !durable.ok()) {
    {
      absl::MutexLock lock(&partition.mu);
      partition.synced = false;
    }
    SAMRAD_LOG_ERROR("{}: events of {} below offset {} did not become durable: {}",
                     options_.service, tp.ToString(), outcome.durable_end, durable.ToString());
    return EventLogUnavailable(options_.domain);
  }
  return answered;
}

absl::Status CommandExecutorBase::RunLocked(
    const api::RequestContext& request, const CommandView& command, const std::string& fingerprint,
    std::optional<int64_t> expected_version, const eventlog::TopicPartition& tp,
    Partition& partition, ErasedDecide decide, Outcome& outcome) {
  if (absl::Status s = SyncLocked(tp, partition); !s.ok()) return s;
  projection::ReadView view = options_.store->NewReadView();

  // 1. A repeated request id: the first answer, nothing appended.
  absl::StatusOr<std::optional<RequestRecord>> seen =
      FindRequest(view, command.tenant, command.request_id);
  if (!seen.ok()) return seen.status();
  if (*seen) {
    if ((*seen)->fingerprint != fingerprint) {
      return errors::InvalidArgument(
          options_.domain,
          {{command.request_id_field,
            "REQUEST_ID_REUSED",
            {"request_id har redan använts för en annan begäran; skapa ett nytt request_id "
             "för varje ny ändring.",
             "request_id was already used for a different request; use a new request_id for "
             "every new change."}}});
    }
    absl::StatusOr<int64_t> current = AggregateVersion(view, command.tenant, (*seen)->aggregate);
    if (!current.ok()) return current.status();
    outcome.aggregate = (*seen)->aggregate;
    outcome.version = (*seen)->version;
    outcome.current_version = *current;
    outcome.replayed = true;
    outcome.view.emplace(std::move(view));
    return absl::OkStatus();
  }

  // 2. Authorise, check the etag and decide against the current state.
  absl::StatusOr<int64_t> current = AggregateVersion(view, command.tenant, command.aggregate);
  if (!current.ok()) return current.status();
  absl::StatusOr<std::optional<ChainHead>> head = ReadChainHead(view, tp);
  if (!head.ok()) return head.status();
  absl::Time now = TruncateToMicros(absl::Now());
  if (*head && (*head)->occurred_at > now) now = (*head)->occurred_at;

  const DecideContext context{.request = request,
                              .view = view,
                              .tenant = command.tenant,
                              .aggregate = command.aggregate,
                              .version = *current,
                              .now = now};
  if (command.authorize) {
    if (absl::Status s = command.authorize(context); !s.ok()) return s;
  }
  if (expected_version && *current > 0 && *expected_version != *current) {
    return errors::Error(
        absl::StatusCode::kAborted, options_.domain, "ETAG_MISMATCH",
        {absl::StrCat("Resursen har ändrats av någon annan sedan du läste den (din etag är ",
                      *expected_version, ", aktuell är ", *current,
                      "). Läs den på nytt och försök igen."),
         absl::StrCat("The resource was changed by someone else since you read it (your etag "
                      "is ",
                      *expected_version, ", the current one is ", *current,
                      "). Read it again and retry.")},
        {{"expected_etag", Etag(*expected_version)}, {"current_etag", Etag(*current)}});
  }
  absl::StatusOr<Events> events = decide(context);
  if (!events.ok()) return events.status();
  if (events->empty()) {
    outcome.aggregate = command.aggregate;
    outcome.version = *current;
    outcome.current_version = *current;
    outcome.view.emplace(std::move(view));
    return absl::OkStatus();
  }

  // 3. Metadata and the hash chain.
  struct Planned {
    AggregateRef aggregate;
    common::v1::EventMetadata metadata;
  };
  std::vector<Planned> planned;
  planned.reserve(events->size());
  size_t last_own = events->size();
  for (size_t i = 0; i < events->size(); ++i) {
    const google::protobuf::Message& event = *(*events)[i];
    const google::protobuf::Reflection* reflection = event.GetReflection();
    Planned plan{command.aggregate, {}};
    if (reflection->HasField(event, metadata_field_)) {
      plan.metadata.CopyFrom(reflection->GetMessage(event, metadata_field_));
    }
    if (!plan.metadata.aggregate_type().empty() || !plan.metadata.aggregate_id().empty()) {
      if (plan.metadata.aggregate_type().empty() || plan.metadata.aggregate_id().empty()) {
        return absl::InternalError("decide set only one of aggregate type and id on an event");
      }
      plan.aggregate = {plan.metadata.aggregate_type(), plan.metadata.aggregate_id()};
    } else if (options_.aggregate_of) {
      if (std::optional<AggregateRef> of = options_.aggregate_of(event)) plan.aggregate = *of;
    }
    if (plan.aggregate == command.aggregate) last_own = i;
    planned.push_back(std::move(plan));
  }
  if (last_own == events->size()) {
    return absl::InternalError(absl::StrCat("decide returned no event of ", command.aggregate.type,
                                            "/", command.aggregate.id));
  }

  std::map<std::pair<std::string, std::string>, int64_t> versions;
  versions[{command.aggregate.type, command.aggregate.id}] = *current;
  std::string previous_hash = *head ? (*head)->hash : std::string();
  const std::string& causation_id =
      command.causation_id.empty() ? command.request_id : command.causation_id;
  std::vector<eventlog::Record> records;
  std::vector<eventlog::Entry> entries;
  records.reserve(events->size());
  entries.reserve(events->size());
  for (size_t i = 0; i < events->size(); ++i) {
    google::protobuf::Message& event = *(*events)[i];
    const google::protobuf::Reflection* reflection = event.GetReflection();
    const AggregateRef& aggregate = planned[i].aggregate;

    auto [it, inserted] = versions.try_emplace({aggregate.type, aggregate.id}, 0);
    if (inserted) {
      absl::StatusOr<int64_t> v = AggregateVersion(view, command.tenant, aggregate);
      if (!v.ok()) return v.status();
      it->second = *v;
    }
    const int64_t version = ++it->second;

    const google::protobuf::FieldDescriptor* payload =
        reflection->GetOneofFieldDescriptor(event, event_oneof_);
    if (payload == nullptr) return absl::InternalError("decide returned an event without a case");
    const std::string event_type = payload->message_type() != nullptr
                                       ? payload->message_type()->full_name()
                                       : payload->full_name();

    common::v1::EventMetadata md;
    md.set_event_id(api::NewUuidV4());
    md.set_tenant(command.tenant);
    md.set_aggregate_type(aggregate.type);
    md.set_aggregate_id(aggregate.id);
    md.set_aggregate_version(version);
    SetTimestamp(now, md.mutable_occurred_at());
    *md.mutable_actor() = request.actor;
    md.set_request_id(command.request_id);
    md.set_correlation_id(request.correlation_id);
    md.set_causation_id(causation_id);
    md.set_reason(command.reason);
    md.set_previous_hash(previous_hash);
    md.set_event_type(event_type);
    google::protobuf::Message* metadata = reflection->MutableMessage(&event, metadata_field_);
    metadata->CopyFrom(md);
    const std::string canonical = SerializeDeterministic(event);
    absl::StatusOr<std::string> hash = ChainHash(previous_hash, canonical);
    if (!hash.ok()) return hash.status();
    md.set_hash(*hash);
    metadata->CopyFrom(md);
    std::string value = SerializeDeterministic(event);
    // What a verifier will recompute must be what was hashed.
    absl::StatusOr<ChainRecord> check = InspectRecord(value);
    if (!check.ok() || check->canonical != canonical) {
      return absl::InternalError(absl::StrCat(event_type, " does not round-trip the hash chain"));
    }
    previous_hash = *hash;

    eventlog::Record record{.key = command.tenant,
                            .value = std::move(value),
                            .headers = {{std::string(kEventTypeHeader), event_type},
                                        {std::string(kEventIdHeader), md.event_id()}}};
    if (i == last_own)
      record.headers.push_back({std::string(kRequestFingerprintHeader), fingerprint});
    entries.push_back(eventlog::Entry{.offset = 0,
                                      .timestamp_ms = absl::ToUnixMillis(now),
                                      .key = record.key,
                                      .value = record.value,
                                      .headers = record.headers});
    records.push_back(std::move(record));
  }
  const int64_t own_version = versions[{command.aggregate.type, command.aggregate.id}];

  // 4. Append, then apply locally at the offsets the log gave.
  // Deferred: the partition lock is released before the sync, so that the commands queued
  // behind this one share it (Run waits for durability before answering).
  absl::StatusOr<std::vector<int64_t>> offsets =
      options_.log->AppendDeferred(tp, std::move(records));
  if (!offsets.ok() || offsets->size() != entries.size()) {
    partition.synced = false;
    SAMRAD_LOG_ERROR("{}: append of {} event(s) to {} failed: {}", options_.service, entries.size(),
                     tp.ToString(),
                     offsets.ok() ? "wrong number of offsets" : offsets.status().ToString());
    return EventLogUnavailable(options_.domain);
  }
  bool contiguous = offsets->front() == partition.next_offset;
  for (size_t i = 0; i < offsets->size(); ++i) {
    contiguous = contiguous && (*offsets)[i] == offsets->front() + static_cast<int64_t>(i);
    entries[i].offset = (*offsets)[i];
  }
  absl::Status applied;
  if (contiguous) {
    const int64_t first = offsets->front();
    absl::StatusOr<int64_t> n = options_.store->ApplyBatch(
        tp, first, static_cast<int64_t>(entries.size()),
        [&](int64_t offset, projection::Transaction& tx) {
          return options_.apply(tp, entries[static_cast<size_t>(offset - first)], tx);
        });
    applied = n.status();
  } else {
    // Records this executor did not write sit before or between ours: a second writer
    // broke the single-writer rule. Our events are facts in the log now; apply the log as it
    // is, and let the next command re-check the partition.
    SAMRAD_LOG_ERROR(
        "{}: {} has records this executor did not write (expected offset {}, got {}): is "
        "another writer running?",
        options_.service, tp.ToString(), partition.next_offset, offsets->front());
    partition.synced = false;
    applied = CatchUpTo(tp, offsets->back() + 1);
  }
  if (!applied.ok()) {
    partition.synced = false;
    SAMRAD_LOG_ERROR("{}: events {}..{} of {} are in the log but were not applied: {}",
                     options_.service, offsets->front(), offsets->back(), tp.ToString(),
                     applied.ToString());
    return errors::Error(absl::StatusCode::kUnavailable, options_.domain, "EVENTS_NOT_APPLIED",
                         {"Ändringen sparades men kunde inte visas ännu. Försök igen med samma "
                          "request_id för att få svaret.",
                          "The change was saved but could not be shown yet. Retry with the same "
                          "request_id to get the answer."});
  }
  partition.next_offset = offsets->back() + 1;

  outcome.aggregate = command.aggregate;
  outcome.version = own_version;
  outcome.current_version = own_version;
  outcome.view.emplace(options_.store->NewReadView());
  return absl::OkStatus();
}

absl::Status CommandExecutorBase::SyncLocked(const eventlog::TopicPartition& tp,
                                             Partition& partition) {
  if (partition.synced) {
    absl::StatusOr<int64_t> next = options_.store->NextOffset(tp);
    if (!next.ok()) return next.status();
    if (*next == partition.next_offset) return absl::OkStatus();
    SAMRAD_LOG_WARN("{}: store of {} is at offset {}, executor expected {}; re-reading the log",
                    options_.service, tp.ToString(), *next, partition.next_offset);
    partition.synced = false;
  }
  // Records this executor appended before a failure may be written but not yet durable, and
  // readers (HighWatermark, Read) do not see them until they are: make them durable first.
  if (absl::Status s = options_.log->AwaitDurable(tp, std::numeric_limits<int64_t>::max());
      !s.ok()) {
    return s;
  }
  for (int attempt = 0; attempt < kSyncAttempts; ++attempt) {
    absl::StatusOr<int64_t> end = options_.log->HighWatermark(tp);
    if (!end.ok()) return end.status();
    absl::StatusOr<int64_t> next = options_.store->NextOffset(tp);
    if (!next.ok()) return next.status();
    if (*next > *end) {
      return absl::DataLossError(absl::StrCat(
          "projection of ", tp.ToString(), " is at offset ", *next, " but the log ends at ", *end,
          ": the log lost records or the projection belongs to another log"));
    }
    if (absl::Status s = CatchUpTo(tp, *end); !s.ok()) return s;

    const projection::ReadView view = options_.store->NewReadView();
    absl::StatusOr<int64_t> applied = view.NextOffset(tp);
    if (!applied.ok()) return applied.status();
    if (*applied != *end) continue;  // the log grew meanwhile: not ours alone
    absl::StatusOr<std::optional<ChainHead>> head = ReadChainHead(view, tp);
    if (!head.ok()) return head.status();
    if (*end > 0) {
      // The store's chain head must be the hash of the log's last record.
      std::string last_hash;
      const absl::Time deadline = absl::Now() + options_.catch_up_timeout;
      while (true) {
        absl::StatusOr<std::vector<eventlog::Entry>> last =
            options_.log->Read(tp, *end - 1, 1, absl::Seconds(1));
        if (!last.ok()) return last.status();
        if (!last->empty()) {
          absl::StatusOr<ChainRecord> record = InspectRecord(last->front().value);
          if (record.ok()) last_hash = record->metadata.hash();
          break;
        }
        if (absl::Now() > deadline) {
          return absl::UnavailableError(
              absl::StrCat("cannot read the last record of ", tp.ToString()));
        }
      }
      if (!*head || (*head)->offset != *end - 1 || (*head)->hash != last_hash) {
        SAMRAD_LOG_ERROR(
            "{}: the projection's chain head of {} ({}) does not match the log's last record "
            "(offset {}): was the projection built without WithCommandIndexes, or from "
            "another log? Rebuild it.",
            options_.service, tp.ToString(),
            *head ? absl::StrCat("offset ", (*head)->offset) : std::string("none"), *end - 1);
        return absl::InternalError(
            absl::StrCat("projection chain head of ", tp.ToString(), " does not match the log"));
      }
    } else if (*head) {
      return absl::InternalError(
          absl::StrCat("projection has a chain head for the empty partition ", tp.ToString()));
    }
    partition.synced = true;
    partition.next_offset = *end;
    return absl::OkStatus();
  }
  return absl::UnavailableError(absl::StrCat(
      tp.ToString(), " kept growing while the executor caught up: is another writer running?"));
}

absl::Status CommandExecutorBase::CatchUpTo(const eventlog::TopicPartition& tp, int64_t end) {
  const absl::Time deadline = absl::Now() + options_.catch_up_timeout;
  while (true) {
    absl::StatusOr<int64_t> next = options_.store->NextOffset(tp);
    if (!next.ok()) return next.status();
    if (*next >= end) return absl::OkStatus();
    const size_t want = std::min<size_t>(kCatchUpBatch, static_cast<size_t>(end - *next));
    absl::StatusOr<std::vector<eventlog::Entry>> entries =
        options_.log->Read(tp, *next, want, absl::Seconds(1));
    if (!entries.ok()) return entries.status();
    if (entries->empty()) {
      if (absl::Now() > deadline) {
        return absl::UnavailableError(absl::StrCat("catching up ", tp.ToString(), " from offset ",
                                                   *next, " to ", end, " timed out"));
      }
      continue;
    }
    const int64_t first = entries->front().offset;
    absl::StatusOr<int64_t> n = options_.store->ApplyBatch(
        tp, first, static_cast<int64_t>(entries->size()),
        [&](int64_t offset, projection::Transaction& tx) {
          return options_.apply(tp, (*entries)[static_cast<size_t>(offset - first)], tx);
        });
    if (!n.ok()) return n.status();
  }
}

}  // namespace samrad::command
