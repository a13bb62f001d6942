// Coordination hints through gRPC (coordination.h): when another administration registers
// an effort for the same people at the same time and place, CreateDialogue's response
// carries the hint and ListCoordinationHints lists it for both efforts; efforts that do not
// overlap give none; an update that creates an overlap reports it.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/domain/dates.h"
#include "tests/services/registry/api/registry_api_fixture.h"

namespace samrad::registry::apitest {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string Area(const std::string& id) { return Name("areas", id); }
std::string Administration(const std::string& id) { return Name("administrations", id); }
std::string Dialogue(const std::string& id) { return Name("dialogues", id); }
std::string DateText(const google::type::Date& d) {
  return d.year() == 0 ? "open" : domain::FormatDate(d);
}

class CoordinationApiTest : public RegistryApiTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(RegistryApiTest::SetUp());
    CreatePerson("anna", v1::ELECTED_OFFICIAL);
  }

  // Fritidsförvaltningen's effort: Rosengård, 2020-03-01..2020-05-31, for citizens.
  static v1::CreateDialogueRequest EffortA(const std::string& id = "a") {
    return DialogueRequest(id);
  }
  // Kulturförvaltningen's effort: Rosengård, 2020-05-01..2020-08-31, for children.
  static v1::CreateDialogueRequest EffortB(const std::string& id = "b") {
    v1::CreateDialogueRequest r = DialogueRequest(id);
    v1::Dialogue* d = r.mutable_dialogue();
    d->set_title("Sommarlov i Rosengård");
    d->set_lead_administration(Administration("kulturforvaltningen"));
    d->clear_target_groups();
    d->add_target_groups(v1::CHILDREN);
    *d->mutable_start_date() = D(2020, 5, 1);
    *d->mutable_end_date() = D(2020, 8, 31);
    return r;
  }

  std::vector<v1::CoordinationHint> HintsOf(const std::string& dialogue) {
    v1::ListCoordinationHintsRequest r;
    r.set_dialogue(dialogue);
    v1::ListCoordinationHintsResponse out;
    const grpc::Status s = stub_->ListCoordinationHints(Ctx().get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {out.hints().begin(), out.hints().end()};
  }

  v1::UpdateDialogueResponse Update(const std::string& id, const std::string& request_id,
                                    const std::function<void(v1::UpdateDialogueRequest&)>& edit) {
    v1::UpdateDialogueRequest r;
    r.mutable_dialogue()->set_name(Dialogue(id));
    r.mutable_options()->set_request_id(request_id);
    edit(r);
    v1::UpdateDialogueResponse out;
    const grpc::Status s = stub_->UpdateDialogue(Ctx().get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }
};

// What a hint of `dialogue` about `other` must say.
struct ExpectedHint {
  std::vector<std::string> shared_areas;
  std::vector<v1::TargetGroup> shared_target_groups;
  google::type::Date overlap_start;
  // Unset (all zero) when both efforts are open-ended.
  google::type::Date overlap_end;
};

void ExpectHint(const v1::CoordinationHint& hint, const std::string& dialogue,
                const std::string& other, const std::string& other_lead,
                const ExpectedHint& expected) {
  EXPECT_EQ(hint.dialogue(), dialogue);
  EXPECT_EQ(hint.other_dialogue(), other);
  EXPECT_EQ(hint.other_lead_administration(), other_lead);
  EXPECT_THAT(hint.shared_areas(), ElementsAreArray(expected.shared_areas));
  std::vector<v1::TargetGroup> groups;
  for (int g : hint.shared_target_groups()) groups.push_back(static_cast<v1::TargetGroup>(g));
  EXPECT_THAT(groups, ElementsAreArray(expected.shared_target_groups));
  EXPECT_EQ(DateText(hint.overlap_start()), DateText(expected.overlap_start));
  EXPECT_EQ(DateText(hint.overlap_end()), DateText(expected.overlap_end));
  EXPECT_GT(hint.detect_time().seconds(), 0);
}

// Effort A, then effort B, each changed by the case; B's registration reports `expected`
// (nullopt: no hint).
struct OverlapCase {
  std::string label;
  std::function<void(v1::Dialogue&)> edit_a;
  std::function<void(v1::Dialogue&)> edit_b;
  std::optional<ExpectedHint> expected;
  // Runs between A's and B's registration.
  std::function<void(v1::Registry::Stub&)> after_a = {};
};

void Keep(v1::Dialogue&) {}

const ExpectedHint kRosengardChildrenInMay{
    {Area("rosengard")}, {v1::CHILDREN}, D(2020, 5, 1), D(2020, 5, 31)};

std::vector<OverlapCase> OverlapCases() {
  auto areas = [](std::vector<std::string> ids) {
    return [ids](v1::Dialogue& d) {
      d.clear_areas();
      for (const auto& id : ids) d.add_areas(Area(id));
    };
  };
  return {
      {"SameAreaPeriodAndGroups", Keep, Keep, kRosengardChildrenInMay},
      {"LocalAreaInItsDistrict", areas({"fosie"}), areas({"lindangen"}),
       ExpectedHint{{Area("lindangen")}, {v1::CHILDREN}, D(2020, 5, 1), D(2020, 5, 31)}},
      {"WholeCityAndADistrict", Keep, areas({"hela-staden"}), kRosengardChildrenInMay},
      {"SeveralSharedAreas", areas({"rosengard", "husie", "oxie"}), areas({"oxie", "rosengard"}),
       ExpectedHint{
           {Area("oxie"), Area("rosengard")}, {v1::CHILDREN}, D(2020, 5, 1), D(2020, 5, 31)}},
      {"SameTargetGroup", Keep,
       [](v1::Dialogue& d) {
         d.clear_target_groups();
         d.add_target_groups(v1::CITIZENS);
         d.add_target_groups(v1::BUSINESSES);
       },
       ExpectedHint{{Area("rosengard")}, {v1::CITIZENS}, D(2020, 5, 1), D(2020, 5, 31)}},
      {"OneDayInCommon", Keep, [](v1::Dialogue& d) { *d.mutable_start_date() = D(2020, 5, 31); },
       ExpectedHint{{Area("rosengard")}, {v1::CHILDREN}, D(2020, 5, 31), D(2020, 5, 31)}},
      {"OpenEndedOther", [](v1::Dialogue& d) { d.clear_end_date(); }, Keep,
       ExpectedHint{{Area("rosengard")}, {v1::CHILDREN}, D(2020, 5, 1), D(2020, 8, 31)}},
      {"BothOpenEnded", [](v1::Dialogue& d) { d.clear_end_date(); },
       [](v1::Dialogue& d) { d.clear_end_date(); },
       ExpectedHint{{Area("rosengard")}, {v1::CHILDREN}, D(2020, 5, 1), {}}},
      {"CoAdministrationDoesNotMatter", Keep,
       [](v1::Dialogue& d) { d.add_co_administrations(Administration("fritidsforvaltningen")); },
       kRosengardChildrenInMay},
      {"OtherArea", Keep, areas({"husie"}), std::nullopt},
      {"OtherDistrictThanTheLocalArea", areas({"lindangen"}), areas({"oxie"}), std::nullopt},
      {"DisjointPeriod", Keep,
       [](v1::Dialogue& d) {
         *d.mutable_start_date() = D(2020, 6, 1);
         *d.mutable_end_date() = D(2020, 6, 30);
       },
       std::nullopt},
      {"DisjointTargetGroups", Keep,
       [](v1::Dialogue& d) {
         d.clear_target_groups();
         d.add_target_groups(v1::ASSOCIATIONS);
         d.add_target_groups(v1::STAKEHOLDERS);
       },
       std::nullopt},
      {"OnlyFreeTextTargetGroups", Keep,
       [](v1::Dialogue& d) {
         d.clear_target_groups();
         d.add_other_target_groups("Barnfamiljer");
       },
       std::nullopt},
      {"OnlyAFreeTextPlace", Keep,
       [](v1::Dialogue& d) {
         d.clear_areas();
         d.set_area_description("Rosengårds centrum");
       },
       std::nullopt},
      {"SameAdministration", Keep,
       [](v1::Dialogue& d) { d.set_lead_administration(Administration("fritidsforvaltningen")); },
       std::nullopt},
      {"OtherEffortCancelled", Keep, Keep, std::nullopt,
       [](v1::Registry::Stub& stub) {
         v1::TransitionDialogueRequest r;
         r.set_name(Dialogue("a"));
         r.set_status(v1::CANCELLED);
         r.mutable_options()->set_request_id("cancel-a");
         r.mutable_options()->set_reason("Ingen budget.");
         v1::Dialogue out;
         ASSERT_TRUE(stub.TransitionDialogue(Ctx().get(), r, &out).ok());
       }},
  };
}

class OverlapTest : public CoordinationApiTest,
                    public ::testing::WithParamInterface<OverlapCase> {};

TEST_P(OverlapTest, RegistrationReportsHintsForBothEfforts) {
  const OverlapCase& c = GetParam();
  v1::CreateDialogueRequest a = EffortA();
  c.edit_a(*a.mutable_dialogue());
  const v1::CreateDialogueResponse created_a = CreateDialogue(*stub_, a);
  ASSERT_TRUE(created_a.has_dialogue());
  EXPECT_THAT(created_a.coordination_hints(), IsEmpty());
  if (c.after_a) {
    ASSERT_NO_FATAL_FAILURE(c.after_a(*stub_));
  }

  v1::CreateDialogueRequest b = EffortB();
  c.edit_b(*b.mutable_dialogue());
  const v1::CreateDialogueResponse created_b = CreateDialogue(*stub_, b);
  ASSERT_TRUE(created_b.has_dialogue());
  const std::vector<v1::CoordinationHint> listed_b = HintsOf(Dialogue("b"));
  const std::vector<v1::CoordinationHint> listed_a = HintsOf(Dialogue("a"));
  if (!c.expected) {
    EXPECT_THAT(created_b.coordination_hints(), IsEmpty());
    EXPECT_THAT(listed_b, IsEmpty());
    EXPECT_THAT(listed_a, IsEmpty());
    return;
  }
  ASSERT_THAT(created_b.coordination_hints(), SizeIs(1));
  const v1::CoordinationHint& hint = created_b.coordination_hints(0);
  ExpectHint(hint, Dialogue("b"), Dialogue("a"), Administration("fritidsforvaltningen"),
             *c.expected);
  ASSERT_THAT(listed_b, SizeIs(1));
  EXPECT_EQ(listed_b[0].SerializeAsString(), hint.SerializeAsString());
  // The other effort learns of it too, with this effort's administration.
  ASSERT_THAT(listed_a, SizeIs(1));
  ExpectHint(listed_a[0], Dialogue("a"), Dialogue("b"), Administration("kulturforvaltningen"),
             *c.expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, OverlapTest, ::testing::ValuesIn(OverlapCases()),
                         [](const auto& info) { return info.param.label; });

TEST_F(CoordinationApiTest, HintsAreSortedAndRecordedWithTheRegistration) {
  CreateDialogue(*stub_, EffortA("x-fritid"));
  v1::CreateDialogueRequest school = EffortA("m-skola");
  school.mutable_dialogue()->set_lead_administration(Administration("grundskoleforvaltningen"));
  CreateDialogue(*stub_, school);
  const int64_t before = HighWatermark();
  const v1::CreateDialogueRequest b = EffortB();
  const v1::CreateDialogueResponse created = CreateDialogue(*stub_, b);
  std::vector<std::string> others;
  for (const auto& h : created.coordination_hints()) others.push_back(h.other_dialogue());
  EXPECT_THAT(others, ElementsAre(Dialogue("m-skola"), Dialogue("x-fritid")));
  EXPECT_EQ(HighWatermark(), before + 2);  // DialogueRegistered, CoordinationHintsFound

  // The hints are part of the effort's history, so its etag counts them ...
  v1::GetDialogueRequest get;
  get.set_name(Dialogue("b"));
  v1::Dialogue now;
  ASSERT_TRUE(stub_->GetDialogue(Ctx().get(), get, &now).ok());
  EXPECT_EQ(now.etag(), created.dialogue().etag());
  EXPECT_THAT(EventTypesOf(HistoryOf(*stub_, Dialogue("b"))),
              ElementsAre("samrad.registry.v1.DialogueRegistered",
                          "samrad.registry.v1.CoordinationHintsFound"));

  // ... and a retry of the registration gets the same hints without a new detection.
  const Reply retry = CallForReply(*stub_, &v1::Registry::Stub::CreateDialogue, b);
  ASSERT_TRUE(retry.status.ok());
  EXPECT_EQ(retry.response, created.SerializeAsString());
  EXPECT_EQ(HighWatermark(), before + 2);
}

TEST_F(CoordinationApiTest, UpdateThatCreatesAnOverlapReportsIt) {
  CreateDialogue(*stub_, EffortA());
  v1::CreateDialogueRequest b = EffortB();
  b.mutable_dialogue()->clear_areas();
  b.mutable_dialogue()->add_areas(Area("husie"));
  EXPECT_THAT(CreateDialogue(*stub_, b).coordination_hints(), IsEmpty());

  // A change of a field that hints do not depend on finds nothing.
  const v1::UpdateDialogueResponse retitled = Update("b", "retitle", [](auto& r) {
    r.mutable_dialogue()->set_title("Sommarlov i Husie");
    r.mutable_update_mask()->add_paths("title");
  });
  EXPECT_THAT(retitled.coordination_hints(), IsEmpty());

  // Moving B to Rosengård creates the overlap.
  const v1::UpdateDialogueResponse moved = Update("b", "move", [](auto& r) {
    r.mutable_dialogue()->add_areas(Area("rosengard"));
    r.mutable_update_mask()->add_paths("areas");
  });
  ASSERT_THAT(moved.coordination_hints(), SizeIs(1));
  ExpectHint(moved.coordination_hints(0), Dialogue("b"), Dialogue("a"),
             Administration("fritidsforvaltningen"), kRosengardChildrenInMay);
  ASSERT_THAT(HintsOf(Dialogue("b")), SizeIs(1));
  EXPECT_EQ(HintsOf(Dialogue("b"))[0].SerializeAsString(),
            moved.coordination_hints(0).SerializeAsString());
  ASSERT_THAT(HintsOf(Dialogue("a")), SizeIs(1));
  EXPECT_EQ(HintsOf(Dialogue("a"))[0].other_dialogue(), Dialogue("b"));

  // A later change of the period is detected again and describes the overlap as it is now.
  const v1::UpdateDialogueResponse longer = Update("a", "extend", [](auto& r) {
    *r.mutable_dialogue()->mutable_end_date() = D(2020, 6, 30);
    r.mutable_update_mask()->add_paths("end_date");
  });
  ASSERT_THAT(longer.coordination_hints(), SizeIs(1));
  EXPECT_EQ(DateText(longer.coordination_hints(0).overlap_end()), "2020-06-30");
  ASSERT_THAT(HintsOf(Dialogue("b")), SizeIs(1));
  EXPECT_EQ(DateText(HintsOf(Dialogue("b"))[0].overlap_end()), "2020-06-30");
}

TEST_F(CoordinationApiTest, UpdatesOfTargetGroupsAndAdministrationCreateOverlaps) {
  CreateDialogue(*stub_, EffortA());
  v1::CreateDialogueRequest b = EffortB();
  b.mutable_dialogue()->set_lead_administration(Administration("fritidsforvaltningen"));
  b.mutable_dialogue()->clear_target_groups();
  b.mutable_dialogue()->add_target_groups(v1::ASSOCIATIONS);
  EXPECT_THAT(CreateDialogue(*stub_, b).coordination_hints(), IsEmpty());

  EXPECT_THAT(Update("b", "groups",
                     [](auto& r) {
                       r.mutable_dialogue()->add_target_groups(v1::CHILDREN);
                       r.mutable_update_mask()->add_paths("target_groups");
                     })
                  .coordination_hints(),
              IsEmpty());  // still the same administration
  const v1::UpdateDialogueResponse handed_over = Update("b", "lead", [](auto& r) {
    r.mutable_dialogue()->set_lead_administration(Administration("kulturforvaltningen"));
    r.mutable_update_mask()->add_paths("lead_administration");
  });
  ASSERT_THAT(handed_over.coordination_hints(), SizeIs(1));
  ExpectHint(handed_over.coordination_hints(0), Dialogue("b"), Dialogue("a"),
             Administration("fritidsforvaltningen"), kRosengardChildrenInMay);
}

TEST_F(CoordinationApiTest, ListCoordinationHintsErrors) {
  CreateDialogue(*stub_, EffortA());
  using Case = ErrorCase<v1::ListCoordinationHintsRequest>;
  v1::ListCoordinationHintsRequest base;
  base.set_dialogue(Dialogue("a"));
  ExpectRefused(
      &v1::Registry::Stub::ListCoordinationHints, base,
      {
          Case::Invalid("no dialogue", [](auto& r) { r.clear_dialogue(); }, {"dialogue"}),
          Case::Invalid("a name of another collection",
                        [](auto& r) { r.set_dialogue(Name("consultations", "a")); }, {"dialogue"}),
          Case::Refused(
              "an unknown dialogue", [](auto& r) { r.set_dialogue(Dialogue("finns-inte")); },
              grpc::StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND"),
      });
}

}  // namespace
}  // namespace samrad::registry::apitest
