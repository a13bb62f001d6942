// StoreRegistryView::DialoguesOverlapping over the area × month index (DialoguePeriodPrefix):
// the candidates are exactly the dialogues of the areas whose period overlaps, and
// dialogues in months far from the query are not even read. "Not read" is checked by
// corrupting the stored dialogue: reading it would make the view's status DATA_LOSS.

#include "services/registry/projection/registry_store_view.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/projection/key_codec.h"
#include "libs/projection/projection_store.h"
#include "services/registry/domain/coordination.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/names.h"
#include "services/registry/projection/registry_projection.h"
#include "tests/testing/temp_dir.h"

namespace samrad::registry {
namespace {

namespace keys = projection::keys;
using projection::Cf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

constexpr char kTenant[] = "tenants/1280";
constexpr char kA[] = "tenants/1280/areas/rosengard";
constexpr char kB[] = "tenants/1280/areas/lindangen";
constexpr char kC[] = "tenants/1280/areas/fosie";

google::type::Date D(int y, int m, int d) { return domain::MakeDate(y, m, d); }

domain::Period P(google::type::Date start, std::optional<google::type::Date> end) {
  return {.start = start, .end = end};
}

v1::Dialogue Make(const std::string& id, std::vector<std::string> areas,
                  std::optional<google::type::Date> start, std::optional<google::type::Date> end) {
  v1::Dialogue d;
  d.set_name(absl::StrCat(kTenant, "/dialogues/", id));
  d.set_title(id);
  d.set_type(v1::MEDBORGARDIALOG);
  d.set_status(v1::PLANNED);
  for (const std::string& area : areas) d.add_areas(area);
  d.set_lead_administration("tenants/1280/administrations/fritidsforvaltningen");
  if (start) *d.mutable_start_date() = *start;
  if (end) *d.mutable_end_date() = *end;
  return d;
}

std::string IdOf(const v1::Dialogue& d) { return domain::ParseResourceName(d.name())->id; }

// The exact answer: dialogues naming one of `areas` whose period overlaps (RegistryView).
std::vector<std::string> BruteForce(const std::vector<v1::Dialogue>& all,
                                    const std::vector<std::string>& areas,
                                    const domain::Period& period) {
  std::vector<std::string> out;
  for (const v1::Dialogue& d : all) {
    const bool shares = std::any_of(d.areas().begin(), d.areas().end(), [&](const auto& a) {
      return std::find(areas.begin(), areas.end(), a) != areas.end();
    });
    if (shares && domain::OverlapOf(period, domain::PeriodOf(d)).has_value()) {
      out.push_back(IdOf(d));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class RegistryStoreViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = projection::ProjectionStore::Open({.path = dir_.Sub("store")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void Apply(const v1::RegistryEvent& event) {
    absl::Status s = store_->Apply({"test", 0}, offset_++, [&](projection::Transaction& tx) {
      return EvolveRegistryEvent(event, tx);
    });
    ASSERT_TRUE(s.ok()) << s;
  }
  void Register(const v1::Dialogue& d) {
    v1::RegistryEvent event;
    *event.mutable_dialogue_registered()->mutable_dialogue() = d;
    Apply(event);
  }
  void Update(const v1::Dialogue& d) {
    v1::RegistryEvent event;
    *event.mutable_dialogue_updated()->mutable_dialogue() = d;
    Apply(event);
  }
  // Replaces the stored dialogues (not their index keys) with bytes that do not parse.
  void Corrupt(const std::vector<std::string>& ids) {
    absl::Status s = store_->Apply({"test", 0}, offset_++, [&](projection::Transaction& tx) {
      for (const std::string& id : ids) {
        tx.Put(Cf::kState, ResourceKey(domain::Collection::kDialogues, "1280", id),
               std::string("\x0a\x05"
                           "ab",
                           4));  // field 1, length 5, 2 bytes left
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  // The ids DialoguesOverlapping returns, sorted, and the view's status afterwards.
  struct Answer {
    std::vector<std::string> ids;
    absl::Status status;
  };
  Answer Candidates(const std::vector<std::string>& areas, const domain::Period& period) {
    const projection::ReadView view = store_->NewReadView();
    StoreRegistryView registry(view);
    Answer answer;
    for (const v1::Dialogue& d : registry.DialoguesOverlapping(kTenant, areas, period)) {
      answer.ids.push_back(IdOf(d));
    }
    std::sort(answer.ids.begin(), answer.ids.end());
    answer.status = registry.status();
    return answer;
  }

  // The keys of one area's period index, as (month, id).
  std::vector<std::pair<int32_t, std::string>> PeriodKeys(const std::string& area) {
    const std::string prefix = DialoguePeriodPrefix("1280", area);
    std::vector<std::pair<int32_t, std::string>> out;
    EXPECT_TRUE(store_
                    ->ScanPrefix(Cf::kIndexes, prefix,
                                 [&](std::string_view key, std::string_view id) {
                                   std::string_view rest = key.substr(prefix.size());
                                   int32_t month = 0;
                                   EXPECT_TRUE(keys::ConsumeInt32(&rest, &month));
                                   EXPECT_EQ(rest, id);
                                   out.emplace_back(month, std::string(id));
                                   return true;
                                 })
                    .ok());
    return out;
  }

  testutil::TempDir dir_;
  std::unique_ptr<projection::ProjectionStore> store_;
  int64_t offset_ = 0;
};

int32_t M(int year, int month) { return PeriodMonth(D(year, month, 1)); }

TEST(PeriodMonthTest, NeverDecreasesAlongDates) {
  EXPECT_EQ(PeriodMonth(D(2024, 3, 15)), 2024 * 12 + 2);
  EXPECT_EQ(PeriodMonth(google::type::Date()), 0);
  // Unset and invalid parts are clamped, keeping the order of CompareDates.
  EXPECT_LE(PeriodMonth(D(2023, 12, 31)), PeriodMonth(D(2024, 0, 0)));
  EXPECT_LE(PeriodMonth(D(2024, 0, 0)), PeriodMonth(D(2024, 1, 1)));
  EXPECT_LE(PeriodMonth(D(2024, 12, 31)), PeriodMonth(D(2024, 13, 1)));
  EXPECT_LE(PeriodMonth(D(2024, 13, 1)), PeriodMonth(D(2025, 1, 1)));
  EXPECT_EQ(PeriodMonth(D(20000, 1, 1)), PeriodMonth(D(9999, 12, 31)));
  EXPECT_EQ(PeriodMonth(D(-5, 12, 31)), PeriodMonth(D(0, 1, 1)));
}

TEST(DialogueIndexKeysTest, BoundedPeriodsUseMonthsOthersTheUnboundedBucket) {
  auto period_months = [](const v1::Dialogue& d, const std::string& area) {
    const std::string prefix = DialoguePeriodPrefix("1280", area);
    std::vector<int32_t> out;
    for (const std::string& key : DialogueIndexKeys(d)) {
      if (!key.starts_with(prefix)) continue;
      std::string_view rest = std::string_view(key).substr(prefix.size());
      int32_t month = 0;
      EXPECT_TRUE(keys::ConsumeInt32(&rest, &month));
      EXPECT_EQ(rest, IdOf(d));
      out.push_back(month);
    }
    return out;
  };
  const int32_t u = kUnboundedPeriodMonth;
  EXPECT_THAT(period_months(Make("x", {kA}, D(2024, 3, 5), D(2024, 3, 20)), kA),
              ElementsAre(M(2024, 3)));
  EXPECT_THAT(period_months(Make("x", {kA}, D(2024, 11, 30), D(2025, 2, 1)), kA),
              ElementsAre(M(2024, 11), M(2024, 12), M(2025, 1), M(2025, 2)));
  // Listed twice: indexed once.
  EXPECT_THAT(period_months(Make("x", {kA, kB, kA}, D(2024, 3, 5), D(2024, 4, 1)), kA),
              ElementsAre(M(2024, 3), M(2024, 4)));
  EXPECT_THAT(period_months(Make("x", {kA}, D(2024, 3, 5), std::nullopt), kA), ElementsAre(u));
  EXPECT_THAT(period_months(Make("x", {kA}, std::nullopt, D(2024, 3, 5)), kA), ElementsAre(u));
  EXPECT_THAT(period_months(Make("x", {kA}, D(2024, 3, 5), D(2024, 2, 1)), kA), ElementsAre(u));
  // 36 months are bucketed, 37 are not.
  EXPECT_EQ(period_months(Make("x", {kA}, D(2015, 1, 1), D(2017, 12, 31)), kA).size(), 36u);
  EXPECT_THAT(period_months(Make("x", {kA}, D(2010, 1, 1), D(2013, 1, 1)), kA), ElementsAre(u));
  EXPECT_THAT(period_months(Make("x", {}, D(2024, 3, 5), D(2024, 3, 6)), kA), IsEmpty());
}

// A fixed registry and a table of queries; "far" (1990) is corrupted, so every query that
// does not reach 1990 proves it is not read.
TEST_F(RegistryStoreViewTest, CandidatesAreExactlyTheOverlappingDialoguesOfTheAreas) {
  const std::vector<v1::Dialogue> all = {
      Make("mar", {kA}, D(2024, 3, 5), D(2024, 3, 20)),
      Make("spring", {kA}, D(2024, 2, 10), D(2024, 6, 30)),
      Make("open", {kA}, D(2023, 11, 1), std::nullopt),
      Make("nostart", {kA}, std::nullopt, D(2024, 4, 15)),
      Make("long", {kA}, D(2020, 1, 1), D(2029, 12, 31)),
      Make("cap36", {kA}, D(2015, 1, 1), D(2017, 12, 31)),
      Make("cap37", {kA}, D(2010, 1, 1), D(2013, 1, 31)),
      Make("bonly", {kB}, D(2024, 3, 1), D(2024, 3, 31)),
      Make("future", {kA}, D(2030, 5, 1), D(2030, 5, 31)),
      Make("far", {kA}, D(1990, 1, 1), D(1990, 2, 28)),
  };
  for (const v1::Dialogue& d : all) Register(d);
  Corrupt({"far"});

  struct Case {
    std::string label;
    std::vector<std::string> areas;
    domain::Period period;
    std::vector<std::string> expected;
  };
  const std::optional<google::type::Date> open;
  const std::vector<Case> cases = {
      {"same month",
       {kA},
       P(D(2024, 3, 10), D(2024, 3, 12)),
       {"long", "mar", "nostart", "open", "spring"}},
      {"several months",
       {kA},
       P(D(2024, 1, 15), D(2024, 5, 1)),
       {"long", "mar", "nostart", "open", "spring"}},
      {"same month, days apart",
       {kA},
       P(D(2024, 3, 21), D(2024, 3, 31)),
       {"long", "nostart", "open", "spring"}},
      {"before", {kA}, P(D(2023, 1, 1), D(2023, 6, 30)), {"long", "nostart"}},
      {"after", {kA}, P(D(2025, 1, 1), D(2025, 2, 1)), {"long", "open"}},
      {"after everything bounded", {kA}, P(D(2031, 1, 1), D(2031, 1, 1)), {"open"}},
      {"open-ended query", {kA}, P(D(2024, 5, 1), open), {"future", "long", "open", "spring"}},
      {"open-ended query, late", {kA}, P(D(2030, 5, 31), open), {"future", "open"}},
      {"very long query",
       {kA},
       P(D(2000, 1, 1), D(2099, 12, 31)),
       {"cap36", "cap37", "future", "long", "mar", "nostart", "open", "spring"}},
      {"within the 36 months", {kA}, P(D(2016, 6, 1), D(2016, 6, 1)), {"cap36", "nostart"}},
      {"within the 37 months", {kA}, P(D(2012, 12, 15), D(2012, 12, 15)), {"cap37", "nostart"}},
      {"end before start", {kA}, P(D(2024, 3, 10), D(2024, 3, 1)), {}},
      {"other area", {kB}, P(D(2024, 3, 15), D(2024, 3, 15)), {"bonly"}},
      {"both areas",
       {kA, kB},
       P(D(2024, 3, 15), D(2024, 3, 15)),
       {"bonly", "long", "mar", "nostart", "open", "spring"}},
      {"area listed twice", {kB, kB}, P(D(2024, 3, 15), D(2024, 3, 15)), {"bonly"}},
      {"unknown area", {kC}, P(D(2024, 3, 15), open), {}},
      {"no areas", {}, P(D(2024, 3, 15), open), {}},
  };
  std::vector<v1::Dialogue> readable = all;
  readable.pop_back();  // "far"
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const Answer answer = Candidates(c.areas, c.period);
    EXPECT_TRUE(answer.status.ok()) << answer.status;
    EXPECT_THAT(answer.ids, ElementsAreArray(c.expected));
    EXPECT_THAT(answer.ids, ElementsAreArray(BruteForce(readable, c.areas, c.period)));
  }

  // The check above can fail: a query that reaches "far" reads it.
  EXPECT_EQ(Candidates({kA}, P(D(1989, 12, 1), D(1990, 1, 15))).status.code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Candidates({kA}, P(google::type::Date(), D(2000, 1, 1))).status.code(),
            absl::StatusCode::kDataLoss);
  EXPECT_THAT(Candidates({kA}, P(D(2024, 3, 15), D(2024, 3, 15))).ids,
              ElementsAre("long", "mar", "nostart", "open", "spring"));
}

TEST_F(RegistryStoreViewTest, UpdatesMoveThePeriodKeysAndLeaveCountsAlone) {
  Register(Make("moving", {kA}, D(2024, 3, 1), D(2024, 4, 30)));
  EXPECT_THAT(PeriodKeys(kA), ElementsAre(std::pair(M(2024, 3), std::string("moving")),
                                          std::pair(M(2024, 4), std::string("moving"))));

  // Another area and period: the old keys are gone.
  Update(Make("moving", {kB}, D(2026, 7, 1), D(2026, 8, 31)));
  EXPECT_THAT(PeriodKeys(kA), IsEmpty());
  EXPECT_THAT(PeriodKeys(kB), ElementsAre(std::pair(M(2026, 7), std::string("moving")),
                                          std::pair(M(2026, 8), std::string("moving"))));
  EXPECT_THAT(Candidates({kA}, P(D(2024, 3, 15), D(2024, 3, 15))).ids, IsEmpty());
  EXPECT_THAT(Candidates({kB}, P(D(2024, 3, 15), D(2024, 3, 15))).ids, IsEmpty());
  EXPECT_THAT(Candidates({kB}, P(D(2026, 8, 15), D(2026, 9, 15))).ids, ElementsAre("moving"));

  // Open end: the unbounded bucket only.
  Update(Make("moving", {kB}, D(2026, 7, 1), std::nullopt));
  EXPECT_THAT(PeriodKeys(kB), ElementsAre(std::pair(kUnboundedPeriodMonth, std::string("moving"))));
  EXPECT_THAT(Candidates({kB}, P(D(2040, 1, 1), D(2040, 1, 1))).ids, ElementsAre("moving"));

  // Bounded again, in the same area as before: the unbounded key is gone.
  Update(Make("moving", {kB}, D(2026, 7, 1), D(2026, 7, 2)));
  EXPECT_THAT(PeriodKeys(kB), ElementsAre(std::pair(M(2026, 7), std::string("moving"))));
  EXPECT_THAT(Candidates({kB}, P(D(2040, 1, 1), D(2040, 1, 1))).ids, IsEmpty());

  // A status change (e.g. a cancellation) keeps the keys; the domain filters by status.
  v1::RegistryEvent cancelled;
  cancelled.mutable_dialogue_status_changed()->set_dialogue(
      absl::StrCat(kTenant, "/dialogues/moving"));
  cancelled.mutable_dialogue_status_changed()->set_from(v1::PLANNED);
  cancelled.mutable_dialogue_status_changed()->set_to(v1::CANCELLED);
  Apply(cancelled);
  EXPECT_THAT(PeriodKeys(kB), ElementsAre(std::pair(M(2026, 7), std::string("moving"))));
  EXPECT_THAT(Candidates({kB}, P(D(2026, 7, 1), D(2026, 7, 1))).ids, ElementsAre("moving"));

  // Counts only know the attribute prefixes and the tenant's total.
  const projection::ReadView view = store_->NewReadView();
  auto count = [&](const std::string& prefix) { return DialogueCount(view, prefix).value_or(-1); };
  EXPECT_EQ(count(DialogueOrderPrefix("1280", DialogueOrder::kName)), 1);
  EXPECT_EQ(count(DialogueAttributePrefix("1280", DialogueAttribute::kArea, kA)), 0);
  EXPECT_EQ(count(DialogueAttributePrefix("1280", DialogueAttribute::kArea, kB)), 1);
  std::vector<std::string> count_keys;
  ASSERT_TRUE(view.ScanPrefix(Cf::kIndexes, "c",
                              [&](std::string_view key, std::string_view) {
                                count_keys.emplace_back(key);
                                return true;
                              })
                  .ok());
  for (const std::string& key : count_keys) {
    EXPECT_FALSE(key.starts_with(DialogueCountKey("o"))) << "a count of the period index";
  }
  EXPECT_EQ(count_keys.size(), 5u);  // all, area, administration, type, status
}

// 2,000 dialogues over 30 years in three areas: a two-month query reads the dialogues of
// its area in its months and the area's unbounded bucket, not the rest.
TEST_F(RegistryStoreViewTest, LargeRegistryReadsOnlyTheDialoguesAroundTheQuery) {
  std::mt19937 random(20240315);
  const std::vector<std::string> areas = {kA, kB, kC};
  std::vector<v1::Dialogue> all;
  for (int i = 0; i < 2000; ++i) {
    const int year = 1995 + static_cast<int>(random() % 30);
    const int month = 1 + static_cast<int>(random() % 12);
    const int day = 1 + static_cast<int>(random() % 28);
    const int months = static_cast<int>(random() % 4);
    std::optional<google::type::Date> end =
        D(year + (month - 1 + months) / 12, 1 + (month - 1 + months) % 12,
          1 + static_cast<int>(random() % 28));
    if (months == 0 && end->day() < day) end->set_day(day);
    if (i % 50 == 0) end.reset();                    // open-ended
    if (i % 97 == 0) end = D(year + 5, month, day);  // longer than the cap
    std::vector<std::string> of = {areas[random() % 3]};
    if (i % 7 == 0) of.push_back(areas[random() % 3]);
    all.push_back(Make(absl::StrCat("d", 10000 + i), of, D(year, month, day), end));
  }
  ASSERT_TRUE(store_
                  ->ApplyBatch({"test", 0}, offset_, static_cast<int64_t>(all.size()),
                               [&](int64_t offset, projection::Transaction& tx) {
                                 v1::RegistryEvent event;
                                 *event.mutable_dialogue_registered()->mutable_dialogue() =
                                     all[offset - offset_];
                                 return EvolveRegistryEvent(event, tx);
                               })
                  .ok());
  offset_ += static_cast<int64_t>(all.size());

  // Every area and an open end: exact too.
  const domain::Period open = P(D(2024, 6, 1), std::nullopt);
  const Answer later = Candidates(areas, open);
  EXPECT_TRUE(later.status.ok()) << later.status;
  EXPECT_THAT(later.ids, UnorderedElementsAreArray(BruteForce(all, areas, open)));

  const domain::Period query = P(D(2010, 6, 10), D(2010, 7, 20));
  // Corrupt every dialogue the index must skip: bucketed, and in no month of the query.
  std::vector<std::string> skipped;
  int may_read = 0;
  for (const v1::Dialogue& d : all) {
    const int32_t first = PeriodMonth(d.start_date());
    const bool bucketed =
        d.has_end_date() && PeriodMonth(d.end_date()) - first < kMaxBucketedMonths;
    const bool in_query_months =
        first <= PeriodMonth(*query.end) && PeriodMonth(d.end_date()) >= PeriodMonth(query.start);
    if (bucketed && !in_query_months) {
      skipped.push_back(IdOf(d));
    } else if (std::find(d.areas().begin(), d.areas().end(), kA) != d.areas().end()) {
      ++may_read;
    }
  }
  Corrupt(skipped);
  EXPECT_LT(may_read, 100) << "the test's registry is not spread enough";

  const Answer answer = Candidates({kA}, query);
  EXPECT_TRUE(answer.status.ok()) << answer.status;
  const std::vector<std::string> expected = BruteForce(all, {kA}, query);
  EXPECT_THAT(answer.ids, ElementsAreArray(expected));
  EXPECT_FALSE(expected.empty());
  EXPECT_LT(expected.size(), 40u);
}

}  // namespace
}  // namespace samrad::registry
