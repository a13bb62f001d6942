#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_ORGANISATION_DATA_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_ORGANISATION_DATA_H_

// The organisation data a tenant starts with (issue 3 point 1): for Malmö,
// deploy/config/malmo.json with the 13 bodies of DOMAIN.md (12 committees with their
// administrations, plus Kommunstyrelsen with stadskontoret as coordinator), the charter
// (reglemente) dialogue duties, the areas and the channels of Tabell 3.
//
// The file (JSON; every object may also carry a free-text "note"):
//   {
//     "tenant": {"code": "1280", "display_name": "Malmö stad"},
//     "bodies": [{
//       "committee": {"id": "miljonamnden", "display_name": "Miljönämnden"},
//       "administration": {"id": "miljoforvaltningen", "display_name": "Miljöförvaltningen"},
//       "charter": {"citizen_dialogue": true, "user_consultation": false},   // optional
//       "coordinator": false                                                  // optional
//     }, ...],
//     "areas": [{"id": "lindangen", "display_name": "Lindängen", "kind": "LOCAL_AREA",
//                "parent": "fosie"}, ...],           // kind DISTRICT | LOCAL_AREA | WHOLE_CITY
//     "channels": [{"id": "malmopanelen", "display_name": "Malmöpanelen",
//                   "usual_types": ["MEDBORGARDIALOG"],
//                   "state": "RETIRED"}, ...]          // state optional, default ACTIVE
//   }
// Ids follow AIP-122 ([a-z][a-z0-9-]{0,62}, Swedish letters transliterated) and are unique
// per kind; display names are non-empty and unique per kind; an area's parent is the id of
// another area in the file; at most one body is the coordinator. Unknown keys are errors,
// so that a misspelt key does not silently drop a duty.

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/registry/v1/resources.pb.h"

namespace samrad::registry::domain {

// Resources with full names ("tenants/1280/committees/miljonamnden"), state ACTIVE unless
// the file says otherwise, committee↔administration links set on both sides.
struct OrganisationData {
  v1::Tenant tenant;
  std::vector<v1::Committee> committees;
  std::vector<v1::Administration> administrations;
  std::vector<v1::Area> areas;
  std::vector<v1::Channel> channels;
};

// INVALID_ARGUMENT naming every problem ("bodies[3].committee.id: ...") when the text is
// not valid organisation data.
absl::StatusOr<OrganisationData> ParseOrganisationData(std::string_view json);

// The events that create the tenant and its organisation at first start, in order:
// TenantCreated, CommitteeCreated..., AdministrationCreated..., AreaDefined...,
// ChannelDefined.... Without metadata; create and update times are `now`.
std::vector<v1::RegistryEvent> BootstrapEvents(const OrganisationData& data, absl::Time now);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_ORGANISATION_DATA_H_
