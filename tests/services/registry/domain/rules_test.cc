// Table tests of the small building blocks: dates, resource names, text shapes and update
// masks.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/field_masks.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/text_rules.h"
#include "tests/services/registry/domain/domain_test_support.h"

namespace samrad::registry::domain {
namespace {

using ::testing::ElementsAre;
using namespace testing;  // NOLINT

TEST(DatesTest, Validity) {
  struct Row {
    int y, m, d;
    bool valid;
  };
  for (const Row& row : std::vector<Row>{{2020, 2, 29, true},
                                         {2019, 2, 29, false},
                                         {2000, 2, 29, true},
                                         {1900, 2, 29, false},
                                         {2019, 4, 30, true},
                                         {2019, 4, 31, false},
                                         {2019, 12, 31, true},
                                         {2019, 0, 10, false},
                                         {2019, 13, 1, false},
                                         {0, 1, 1, false},
                                         {10000, 1, 1, false},
                                         {2019, 1, 0, false}}) {
    SCOPED_TRACE(absl::StrCat(row.y, "-", row.m, "-", row.d));
    EXPECT_EQ(IsValidDate(D(row.y, row.m, row.d)), row.valid);
  }
}

TEST(DatesTest, CompareDaysFormat) {
  EXPECT_LT(CompareDates(D(2019, 6, 28), D(2019, 6, 29)), 0);
  EXPECT_GT(CompareDates(D(2020, 1, 1), D(2019, 12, 31)), 0);
  EXPECT_EQ(CompareDates(D(2019, 6, 28), D(2019, 6, 28)), 0);
  EXPECT_EQ(DaysBetween(D(2019, 6, 28), D(2019, 7, 1)), 3);
  EXPECT_EQ(DaysBetween(D(2020, 2, 28), D(2020, 3, 1)), 2);  // leap year
  EXPECT_EQ(DaysBetween(D(2019, 7, 1), D(2019, 6, 28)), -3);
  EXPECT_EQ(FormatDate(D(2019, 2, 9)), "2019-02-09");
  EXPECT_EQ(FromCivilDay(ToCivilDay(D(2020, 2, 6))).day(), 6);
}

TEST(DatesTest, Timestamp) {
  const google::protobuf::Timestamp t =
      ToTimestamp(absl::FromUnixSeconds(1580976000) + absl::Milliseconds(250));
  EXPECT_EQ(t.seconds(), 1580976000);
  EXPECT_EQ(t.nanos(), 250000000);
}

TEST(NamesTest, Ids) {
  EXPECT_TRUE(IsValidResourceId("stk-2018-90"));
  EXPECT_TRUE(IsValidResourceId("a"));
  EXPECT_FALSE(IsValidResourceId(""));
  EXPECT_FALSE(IsValidResourceId("-a"));
  EXPECT_FALSE(IsValidResourceId("9a"));
  EXPECT_FALSE(IsValidResourceId("Malmo"));
  EXPECT_FALSE(IsValidResourceId("malmö"));
  EXPECT_FALSE(IsValidResourceId("a_b"));
  EXPECT_TRUE(IsValidTenantCode("1280"));
  EXPECT_FALSE(IsValidTenantCode("128"));
  EXPECT_FALSE(IsValidTenantCode("12a0"));
}

TEST(NamesTest, ParseAndFormat) {
  const auto parsed = ParseResourceName("tenants/1280/dialogues/lindangen-trygghet");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->tenant_code, "1280");
  EXPECT_EQ(parsed->collection, Collection::kDialogues);
  EXPECT_EQ(parsed->id, "lindangen-trygghet");
  for (const char* bad : {"tenants/1280/dialogues", "tenants/1280/dialogues/", "dialogues/x",
                          "tenants/1280/meetings/x", "tenants/1280/dialogues/x/y",
                          "tenants/12800/dialogues/x", "Tenants/1280/dialogues/x"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseResourceName(bad).has_value());
  }
  EXPECT_TRUE(IsResourceName("tenants/1280/people/anna", Collection::kPeople));
  EXPECT_FALSE(IsResourceName("tenants/1280/people/anna", Collection::kCommittees));
  EXPECT_EQ(ResourceNameOf("tenants/1280", Collection::kAreas, "fosie"),
            "tenants/1280/areas/fosie");
  EXPECT_EQ(TenantOf("tenants/1280/areas/fosie"), "tenants/1280");
  EXPECT_EQ(TenantOf("tenants/1280"), "tenants/1280");
  EXPECT_EQ(TenantOf("areas/fosie"), "");
}

TEST(TextRulesTest, CaseNumbers) {
  for (const char* good : {"STK-2018-90", "STK-2018-852", "KS-KOM-2009-00447", "ÅÄÖ-2019-1"}) {
    EXPECT_TRUE(IsValidCaseNumber(good)) << good;
  }
  for (const char* bad :
       {"", "STK-2018", "STK-18-90", "stk-2018-90", "STK-2018-9a", "-2018-90", "STK--2018-90",
        "STK 2018-90", "2018-90", "STK-20188-90", "STK-2018-90-"}) {
    EXPECT_FALSE(IsValidCaseNumber(bad)) << bad;
  }
}

TEST(TextRulesTest, CodePointCountAndFold) {
  EXPECT_EQ(CodePointCount("Hälsa-, vård- och omsorgsnämnden"), 32u);
  EXPECT_EQ(FoldForCompare("  Miljö\tNÄMNDEN  "), "miljö nämnden");
  EXPECT_EQ(FoldForCompare("ÅÄÖÉÜ"), "åäöéü");
  EXPECT_TRUE(IsBlank(" \n\t"));
  EXPECT_FALSE(IsBlank(" x "));
}

TEST(TextRulesTest, SwedishSortKeyOrdersAsSwedishReadersExpect) {
  // Each list is in Swedish alphabetical order; the keys must sort it the same way.
  const std::vector<std::vector<std::string>> orders = {
      {"Ystad", "Zon", "Åkarp", "Ängslätt", "Öresund"},  // å ä ö after z, in that order
      {"ängen", "Ängslätt", "ÄNGSVÄGEN"},                // case is ignored
      {"Café", "Cafeteria", "Centrum"},                  // é as e
      {"Mustafa", "Müller", "Myrdal"},                   // ü as y: Mu < Mül (as Myl) < Myr
      {"Kälk", "Kærlighed", "Köping"},                   // æ as ä
      {"Lindängen", "Lindøe", "Lindöre"},                // ø as ö
      {"10 träd", "Almvik", "Zon"},                      // digits before letters
  };
  for (const std::vector<std::string>& order : orders) {
    for (size_t i = 1; i < order.size(); ++i) {
      EXPECT_LT(SwedishSortKey(order[i - 1]), SwedishSortKey(order[i]))
          << order[i - 1] << " should sort before " << order[i];
    }
  }
  // Equal at the primary level.
  EXPECT_EQ(SwedishSortKey("  Café  Rosengård "), SwedishSortKey("CAFE ROSENGÅRD"));
  EXPECT_EQ(SwedishSortKey("Strasse"), SwedishSortKey("Straße"));
  // Characters outside Latin-1 keep their bytes and sort after the letters.
  EXPECT_LT(SwedishSortKey("Öresund"), SwedishSortKey("Ωmega"));
}

TEST(FieldMasksTest, ApplyNestedPathChangesOnlyTheLeaf) {
  v1::Dialogue current;
  current.set_title("Gammal titel");
  current.mutable_outcome()->set_result("Resultat");
  current.mutable_outcome()->mutable_feedback()->set_method("Brev");
  current.set_status(v1::COMPLETED);
  v1::Dialogue patch;
  *patch.mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 6, 1);
  patch.set_title("Ignoreras");
  google::protobuf::FieldMask mask;
  mask.add_paths("outcome.feedback.date");
  const v1::Dialogue merged = ApplyMask(current, patch, mask);
  EXPECT_EQ(merged.title(), "Gammal titel");
  EXPECT_EQ(merged.outcome().result(), "Resultat");
  EXPECT_EQ(merged.outcome().feedback().method(), "Brev");
  EXPECT_EQ(merged.outcome().feedback().date().day(), 1);
  EXPECT_EQ(merged.status(), v1::COMPLETED);
}

TEST(FieldMasksTest, MaskedUnsetFieldsAreClearedAndListsReplaced) {
  v1::Dialogue current;
  current.mutable_outcome()->set_result("Resultat");
  *current.mutable_end_date() = D(2020, 5, 31);
  current.add_channels("a");
  current.add_channels("b");
  v1::Dialogue patch;
  patch.add_channels("c");
  google::protobuf::FieldMask mask;
  for (const char* p : {"outcome", "end_date", "channels"}) mask.add_paths(p);
  const v1::Dialogue merged = ApplyMask(current, patch, mask);
  EXPECT_FALSE(merged.has_outcome());
  EXPECT_FALSE(merged.has_end_date());
  EXPECT_THAT(merged.channels(), ElementsAre("c"));
}

TEST(FieldMasksTest, WildcardAndEmptyMask) {
  v1::Dialogue current;
  current.set_name("tenants/1280/dialogues/x");
  current.set_status(v1::ONGOING);
  current.set_title("T");
  current.set_question("Q");
  v1::Dialogue patch;
  patch.set_title("Ny");
  patch.set_status(v1::EVALUATED);  // output only: never applied
  google::protobuf::FieldMask wildcard;
  wildcard.add_paths("*");
  const v1::Dialogue replaced = ApplyMask(current, patch, wildcard);
  EXPECT_EQ(replaced.title(), "Ny");
  EXPECT_EQ(replaced.question(), "");
  EXPECT_EQ(replaced.name(), "tenants/1280/dialogues/x");
  EXPECT_EQ(replaced.status(), v1::ONGOING);

  const v1::Dialogue implied = ApplyMask(current, patch, google::protobuf::FieldMask());
  EXPECT_EQ(implied.title(), "Ny");
  EXPECT_EQ(implied.question(), "Q");
  EXPECT_EQ(implied.status(), v1::ONGOING);
  EXPECT_THAT(EffectiveMask(patch, google::protobuf::FieldMask(), DialogueMaskSpec()).paths(),
              ElementsAre("title"));
}

TEST(FieldMasksTest, NotUpdatablePathsAreIgnored) {
  v1::Consultation current;
  current.add_answers()->set_body("b");
  current.set_title("T");
  v1::Consultation patch;
  patch.set_title("Ny");
  google::protobuf::FieldMask mask;
  mask.add_paths("answers");
  mask.add_paths("title");
  mask.add_paths("title");
  EXPECT_THAT(EffectiveMask(patch, mask, ConsultationMaskSpec()).paths(), ElementsAre("title"));
  const v1::Consultation merged = ApplyMask(current, patch, mask);
  EXPECT_EQ(merged.answers_size(), 1);
  EXPECT_EQ(merged.title(), "Ny");
}

TEST(FieldMasksTest, SelectsAndTouches) {
  google::protobuf::FieldMask mask;
  mask.add_paths("outcome.feedback");
  EXPECT_TRUE(MaskSelects(mask, "outcome.feedback.date"));
  EXPECT_FALSE(MaskSelects(mask, "outcome"));
  EXPECT_FALSE(MaskSelects(mask, "outcome.result"));
  EXPECT_TRUE(MaskTouches(mask, "outcome"));
  EXPECT_FALSE(MaskTouches(mask, "outcome.result"));
  EXPECT_FALSE(MaskSelects(mask, "outcome.feedbacks"));
}

TEST(FieldMasksTest, OtherResources) {
  v1::Committee committee;
  committee.set_display_name("Tekniska nämnden");
  committee.set_state(v1::ACTIVE);
  v1::Committee patch;
  patch.set_charter_user_consultation(true);
  patch.set_state(v1::RETIRED);
  google::protobuf::FieldMask mask;
  mask.add_paths("charter_user_consultation");
  mask.add_paths("state");
  const v1::Committee merged = ApplyMask(committee, patch, mask);
  EXPECT_TRUE(merged.charter_user_consultation());
  EXPECT_EQ(merged.state(), v1::ACTIVE);
  EXPECT_EQ(merged.display_name(), "Tekniska nämnden");

  v1::Person person;
  person.set_role(v1::ELECTED_OFFICIAL);
  v1::Person person_patch;
  person_patch.set_role(v1::OFFICIAL);
  google::protobuf::FieldMask role;
  role.add_paths("role");
  EXPECT_EQ(ApplyMask(person, person_patch, role).role(), v1::OFFICIAL);

  v1::Administration administration;
  administration.set_committee("c");
  google::protobuf::FieldMask link;
  link.add_paths("committee");
  EXPECT_EQ(ApplyMask(administration, v1::Administration(), link).committee(), "");
}

}  // namespace
}  // namespace samrad::registry::domain
