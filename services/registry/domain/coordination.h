#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_COORDINATION_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_COORDINATION_H_

// Coordination hints (issue 3, point 4; DOMAIN.md: the network "maps ongoing dialogue work
// in the city that concerns several administrations" and stops two committees from
// handling the same thing twice). Registering or changing an effort finds the OTHER
// administrations' efforts that reach the same people at the same time and place.
//
// Another effort B is a hint for effort A when all of these hold:
// 1. B is not A, and B's lead administration differs from A's (an administration
//    coordinates its own efforts itself). Co-administrations do not matter.
// 2. Neither A nor B is CANCELLED (a cancelled effort reaches nobody). Efforts in every
//    other status count: a completed effort in the same place and period still matters
//    for feedback and evaluation.
// 3. They share an area (AreaGeometry):
//    - the same area;
//    - an area of kind WHOLE_CITY ("hela staden") shares ground with every area: an
//      effort for the whole city reaches the people of every district;
//    - a local area shares ground with the district it lies in (Area.parent, transitively):
//      Lindängen and Fosie overlap;
//    the shared area reported is the more specific of the two (Lindängen, not Fosie;
//    Rosengård, not hela staden). Free-text places (area_description) are not compared.
// 4. Their periods overlap, both ends inclusive; an unset end date is open (the effort
//    runs on), so it overlaps everything from its start. The hint carries the overlap;
//    overlap_end is unset when both are open.
// 5. They share a target group: the same group, or CITIZENS (everyone who lives in or
//    uses the city, DOMAIN.md) against a group of individuals (CHILDREN, YOUNG_PEOPLE,
//    OLDER_PEOPLE, PEOPLE_WITH_DISABILITIES, SERVICE_USERS, VISITORS), reported as the more
//    specific group. CITIZENS does not overlap organisations (ASSOCIATIONS, BUSINESSES,
//    STAKEHOLDERS). Free-text target groups are not compared.
// Hints are sorted by the other dialogue's name; detect_time is `now`.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/registry/v1/resources.pb.h"
#include "services/registry/domain/registry_view.h"

namespace samrad::registry::domain {

// How the tenant's areas contain each other.
class AreaGeometry {
 public:
  AreaGeometry() = default;
  explicit AreaGeometry(const std::vector<v1::Area>& areas);

  bool IsWholeCity(std::string_view area) const;
  // True when `a` and `b` share ground (rule 3 above).
  bool Overlap(std::string_view a, std::string_view b) const;
  // For overlapping areas: the more specific one.
  std::string SharedArea(std::string_view a, std::string_view b) const;
  // Every area that may share ground with one of `areas`: the areas themselves, their
  // ancestors and descendants and the whole-city areas; every known area when one of
  // `areas` is the whole city. Sorted, without duplicates. For
  // RegistryView::DialoguesOverlapping.
  std::vector<std::string> Expand(const std::vector<std::string>& areas) const;

 private:
  // True when `ancestor` is a (transitive) parent of `area`.
  bool Contains(std::string_view ancestor, std::string_view area) const;

  std::set<std::string, std::less<>> all_;
  std::set<std::string, std::less<>> whole_city_;
  std::map<std::string, std::string, std::less<>> parent_;
};

// The dialogue's period; start unset (all zero) when the dialogue has none.
Period PeriodOf(const v1::Dialogue& dialogue);
// The overlap of two periods (rule 4), nullopt when they do not overlap.
std::optional<Period> OverlapOf(const Period& a, const Period& b);
// Rule 5, sorted by enum value.
std::vector<v1::TargetGroup> SharedTargetGroups(const v1::Dialogue& a, const v1::Dialogue& b);

std::vector<v1::CoordinationHint> FindCoordinationHints(const v1::Dialogue& dialogue,
                                                        const std::vector<v1::Dialogue>& candidates,
                                                        const AreaGeometry& areas, absl::Time now);

// How a CoordinationHintsFound changes the stored hints. `found.hints()` is the complete
// set of the dialogue's current overlaps (empty when none remain: sent when an update or a
// cancellation ends them). Overlap is symmetric (rules 1 to 5), so:
// - the dialogue's own list becomes exactly `found.hints()`;
// - each dialogue it overlaps gets the mirrored hint (dialogue and other_dialogue swapped,
//   other_lead_administration = `lead_administration`), replacing its earlier hint about
//   the dialogue;
// - each dialogue it no longer overlaps loses its hint about the dialogue.
// `current(name)` gives a dialogue's stored list. Returns the new list of every dialogue
// whose list changes, each sorted by other_dialogue.
std::map<std::string, std::vector<v1::CoordinationHint>> HintListsAfter(
    const v1::CoordinationHintsFound& found, const std::string& lead_administration,
    const std::function<std::vector<v1::CoordinationHint>(const std::string&)>& current);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_COORDINATION_H_
