#include "libs/api/page_token.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/api/errors.h"

namespace samrad::api {
namespace {

using errors::DetailOf;

const PageQuery kQuery{.method = "ListDialogues",
                       .parent = "tenants/1280",
                       .filter = "status = ONGOING",
                       .order_by = "title"};

// The single field violation of an INVALID_ARGUMENT status.
common::v1::ErrorDetail::FieldViolation ViolationOf(const absl::Status& status) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  std::optional<common::v1::ErrorDetail> detail = DetailOf(status);
  EXPECT_TRUE(detail.has_value());
  if (!detail || detail->field_violations_size() != 1) {
    ADD_FAILURE() << "expected one field violation: " << status;
    return {};
  }
  return detail->field_violations(0);
}

TEST(PageSizeTest, Normalises) {
  EXPECT_EQ(NormalizePageSize(0).value(), 50);
  EXPECT_EQ(NormalizePageSize(1).value(), 1);
  EXPECT_EQ(NormalizePageSize(1000).value(), 1000);
  EXPECT_EQ(NormalizePageSize(1001).value(), 1000);
  EXPECT_EQ(NormalizePageSize(INT32_MAX).value(), 1000);
}

TEST(PageSizeTest, NegativeNamesTheField) {
  auto v = ViolationOf(NormalizePageSize(-1).status());
  EXPECT_EQ(v.field(), "page_size");
  EXPECT_EQ(v.reason(), "PAGE_SIZE_NEGATIVE");
  EXPECT_EQ(ViolationOf(NormalizePageSize(-5, "history.page_size").status()).field(),
            "history.page_size");
}

TEST(PageTokenTest, EmptyTokenIsTheFirstPage) {
  absl::StatusOr<PageCursor> cursor = DecodePageToken("", kQuery);
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(*cursor, PageCursor{});
}

TEST(PageTokenTest, RoundTrips) {
  for (PageCursor cursor : {PageCursor{"", 0}, PageCursor{"k", 50},
                            PageCursor{std::string("\0dialogue\xff\x01", 12), 123456789},
                            PageCursor{std::string(3000, 'x'), 1}, PageCursor{"k", 50, 0},
                            PageCursor{"k", 50, 2000}, PageCursor{"k", 50, INT64_MAX}}) {
    const std::string token = EncodePageToken(cursor, kQuery);
    EXPECT_FALSE(token.empty());
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << token;
    absl::StatusOr<PageCursor> decoded = DecodePageToken(token, kQuery);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, cursor);
  }
}

TEST(PageTokenTest, EveryAlteredCharacterIsRejected) {
  const std::string token = EncodePageToken({"dialogue/42", 100}, kQuery);
  for (size_t i = 0; i < token.size(); ++i) {
    std::string altered = token;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    absl::StatusOr<PageCursor> decoded = DecodePageToken(altered, kQuery);
    ASSERT_FALSE(decoded.ok()) << "position " << i;
    auto v = ViolationOf(decoded.status());
    EXPECT_EQ(v.field(), "page_token");
    EXPECT_EQ(v.reason(), "INVALID_PAGE_TOKEN");
  }
}

TEST(PageTokenTest, MalformedTokensAreRejected) {
  const std::string token = EncodePageToken({"dialogue/42", 100}, kQuery);
  for (std::string bad :
       {std::string("not base64!"), std::string("AAAA"), token.substr(1),
        token.substr(0, token.size() - 1), token + "A", token + "=", std::string(20000, 'A')}) {
    auto v = ViolationOf(DecodePageToken(bad, kQuery).status());
    EXPECT_EQ(v.field(), "page_token") << bad;
    EXPECT_EQ(v.reason(), "INVALID_PAGE_TOKEN") << bad;
  }
}

TEST(PageTokenTest, AnotherQueryIsRejected) {
  const std::string token = EncodePageToken({"dialogue/42", 100}, kQuery);
  for (PageQuery other :
       {PageQuery{"ListDialogues", "tenants/1280", "status = DONE", "title"},
        PageQuery{"ListDialogues", "tenants/1280", "status = ONGOING", ""},
        PageQuery{"ListDialogues", "tenants/0180", "status = ONGOING", "title"},
        PageQuery{"ListConsultations", "tenants/1280", "status = ONGOING", "title"},
        PageQuery{"ListDialogues", "tenants/1280", "status = ONGOING", "title",
                  "show_retired=true"},
        // The same characters split differently between the parts.
        PageQuery{"ListDialogues", "tenants/1280status = ONGOING", "", "title"}}) {
    auto v = ViolationOf(DecodePageToken(token, other, "request.page_token").status());
    EXPECT_EQ(v.field(), "request.page_token");
    EXPECT_EQ(v.reason(), "PAGE_TOKEN_MISMATCH");
  }
}

}  // namespace
}  // namespace samrad::api
