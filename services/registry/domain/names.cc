#include "services/registry/domain/names.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"

namespace samrad::registry::domain {
namespace {

constexpr std::string_view kTenantsSegment = "tenants/";

constexpr std::array<std::pair<Collection, std::string_view>, 8> kSegments = {{
    {Collection::kCommittees, "committees"},
    {Collection::kAdministrations, "administrations"},
    {Collection::kAreas, "areas"},
    {Collection::kChannels, "channels"},
    {Collection::kPeople, "people"},
    {Collection::kAppointments, "appointments"},
    {Collection::kDialogues, "dialogues"},
    {Collection::kConsultations, "consultations"},
}};

bool IsLowerAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view CollectionSegment(Collection collection) {
  for (const auto& [c, segment] : kSegments) {
    if (c == collection) return segment;
  }
  return "";
}

bool IsValidResourceId(std::string_view id) {
  if (id.empty() || id.size() > 63 || !IsLowerAlpha(id.front())) return false;
  for (char c : id) {
    if (!IsLowerAlpha(c) && !IsDigit(c) && c != '-') return false;
  }
  return true;
}

bool IsValidTenantCode(std::string_view code) {
  if (code.size() != 4) return false;
  for (char c : code) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool IsTenantName(std::string_view name) {
  return name.substr(0, kTenantsSegment.size()) == kTenantsSegment &&
         IsValidTenantCode(name.substr(kTenantsSegment.size()));
}

std::optional<ResourceName> ParseResourceName(std::string_view name) {
  if (name.substr(0, kTenantsSegment.size()) != kTenantsSegment) return std::nullopt;
  std::string_view rest = name.substr(kTenantsSegment.size());
  const size_t slash1 = rest.find('/');
  if (slash1 == std::string_view::npos) return std::nullopt;
  const std::string_view code = rest.substr(0, slash1);
  rest = rest.substr(slash1 + 1);
  const size_t slash2 = rest.find('/');
  if (slash2 == std::string_view::npos) return std::nullopt;
  const std::string_view segment = rest.substr(0, slash2);
  const std::string_view id = rest.substr(slash2 + 1);
  if (!IsValidTenantCode(code) || !IsValidResourceId(id)) return std::nullopt;
  for (const auto& [collection, s] : kSegments) {
    if (s == segment) {
      return ResourceName{std::string(code), collection, std::string(id)};
    }
  }
  return std::nullopt;
}

bool IsResourceName(std::string_view name, Collection collection) {
  const auto parsed = ParseResourceName(name);
  return parsed.has_value() && parsed->collection == collection;
}

std::string TenantName(std::string_view code) {
  return absl::StrCat(std::string(kTenantsSegment), std::string(code));
}

std::string ResourceNameOf(std::string_view tenant_name, Collection collection,
                           std::string_view id) {
  return absl::StrCat(std::string(tenant_name), "/", std::string(CollectionSegment(collection)),
                      "/", std::string(id));
}

std::string TenantOf(std::string_view name) {
  if (IsTenantName(name)) return std::string(name);
  const auto parsed = ParseResourceName(name);
  return parsed.has_value() ? TenantName(parsed->tenant_code) : std::string();
}

}  // namespace samrad::registry::domain
