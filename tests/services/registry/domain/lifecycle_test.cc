// Every pair of dialogue statuses against the table in lifecycle.h, and the facts each
// status requires.

#include "services/registry/domain/lifecycle.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/domain/domain_test_support.h"

namespace samrad::registry::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using namespace testing;  // NOLINT

constexpr v1::DialogueStatus kAll[] = {v1::DIALOGUE_STATUS_UNSPECIFIED,
                                       v1::PLANNED,
                                       v1::ONGOING,
                                       v1::COMPLETED,
                                       v1::FEEDBACK_GIVEN,
                                       v1::EVALUATED,
                                       v1::CANCELLED};

TEST(LifecycleTest, EveryPairOfStatuses) {
  // The allowed transitions, exactly as the table in lifecycle.h.
  const std::set<std::pair<v1::DialogueStatus, v1::DialogueStatus>> allowed = {
      {v1::PLANNED, v1::ONGOING},          {v1::PLANNED, v1::CANCELLED},
      {v1::ONGOING, v1::COMPLETED},        {v1::ONGOING, v1::CANCELLED},
      {v1::COMPLETED, v1::FEEDBACK_GIVEN}, {v1::COMPLETED, v1::CANCELLED},
      {v1::FEEDBACK_GIVEN, v1::EVALUATED},
  };
  int checked = 0;
  for (v1::DialogueStatus from : kAll) {
    for (v1::DialogueStatus to : kAll) {
      SCOPED_TRACE(v1::DialogueStatus_Name(from) + " -> " + v1::DialogueStatus_Name(to));
      EXPECT_EQ(IsAllowedTransition(from, to), allowed.count({from, to}) > 0);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 49);
}

TEST(LifecycleTest, AllowedTransitionsInOrder) {
  EXPECT_THAT(AllowedTransitions(v1::PLANNED), ElementsAre(v1::ONGOING, v1::CANCELLED));
  EXPECT_THAT(AllowedTransitions(v1::COMPLETED), ElementsAre(v1::FEEDBACK_GIVEN, v1::CANCELLED));
  EXPECT_THAT(AllowedTransitions(v1::FEEDBACK_GIVEN), ElementsAre(v1::EVALUATED));
  EXPECT_THAT(AllowedTransitions(v1::EVALUATED), IsEmpty());
  EXPECT_THAT(AllowedTransitions(v1::CANCELLED), IsEmpty());
}

TEST(LifecycleTest, RequiredFactsAreCumulative) {
  struct Row {
    v1::DialogueStatus status;
    std::vector<std::string> required;
  };
  const std::vector<Row> rows = {
      {v1::PLANNED, {}},
      {v1::ONGOING, {}},
      {v1::COMPLETED, {"outcome.result", "end_date"}},
      {v1::FEEDBACK_GIVEN,
       {"outcome.result", "end_date", "outcome.feedback.date", "outcome.feedback.method"}},
      {v1::EVALUATED,
       {"outcome.result", "end_date", "outcome.feedback.date", "outcome.feedback.method",
        "outcome.evaluation"}},
      {v1::CANCELLED, {}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(v1::DialogueStatus_Name(row.status));
    EXPECT_THAT(RequiredForStatus(row.status), ElementsAreArray(row.required));
    // An empty dialogue misses all of them.
    EXPECT_THAT(MissingForStatus(v1::Dialogue(), row.status), ElementsAreArray(row.required));
  }
}

TEST(LifecycleTest, MissingNamesOnlyWhatIsMissing) {
  v1::Dialogue d;
  d.mutable_outcome()->set_result("Tre parker får nya lekplatser.");
  *d.mutable_end_date() = D(2020, 5, 31);
  d.mutable_outcome()->mutable_feedback()->set_method("Brev till deltagarna");
  EXPECT_THAT(MissingForStatus(d, v1::COMPLETED), IsEmpty());
  EXPECT_THAT(MissingForStatus(d, v1::FEEDBACK_GIVEN), ElementsAre("outcome.feedback.date"));
  *d.mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 6, 15);
  EXPECT_THAT(MissingForStatus(d, v1::EVALUATED), ElementsAre("outcome.evaluation"));
  d.mutable_outcome()->set_evaluation("  ");  // blank is missing
  EXPECT_THAT(MissingForStatus(d, v1::EVALUATED), ElementsAre("outcome.evaluation"));
  *d.mutable_end_date() = D(2020, 2, 30);  // an invalid date is missing
  EXPECT_THAT(MissingForStatus(d, v1::COMPLETED), ElementsAre("end_date"));
}

TEST(LifecycleTest, SwedishAndEnglishLabels) {
  EXPECT_EQ(StatusLabel(v1::FEEDBACK_GIVEN, Lang::kSv), "återkopplad");
  EXPECT_EQ(StatusLabel(v1::FEEDBACK_GIVEN, Lang::kEn), "feedback given");
  EXPECT_EQ(StatusLabel(v1::CANCELLED, Lang::kSv), "inställd");
}

}  // namespace
}  // namespace samrad::registry::domain
