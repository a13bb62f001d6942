#ifndef SAMRAD_LIBS_COMMAND_HASH_CHAIN_H_
#define SAMRAD_LIBS_COMMAND_HASH_CHAIN_H_

// The hash chain of a partition (DESIGN.md "Auditability"): each event's metadata.hash covers
// the event and the hash of the event before it in the same partition, so that an altered,
// removed or inserted event is detected.
//
//   hash(e) = SHA-256( previous_hash(e) || Canonical(e) )
//
// where previous_hash(e) is the hash of the event at the previous offset of the partition
// (empty for offset 0) and Canonical(e) is the record's bytes with the metadata.hash field
// removed (everything else, previous_hash included, exactly as stored). The chain works on
// the wire format: the envelope's field 1 is its samrad.common.v1.EventMetadata (a
// convention of every `<Service>Event`), so neither the verifier nor the writer needs the
// envelope's type, and fields unknown to the verifying build are covered byte for byte.
//
// Thread-safety: the functions are pure, except VerifyChain, which only reads the log.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "libs/eventlog/event_log.h"
#include "samrad/common/v1/event_metadata.pb.h"

namespace samrad::command {

// The field number of EventMetadata in every event envelope.
inline constexpr int kMetadataFieldNumber = 1;

// What the chain needs of one record.
struct ChainRecord {
  // The merged metadata of the record (every occurrence of field 1, as a parser would).
  common::v1::EventMetadata metadata;
  // The record without metadata.hash: what the hash covers after previous_hash.
  std::string canonical;
};

// Reads the metadata and the canonical bytes of one serialized envelope. INVALID_ARGUMENT
// when the bytes are not a protobuf message, field 1 is not length-delimited, or it does
// not parse as EventMetadata.
absl::StatusOr<ChainRecord> InspectRecord(std::string_view record);

// SHA-256(previous_hash || canonical).
absl::StatusOr<std::string> ChainHash(std::string_view previous_hash, std::string_view canonical);

// The deterministic serialization of `message` (map entries sorted), which the command path
// uses for every event it writes.
std::string SerializeDeterministic(const google::protobuf::Message& message);

// Where a partition's chain ends: the hash of the event at `offset`.
struct ChainHead {
  int64_t offset = -1;
  std::string hash;
  // occurred_at of that event: the command path never stamps an earlier time, so that
  // occurred_at does not decrease along a partition (as-of-time reads rely on it).
  absl::Time occurred_at = absl::InfinitePast();

  friend bool operator==(const ChainHead&, const ChainHead&) = default;
};

// The first place where a partition's chain does not hold.
struct ChainBreak {
  enum class Kind {
    // The record is not an envelope with metadata (bytes replaced or corrupt).
    kUnreadable,
    // The event's hash does not match its content: the event was altered.
    kAltered,
    // The event's previous_hash is not the hash of the event before it: an event is missing
    // before this one (or was inserted, or the one before was altered and re-hashed).
    kBrokenLink,
    // The log ends before, or differs at, the chain head recorded elsewhere (the caller's
    // expected head, e.g. a projection's): events at the end are missing.
    kTruncated,
  };
  Kind kind = Kind::kUnreadable;
  int64_t offset = 0;
  // Raw hashes (32 bytes, or empty); HexEncode them for people.
  std::string expected;
  std::string found;

  // E.g. "offset 17: altered (expected hash 3f2a…, found 9b1c…)".
  std::string ToString() const;
};

std::string_view ChainBreakKindName(ChainBreak::Kind kind);

struct ChainReport {
  eventlog::TopicPartition partition;
  // The high watermark when verification started: offsets [0, end_offset) were in scope.
  int64_t end_offset = 0;
  // Events whose hash and link were verified (all of [0, end_offset) when intact).
  int64_t events_verified = 0;
  // Hash of the last verified event (empty for an empty partition).
  std::string head_hash;
  std::optional<ChainBreak> first_break;

  bool intact() const { return !first_break.has_value(); }
};

struct VerifyOptions {
  // Records per log read.
  size_t batch = 1024;
  // Gives up (UNAVAILABLE) when the log delivers nothing for this long while records
  // below end_offset remain.
  absl::Duration stall_timeout = absl::Seconds(30);
  // If set, the event at expected_head->offset must exist and carry expected_head->hash
  // (e.g. a projection's chain head): detects events missing at the end of the log, which
  // the chain alone cannot.
  std::optional<ChainHead> expected_head = {};
};

// Reads the whole partition and verifies every event's hash and link; the report names the
// first break. An error status means the verification itself could not run (log errors), not
// that the chain is broken.
absl::StatusOr<ChainReport> VerifyChain(eventlog::EventLog& log,
                                        const eventlog::TopicPartition& partition,
                                        const VerifyOptions& options = {});

}  // namespace samrad::command

#endif  // SAMRAD_LIBS_COMMAND_HASH_CHAIN_H_
