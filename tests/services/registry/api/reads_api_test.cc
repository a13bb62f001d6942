// Reads of every kind of registry resource through gRPC: NOT_FOUND on Get and Update of a
// resource that does not exist, and as-of reads (by version and by time) that follow the
// resource's history.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/api/registry_api_fixture.h"

namespace samrad::registry::apitest {
namespace {

using ::testing::SizeIs;
using Stub = v1::Registry::Stub;

constexpr grpc::StatusCode kNotFound = grpc::StatusCode::NOT_FOUND;

// What a Get shows of a resource: the text the tests change, and the etag.
struct Snapshot {
  std::string text;
  std::string etag;
};

// One kind of resource with a Get and an Update. `text` is the field the tests change
// (display name or title).
struct ResourceKind {
  std::string label;
  std::string collection;
  std::function<void(Stub&)> setup;
  std::function<grpc::Status(Stub&, const std::string& id, const std::string& text)> create;
  std::function<grpc::Status(Stub&, const std::string& name, const std::string& etag,
                             const std::string& text, const std::string& request_id)>
      update;
  std::function<grpc::Status(Stub&, const std::string& name, const v1::AsOf& as_of, Snapshot* out)>
      get;
};

template <typename Request, typename Resource>
auto Getter(Rpc<Request, Resource> rpc, std::function<std::string(const Resource&)> text) {
  return [rpc, text](Stub& stub, const std::string& name, const v1::AsOf& as_of, Snapshot* out) {
    Request r;
    r.set_name(name);
    *r.mutable_as_of() = as_of;
    Resource resource;
    const grpc::Status s = (stub.*rpc)(Ctx().get(), r, &resource);
    *out = {text(resource), resource.etag()};
    return s;
  };
}

// `patch(request)` gives the resource in an update request; `set(resource, text)` changes
// it; `path` is the mask path of the text.
template <typename Request, typename Response, typename Resource>
auto Updater(Rpc<Request, Response> rpc, std::function<Resource*(Request&)> patch,
             std::function<void(Resource&, const std::string&)> set, std::string path) {
  return [=](Stub& stub, const std::string& name, const std::string& etag, const std::string& text,
             const std::string& request_id) {
    Request r;
    Resource* resource = patch(r);
    resource->set_name(name);
    resource->set_etag(etag);
    set(*resource, text);
    r.mutable_update_mask()->add_paths(path);
    r.mutable_options()->set_request_id(request_id);
    return Call(stub, rpc, r);
  };
}

void NoSetup(Stub&) {}

std::vector<ResourceKind> Kinds() {
  return {
      {"Committee", "committees", NoSetup,
       [](Stub& stub, const std::string& id, const std::string& text) {
         v1::CreateCommitteeRequest r;
         r.set_parent(kTenant);
         r.set_committee_id(id);
         r.mutable_committee()->set_display_name(text);
         r.mutable_options()->set_request_id("create-" + id);
         return Call(stub, &Stub::CreateCommittee, r);
       },
       Updater<v1::UpdateCommitteeRequest, v1::Committee, v1::Committee>(
           &Stub::UpdateCommittee, [](auto& r) { return r.mutable_committee(); },
           [](auto& c, const std::string& t) { c.set_display_name(t); }, "display_name"),
       Getter<v1::GetCommitteeRequest, v1::Committee>(
           &Stub::GetCommittee, [](const auto& c) { return c.display_name(); })},
      {"Administration", "administrations", NoSetup,
       [](Stub& stub, const std::string& id, const std::string& text) {
         v1::CreateAdministrationRequest r;
         r.set_parent(kTenant);
         r.set_administration_id(id);
         r.mutable_administration()->set_display_name(text);
         r.mutable_options()->set_request_id("create-" + id);
         return Call(stub, &Stub::CreateAdministration, r);
       },
       Updater<v1::UpdateAdministrationRequest, v1::Administration, v1::Administration>(
           &Stub::UpdateAdministration, [](auto& r) { return r.mutable_administration(); },
           [](auto& a, const std::string& t) { a.set_display_name(t); }, "display_name"),
       Getter<v1::GetAdministrationRequest, v1::Administration>(
           &Stub::GetAdministration, [](const auto& a) { return a.display_name(); })},
      {"Person", "people", NoSetup,
       [](Stub& stub, const std::string& id, const std::string& text) {
         v1::CreatePersonRequest r;
         r.set_parent(kTenant);
         r.set_person_id(id);
         r.mutable_person()->set_display_name(text);
         r.mutable_person()->set_email(id + "@malmo.se");
         r.mutable_person()->set_role(v1::OFFICIAL);
         r.mutable_options()->set_request_id("create-" + id);
         return Call(stub, &Stub::CreatePerson, r);
       },
       Updater<v1::UpdatePersonRequest, v1::Person, v1::Person>(
           &Stub::UpdatePerson, [](auto& r) { return r.mutable_person(); },
           [](auto& p, const std::string& t) { p.set_display_name(t); }, "display_name"),
       Getter<v1::GetPersonRequest, v1::Person>(&Stub::GetPerson,
                                                [](const auto& p) { return p.display_name(); })},
      {"Dialogue", "dialogues",
       [](Stub& stub) { CreatePerson(stub, "anna", v1::ELECTED_OFFICIAL); },
       [](Stub& stub, const std::string& id, const std::string& text) {
         v1::CreateDialogueRequest r = DialogueRequest(id);
         r.mutable_dialogue()->set_title(text);
         return Call(stub, &Stub::CreateDialogue, r);
       },
       Updater<v1::UpdateDialogueRequest, v1::UpdateDialogueResponse, v1::Dialogue>(
           &Stub::UpdateDialogue, [](auto& r) { return r.mutable_dialogue(); },
           [](auto& d, const std::string& t) { d.set_title(t); }, "title"),
       Getter<v1::GetDialogueRequest, v1::Dialogue>(&Stub::GetDialogue,
                                                    [](const auto& d) { return d.title(); })},
      {"Consultation", "consultations", NoSetup,
       [](Stub& stub, const std::string& id, const std::string& text) {
         v1::CreateConsultationRequest r = ConsultationRequest(id);
         r.mutable_consultation()->set_title(text);
         return Call(stub, &Stub::CreateConsultation, r);
       },
       Updater<v1::UpdateConsultationRequest, v1::Consultation, v1::Consultation>(
           &Stub::UpdateConsultation, [](auto& r) { return r.mutable_consultation(); },
           [](auto& c, const std::string& t) { c.set_title(t); }, "title"),
       Getter<v1::GetConsultationRequest, v1::Consultation>(
           &Stub::GetConsultation, [](const auto& c) { return c.title(); })},
  };
}

// INVALID_ARGUMENT with one violation, of as_of.version with reason VERSION_NOT_FOUND, whose
// text has `text` and names no field path. (Not IsInvalid: that pins ErrorInfo.reason to
// FIELD_INVALID.)
::testing::AssertionResult IsBeyondTheLatest(const grpc::Status& status, std::string_view text) {
  if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
    return ::testing::AssertionFailure()
           << "code " << status.error_code() << ": " << status.error_message();
  }
  const google::rpc::BadRequest bad = BadRequestOf(status);
  if (bad.field_violations_size() != 1 || bad.field_violations(0).field() != "as_of.version" ||
      bad.field_violations(0).reason() != "VERSION_NOT_FOUND") {
    return ::testing::AssertionFailure() << "violations: " << bad.ShortDebugString();
  }
  const std::string& description = bad.field_violations(0).description();
  if (description.find(text) == std::string::npos ||
      description.find("as_of") != std::string::npos) {
    return ::testing::AssertionFailure() << "description: " << description;
  }
  return ::testing::AssertionSuccess();
}

class ReadsApiTest : public RegistryApiTest, public ::testing::WithParamInterface<ResourceKind> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(RegistryApiTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(GetParam().setup(*stub_));
  }

  std::string NameOf(const std::string& id) const { return Name(GetParam().collection, id); }

  grpc::Status Get(const std::string& name, Snapshot* out, v1::AsOf as_of = {}) {
    return GetParam().get(*stub_, name, as_of, out);
  }
};

TEST_P(ReadsApiTest, GetAndUpdateOfAMissingResourceAreNotFound) {
  const ResourceKind& kind = GetParam();
  ASSERT_TRUE(kind.create(*stub_, "finns", "Finns").ok());
  const int64_t before = HighWatermark();
  Snapshot out;
  const grpc::Status get = Get(NameOf("finns-inte"), &out);
  EXPECT_TRUE(IsError(get, kNotFound, "RESOURCE_NOT_FOUND"));
  EXPECT_EQ(MetadataOf(get, "name"), NameOf("finns-inte"));
  const grpc::Status update = kind.update(*stub_, NameOf("finns-inte"), "", "Ny", "update");
  EXPECT_TRUE(IsError(update, kNotFound, "RESOURCE_NOT_FOUND"));
  EXPECT_EQ(MetadataOf(update, "name"), NameOf("finns-inte"));
  // An etag read from a resource of the same id that does not exist cannot match: still
  // NOT_FOUND rather than a concurrent change (ABORTED).
  EXPECT_TRUE(IsError(kind.update(*stub_, NameOf("finns-inte"), "1", "Ny", "update-etag"),
                      kNotFound, "RESOURCE_NOT_FOUND"));
  EXPECT_EQ(HighWatermark(), before);

  // Another tenant's resource of the same id is not there either.
  EXPECT_TRUE(IsError(Get(absl::StrCat("tenants/9999/", kind.collection, "/finns"), &out),
                      kNotFound, "RESOURCE_NOT_FOUND"));
  // A name of another collection is not a name for this Get.
  EXPECT_TRUE(IsInvalid(
      Get(Name(kind.collection == "people" ? "committees" : "people", "finns"), &out), {"name"}));
}

TEST_P(ReadsApiTest, AsOfReadsFollowTheHistory) {
  const ResourceKind& kind = GetParam();
  const std::string name = NameOf("insats");
  ASSERT_TRUE(kind.create(*stub_, "insats", "Första").ok());
  ASSERT_TRUE(kind.update(*stub_, name, "1", "Andra", "update-1").ok());
  ASSERT_TRUE(kind.update(*stub_, name, "2", "Tredje", "update-2").ok());

  auto as_of = [&](const std::function<void(v1::AsOf&)>& set) {
    v1::AsOf point;
    set(point);
    Snapshot out;
    const grpc::Status s = Get(name, &out, point);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return std::vector<std::string>{out.text, out.etag};
  };
  using ::testing::ElementsAre;
  EXPECT_THAT(as_of([](auto&) {}), ElementsAre("Tredje", "3"));
  EXPECT_THAT(as_of([](auto& p) { p.set_version(1); }), ElementsAre("Första", "1"));
  EXPECT_THAT(as_of([](auto& p) { p.set_version(2); }), ElementsAre("Andra", "2"));
  EXPECT_THAT(as_of([](auto& p) { p.set_version(3); }), ElementsAre("Tredje", "3"));
  // A version after the last one does not exist (AIP: a revision that does not exist):
  // INVALID_ARGUMENT on as_of.version, never the latest state passed off as that version
  // (issue 8).
  for (const int64_t version : {4, 99}) {
    SCOPED_TRACE(version);
    v1::AsOf beyond;
    beyond.set_version(version);
    Snapshot out;
    const grpc::Status s = Get(name, &out, beyond);
    EXPECT_TRUE(IsBeyondTheLatest(s, absl::StrCat("version ", version)));
    EXPECT_TRUE(out.text.empty()) << out.text;
  }

  // By time: the event times of the history.
  const std::vector<v1::RegistryEvent> events = HistoryOf(*stub_, name);
  ASSERT_EQ(events.size(), 3u);  // not SizeIs: GCC 12 -O3 warns in gtest's proto printer
  const google::protobuf::Timestamp second = events[1].metadata().occurred_at();
  EXPECT_THAT(as_of([&](auto& p) { *p.mutable_time() = second; }), ElementsAre("Andra", "2"));
  EXPECT_THAT(as_of([&](auto& p) {
                *p.mutable_time() = second;
                p.mutable_time()->set_seconds(second.seconds() + 3600);
              }),
              ElementsAre("Tredje", "3"));

  // Before the first event the resource did not exist; a version must be at least 1.
  Snapshot out;
  v1::AsOf before;
  *before.mutable_time() = events[0].metadata().occurred_at();
  before.mutable_time()->set_seconds(before.time().seconds() - 1);
  EXPECT_TRUE(IsError(Get(name, &out, before), kNotFound, "RESOURCE_NOT_FOUND"));
  before.set_version(0);
  EXPECT_TRUE(IsInvalid(Get(name, &out, before), {"as_of.version"}));
}

TEST_F(RegistryApiTest, AsOfAVersionBeyondTheLatestIsInvalidInEnglishToo) {
  CreatePerson("anna", v1::ELECTED_OFFICIAL);
  ASSERT_TRUE(Call(*stub_, &v1::Registry::Stub::CreateDialogue, DialogueRequest("insats")).ok());
  v1::GetDialogueRequest r;
  r.set_name(Name("dialogues", "insats"));
  r.mutable_as_of()->set_version(2);
  v1::Dialogue out;
  const grpc::Status s = stub_->GetDialogue(Ctx(kActor, Lang::kEn).get(), r, &out);
  EXPECT_TRUE(IsBeyondTheLatest(s, "no version 2"));
  r.mutable_as_of()->set_version(1);
  EXPECT_TRUE(stub_->GetDialogue(Ctx(kActor, Lang::kEn).get(), r, &out).ok());
}

// total_size is counted for a listing's first page and carried by its page tokens: a
// dialogue registered between two pages does not change the figure the listing reports,
// while a new listing counts it (issue 8: the token carried nothing and every page counted).
TEST_F(RegistryApiTest, TotalSizeIsCountedOncePerListing) {
  CreatePerson("anna", v1::ELECTED_OFFICIAL);
  for (const char* id : {"a-insats", "b-insats", "c-insats"}) {
    ASSERT_TRUE(Call(*stub_, &v1::Registry::Stub::CreateDialogue, DialogueRequest(id)).ok());
  }
  v1::ListDialoguesRequest request;
  request.set_parent(kTenant);
  request.set_page_size(1);
  v1::ListDialoguesResponse first;
  ASSERT_TRUE(stub_->ListDialogues(Ctx().get(), request, &first).ok());
  EXPECT_EQ(first.total_size(), 3);
  ASSERT_FALSE(first.next_page_token().empty());

  ASSERT_TRUE(Call(*stub_, &v1::Registry::Stub::CreateDialogue, DialogueRequest("d-insats")).ok());
  request.set_page_token(first.next_page_token());
  v1::ListDialoguesResponse second;
  ASSERT_TRUE(stub_->ListDialogues(Ctx().get(), request, &second).ok());
  EXPECT_EQ(second.total_size(), 3);

  request.clear_page_token();
  v1::ListDialoguesResponse again;
  ASSERT_TRUE(stub_->ListDialogues(Ctx().get(), request, &again).ok());
  EXPECT_EQ(again.total_size(), 4);
}

INSTANTIATE_TEST_SUITE_P(EveryKind, ReadsApiTest, ::testing::ValuesIn(Kinds()),
                         [](const auto& info) { return info.param.label; });

// The other writes that act on an existing resource, and the other reads of one.
TEST_F(RegistryApiTest, WritesAndReadsOfMissingResourcesAreNotFound) {
  const int64_t before = HighWatermark();
  auto missing = [](const std::string& collection) { return Name(collection, "finns-inte"); };
  auto options = [](auto& r) { r.mutable_options()->set_request_id("r"); };

  v1::TransitionDialogueRequest transition;
  transition.set_name(missing("dialogues"));
  transition.set_status(v1::ONGOING);
  options(transition);
  EXPECT_TRUE(IsError(Call(*stub_, &Stub::TransitionDialogue, transition), kNotFound,
                      "RESOURCE_NOT_FOUND"));

  v1::RetireCommitteeRequest retire_committee;
  retire_committee.set_name(missing("committees"));
  options(retire_committee);
  EXPECT_TRUE(IsError(Call(*stub_, &Stub::RetireCommittee, retire_committee), kNotFound,
                      "RESOURCE_NOT_FOUND"));

  v1::RetireAdministrationRequest retire_administration;
  retire_administration.set_name(missing("administrations"));
  options(retire_administration);
  EXPECT_TRUE(IsError(Call(*stub_, &Stub::RetireAdministration, retire_administration), kNotFound,
                      "RESOURCE_NOT_FOUND"));

  v1::EndAppointmentRequest end;
  end.set_name(missing("appointments"));
  *end.mutable_end_date() = D(2021, 1, 1);
  options(end);
  EXPECT_TRUE(IsError(Call(*stub_, &Stub::EndAppointment, end), kNotFound, "RESOURCE_NOT_FOUND"));

  v1::RecordConsultationAnswerRequest answer;
  answer.set_consultation(missing("consultations"));
  *answer.mutable_answer() = AnswerOf("kulturnamnden", D(2019, 3, 1));
  options(answer);
  EXPECT_TRUE(IsError(Call(*stub_, &Stub::RecordConsultationAnswer, answer), kNotFound,
                      "RESOURCE_NOT_FOUND"));
  EXPECT_EQ(HighWatermark(), before);

  for (const char* collection : {"dialogues", "consultations", "appointments", "people"}) {
    v1::GetHistoryRequest history;
    history.set_name(missing(collection));
    EXPECT_TRUE(IsError(Call(*stub_, &Stub::GetHistory, history), kNotFound, "RESOURCE_NOT_FOUND"))
        << collection;
  }
  v1::GetTenantRequest tenant;
  tenant.set_name("tenants/9999");
  EXPECT_TRUE(IsError(Call(*stub_, &Stub::GetTenant, tenant), kNotFound, "TENANT_NOT_FOUND"));
}

}  // namespace
}  // namespace samrad::registry::apitest
