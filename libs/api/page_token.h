#ifndef SAMRAD_LIBS_API_PAGE_TOKEN_H_
#define SAMRAD_LIBS_API_PAGE_TOKEN_H_

// Pagination of List methods (AIP-158): page sizes and opaque page tokens.
//
//   absl::StatusOr<int32_t> size = api::NormalizePageSize(request.page_size());
//   const api::PageQuery query{.method = "ListDialogues", .parent = request.parent(),
//                              .filter = request.filter(), .order_by = request.order_by()};
//   absl::StatusOr<api::PageCursor> cursor = api::DecodePageToken(request.page_token(), query);
//   ... scan the index strictly after cursor->last_key, take *size + 1 items ...
//   if (more) response.set_next_page_token(api::EncodePageToken(
//       {.last_key = key_of_last_item, .position = cursor->position + *size}, query));
//
// A token carries the key of the last item returned (the scan resumes strictly after it, so
// a page is correct whatever was inserted or deleted meanwhile: keyset pagination, no
// offsets into a snapshot), the number of items returned before the next page, and a digest
// of the query (method, parent, filter, order_by, extra) so that a token cannot be reused
// with another query. It is web-safe base64 (no padding) of a small binary record closed by
// a checksum: any change of the token is INVALID_ARGUMENT naming `page_token`. The checksum
// is an integrity check, not a signature (there is no secret): a token grants nothing the
// caller could not list anyway. Tokens do not expire and stay valid across restarts.
//
// Thread-safe: every function is pure.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace samrad::api {

inline constexpr int32_t kDefaultPageSize = 50;
inline constexpr int32_t kMaxPageSize = 1000;

// page_size 0 → kDefaultPageSize; above kMaxPageSize → kMaxPageSize (AIP-158 coerces);
// negative → INVALID_ARGUMENT with a field violation naming `field` (reason
// PAGE_SIZE_NEGATIVE).
absl::StatusOr<int32_t> NormalizePageSize(int32_t page_size, std::string_view field = "page_size");

// Everything that decides which items a List returns, and in which order, apart from paging.
struct PageQuery {
  // The RPC, e.g. "ListDialogues".
  std::string_view method = {};
  std::string_view parent = {};
  std::string_view filter = {};
  std::string_view order_by = {};
  // Any other request field that changes the result (e.g. "show_retired=true").
  std::string_view extra = {};
};

// Where the next page starts.
struct PageCursor {
  // Service-defined resume key: the next page starts strictly after it. Empty: first page.
  std::string last_key;
  // Items returned by the previous pages of this listing.
  int64_t position = 0;
  // A count the service computed for the first page and carries through the listing (e.g.
  // ListDialogues' total_size), so later pages need not compute it again; -1: none.
  int64_t total = -1;

  friend bool operator==(const PageCursor&, const PageCursor&) = default;
};

// The token of `cursor` for `query`. Never empty (an empty next_page_token means "no more
// pages", which the caller sets by not calling this).
std::string EncodePageToken(const PageCursor& cursor, const PageQuery& query);

// The cursor of `token` for `query`; an empty token is the first page ({"", 0}). Errors are
// INVALID_ARGUMENT with one field violation naming `field`: reason INVALID_PAGE_TOKEN for a
// malformed or altered token, PAGE_TOKEN_MISMATCH for a token made for another query.
absl::StatusOr<PageCursor> DecodePageToken(std::string_view token, const PageQuery& query,
                                           std::string_view field = "page_token");

}  // namespace samrad::api

#endif  // SAMRAD_LIBS_API_PAGE_TOKEN_H_
