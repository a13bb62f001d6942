// Table tests of request validation (validation.h): every rule with a valid and an invalid
// row and the exact field path and reason.

#include "services/registry/domain/validation.h"

#include <functional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/domain/rule_texts.h"
#include "tests/services/registry/domain/domain_test_support.h"

namespace samrad::registry::domain {
namespace {

using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using namespace testing;  // NOLINT: the test support of this directory.

template <typename Request>
struct Row {
  std::string name;
  std::function<void(Request&)> mutate;
  std::vector<FieldReason> expected;
};

template <typename Request>
void RunTable(const Request& valid, const std::vector<Row<Request>>& rows) {
  for (const Row<Request>& row : rows) {
    SCOPED_TRACE(row.name);
    Request request = valid;
    row.mutate(request);
    EXPECT_THAT(Pairs(Validate(request)), ElementsAreArray(row.expected));
  }
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// --- CreateDialogue -----------------------------------------------------------------------

TEST(ValidateCreateDialogueTest, Table) {
  using R = v1::CreateDialogueRequest;
  const auto d = [](R& r) { return r.mutable_dialogue(); };
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"parent missing", [](R& r) { r.clear_parent(); }, {{"parent", "REQUIRED"}}},
      {"parent not a tenant", [](R& r) { r.set_parent("1280"); }, {{"parent", "INVALID_NAME"}}},
      {"parent with letters",
       [](R& r) { r.set_parent("tenants/malmo"); },
       {{"parent", "INVALID_NAME"}}},
      {"id missing", [](R& r) { r.clear_dialogue_id(); }, {{"dialogue_id", "REQUIRED"}}},
      {"id with capitals and å",
       [](R& r) { r.set_dialogue_id("Lindängen"); },
       {{"dialogue_id", "INVALID_ID"}}},
      {"id starting with a digit",
       [](R& r) { r.set_dialogue_id("1lindangen"); },
       {{"dialogue_id", "INVALID_ID"}}},
      {"id of 63 characters", [](R& r) { r.set_dialogue_id("a" + Repeat("b", 62)); }, {}},
      {"id of 64 characters",
       [](R& r) { r.set_dialogue_id("a" + Repeat("b", 63)); },
       {{"dialogue_id", "INVALID_ID"}}},
      {"title missing", [&](R& r) { d(r)->clear_title(); }, {{"dialogue.title", "REQUIRED"}}},
      {"title blank", [&](R& r) { d(r)->set_title("  \t"); }, {{"dialogue.title", "REQUIRED"}}},
      {"title of 200 characters, counted as characters",
       [&](R& r) { d(r)->set_title(Repeat("å", 200)); },
       {}},
      {"title of 201 characters",
       [&](R& r) { d(r)->set_title(Repeat("a", 201)); },
       {{"dialogue.title", "TOO_LONG"}}},
      {"question missing",
       [&](R& r) { d(r)->clear_question(); },
       {{"dialogue.question", "REQUIRED"}}},
      {"question of 2000", [&](R& r) { d(r)->set_question(Repeat("ö", 2000)); }, {}},
      {"question of 2001",
       [&](R& r) { d(r)->set_question(Repeat("q", 2001)); },
       {{"dialogue.question", "TOO_LONG"}}},
      {"type unspecified",
       [&](R& r) { d(r)->set_type(v1::DIALOGUE_TYPE_UNSPECIFIED); },
       {{"dialogue.type", "UNSPECIFIED"}}},
      {"type unknown value",
       [&](R& r) { d(r)->set_type(static_cast<v1::DialogueType>(99)); },
       {{"dialogue.type", "UNKNOWN_ENUM_VALUE"}}},
      {"secondary type differs", [&](R& r) { d(r)->set_secondary_type(v1::KUNSKAPSDIALOG); }, {}},
      {"secondary type same as type",
       [&](R& r) { d(r)->set_secondary_type(v1::MEDBORGARDIALOG); },
       {{"dialogue.secondary_type", "SAME_AS_TYPE"}}},
      {"participation level unspecified",
       [&](R& r) { d(r)->set_participation_level(v1::PARTICIPATION_LEVEL_UNSPECIFIED); },
       {{"dialogue.participation_level", "UNSPECIFIED"}}},
      {"channels[2] malformed",
       [&](R& r) {
         d(r)->add_channels(ChannelName("digitala-kanaler"));
         d(r)->add_channels("malmöpanelen");
       },
       {{"dialogue.channels[2]", "INVALID_NAME"}}},
      {"channel of another collection",
       [&](R& r) { d(r)->set_channels(0, AreaName("fosie")); },
       {{"dialogue.channels[0]", "INVALID_NAME"}}},
      {"channel of another tenant",
       [&](R& r) { d(r)->add_channels("tenants/0180/channels/stockholmspanelen"); },
       {{"dialogue.channels[1]", "OTHER_TENANT"}}},
      {"channel given twice",
       [&](R& r) { d(r)->add_channels(ChannelName("malmopanelen")); },
       {{"dialogue.channels[1]", "DUPLICATE"}}},
      {"no target group at all",
       [&](R& r) { d(r)->clear_target_groups(); },
       {{"dialogue.target_groups", "REQUIRED"}}},
      {"only a free-text target group",
       [&](R& r) {
         d(r)->clear_target_groups();
         d(r)->add_other_target_groups("Boende kring Rosens park");
       },
       {}},
      {"target group unspecified",
       [&](R& r) { d(r)->set_target_groups(0, v1::TARGET_GROUP_UNSPECIFIED); },
       {{"dialogue.target_groups[0]", "UNSPECIFIED"}}},
      {"target group twice",
       [&](R& r) { d(r)->add_target_groups(v1::CITIZENS); },
       {{"dialogue.target_groups[1]", "DUPLICATE"}}},
      {"free-text target group blank",
       [&](R& r) { d(r)->add_other_target_groups(" "); },
       {{"dialogue.other_target_groups[0]", "REQUIRED"}}},
      {"free-text target group of 101",
       [&](R& r) { d(r)->add_other_target_groups(Repeat("x", 101)); },
       {{"dialogue.other_target_groups[0]", "TOO_LONG"}}},
      {"free-text target group twice, other case",
       [&](R& r) {
         d(r)->add_other_target_groups("Elever i åk 9");
         d(r)->add_other_target_groups("elever i  ÅK 9");
       },
       {{"dialogue.other_target_groups[1]", "DUPLICATE"}}},
      {"no area and no description",
       [&](R& r) { d(r)->clear_areas(); },
       {{"dialogue.areas", "REQUIRED"}}},
      {"only a place description",
       [&](R& r) {
         d(r)->clear_areas();
         d(r)->set_area_description("Kvarteret kring Amiralsgatan");
       },
       {}},
      {"area malformed",
       [&](R& r) { d(r)->set_areas(0, "Rosengård"); },
       {{"dialogue.areas[0]", "INVALID_NAME"}}},
      {"area description of 501",
       [&](R& r) { d(r)->set_area_description(Repeat("x", 501)); },
       {{"dialogue.area_description", "TOO_LONG"}}},
      {"start date missing",
       [&](R& r) { d(r)->clear_start_date(); },
       {{"dialogue.start_date", "REQUIRED"}}},
      {"start date 2019-02-30",
       [&](R& r) { *d(r)->mutable_start_date() = D(2019, 2, 30); },
       {{"dialogue.start_date", "INVALID_DATE"}}},
      {"start date month 13",
       [&](R& r) { *d(r)->mutable_start_date() = D(2020, 13, 1); },
       {{"dialogue.start_date", "INVALID_DATE"}}},
      {"start date without a day",
       [&](R& r) { *d(r)->mutable_start_date() = D(2020, 3, 0); },
       {{"dialogue.start_date", "INVALID_DATE"}}},
      {"start date on a leap day", [&](R& r) { *d(r)->mutable_start_date() = D(2020, 2, 29); }, {}},
      {"end date missing (open)", [&](R& r) { d(r)->clear_end_date(); }, {}},
      {"end date invalid",
       [&](R& r) { *d(r)->mutable_end_date() = D(2021, 2, 29); },
       {{"dialogue.end_date", "INVALID_DATE"}}},
      {"end date on the start date", [&](R& r) { *d(r)->mutable_end_date() = D(2020, 3, 1); }, {}},
      {"end date before the start date",
       [&](R& r) { *d(r)->mutable_end_date() = D(2020, 2, 29); },
       {{"dialogue.end_date", "END_BEFORE_START"}}},
      {"lead administration missing",
       [&](R& r) { d(r)->clear_lead_administration(); },
       {{"dialogue.lead_administration", "REQUIRED"}}},
      {"lead administration is a committee",
       [&](R& r) { d(r)->set_lead_administration(CommitteeName("fritidsnamnden")); },
       {{"dialogue.lead_administration", "INVALID_NAME"}}},
      {"co-administration is the lead",
       [&](R& r) { d(r)->add_co_administrations(AdministrationName("fritidsforvaltningen")); },
       {{"dialogue.co_administrations[0]", "SAME_AS_LEAD"}}},
      {"co-administration",
       [&](R& r) { d(r)->add_co_administrations(AdministrationName("grundskoleforvaltningen")); },
       {}},
      {"responsible committee malformed",
       [&](R& r) { d(r)->set_responsible_committee("Fritidsnämnden"); },
       {{"dialogue.responsible_committee", "INVALID_NAME"}}},
      {"elected official malformed",
       [&](R& r) { d(r)->set_elected_officials(0, "anna"); },
       {{"dialogue.elected_officials[0]", "INVALID_NAME"}}},
      {"case number STK-2018-90",
       [&](R& r) { d(r)->mutable_influence()->set_case_number("STK-2018-90"); },
       {}},
      {"case number KS-KOM-2009-00447",
       [&](R& r) { d(r)->mutable_influence()->set_case_number("KS-KOM-2009-00447"); },
       {}},
      {"case number with Ö",
       [&](R& r) { d(r)->mutable_influence()->set_case_number("ÖSK-2019-7"); },
       {}},
      {"case number lower case",
       [&](R& r) { d(r)->mutable_influence()->set_case_number("stk-2018-90"); },
       {{"dialogue.influence.case_number", "INVALID_CASE_NUMBER"}}},
      {"case number with a two-digit year",
       [&](R& r) { d(r)->mutable_influence()->set_case_number("STK-18-90"); },
       {{"dialogue.influence.case_number", "INVALID_CASE_NUMBER"}}},
      {"case number without serial",
       [&](R& r) { d(r)->mutable_influence()->set_case_number("STK-2018-"); },
       {{"dialogue.influence.case_number", "INVALID_CASE_NUMBER"}}},
      {"what can be influenced of 2001",
       [&](R& r) { d(r)->mutable_influence()->set_what_can_be_influenced(Repeat("x", 2001)); },
       {{"dialogue.influence.what_can_be_influenced", "TOO_LONG"}}},
      {"negative participant count",
       [&](R& r) { d(r)->mutable_outcome()->set_participant_count(-1); },
       {{"dialogue.outcome.participant_count", "NEGATIVE"}}},
      {"feedback date invalid",
       [&](R& r) { *d(r)->mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 4, 31); },
       {{"dialogue.outcome.feedback.date", "INVALID_DATE"}}},
      {"outcome result of 10001",
       [&](R& r) { d(r)->mutable_outcome()->set_result(Repeat("x", 10001)); },
       {{"dialogue.outcome.result", "TOO_LONG"}}},
      {"output-only status is ignored", [&](R& r) { d(r)->set_status(v1::EVALUATED); }, {}},
      {"request id missing",
       [](R& r) { r.mutable_options()->clear_request_id(); },
       {{"options.request_id", "REQUIRED"}}},
      {"request id of 129",
       [](R& r) { r.mutable_options()->set_request_id(Repeat("r", 129)); },
       {{"options.request_id", "TOO_LONG"}}},
      {"reason of 1001",
       [](R& r) { r.mutable_options()->set_reason(Repeat("r", 1001)); },
       {{"options.reason", "TOO_LONG"}}},
  };
  RunTable(ValidCreateDialogue(), rows);
}

TEST(ValidateCreateDialogueTest, CollectsEveryViolation) {
  v1::CreateDialogueRequest r = ValidCreateDialogue();
  r.clear_dialogue_id();
  r.mutable_dialogue()->clear_title();
  r.mutable_dialogue()->set_type(v1::DIALOGUE_TYPE_UNSPECIFIED);
  r.mutable_dialogue()->add_channels("bad");
  *r.mutable_dialogue()->mutable_end_date() = D(2019, 1, 1);
  r.mutable_options()->clear_request_id();
  EXPECT_THAT(Pairs(Validate(r)), ElementsAreArray(std::vector<FieldReason>{
                                      {"dialogue_id", "REQUIRED"},
                                      {"dialogue.title", "REQUIRED"},
                                      {"dialogue.type", "UNSPECIFIED"},
                                      {"dialogue.channels[1]", "INVALID_NAME"},
                                      {"dialogue.end_date", "END_BEFORE_START"},
                                      {"options.request_id", "REQUIRED"},
                                  }));
}

TEST(ValidateCreateDialogueTest, EveryViolationHasSwedishAndEnglishText) {
  v1::CreateDialogueRequest r;
  r.mutable_dialogue()->add_channels("x");
  r.mutable_dialogue()->add_target_groups(v1::TARGET_GROUP_UNSPECIFIED);
  const errors::Violations v = Validate(r);
  ASSERT_GT(v.list().size(), 10u);
  for (const errors::FieldViolation& violation : v.list()) {
    SCOPED_TRACE(violation.field);
    EXPECT_FALSE(violation.description.sv.empty());
    EXPECT_FALSE(violation.description.en.empty());
    EXPECT_NE(violation.description.sv, violation.description.en);
    for (char c : violation.reason) EXPECT_TRUE((c >= 'A' && c <= 'Z') || c == '_') << c;
  }
}

TEST(ValidateCreateDialogueTest, ViolationsBecomeInvalidArgument) {
  v1::CreateDialogueRequest r = ValidCreateDialogue();
  r.mutable_dialogue()->clear_title();
  const absl::Status status = Validate(r).ToStatus(kErrorDomain);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationsOf(status),
              ElementsAreArray(std::vector<FieldReason>{{"dialogue.title", "REQUIRED"}}));
  EXPECT_EQ(errors::DetailOf(status)->domain(), "registry.samrad.malmo.se");
}

// --- UpdateDialogue -----------------------------------------------------------------------

v1::UpdateDialogueRequest ValidUpdateDialogue() {
  v1::UpdateDialogueRequest r;
  r.mutable_dialogue()->set_name(DialogueName("rosengard-parker"));
  r.mutable_dialogue()->set_title("Nya parker i Rosengård");
  r.mutable_update_mask()->add_paths("title");
  *r.mutable_options() = Options();
  return r;
}

TEST(ValidateUpdateDialogueTest, Table) {
  using R = v1::UpdateDialogueRequest;
  const auto d = [](R& r) { return r.mutable_dialogue(); };
  const auto mask = [](R& r, std::vector<std::string> paths) {
    r.clear_update_mask();
    for (auto& p : paths) r.mutable_update_mask()->add_paths(p);
  };
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"name missing", [&](R& r) { d(r)->clear_name(); }, {{"dialogue.name", "REQUIRED"}}},
      {"name of another collection",
       [&](R& r) { d(r)->set_name(ConsultationName("rosengard-parker")); },
       {{"dialogue.name", "INVALID_NAME"}}},
      {"masked title cleared",
       [&](R& r) { d(r)->clear_title(); },
       {{"dialogue.title", "REQUIRED"}}},
      {"unmasked title is not validated",
       [&](R& r) {
         d(r)->clear_title();
         d(r)->set_question("Hur vill du använda parken?");
         mask(r, {"question"});
       },
       {}},
      {"unknown path",
       [&](R& r) {
         mask(r, {"title", "colour"});
       },
       {{"update_mask", "UNKNOWN_FIELD_PATH"}}},
      {"unknown nested path",
       [&](R& r) { mask(r, {"outcome.feedback.colour"}); },
       {{"update_mask", "UNKNOWN_FIELD_PATH"}}},
      {"status is not updatable",
       [&](R& r) { mask(r, {"status"}); },
       {{"update_mask", "FIELD_NOT_UPDATABLE"}}},
      {"below an output-only field",
       [&](R& r) { mask(r, {"principles.evidenced"}); },
       {{"update_mask", "FIELD_NOT_UPDATABLE"}}},
      {"name is not updatable",
       [&](R& r) { mask(r, {"name"}); },
       {{"update_mask", "FIELD_NOT_UPDATABLE"}}},
      {"wildcard with others",
       [&](R& r) {
         mask(r, {"*", "title"});
       },
       {{"update_mask", "WILDCARD_NOT_ALONE"}}},
      {"wildcard validates every field",
       [&](R& r) { mask(r, {"*"}); },
       // Only the title is set: the other required fields are missing.
       {{"dialogue.question", "REQUIRED"},
        {"dialogue.type", "UNSPECIFIED"},
        {"dialogue.participation_level", "UNSPECIFIED"},
        {"dialogue.start_date", "REQUIRED"},
        {"dialogue.lead_administration", "REQUIRED"},
        {"dialogue.target_groups", "REQUIRED"},
        {"dialogue.areas", "REQUIRED"}}},
      {"nested path validated",
       [&](R& r) {
         mask(r, {"outcome.feedback.date"});
         *d(r)->mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 2, 30);
       },
       {{"dialogue.outcome.feedback.date", "INVALID_DATE"}}},
      {"parent path selects nested fields",
       [&](R& r) {
         mask(r, {"outcome"});
         *d(r)->mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 2, 30);
       },
       {{"dialogue.outcome.feedback.date", "INVALID_DATE"}}},
      {"sibling path not validated",
       [&](R& r) {
         mask(r, {"outcome.result"});
         *d(r)->mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 2, 30);
       },
       {}},
      {"empty mask: the fields set are validated",
       [&](R& r) {
         mask(r, {});
         d(r)->set_question(Repeat("q", 2001));
       },
       {{"dialogue.question", "TOO_LONG"}}},
      {"end before start when both are masked",
       [&](R& r) {
         mask(r, {"start_date", "end_date"});
         *d(r)->mutable_start_date() = D(2020, 3, 1);
         *d(r)->mutable_end_date() = D(2020, 2, 1);
       },
       {{"dialogue.end_date", "END_BEFORE_START"}}},
      {"end date alone is left to Decide",
       [&](R& r) {
         mask(r, {"end_date"});
         *d(r)->mutable_end_date() = D(2020, 2, 1);
       },
       {}},
      {"reference in another tenant than the dialogue",
       [&](R& r) {
         mask(r, {"channels"});
         d(r)->add_channels("tenants/1480/channels/goteborgsforslaget");
       },
       {{"dialogue.channels[0]", "OTHER_TENANT"}}},
      {"request id missing",
       [](R& r) { r.mutable_options()->clear_request_id(); },
       {{"options.request_id", "REQUIRED"}}},
  };
  RunTable(ValidUpdateDialogue(), rows);
}

// --- TransitionDialogue -------------------------------------------------------------------

TEST(ValidateTransitionDialogueTest, Table) {
  using R = v1::TransitionDialogueRequest;
  R valid;
  valid.set_name(DialogueName("rosengard-parker"));
  valid.set_status(v1::ONGOING);
  *valid.mutable_options() = Options();
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"name missing", [](R& r) { r.clear_name(); }, {{"name", "REQUIRED"}}},
      {"status unspecified", [](R& r) { r.clear_status(); }, {{"status", "UNSPECIFIED"}}},
      {"status unknown",
       [](R& r) { r.set_status(static_cast<v1::DialogueStatus>(42)); },
       {{"status", "UNKNOWN_ENUM_VALUE"}}},
      {"cancel without a reason",
       [](R& r) { r.set_status(v1::CANCELLED); },
       {{"options.reason", "REQUIRED"}}},
      {"cancel with a reason",
       [](R& r) {
         r.set_status(v1::CANCELLED);
         r.mutable_options()->set_reason("Parken byggs om först 2022");
       },
       {}},
  };
  RunTable(valid, rows);
}

// --- Organisation -------------------------------------------------------------------------

TEST(ValidateCommitteeTest, CreateTable) {
  using R = v1::CreateCommitteeRequest;
  R valid;
  valid.set_parent(kTenant);
  valid.set_committee_id("kulturnamnden");
  valid.mutable_committee()->set_display_name("Kulturnämnden");
  valid.mutable_committee()->set_administration(AdministrationName("kulturforvaltningen"));
  *valid.mutable_options() = Options();
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"without administration", [](R& r) { r.mutable_committee()->clear_administration(); }, {}},
      {"id missing", [](R& r) { r.clear_committee_id(); }, {{"committee_id", "REQUIRED"}}},
      {"id with ä",
       [](R& r) { r.set_committee_id("kulturnämnden"); },
       {{"committee_id", "INVALID_ID"}}},
      {"display name missing",
       [](R& r) { r.mutable_committee()->clear_display_name(); },
       {{"committee.display_name", "REQUIRED"}}},
      {"display name of 201",
       [](R& r) { r.mutable_committee()->set_display_name(Repeat("n", 201)); },
       {{"committee.display_name", "TOO_LONG"}}},
      {"administration is a committee",
       [](R& r) { r.mutable_committee()->set_administration(CommitteeName("kulturnamnden")); },
       {{"committee.administration", "INVALID_NAME"}}},
      {"administration in another tenant",
       [](R& r) {
         r.mutable_committee()->set_administration("tenants/0180/administrations/kultur");
       },
       {{"committee.administration", "OTHER_TENANT"}}},
      {"request id missing", [](R& r) { r.clear_options(); }, {{"options.request_id", "REQUIRED"}}},
  };
  RunTable(valid, rows);
}

TEST(ValidateCommitteeTest, UpdateAndRetireTable) {
  using R = v1::UpdateCommitteeRequest;
  R valid;
  valid.mutable_committee()->set_name(CommitteeName("kulturnamnden"));
  valid.mutable_committee()->set_display_name("Kultur- och fritidsnämnden");
  valid.mutable_update_mask()->add_paths("display_name");
  *valid.mutable_options() = Options();
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"masked display name cleared",
       [](R& r) { r.mutable_committee()->clear_display_name(); },
       {{"committee.display_name", "REQUIRED"}}},
      {"state is not updatable",
       [](R& r) { r.mutable_update_mask()->add_paths("state"); },
       {{"update_mask", "FIELD_NOT_UPDATABLE"}}},
      {"charter duty is updatable",
       [](R& r) { r.mutable_update_mask()->add_paths("charter_user_consultation"); },
       {}},
      {"name missing",
       [](R& r) { r.mutable_committee()->clear_name(); },
       {{"committee.name", "REQUIRED"}}},
  };
  RunTable(valid, rows);

  v1::RetireCommitteeRequest retire;
  retire.set_name(CommitteeName("kulturnamnden"));
  *retire.mutable_options() = Options();
  EXPECT_THAT(Pairs(Validate(retire)), IsEmpty());
  retire.set_name(AdministrationName("kulturforvaltningen"));
  retire.clear_options();
  EXPECT_THAT(Pairs(Validate(retire)),
              ElementsAreArray(std::vector<FieldReason>{{"name", "INVALID_NAME"},
                                                        {"options.request_id", "REQUIRED"}}));
}

TEST(ValidateAdministrationTest, Table) {
  using R = v1::CreateAdministrationRequest;
  R valid;
  valid.set_parent(kTenant);
  valid.set_administration_id("kulturforvaltningen");
  valid.mutable_administration()->set_display_name("Kulturförvaltningen");
  valid.mutable_administration()->set_committee(CommitteeName("kulturnamnden"));
  *valid.mutable_options() = Options();
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"id missing",
       [](R& r) { r.clear_administration_id(); },
       {{"administration_id", "REQUIRED"}}},
      {"display name missing",
       [](R& r) { r.mutable_administration()->clear_display_name(); },
       {{"administration.display_name", "REQUIRED"}}},
      {"committee malformed",
       [](R& r) { r.mutable_administration()->set_committee("KN"); },
       {{"administration.committee", "INVALID_NAME"}}},
  };
  RunTable(valid, rows);

  v1::UpdateAdministrationRequest update;
  update.mutable_administration()->set_name(AdministrationName("kulturforvaltningen"));
  update.mutable_update_mask()->add_paths("committee");
  update.mutable_administration()->set_committee("x");
  *update.mutable_options() = Options();
  EXPECT_THAT(
      Pairs(Validate(update)),
      ElementsAreArray(std::vector<FieldReason>{{"administration.committee", "INVALID_NAME"}}));

  v1::RetireAdministrationRequest retire;
  retire.set_name(AdministrationName("kulturforvaltningen"));
  *retire.mutable_options() = Options();
  EXPECT_THAT(Pairs(Validate(retire)), IsEmpty());
}

TEST(ValidatePersonTest, Table) {
  using R = v1::CreatePersonRequest;
  const R valid = CreatePerson("mikael", "Mikael Kylsäter", v1::OFFICIAL);
  const auto email = [](std::string e) { return [e](R& r) { r.mutable_person()->set_email(e); }; };
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"e-mail with a Swedish domain", email("mikael.kylsater@malmö.se"), {}},
      {"e-mail with subdomain", email("dialog@stadskontoret.malmo.se"), {}},
      {"e-mail missing", email(""), {{"person.email", "REQUIRED"}}},
      {"e-mail without @", email("mikael.malmo.se"), {{"person.email", "INVALID_EMAIL"}}},
      {"e-mail with two @", email("a@b@malmo.se"), {{"person.email", "INVALID_EMAIL"}}},
      {"e-mail without a dot in the domain",
       email("mikael@malmo"),
       {{"person.email", "INVALID_EMAIL"}}},
      {"e-mail with a space", email("mikael k@malmo.se"), {{"person.email", "INVALID_EMAIL"}}},
      {"e-mail with an empty label",
       email("mikael@malmo..se"),
       {{"person.email", "INVALID_EMAIL"}}},
      {"e-mail without local part", email("@malmo.se"), {{"person.email", "INVALID_EMAIL"}}},
      {"display name missing",
       [](R& r) { r.mutable_person()->clear_display_name(); },
       {{"person.display_name", "REQUIRED"}}},
      {"role unspecified",
       [](R& r) { r.mutable_person()->clear_role(); },
       {{"person.role", "UNSPECIFIED"}}},
      {"id missing", [](R& r) { r.clear_person_id(); }, {{"person_id", "REQUIRED"}}},
  };
  RunTable(valid, rows);

  v1::UpdatePersonRequest update;
  update.mutable_person()->set_name(PersonName("mikael"));
  update.mutable_person()->set_role(v1::ELECTED_OFFICIAL);
  update.mutable_update_mask()->add_paths("role");
  *update.mutable_options() = Options();
  EXPECT_THAT(Pairs(Validate(update)), IsEmpty());
  update.mutable_update_mask()->add_paths("email");
  EXPECT_THAT(Pairs(Validate(update)),
              ElementsAreArray(std::vector<FieldReason>{{"person.email", "REQUIRED"}}));
}

// --- Appointments -------------------------------------------------------------------------

TEST(ValidateAppointmentTest, AppointTable) {
  using R = v1::AppointRepresentativeRequest;
  R valid;
  valid.set_parent(kTenant);
  valid.set_appointment_id("fritid-medborgardialog-2020");
  v1::Appointment* a = valid.mutable_appointment();
  a->set_person(PersonName("bo"));
  a->set_administration(AdministrationName("fritidsforvaltningen"));
  a->set_track(v1::TRACK_MEDBORGARDIALOG);
  *a->mutable_start_date() = D(2020, 3, 1);
  *valid.mutable_options() = Options();
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"with end and substitute",
       [](R& r) {
         *r.mutable_appointment()->mutable_end_date() = D(2022, 7, 1);
         r.mutable_appointment()->set_substitute(PersonName("anna"));
       },
       {}},
      {"person missing",
       [](R& r) { r.mutable_appointment()->clear_person(); },
       {{"appointment.person", "REQUIRED"}}},
      {"administration missing",
       [](R& r) { r.mutable_appointment()->clear_administration(); },
       {{"appointment.administration", "REQUIRED"}}},
      {"track unspecified",
       [](R& r) { r.mutable_appointment()->clear_track(); },
       {{"appointment.track", "UNSPECIFIED"}}},
      {"start missing",
       [](R& r) { r.mutable_appointment()->clear_start_date(); },
       {{"appointment.start_date", "REQUIRED"}}},
      {"end before start",
       [](R& r) { *r.mutable_appointment()->mutable_end_date() = D(2020, 2, 1); },
       {{"appointment.end_date", "END_BEFORE_START"}}},
      {"substitute is the representative",
       [](R& r) { r.mutable_appointment()->set_substitute(PersonName("bo")); },
       {{"appointment.substitute", "SAME_AS_PERSON"}}},
      {"substitute malformed",
       [](R& r) { r.mutable_appointment()->set_substitute("anna"); },
       {{"appointment.substitute", "INVALID_NAME"}}},
      {"id missing", [](R& r) { r.clear_appointment_id(); }, {{"appointment_id", "REQUIRED"}}},
  };
  RunTable(valid, rows);
}

TEST(ValidateAppointmentTest, EndTable) {
  using R = v1::EndAppointmentRequest;
  R valid;
  valid.set_name(AppointmentName("fritid-medborgardialog-2020"));
  *valid.mutable_end_date() = D(2020, 6, 30);
  *valid.mutable_options() = Options();
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"name missing", [](R& r) { r.clear_name(); }, {{"name", "REQUIRED"}}},
      {"end date missing", [](R& r) { r.clear_end_date(); }, {{"end_date", "REQUIRED"}}},
      {"end date invalid",
       [](R& r) { *r.mutable_end_date() = D(2020, 6, 31); },
       {{"end_date", "INVALID_DATE"}}},
  };
  RunTable(valid, rows);
}

// --- Consultations ------------------------------------------------------------------------

v1::CreateConsultationRequest ValidCreateConsultation() {
  v1::CreateConsultationRequest r;
  r.set_parent(kTenant);
  r.set_consultation_id("stk-2018-90");
  v1::Consultation* c = r.mutable_consultation();
  c->set_case_number("STK-2018-90");
  c->set_title("Modeller för samordnad medborgardialog");
  c->add_questions("Synpunkter och förslag på hur samordnad medborgardialog bäst organiseras.");
  c->add_questions("Synpunkter på föreslagna aktiviteter.");
  c->add_bodies(CommitteeName("fritidsnamnden"));
  c->add_bodies(CommitteeName("miljonamnden"));
  *c->mutable_start_date() = D(2019, 2, 19);
  *c->mutable_deadline() = D(2019, 6, 28);
  *r.mutable_options() = Options();
  return r;
}

TEST(ValidateConsultationTest, CreateTable) {
  using R = v1::CreateConsultationRequest;
  const auto c = [](R& r) { return r.mutable_consultation(); };
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"case number missing",
       [&](R& r) { c(r)->clear_case_number(); },
       {{"consultation.case_number", "REQUIRED"}}},
      {"case number malformed",
       [&](R& r) { c(r)->set_case_number("STK 2018 90"); },
       {{"consultation.case_number", "INVALID_CASE_NUMBER"}}},
      {"title missing", [&](R& r) { c(r)->clear_title(); }, {{"consultation.title", "REQUIRED"}}},
      {"no questions",
       [&](R& r) { c(r)->clear_questions(); },
       {{"consultation.questions", "REQUIRED"}}},
      {"blank question",
       [&](R& r) { c(r)->set_questions(1, ""); },
       {{"consultation.questions[1]", "REQUIRED"}}},
      {"question of 2001",
       [&](R& r) { c(r)->set_questions(0, Repeat("?", 2001)); },
       {{"consultation.questions[0]", "TOO_LONG"}}},
      {"no bodies", [&](R& r) { c(r)->clear_bodies(); }, {{"consultation.bodies", "REQUIRED"}}},
      {"body twice",
       [&](R& r) { c(r)->add_bodies(CommitteeName("fritidsnamnden")); },
       {{"consultation.bodies[2]", "DUPLICATE"}}},
      {"body is an administration",
       [&](R& r) { c(r)->set_bodies(0, AdministrationName("fritidsforvaltningen")); },
       {{"consultation.bodies[0]", "INVALID_NAME"}}},
      {"start missing",
       [&](R& r) { c(r)->clear_start_date(); },
       {{"consultation.start_date", "REQUIRED"}}},
      {"deadline missing",
       [&](R& r) { c(r)->clear_deadline(); },
       {{"consultation.deadline", "REQUIRED"}}},
      {"deadline on the start date", [&](R& r) { *c(r)->mutable_deadline() = D(2019, 2, 19); }, {}},
      {"deadline before start",
       [&](R& r) { *c(r)->mutable_deadline() = D(2019, 2, 18); },
       {{"consultation.deadline", "END_BEFORE_START"}}},
      {"id missing", [](R& r) { r.clear_consultation_id(); }, {{"consultation_id", "REQUIRED"}}},
  };
  RunTable(ValidCreateConsultation(), rows);
}

TEST(ValidateConsultationTest, UpdateTable) {
  using R = v1::UpdateConsultationRequest;
  R valid;
  valid.mutable_consultation()->set_name(ConsultationName("stk-2018-90"));
  *valid.mutable_consultation()->mutable_deadline() = D(2019, 7, 31);
  valid.mutable_update_mask()->add_paths("deadline");
  *valid.mutable_options() = Options();
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"answers are not updatable",
       [](R& r) { r.mutable_update_mask()->add_paths("answers"); },
       {{"update_mask", "FIELD_NOT_UPDATABLE"}}},
      {"masked deadline cleared",
       [](R& r) { r.mutable_consultation()->clear_deadline(); },
       {{"consultation.deadline", "REQUIRED"}}},
  };
  RunTable(valid, rows);
}

TEST(ValidateConsultationTest, AnswerTable) {
  using R = v1::RecordConsultationAnswerRequest;
  R valid;
  valid.set_consultation(ConsultationName("stk-2018-90"));
  v1::ConsultationAnswer* a = valid.mutable_answer();
  a->set_body(CommitteeName("fritidsnamnden"));
  a->set_summary("Nämnden ställer sig positiv till ett förvaltningsövergripande nätverk.");
  a->set_decision_reference("FRN §85, 2019-05-23");
  a->add_points()->set_tag(v1::POSITIVE);
  a->mutable_points(0)->set_text("Förvaltningsövergripande nätverk");
  *a->mutable_received_date() = D(2019, 6, 1);
  *valid.mutable_options() = Options();
  const std::vector<Row<R>> rows = {
      {"valid", [](R&) {}, {}},
      {"consultation missing",
       [](R& r) { r.clear_consultation(); },
       {{"consultation", "REQUIRED"}}},
      {"body missing",
       [](R& r) { r.mutable_answer()->clear_body(); },
       {{"answer.body", "REQUIRED"}}},
      {"body in another tenant",
       [](R& r) { r.mutable_answer()->set_body("tenants/1480/committees/fritid"); },
       {{"answer.body", "OTHER_TENANT"}}},
      {"summary missing",
       [](R& r) { r.mutable_answer()->clear_summary(); },
       {{"answer.summary", "REQUIRED"}}},
      {"point without tag",
       [](R& r) { r.mutable_answer()->mutable_points(0)->clear_tag(); },
       {{"answer.points[0].tag", "UNSPECIFIED"}}},
      {"point without text",
       [](R& r) { r.mutable_answer()->mutable_points(0)->clear_text(); },
       {{"answer.points[0].text", "REQUIRED"}}},
      {"received date missing",
       [](R& r) { r.mutable_answer()->clear_received_date(); },
       {{"answer.received_date", "REQUIRED"}}},
      {"decision reference of 201",
       [](R& r) { r.mutable_answer()->set_decision_reference(Repeat("§", 201)); },
       {{"answer.decision_reference", "TOO_LONG"}}},
  };
  RunTable(valid, rows);
}

// --- Texts name fields in words ------------------------------------------------------------

// A raw field path in a text a user reads: a dotted path ("dialogue.start_date"), a
// snake_case name ("received_date") or an index ("[0]"). (Two letters at least before a
// dot, so that "t.ex." and "e.g." are words.)
bool HasFieldPath(const std::string& text) {
  static const std::regex kPath(R"([a-z]{2,}\.[a-z_]{2,}|[a-z]+_[a-z]+|\[[0-9]+\])");
  return std::regex_search(text, kPath);
}

TEST(RuleTextsTest, HasFieldPathRecognisesPaths) {
  EXPECT_TRUE(HasFieldPath("Slutdatum får inte vara före dialogue.start_date."));
  EXPECT_TRUE(HasFieldPath("Finns redan i consultation.bodies[0]."));
  EXPECT_TRUE(HasFieldPath("kräver ett skäl (options.reason)"));
  EXPECT_TRUE(HasFieldPath("see received_date"));
  EXPECT_FALSE(HasFieldPath("Ogiltigt ärendenummer; formen är t.ex. STK-2018-90."));
  EXPECT_FALSE(HasFieldPath("Invalid resource name; the form is \"tenants/{code}/people/{id}\"."));
}

// Every description of a broad set of violations names fields in words: the path is in
// BadRequest.field only (issue 8: "Slutdatum får inte vara före dialogue.start_date").
TEST(RuleTextsTest, ViolationTextsNameNoFieldPaths) {
  std::vector<errors::FieldViolation> all;
  const auto collect = [&](const errors::Violations& v) {
    all.insert(all.end(), v.list().begin(), v.list().end());
  };

  v1::CreateDialogueRequest dialogue = ValidCreateDialogue();
  v1::Dialogue* d = dialogue.mutable_dialogue();
  *d->mutable_end_date() = D(2020, 2, 1);  // before the start
  d->add_channels(ChannelName("malmopanelen"));
  d->add_target_groups(v1::CITIZENS);
  d->add_other_target_groups("Föreningar i Rosengård");
  d->add_other_target_groups("föreningar i rosengård");
  d->add_areas(AreaName("rosengard"));
  d->add_areas("tenants/1480/areas/limhamn");
  d->add_channels("x");
  d->set_secondary_type(d->type());
  d->add_co_administrations(d->lead_administration());
  d->mutable_influence()->set_case_number("STK 2018");
  d->add_target_groups(static_cast<v1::TargetGroup>(99));
  d->add_target_groups(v1::TARGET_GROUP_UNSPECIFIED);
  d->set_title(std::string(201, 'x'));
  dialogue.set_dialogue_id("Lindängen");
  collect(Validate(dialogue));
  collect(Validate(v1::CreateDialogueRequest()));

  v1::UpdateDialogueRequest update;
  update.mutable_dialogue()->set_name(DialogueName("rosengard-parker"));
  *update.mutable_dialogue()->mutable_start_date() = D(2020, 3, 1);
  *update.mutable_dialogue()->mutable_end_date() = D(2020, 2, 1);
  update.mutable_update_mask()->add_paths("start_date");
  update.mutable_update_mask()->add_paths("end_date");
  collect(Validate(update));

  v1::TransitionDialogueRequest cancel;
  cancel.set_name(DialogueName("rosengard-parker"));
  cancel.set_status(v1::CANCELLED);
  collect(Validate(cancel));

  v1::CreateConsultationRequest consultation = ValidCreateConsultation();
  *consultation.mutable_consultation()->mutable_deadline() = D(2019, 1, 1);
  consultation.mutable_consultation()->add_bodies(CommitteeName("fritidsnamnden"));
  consultation.mutable_consultation()->set_case_number("STK 2018 90");
  collect(Validate(consultation));
  collect(Validate(v1::CreateConsultationRequest()));
  collect(Validate(v1::RecordConsultationAnswerRequest()));

  v1::AppointRepresentativeRequest appoint;
  appoint.set_parent(kTenant);
  appoint.set_appointment_id("fritid");
  appoint.mutable_appointment()->set_person(PersonName("bo"));
  appoint.mutable_appointment()->set_substitute(PersonName("bo"));
  *appoint.mutable_appointment()->mutable_start_date() = D(2020, 3, 1);
  *appoint.mutable_appointment()->mutable_end_date() = D(2020, 2, 1);
  collect(Validate(appoint));
  collect(Validate(v1::EndAppointmentRequest()));

  v1::CreatePersonRequest person;
  person.set_parent("tenants/1480");
  person.mutable_person()->set_email("inte en adress");
  collect(Validate(person));
  collect(Validate(v1::CreateCommitteeRequest()));
  collect(Validate(v1::CreateAdministrationRequest()));

  std::set<std::string> reasons;
  for (const errors::FieldViolation& v : all) reasons.insert(v.reason);
  for (const char* reason :
       {"END_BEFORE_START", "DUPLICATE", "REQUIRED", "INVALID_NAME", "INVALID_ID", "UNSPECIFIED",
        "UNKNOWN_ENUM_VALUE", "TOO_LONG", "SAME_AS_TYPE", "SAME_AS_LEAD", "SAME_AS_PERSON",
        "INVALID_CASE_NUMBER", "INVALID_EMAIL", "OTHER_TENANT"}) {
    EXPECT_TRUE(reasons.count(reason)) << reason << " is not covered by the scan";
  }
  for (const errors::FieldViolation& v : all) {
    SCOPED_TRACE(v.field + " " + v.reason);
    EXPECT_FALSE(HasFieldPath(v.description.sv)) << v.description.sv;
    EXPECT_FALSE(HasFieldPath(v.description.en)) << v.description.en;
  }
}

TEST(RuleTextsTest, EndBeforeStartAndDuplicateInWords) {
  struct Row {
    errors::Text text;
    std::string sv;
    std::string en;
  };
  const std::vector<Row> rows = {
      {texts::EndBeforeStart("Slutdatum", "The end date", "dialogue.start_date"),
       "Slutdatum får inte vara före startdatum.",
       "The end date must not be before the start date."},
      {texts::EndBeforeStart("Sista svarsdag", "The deadline", "consultation.start_date"),
       "Sista svarsdag får inte vara före startdatum.",
       "The deadline must not be before the start date."},
      {texts::EndBeforeStart("Slutdatum", "The end date", "something.else"),
       "Slutdatum får inte vara före det andra fältet.",
       "The end date must not be before the other field."},
      {texts::Duplicate("dialogue.channels[0]"), "Värdet finns redan som nummer 1 i listan.",
       "The value is already given as entry 1 of the list."},
      {texts::Duplicate("consultation.bodies[11]"), "Värdet finns redan som nummer 12 i listan.",
       "The value is already given as entry 12 of the list."},
      {texts::Duplicate(""), "Värdet finns redan tidigare i listan.",
       "The value is already given earlier in the list."},
      {texts::FieldInWords("consultation.deadline"), "sista svarsdag", "the deadline"},
      {texts::FieldInWords("answer.received_date"), "svarsdatum",
       "the date the answer was received"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.sv);
    EXPECT_EQ(row.text.sv, row.sv);
    EXPECT_EQ(row.text.en, row.en);
  }
}

}  // namespace
}  // namespace samrad::registry::domain
