#ifndef SAMRAD_LIBS_COMMAND_COMMAND_INDEX_H_
#define SAMRAD_LIBS_COMMAND_COMMAND_INDEX_H_

// The command path's own part of a service's projection: four indexes in Cf::kIndexes,
// written by ApplyCommandIndexes from each event's metadata (never by the command path
// directly), so that they are rebuilt by every replay of the log exactly as the command path
// wrote them, and a projection wiped and rebuilt from offset 0 deduplicates, checks etags
// and chains hashes as before.
//
// Keys live under the reserved prefix "\0samrad/" (services never write keys starting with
// a NUL byte); strings are key_codec::AppendString-encoded, numbers big-endian:
//
//   \0samrad/agg/<tenant><type><id>              → version (int64)
//       The aggregate's version: metadata.aggregate_version of its latest event.
//   \0samrad/req/<tenant><request_id>            → <type><id> version offset <fingerprint>
//       A command that appended events: its aggregate, that aggregate's version after the
//       command, the log offset and the request fingerprint. Written by the one event of
//       the command that carries the `request-fingerprint` header (the last event of the
//       command's own aggregate). Kept forever: a request id is never reused in a tenant.
//   \0samrad/hist/<tenant><type><id><version>    → the record's bytes, exactly as in the log
//       The aggregate's history: any version or point in time can be rebuilt from the
//       projection alone, without reading the log (see history.h).
//   \0samrad/chain/<topic><partition>            → offset occurred_at(µs) <hash>
//       The chain head of each partition of the owned topic (hash_chain.h).
//
// Events without an aggregate (empty aggregate_type) update only the chain head; records
// that are not envelopes are left to the service's Evolve (which counts them as unknown)
// and set the chain head to an empty hash, so that the head always mirrors the log.
//
// Thread-safety: the functions are pure over their arguments; reads through a ReadView see
// one consistent point in time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/command/hash_chain.h"
#include "libs/eventlog/event_log.h"
#include "libs/projection/projection_store.h"

namespace samrad::command {

// Record headers the command path sets (the event log's `Record::headers`).
inline constexpr std::string_view kEventTypeHeader = "event-type";
inline constexpr std::string_view kEventIdHeader = "event-id";
// Hex SHA-256 of (actor id, the caller's request fingerprint); on one event per command.
inline constexpr std::string_view kRequestFingerprintHeader = "request-fingerprint";

// One aggregate: e.g. {"dialogue", "4f1c…"}. Ids are unique per tenant and type.
struct AggregateRef {
  std::string type = {};
  std::string id = {};

  friend bool operator==(const AggregateRef&, const AggregateRef&) = default;
};

// What the request index remembers of a command that appended events.
struct RequestRecord {
  AggregateRef aggregate = {};
  // The aggregate's version right after the command.
  int64_t version = 0;
  // Offset of the event that recorded the command.
  int64_t offset = 0;
  // Hex fingerprint (kRequestFingerprintHeader).
  std::string fingerprint = {};

  friend bool operator==(const RequestRecord&, const RequestRecord&) = default;
};

// Maintains the indexes above for one entry of the service's own topic. Call it, in the same
// Transaction, before the service's Evolve for every entry of that topic; WithCommandIndexes
// does exactly that. Fails only on a storage error.
absl::Status ApplyCommandIndexes(const eventlog::TopicPartition& source,
                                 const eventlog::Entry& entry, projection::Transaction& tx);

// `evolve` (a service's apply function: Projector::ApplyFn, runtime::ModuleApplyFn or any
// callable (source, entry, tx) → absl::Status or absl::StatusOr<T>) with ApplyCommandIndexes
// run first for entries of `owned_topic`. The ONE apply function of a service that uses the
// command path: give it to the service's Projector/ProjectionModule, and give the plain
// `evolve` to CommandExecutorOptions (the executor composes it the same way), so that the
// command path's local apply and every replay write byte-identical state.
template <typename Evolve>
auto WithCommandIndexes(std::string owned_topic, Evolve evolve) {
  return [owned_topic = std::move(owned_topic), evolve = std::move(evolve)](
             const eventlog::TopicPartition& source, const eventlog::Entry& entry,
             projection::Transaction& tx) -> decltype(evolve(source, entry, tx)) {
    if (source.topic == owned_topic) {
      if (absl::Status s = ApplyCommandIndexes(source, entry, tx); !s.ok()) return s;
    }
    return evolve(source, entry, tx);
  };
}

// The aggregate's current version: 0 if it has no event.
absl::StatusOr<int64_t> AggregateVersion(const projection::ReadView& view, std::string_view tenant,
                                         const AggregateRef& aggregate);

// The command recorded under (tenant, request_id), if any.
absl::StatusOr<std::optional<RequestRecord>> FindRequest(const projection::ReadView& view,
                                                         std::string_view tenant,
                                                         std::string_view request_id);

// The chain head of `partition` (nullopt before its first event).
absl::StatusOr<std::optional<ChainHead>> ReadChainHead(const projection::ReadView& view,
                                                       const eventlog::TopicPartition& partition);

// Calls fn(version, record) for the aggregate's events with version >= from_version, in
// version order, until fn returns false. `record` is the serialized envelope.
absl::Status ScanHistory(const projection::ReadView& view, std::string_view tenant,
                         const AggregateRef& aggregate, int64_t from_version,
                         absl::FunctionRef<bool(int64_t version, std::string_view record)> fn);

}  // namespace samrad::command

#endif  // SAMRAD_LIBS_COMMAND_COMMAND_INDEX_H_
