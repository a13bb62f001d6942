#ifndef SAMRAD_LIBS_COMMAND_HISTORY_H_
#define SAMRAD_LIBS_COMMAND_HISTORY_H_

// An aggregate's history and its state as of a version or a time (DESIGN.md
// "Auditability"), read from the projection's history index (command_index.h) without
// touching the log.
//
//   // GetHistory: the events of one dialogue, oldest first.
//   auto events = command::History<v1::RegistryEvent>(view, "1280", {"dialogue", id});
//
//   // Get with as_of: fold the events up to the point with the service's own Evolve.
//   auto folded = command::FoldAsOf<v1::RegistryEvent>(
//       view, "1280", {"dialogue", id}, command::AsOf{.version = 3}, v1::Dialogue(),
//       [](v1::Dialogue& d, const v1::RegistryEvent& e) { return EvolveDialogue(d, e); });
//   if (absl::IsOutOfRange(folded.status())) → INVALID_ARGUMENT on as_of.version (the
//       aggregate exists, but has no such version yet; AIP: a revision that does not exist)
//   if (!*folded) → NOT_FOUND (the dialogue did not exist at that point)
//
// Times: the command path stamps occurred_at never earlier than the previous event of the
// partition, so occurred_at does not decrease along an aggregate's history and "as of time
// t" is every event with occurred_at <= t.

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/command/command_index.h"
#include "libs/projection/projection_store.h"

namespace samrad::command {

// A point in an aggregate's past; both unset means "now" (every event).
struct AsOf {
  // Events with aggregate_version <= version.
  std::optional<int64_t> version = {};
  // Events with occurred_at <= time.
  std::optional<absl::Time> time = {};
};

// A state folded from an aggregate's events.
template <typename State>
struct Folded {
  State state;
  // Version of the last event folded in (the etag of `state`).
  int64_t version = 0;
  // occurred_at of that event.
  absl::Time updated_at;
};

// The aggregate's events with version >= from_version, oldest first, at most `limit` of
// them (0: all). Costs one index step per event before from_version as well.
template <typename Envelope>
absl::StatusOr<std::vector<Envelope>> History(const projection::ReadView& view,
                                              std::string_view tenant,
                                              const AggregateRef& aggregate,
                                              int64_t from_version = 1, size_t limit = 0) {
  std::vector<Envelope> events;
  absl::Status parse_status;
  absl::Status status =
      ScanHistory(view, tenant, aggregate, from_version, [&](int64_t version, std::string_view r) {
        Envelope event;
        if (!event.ParseFromArray(r.data(), static_cast<int>(r.size()))) {
          parse_status = absl::DataLossError(absl::StrCat(
              "history of ", aggregate.type, "/", aggregate.id, " v", version, " is corrupt"));
          return false;
        }
        events.push_back(std::move(event));
        return limit == 0 || events.size() < limit;
      });
  if (!status.ok()) return status;
  if (!parse_status.ok()) return parse_status;
  return events;
}

// Folds the aggregate's events up to `as_of` into `initial` with
// fold(State&, const Envelope&) → absl::Status.
// - nullopt when the aggregate has no event at all, or none at or before the point (it did
//   not exist yet);
// - OUT_OF_RANGE when as_of.version is beyond the aggregate's latest version: that version
//   does not exist, and answering the latest state instead would pass it off as that
//   version. (A time after the latest event is fine: it is the latest state.) The API maps
//   it to INVALID_ARGUMENT on as_of.version.
template <typename Envelope, typename State, typename Fold>
absl::StatusOr<std::optional<Folded<State>>> FoldAsOf(const projection::ReadView& view,
                                                      std::string_view tenant,
                                                      const AggregateRef& aggregate,
                                                      const AsOf& as_of, State initial,
                                                      const Fold& fold) {
  Folded<State> folded{std::move(initial), 0, absl::InfinitePast()};
  int64_t latest_seen = 0;  // the highest version the scan reached
  bool past_time = false;
  absl::Status inner;
  absl::Status status =
      ScanHistory(view, tenant, aggregate, 1, [&](int64_t version, std::string_view r) {
        latest_seen = version;
        if (as_of.version && version > *as_of.version) return false;
        // Past the time, only look on for whether as_of.version exists (both points set).
        if (past_time) return true;
        Envelope event;
        if (!event.ParseFromArray(r.data(), static_cast<int>(r.size()))) {
          inner = absl::DataLossError(absl::StrCat("history of ", aggregate.type, "/", aggregate.id,
                                                   " v", version, " is corrupt"));
          return false;
        }
        const auto& ts = event.metadata().occurred_at();
        const absl::Time at = absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
        if (as_of.time && at > *as_of.time) {
          past_time = true;
          return as_of.version.has_value() && version < *as_of.version;
        }
        inner = fold(folded.state, event);
        if (!inner.ok()) return false;
        folded.version = version;
        folded.updated_at = at;
        return true;
      });
  if (!status.ok()) return status;
  if (!inner.ok()) return inner;
  if (latest_seen == 0) return std::nullopt;
  if (as_of.version && latest_seen < *as_of.version) {
    return absl::OutOfRangeError(absl::StrCat(aggregate.type, "/", aggregate.id, " has no version ",
                                              *as_of.version, "; its latest is ", latest_seen));
  }
  if (folded.version == 0) return std::nullopt;
  return std::optional<Folded<State>>(std::move(folded));
}

}  // namespace samrad::command

#endif  // SAMRAD_LIBS_COMMAND_HISTORY_H_
