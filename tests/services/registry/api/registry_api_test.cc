// The registry API over real loopback gRPC (registry_api_fixture.h): first start, actors,
// validation texts, a dialogue's lifecycle, appointments and a first pass over paging.

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/api/registry_api_fixture.h"

namespace samrad::registry::apitest {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

TEST_F(RegistryApiTest, FirstStartCreatesMalmoOnceAcrossRestarts) {
  v1::Tenant tenant;
  ASSERT_TRUE(stub_
                  ->GetTenant(
                      Ctx().get(),
                      [] {
                        v1::GetTenantRequest r;
                        r.set_name(kTenant);
                        return r;
                      }(),
                      &tenant)
                  .ok());
  EXPECT_EQ(tenant.display_name(), "Malmö stad");
  v1::ListCommitteesRequest list;
  list.set_parent(kTenant);
  v1::ListCommitteesResponse committees;
  ASSERT_TRUE(stub_->ListCommittees(Ctx().get(), list, &committees).ok());
  EXPECT_THAT(committees.committees(), SizeIs(13));
  EXPECT_TRUE(committees.next_page_token().empty());

  const int64_t before = HighWatermark();
  StopModule();
  StartModule();
  EXPECT_EQ(HighWatermark(), before);  // no second bootstrap
}

TEST_F(RegistryApiTest, WriteWithoutActorIsUnauthenticated) {
  v1::Person p;
  v1::CreatePersonRequest r;
  r.set_parent(kTenant);
  r.set_person_id("bo");
  const grpc::Status s = stub_->CreatePerson(Ctx("").get(), r, &p);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RegistryApiTest, ValidationNamesFieldsInSwedishAndEnglish) {
  v1::CreateDialogueRequest r = DialogueRequest("x");
  r.mutable_dialogue()->clear_title();
  v1::CreateDialogueResponse out;
  grpc::Status sv = stub_->CreateDialogue(Ctx().get(), r, &out);
  ASSERT_EQ(sv.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::BadRequest bad = BadRequestOf(sv);
  ASSERT_THAT(bad.field_violations(), SizeIs(1));
  EXPECT_EQ(bad.field_violations(0).field(), "dialogue.title");
  const std::string swedish = bad.field_violations(0).description();

  grpc::Status en = stub_->CreateDialogue(Ctx("anna.svensson", Lang::kEn).get(), r, &out);
  google::rpc::BadRequest bad_en = BadRequestOf(en);
  ASSERT_THAT(bad_en.field_violations(), SizeIs(1));
  EXPECT_EQ(bad_en.field_violations(0).field(), "dialogue.title");
  EXPECT_NE(bad_en.field_violations(0).description(), swedish);
  EXPECT_FALSE(swedish.empty());
}

TEST_F(RegistryApiTest, DialogueLifecycleEtagRetryHistoryAndAsOf) {
  CreatePerson("anna", v1::ELECTED_OFFICIAL);
  const v1::CreateDialogueRequest create = DialogueRequest("rosengard-parker");
  v1::CreateDialogueResponse created;
  ASSERT_TRUE(stub_->CreateDialogue(Ctx().get(), create, &created).ok());
  EXPECT_EQ(created.dialogue().name(), Name("dialogues", "rosengard-parker"));
  EXPECT_EQ(created.dialogue().etag(), "1");
  EXPECT_EQ(created.dialogue().status(), v1::PLANNED);
  EXPECT_THAT(created.dialogue().principles(), SizeIs(10));

  // Idempotent retry: the same answer, nothing appended.
  const int64_t hwm = HighWatermark();
  v1::CreateDialogueResponse again;
  ASSERT_TRUE(stub_->CreateDialogue(Ctx().get(), create, &again).ok());
  EXPECT_EQ(again.dialogue().SerializeAsString(), created.dialogue().SerializeAsString());
  EXPECT_EQ(HighWatermark(), hwm);

  v1::UpdateDialogueRequest update;
  *update.mutable_dialogue() = created.dialogue();
  update.mutable_dialogue()->set_title("Parkerna i Rosengård");
  update.mutable_update_mask()->add_paths("title");
  update.mutable_options()->set_request_id("update-1");
  v1::UpdateDialogueResponse updated;
  ASSERT_TRUE(stub_->UpdateDialogue(Ctx().get(), update, &updated).ok());
  EXPECT_EQ(updated.dialogue().title(), "Parkerna i Rosengård");
  EXPECT_EQ(updated.dialogue().etag(), "2");

  // A stale etag is ABORTED.
  update.mutable_options()->set_request_id("update-2");
  const grpc::Status stale = stub_->UpdateDialogue(Ctx().get(), update, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ReasonOf(stale), "ETAG_MISMATCH");

  // As of version 1: the old title.
  v1::GetDialogueRequest get;
  get.set_name(created.dialogue().name());
  get.mutable_as_of()->set_version(1);
  v1::Dialogue old;
  ASSERT_TRUE(stub_->GetDialogue(Ctx().get(), get, &old).ok());
  EXPECT_EQ(old.title(), "Framtidens parker i Rosengård");
  EXPECT_EQ(old.etag(), "1");
  // As of a time before it existed: NOT_FOUND.
  get.mutable_as_of()->mutable_time()->set_seconds(1);
  EXPECT_EQ(stub_->GetDialogue(Ctx().get(), get, &old).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::GetHistoryRequest history;
  history.set_name(created.dialogue().name());
  history.set_page_size(1);
  std::vector<std::string> cases;
  do {
    v1::GetHistoryResponse page;
    ASSERT_TRUE(stub_->GetHistory(Ctx().get(), history, &page).ok());
    for (const auto& e : page.events()) {
      cases.push_back(e.metadata().event_type());
      EXPECT_EQ(e.metadata().actor().id(), "anna.svensson");
    }
    history.set_page_token(page.next_page_token());
  } while (!history.page_token().empty());
  EXPECT_THAT(cases, ElementsAre("samrad.registry.v1.DialogueRegistered",
                                 "samrad.registry.v1.DialogueUpdated"));

  v1::GetDialogueRequest missing;
  missing.set_name(Name("dialogues", "finns-inte"));
  EXPECT_EQ(stub_->GetDialogue(Ctx().get(), missing, &old).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RegistryApiTest, AppointingASecondRepresentativeEndsTheFirst) {
  CreatePerson("eva", v1::OFFICIAL);
  CreatePerson("olle", v1::OFFICIAL);
  auto appoint = [&](const std::string& id, const std::string& person, google::type::Date start) {
    v1::AppointRepresentativeRequest r;
    r.set_parent(kTenant);
    r.set_appointment_id(id);
    r.mutable_appointment()->set_person(Name("people", person));
    r.mutable_appointment()->set_administration(Name("administrations", "miljoforvaltningen"));
    r.mutable_appointment()->set_track(v1::TRACK_MEDBORGARDIALOG);
    *r.mutable_appointment()->mutable_start_date() = start;
    r.mutable_options()->set_request_id("appoint-" + id);
    v1::Appointment out;
    const grpc::Status s = stub_->AppointRepresentative(Ctx().get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  appoint("eva-1", "eva", D(2020, 1, 1));
  appoint("olle-1", "olle", D(2021, 1, 1));

  v1::ListNetworkRequest network;
  network.set_parent(kTenant);
  auto member_on = [&](google::type::Date date) {
    *network.mutable_date() = date;
    v1::ListNetworkResponse out;
    EXPECT_TRUE(stub_->ListNetwork(Ctx().get(), network, &out).ok());
    for (const auto& m : out.members()) {
      if (m.administration() == Name("administrations", "miljoforvaltningen") &&
          m.track() == v1::TRACK_MEDBORGARDIALOG) {
        return m.person().name();
      }
    }
    return std::string();
  };
  EXPECT_EQ(member_on(D(2020, 6, 1)), Name("people", "eva"));
  EXPECT_EQ(member_on(D(2021, 6, 1)), Name("people", "olle"));

  v1::GetHistoryRequest history;
  history.set_name(Name("appointments", "eva-1"));
  v1::GetHistoryResponse events;
  ASSERT_TRUE(stub_->GetHistory(Ctx().get(), history, &events).ok());
  ASSERT_THAT(events.events(), SizeIs(2));
  EXPECT_TRUE(events.events(1).has_appointment_ended());
}

TEST_F(RegistryApiTest, PaginationFiltersAndOrderOverManyDialogues) {
  CreatePerson("anna", v1::ELECTED_OFFICIAL);
  constexpr int kCount = 300;
  for (int i = 0; i < kCount; ++i) {
    v1::CreateDialogueRequest r = DialogueRequest(absl::StrCat("d", 1000 + i));
    if (i % 3 == 0) {
      r.mutable_dialogue()->set_title(absl::StrCat("Lindängen ", i));
      r.mutable_dialogue()->clear_areas();
      r.mutable_dialogue()->add_areas(Name("areas", "lindangen"));
    }
    *r.mutable_dialogue()->mutable_start_date() = D(2020, 1 + i % 12, 1);
    *r.mutable_dialogue()->mutable_end_date() = D(2020, 1 + i % 12, 28);
    v1::CreateDialogueResponse out;
    const grpc::Status s = stub_->CreateDialogue(Ctx().get(), r, &out);
    ASSERT_TRUE(s.ok()) << i << ": " << s.error_message();
  }
  auto list_all = [&](const std::string& filter, const std::string& order_by) {
    v1::ListDialoguesRequest r;
    r.set_parent(kTenant);
    r.set_page_size(17);
    r.set_filter(filter);
    r.set_order_by(order_by);
    std::vector<v1::Dialogue> all;
    do {
      v1::ListDialoguesResponse page;
      const grpc::Status s = stub_->ListDialogues(Ctx().get(), r, &page);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      EXPECT_LE(page.dialogues_size(), 17);
      all.insert(all.end(), page.dialogues().begin(), page.dialogues().end());
      r.set_page_token(page.next_page_token());
    } while (!r.page_token().empty());
    return all;
  };
  const auto by_name = list_all("", "");
  ASSERT_THAT(by_name, SizeIs(kCount));
  std::set<std::string> names;
  for (size_t i = 0; i < by_name.size(); ++i) {
    names.insert(by_name[i].name());
    if (i > 0) {
      EXPECT_LT(by_name[i - 1].name(), by_name[i].name());
    }
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kCount));

  const auto by_start_desc = list_all("", "start_date desc");
  ASSERT_THAT(by_start_desc, SizeIs(kCount));
  for (size_t i = 1; i < by_start_desc.size(); ++i) {
    EXPECT_GE(by_start_desc[i - 1].start_date().month(), by_start_desc[i].start_date().month());
  }

  const auto lindangen = list_all(
      absl::StrCat("area = \"", Name("areas", "lindangen"), "\" AND type = MEDBORGARDIALOG"), "");
  EXPECT_THAT(lindangen, SizeIs(kCount / 3));
  const auto text = list_all("text : \"lindängen\"", "title");
  EXPECT_THAT(text, SizeIs(kCount / 3));
  const auto period = list_all("period_overlaps = \"2020-12-01/2020-12-31\"", "");
  EXPECT_THAT(period, SizeIs(kCount / 12));

  v1::ListDialoguesRequest bad;
  bad.set_parent(kTenant);
  v1::ListDialoguesResponse out;
  bad.set_filter("type == X");
  grpc::Status s = stub_->ListDialogues(Ctx().get(), bad, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadRequestOf(s).field_violations(0).field(), "filter");
  bad.clear_filter();
  bad.set_order_by("color");
  s = stub_->ListDialogues(Ctx().get(), bad, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadRequestOf(s).field_violations(0).field(), "order_by");
}

// A registry whose write pool (--command-threads) has only kCommandThreads threads, so that
// a few concurrent clients exceed it.
class SmallWritePoolTest : public RegistryApiTest {
 protected:
  static constexpr size_t kCommandThreads = 2;
  SmallWritePoolTest() : RegistryApiTest(kCommandThreads) {}
};

// Writes run on the registry's command pool, not on gRPC's callback threads. More concurrent
// writes than the pool has threads all land, each exactly once, and reads are served
// meanwhile.
TEST_F(SmallWritePoolTest, ConcurrentWritesBeyondThePoolSizeAllLand) {
  constexpr int kClients = 8;
  constexpr int kPerClient = 6;
  static_assert(static_cast<size_t>(kClients) > kCommandThreads,
                "the clients must exceed the pool");
  ASSERT_EQ(server_.command_threads(), kCommandThreads);
  CreatePerson("anna", v1::ELECTED_OFFICIAL);
  const int64_t before = HighWatermark();
  std::vector<std::thread> clients;
  std::latch start(kClients);
  std::atomic<int> failed = 0;
  std::atomic<int> reads_failed = 0;
  // Every call is bounded: a pool that stalls with more waiting writes than threads fails
  // the calls (DEADLINE_EXCEEDED) instead of hanging the test.
  const auto bounded = [] {
    std::unique_ptr<grpc::ClientContext> ctx = Ctx();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  };
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      start.arrive_and_wait();  // all clients write at once
      for (int i = 0; i < kPerClient; ++i) {
        v1::CreateDialogueResponse created;
        const grpc::Status s = stub_->CreateDialogue(
            bounded().get(), DialogueRequest(absl::StrCat("c", c, "-", i)), &created);
        if (!s.ok()) {
          ++failed;
          ADD_FAILURE() << "c" << c << "-" << i << ": " << s.error_code() << " "
                        << s.error_message();
        }
        v1::Tenant tenant;
        v1::GetTenantRequest get;
        get.set_name(kTenant);
        if (!stub_->GetTenant(bounded().get(), get, &tenant).ok()) ++reads_failed;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(reads_failed.load(), 0);

  // Every write landed exactly once: one DialogueRegistered each (same lead administration:
  // no coordination hints) and nothing else in the log, ...
  EXPECT_EQ(HighWatermark(), before + kClients * kPerClient);
  // ... every dialogue is listed once, ...
  std::multiset<std::string> expected;
  for (int c = 0; c < kClients; ++c) {
    for (int i = 0; i < kPerClient; ++i)
      expected.insert(Name("dialogues", absl::StrCat("c", c, "-", i)));
  }
  v1::ListDialoguesRequest list;
  list.set_parent(kTenant);
  list.set_page_size(10);
  const auto listed = ListAll(*stub_, &v1::Registry::Stub::ListDialogues, list,
                              [](const v1::ListDialoguesResponse& r) { return r.dialogues(); });
  const std::vector<std::string> names = NamesOf(listed);
  EXPECT_EQ(std::multiset<std::string>(names.begin(), names.end()), expected);
  // ... and has exactly its one registration in its history.
  for (const std::string& name : expected) {
    EXPECT_THAT(EventTypesOf(HistoryOf(*stub_, name)),
                ElementsAre("samrad.registry.v1.DialogueRegistered"))
        << name;
  }
}

// Concurrent updates with the same etag: the partition decides them one at a time, so
// exactly one wins and the others are refused as stale.
TEST_F(RegistryApiTest, ConcurrentUpdatesWithOneEtagHaveOneWinner) {
  CreatePerson("anna", v1::ELECTED_OFFICIAL);
  const v1::CreateDialogueResponse created = apitest::CreateDialogue(*stub_, DialogueRequest("p"));
  ASSERT_EQ(created.dialogue().etag(), "1");
  constexpr int kWriters = 24;
  std::vector<grpc::Status> results(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      v1::UpdateDialogueRequest update;
      *update.mutable_dialogue() = created.dialogue();
      update.mutable_dialogue()->set_title(absl::StrCat("Titel ", w));
      update.mutable_update_mask()->add_paths("title");
      update.mutable_options()->set_request_id(absl::StrCat("update-", w));
      v1::UpdateDialogueResponse updated;
      results[w] = stub_->UpdateDialogue(Ctx().get(), update, &updated);
    });
  }
  for (std::thread& t : writers) t.join();
  int won = 0;
  for (const grpc::Status& s : results) {
    if (s.ok()) {
      ++won;
    } else {
      EXPECT_TRUE(IsError(s, grpc::StatusCode::ABORTED, "ETAG_MISMATCH")) << s.error_message();
    }
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(HistoryOf(*stub_, created.dialogue().name()).size(), 2u);
}

}  // namespace
}  // namespace samrad::registry::apitest
