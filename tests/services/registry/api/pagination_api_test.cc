// ListDialogues over 2,000 efforts through gRPC: every order_by the service supports, in
// both directions where it has them, with several page sizes (1, the default, odd sizes,
// the maximum and more than the maximum) and filters. Every effort the filter keeps is seen
// exactly once and in order, every page but the last is full, and a page token only
// continues the listing it was made for.
//
// The efforts are created once for the suite. They vary in id length (keyset cursors of
// different lengths), title (ties, case), type, lead administration, area, period and
// status; the two administrations have disjoint target groups, so no coordination hints
// are detected and most efforts have no area, which keeps the setup fast.

#include <algorithm>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/domain/dates.h"
#include "tests/services/registry/api/registry_api_fixture.h"

namespace samrad::registry::apitest {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;
using Stub = v1::Registry::Stub;

constexpr int kEfforts = 2000;
constexpr int kMaxPageSize = 1000;
constexpr int kDefaultPageSize = 50;

const char* const kTitles[] = {"Parkdialog i Rosengård",
                               "parkdialog i rosengård",
                               "Trygghetsvandring",
                               "Bibliotekens framtid",
                               "bibliotekens Framtid",
                               "Äldres mötesplatser",
                               "Ung i Malmö",
                               "Cykelstråk",
                               "Cykelstråk genom Fosie",
                               "Lekplatser",
                               "lekplatser",
                               "Öppna förskolan"};
const char* const kDistricts[] = {
    "centrum", "kirseberg",         "husie", "rosengard",          "hyllie",
    "fosie",   "sodra-innerstaden", "oxie",  "vastra-innerstaden", "limhamn-bunkeflo"};

int DateNumber(const google::type::Date& d) { return d.year() * 10000 + d.month() * 100 + d.day(); }

int64_t Micros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

// The i-th effort. Ids "e0".."e1999" are created in a shuffled order, so that name order,
// creation order and every other order differ.
v1::CreateDialogueRequest Effort(int i) {
  const int n = (i * 7919) % kEfforts;
  v1::CreateDialogueRequest r = DialogueRequest(absl::StrCat("e", n));
  v1::Dialogue* d = r.mutable_dialogue();
  d->set_title(kTitles[(n * 31) % std::size(kTitles)]);
  d->clear_channels();
  d->add_channels(Name("channels", "digitala-kanaler"));
  static constexpr v1::DialogueType kTypes[] = {v1::MEDBORGARDIALOG, v1::KUNSKAPSDIALOG,
                                                v1::BRUKARDIALOG};
  d->set_type(kTypes[n % 3]);
  if (d->type() != v1::MEDBORGARDIALOG) d->clear_elected_officials();
  const bool kultur = n % 2 == 1;
  d->set_lead_administration(
      Name("administrations", kultur ? "kulturforvaltningen" : "fritidsforvaltningen"));
  d->clear_target_groups();
  d->add_target_groups(kultur ? v1::BUSINESSES : v1::ASSOCIATIONS);
  d->clear_areas();
  if (n % 4 == 0) {
    d->add_areas(Name("areas", kDistricts[(n / 4) % std::size(kDistricts)]));
  } else {
    d->set_area_description("Digitalt");
  }
  const absl::CivilDay start = absl::CivilDay(2020, 1, 1) + (n * 37) % 730;
  *d->mutable_start_date() = domain::FromCivilDay(start);
  *d->mutable_end_date() = domain::FromCivilDay(start + 30);
  return r;
}

// One listing: `filter` and `order_by` as sent, the page size asked for, and what the
// service must return: the efforts `keep` accepts, in the order `before` gives.
struct PageCase {
  std::string label;
  std::string order_by;
  int32_t page_size;
  std::string filter = {};
  std::function<bool(const v1::Dialogue&)> keep = [](const v1::Dialogue&) { return true; };
};

using Less = std::function<bool(const v1::Dialogue&, const v1::Dialogue&)>;

// The order of `order_by`; ties (and the default) in name order.
Less OrderOf(const std::string& order_by) {
  auto by = [](auto key) -> Less {
    return [key](const v1::Dialogue& a, const v1::Dialogue& b) {
      return std::make_tuple(key(a), a.name()) < std::make_tuple(key(b), b.name());
    };
  };
  if (order_by == "title") {
    return by([](const v1::Dialogue& d) { return absl::AsciiStrToLower(d.title()); });
  }
  if (order_by.starts_with("start_date")) {
    const int sign = order_by.ends_with("desc") ? -1 : 1;
    return by([sign](const v1::Dialogue& d) { return sign * DateNumber(d.start_date()); });
  }
  if (order_by.starts_with("update_time")) {
    const int64_t sign = order_by.ends_with("desc") ? -1 : 1;
    return by([sign](const v1::Dialogue& d) { return sign * Micros(d.update_time()); });
  }
  return by([](const v1::Dialogue&) { return 0; });
}

bool HasArea(const v1::Dialogue& d, const std::string& id) {
  return std::find(d.areas().begin(), d.areas().end(), Name("areas", id)) != d.areas().end();
}

bool Overlaps(const v1::Dialogue& d, int from, int to) {
  return DateNumber(d.start_date()) <= to && DateNumber(d.end_date()) >= from;
}

std::vector<PageCase> PageCases() {
  const std::string kultur = Name("administrations", "kulturforvaltningen");
  return {
      {"DefaultOrderPagesOfOne", "", 1},
      {"NameMaximumPages", "name", kMaxPageSize},
      {"NameAscAboveTheMaximum", "name asc", 5000},
      {"TitleOddPages", "title", 7},
      {"StartDateMaximumPages", "start_date", kMaxPageSize},
      {"StartDateAscDefaultPages", "start_date asc", 0},
      {"StartDateDesc", "start_date desc", 13},
      {"UpdateTime", "update_time", 250},
      {"UpdateTimeDescSmallPages", "update_time desc", 3},
      {"IndexedTypePagesOfOne", "", 1, "type = KUNSKAPSDIALOG",
       [](const v1::Dialogue& d) { return d.type() == v1::KUNSKAPSDIALOG; }},
      {"StatusByUpdateTimeDescPagesOfOne", "update_time desc", 1, "status = ONGOING",
       [](const v1::Dialogue& d) { return d.status() == v1::ONGOING; }},
      {"AreaByStartDateDesc", "start_date desc", 9,
       absl::StrCat("area = \"", Name("areas", "rosengard"), "\""),
       [](const v1::Dialogue& d) { return HasArea(d, "rosengard"); }},
      {"AdministrationAndTypeByTitle", "title", 11,
       absl::StrCat("administration = \"", kultur, "\" AND type = BRUKARDIALOG"),
       [kultur](const v1::Dialogue& d) {
         return d.lead_administration() == kultur && d.type() == v1::BRUKARDIALOG;
       }},
      {"PeriodByUpdateTime", "update_time", 17, "period_overlaps = \"2021-03-01/2021-04-30\"",
       [](const v1::Dialogue& d) { return Overlaps(d, 20210301, 20210430); }},
      {"TextByName", "name", 5, "text : \"BIBLIOTEK\"",
       [](const v1::Dialogue& d) {
         return absl::AsciiStrToLower(d.title()).find("bibliotek") != std::string::npos;
       }},
      {"TrackByStartDate", "start_date", 100, "track = KUNSKAPSDIALOG",
       [](const v1::Dialogue& d) { return d.type() == v1::KUNSKAPSDIALOG; }},
      {"ThreeTermsByStartDatePagesOfTwo", "start_date", 2,
       absl::StrCat("type = MEDBORGARDIALOG AND period_overlaps = \"2020-06-01/2020-12-31\" AND ",
                    "area = \"", Name("areas", "fosie"), "\""),
       [](const v1::Dialogue& d) {
         return d.type() == v1::MEDBORGARDIALOG && Overlaps(d, 20200601, 20201231) &&
                HasArea(d, "fosie");
       }},
      {"NothingMatches", "title", 10, "type = KOMMUNVAGLEDNING",
       [](const v1::Dialogue&) { return false; }},
  };
}

class PaginationApiTest : public ::testing::TestWithParam<PageCase> {
 protected:
  static void SetUpTestSuite() {
    server_ = new RegistryServer();
    const absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
    Stub& stub = server_->stub();
    CreatePerson(stub, "anna", v1::ELECTED_OFFICIAL);
    efforts_ = new std::vector<v1::Dialogue>();
    for (int i = 0; i < kEfforts; ++i) {
      const v1::CreateDialogueResponse created = CreateDialogue(stub, Effort(i));
      ASSERT_TRUE(created.has_dialogue()) << i;
      ASSERT_THAT(created.coordination_hints(), IsEmpty());
      efforts_->push_back(created.dialogue());
    }
    // Every tenth effort starts: its status and update time change.
    for (v1::Dialogue& d : *efforts_) {
      if (d.name().back() != '0') continue;
      v1::TransitionDialogueRequest r;
      r.set_name(d.name());
      r.set_status(v1::ONGOING);
      r.mutable_options()->set_request_id("start-" + d.name());
      ASSERT_TRUE(stub.TransitionDialogue(Ctx().get(), r, &d).ok());
    }
  }
  static void TearDownTestSuite() {
    delete efforts_;
    efforts_ = nullptr;
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(efforts_, nullptr) << "the efforts were not created"; }

  static Stub& stub() { return server_->stub(); }

  static v1::ListDialoguesRequest RequestOf(const PageCase& c) {
    v1::ListDialoguesRequest r;
    r.set_parent(kTenant);
    r.set_page_size(c.page_size);
    r.set_filter(c.filter);
    r.set_order_by(c.order_by);
    return r;
  }

  static RegistryServer* server_;
  static std::vector<v1::Dialogue>* efforts_;
};

RegistryServer* PaginationApiTest::server_ = nullptr;
std::vector<v1::Dialogue>* PaginationApiTest::efforts_ = nullptr;

TEST_P(PaginationApiTest, EveryEffortOnceInOrder) {
  const PageCase& c = GetParam();
  std::vector<v1::Dialogue> expected;
  std::copy_if(efforts_->begin(), efforts_->end(), std::back_inserter(expected), c.keep);
  std::sort(expected.begin(), expected.end(), OrderOf(c.order_by));
  ASSERT_EQ(expected.empty(), c.label == "NothingMatches") << "the data must exercise the case";

  const int full_page =
      c.page_size == 0 ? kDefaultPageSize : std::min<int>(c.page_size, kMaxPageSize);
  const std::vector<v1::Dialogue> listed = ListAll(
      stub(), &Stub::ListDialogues, RequestOf(c),
      [](const v1::ListDialoguesResponse& r) { return r.dialogues(); }, full_page);
  ASSERT_THAT(listed, SizeIs(expected.size()));
  EXPECT_EQ(NamesOf(listed), NamesOf(expected));
  // The items are the efforts as they are, with their output-only fields.
  for (size_t i = 0; i < listed.size(); i += 97) {
    EXPECT_EQ(listed[i].title(), expected[i].title());
    EXPECT_EQ(listed[i].status(), expected[i].status());
    EXPECT_EQ(listed[i].etag(), expected[i].etag());
    EXPECT_THAT(listed[i].principles(), SizeIs(10));
  }
}

TEST_P(PaginationApiTest, TokenOnlyContinuesItsOwnListing) {
  const PageCase& c = GetParam();
  v1::ListDialoguesRequest request = RequestOf(c);
  request.set_page_size(1);
  v1::ListDialoguesResponse first;
  ASSERT_TRUE(stub().ListDialogues(Ctx().get(), request, &first).ok());
  if (first.next_page_token().empty()) {
    EXPECT_LE(first.dialogues_size(), 1);
    return;
  }
  request.set_page_token(first.next_page_token());

  // Another filter or another order_by: INVALID_ARGUMENT on page_token.
  auto refused = [&](const std::function<void(v1::ListDialoguesRequest&)>& change,
                     std::string_view reason = "PAGE_TOKEN_MISMATCH") {
    v1::ListDialoguesRequest other = request;
    change(other);
    return IsError(Call(stub(), &Stub::ListDialogues, other), grpc::StatusCode::INVALID_ARGUMENT,
                   reason, {"page_token"}, kApiDomain);
  };
  EXPECT_TRUE(refused([](auto& r) {
    r.set_filter(r.filter().empty() ? "status = PLANNED" : r.filter() + " AND status = PLANNED");
  }));
  EXPECT_TRUE(refused([](auto& r) { r.set_filter("type = BRUKARDIALOG"); }));
  if (!c.filter.empty()) {
    EXPECT_TRUE(refused([](auto& r) { r.clear_filter(); }));
  }
  EXPECT_TRUE(refused([&](auto& r) {
    r.set_order_by(c.order_by == "update_time desc" ? "update_time" : "update_time desc");
  }));
  EXPECT_TRUE(refused([](auto& r) { r.set_parent("tenants/1281"); }));
  EXPECT_TRUE(refused(
      [](auto& r) {
        std::string token = r.page_token();
        token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
        r.set_page_token(token);
      },
      "INVALID_PAGE_TOKEN"));

  // The page size may change between pages: the listing continues after the first item.
  request.set_page_size(kMaxPageSize);
  v1::ListDialoguesResponse rest;
  ASSERT_TRUE(stub().ListDialogues(Ctx().get(), request, &rest).ok());
  ASSERT_GT(rest.dialogues_size(), 0);
  EXPECT_NE(rest.dialogues(0).name(), first.dialogues(0).name());
  std::vector<v1::Dialogue> expected;
  std::copy_if(efforts_->begin(), efforts_->end(), std::back_inserter(expected), c.keep);
  std::sort(expected.begin(), expected.end(), OrderOf(c.order_by));
  EXPECT_EQ(rest.dialogues(0).name(), expected[1].name());
}

INSTANTIATE_TEST_SUITE_P(Cases, PaginationApiTest, ::testing::ValuesIn(PageCases()),
                         [](const auto& info) { return info.param.label; });

// Errors of ListDialogues that do not depend on the data, and tokens of the other List RPCs.
TEST_F(RegistryApiTest, ListRequestsThatAreRefused) {
  using Case = ErrorCase<v1::ListDialoguesRequest>;
  auto invalid = [](std::string label, std::string field, Case::Mutate mutate) {
    Case c = Case::Invalid(std::move(label), std::move(mutate), {field});
    if (field.starts_with("page")) c.domain = kApiDomain;
    return c;
  };
  auto filter = [&](std::string value) {
    return invalid("filter " + value, "filter", [value](auto& r) { r.set_filter(value); });
  };
  auto order_by = [&](std::string value) {
    return invalid("order_by " + value, "order_by", [value](auto& r) { r.set_order_by(value); });
  };
  v1::ListDialoguesRequest base;
  base.set_parent(kTenant);
  ExpectRefused(
      &Stub::ListDialogues, base,
      {
          filter("type == MEDBORGARDIALOG"),
          filter("type = MEDBORGARDIALOG OR type = KUNSKAPSDIALOG"),
          filter("type = DIALOGUE_TYPE_UNSPECIFIED"),
          filter("status = DONE"),
          filter("track = BRUKARDIALOG"),
          filter("colour = red"),
          filter("text = \"park\""),
          filter("type : MEDBORGARDIALOG"),
          filter("title : \"park"),
          filter("area = "),
          filter("period_overlaps = \"2020-12-31/2020-01-01\""),
          filter("period_overlaps = \"2020-02-30/2020-03-01\""),
          filter("period_overlaps = 2020"),
          order_by("name desc"),
          order_by("title desc"),
          order_by("start_date upward"),
          order_by("update_time desc title"),
          order_by("colour"),
          invalid("negative page size", "page_size", [](auto& r) { r.set_page_size(-5); }),
          invalid("a token that is no token", "page_token",
                  [](auto& r) { r.set_page_token("not a token"); }),
          Case::Invalid("no tenant", [](auto& r) { r.set_parent("1280"); }, {"parent"}),
          Case::Refused(
              "an unknown tenant", [](auto& r) { r.set_parent("tenants/9999"); },
              grpc::StatusCode::NOT_FOUND, "TENANT_NOT_FOUND"),
      });

  // A token of another List method, or of the same one with other arguments, is refused.
  for (const char* id : {"a", "b", "c"}) CreateConsultation(*stub_, ConsultationRequest(id));
  v1::ListConsultationsRequest consultations;
  consultations.set_parent(kTenant);
  consultations.set_page_size(1);
  v1::ListConsultationsResponse page;
  ASSERT_TRUE(stub_->ListConsultations(Ctx().get(), consultations, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  v1::ListDialoguesRequest dialogues = base;
  dialogues.set_page_token(page.next_page_token());
  EXPECT_TRUE(IsError(Call(*stub_, &Stub::ListDialogues, dialogues),
                      grpc::StatusCode::INVALID_ARGUMENT, "PAGE_TOKEN_MISMATCH", {"page_token"},
                      kApiDomain));

  v1::ListCommitteesRequest committees;
  committees.set_parent(kTenant);
  committees.set_page_size(5);
  v1::ListCommitteesResponse committee_page;
  ASSERT_TRUE(stub_->ListCommittees(Ctx().get(), committees, &committee_page).ok());
  committees.set_page_token(committee_page.next_page_token());
  committees.set_show_retired(true);
  EXPECT_TRUE(IsError(Call(*stub_, &Stub::ListCommittees, committees),
                      grpc::StatusCode::INVALID_ARGUMENT, "PAGE_TOKEN_MISMATCH", {"page_token"},
                      kApiDomain));
}

}  // namespace
}  // namespace samrad::registry::apitest
