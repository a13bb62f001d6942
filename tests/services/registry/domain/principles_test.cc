// The ten principles (principles.h): each one evidenced by the fields of its row in the
// table, and missing without them.

#include "services/registry/domain/principles.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/domain/domain_test_support.h"

namespace samrad::registry::domain {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using namespace testing;  // NOLINT

std::set<int> Evidenced(const v1::Dialogue& d) {
  std::set<int> out;
  for (const v1::PrincipleAssessment& a : AssessPrinciples(d)) {
    if (a.evidenced()) out.insert(a.principle());
  }
  return out;
}

TEST(PrinciplesTest, TenInOrderAllMissingForAnEmptyEffort) {
  const std::vector<v1::PrincipleAssessment> assessments = AssessPrinciples(v1::Dialogue());
  ASSERT_EQ(assessments.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(assessments[i].principle(), i + 1);
    EXPECT_FALSE(assessments[i].evidenced());
    EXPECT_FALSE(assessments[i].explanation().empty());
  }
}

TEST(PrinciplesTest, Table) {
  struct Row {
    std::string name;
    std::function<void(v1::Dialogue&)> set;
    std::set<int> evidenced;
  };
  const std::vector<Row> rows = {
      {"nothing", [](v1::Dialogue&) {}, {}},
      {"1: case number",
       [](v1::Dialogue& d) { d.mutable_influence()->set_case_number("STK-2018-90"); },
       {1}},
      {"2: konsultation and a question",
       [](v1::Dialogue& d) {
         d.set_participation_level(v1::KONSULTATION);
         d.set_question("Vad tycker du?");
       },
       {2}},
      {"2: only information is not being heard",
       [](v1::Dialogue& d) {
         d.set_participation_level(v1::INFORMATION);
         d.set_question("Vad tycker du?");
       },
       {}},
      {"2: medbestämmande without a question",
       [](v1::Dialogue& d) { d.set_participation_level(v1::MEDBESTAMMANDE); },
       {}},
      {"3 and 4: decision and what can be influenced",
       [](v1::Dialogue& d) {
         d.mutable_influence()->set_decision("Programmet för Lindängen 2020–2025");
         d.mutable_influence()->set_what_can_be_influenced("Parkens utformning");
       },
       {3, 4}},
      {"3 only: decision without what can be influenced",
       [](v1::Dialogue& d) { d.mutable_influence()->set_decision("Parkprogrammet"); },
       {3}},
      {"4 missing: what can be influenced without decision",
       [](v1::Dialogue& d) {
         d.mutable_influence()->set_what_can_be_influenced("Parkens utformning");
       },
       {}},
      {"5: outreach",
       [](v1::Dialogue& d) { d.mutable_outcome()->set_outreach("Dörrknackning"); },
       {5}},
      {"5: two channels",
       [](v1::Dialogue& d) {
         d.add_channels(ChannelName("malmopanelen"));
         d.add_channels(ChannelName("digitala-kanaler"));
       },
       {5}},
      {"5 missing: one channel",
       [](v1::Dialogue& d) { d.add_channels(ChannelName("malmopanelen")); },
       {}},
      {"6: children", [](v1::Dialogue& d) { d.add_target_groups(v1::CHILDREN); }, {6}},
      {"6: young people", [](v1::Dialogue& d) { d.add_target_groups(v1::YOUNG_PEOPLE); }, {6}},
      {"6: pupils named in free text",
       [](v1::Dialogue& d) { d.add_other_target_groups("Elever på Lindängsskolan"); },
       {6}},
      {"6 missing: older people",
       [](v1::Dialogue& d) { d.add_target_groups(v1::OLDER_PEOPLE); },
       {}},
      {"7: feedback with date and method",
       [](v1::Dialogue& d) {
         *d.mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 6, 1);
         d.mutable_outcome()->mutable_feedback()->set_method("Möte i Lindängen");
       },
       {7}},
      {"7 missing: feedback without method",
       [](v1::Dialogue& d) {
         *d.mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 6, 1);
       },
       {}},
      {"8: associations", [](v1::Dialogue& d) { d.add_target_groups(v1::ASSOCIATIONS); }, {8}},
      {"8: dialog med föreningslivet",
       [](v1::Dialogue& d) { d.add_channels(ChannelName("dialog-med-foreningslivet")); },
       {8}},
      {"9: evaluation",
       [](v1::Dialogue& d) { d.mutable_outcome()->set_evaluation("Utvärderad i nätverket"); },
       {9}},
      {"10: elected officials",
       [](v1::Dialogue& d) { d.add_elected_officials(PersonName("anna")); },
       {10}},
      {"10: responsible committee",
       [](v1::Dialogue& d) { d.set_responsible_committee(CommitteeName("fritidsnamnden")); },
       {10}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    v1::Dialogue d;
    row.set(d);
    EXPECT_EQ(Evidenced(d), row.evidenced);
  }
}

TEST(PrinciplesTest, ExplanationsInSwedishAndEnglish) {
  v1::Dialogue d;
  d.mutable_influence()->set_case_number("STK-2018-90");
  *d.mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 6, 1);
  d.mutable_outcome()->mutable_feedback()->set_method("Brev");
  const auto sv = AssessPrinciples(d, Lang::kSv);
  const auto en = AssessPrinciples(d, Lang::kEn);
  EXPECT_THAT(sv[0].explanation(), HasSubstr("ärende STK-2018-90"));
  EXPECT_THAT(en[0].explanation(), HasSubstr("case STK-2018-90"));
  EXPECT_EQ(sv[6].explanation(), "Återkoppling 2020-06-01: Brev.");
  EXPECT_EQ(en[6].explanation(), "Feedback on 2020-06-01: Brev.");
  EXPECT_THAT(sv[3].explanation(),
              HasSubstr("vad som kan påverkas (påverkbarhet) och vilket beslut"));
  EXPECT_THAT(en[8].explanation(), HasSubstr("No evaluation"));
  for (int i = 0; i < 10; ++i) EXPECT_NE(sv[i].explanation(), en[i].explanation()) << i;
}

}  // namespace
}  // namespace samrad::registry::domain
