#include "libs/command/hash_chain.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "libs/command/sha256.h"

namespace samrad::command {
namespace {

using google::protobuf::internal::WireFormatLite;

constexpr int kHashFieldNumber = common::v1::EventMetadata::kHashFieldNumber;

void AppendVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

absl::Status NotAnEnvelope(std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("not an event envelope: ", std::string(why)));
}

// Walks the top-level fields of `bytes`. For each field calls
// on_field(field_number, wire_type, raw_field_bytes, payload) where payload is the content of
// a length-delimited field (empty otherwise). Stops at the first malformed field.
template <typename Fn>
absl::Status ForEachField(std::string_view bytes, Fn on_field) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  while (true) {
    const int start = in.CurrentPosition();
    if (static_cast<size_t>(start) == bytes.size()) return absl::OkStatus();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return NotAnEnvelope("invalid tag");
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    const auto wire_type = WireFormatLite::GetTagWireType(tag);
    std::string_view payload;
    if (wire_type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) return NotAnEnvelope("truncated length");
      const int at = in.CurrentPosition();
      if (length > bytes.size() - static_cast<size_t>(at) || !in.Skip(static_cast<int>(length))) {
        return NotAnEnvelope("truncated field");
      }
      payload = bytes.substr(at, length);
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return NotAnEnvelope("malformed field");
    }
    const std::string_view raw = bytes.substr(start, in.CurrentPosition() - start);
    on_field(field, wire_type, raw, payload);
  }
}

}  // namespace

absl::StatusOr<ChainRecord> InspectRecord(std::string_view record) {
  ChainRecord out;
  absl::Status inner_status;
  absl::Status status = ForEachField(record, [&](int field, WireFormatLite::WireType wire_type,
                                                 std::string_view raw, std::string_view payload) {
    if (!inner_status.ok()) return;
    if (field != kMetadataFieldNumber) {
      out.canonical.append(raw);
      return;
    }
    if (wire_type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      inner_status = NotAnEnvelope("field 1 is not a message");
      return;
    }
    if (!out.metadata.MergeFromString(std::string(payload))) {
      inner_status = NotAnEnvelope("field 1 is not an EventMetadata");
      return;
    }
    // The metadata without its hash field(s), re-framed with its new length.
    std::string stripped;
    absl::Status s = ForEachField(
        payload, [&](int f, WireFormatLite::WireType, std::string_view r, std::string_view) {
          if (f != kHashFieldNumber) stripped.append(r);
        });
    if (!s.ok()) {
      inner_status = s;
      return;
    }
    AppendVarint(
        &out.canonical,
        WireFormatLite::MakeTag(kMetadataFieldNumber, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    AppendVarint(&out.canonical, stripped.size());
    out.canonical.append(stripped);
  });
  if (!status.ok()) return status;
  if (!inner_status.ok()) return inner_status;
  return out;
}

absl::StatusOr<std::string> ChainHash(std::string_view previous_hash, std::string_view canonical) {
  return Sha256Of({previous_hash, canonical});
}

std::string SerializeDeterministic(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializePartialToCodedStream(&coded);
  }
  return out;
}

std::string_view ChainBreakKindName(ChainBreak::Kind kind) {
  switch (kind) {
    case ChainBreak::Kind::kUnreadable:
      return "unreadable";
    case ChainBreak::Kind::kAltered:
      return "altered";
    case ChainBreak::Kind::kBrokenLink:
      return "broken link (missing or inserted event before it)";
    case ChainBreak::Kind::kTruncated:
      return "truncated (events missing at the end)";
  }
  return "unknown";
}

std::string ChainBreak::ToString() const {
  return absl::StrCat("offset ", offset, ": ", std::string(ChainBreakKindName(kind)), " (expected ",
                      expected.empty() ? "<none>" : HexEncode(expected), ", found ",
                      found.empty() ? "<none>" : HexEncode(found), ")");
}

absl::StatusOr<ChainReport> VerifyChain(eventlog::EventLog& log,
                                        const eventlog::TopicPartition& partition,
                                        const VerifyOptions& options) {
  ChainReport report;
  report.partition = partition;
  absl::StatusOr<int64_t> end = log.HighWatermark(partition);
  if (!end.ok()) return end.status();
  report.end_offset = *end;

  std::string previous;  // hash of the event at offset - 1
  std::optional<std::string> hash_at_expected_head;
  int64_t offset = 0;
  absl::Time last_progress = absl::Now();
  while (offset < report.end_offset && !report.first_break) {
    const size_t want =
        std::min<size_t>(options.batch, static_cast<size_t>(report.end_offset - offset));
    absl::StatusOr<std::vector<eventlog::Entry>> entries =
        log.Read(partition, offset, want, absl::Seconds(1));
    if (!entries.ok()) return entries.status();
    if (entries->empty()) {
      if (absl::Now() - last_progress > options.stall_timeout) {
        return absl::UnavailableError(
            absl::StrCat("verify ", partition.ToString(), ": no records from offset ", offset));
      }
      continue;
    }
    last_progress = absl::Now();
    for (const eventlog::Entry& entry : *entries) {
      if (entry.offset >= report.end_offset) break;
      if (entry.offset != offset) {
        // The log skipped offsets (it never should): the skipped events are missing.
        report.first_break = ChainBreak{ChainBreak::Kind::kBrokenLink, offset, previous, ""};
        break;
      }
      absl::StatusOr<ChainRecord> record = InspectRecord(entry.value);
      if (!record.ok()) {
        report.first_break = ChainBreak{ChainBreak::Kind::kUnreadable, offset, "", ""};
        break;
      }
      const common::v1::EventMetadata& md = record->metadata;
      // The event's own hash over its content and the predecessor hash it claims: a
      // mismatch means its bytes changed after it was written.
      absl::StatusOr<std::string> hash = ChainHash(md.previous_hash(), record->canonical);
      if (!hash.ok()) return hash.status();
      if (*hash != md.hash()) {
        report.first_break = ChainBreak{ChainBreak::Kind::kAltered, offset, *hash, md.hash()};
        break;
      }
      if (md.previous_hash() != previous) {
        report.first_break =
            ChainBreak{ChainBreak::Kind::kBrokenLink, offset, previous, md.previous_hash()};
        break;
      }
      previous = md.hash();
      if (options.expected_head && options.expected_head->offset == offset) {
        hash_at_expected_head = md.hash();
      }
      ++report.events_verified;
      ++offset;
    }
  }
  report.head_hash = previous;
  if (!report.first_break && options.expected_head && options.expected_head->offset >= 0) {
    const ChainHead& head = *options.expected_head;
    if (!hash_at_expected_head || *hash_at_expected_head != head.hash) {
      report.first_break = ChainBreak{ChainBreak::Kind::kTruncated, head.offset, head.hash,
                                      hash_at_expected_head.value_or("")};
    }
  }
  return report;
}

}  // namespace samrad::command
