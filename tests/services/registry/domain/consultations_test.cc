// Consultation rounds (remiss): opening, updating, answers and overdue bodies
// (decide.h "Consultations"; consultations.h).

#include "services/registry/domain/consultations.h"

#include <string>
#include <vector>

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

// The STK-2018-90 round, among the small Malmö's three committees.
v1::CreateConsultationRequest Remiss() {
  v1::CreateConsultationRequest r;
  r.set_parent(kTenant);
  r.set_consultation_id("stk-2018-90");
  v1::Consultation* c = r.mutable_consultation();
  c->set_case_number("STK-2018-90");
  c->set_title("Uppdrag budget 2018: modeller för samordnad medborgardialog");
  c->add_questions(
      "Synpunkter och förslag på hur samordnad medborgardialog bäst organiseras "
      "i staden.");
  c->add_questions("Synpunkter på föreslagna aktiviteter.");
  c->add_questions("Beskrivning av eventuella konsekvenser för nämndernas verksamhet.");
  c->add_bodies(CommitteeName("fritidsnamnden"));
  c->add_bodies(CommitteeName("grundskolenamnden"));
  c->add_bodies(CommitteeName("miljonamnden"));
  *c->mutable_start_date() = D(2019, 2, 19);
  *c->mutable_deadline() = D(2019, 6, 28);
  *r.mutable_options() = Options();
  return r;
}

v1::RecordConsultationAnswerRequest Answer(std::string body, google::type::Date received,
                                           std::string reason = "") {
  v1::RecordConsultationAnswerRequest r;
  r.set_consultation(ConsultationName("stk-2018-90"));
  v1::ConsultationAnswer* a = r.mutable_answer();
  a->set_body(CommitteeName(body));
  a->set_summary("Nämnden är positiv till ett förvaltningsövergripande nätverk.");
  a->set_decision_reference("§ 85");
  v1::AnswerPoint* p = a->add_points();
  p->set_tag(v1::PROPOSAL);
  p->set_text("Samordna medborgarförslag som riktar sig till flera nämnder");
  *a->mutable_received_date() = received;
  *r.mutable_options() = Options("answer", std::move(reason));
  return r;
}

class ConsultationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = SmallMalmo();
    ApplyOrFail(registry_, Decide(registry_, Remiss(), Ctx(D(2019, 2, 19))));
  }
  InMemoryRegistry registry_;
};

TEST_F(ConsultationTest, OpensWithoutAnswers) {
  InMemoryRegistry registry = SmallMalmo();
  v1::CreateConsultationRequest r = Remiss();
  r.mutable_consultation()->add_answers()->set_body(CommitteeName("fritidsnamnden"));
  const DecideResult result = ExpectOk(Decide(registry, r, Ctx()));
  ASSERT_THAT(EventCases(result), ElementsAre("consultation_opened"));
  const v1::Consultation& c = result.events[0].consultation_opened().consultation();
  EXPECT_EQ(c.name(), ConsultationName("stk-2018-90"));
  EXPECT_EQ(c.answers_size(), 0);
  EXPECT_EQ(c.bodies_size(), 3);
  EXPECT_EQ(Decide(registry_, Remiss(), Ctx()).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(ConsultationTest, UnknownAndRetiredBodies) {
  v1::CreateConsultationRequest r = Remiss();
  r.set_consultation_id("stk-2018-852");
  r.mutable_consultation()->add_bodies(CommitteeName("nojesnamnden"));
  const absl::StatusOr<DecideResult> unknown = Decide(registry_, r, Ctx());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationsOf(unknown.status()),
              ElementsAre(FieldReason{"consultation.bodies[3]", "REFERENCE_NOT_FOUND"}));

  v1::RetireCommitteeRequest retire;
  retire.set_name(CommitteeName("miljonamnden"));
  *retire.mutable_options() = Options();
  ApplyOrFail(registry_, Decide(registry_, retire, Ctx()));
  r.mutable_consultation()->mutable_bodies()->RemoveLast();
  const absl::StatusOr<DecideResult> retired = Decide(registry_, r, Ctx());
  EXPECT_EQ(retired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(retired.status()), "COMMITTEE_RETIRED");
  EXPECT_EQ(MetadataOf(retired.status())["field"], "consultation.bodies[2]");
}

TEST_F(ConsultationTest, AnswerTable) {
  ApplyOrFail(registry_,
              Decide(registry_, Answer("fritidsnamnden", D(2019, 6, 3)), Ctx(D(2019, 6, 3))));
  struct Row {
    std::string name;
    v1::RecordConsultationAnswerRequest request;
    absl::StatusCode code;
    std::string reason;
    std::vector<FieldReason> violations;
  };
  v1::RecordConsultationAnswerRequest unknown_round = Answer("miljonamnden", D(2019, 6, 1));
  unknown_round.set_consultation(ConsultationName("stk-2018-852"));
  const std::vector<Row> rows = {
      {"a body that was asked",
       Answer("miljonamnden", D(2019, 6, 27)),
       absl::StatusCode::kOk,
       "",
       {}},
      {"late answer is recorded",
       Answer("miljonamnden", D(2019, 8, 15)),
       absl::StatusCode::kOk,
       "",
       {}},
      {"a body that was not asked",
       Answer("kommunstyrelsen", D(2019, 6, 1)),
       absl::StatusCode::kInvalidArgument,
       "BODY_NOT_ASKED",
       {{"answer.body", "BODY_NOT_ASKED"}}},
      {"a committee that does not exist",
       Answer("nojesnamnden", D(2019, 6, 1)),
       absl::StatusCode::kInvalidArgument,
       "BODY_NOT_ASKED",
       {{"answer.body", "BODY_NOT_ASKED"}}},
      {"received before the round opened",
       Answer("miljonamnden", D(2019, 2, 18)),
       absl::StatusCode::kInvalidArgument,
       "BEFORE_START",
       {{"answer.received_date", "BEFORE_START"}}},
      {"received in the future",
       Answer("miljonamnden", D(2020, 2, 7)),
       absl::StatusCode::kInvalidArgument,
       "IN_FUTURE",
       {{"answer.received_date", "IN_FUTURE"}}},
      {"second answer from the same body",
       Answer("fritidsnamnden", D(2019, 6, 10)),
       absl::StatusCode::kFailedPrecondition,
       "ANSWER_ALREADY_RECORDED",
       {}},
      {"explicit correction with a reason",
       Answer("fritidsnamnden", D(2019, 6, 10), "Rättelse: fel paragraf i protokollsutdraget"),
       absl::StatusCode::kOk,
       "",
       {}},
      {"unknown round", unknown_round, absl::StatusCode::kNotFound, "RESOURCE_NOT_FOUND", {}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const absl::StatusOr<DecideResult> result = Decide(registry_, row.request, Ctx());
    EXPECT_EQ(result.status().code(), row.code) << result.status();
    if (result.ok()) {
      ASSERT_THAT(EventCases(*result), ElementsAre("consultation_answer_recorded"));
      EXPECT_EQ(result->events[0].consultation_answer_recorded().answer().body(),
                row.request.answer().body());
    } else {
      EXPECT_EQ(ReasonOf(result.status()), row.reason);
      EXPECT_THAT(ViolationsOf(result.status()), ElementsAreArray(row.violations));
    }
  }
}

TEST_F(ConsultationTest, CorrectionReplacesTheAnswer) {
  ApplyOrFail(registry_, Decide(registry_, Answer("fritidsnamnden", D(2019, 6, 3)), Ctx()));
  v1::RecordConsultationAnswerRequest correction =
      Answer("fritidsnamnden", D(2019, 6, 10), "Rättelse");
  correction.mutable_answer()->set_decision_reference("§ 86");
  ApplyOrFail(registry_, Decide(registry_, correction, Ctx()));
  const v1::Consultation c = *registry_.GetConsultation(ConsultationName("stk-2018-90"));
  ASSERT_EQ(c.answers_size(), 1);
  EXPECT_EQ(c.answers(0).decision_reference(), "§ 86");
}

TEST_F(ConsultationTest, UpdateTable) {
  ApplyOrFail(registry_, Decide(registry_, Answer("fritidsnamnden", D(2019, 6, 3)), Ctx()));
  const auto update = [](std::vector<std::string> paths, auto patch) {
    v1::UpdateConsultationRequest r;
    r.mutable_consultation()->set_name(ConsultationName("stk-2018-90"));
    patch(*r.mutable_consultation());
    for (auto& p : paths) r.mutable_update_mask()->add_paths(p);
    *r.mutable_options() = Options();
    return r;
  };
  struct Row {
    std::string name;
    v1::UpdateConsultationRequest request;
    absl::StatusCode code;
    std::vector<FieldReason> violations;
  };
  const std::vector<Row> rows = {
      {"extend the deadline",
       update({"deadline"}, [](v1::Consultation& c) { *c.mutable_deadline() = D(2019, 8, 30); }),
       absl::StatusCode::kOk,
       {}},
      {"deadline before the stored start",
       update({"deadline"}, [](v1::Consultation& c) { *c.mutable_deadline() = D(2019, 1, 31); }),
       absl::StatusCode::kInvalidArgument,
       {{"consultation.deadline", "END_BEFORE_START"}}},
      {"remove a body that has answered",
       update({"bodies"},
              [](v1::Consultation& c) { c.add_bodies(CommitteeName("grundskolenamnden")); }),
       absl::StatusCode::kInvalidArgument,
       {{"consultation.bodies", "BODY_HAS_ANSWERED"}}},
      {"add a body",
       update({"bodies"},
              [](v1::Consultation& c) {
                for (const char* id :
                     {"fritidsnamnden", "grundskolenamnden", "miljonamnden", "kommunstyrelsen"}) {
                  c.add_bodies(CommitteeName(id));
                }
              }),
       absl::StatusCode::kOk,
       {}},
      {"add an unknown body",
       update({"bodies"},
              [](v1::Consultation& c) {
                for (const char* id : {"fritidsnamnden", "nojesnamnden"}) {
                  c.add_bodies(CommitteeName(id));
                }
              }),
       absl::StatusCode::kInvalidArgument,
       {{"consultation.bodies[1]", "REFERENCE_NOT_FOUND"}}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const absl::StatusOr<DecideResult> result = Decide(registry_, row.request, Ctx());
    EXPECT_EQ(result.status().code(), row.code) << result.status();
    EXPECT_THAT(ViolationsOf(result.status()), ElementsAreArray(row.violations));
    if (result.ok()) {
      // Answers are kept in the snapshot the event carries.
      EXPECT_EQ(result->events[0].consultation_updated().consultation().answers_size(), 1);
    }
  }
}

TEST_F(ConsultationTest, OverdueAcrossTheDeadline) {
  ApplyOrFail(registry_, Decide(registry_, Answer("fritidsnamnden", D(2019, 6, 3)), Ctx()));
  const v1::Consultation c = *registry_.GetConsultation(ConsultationName("stk-2018-90"));
  struct Row {
    std::string name;
    google::type::Date today;
    std::vector<std::string> bodies;
    int days;
  };
  const std::vector<Row> rows = {
      {"before the deadline", D(2019, 6, 1), {}, 0},
      {"on the deadline", D(2019, 6, 28), {}, 0},
      {"the day after",
       D(2019, 6, 29),
       {CommitteeName("grundskolenamnden"), CommitteeName("miljonamnden")},
       1},
      {"across a month",
       D(2019, 7, 28),
       {CommitteeName("grundskolenamnden"), CommitteeName("miljonamnden")},
       30},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const std::vector<v1::OverdueBody> overdue = OverdueBodies(c, row.today);
    std::vector<std::string> bodies;
    for (const v1::OverdueBody& o : overdue) {
      bodies.push_back(o.body());
      EXPECT_EQ(o.days_overdue(), row.days);
      EXPECT_EQ(o.case_number(), "STK-2018-90");
      EXPECT_EQ(o.consultation(), ConsultationName("stk-2018-90"));
      EXPECT_EQ(FormatDate(o.deadline()), "2019-06-28");
    }
    EXPECT_THAT(bodies, ElementsAreArray(row.bodies));
  }
  ApplyOrFail(registry_, Decide(registry_, Answer("grundskolenamnden", D(2019, 7, 1)), Ctx()));
  ApplyOrFail(registry_, Decide(registry_, Answer("miljonamnden", D(2019, 7, 2)), Ctx()));
  EXPECT_THAT(
      OverdueBodies(*registry_.GetConsultation(ConsultationName("stk-2018-90")), D(2019, 7, 28)),
      IsEmpty());
}

// A past date is judged by the answers' received dates, not by today's state: a body that
// answered only after `date` was still overdue on `date` (issue 8, found by an independent
// client: 2019-07-01 did not list a body that answered on 2019-08-22).
TEST(OverdueBodiesTest, JudgesAnswersAsOfTheDate) {
  v1::Consultation c;
  c.set_name(ConsultationName("stk-2018-90"));
  c.set_case_number("STK-2018-90");
  c.add_bodies(CommitteeName("fritidsnamnden"));
  c.add_bodies(CommitteeName("grundskolenamnden"));
  c.add_bodies(CommitteeName("miljonamnden"));
  *c.mutable_start_date() = D(2019, 2, 19);
  *c.mutable_deadline() = D(2019, 6, 28);
  auto answer = [&](const std::string& body, google::type::Date received) {
    v1::ConsultationAnswer* a = c.add_answers();
    a->set_body(CommitteeName(body));
    *a->mutable_received_date() = received;
  };
  answer("fritidsnamnden", D(2019, 6, 3));      // in time
  answer("grundskolenamnden", D(2019, 8, 22));  // late
  answer("miljonamnden", D(2019, 7, 1));        // late, on the day asked about below

  struct Row {
    std::string name;
    google::type::Date date;
    std::vector<std::string> bodies;
    int days;
  };
  const std::vector<Row> rows = {
      {"before the deadline", D(2019, 6, 1), {}, 0},
      {"on the deadline", D(2019, 6, 28), {}, 0},
      {"the day after: both late bodies had not answered",
       D(2019, 6, 29),
       {CommitteeName("grundskolenamnden"), CommitteeName("miljonamnden")},
       1},
      {"an answer received on the date counts",
       D(2019, 7, 1),
       {CommitteeName("grundskolenamnden")},
       3},
      {"the day before the late answer", D(2019, 8, 21), {CommitteeName("grundskolenamnden")}, 54},
      {"the day of the late answer", D(2019, 8, 22), {}, 0},
      {"long after", D(2020, 2, 6), {}, 0},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    std::vector<std::string> bodies;
    for (const v1::OverdueBody& o : OverdueBodies(c, row.date)) {
      bodies.push_back(o.body());
      EXPECT_EQ(o.days_overdue(), row.days);
    }
    EXPECT_THAT(bodies, ElementsAreArray(row.bodies));
  }
}

TEST(OverdueBodiesTest, HadAnsweredOn) {
  v1::Consultation c;
  c.add_bodies(CommitteeName("fritidsnamnden"));
  c.add_bodies(CommitteeName("miljonamnden"));
  c.add_bodies(CommitteeName("kulturnamnden"));
  v1::ConsultationAnswer* dated = c.add_answers();
  dated->set_body(CommitteeName("fritidsnamnden"));
  *dated->mutable_received_date() = D(2019, 7, 1);
  c.add_answers()->set_body(CommitteeName("miljonamnden"));  // no received date
  struct Row {
    std::string name;
    std::string body;
    google::type::Date day;
    bool answered;
  };
  const std::vector<Row> rows = {
      {"the day before it was received", "fritidsnamnden", D(2019, 6, 30), false},
      {"the day it was received", "fritidsnamnden", D(2019, 7, 1), true},
      {"after", "fritidsnamnden", D(2019, 7, 2), true},
      {"a year boundary", "fritidsnamnden", D(2018, 12, 31), false},
      {"no received date counts as answered", "miljonamnden", D(2019, 1, 1), true},
      {"no answer", "kulturnamnden", D(2030, 1, 1), false},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(HadAnsweredOn(c, CommitteeName(row.body), row.day), row.answered);
  }
}

}  // namespace
}  // namespace samrad::registry::domain
