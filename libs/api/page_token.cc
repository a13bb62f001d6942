#include "libs/api/page_token.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/api/errors.h"
#include "libs/api/request_context.h"

namespace samrad::api {

using errors::Text;
namespace {

// Token layout (before base64), format 2:
//   version (1 byte) | query digest (8) | position (8, big-endian) |
//   total (8, big-endian two's complement) | last_key length (4, big-endian) | last_key |
//   checksum (8)
// checksum = SHA-256(kChecksumSalt || everything before it), first 8 bytes. Format 1 (no
// total) is still read, so tokens handed out before an upgrade keep working.
constexpr char kFormatVersion = 2;
constexpr char kFormatVersionWithoutTotal = 1;
constexpr size_t kDigestBytes = 8;
constexpr size_t kChecksumBytes = 8;
constexpr size_t kFixedBytes = 1 + kDigestBytes + 8 + 4 + kChecksumBytes;  // format 1
// Far above any real key; bounds the work a hostile token can cause.
constexpr size_t kMaxTokenChars = 16 * 1024;
constexpr std::string_view kChecksumSalt = "samrad.page_token.v1";

void AppendBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Consumes `bytes` big-endian bytes from the front of `in`; false if too short.
bool ConsumeBigEndian(std::string_view* in, int bytes, uint64_t* v) {
  if (in->size() < static_cast<size_t>(bytes)) return false;
  uint64_t result = 0;
  for (int i = 0; i < bytes; ++i) result = (result << 8) | static_cast<unsigned char>((*in)[i]);
  in->remove_prefix(bytes);
  *v = result;
  return true;
}

std::array<unsigned char, 32> Sha256(std::string_view data) {
  std::array<unsigned char, 32> md{};
  unsigned int size = 0;
  // EVP_Digest manages its own context; it fails only when out of memory, in which case the
  // all-zero digest makes every token check fail rather than pass.
  if (EVP_Digest(data.data(), data.size(), md.data(), &size, EVP_sha256(), nullptr) != 1) {
    md.fill(0);
  }
  return md;
}

std::string Digest(const PageQuery& query) {
  // Each part length-prefixed, so that moving text between parts changes the digest.
  std::string input;
  for (std::string_view part :
       {query.method, query.parent, query.filter, query.order_by, query.extra}) {
    AppendBigEndian(&input, part.size(), 8);
    input.append(part);
  }
  const auto md = Sha256(input);
  return std::string(reinterpret_cast<const char*>(md.data()), kDigestBytes);
}

std::string Checksum(std::string_view body) {
  const auto md = Sha256(absl::StrCat(std::string(kChecksumSalt), std::string(body)));
  return std::string(reinterpret_cast<const char*>(md.data()), kChecksumBytes);
}

absl::Status BadToken(std::string_view field, std::string reason, Text text) {
  return errors::InvalidArgument(kApiErrorDomain,
                                 {{std::string(field), std::move(reason), std::move(text)}});
}

absl::Status Malformed(std::string_view field) {
  return BadToken(field, "INVALID_PAGE_TOKEN",
                  {"Sidtoken är ogiltigt. Använd next_page_token från föregående svar "
                   "oförändrat, eller börja om utan sidtoken.",
                   "The page token is invalid. Pass next_page_token from the previous response "
                   "unchanged, or start again without a page token."});
}

}  // namespace

absl::StatusOr<int32_t> NormalizePageSize(int32_t page_size, std::string_view field) {
  if (page_size < 0) {
    return errors::InvalidArgument(
        kApiErrorDomain,
        {{std::string(field),
          "PAGE_SIZE_NEGATIVE",
          {"Sidstorleken får inte vara negativ.", "The page size must not be negative."}}});
  }
  if (page_size == 0) return kDefaultPageSize;
  return page_size > kMaxPageSize ? kMaxPageSize : page_size;
}

std::string EncodePageToken(const PageCursor& cursor, const PageQuery& query) {
  std::string body;
  body.push_back(kFormatVersion);
  body.append(Digest(query));
  AppendBigEndian(&body, static_cast<uint64_t>(cursor.position), 8);
  AppendBigEndian(&body, static_cast<uint64_t>(cursor.total), 8);
  AppendBigEndian(&body, cursor.last_key.size(), 4);
  body.append(cursor.last_key);
  body.append(Checksum(body));
  return absl::WebSafeBase64Escape(body);
}

absl::StatusOr<PageCursor> DecodePageToken(std::string_view token, const PageQuery& query,
                                           std::string_view field) {
  if (token.empty()) return PageCursor{};
  if (token.size() > kMaxTokenChars) return Malformed(field);
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw) ||
      raw.size() < kFixedBytes) {
    return Malformed(field);
  }
  // Base64 decoders accept some non-canonical spellings (e.g. padding, other trailing
  // bits); only the exact encoding of the record counts as unaltered.
  if (absl::WebSafeBase64Escape(raw) != std::string(token)) return Malformed(field);
  const std::string_view body(raw.data(), raw.size() - kChecksumBytes);
  if (Checksum(body) != raw.substr(raw.size() - kChecksumBytes)) return Malformed(field);

  std::string_view in = body;
  const char version = in.front();
  if (version != kFormatVersion && version != kFormatVersionWithoutTotal) {
    return Malformed(field);
  }
  in.remove_prefix(1);
  const std::string_view digest = in.substr(0, kDigestBytes);
  in.remove_prefix(kDigestBytes);
  uint64_t position = 0;
  uint64_t total = static_cast<uint64_t>(int64_t{-1});
  uint64_t key_size = 0;
  if (!ConsumeBigEndian(&in, 8, &position) ||
      (version == kFormatVersion && !ConsumeBigEndian(&in, 8, &total)) ||
      !ConsumeBigEndian(&in, 4, &key_size) || in.size() != key_size ||
      position > static_cast<uint64_t>(INT64_MAX) || static_cast<int64_t>(total) < -1) {
    return Malformed(field);
  }
  if (digest != Digest(query)) {
    return BadToken(field, "PAGE_TOKEN_MISMATCH",
                    {"Sidtokenet hör till en annan sökning (filter, sortering eller överordnad "
                     "resurs har ändrats). Börja om utan sidtoken.",
                     "The page token belongs to another query (the filter, order or parent "
                     "changed). Start again without a page token."});
  }
  return PageCursor{.last_key = std::string(in),
                    .position = static_cast<int64_t>(position),
                    .total = static_cast<int64_t>(total)};
}

}  // namespace samrad::api
