#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_NAMES_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_NAMES_H_

// Resource names of the registry (AIP-122): "tenants/{code}" and
// "tenants/{code}/{collection}/{id}", e.g. "tenants/1280/dialogues/lindangen-trygghet".
// A tenant code is the four-digit municipality code (kommunkod; Malmö is 1280). Resource
// ids match [a-z][a-z0-9-]{0,62}: lower-case ASCII, so Swedish names are transliterated
// (å, ä → a; ö → o), e.g. "miljonamnden".

#include <optional>
#include <string>
#include <string_view>

namespace samrad::registry::domain {

enum class Collection {
  kCommittees,
  kAdministrations,
  kAreas,
  kChannels,
  kPeople,
  kAppointments,
  kDialogues,
  kConsultations,
};

// "committees", "administrations", ... as in the resource name.
std::string_view CollectionSegment(Collection collection);

// [a-z][a-z0-9-]{0,62}.
bool IsValidResourceId(std::string_view id);
// Four ASCII digits.
bool IsValidTenantCode(std::string_view code);
// "tenants/{code}".
bool IsTenantName(std::string_view name);

struct ResourceName {
  std::string tenant_code;
  Collection collection;
  std::string id;
};

// Parses "tenants/{code}/{collection}/{id}"; nullopt when it is not one.
std::optional<ResourceName> ParseResourceName(std::string_view name);
// True when `name` is a well-formed name of `collection`.
bool IsResourceName(std::string_view name, Collection collection);

// "tenants/{code}".
std::string TenantName(std::string_view code);
// "{tenant_name}/{collection}/{id}", tenant_name being "tenants/{code}".
std::string ResourceNameOf(std::string_view tenant_name, Collection collection,
                           std::string_view id);
// "tenants/{code}" of any well-formed tenant or resource name, else "".
std::string TenantOf(std::string_view name);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_NAMES_H_
