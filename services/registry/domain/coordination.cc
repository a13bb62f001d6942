#include "services/registry/domain/coordination.h"

#include <algorithm>

#include "services/registry/domain/dates.h"

namespace samrad::registry::domain {
namespace {

// Guards parent chains against cycles in (editable) area data.
constexpr int kMaxAreaDepth = 16;

bool IsGroupOfIndividuals(int group) {
  switch (group) {
    case v1::CHILDREN:
    case v1::YOUNG_PEOPLE:
    case v1::OLDER_PEOPLE:
    case v1::PEOPLE_WITH_DISABILITIES:
    case v1::SERVICE_USERS:
    case v1::VISITORS:
      return true;
    default:
      return false;
  }
}

const google::type::Date& Later(const google::type::Date& a, const google::type::Date& b) {
  return CompareDates(a, b) >= 0 ? a : b;
}

const google::type::Date& Earlier(const google::type::Date& a, const google::type::Date& b) {
  return CompareDates(a, b) <= 0 ? a : b;
}

}  // namespace

AreaGeometry::AreaGeometry(const std::vector<v1::Area>& areas) {
  for (const v1::Area& area : areas) {
    all_.insert(area.name());
    if (area.kind() == v1::Area::WHOLE_CITY) whole_city_.insert(area.name());
    if (!area.parent().empty()) parent_[area.name()] = area.parent();
  }
}

bool AreaGeometry::IsWholeCity(std::string_view area) const {
  return whole_city_.find(area) != whole_city_.end();
}

bool AreaGeometry::Contains(std::string_view ancestor, std::string_view area) const {
  std::string_view current = area;
  for (int depth = 0; depth < kMaxAreaDepth; ++depth) {
    const auto it = parent_.find(current);
    if (it == parent_.end()) return false;
    if (it->second == ancestor) return true;
    current = it->second;
  }
  return false;
}

bool AreaGeometry::Overlap(std::string_view a, std::string_view b) const {
  return a == b || IsWholeCity(a) || IsWholeCity(b) || Contains(a, b) || Contains(b, a);
}

std::string AreaGeometry::SharedArea(std::string_view a, std::string_view b) const {
  if (a == b) return std::string(a);
  if (IsWholeCity(a)) return std::string(b);
  if (IsWholeCity(b)) return std::string(a);
  // The contained one is the more specific.
  return Contains(a, b) ? std::string(b) : std::string(a);
}

std::vector<std::string> AreaGeometry::Expand(const std::vector<std::string>& areas) const {
  std::set<std::string> out(areas.begin(), areas.end());
  const bool whole_city =
      std::any_of(areas.begin(), areas.end(), [&](const std::string& a) { return IsWholeCity(a); });
  if (whole_city) {
    out.insert(all_.begin(), all_.end());
  } else {
    out.insert(whole_city_.begin(), whole_city_.end());
    for (const std::string& known : all_) {
      for (const std::string& area : areas) {
        if (Contains(known, area) || Contains(area, known)) out.insert(known);
      }
    }
  }
  return {out.begin(), out.end()};
}

Period PeriodOf(const v1::Dialogue& dialogue) {
  Period period;
  period.start = dialogue.start_date();
  if (dialogue.has_end_date()) period.end = dialogue.end_date();
  return period;
}

std::optional<Period> OverlapOf(const Period& a, const Period& b) {
  Period overlap;
  overlap.start = Later(a.start, b.start);
  if (a.end.has_value() && b.end.has_value()) {
    overlap.end = Earlier(*a.end, *b.end);
  } else if (a.end.has_value()) {
    overlap.end = *a.end;
  } else if (b.end.has_value()) {
    overlap.end = *b.end;
  }
  if (overlap.end.has_value() && CompareDates(*overlap.end, overlap.start) < 0) {
    return std::nullopt;
  }
  return overlap;
}

std::vector<v1::TargetGroup> SharedTargetGroups(const v1::Dialogue& a, const v1::Dialogue& b) {
  std::set<int> shared;
  for (int g : a.target_groups()) {
    for (int h : b.target_groups()) {
      if (g == v1::TARGET_GROUP_UNSPECIFIED || h == v1::TARGET_GROUP_UNSPECIFIED) continue;
      if (g == h) {
        shared.insert(g);
      } else if (g == v1::CITIZENS && IsGroupOfIndividuals(h)) {
        shared.insert(h);
      } else if (h == v1::CITIZENS && IsGroupOfIndividuals(g)) {
        shared.insert(g);
      }
    }
  }
  std::vector<v1::TargetGroup> out;
  for (int g : shared) out.push_back(static_cast<v1::TargetGroup>(g));
  return out;
}

std::vector<v1::CoordinationHint> FindCoordinationHints(const v1::Dialogue& dialogue,
                                                        const std::vector<v1::Dialogue>& candidates,
                                                        const AreaGeometry& areas, absl::Time now) {
  std::vector<v1::CoordinationHint> hints;
  if (dialogue.status() == v1::CANCELLED || !IsValidDate(dialogue.start_date())) return hints;
  const Period period = PeriodOf(dialogue);
  std::set<std::string> seen;
  for (const v1::Dialogue& other : candidates) {
    if (other.name() == dialogue.name() || !seen.insert(other.name()).second) continue;
    if (other.lead_administration() == dialogue.lead_administration()) continue;
    if (other.status() == v1::CANCELLED || !IsValidDate(other.start_date())) continue;

    std::set<std::string> shared_areas;
    for (const std::string& a : dialogue.areas()) {
      for (const std::string& b : other.areas()) {
        if (areas.Overlap(a, b)) shared_areas.insert(areas.SharedArea(a, b));
      }
    }
    if (shared_areas.empty()) continue;
    const std::optional<Period> overlap = OverlapOf(period, PeriodOf(other));
    if (!overlap.has_value()) continue;
    const std::vector<v1::TargetGroup> groups = SharedTargetGroups(dialogue, other);
    if (groups.empty()) continue;

    v1::CoordinationHint hint;
    hint.set_dialogue(dialogue.name());
    hint.set_other_dialogue(other.name());
    hint.set_other_lead_administration(other.lead_administration());
    for (const std::string& area : shared_areas) hint.add_shared_areas(area);
    for (v1::TargetGroup group : groups) hint.add_shared_target_groups(group);
    *hint.mutable_overlap_start() = overlap->start;
    if (overlap->end.has_value()) *hint.mutable_overlap_end() = *overlap->end;
    *hint.mutable_detect_time() = ToTimestamp(now);
    hints.push_back(std::move(hint));
  }
  std::sort(hints.begin(), hints.end(),
            [](const auto& x, const auto& y) { return x.other_dialogue() < y.other_dialogue(); });
  return hints;
}

namespace {

void SortByOther(std::vector<v1::CoordinationHint>& hints) {
  std::sort(hints.begin(), hints.end(),
            [](const v1::CoordinationHint& a, const v1::CoordinationHint& b) {
              return a.other_dialogue() < b.other_dialogue();
            });
}

}  // namespace

std::map<std::string, std::vector<v1::CoordinationHint>> HintListsAfter(
    const v1::CoordinationHintsFound& found, const std::string& lead_administration,
    const std::function<std::vector<v1::CoordinationHint>(const std::string&)>& current) {
  const std::string& self = found.dialogue();
  std::map<std::string, std::vector<v1::CoordinationHint>> out;
  std::vector<v1::CoordinationHint>& own = out[self];
  std::set<std::string> now;
  for (const v1::CoordinationHint& hint : found.hints()) {
    v1::CoordinationHint h = hint;
    h.set_dialogue(self);
    now.insert(h.other_dialogue());
    own.push_back(std::move(h));
  }
  SortByOther(own);
  // The other side of each current overlap: its hint about `self` is replaced.
  for (const v1::CoordinationHint& h : own) {
    std::vector<v1::CoordinationHint> list = current(h.other_dialogue());
    std::erase_if(list, [&](const v1::CoordinationHint& x) { return x.other_dialogue() == self; });
    v1::CoordinationHint mirrored = h;
    mirrored.set_dialogue(h.other_dialogue());
    mirrored.set_other_dialogue(self);
    mirrored.set_other_lead_administration(lead_administration);
    list.push_back(std::move(mirrored));
    SortByOther(list);
    out[h.other_dialogue()] = std::move(list);
  }
  // Overlaps that ended: the other side forgets `self`.
  for (const v1::CoordinationHint& old : current(self)) {
    if (now.contains(old.other_dialogue()) || out.contains(old.other_dialogue())) continue;
    std::vector<v1::CoordinationHint> list = current(old.other_dialogue());
    std::erase_if(list, [&](const v1::CoordinationHint& x) { return x.other_dialogue() == self; });
    out[old.other_dialogue()] = std::move(list);
  }
  return out;
}

}  // namespace samrad::registry::domain
