#include "libs/reads/reads.h"

#include "libs/api/request_context.h"
#include "libs/projection/key_codec.h"

namespace samrad::reads {

absl::StatusOr<Page> OpenPage(int32_t page_size, std::string_view page_token,
                              const api::PageQuery& query) {
  absl::StatusOr<int32_t> size = api::NormalizePageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<api::PageCursor> cursor = api::DecodePageToken(page_token, query);
  if (!cursor.ok()) return cursor.status();
  return Page{*size, *std::move(cursor), query};
}

absl::Status ScanAfter(
    const projection::ReadView& view, projection::Cf cf, std::string_view prefix,
    std::string_view after,
    absl::FunctionRef<absl::StatusOr<bool>(std::string_view key, std::string_view value)> fn) {
  projection::PrefixIterator it = view.NewPrefixIterator(cf, prefix);
  if (!after.empty()) {
    it.Seek(after);
    if (it.Valid() && it.key() == after) it.Next();
  }
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<bool> go_on = fn(it.key(), it.value());
    if (!go_on.ok()) return go_on.status();
    if (!*go_on) break;
  }
  return it.status();
}

absl::StatusOr<int64_t> HistoryCursorVersion(const Page& page) {
  if (page.cursor.last_key.empty()) return 0;
  std::string_view in = page.cursor.last_key;
  int64_t version = 0;
  if (!projection::keys::ConsumeInt64(&in, &version) || !in.empty() || version < 0) {
    // The token's checksum held, so this is a token of another build's format.
    return errors::InvalidField(api::kApiErrorDomain, "page_token", "INVALID_PAGE_TOKEN",
                                {"Sidmarkören är ogiltig", "The page token is invalid"});
  }
  return version;
}

std::string HistoryCursorKey(int64_t version) { return projection::keys::EncodeInt64(version); }

}  // namespace samrad::reads
