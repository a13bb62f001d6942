#include "libs/command/command_index.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/common/log.h"
#include "libs/projection/key_codec.h"

namespace samrad::command {
namespace {

namespace keys = projection::keys;
using projection::Cf;

// "\0samrad/" + kind + "/": the reserved namespace of the library in Cf::kIndexes.
std::string Prefix(std::string_view kind) {
  std::string out(1, '\0');
  out.append("samrad/");
  out.append(kind);
  out.push_back('/');
  return out;
}

std::string AggregateKey(std::string_view tenant, const AggregateRef& aggregate) {
  std::string key = Prefix("agg");
  keys::AppendString(&key, tenant);
  keys::AppendString(&key, aggregate.type);
  keys::AppendString(&key, aggregate.id);
  return key;
}

std::string RequestKey(std::string_view tenant, std::string_view request_id) {
  std::string key = Prefix("req");
  keys::AppendString(&key, tenant);
  keys::AppendString(&key, request_id);
  return key;
}

std::string HistoryPrefix(std::string_view tenant, const AggregateRef& aggregate) {
  std::string key = Prefix("hist");
  keys::AppendString(&key, tenant);
  keys::AppendString(&key, aggregate.type);
  keys::AppendString(&key, aggregate.id);
  return key;
}

std::string ChainKey(const eventlog::TopicPartition& partition) {
  std::string key = Prefix("chain");
  keys::AppendString(&key, partition.topic);
  keys::AppendInt32(&key, partition.partition);
  return key;
}

std::string EncodeRequest(const RequestRecord& record) {
  std::string value;
  keys::AppendString(&value, record.aggregate.type);
  keys::AppendString(&value, record.aggregate.id);
  keys::AppendInt64(&value, record.version);
  keys::AppendInt64(&value, record.offset);
  value.append(record.fingerprint);
  return value;
}

std::optional<RequestRecord> DecodeRequest(std::string_view in) {
  RequestRecord record;
  if (!keys::ConsumeString(&in, &record.aggregate.type) ||
      !keys::ConsumeString(&in, &record.aggregate.id) ||
      !keys::ConsumeInt64(&in, &record.version) || !keys::ConsumeInt64(&in, &record.offset)) {
    return std::nullopt;
  }
  record.fingerprint = std::string(in);
  return record;
}

std::string EncodeChainHead(const ChainHead& head) {
  std::string value;
  keys::AppendInt64(&value, head.offset);
  keys::AppendInt64(&value, absl::ToUnixMicros(head.occurred_at));
  value.append(head.hash);
  return value;
}

std::optional<ChainHead> DecodeChainHead(std::string_view in) {
  ChainHead head;
  int64_t micros = 0;
  if (!keys::ConsumeInt64(&in, &head.offset) || !keys::ConsumeInt64(&in, &micros)) {
    return std::nullopt;
  }
  head.occurred_at = absl::FromUnixMicros(micros);
  head.hash = std::string(in);
  return head;
}

const eventlog::Header* FindHeader(const eventlog::Entry& entry, std::string_view key) {
  for (const eventlog::Header& h : entry.headers) {
    if (h.key == key) return &h;
  }
  return nullptr;
}

absl::Time OccurredAt(const common::v1::EventMetadata& md) {
  return absl::FromUnixSeconds(md.occurred_at().seconds()) +
         absl::Nanoseconds(md.occurred_at().nanos());
}

}  // namespace

absl::Status ApplyCommandIndexes(const eventlog::TopicPartition& source,
                                 const eventlog::Entry& entry, projection::Transaction& tx) {
  absl::StatusOr<ChainRecord> record = InspectRecord(entry.value);
  if (!record.ok()) {
    SAMRAD_LOG_WARN("{}@{}: {}; chain head set to an empty hash", source.ToString(), entry.offset,
                    record.status().ToString());
    tx.Put(Cf::kIndexes, ChainKey(source),
           EncodeChainHead({.offset = entry.offset, .hash = "", .occurred_at = absl::UnixEpoch()}));
    return absl::OkStatus();
  }
  const common::v1::EventMetadata& md = record->metadata;
  tx.Put(
      Cf::kIndexes, ChainKey(source),
      EncodeChainHead({.offset = entry.offset, .hash = md.hash(), .occurred_at = OccurredAt(md)}));
  if (md.aggregate_type().empty()) return absl::OkStatus();

  const AggregateRef aggregate{md.aggregate_type(), md.aggregate_id()};
  tx.Put(Cf::kIndexes, AggregateKey(md.tenant(), aggregate),
         keys::EncodeInt64(md.aggregate_version()));
  std::string history_key = HistoryPrefix(md.tenant(), aggregate);
  keys::AppendInt64(&history_key, md.aggregate_version());
  tx.Put(Cf::kIndexes, history_key, entry.value);

  if (const eventlog::Header* fingerprint = FindHeader(entry, kRequestFingerprintHeader);
      fingerprint != nullptr && !md.request_id().empty()) {
    tx.Put(Cf::kIndexes, RequestKey(md.tenant(), md.request_id()),
           EncodeRequest({.aggregate = aggregate,
                          .version = md.aggregate_version(),
                          .offset = entry.offset,
                          .fingerprint = fingerprint->value}));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> AggregateVersion(const projection::ReadView& view, std::string_view tenant,
                                         const AggregateRef& aggregate) {
  absl::StatusOr<std::optional<std::string>> value =
      view.Get(Cf::kIndexes, AggregateKey(tenant, aggregate));
  if (!value.ok()) return value.status();
  if (!*value) return 0;
  std::string_view in = **value;
  int64_t version = 0;
  if (!keys::ConsumeInt64(&in, &version)) {
    return absl::DataLossError(
        absl::StrCat("corrupt aggregate version of ", aggregate.type, "/", aggregate.id));
  }
  return version;
}

absl::StatusOr<std::optional<RequestRecord>> FindRequest(const projection::ReadView& view,
                                                         std::string_view tenant,
                                                         std::string_view request_id) {
  absl::StatusOr<std::optional<std::string>> value =
      view.Get(Cf::kIndexes, RequestKey(tenant, request_id));
  if (!value.ok()) return value.status();
  if (!*value) return std::nullopt;
  std::optional<RequestRecord> record = DecodeRequest(**value);
  if (!record) return absl::DataLossError("corrupt request index entry");
  return record;
}

absl::StatusOr<std::optional<ChainHead>> ReadChainHead(const projection::ReadView& view,
                                                       const eventlog::TopicPartition& partition) {
  absl::StatusOr<std::optional<std::string>> value = view.Get(Cf::kIndexes, ChainKey(partition));
  if (!value.ok()) return value.status();
  if (!*value) return std::nullopt;
  std::optional<ChainHead> head = DecodeChainHead(**value);
  if (!head)
    return absl::DataLossError(absl::StrCat("corrupt chain head of ", partition.ToString()));
  return head;
}

absl::Status ScanHistory(const projection::ReadView& view, std::string_view tenant,
                         const AggregateRef& aggregate, int64_t from_version,
                         absl::FunctionRef<bool(int64_t version, std::string_view record)> fn) {
  const std::string prefix = HistoryPrefix(tenant, aggregate);
  projection::PrefixIterator it = view.NewPrefixIterator(Cf::kIndexes, prefix);
  for (; it.Valid(); it.Next()) {
    std::string_view suffix = it.key().substr(prefix.size());
    int64_t version = 0;
    if (!keys::ConsumeInt64(&suffix, &version) || !suffix.empty()) {
      return absl::DataLossError(
          absl::StrCat("corrupt history key of ", aggregate.type, "/", aggregate.id));
    }
    if (version < from_version) continue;
    if (!fn(version, it.value())) break;
  }
  return it.status();
}

}  // namespace samrad::command
