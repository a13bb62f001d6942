// Consultation rounds (remiss) through gRPC: create, get, list, update with a mask and an
// etag, answers with tagged points and corrections, overdue bodies as of a date, as-of
// reads, and every error path of those RPCs.

#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/api/registry_api_fixture.h"

namespace samrad::registry::apitest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr grpc::StatusCode kAborted = grpc::StatusCode::ABORTED;
constexpr grpc::StatusCode kNotFound = grpc::StatusCode::NOT_FOUND;
constexpr grpc::StatusCode kPrecondition = grpc::StatusCode::FAILED_PRECONDITION;

class ConsultationsApiTest : public RegistryApiTest {
 protected:
  // The round STK-2018-90, sent to five committees.
  static constexpr char kId[] = "stk-2018-90";

  std::string Round() const { return Name("consultations", kId); }

  v1::Consultation Get(const std::string& name, v1::AsOf as_of = {}) {
    v1::GetConsultationRequest r;
    r.set_name(name);
    *r.mutable_as_of() = as_of;
    v1::Consultation out;
    const grpc::Status s = stub_->GetConsultation(Ctx().get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static v1::RecordConsultationAnswerRequest AnswerRequest(const std::string& consultation,
                                                           const v1::ConsultationAnswer& answer,
                                                           const std::string& request_id) {
    v1::RecordConsultationAnswerRequest r;
    r.set_consultation(consultation);
    *r.mutable_answer() = answer;
    r.mutable_options()->set_request_id(request_id);
    return r;
  }

  grpc::Status Record(const v1::RecordConsultationAnswerRequest& r, v1::Consultation* out) {
    return stub_->RecordConsultationAnswer(Ctx().get(), r, out);
  }

  // Records `body`'s answer to `consultation`; it must succeed.
  v1::Consultation MustRecord(const std::string& consultation, const std::string& body,
                              google::type::Date received) {
    v1::Consultation out;
    const grpc::Status s = Record(
        AnswerRequest(consultation, AnswerOf(body, received), "answer-" + consultation + body),
        &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<std::string> HistoryOf(const std::string& name) {
    return EventTypesOf(apitest::HistoryOf(*stub_, name));
  }

  // Overdue bodies as (consultation id, body id, days overdue).
  using Overdue = std::tuple<std::string, std::string, int>;
  std::vector<Overdue> OverdueOn(google::type::Date date) {
    v1::ListOverdueBodiesRequest r;
    r.set_parent(kTenant);
    *r.mutable_date() = date;
    v1::ListOverdueBodiesResponse out;
    const grpc::Status s = stub_->ListOverdueBodies(Ctx().get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<Overdue> got;
    for (const v1::OverdueBody& o : out.overdue()) {
      got.emplace_back(o.consultation().substr(o.consultation().rfind('/') + 1),
                       o.body().substr(o.body().rfind('/') + 1), o.days_overdue());
    }
    return got;
  }
};

TEST_F(ConsultationsApiTest, CreateGetAndListRoundTrip) {
  const v1::CreateConsultationRequest request = ConsultationRequest(kId);
  const v1::Consultation created = CreateConsultation(*stub_, request);
  EXPECT_EQ(created.name(), Round());
  EXPECT_EQ(created.case_number(), "STK-2018-90");
  EXPECT_EQ(created.title(), request.consultation().title());
  EXPECT_THAT(created.questions(), SizeIs(3));
  EXPECT_THAT(
      created.bodies(),
      ElementsAre(Name("committees", "fritidsnamnden"), Name("committees", "forskolenamnden"),
                  Name("committees", "grundskolenamnden"), Name("committees", "kulturnamnden"),
                  Name("committees", "miljonamnden")));
  EXPECT_EQ(created.start_date().SerializeAsString(), D(2019, 2, 19).SerializeAsString());
  EXPECT_EQ(created.deadline().SerializeAsString(), D(2019, 6, 28).SerializeAsString());
  EXPECT_THAT(created.answers(), IsEmpty());
  EXPECT_EQ(created.etag(), "1");
  EXPECT_EQ(created.version(), 1);
  EXPECT_GT(created.create_time().seconds(), 0);
  EXPECT_EQ(created.update_time().SerializeAsString(), created.create_time().SerializeAsString());
  EXPECT_EQ(Get(Round()).SerializeAsString(), created.SerializeAsString());

  // Output-only fields of the request are ignored (AIP-133).
  v1::CreateConsultationRequest with_output = ConsultationRequest("ks-2019-1");
  *with_output.mutable_consultation()->add_answers() = AnswerOf("fritidsnamnden", D(2019, 3, 1));
  with_output.mutable_consultation()->set_version(7);
  with_output.mutable_consultation()->set_etag("7");
  with_output.mutable_consultation()->set_name(Name("consultations", "other"));
  const v1::Consultation ignored = CreateConsultation(*stub_, with_output);
  EXPECT_EQ(ignored.name(), Name("consultations", "ks-2019-1"));
  EXPECT_THAT(ignored.answers(), IsEmpty());
  EXPECT_EQ(ignored.etag(), "1");
  EXPECT_EQ(ignored.version(), 1);

  CreateConsultation(*stub_, ConsultationRequest("a-first"));
  v1::ListConsultationsRequest list;
  list.set_parent(kTenant);
  list.set_page_size(1);
  const auto all = ListAll(
      *stub_, &v1::Registry::Stub::ListConsultations, list,
      [](const auto& r) { return r.consultations(); }, 1);
  EXPECT_THAT(NamesOf(all), ElementsAre(Name("consultations", "a-first"),
                                        Name("consultations", "ks-2019-1"), Round()));
  EXPECT_EQ(all.back().SerializeAsString(), created.SerializeAsString());
  EXPECT_THAT(HistoryOf(Round()), ElementsAre("samrad.registry.v1.ConsultationOpened"));
}

TEST_F(ConsultationsApiTest, AnswersKeepSummaryDecisionAndTaggedPoints) {
  CreateConsultation(*stub_, ConsultationRequest(kId));
  const v1::ConsultationAnswer answer = AnswerOf("fritidsnamnden", D(2019, 5, 21));
  v1::RecordConsultationAnswerRequest request = AnswerRequest(Round(), answer, "answer-1");
  request.set_etag("1");
  v1::Consultation answered;
  ASSERT_TRUE(Record(request, &answered).ok());
  ASSERT_THAT(answered.answers(), SizeIs(1));
  EXPECT_EQ(answered.answers(0).SerializeAsString(), answer.SerializeAsString());
  std::vector<v1::PointTag> tags;
  for (const auto& p : answered.answers(0).points()) tags.push_back(p.tag());
  EXPECT_THAT(tags, ElementsAre(v1::POSITIVE, v1::NEGATIVE, v1::CONSEQUENCE, v1::PROPOSAL));
  EXPECT_EQ(answered.etag(), "2");
  EXPECT_GE(answered.update_time().seconds(), answered.create_time().seconds());
  EXPECT_EQ(Get(Round()).SerializeAsString(), answered.SerializeAsString());

  // One answer per body: a second one is refused unless it is a correction with a reason.
  v1::ConsultationAnswer corrected = answer;
  corrected.set_summary("Nämnden tillstyrker förslaget.");
  v1::RecordConsultationAnswerRequest again = AnswerRequest(Round(), corrected, "answer-2");
  const int64_t before = HighWatermark();
  v1::Consultation out;
  const grpc::Status twice = Record(again, &out);
  EXPECT_TRUE(IsError(twice, kPrecondition, "ANSWER_ALREADY_RECORDED"));
  EXPECT_EQ(MetadataOf(twice, "body"), answer.body());
  EXPECT_EQ(HighWatermark(), before);

  again.mutable_options()->set_request_id("answer-3");
  again.mutable_options()->set_reason("Fel sammanfattning registrerades.");
  ASSERT_TRUE(Record(again, &out).ok());
  ASSERT_THAT(out.answers(), SizeIs(1));
  EXPECT_EQ(out.answers(0).summary(), "Nämnden tillstyrker förslaget.");
  EXPECT_EQ(out.etag(), "3");
  EXPECT_THAT(HistoryOf(Round()), ElementsAre("samrad.registry.v1.ConsultationOpened",
                                              "samrad.registry.v1.ConsultationAnswerRecorded",
                                              "samrad.registry.v1.ConsultationAnswerRecorded"));

  // Answers of two bodies are kept in the order they came in.
  const v1::Consultation two = MustRecord(Round(), "miljonamnden", D(2019, 6, 30));
  EXPECT_THAT(two.answers(), SizeIs(2));
  EXPECT_EQ(two.answers(1).body(), Name("committees", "miljonamnden"));
}

TEST_F(ConsultationsApiTest, AsOfReadsShowEarlierVersionsAndTimes) {
  const v1::Consultation created = CreateConsultation(*stub_, ConsultationRequest(kId));
  const v1::Consultation answered = MustRecord(Round(), "kulturnamnden", D(2019, 4, 2));

  v1::AsOf as_of;
  as_of.set_version(1);
  const v1::Consultation first = Get(Round(), as_of);
  EXPECT_THAT(first.answers(), IsEmpty());
  EXPECT_EQ(first.etag(), "1");
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.SerializeAsString(), created.SerializeAsString());

  *as_of.mutable_time() = created.create_time();
  EXPECT_EQ(Get(Round(), as_of).etag(), "1");
  *as_of.mutable_time() = answered.update_time();
  EXPECT_EQ(Get(Round(), as_of).SerializeAsString(), answered.SerializeAsString());

  // Before it existed, and not a version.
  v1::GetConsultationRequest r;
  r.set_name(Round());
  r.mutable_as_of()->mutable_time()->set_seconds(created.create_time().seconds() - 60);
  EXPECT_TRUE(IsError(Call(*stub_, &v1::Registry::Stub::GetConsultation, r), kNotFound,
                      "RESOURCE_NOT_FOUND"));
  for (int64_t version : {0, -1}) {
    r.mutable_as_of()->set_version(version);
    EXPECT_TRUE(IsInvalid(Call(*stub_, &v1::Registry::Stub::GetConsultation, r), {"as_of.version"}))
        << version;
  }
}

TEST_F(ConsultationsApiTest, CreateErrors) {
  CreateConsultation(*stub_, ConsultationRequest(kId));
  CreateCommittee(*stub_, "nedlagda-namnden");
  RetireCommittee(*stub_, "nedlagda-namnden");
  using Case = ErrorCase<v1::CreateConsultationRequest>;
  auto consultation = [](v1::CreateConsultationRequest& r) { return r.mutable_consultation(); };
  ExpectRefused(
      &v1::Registry::Stub::CreateConsultation, ConsultationRequest("ny-remiss"),
      {
          Case::Invalid("no case number", [&](auto& r) { consultation(r)->clear_case_number(); },
                        {"consultation.case_number"}),
          Case::Invalid("malformed case number",
                        [&](auto& r) { consultation(r)->set_case_number("stk 2018/90"); },
                        {"consultation.case_number"}),
          Case::Invalid("blank title", [&](auto& r) { consultation(r)->set_title("  "); },
                        {"consultation.title"}),
          Case::Invalid("title too long",
                        [&](auto& r) { consultation(r)->set_title(std::string(201, 'x')); },
                        {"consultation.title"}),
          Case::Invalid("no questions", [&](auto& r) { consultation(r)->clear_questions(); },
                        {"consultation.questions"}),
          Case::Invalid("blank question", [&](auto& r) { consultation(r)->set_questions(1, ""); },
                        {"consultation.questions[1]"}),
          Case::Invalid("no bodies", [&](auto& r) { consultation(r)->clear_bodies(); },
                        {"consultation.bodies"}),
          Case::Invalid(
              "a body twice",
              [&](auto& r) { consultation(r)->add_bodies(Name("committees", "kulturnamnden")); },
              {"consultation.bodies[5]"}),
          Case::Invalid("a body that is not a committee",
                        [&](auto& r) {
                          consultation(r)->set_bodies(
                              0, Name("administrations", "fritidsforvaltningen"));
                        },
                        {"consultation.bodies[0]"}),
          Case::Invalid(
              "a body of another tenant",
              [&](auto& r) { consultation(r)->set_bodies(2, "tenants/0180/committees/x"); },
              {"consultation.bodies[2]"}),
          Case::Invalid(
              "an unknown committee",
              [&](auto& r) { consultation(r)->set_bodies(1, Name("committees", "finns-inte")); },
              {"consultation.bodies[1]"}),
          Case::Invalid("no start date", [&](auto& r) { consultation(r)->clear_start_date(); },
                        {"consultation.start_date"}),
          Case::Invalid("no deadline", [&](auto& r) { consultation(r)->clear_deadline(); },
                        {"consultation.deadline"}),
          Case::Invalid("a deadline that is no date",
                        [&](auto& r) { *consultation(r)->mutable_deadline() = D(2019, 2, 30); },
                        {"consultation.deadline"}),
          Case::Invalid("a deadline before the start",
                        [&](auto& r) { *consultation(r)->mutable_deadline() = D(2019, 2, 18); },
                        {"consultation.deadline"}),
          Case::Invalid("everything wrong at once",
                        [&](auto& r) {
                          consultation(r)->clear_title();
                          consultation(r)->clear_bodies();
                          r.clear_consultation_id();
                          r.mutable_options()->clear_request_id();
                        },
                        {"consultation_id", "consultation.title", "consultation.bodies",
                         "options.request_id"}),
          Case::Invalid("no parent", [](auto& r) { r.clear_parent(); }, {"parent"}),
          Case::Invalid("a parent that is no tenant",
                        [](auto& r) { r.set_parent("kommuner/1280"); }, {"parent"}),
          Case::Invalid("an id that is not AIP-122",
                        [](auto& r) { r.set_consultation_id("STK_2018"); }, {"consultation_id"}),
          Case::Invalid("no request id", [](auto& r) { r.mutable_options()->clear_request_id(); },
                        {"options.request_id"}),
          Case::Invalid("a reason too long",
                        [](auto& r) { r.mutable_options()->set_reason(std::string(1001, 'x')); },
                        {"options.reason"}),
          Case::Refused(
              "a retired committee",
              [&](auto& r) { consultation(r)->add_bodies(Name("committees", "nedlagda-namnden")); },
              kPrecondition, "COMMITTEE_RETIRED"),
          Case::Refused(
              "an unknown tenant",
              [&](auto& r) {
                r.set_parent("tenants/9999");
                consultation(r)->clear_bodies();
                consultation(r)->add_bodies("tenants/9999/committees/fritidsnamnden");
              },
              kNotFound, "TENANT_NOT_FOUND"),
          Case::Refused(
              "an id that is taken", [](auto& r) { r.set_consultation_id(kId); },
              grpc::StatusCode::ALREADY_EXISTS, "RESOURCE_EXISTS"),
      });
}

// ExpectRefused calls with the default actor, so the actor check has its own test.
TEST_F(ConsultationsApiTest, WritesWithoutActorAreUnauthenticated) {
  const int64_t before = HighWatermark();
  EXPECT_TRUE(
      IsError(Call(*stub_, &v1::Registry::Stub::CreateConsultation, ConsultationRequest(kId), ""),
              grpc::StatusCode::UNAUTHENTICATED, "ACTOR_MISSING", {}, kApiDomain));
  EXPECT_TRUE(
      IsError(Call(*stub_, &v1::Registry::Stub::RecordConsultationAnswer,
                   AnswerRequest(Round(), AnswerOf("fritidsnamnden", D(2019, 3, 1)), "a"), ""),
              grpc::StatusCode::UNAUTHENTICATED, "ACTOR_MISSING", {}, kApiDomain));
  EXPECT_EQ(HighWatermark(), before);
}

TEST_F(ConsultationsApiTest, AnswerErrors) {
  CreateConsultation(*stub_, ConsultationRequest(kId));
  MustRecord(Round(), "grundskolenamnden", D(2019, 5, 2));  // etag 2
  using Case = ErrorCase<v1::RecordConsultationAnswerRequest>;
  auto answer = [](v1::RecordConsultationAnswerRequest& r) { return r.mutable_answer(); };
  ExpectRefused(
      &v1::Registry::Stub::RecordConsultationAnswer,
      AnswerRequest(Round(), AnswerOf("fritidsnamnden", D(2019, 5, 21)), "answer"),
      {
          Case::Invalid(
              "a body that was not asked",
              [&](auto& r) { answer(r)->set_body(Name("committees", "kommunstyrelsen")); },
              {"answer.body"}),
          Case::Invalid("received before the round opened",
                        [&](auto& r) { *answer(r)->mutable_received_date() = D(2019, 2, 18); },
                        {"answer.received_date"}),
          Case::Invalid("received in the future",
                        [&](auto& r) { *answer(r)->mutable_received_date() = D(2999, 1, 1); },
                        {"answer.received_date"}),
          Case::Invalid("not asked and too early",
                        [&](auto& r) {
                          answer(r)->set_body(Name("committees", "kommunstyrelsen"));
                          *answer(r)->mutable_received_date() = D(2019, 1, 1);
                        },
                        {"answer.body", "answer.received_date"}),
          Case::Invalid("no received date", [&](auto& r) { answer(r)->clear_received_date(); },
                        {"answer.received_date"}),
          Case::Invalid("a received date that is no date",
                        [&](auto& r) { *answer(r)->mutable_received_date() = D(2019, 4, 31); },
                        {"answer.received_date"}),
          Case::Invalid("no body", [&](auto& r) { answer(r)->clear_body(); }, {"answer.body"}),
          Case::Invalid("a body that is not a committee",
                        [&](auto& r) { answer(r)->set_body(Name("people", "anna")); },
                        {"answer.body"}),
          Case::Invalid(
              "a body of another tenant",
              [&](auto& r) { answer(r)->set_body("tenants/0180/committees/fritidsnamnden"); },
              {"answer.body"}),
          Case::Invalid("no summary", [&](auto& r) { answer(r)->set_summary(" "); },
                        {"answer.summary"}),
          Case::Invalid("a decision reference too long",
                        [&](auto& r) { answer(r)->set_decision_reference(std::string(201, 'x')); },
                        {"answer.decision_reference"}),
          Case::Invalid("a point without a tag",
                        [&](auto& r) { answer(r)->mutable_points(1)->clear_tag(); },
                        {"answer.points[1].tag"}),
          Case::Invalid(
              "a point with an unknown tag",
              [&](auto& r) { answer(r)->mutable_points(2)->set_tag(static_cast<v1::PointTag>(9)); },
              {"answer.points[2].tag"}),
          Case::Invalid("a point without text",
                        [&](auto& r) { answer(r)->mutable_points(0)->clear_text(); },
                        {"answer.points[0].text"}),
          Case::Invalid("no consultation", [](auto& r) { r.clear_consultation(); },
                        {"consultation"}),
          Case::Invalid("a consultation name of another collection",
                        [](auto& r) { r.set_consultation(Name("dialogues", "x")); },
                        {"consultation"}),
          Case::Invalid("no request id", [](auto& r) { r.mutable_options()->clear_request_id(); },
                        {"options.request_id"}),
          Case::Invalid("an etag that is no etag", [](auto& r) { r.set_etag("W/abc"); }, {"etag"}),
          Case::Refused(
              "a stale etag", [](auto& r) { r.set_etag("1"); }, kAborted, "ETAG_MISMATCH"),
          Case::Refused(
              "a second answer without a reason",
              [&](auto& r) { answer(r)->set_body(Name("committees", "grundskolenamnden")); },
              kPrecondition, "ANSWER_ALREADY_RECORDED"),
          Case::Refused(
              "an unknown consultation",
              [](auto& r) { r.set_consultation(Name("consultations", "finns-inte")); }, kNotFound,
              "RESOURCE_NOT_FOUND"),
      });
}

TEST_F(ConsultationsApiTest, BodyNotAskedIsExplainedInTheCallersLanguage) {
  CreateConsultation(*stub_, ConsultationRequest(kId));
  const v1::RecordConsultationAnswerRequest r =
      AnswerRequest(Round(), AnswerOf("kommunstyrelsen", D(2019, 3, 1)), "ks");
  for (Lang lang : {Lang::kSv, Lang::kEn}) {
    const grpc::Status s =
        Call(*stub_, &v1::Registry::Stub::RecordConsultationAnswer, r, kActor, lang);
    ASSERT_TRUE(IsInvalid(s, {"answer.body"}));
    EXPECT_THAT(BadRequestOf(s).field_violations(0).description(),
                ::testing::HasSubstr(lang == Lang::kEn ? "was not asked in STK-2018-90"
                                                       : "är inte remissinstans i STK-2018-90"));
  }
}

TEST_F(ConsultationsApiTest, UpdateAppliesTheMaskAndChecksTheEtag) {
  CreateConsultation(*stub_, ConsultationRequest(kId));
  MustRecord(Round(), "fritidsnamnden", D(2019, 4, 1));  // etag 2

  v1::UpdateConsultationRequest update;
  update.mutable_consultation()->set_name(Round());
  update.mutable_consultation()->set_etag("2");
  update.mutable_consultation()->set_title("Samordnad medborgardialog");
  *update.mutable_consultation()->mutable_deadline() = D(2019, 8, 31);
  update.mutable_consultation()->add_questions("Ignored: not in the mask");
  update.mutable_update_mask()->add_paths("title");
  update.mutable_update_mask()->add_paths("deadline");
  update.mutable_options()->set_request_id("update-1");
  v1::Consultation updated;
  ASSERT_TRUE(stub_->UpdateConsultation(Ctx().get(), update, &updated).ok());
  EXPECT_EQ(updated.title(), "Samordnad medborgardialog");
  EXPECT_EQ(updated.deadline().SerializeAsString(), D(2019, 8, 31).SerializeAsString());
  EXPECT_THAT(updated.questions(), SizeIs(3));
  EXPECT_THAT(updated.bodies(), SizeIs(5));
  EXPECT_THAT(updated.answers(), SizeIs(1));  // answers survive updates
  EXPECT_EQ(updated.etag(), "3");
  EXPECT_EQ(updated.version(), 3);
  EXPECT_EQ(Get(Round()).SerializeAsString(), updated.SerializeAsString());

  // The same etag again is stale.
  update.mutable_options()->set_request_id("update-2");
  const grpc::Status stale = Call(*stub_, &v1::Registry::Stub::UpdateConsultation, update);
  EXPECT_TRUE(IsError(stale, kAborted, "ETAG_MISMATCH"));
  EXPECT_EQ(MetadataOf(stale, "expected_etag"), "2");
  EXPECT_EQ(MetadataOf(stale, "current_etag"), "3");

  // Without an etag there is no check; an empty mask takes the fields that are set.
  v1::UpdateConsultationRequest partial;
  partial.mutable_consultation()->set_name(Round());
  partial.mutable_consultation()->add_bodies(Name("committees", "fritidsnamnden"));
  partial.mutable_consultation()->add_bodies(Name("committees", "kommunstyrelsen"));
  partial.mutable_options()->set_request_id("update-3");
  ASSERT_TRUE(stub_->UpdateConsultation(Ctx().get(), partial, &updated).ok());
  EXPECT_THAT(updated.bodies(), ElementsAre(Name("committees", "fritidsnamnden"),
                                            Name("committees", "kommunstyrelsen")));
  EXPECT_EQ(updated.title(), "Samordnad medborgardialog");
  EXPECT_EQ(updated.etag(), "4");
  EXPECT_THAT(HistoryOf(Round()), ElementsAre("samrad.registry.v1.ConsultationOpened",
                                              "samrad.registry.v1.ConsultationAnswerRecorded",
                                              "samrad.registry.v1.ConsultationUpdated",
                                              "samrad.registry.v1.ConsultationUpdated"));
}

TEST_F(ConsultationsApiTest, BodiesAskedBeforeTheyRetiredStayValid) {
  CreateCommittee(*stub_, "nedlagda-namnden");
  CreateConsultation(*stub_, ConsultationRequest(kId, {"kulturnamnden", "nedlagda-namnden"}));
  RetireCommittee(*stub_, "nedlagda-namnden");
  v1::UpdateConsultationRequest update;
  update.mutable_consultation()->set_name(Round());
  update.mutable_consultation()->add_bodies(Name("committees", "nedlagda-namnden"));
  update.mutable_consultation()->add_bodies(Name("committees", "miljonamnden"));
  update.mutable_update_mask()->add_paths("bodies");
  update.mutable_options()->set_request_id("keep-retired");
  v1::Consultation out;
  const grpc::Status s = stub_->UpdateConsultation(Ctx().get(), update, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(out.bodies(), SizeIs(2));
  // A retired body may still answer the round it was asked in.
  EXPECT_THAT(MustRecord(Round(), "nedlagda-namnden", D(2019, 3, 4)).answers(), SizeIs(1));
}

TEST_F(ConsultationsApiTest, UpdateErrors) {
  CreateConsultation(*stub_, ConsultationRequest(kId));
  MustRecord(Round(), "fritidsnamnden", D(2019, 4, 1));  // etag 2
  CreateCommittee(*stub_, "nedlagda-namnden");
  RetireCommittee(*stub_, "nedlagda-namnden");
  v1::UpdateConsultationRequest base;
  base.mutable_consultation()->set_name(Round());
  base.mutable_consultation()->set_etag("2");
  base.mutable_consultation()->set_title("Ny titel");
  base.mutable_update_mask()->add_paths("title");
  base.mutable_options()->set_request_id("update");
  using Case = ErrorCase<v1::UpdateConsultationRequest>;
  auto consultation = [](v1::UpdateConsultationRequest& r) { return r.mutable_consultation(); };
  auto mask = [](v1::UpdateConsultationRequest& r, std::vector<std::string> paths) {
    r.mutable_update_mask()->clear_paths();
    for (auto& p : paths) r.mutable_update_mask()->add_paths(p);
  };
  auto bodies = [&](v1::UpdateConsultationRequest& r, std::vector<std::string> ids) {
    mask(r, {"bodies"});
    for (const auto& id : ids) consultation(r)->add_bodies(Name("committees", id));
  };
  ExpectRefused(
      &v1::Registry::Stub::UpdateConsultation, base,
      {
          Case::Invalid("answers are output only", [&](auto& r) { mask(r, {"answers"}); },
                        {"update_mask"}),
          Case::Invalid("the name is not updatable", [&](auto& r) { mask(r, {"name"}); },
                        {"update_mask"}),
          Case::Invalid("an unknown path", [&](auto& r) { mask(r, {"colour"}); }, {"update_mask"}),
          Case::Invalid("a wildcard with other paths",
                        [&](auto& r) {
                          mask(r, {"*", "title"});
                        },
                        {"update_mask"}),
          Case::Invalid("a masked title that is blank",
                        [&](auto& r) { consultation(r)->clear_title(); }, {"consultation.title"}),
          Case::Invalid("a masked case number that is malformed",
                        [&](auto& r) {
                          mask(r, {"case_number"});
                          consultation(r)->set_case_number("90");
                        },
                        {"consultation.case_number"}),
          Case::Invalid("a masked deadline before the stored start",
                        [&](auto& r) {
                          mask(r, {"deadline"});
                          *consultation(r)->mutable_deadline() = D(2019, 1, 31);
                        },
                        {"consultation.deadline"}),
          Case::Invalid("a masked period that ends before it starts",
                        [&](auto& r) {
                          mask(r, {"start_date", "deadline"});
                          *consultation(r)->mutable_start_date() = D(2019, 3, 1);
                          *consultation(r)->mutable_deadline() = D(2019, 2, 1);
                        },
                        {"consultation.deadline"}),
          Case::Invalid("removing a body that has answered",
                        [&](auto& r) { bodies(r, {"kulturnamnden"}); }, {"consultation.bodies"}),
          Case::Invalid("no bodies at all", [&](auto& r) { bodies(r, {}); },
                        {"consultation.bodies"}),
          Case::Invalid("a new body that does not exist",
                        [&](auto& r) {
                          bodies(r, {"fritidsnamnden", "finns-inte"});
                        },
                        {"consultation.bodies[1]"}),
          Case::Invalid("no name", [&](auto& r) { consultation(r)->clear_name(); },
                        {"consultation.name"}),
          Case::Invalid("a name of another collection",
                        [&](auto& r) { consultation(r)->set_name(Name("dialogues", kId)); },
                        {"consultation.name"}),
          Case::Invalid("an etag that is no etag",
                        [&](auto& r) { consultation(r)->set_etag("two"); }, {"consultation.etag"}),
          Case::Invalid("no request id", [](auto& r) { r.mutable_options()->clear_request_id(); },
                        {"options.request_id"}),
          Case::Refused(
              "a new body that is retired",
              [&](auto& r) {
                bodies(r, {"fritidsnamnden", "nedlagda-namnden"});
              },
              kPrecondition, "COMMITTEE_RETIRED"),
          Case::Refused(
              "a stale etag", [&](auto& r) { consultation(r)->set_etag("1"); }, kAborted,
              "ETAG_MISMATCH"),
          Case::Refused(
              "an unknown consultation",
              [&](auto& r) {
                consultation(r)->set_name(Name("consultations", "finns-inte"));
                consultation(r)->clear_etag();
              },
              kNotFound, "RESOURCE_NOT_FOUND"),
      });
}

TEST_F(ConsultationsApiTest, OverdueBodiesAsOfADate) {
  CreateConsultation(*stub_, ConsultationRequest(kId));  // deadline 2019-06-28
  v1::CreateConsultationRequest later =
      ConsultationRequest("ks-2019-7", {"servicenamnden", "tekniska-namnden"});
  *later.mutable_consultation()->mutable_deadline() = D(2019, 9, 30);
  CreateConsultation(*stub_, later);
  MustRecord(Round(), "forskolenamnden", D(2019, 6, 1));
  MustRecord(Round(), "kulturnamnden", D(2019, 6, 28));

  EXPECT_THAT(OverdueOn(D(2019, 3, 1)), IsEmpty());
  EXPECT_THAT(OverdueOn(D(2019, 6, 28)), IsEmpty());  // the deadline day itself
  EXPECT_THAT(OverdueOn(D(2019, 6, 29)), ElementsAre(Overdue{"stk-2018-90", "fritidsnamnden", 1},
                                                     Overdue{"stk-2018-90", "grundskolenamnden", 1},
                                                     Overdue{"stk-2018-90", "miljonamnden", 1}));
  EXPECT_THAT(OverdueOn(D(2019, 10, 1)),
              ElementsAre(Overdue{"ks-2019-7", "servicenamnden", 1},
                          Overdue{"ks-2019-7", "tekniska-namnden", 1},
                          Overdue{"stk-2018-90", "fritidsnamnden", 95},
                          Overdue{"stk-2018-90", "grundskolenamnden", 95},
                          Overdue{"stk-2018-90", "miljonamnden", 95}));

  // A late answer takes the body off the list.
  MustRecord(Round(), "grundskolenamnden", D(2019, 7, 15));
  EXPECT_THAT(OverdueOn(D(2019, 7, 16)), ElementsAre(Overdue{"stk-2018-90", "fritidsnamnden", 18},
                                                     Overdue{"stk-2018-90", "miljonamnden", 18}));

  // Every field of an overdue body.
  v1::ListOverdueBodiesRequest r;
  r.set_parent(kTenant);
  *r.mutable_date() = D(2019, 7, 16);
  v1::ListOverdueBodiesResponse out;
  ASSERT_TRUE(stub_->ListOverdueBodies(Ctx().get(), r, &out).ok());
  ASSERT_THAT(out.overdue(), SizeIs(2));
  EXPECT_EQ(out.overdue(0).consultation(), Round());
  EXPECT_EQ(out.overdue(0).case_number(), "STK-2018-90");
  EXPECT_EQ(out.overdue(0).body(), Name("committees", "fritidsnamnden"));
  EXPECT_EQ(out.overdue(0).deadline().SerializeAsString(), D(2019, 6, 28).SerializeAsString());

  // Without a date: today, long after these deadlines.
  r.clear_date();
  ASSERT_TRUE(stub_->ListOverdueBodies(Ctx().get(), r, &out).ok());
  EXPECT_THAT(out.overdue(), SizeIs(4));
  EXPECT_GT(out.overdue(0).days_overdue(), 1000);
}

// The list for a past date is the list as it stood on that date: a body that answered
// later (by its received_date) was still overdue then (issue 8: with date 2019-07-01, a
// body that answered only on 2019-08-22 was not listed).
TEST_F(ConsultationsApiTest, OverdueOnAPastDateCountsOnlyAnswersReceivedByThen) {
  CreateConsultation(*stub_, ConsultationRequest(kId));  // deadline 2019-06-28
  MustRecord(Round(), "fritidsnamnden", D(2019, 6, 3));
  MustRecord(Round(), "forskolenamnden", D(2019, 7, 1));
  MustRecord(Round(), "grundskolenamnden", D(2019, 8, 22));
  MustRecord(Round(), "kulturnamnden", D(2019, 8, 22));

  EXPECT_THAT(OverdueOn(D(2019, 7, 1)),
              ElementsAre(Overdue{kId, "grundskolenamnden", 3}, Overdue{kId, "kulturnamnden", 3},
                          Overdue{kId, "miljonamnden", 3}));
  EXPECT_THAT(OverdueOn(D(2019, 8, 21)),
              ElementsAre(Overdue{kId, "grundskolenamnden", 54}, Overdue{kId, "kulturnamnden", 54},
                          Overdue{kId, "miljonamnden", 54}));
  EXPECT_THAT(OverdueOn(D(2019, 8, 22)), ElementsAre(Overdue{kId, "miljonamnden", 55}));
}

TEST_F(ConsultationsApiTest, ReadErrors) {
  CreateConsultation(*stub_, ConsultationRequest(kId));
  {
    using Case = ErrorCase<v1::ListOverdueBodiesRequest>;
    v1::ListOverdueBodiesRequest base;
    base.set_parent(kTenant);
    *base.mutable_date() = D(2019, 7, 1);
    ExpectRefused(&v1::Registry::Stub::ListOverdueBodies, base,
                  {
                      Case::Invalid("a date that is no date",
                                    [](auto& r) { *r.mutable_date() = D(2019, 2, 29); }, {"date"}),
                      Case::Invalid("a partial date", [](auto& r) { r.mutable_date()->set_day(0); },
                                    {"date"}),
                      Case::Invalid("a parent that is no tenant",
                                    [](auto& r) { r.set_parent("1280"); }, {"parent"}),
                      Case::Refused(
                          "an unknown tenant", [](auto& r) { r.set_parent("tenants/9999"); },
                          kNotFound, "TENANT_NOT_FOUND"),
                  });
  }
  {
    using Case = ErrorCase<v1::GetConsultationRequest>;
    v1::GetConsultationRequest base;
    base.set_name(Round());
    ExpectRefused(&v1::Registry::Stub::GetConsultation, base,
                  {
                      Case::Invalid("no name", [](auto& r) { r.clear_name(); }, {"name"}),
                      Case::Invalid("a name of another collection",
                                    [](auto& r) { r.set_name(Name("committees", kId)); }, {"name"}),
                      Case::Refused(
                          "an unknown consultation",
                          [](auto& r) { r.set_name(Name("consultations", "finns-inte")); },
                          kNotFound, "RESOURCE_NOT_FOUND"),
                      Case::Refused(
                          "an unknown tenant",
                          [](auto& r) { r.set_name("tenants/9999/consultations/stk-2018-90"); },
                          kNotFound, "RESOURCE_NOT_FOUND"),
                  });
  }
  {
    using Case = ErrorCase<v1::ListConsultationsRequest>;
    v1::ListConsultationsRequest base;
    base.set_parent(kTenant);
    ExpectRefused(&v1::Registry::Stub::ListConsultations, base,
                  {
                      Case::Invalid("a parent that is no tenant",
                                    [](auto& r) { r.set_parent("tenants"); }, {"parent"}),
                      Case::Refused(
                          "an unknown tenant", [](auto& r) { r.set_parent("tenants/9999"); },
                          kNotFound, "TENANT_NOT_FOUND"),
                      {"a negative page size",
                       [](auto& r) { r.set_page_size(-1); },
                       grpc::StatusCode::INVALID_ARGUMENT,
                       "PAGE_SIZE_NEGATIVE",
                       {"page_size"},
                       kApiDomain},
                      {"a page token that is no token",
                       [](auto& r) { r.set_page_token("bm90IGEgdG9rZW4"); },
                       grpc::StatusCode::INVALID_ARGUMENT,
                       "INVALID_PAGE_TOKEN",
                       {"page_token"},
                       kApiDomain},
                  });
  }
}

}  // namespace
}  // namespace samrad::registry::apitest
