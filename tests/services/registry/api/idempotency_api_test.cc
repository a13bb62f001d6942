// Idempotent writes (AIP-155) through gRPC: a retry with the same request_id and payload is
// answered with the first answer and appends nothing; the same request_id with another
// payload, or from another actor, is INVALID_ARGUMENT on options.request_id and appends
// nothing. One table case per kind of write.

#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/api/registry_api_fixture.h"

namespace samrad::registry::apitest {
namespace {

constexpr char kRequestId[] = "3f0c9a52-7d3e-4c1b-9a57-1f2e8d6c4b10";

// The refusal of a reused request id: INVALID_ARGUMENT with one BadRequest violation on
// options.request_id whose reason is REQUEST_ID_REUSED (the ErrorInfo reason is the generic
// FIELD_INVALID of every invalid request).
::testing::AssertionResult IsRequestIdReused(const grpc::Status& status) {
  if (::testing::AssertionResult r = IsInvalid(status, {"options.request_id"}); !r) return r;
  const google::rpc::BadRequest::FieldViolation violation =
      BadRequestOf(status).field_violations(0);
  if (violation.reason() != "REQUEST_ID_REUSED") {
    return ::testing::AssertionFailure() << "not a reused request id: " << violation.reason();
  }
  if (violation.description().find("redan använts för en annan begäran") == std::string::npos) {
    return ::testing::AssertionFailure() << "unexpected description: " << violation.description();
  }
  return ::testing::AssertionSuccess();
}

// One kind of write: `setup` creates what it needs; `send` makes the write with
// kRequestId, with the first payload or another one, as `actor`.
struct WriteKind {
  std::string label;
  std::function<void(v1::Registry::Stub&)> setup;
  std::function<Reply(v1::Registry::Stub&, bool other_payload, const std::string& actor)> send;
};

// A WriteKind of `rpc` whose request `build(other_payload)` makes (with kRequestId set here).
template <typename Request, typename Response>
WriteKind Kind(std::string label, std::function<void(v1::Registry::Stub&)> setup,
               Rpc<Request, Response> rpc, std::function<Request(bool)> build) {
  return {std::move(label), std::move(setup),
          [rpc, build](v1::Registry::Stub& stub, bool other, const std::string& actor) {
            Request request = build(other);
            request.mutable_options()->set_request_id(kRequestId);
            return CallForReply(stub, rpc, request, actor);
          }};
}

void Nothing(v1::Registry::Stub&) {}

void Anna(v1::Registry::Stub& stub) { CreatePerson(stub, "anna", v1::ELECTED_OFFICIAL); }

void AnnasDialogue(v1::Registry::Stub& stub) {
  Anna(stub);
  CreateDialogue(stub, DialogueRequest("parker"));
}

void Eva(v1::Registry::Stub& stub) { CreatePerson(stub, "eva", v1::OFFICIAL); }

v1::AppointRepresentativeRequest Appointment(google::type::Date start) {
  v1::AppointRepresentativeRequest r;
  r.set_parent(kTenant);
  r.set_appointment_id("eva-1");
  r.mutable_appointment()->set_person(Name("people", "eva"));
  r.mutable_appointment()->set_administration(Name("administrations", "kulturforvaltningen"));
  r.mutable_appointment()->set_track(v1::TRACK_KUNSKAPSDIALOG);
  *r.mutable_appointment()->mutable_start_date() = start;
  r.mutable_options()->set_request_id("appoint-eva-1");
  return r;
}

v1::CreatePersonRequest PersonEva(bool other_email) {
  v1::CreatePersonRequest r;
  r.set_parent(kTenant);
  r.set_person_id("eva");
  r.mutable_person()->set_display_name("Eva");
  r.mutable_person()->set_email(other_email ? "eva@malmo.se" : "eva.e@malmo.se");
  r.mutable_person()->set_role(v1::OFFICIAL);
  return r;
}

std::vector<WriteKind> WriteKinds() {
  using Stub = v1::Registry::Stub;
  return {
      Kind<v1::CreateDialogueRequest, v1::CreateDialogueResponse>(
          "CreateDialogue", Anna, &Stub::CreateDialogue,
          [](bool other) {
            v1::CreateDialogueRequest r = DialogueRequest("parker");
            if (other) r.mutable_dialogue()->set_title("Andra parker");
            return r;
          }),
      Kind<v1::UpdateDialogueRequest, v1::UpdateDialogueResponse>(
          "UpdateDialogue", AnnasDialogue, &Stub::UpdateDialogue,
          [](bool other) {
            v1::UpdateDialogueRequest r;
            r.mutable_dialogue()->set_name(Name("dialogues", "parker"));
            r.mutable_dialogue()->set_etag("1");
            r.mutable_dialogue()->set_title(other ? "Parkerna i Husie" : "Parkerna i Rosengård");
            r.mutable_update_mask()->add_paths("title");
            return r;
          }),
      Kind<v1::TransitionDialogueRequest, v1::Dialogue>(
          "TransitionDialogue", AnnasDialogue, &Stub::TransitionDialogue,
          [](bool other) {
            v1::TransitionDialogueRequest r;
            r.set_name(Name("dialogues", "parker"));
            r.set_status(v1::ONGOING);
            r.set_etag("1");
            if (other) r.mutable_options()->set_reason("Startar en vecka tidigare.");
            return r;
          }),
      Kind<v1::CreatePersonRequest, v1::Person>("CreatePerson", Nothing, &Stub::CreatePerson,
                                                PersonEva),
      Kind<v1::UpdatePersonRequest, v1::Person>(
          "UpdatePerson", Eva, &Stub::UpdatePerson,
          [](bool other) {
            v1::UpdatePersonRequest r;
            r.mutable_person()->set_name(Name("people", "eva"));
            r.mutable_person()->set_display_name(other ? "Eva E." : "Eva Ek");
            r.mutable_update_mask()->add_paths("display_name");
            return r;
          }),
      Kind<v1::CreateCommitteeRequest, v1::Committee>(
          "CreateCommittee", Nothing, &Stub::CreateCommittee,
          [](bool other) {
            v1::CreateCommitteeRequest r;
            r.set_parent(kTenant);
            r.set_committee_id("valnamnden");
            r.mutable_committee()->set_display_name(other ? "Valnämnd" : "Valnämnden");
            return r;
          }),
      Kind<v1::RetireCommitteeRequest, v1::Committee>(
          "RetireCommittee", [](Stub& stub) { CreateCommittee(stub, "valnamnden"); },
          &Stub::RetireCommittee,
          [](bool other) {
            v1::RetireCommitteeRequest r;
            r.set_name(Name("committees", "valnamnden"));
            r.mutable_options()->set_reason(other ? "Slås ihop." : "Läggs ned.");
            return r;
          }),
      Kind<v1::CreateAdministrationRequest, v1::Administration>(
          "CreateAdministration", Nothing, &Stub::CreateAdministration,
          [](bool other) {
            v1::CreateAdministrationRequest r;
            r.set_parent(kTenant);
            r.set_administration_id("valkansliet");
            r.mutable_administration()->set_display_name(other ? "Valkansli" : "Valkansliet");
            return r;
          }),
      Kind<v1::CreateConsultationRequest, v1::Consultation>(
          "CreateConsultation", Nothing, &Stub::CreateConsultation,
          [](bool other) {
            v1::CreateConsultationRequest r = ConsultationRequest("stk-2018-90");
            if (other) r.mutable_consultation()->set_title("Remiss om samordning");
            return r;
          }),
      Kind<v1::UpdateConsultationRequest, v1::Consultation>(
          "UpdateConsultation",
          [](Stub& stub) { CreateConsultation(stub, ConsultationRequest("stk-2018-90")); },
          &Stub::UpdateConsultation,
          [](bool other) {
            v1::UpdateConsultationRequest r;
            r.mutable_consultation()->set_name(Name("consultations", "stk-2018-90"));
            r.mutable_consultation()->set_etag("1");
            *r.mutable_consultation()->mutable_deadline() = other ? D(2019, 9, 1) : D(2019, 8, 1);
            r.mutable_update_mask()->add_paths("deadline");
            return r;
          }),
      Kind<v1::RecordConsultationAnswerRequest, v1::Consultation>(
          "RecordConsultationAnswer",
          [](Stub& stub) { CreateConsultation(stub, ConsultationRequest("stk-2018-90")); },
          &Stub::RecordConsultationAnswer,
          [](bool other) {
            v1::RecordConsultationAnswerRequest r;
            r.set_consultation(Name("consultations", "stk-2018-90"));
            *r.mutable_answer() = AnswerOf("kulturnamnden", D(2019, 5, 14));
            if (other) r.mutable_answer()->set_summary("Nämnden avstår från att yttra sig.");
            return r;
          }),
      Kind<v1::AppointRepresentativeRequest, v1::Appointment>(
          "AppointRepresentative", Eva, &Stub::AppointRepresentative,
          [](bool other) { return Appointment(other ? D(2020, 2, 1) : D(2020, 3, 1)); }),
      Kind<v1::EndAppointmentRequest, v1::Appointment>(
          "EndAppointment",
          [](Stub& stub) {
            Eva(stub);
            v1::Appointment out;
            ASSERT_TRUE(
                stub.AppointRepresentative(Ctx().get(), Appointment(D(2020, 3, 1)), &out).ok());
          },
          &Stub::EndAppointment,
          [](bool other) {
            v1::EndAppointmentRequest r;
            r.set_name(Name("appointments", "eva-1"));
            *r.mutable_end_date() = other ? D(2021, 6, 30) : D(2021, 12, 31);
            return r;
          }),
  };
}

class IdempotencyApiTest : public RegistryApiTest,
                           public ::testing::WithParamInterface<WriteKind> {};

TEST_P(IdempotencyApiTest, RetryIsAnsweredAndReuseIsRefusedWithoutAppending) {
  const WriteKind& kind = GetParam();
  ASSERT_NO_FATAL_FAILURE(kind.setup(*stub_));
  const Reply first = kind.send(*stub_, false, kActor);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  const int64_t appended = HighWatermark();

  const Reply retry = kind.send(*stub_, false, kActor);
  ASSERT_TRUE(retry.status.ok()) << retry.status.error_message();
  EXPECT_EQ(retry.response, first.response) << "a retry gets the first answer";
  EXPECT_EQ(HighWatermark(), appended) << "a retry appends nothing";

  EXPECT_TRUE(IsRequestIdReused(kind.send(*stub_, true, kActor).status));
  EXPECT_EQ(HighWatermark(), appended);

  // The request id is bound to the actor too: somebody else's "retry" is refused.
  EXPECT_TRUE(IsRequestIdReused(kind.send(*stub_, false, "bo.berg").status));
  EXPECT_EQ(HighWatermark(), appended);
}

INSTANTIATE_TEST_SUITE_P(EveryWrite, IdempotencyApiTest, ::testing::ValuesIn(WriteKinds()),
                         [](const auto& info) { return info.param.label; });

TEST_F(IdempotencyApiTest, RetryAfterLaterChangesReturnsTheFirstAnswer) {
  Anna(*stub_);
  const v1::CreateDialogueRequest create = DialogueRequest("parker");
  const v1::CreateDialogueResponse created = CreateDialogue(*stub_, create);
  auto update = [&](const std::string& title, const std::string& etag) {
    v1::UpdateDialogueRequest r;
    r.mutable_dialogue()->set_name(created.dialogue().name());
    r.mutable_dialogue()->set_etag(etag);
    r.mutable_dialogue()->set_title(title);
    r.mutable_update_mask()->add_paths("title");
    r.mutable_options()->set_request_id("update-" + etag);
    return r;
  };
  const Reply updated = CallForReply(*stub_, &v1::Registry::Stub::UpdateDialogue, update("B", "1"));
  ASSERT_TRUE(updated.status.ok());
  ASSERT_TRUE(Call(*stub_, &v1::Registry::Stub::UpdateDialogue, update("C", "2")).ok());
  const int64_t appended = HighWatermark();

  // Both retries are answered as of their own version, not with today's state.
  const Reply create_again = CallForReply(*stub_, &v1::Registry::Stub::CreateDialogue, create);
  ASSERT_TRUE(create_again.status.ok());
  EXPECT_EQ(create_again.response, created.SerializeAsString());
  const Reply update_again =
      CallForReply(*stub_, &v1::Registry::Stub::UpdateDialogue, update("B", "1"));
  ASSERT_TRUE(update_again.status.ok());
  EXPECT_EQ(update_again.response, updated.response);
  v1::UpdateDialogueResponse answer;
  ASSERT_TRUE(answer.ParseFromString(update_again.response));
  EXPECT_EQ(answer.dialogue().title(), "B");
  EXPECT_EQ(answer.dialogue().etag(), "2");
  EXPECT_EQ(HighWatermark(), appended);
}

TEST_F(IdempotencyApiTest, RetriesAnswerWithTheSameWarningsAndHints) {
  Anna(*stub_);
  CreateDialogue(*stub_, DialogueRequest("parker"));
  // Kulturförvaltningen's effort in the same place and time, through a channel that is not
  // usual for a medborgardialog (kontaktcenter is for kommunvägledning).
  v1::CreateDialogueRequest create = DialogueRequest("kultur");
  create.mutable_dialogue()->set_lead_administration(
      Name("administrations", "kulturforvaltningen"));
  create.mutable_dialogue()->add_channels(Name("channels", "kontaktcenter"));
  const Reply first = CallForReply(*stub_, &v1::Registry::Stub::CreateDialogue, create);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  v1::CreateDialogueResponse created;
  ASSERT_TRUE(created.ParseFromString(first.response));
  ASSERT_EQ(created.warnings_size(), 1);
  EXPECT_EQ(created.warnings(0).field(), "dialogue.channels[1]");
  EXPECT_EQ(created.warnings(0).reason(), "CHANNEL_UNUSUAL_FOR_TYPE");
  ASSERT_EQ(created.coordination_hints_size(), 1);

  v1::UpdateDialogueRequest update;
  update.mutable_dialogue()->set_name(created.dialogue().name());
  *update.mutable_dialogue()->mutable_end_date() = D(2020, 6, 30);
  update.mutable_update_mask()->add_paths("end_date");
  update.mutable_options()->set_request_id("extend");
  const Reply updated = CallForReply(*stub_, &v1::Registry::Stub::UpdateDialogue, update);
  ASSERT_TRUE(updated.status.ok()) << updated.status.error_message();
  v1::UpdateDialogueResponse answer;
  ASSERT_TRUE(answer.ParseFromString(updated.response));
  EXPECT_EQ(answer.warnings_size(), 1);
  EXPECT_EQ(answer.coordination_hints_size(), 1);

  const int64_t appended = HighWatermark();
  EXPECT_EQ(CallForReply(*stub_, &v1::Registry::Stub::CreateDialogue, create).response,
            first.response);
  EXPECT_EQ(CallForReply(*stub_, &v1::Registry::Stub::UpdateDialogue, update).response,
            updated.response);
  EXPECT_EQ(HighWatermark(), appended);
}

TEST_F(IdempotencyApiTest, RetryAfterRestartIsStillAnswered) {
  const v1::CreateConsultationRequest create = ConsultationRequest("stk-2018-90");
  const Reply first = CallForReply(*stub_, &v1::Registry::Stub::CreateConsultation, create);
  ASSERT_TRUE(first.status.ok());
  const int64_t appended = HighWatermark();
  StopModule();
  ASSERT_NO_FATAL_FAILURE(StartModule());
  const Reply retry = CallForReply(*stub_, &v1::Registry::Stub::CreateConsultation, create);
  ASSERT_TRUE(retry.status.ok()) << retry.status.error_message();
  EXPECT_EQ(retry.response, first.response);
  EXPECT_EQ(HighWatermark(), appended);
}

TEST_F(IdempotencyApiTest, RefusedWritesDoNotUseUpTheirRequestId) {
  // Refused by Decide (an unknown committee), then sent again corrected with the same id.
  v1::CreateConsultationRequest create = ConsultationRequest("stk-2018-90", {"finns-inte"});
  EXPECT_TRUE(IsInvalid(Call(*stub_, &v1::Registry::Stub::CreateConsultation, create),
                        {"consultation.bodies[0]"}));
  create.mutable_consultation()->set_bodies(0, Name("committees", "kulturnamnden"));
  ASSERT_TRUE(Call(*stub_, &v1::Registry::Stub::CreateConsultation, create).ok());

  // Refused for a stale etag, then sent again with the current one.
  v1::UpdateConsultationRequest update;
  update.mutable_consultation()->set_name(Name("consultations", "stk-2018-90"));
  update.mutable_consultation()->set_etag("5");
  update.mutable_consultation()->set_title("Remiss om samordnad dialog");
  update.mutable_options()->set_request_id("update-title");
  EXPECT_TRUE(IsError(Call(*stub_, &v1::Registry::Stub::UpdateConsultation, update),
                      grpc::StatusCode::ABORTED, "ETAG_MISMATCH"));
  update.mutable_consultation()->set_etag("1");
  ASSERT_TRUE(Call(*stub_, &v1::Registry::Stub::UpdateConsultation, update).ok());
}

TEST_F(IdempotencyApiTest, RequestIdsAreOnePerTenantAcrossKinds) {
  CreatePerson("eva", v1::OFFICIAL);  // request id "person-eva"
  v1::CreateCommitteeRequest committee;
  committee.set_parent(kTenant);
  committee.set_committee_id("valnamnden");
  committee.mutable_committee()->set_display_name("Valnämnden");
  committee.mutable_options()->set_request_id("person-eva");
  const int64_t before = HighWatermark();
  EXPECT_TRUE(IsRequestIdReused(Call(*stub_, &v1::Registry::Stub::CreateCommittee, committee)));
  EXPECT_EQ(HighWatermark(), before);
}

TEST_F(IdempotencyApiTest, RequestIdIsRequiredAndBounded) {
  v1::CreateConsultationRequest create = ConsultationRequest("stk-2018-90");
  create.mutable_options()->clear_request_id();
  const grpc::Status missing = Call(*stub_, &v1::Registry::Stub::CreateConsultation, create);
  EXPECT_TRUE(IsInvalid(missing, {"options.request_id"}));
  EXPECT_FALSE(IsRequestIdReused(missing));
  create.mutable_options()->set_request_id(std::string(129, 'r'));
  EXPECT_TRUE(IsInvalid(Call(*stub_, &v1::Registry::Stub::CreateConsultation, create),
                        {"options.request_id"}));
  create.mutable_options()->set_request_id(std::string(128, 'r'));
  EXPECT_TRUE(Call(*stub_, &v1::Registry::Stub::CreateConsultation, create).ok());
}

}  // namespace
}  // namespace samrad::registry::apitest
