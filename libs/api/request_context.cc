#include "libs/api/request_context.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/api/errors.h"

namespace samrad::api {

using errors::Text;
namespace {

constexpr size_t kMaxCorrelationIdLength = 128;
constexpr size_t kMaxTextLength = 1024;

std::string_view View(grpc::string_ref ref) { return std::string_view(ref.data(), ref.size()); }

// The value of `key` (the last one when repeated), or nullopt.
std::optional<std::string_view> Find(const ClientMetadata& metadata, std::string_view key) {
  std::optional<std::string_view> found;
  auto [begin, end] = metadata.equal_range(grpc::string_ref(key.data(), key.size()));
  for (auto it = begin; it != end; ++it) found = View(it->second);
  return found;
}

bool IsUnreserved(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are invalid.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

bool IsCorrelationIdChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
         c == '-';
}

absl::Status InvalidHeader(std::string_view header, Text text) {
  return errors::Error(absl::StatusCode::kInvalidArgument, kApiErrorDomain, "INVALID_METADATA",
                       std::move(text), {{"header", std::string(header)}});
}

// The decoded text of an optional percent-encoded header ("" when absent).
absl::StatusOr<std::string> DecodedHeader(const ClientMetadata& metadata, std::string_view key) {
  std::optional<std::string_view> raw = Find(metadata, key);
  if (!raw) return std::string();
  std::optional<std::string> decoded = PercentDecode(*raw);
  if (!decoded) {
    return InvalidHeader(
        key, {absl::StrCat("Huvudet ", std::string(key), " är inte korrekt procentkodad UTF-8."),
              absl::StrCat("Header ", std::string(key), " is not valid percent-encoded UTF-8.")});
  }
  if (decoded->size() > kMaxTextLength) {
    return InvalidHeader(key, {absl::StrCat("Huvudet ", std::string(key), " är för långt."),
                               absl::StrCat("Header ", std::string(key), " is too long.")});
  }
  return *std::move(decoded);
}

}  // namespace

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (i + 2 >= encoded.size()) return std::nullopt;
    const int hi = HexValue(encoded[i + 1]);
    const int lo = HexValue(encoded[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  if (!IsValidUtf8(out)) return std::nullopt;
  return out;
}

std::string_view ActorRoleName(common::v1::ActorRole role) {
  switch (role) {
    case common::v1::ACTOR_ROLE_OFFICIAL:
      return "official";
    case common::v1::ACTOR_ROLE_ELECTED_OFFICIAL:
      return "elected_official";
    case common::v1::ACTOR_ROLE_COORDINATOR:
      return "coordinator";
    case common::v1::ACTOR_ROLE_SYSTEM:
      return "system";
    default:
      return "";
  }
}

std::optional<common::v1::ActorRole> ParseActorRole(std::string_view name) {
  for (auto role : {common::v1::ACTOR_ROLE_OFFICIAL, common::v1::ACTOR_ROLE_ELECTED_OFFICIAL,
                    common::v1::ACTOR_ROLE_COORDINATOR, common::v1::ACTOR_ROLE_SYSTEM}) {
    if (name == ActorRoleName(role)) return role;
  }
  return std::nullopt;
}

Lang ParseAcceptLanguage(std::string_view value) {
  std::optional<Lang> best;
  double best_weight = 0;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(value.data(), value.size()), ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const absl::string_view tag = absl::StripAsciiWhitespace(parts[0]);
    double weight = 1.0;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&param, "q=") || absl::ConsumePrefix(&param, "Q=")) {
        double q = 0;
        if (absl::SimpleAtod(param, &q) && q >= 0 && q <= 1) weight = q;
      }
    }
    std::optional<Lang> lang = ParseLang(std::string_view(tag.data(), tag.size()));
    // A language the caller refuses (q=0) is never chosen; ties keep the earlier entry.
    if (lang && weight > 0 && (!best || weight > best_weight)) {
      best = lang;
      best_weight = weight;
    }
  }
  return best.value_or(Lang::kSv);
}

absl::StatusOr<RequestContext> ParseRequestContext(const ClientMetadata& metadata, Access access) {
  RequestContext context;
  if (std::optional<std::string_view> accept = Find(metadata, kAcceptLanguageHeader)) {
    context.lang = ParseAcceptLanguage(*accept);
  }

  absl::StatusOr<std::string> id = DecodedHeader(metadata, kActorIdHeader);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::string> name = DecodedHeader(metadata, kActorNameHeader);
  if (!name.ok()) return name.status();
  absl::StatusOr<std::string> administration = DecodedHeader(metadata, kActorAdministrationHeader);
  if (!administration.ok()) return administration.status();
  context.actor.set_id(*std::move(id));
  context.actor.set_display_name(*std::move(name));
  context.actor.set_administration(*std::move(administration));

  if (std::optional<std::string_view> role = Find(metadata, kActorRoleHeader)) {
    std::optional<common::v1::ActorRole> parsed = ParseActorRole(*role);
    if (!parsed) {
      return InvalidHeader(
          kActorRoleHeader,
          {absl::StrCat("Okänd roll i ", std::string(kActorRoleHeader),
                        "; giltiga är official, elected_official, coordinator och system."),
           absl::StrCat("Unknown role in ", std::string(kActorRoleHeader),
                        "; valid ones are official, elected_official, coordinator and system.")});
    }
    context.actor.set_role(*parsed);
  }

  if (std::optional<std::string_view> correlation = Find(metadata, kCorrelationIdHeader)) {
    const bool valid = !correlation->empty() && correlation->size() <= kMaxCorrelationIdLength &&
                       std::all_of(correlation->begin(), correlation->end(), IsCorrelationIdChar);
    if (!valid) {
      return InvalidHeader(
          kCorrelationIdHeader,
          {absl::StrCat(std::string(kCorrelationIdHeader),
                        " ska vara 1–128 tecken av A–Z, a–z, 0–9 och . _ : -"),
           absl::StrCat(std::string(kCorrelationIdHeader),
                        " must be 1-128 characters of A-Z, a-z, 0-9 and . _ : -")});
    }
    context.correlation_id = std::string(*correlation);
  } else {
    context.correlation_id = NewUuidV4();
  }

  if (access == Access::kWrite) {
    if (absl::Status s = RequireActor(context); !s.ok()) return s;
  }
  return context;
}

absl::StatusOr<RequestContext> ReadRequestContext(const grpc::ServerContextBase& context,
                                                  Access access) {
  return ParseRequestContext(context.client_metadata(), access);
}

absl::Status RequireActor(const RequestContext& context) {
  if (!context.actor.id().empty()) return absl::OkStatus();
  return errors::Error(absl::StatusCode::kUnauthenticated, kApiErrorDomain, "ACTOR_MISSING",
                       {absl::StrCat("Ändringar kräver uppgift om vem som gör dem (",
                                     std::string(kActorIdHeader), ", samradctl --actor)."),
                        absl::StrCat("Changes require saying who makes them (",
                                     std::string(kActorIdHeader), ", samradctl --actor).")});
}

void SetActorMetadata(grpc::ClientContext& context, const common::v1::Actor& actor, Lang lang) {
  if (!actor.id().empty()) {
    context.AddMetadata(std::string(kActorIdHeader), PercentEncode(actor.id()));
  }
  if (!actor.display_name().empty()) {
    context.AddMetadata(std::string(kActorNameHeader), PercentEncode(actor.display_name()));
  }
  if (std::string_view role = ActorRoleName(actor.role()); !role.empty()) {
    context.AddMetadata(std::string(kActorRoleHeader), std::string(role));
  }
  if (!actor.administration().empty()) {
    context.AddMetadata(std::string(kActorAdministrationHeader),
                        PercentEncode(actor.administration()));
  }
  context.AddMetadata(std::string(kAcceptLanguageHeader), lang == Lang::kEn ? "en" : "sv");
}

void SetCorrelationId(grpc::ClientContext& context, std::string_view correlation_id) {
  if (correlation_id.empty()) return;
  context.AddMetadata(std::string(kCorrelationIdHeader), std::string(correlation_id));
}

std::string NewUuidV4() {
  thread_local absl::BitGen gen;
  uint64_t hi = absl::Uniform<uint64_t>(gen);
  uint64_t lo = absl::Uniform<uint64_t>(gen);
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  auto append = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) out.push_back(kHex[(v >> (i * 4)) & 0xF]);
  };
  append(hi >> 32, 8);
  out.push_back('-');
  append((hi >> 16) & 0xFFFF, 4);
  out.push_back('-');
  append(hi & 0xFFFF, 4);
  out.push_back('-');
  append(lo >> 48, 4);
  out.push_back('-');
  append(lo & 0xFFFFFFFFFFFFULL, 12);
  return out;
}

}  // namespace samrad::api
