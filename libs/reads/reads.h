#ifndef SAMRAD_LIBS_READS_READS_H_
#define SAMRAD_LIBS_READS_READS_H_

// The read side of every Samråd service's API over its projection: keyset pages of a key
// range (AIP-158), resources now or as of a version or a time (`as_of`), and an
// aggregate's history. A service writes its typed reads with these and its own key
// encoding:
//
//   absl::StatusOr<reads::Page> page = reads::OpenPage(request.page_size(),
//       request.page_token(), {.method = "ListMeetings", .parent = request.parent()});
//   auto found = reads::ScanPage<v1::Meeting>(view, Cf::kState, MeetingPrefix(code), *page,
//       [&](std::string_view id, std::string_view value)
//           -> absl::StatusOr<std::optional<v1::Meeting>> { ... parse, filter ... });
//   for (auto& [id, meeting] : found->items) { ... decorate, add to the response ... }
//   response.set_next_page_token(reads::NextPageToken(*page, *found));
//
// Every error of a read is returned (a storage error or a corrupt value fails the request);
// nothing is answered short and OK. Thread-safety: pure functions over one ReadView.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "libs/api/page_token.h"
#include "libs/command/command_index.h"
#include "libs/command/history.h"
#include "libs/common/dates.h"
#include "libs/errors/errors.h"
#include "libs/projection/projection_store.h"

namespace samrad::reads {

// One page request, validated.
struct Page {
  // The page size after AIP-158 coercion (1..api::kMaxPageSize).
  int32_t size = api::kDefaultPageSize;
  api::PageCursor cursor;
  // Views into the request; valid during the call.
  api::PageQuery query;
};

// Validates page_size and page_token against `query` (INVALID_ARGUMENT naming the field).
absl::StatusOr<Page> OpenPage(int32_t page_size, std::string_view page_token,
                              const api::PageQuery& query);

// Calls fn(key, value) for the keys of `prefix` in `cf` strictly after `after` (a whole key;
// empty: from the first), ascending, until fn returns false or an error. The walk seeks to
// `after`, so a page costs the same however deep into the range it starts.
absl::Status ScanAfter(
    const projection::ReadView& view, projection::Cf cf, std::string_view prefix,
    std::string_view after,
    absl::FunctionRef<absl::StatusOr<bool>(std::string_view key, std::string_view value)> fn);

// What ScanPage found: the page's items with the key suffix (key without the prefix) of
// each, and whether any further item matched.
template <typename Item>
struct PageItems {
  std::vector<std::pair<std::string, Item>> items;
  bool more = false;
};

// One page of the keys of `prefix` in `cf` after the page's cursor (a key suffix):
// match(suffix, value) returns the item for a key, nullopt to skip it, or an error that
// fails the page. At most page.size items; `more` when one more matched.
template <typename Item>
absl::StatusOr<PageItems<Item>> ScanPage(const projection::ReadView& view, projection::Cf cf,
                                         std::string_view prefix, const Page& page,
                                         absl::FunctionRef<absl::StatusOr<std::optional<Item>>(
                                             std::string_view suffix, std::string_view value)>
                                             match) {
  PageItems<Item> out;
  const std::string after = page.cursor.last_key.empty()
                                ? std::string()
                                : absl::StrCat(std::string(prefix), page.cursor.last_key);
  absl::Status s =
      ScanAfter(view, cf, prefix, after,
                [&](std::string_view key, std::string_view value) -> absl::StatusOr<bool> {
                  const std::string_view suffix = key.substr(prefix.size());
                  absl::StatusOr<std::optional<Item>> item = match(suffix, value);
                  if (!item.ok()) return item.status();
                  if (!item->has_value()) return true;
                  if (out.items.size() == static_cast<size_t>(page.size)) {
                    out.more = true;
                    return false;
                  }
                  out.items.emplace_back(std::string(suffix), std::move(**item));
                  return true;
                });
  if (!s.ok()) return s;
  return out;
}

// The next_page_token after `found` ("" when there are no more pages). `total` is a count
// the first page computed (e.g. total_size) that later pages take from the token instead
// of counting again (api::PageCursor::total); -1 for none.
template <typename Item>
std::string NextPageToken(const Page& page, const PageItems<Item>& found, int64_t total = -1) {
  if (!found.more || found.items.empty()) return std::string();
  return api::EncodePageToken(
      {.last_key = found.items.back().first,
       .position = page.cursor.position + static_cast<int64_t>(found.items.size()),
       .total = total},
      page.query);
}

// The point in time of an `as_of` request field: a message with a oneof of
// `int64 version = 1; google.protobuf.Timestamp time = 2;` (registry's v1::AsOf and the
// like). A version below 1 is INVALID_ARGUMENT naming `<field>.version`.
template <typename AsOfProto>
absl::StatusOr<command::AsOf> ParseAsOf(const AsOfProto& as_of, std::string_view domain,
                                        std::string_view field = "as_of") {
  command::AsOf out;
  if (as_of.point_case() == AsOfProto::kVersion) {
    if (as_of.version() <= 0) {
      return errors::InvalidField(
          domain, absl::StrCat(std::string(field), ".version"), "VERSION_INVALID",
          {"Versionen måste vara minst 1", "The version must be at least 1"});
    }
    out.version = as_of.version();
  } else if (as_of.point_case() == AsOfProto::kTime) {
    out.time = dates::FromTimestamp(as_of.time());
  }
  return out;
}

// A state at a version of its aggregate (the version is the etag).
template <typename State>
struct Versioned {
  State state;
  int64_t version = 0;
};

// The state of aggregate `ref` of `tenant` now (as_of empty: read_current() and the
// aggregate's version) or folded from its history at the point of `as_of`
// (fold(State&, const Envelope&) → absl::Status: the service's one Evolve of that
// resource). nullopt when it does not exist (at that point). A version beyond the
// aggregate's latest is INVALID_ARGUMENT naming `<field>.version` (reason
// VERSION_NOT_FOUND): AIP answers a revision that does not exist with an error, never with
// another revision.
template <typename Envelope, typename State, typename Fold>
absl::StatusOr<std::optional<Versioned<State>>> ReadAsOf(
    const projection::ReadView& view, std::string_view tenant, const command::AggregateRef& ref,
    const command::AsOf& as_of, absl::FunctionRef<absl::StatusOr<std::optional<State>>()> current,
    const Fold& fold, std::string_view domain, std::string_view field = "as_of") {
  if (!as_of.version && !as_of.time) {
    absl::StatusOr<std::optional<State>> state = current();
    if (!state.ok()) return state.status();
    if (!state->has_value()) return std::nullopt;
    absl::StatusOr<int64_t> version = command::AggregateVersion(view, tenant, ref);
    if (!version.ok()) return version.status();
    return Versioned<State>{*std::move(*state), *version};
  }
  auto folded = command::FoldAsOf<Envelope>(view, tenant, ref, as_of, State(), fold);
  if (absl::IsOutOfRange(folded.status())) {
    return errors::InvalidField(
        domain, absl::StrCat(std::string(field), ".version"), "VERSION_NOT_FOUND",
        {absl::StrCat("Resursen har ingen version ", *as_of.version, " ännu"),
         absl::StrCat("The resource has no version ", *as_of.version, " yet")});
  }
  if (!folded.ok()) return folded.status();
  if (!folded->has_value()) return std::nullopt;
  return Versioned<State>{std::move((*folded)->state), (*folded)->version};
}

// One page of an aggregate's history (its events, oldest first), for GetHistory-style
// methods: `events` gets the page, the return value is the next page token. NOT_FOUND is
// the caller's (an aggregate with no event has an empty history; check its version first).
template <typename Envelope>
absl::StatusOr<std::string> HistoryPage(const projection::ReadView& view, std::string_view tenant,
                                        const command::AggregateRef& ref, const Page& page,
                                        std::vector<Envelope>* events);

// The version a history page token resumes after (0 for the first page); exposed for tests.
absl::StatusOr<int64_t> HistoryCursorVersion(const Page& page);
std::string HistoryCursorKey(int64_t version);

template <typename Envelope>
absl::StatusOr<std::string> HistoryPage(const projection::ReadView& view, std::string_view tenant,
                                        const command::AggregateRef& ref, const Page& page,
                                        std::vector<Envelope>* events) {
  absl::StatusOr<int64_t> after = HistoryCursorVersion(page);
  if (!after.ok()) return after.status();
  auto found =
      command::History<Envelope>(view, tenant, ref, *after + 1, static_cast<size_t>(page.size) + 1);
  if (!found.ok()) return found.status();
  const bool more = found->size() > static_cast<size_t>(page.size);
  if (more) found->pop_back();
  *events = *std::move(found);
  if (!more || events->empty()) return std::string();
  return api::EncodePageToken(
      {.last_key = HistoryCursorKey(events->back().metadata().aggregate_version()),
       .position = page.cursor.position + static_cast<int64_t>(events->size())},
      page.query);
}

}  // namespace samrad::reads

#endif  // SAMRAD_LIBS_READS_READS_H_
