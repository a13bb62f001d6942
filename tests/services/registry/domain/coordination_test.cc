// Coordination hints (coordination.h): overlap of area, period and target groups between
// efforts of different administrations.

#include "services/registry/domain/coordination.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/domain/decide.h"
#include "tests/services/registry/domain/domain_test_support.h"

namespace samrad::registry::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using namespace testing;  // NOLINT

AreaGeometry MalmoAreas() {
  std::vector<v1::Area> areas;
  const auto add = [&](std::string id, v1::Area::Kind kind, std::string parent = "") {
    v1::Area& a = areas.emplace_back();
    a.set_name(AreaName(id));
    a.set_kind(kind);
    if (!parent.empty()) a.set_parent(AreaName(parent));
  };
  add("fosie", v1::Area::DISTRICT);
  add("rosengard", v1::Area::DISTRICT);
  add("lindangen", v1::Area::LOCAL_AREA, "fosie");
  add("hela-staden", v1::Area::WHOLE_CITY);
  return AreaGeometry(areas);
}

// Fritidsförvaltningen's effort in Rosengård for citizens, 2020-03-01 .. 2020-05-31.
v1::Dialogue Ours() {
  v1::Dialogue d;
  d.set_name(DialogueName("ours"));
  d.set_status(v1::PLANNED);
  d.set_lead_administration(AdministrationName("fritidsforvaltningen"));
  d.add_areas(AreaName("rosengard"));
  d.add_target_groups(v1::CITIZENS);
  *d.mutable_start_date() = D(2020, 3, 1);
  *d.mutable_end_date() = D(2020, 5, 31);
  return d;
}

// Grundskoleförvaltningen's effort that overlaps Ours() in every respect.
v1::Dialogue Theirs() {
  v1::Dialogue d;
  d.set_name(DialogueName("theirs"));
  d.set_status(v1::ONGOING);
  d.set_lead_administration(AdministrationName("grundskoleforvaltningen"));
  d.add_areas(AreaName("rosengard"));
  d.add_target_groups(v1::CITIZENS);
  *d.mutable_start_date() = D(2020, 4, 1);
  *d.mutable_end_date() = D(2020, 6, 30);
  return d;
}

struct Expected {
  std::vector<std::string> areas;
  std::vector<v1::TargetGroup> groups;
  std::string overlap_start;
  std::string overlap_end;  // "" = open
};

TEST(CoordinationHintsTest, Table) {
  using Mutate = std::function<void(v1::Dialogue & ours, v1::Dialogue & theirs)>;
  struct Row {
    std::string name;
    Mutate mutate;
    std::optional<Expected> hint;
  };
  const std::string rosengard = AreaName("rosengard");
  const std::vector<Row> rows = {
      {"full overlap", [](v1::Dialogue&, v1::Dialogue&) {},
       Expected{{rosengard}, {v1::CITIZENS}, "2020-04-01", "2020-05-31"}},
      {"same lead administration",
       [](v1::Dialogue&, v1::Dialogue& t) {
         t.set_lead_administration(AdministrationName("fritidsforvaltningen"));
       },
       std::nullopt},
      {"other is cancelled", [](v1::Dialogue&, v1::Dialogue& t) { t.set_status(v1::CANCELLED); },
       std::nullopt},
      {"ours is cancelled", [](v1::Dialogue& o, v1::Dialogue&) { o.set_status(v1::CANCELLED); },
       std::nullopt},
      {"other is completed", [](v1::Dialogue&, v1::Dialogue& t) { t.set_status(v1::COMPLETED); },
       Expected{{rosengard}, {v1::CITIZENS}, "2020-04-01", "2020-05-31"}},
      {"different area", [](v1::Dialogue&, v1::Dialogue& t) { t.set_areas(0, AreaName("fosie")); },
       std::nullopt},
      {"other for the whole city",
       [](v1::Dialogue&, v1::Dialogue& t) { t.set_areas(0, AreaName("hela-staden")); },
       Expected{{rosengard}, {v1::CITIZENS}, "2020-04-01", "2020-05-31"}},
      {"ours for the whole city",
       [](v1::Dialogue& o, v1::Dialogue&) { o.set_areas(0, AreaName("hela-staden")); },
       Expected{{rosengard}, {v1::CITIZENS}, "2020-04-01", "2020-05-31"}},
      {"both for the whole city",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.set_areas(0, AreaName("hela-staden"));
         t.set_areas(0, AreaName("hela-staden"));
       },
       Expected{{AreaName("hela-staden")}, {v1::CITIZENS}, "2020-04-01", "2020-05-31"}},
      {"local area inside the other's district",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.set_areas(0, AreaName("lindangen"));
         t.set_areas(0, AreaName("fosie"));
       },
       Expected{{AreaName("lindangen")}, {v1::CITIZENS}, "2020-04-01", "2020-05-31"}},
      {"district containing the other's local area",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.set_areas(0, AreaName("fosie"));
         t.set_areas(0, AreaName("lindangen"));
       },
       Expected{{AreaName("lindangen")}, {v1::CITIZENS}, "2020-04-01", "2020-05-31"}},
      {"local area in another district",
       [](v1::Dialogue& o, v1::Dialogue& t) { t.set_areas(0, AreaName("lindangen")); },
       std::nullopt},
      {"two shared areas",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.add_areas(AreaName("lindangen"));
         t.add_areas(AreaName("fosie"));
       },
       Expected{{AreaName("lindangen"), rosengard}, {v1::CITIZENS}, "2020-04-01", "2020-05-31"}},
      {"only free-text places",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.clear_areas();
         t.clear_areas();
         o.set_area_description("Rosens park");
         t.set_area_description("Rosens park");
       },
       std::nullopt},
      {"periods apart",
       [](v1::Dialogue&, v1::Dialogue& t) {
         *t.mutable_start_date() = D(2020, 6, 1);
         *t.mutable_end_date() = D(2020, 8, 31);
       },
       std::nullopt},
      {"periods touching on one day",
       [](v1::Dialogue&, v1::Dialogue& t) {
         *t.mutable_start_date() = D(2020, 5, 31);
         *t.mutable_end_date() = D(2020, 8, 31);
       },
       Expected{{rosengard}, {v1::CITIZENS}, "2020-05-31", "2020-05-31"}},
      {"other ended the day before ours starts",
       [](v1::Dialogue&, v1::Dialogue& t) {
         *t.mutable_start_date() = D(2020, 1, 1);
         *t.mutable_end_date() = D(2020, 2, 29);
       },
       std::nullopt},
      {"other open-ended, started long before",
       [](v1::Dialogue&, v1::Dialogue& t) {
         *t.mutable_start_date() = D(2018, 1, 1);
         t.clear_end_date();
       },
       Expected{{rosengard}, {v1::CITIZENS}, "2020-03-01", "2020-05-31"}},
      {"other open-ended, starting after ours ended",
       [](v1::Dialogue&, v1::Dialogue& t) {
         *t.mutable_start_date() = D(2020, 6, 1);
         t.clear_end_date();
       },
       std::nullopt},
      {"ours open-ended", [](v1::Dialogue& o, v1::Dialogue&) { o.clear_end_date(); },
       Expected{{rosengard}, {v1::CITIZENS}, "2020-04-01", "2020-06-30"}},
      {"both open-ended",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.clear_end_date();
         t.clear_end_date();
       },
       Expected{{rosengard}, {v1::CITIZENS}, "2020-04-01", ""}},
      {"disjoint target groups",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.set_target_groups(0, v1::OLDER_PEOPLE);
         t.set_target_groups(0, v1::CHILDREN);
       },
       std::nullopt},
      {"citizens include children",
       [](v1::Dialogue&, v1::Dialogue& t) {
         t.set_target_groups(0, v1::CHILDREN);
         t.add_target_groups(v1::YOUNG_PEOPLE);
       },
       Expected{{rosengard}, {v1::CHILDREN, v1::YOUNG_PEOPLE}, "2020-04-01", "2020-05-31"}},
      {"citizens do not include associations",
       [](v1::Dialogue&, v1::Dialogue& t) { t.set_target_groups(0, v1::ASSOCIATIONS); },
       std::nullopt},
      {"same specific group",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.set_target_groups(0, v1::BUSINESSES);
         t.set_target_groups(0, v1::BUSINESSES);
       },
       Expected{{rosengard}, {v1::BUSINESSES}, "2020-04-01", "2020-05-31"}},
      {"only free-text target groups",
       [](v1::Dialogue& o, v1::Dialogue& t) {
         o.clear_target_groups();
         t.clear_target_groups();
         o.add_other_target_groups("Hundägare");
         t.add_other_target_groups("Hundägare");
       },
       std::nullopt},
  };
  const AreaGeometry areas = MalmoAreas();
  const absl::Time now = Ctx().now;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    v1::Dialogue ours = Ours();
    v1::Dialogue theirs = Theirs();
    row.mutate(ours, theirs);
    const std::vector<v1::CoordinationHint> hints =
        FindCoordinationHints(ours, {theirs, ours}, areas, now);
    if (!row.hint.has_value()) {
      EXPECT_THAT(hints, IsEmpty());
      continue;
    }
    ASSERT_EQ(hints.size(), 1u);
    const v1::CoordinationHint& hint = hints[0];
    EXPECT_EQ(hint.dialogue(), DialogueName("ours"));
    EXPECT_EQ(hint.other_dialogue(), DialogueName("theirs"));
    EXPECT_EQ(hint.other_lead_administration(), theirs.lead_administration());
    EXPECT_THAT(hint.shared_areas(), ElementsAreArray(row.hint->areas));
    std::vector<v1::TargetGroup> groups;
    for (int g : hint.shared_target_groups()) groups.push_back(static_cast<v1::TargetGroup>(g));
    EXPECT_THAT(groups, ElementsAreArray(row.hint->groups));
    EXPECT_EQ(FormatDate(hint.overlap_start()), row.hint->overlap_start);
    EXPECT_EQ(hint.has_overlap_end() ? FormatDate(hint.overlap_end()) : "", row.hint->overlap_end);
    EXPECT_EQ(hint.detect_time().seconds(), absl::ToUnixSeconds(now));
  }
}

TEST(CoordinationHintsTest, SortedByOtherDialogue) {
  v1::Dialogue b = Theirs();
  b.set_name(DialogueName("b"));
  v1::Dialogue a = Theirs();
  a.set_name(DialogueName("a"));
  const auto hints = FindCoordinationHints(Ours(), {b, a, b}, MalmoAreas(), Ctx().now);
  ASSERT_EQ(hints.size(), 2u);
  EXPECT_EQ(hints[0].other_dialogue(), DialogueName("a"));
  EXPECT_EQ(hints[1].other_dialogue(), DialogueName("b"));
}

TEST(AreaGeometryTest, Expand) {
  const AreaGeometry areas = MalmoAreas();
  EXPECT_THAT(areas.Expand({AreaName("lindangen")}),
              ElementsAre(AreaName("fosie"), AreaName("hela-staden"), AreaName("lindangen")));
  EXPECT_THAT(areas.Expand({AreaName("fosie")}),
              ElementsAre(AreaName("fosie"), AreaName("hela-staden"), AreaName("lindangen")));
  EXPECT_THAT(areas.Expand({AreaName("rosengard")}),
              ElementsAre(AreaName("hela-staden"), AreaName("rosengard")));
  EXPECT_THAT(areas.Expand({AreaName("hela-staden")}),
              ElementsAre(AreaName("fosie"), AreaName("hela-staden"), AreaName("lindangen"),
                          AreaName("rosengard")));
  EXPECT_TRUE(areas.IsWholeCity(AreaName("hela-staden")));
  EXPECT_FALSE(areas.Overlap(AreaName("rosengard"), AreaName("lindangen")));
}

TEST(AreaGeometryTest, ParentCycleDoesNotHang) {
  std::vector<v1::Area> areas(2);
  areas[0].set_name("a");
  areas[0].set_parent("b");
  areas[1].set_name("b");
  areas[1].set_parent("a");
  const AreaGeometry geometry(areas);
  EXPECT_TRUE(geometry.Overlap("a", "b"));
  EXPECT_FALSE(geometry.Overlap("a", "c"));
}

// Registering and updating an effort records the hints as an event.
TEST(CoordinationDecideTest, RegisteringAndUpdatingEmitHints) {
  InMemoryRegistry registry = SmallMalmo();
  v1::CreateDialogueRequest theirs = ValidCreateDialogue("skolgardar");
  theirs.mutable_dialogue()->set_lead_administration(AdministrationName("grundskoleforvaltningen"));
  theirs.mutable_dialogue()->clear_target_groups();
  theirs.mutable_dialogue()->add_target_groups(v1::CHILDREN);
  ApplyOrFail(registry, Decide(registry, theirs, Ctx()));

  // Same administration: no hint.
  v1::CreateDialogueRequest same = ValidCreateDialogue("skolgardar-2");
  same.mutable_dialogue()->set_lead_administration(AdministrationName("grundskoleforvaltningen"));
  EXPECT_THAT(EventCases(ExpectOk(Decide(registry, same, Ctx()))),
              ElementsAre("dialogue_registered"));

  v1::CreateDialogueRequest ours = ValidCreateDialogue();
  ours.mutable_dialogue()->set_areas(0, AreaName("hela-staden"));
  const DecideResult result = ExpectOk(Decide(registry, ours, Ctx()));
  ASSERT_THAT(EventCases(result), ElementsAre("dialogue_registered", "coordination_hints_found"));
  const auto& found = result.events[1].coordination_hints_found();
  EXPECT_EQ(found.dialogue(), DialogueName("rosengard-parker"));
  ASSERT_EQ(found.hints_size(), 1);
  EXPECT_EQ(found.hints(0).other_dialogue(), DialogueName("skolgardar"));
  EXPECT_THAT(found.hints(0).shared_areas(), ElementsAre(AreaName("rosengard")));
  EXPECT_EQ(CoordinationHintsOf(result).size(), 1u);
  ASSERT_TRUE(registry.ApplyAll(result.events).ok());
  EXPECT_EQ(registry.HintsFor(DialogueName("rosengard-parker")).size(), 1u);

  // An update that does not touch area, period, groups or lead finds nothing new.
  v1::UpdateDialogueRequest title;
  title.mutable_dialogue()->set_name(DialogueName("rosengard-parker"));
  title.mutable_dialogue()->set_title("Parker för alla");
  title.mutable_update_mask()->add_paths("title");
  *title.mutable_options() = Options();
  EXPECT_THAT(EventCases(ExpectOk(Decide(registry, title, Ctx()))),
              ElementsAre("dialogue_updated"));

  // Moving the period away ends the overlap: an empty set clears both sides.
  v1::UpdateDialogueRequest period = title;
  period.mutable_dialogue()->clear_title();
  period.clear_update_mask();
  period.mutable_update_mask()->add_paths("start_date");
  period.mutable_update_mask()->add_paths("end_date");
  *period.mutable_dialogue()->mutable_start_date() = D(2021, 3, 1);
  *period.mutable_dialogue()->mutable_end_date() = D(2021, 5, 31);
  const DecideResult away = ExpectOk(Decide(registry, period, Ctx()));
  ASSERT_THAT(EventCases(away), ElementsAre("dialogue_updated", "coordination_hints_found"));
  EXPECT_EQ(away.events[1].coordination_hints_found().hints_size(), 0);
  ASSERT_TRUE(registry.ApplyAll(away.events).ok());
  EXPECT_THAT(registry.HintsFor(DialogueName("rosengard-parker")), IsEmpty());
  EXPECT_THAT(registry.HintsFor(DialogueName("skolgardar")), IsEmpty());
  // Still apart: nothing stored, nothing to record.
  EXPECT_THAT(EventCases(ExpectOk(Decide(registry, period, Ctx()))),
              ElementsAre("dialogue_updated"));

  // Moving it back finds the overlap again, on both sides.
  *period.mutable_dialogue()->mutable_start_date() = D(2020, 5, 1);
  const DecideResult back = ExpectOk(Decide(registry, period, Ctx()));
  EXPECT_THAT(EventCases(back), ElementsAre("dialogue_updated", "coordination_hints_found"));
  ASSERT_TRUE(registry.ApplyAll(back.events).ok());
  EXPECT_EQ(registry.HintsFor(DialogueName("rosengard-parker")).size(), 1u);
  ASSERT_EQ(registry.HintsFor(DialogueName("skolgardar")).size(), 1u);

  // Cancelling the other effort ends its overlaps (rule 2).
  v1::TransitionDialogueRequest cancel;
  cancel.set_name(DialogueName("skolgardar"));
  cancel.set_status(v1::CANCELLED);
  *cancel.mutable_options() = Options();
  cancel.mutable_options()->set_reason("Skolgårdarna byggs om först 2022.");
  const DecideResult cancelled = ExpectOk(Decide(registry, cancel, Ctx()));
  EXPECT_THAT(EventCases(cancelled),
              ElementsAre("dialogue_status_changed", "coordination_hints_found"));
  ASSERT_TRUE(registry.ApplyAll(cancelled.events).ok());
  EXPECT_THAT(registry.HintsFor(DialogueName("rosengard-parker")), IsEmpty());
  EXPECT_THAT(registry.HintsFor(DialogueName("skolgardar")), IsEmpty());
}

v1::CoordinationHint Hint(const std::string& from, const std::string& to, const std::string& lead) {
  v1::CoordinationHint h;
  h.set_dialogue(from);
  h.set_other_dialogue(to);
  h.set_other_lead_administration(lead);
  h.add_shared_areas("tenants/1280/areas/rosengard");
  return h;
}

// "dialogue→other(lead)" of each hint.
std::vector<std::string> Describe(const std::vector<v1::CoordinationHint>& hints) {
  std::vector<std::string> out;
  for (const auto& h : hints) {
    out.push_back(absl::StrCat(h.dialogue(), "→", h.other_dialogue(), "(",
                               h.other_lead_administration(), ")"));
  }
  return out;
}

TEST(HintListsAfterTest, TheFoundSetReplacesAndTheOtherSidesFollow) {
  // Stored: A overlaps B and C; B also overlaps D; E knows nothing of A.
  std::map<std::string, std::vector<v1::CoordinationHint>> stored = {
      {"A", {Hint("A", "B", "lb"), Hint("A", "C", "lc")}},
      {"B", {Hint("B", "A", "la"), Hint("B", "D", "ld")}},
      {"C", {Hint("C", "A", "la")}},
      {"D", {Hint("D", "B", "lb")}},
  };
  auto current = [&](const std::string& name) {
    auto it = stored.find(name);
    return it == stored.end() ? std::vector<v1::CoordinationHint>{} : it->second;
  };
  struct Row {
    std::string name;
    std::vector<std::string> others;  // A's overlaps now
    std::map<std::string, std::vector<std::string>> expected;
  };
  const std::vector<Row> rows = {
      {"unchanged set: both sides rewritten, nothing else",
       {"B", "C"},
       {{"A", {"A→B(lb)", "A→C(lc)"}}, {"B", {"B→A(la2)", "B→D(ld)"}}, {"C", {"C→A(la2)"}}}},
      {"C no longer overlaps: C forgets A",
       {"B"},
       {{"A", {"A→B(lb)"}}, {"B", {"B→A(la2)", "B→D(ld)"}}, {"C", {}}}},
      {"a new overlap with E: E learns of A",
       {"B", "C", "E"},
       {{"A", {"A→B(lb)", "A→C(lc)", "A→E(le)"}},
        {"B", {"B→A(la2)", "B→D(ld)"}},
        {"C", {"C→A(la2)"}},
        {"E", {"E→A(la2)"}}}},
      {"none left (update or cancellation): every side forgets A",
       {},
       {{"A", {}}, {"B", {"B→D(ld)"}}, {"C", {}}}},
  };
  const std::map<std::string, std::string> leads = {{"B", "lb"}, {"C", "lc"}, {"E", "le"}};
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    v1::CoordinationHintsFound found;
    found.set_dialogue("A");
    // Given in reverse order: the result is sorted.
    for (auto it = row.others.rbegin(); it != row.others.rend(); ++it) {
      *found.add_hints() = Hint("", *it, leads.at(*it));
    }
    const auto lists = HintListsAfter(found, "la2", current);
    std::map<std::string, std::vector<std::string>> described;
    for (const auto& [name, hints] : lists) described[name] = Describe(hints);
    EXPECT_EQ(described, row.expected);
  }
}

}  // namespace
}  // namespace samrad::registry::domain
