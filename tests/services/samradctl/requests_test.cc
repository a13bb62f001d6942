// From flags to Registry requests: enum words in Swedish and English, dates, references,
// repeated fields, update masks, answer points, as-of and list options.
#include "services/samradctl/requests.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/samradctl/enum_labels.h"
#include "services/samradctl/fields.h"
#include "services/samradctl/values.h"

namespace samrad::ctl {
namespace {

namespace v1 = ::samrad::registry::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const Scope kSv{"tenants/1280", Lang::kSv};
const Scope kEn{"tenants/1280", Lang::kEn};

// Field values as the create flags give them: {"flag", {"value", ...}}.
FieldValues Flags(Kind kind,
                  const std::vector<std::pair<std::string, std::vector<std::string>>>& flags) {
  FieldValues values;
  for (const auto& [flag, list] : flags) {
    const FieldSpec* spec = FindField(kind, flag);
    EXPECT_NE(spec, nullptr) << flag;
    for (const std::string& value : list) AddFieldValue(values, spec, value);
  }
  return values;
}

std::vector<std::string> Paths(const google::protobuf::FieldMask& mask) {
  return {mask.paths().begin(), mask.paths().end()};
}

TEST(FoldTest, SwedishLettersAndSeparators) {
  EXPECT_EQ(Fold("Pågående"), "pagaende");
  EXPECT_EQ(Fold("ÅTERKOPPLAD"), "aterkopplad");
  EXPECT_EQ(Fold("Förslag"), "forslag");
  EXPECT_EQ(Fold("feedback given"), "feedback_given");
  EXPECT_EQ(Fold("co-decision"), "co_decision");
}

struct EnumCase {
  std::string text;
  int expected;  // 0: rejected
};

class DialogueStatusParseTest : public ::testing::TestWithParam<EnumCase> {};

TEST_P(DialogueStatusParseTest, AcceptsSwedishEnglishAndProtoNames) {
  std::optional<v1::DialogueStatus> parsed = Parse<v1::DialogueStatus>(GetParam().text);
  if (GetParam().expected == 0) {
    EXPECT_FALSE(parsed.has_value());
  } else {
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, GetParam().expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Words, DialogueStatusParseTest,
    ::testing::Values(
        EnumCase{"ongoing", v1::ONGOING}, EnumCase{"pågående", v1::ONGOING},
        EnumCase{"PÅGÅENDE", v1::ONGOING}, EnumCase{"pagaende", v1::ONGOING},
        EnumCase{"ONGOING", v1::ONGOING}, EnumCase{"feedback given", v1::FEEDBACK_GIVEN},
        EnumCase{"feedback-given", v1::FEEDBACK_GIVEN}, EnumCase{"återkopplad", v1::FEEDBACK_GIVEN},
        EnumCase{"inställd", v1::CANCELLED}, EnumCase{"Cancelled", v1::CANCELLED},
        EnumCase{"utvärderad", v1::EVALUATED}, EnumCase{"DIALOGUE_STATUS_UNSPECIFIED", 0},
        EnumCase{"unspecified", 0}, EnumCase{"klar", 0}, EnumCase{"", 0}));

TEST(EnumLabelTest, SwedishByDefaultEnglishOnRequest) {
  EXPECT_EQ(Label(v1::MEDBORGARDIALOG, Lang::kSv), "medborgardialog");
  EXPECT_EQ(Label(v1::MEDBORGARDIALOG, Lang::kEn), "citizen dialogue");
  EXPECT_EQ(Label(v1::ONGOING, Lang::kSv), "pågående");
  EXPECT_EQ(Label(v1::ONGOING, Lang::kEn), "ongoing");
  EXPECT_EQ(Label(v1::TRACK_KUNSKAPSDIALOG, Lang::kSv), "kunskapsdialog");
  EXPECT_EQ(Label(v1::DIALOGUE_STATUS_UNSPECIFIED, Lang::kSv), "");
  EXPECT_EQ(Parse<v1::Track>("TRACK_KUNSKAPSDIALOG"), v1::TRACK_KUNSKAPSDIALOG);
  EXPECT_EQ(Parse<v1::Track>("knowledge dialogue"), v1::TRACK_KUNSKAPSDIALOG);
  EXPECT_EQ(Parse<v1::TargetGroup>("unga"), v1::YOUNG_PEOPLE);
  EXPECT_EQ(Parse<v1::TargetGroup>("young_people"), v1::YOUNG_PEOPLE);
  EXPECT_EQ(Parse<v1::DialogueType>("Kommunvägledning"), v1::KOMMUNVAGLEDNING);
}

struct DateCase {
  std::string text;
  bool valid;
};

class ParseDateTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(ParseDateTest, OnlyRealDatesInIsoForm) {
  std::optional<google::type::Date> date = ParseDate(GetParam().text);
  EXPECT_EQ(date.has_value(), GetParam().valid) << GetParam().text;
  if (date) {
    EXPECT_EQ(FormatDate(*date), GetParam().text);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Dates, ParseDateTest,
    ::testing::Values(DateCase{"2019-06-28", true}, DateCase{"2020-02-29", true},
                      DateCase{"2019-02-29", false}, DateCase{"2019-13-01", false},
                      DateCase{"2019-6-28", false}, DateCase{"28/06/2019", false},
                      DateCase{"2019-06-28x", false}, DateCase{"", false}));

TEST(CreateDialogueTest, FlagsBecomeTheResource) {
  CreateInput in;
  in.id = "lindangen-trygghet";
  in.write = {"Ny insats", "req-1"};
  in.fields = Flags(Kind::kDialogue, {{"title", {"Trygghet i Lindängen"}},
                                      {"type", {"medborgardialog"}},
                                      {"participation-level", {"inflytande"}},
                                      {"channel", {"digitala-kanaler,malmopanelen"}},
                                      {"target-group", {"barn", "young people"}},
                                      {"other-target-group", {"boende, nyinflyttade"}},
                                      {"area", {"lindangen"}},
                                      {"start-date", {"2019-02-19"}},
                                      {"end-date", {"2019-06-28"}},
                                      {"lead-administration", {"stadskontoret"}},
                                      {"elected-official", {"tenants/1280/people/anna"}},
                                      {"case-number", {"STK-2018-90"}},
                                      {"participant-count", {"120"}},
                                      {"feedback-date", {"2019-09-01"}}});
  absl::StatusOr<v1::CreateDialogueRequest> request = BuildCreateDialogue(in, kSv);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->parent(), "tenants/1280");
  EXPECT_EQ(request->dialogue_id(), "lindangen-trygghet");
  EXPECT_EQ(request->options().request_id(), "req-1");
  EXPECT_EQ(request->options().reason(), "Ny insats");
  const v1::Dialogue& d = request->dialogue();
  EXPECT_EQ(d.title(), "Trygghet i Lindängen");
  EXPECT_EQ(d.type(), v1::MEDBORGARDIALOG);
  EXPECT_EQ(d.participation_level(), v1::INFLYTANDE);
  EXPECT_THAT(d.channels(), ElementsAre("tenants/1280/channels/digitala-kanaler",
                                        "tenants/1280/channels/malmopanelen"));
  EXPECT_THAT(d.target_groups(), ElementsAre(v1::CHILDREN, v1::YOUNG_PEOPLE));
  // Free text is never split on commas.
  EXPECT_THAT(d.other_target_groups(), ElementsAre("boende, nyinflyttade"));
  EXPECT_THAT(d.areas(), ElementsAre("tenants/1280/areas/lindangen"));
  EXPECT_EQ(FormatDate(d.start_date()), "2019-02-19");
  EXPECT_EQ(FormatDate(d.end_date()), "2019-06-28");
  EXPECT_EQ(d.lead_administration(), "tenants/1280/administrations/stadskontoret");
  EXPECT_THAT(d.elected_officials(), ElementsAre("tenants/1280/people/anna"));
  EXPECT_EQ(d.influence().case_number(), "STK-2018-90");
  EXPECT_EQ(d.outcome().participant_count(), 120);
  EXPECT_EQ(FormatDate(d.outcome().feedback().date()), "2019-09-01");
  EXPECT_TRUE(d.name().empty());
}

struct BadFlagCase {
  std::string flag;
  std::string value;
  std::string sv;  // part of the Swedish message
  std::string en;  // part of the English message
};

class BadFlagTest : public ::testing::TestWithParam<BadFlagCase> {};

TEST_P(BadFlagTest, IsAUsageErrorInTheCallersLanguage) {
  CreateInput in;
  in.id = "x";
  in.fields = Flags(Kind::kDialogue, {{GetParam().flag, {GetParam().value}}});
  for (const auto& [scope, expected] :
       {std::pair{kSv, GetParam().sv}, std::pair{kEn, GetParam().en}}) {
    absl::StatusOr<v1::CreateDialogueRequest> request = BuildCreateDialogue(in, scope);
    ASSERT_FALSE(request.ok());
    EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(request.status().message()), HasSubstr(expected));
    EXPECT_THAT(std::string(request.status().message()), HasSubstr("--" + GetParam().flag));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Flags, BadFlagTest,
    ::testing::Values(BadFlagCase{"type", "samråd", "giltiga är medborgardialog, kunskapsdialog",
                                  "valid ones are citizen dialogue, knowledge dialogue"},
                      BadFlagCase{"start-date", "2019-02-30", "ÅÅÅÅ-MM-DD", "YYYY-MM-DD"},
                      BadFlagCase{"participant-count", "många", "heltal", "whole number"},
                      BadFlagCase{"target-group", "barn,pensionärer", "giltiga är medborgare, barn",
                                  "valid ones are citizens, children"}));

TEST(CreateTest, SingularFlagTwiceIsAnError) {
  CreateInput in;
  in.id = "x";
  in.fields = Flags(Kind::kDialogue, {{"title", {"A", "B"}}});
  absl::StatusOr<v1::CreateDialogueRequest> request = BuildCreateDialogue(in, kEn);
  ASSERT_FALSE(request.ok());
  EXPECT_THAT(std::string(request.status().message()), HasSubstr("only once"));
}

TEST(CreateTest, IdComesFromTheFileNameWhenNotGiven) {
  CreateInput in;
  in.json = R"({"name": "tenants/1280/people/anna", "displayName": "Anna Svensson",
               "role": "ELECTED_OFFICIAL"})";
  in.fields = Flags(Kind::kPerson, {{"email", {"anna@malmo.se"}}});
  absl::StatusOr<v1::CreatePersonRequest> request = BuildCreatePerson(in, kSv);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->person_id(), "anna");
  EXPECT_EQ(request->person().display_name(), "Anna Svensson");
  EXPECT_EQ(request->person().email(), "anna@malmo.se");
  EXPECT_EQ(request->person().role(), v1::ELECTED_OFFICIAL);
  EXPECT_TRUE(request->person().name().empty());
}

TEST(CreateTest, FlagsOverrideTheFile) {
  CreateInput in;
  in.id = "ks";
  in.json = R"({"displayName": "Gammalt namn", "coordinator": false})";
  in.fields = Flags(Kind::kCommittee, {{"display-name", {"Kommunstyrelsen"}},
                                       {"coordinator", {"ja"}},
                                       {"administration", {"stadskontoret"}}});
  absl::StatusOr<v1::CreateCommitteeRequest> request = BuildCreateCommittee(in, kSv);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->committee().display_name(), "Kommunstyrelsen");
  EXPECT_TRUE(request->committee().coordinator());
  EXPECT_EQ(request->committee().administration(), "tenants/1280/administrations/stadskontoret");
}

TEST(CreateTest, MissingIdAndBadJsonAreUsageErrors) {
  CreateInput no_id;
  EXPECT_THAT(std::string(BuildCreatePerson(no_id, kSv).status().message()),
              HasSubstr("--id saknas"));
  CreateInput bad_json;
  bad_json.id = "x";
  bad_json.json = R"({"displayName": )";
  EXPECT_THAT(std::string(BuildCreatePerson(bad_json, kEn).status().message()),
              HasSubstr("--from-file"));
  CreateInput unknown_field;
  unknown_field.id = "x";
  unknown_field.json = R"({"shoeSize": 42})";
  EXPECT_FALSE(BuildCreatePerson(unknown_field, kEn).ok());
}

TEST(AppointTest, TrackAndPeopleAreResolved) {
  CreateInput in;
  in.id = "fri-medborgardialog-2020";
  in.fields = Flags(Kind::kAppointment, {{"person", {"erik"}},
                                         {"administration", {"fritidsforvaltningen"}},
                                         {"track", {"Medborgardialog"}},
                                         {"start-date", {"2020-03-01"}},
                                         {"substitute", {"lena"}}});
  absl::StatusOr<v1::AppointRepresentativeRequest> request = BuildAppointRepresentative(in, kSv);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->appointment_id(), "fri-medborgardialog-2020");
  EXPECT_EQ(request->appointment().person(), "tenants/1280/people/erik");
  EXPECT_EQ(request->appointment().track(), v1::TRACK_MEDBORGARDIALOG);
  EXPECT_EQ(request->appointment().substitute(), "tenants/1280/people/lena");
}

TEST(CreateConsultationTest, QuestionsAndBodies) {
  CreateInput in;
  in.id = "stk-2018-90";
  in.fields = Flags(Kind::kConsultation,
                    {{"case-number", {"STK-2018-90"}},
                     {"question", {"Hur ser ni på förslaget, i stort?", "Vilka konsekvenser?"}},
                     {"body", {"fritidsnamnden,miljonamnden", "kulturnamnden"}},
                     {"deadline", {"2019-06-28"}}});
  absl::StatusOr<v1::CreateConsultationRequest> request = BuildCreateConsultation(in, kSv);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(request->consultation().questions(),
              ElementsAre("Hur ser ni på förslaget, i stort?", "Vilka konsekvenser?"));
  EXPECT_THAT(
      request->consultation().bodies(),
      ElementsAre("tenants/1280/committees/fritidsnamnden", "tenants/1280/committees/miljonamnden",
                  "tenants/1280/committees/kulturnamnden"));
}

struct MaskCase {
  std::string name;
  std::vector<std::string> sets;
  std::string json;
  std::string update_mask;
  std::vector<std::string> expected_mask;
};

class UpdateMaskTest : public ::testing::TestWithParam<MaskCase> {};

TEST_P(UpdateMaskTest, MaskFollowsTheFlags) {
  const MaskCase& c = GetParam();
  absl::StatusOr<FieldValues> sets = ParseSetArguments(Kind::kDialogue, c.sets, Lang::kSv);
  ASSERT_TRUE(sets.ok()) << sets.status();
  UpdateInput in;
  in.name = "lindangen-trygghet";
  in.etag = "7";
  in.fields = *sets;
  in.json = c.json;
  in.update_mask = c.update_mask;
  absl::StatusOr<v1::UpdateDialogueRequest> request = BuildUpdateDialogue(in, kSv);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(Paths(request->update_mask()), c.expected_mask);
  EXPECT_EQ(request->dialogue().name(), "tenants/1280/dialogues/lindangen-trygghet");
  EXPECT_EQ(request->dialogue().etag(), "7");
}

INSTANTIATE_TEST_SUITE_P(
    Masks, UpdateMaskTest,
    ::testing::Values(
        MaskCase{"OneField", {"title=Ny titel"}, "", "", {"title"}},
        MaskCase{"NestedAndKeyByFlagName",
                 {"outcome.result=Bra", "case-number=STK-2018-90"},
                 "",
                 "",
                 {"outcome.result", "influence.case_number"}},
        MaskCase{"RepeatedKeyIsOnePath",
                 {"channels=bibliotek", "channels=malmopanelen"},
                 "",
                 "",
                 {"channels"}},
        MaskCase{"ClearingIsInTheMask", {"area_description="}, "", "", {"area_description"}},
        MaskCase{"FileWithoutMaskSkipsOutputOnlyFields",
                 {},
                 R"({"name": "tenants/1280/dialogues/lindangen-trygghet", "title": "T",
                     "status": "ONGOING", "version": "3", "etag": "3",
                     "influence": {"caseNumber": "STK-2018-90"}})",
                 "",
                 {"title", "influence"}},
        MaskCase{"ExplicitMaskThenSets",
                 {"question=Vad?"},
                 R"({"title": "T", "question": "Q"})",
                 "title",
                 {"title", "question"}}),
    [](const ::testing::TestParamInfo<MaskCase>& info) { return info.param.name; });

TEST(UpdateTest, ValuesAreConvertedAndResolved) {
  absl::StatusOr<FieldValues> sets = ParseSetArguments(
      Kind::kDialogue,
      {"type=kunskapsdialog", "co_administrations=miljoforvaltningen,fritidsforvaltningen",
       "end_date=2020-12-31"},
      Lang::kSv);
  ASSERT_TRUE(sets.ok());
  UpdateInput in{"x", "2", "", *sets, "", {"", "r"}};
  absl::StatusOr<v1::UpdateDialogueRequest> request = BuildUpdateDialogue(in, kSv);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->dialogue().type(), v1::KUNSKAPSDIALOG);
  EXPECT_THAT(request->dialogue().co_administrations(),
              ElementsAre("tenants/1280/administrations/miljoforvaltningen",
                          "tenants/1280/administrations/fritidsforvaltningen"));
  EXPECT_EQ(FormatDate(request->dialogue().end_date()), "2020-12-31");
  EXPECT_EQ(request->options().request_id(), "r");
}

TEST(UpdateTest, UsageErrors) {
  EXPECT_THAT(
      std::string(ParseSetArguments(Kind::kPerson, {"email"}, Lang::kSv).status().message()),
      HasSubstr("fält=värde"));
  EXPECT_THAT(
      std::string(ParseSetArguments(Kind::kPerson, {"status=x"}, Lang::kEn).status().message()),
      HasSubstr("unknown field \"status\"; known fields are display_name, email, role"));
  UpdateInput no_etag{"anna", "", "", {}, "", {}};
  no_etag.fields = *ParseSetArguments(Kind::kPerson, {"email=a@b.se"}, Lang::kSv);
  EXPECT_THAT(std::string(BuildUpdatePerson(no_etag, kSv).status().message()),
              HasSubstr("--etag saknas"));
  UpdateInput nothing{"anna", "1", "", {}, "", {}};
  EXPECT_THAT(std::string(BuildUpdatePerson(nothing, kEn).status().message()),
              HasSubstr("Nothing to change"));
}

TEST(AnswerTest, PointsAreTaggedInEitherLanguage) {
  AnswerInput in;
  in.consultation = "stk-2018-90";
  in.body = "fritidsnamnden";
  in.summary = "Nämnden ställer sig positiv.";
  in.decision_reference = "FRN §45, 2019-05-21";
  in.received_date = "2019-05-22";
  in.points = {"positive: Tydligare roller", "förslag:Samla kanalerna",
               "Konsekvens:Mer samordning"};
  in.write = {"", "req"};
  absl::StatusOr<v1::RecordConsultationAnswerRequest> request = BuildAnswer(in, kSv);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->consultation(), "tenants/1280/consultations/stk-2018-90");
  const v1::ConsultationAnswer& a = request->answer();
  EXPECT_EQ(a.body(), "tenants/1280/committees/fritidsnamnden");
  EXPECT_EQ(FormatDate(a.received_date()), "2019-05-22");
  ASSERT_EQ(a.points_size(), 3);
  EXPECT_EQ(a.points(0).tag(), v1::POSITIVE);
  EXPECT_EQ(a.points(0).text(), "Tydligare roller");
  EXPECT_EQ(a.points(1).tag(), v1::PROPOSAL);
  EXPECT_EQ(a.points(2).tag(), v1::CONSEQUENCE);
}

TEST(AnswerTest, BadPoints) {
  EXPECT_THAT(std::string(ParsePoint("Bra förslag", Lang::kSv).status().message()),
              HasSubstr("skriv TAGG:text, där TAGG är positiv, negativ, konsekvens, förslag"));
  EXPECT_THAT(std::string(ParsePoint("neutral:text", Lang::kEn).status().message()),
              HasSubstr("unknown tag; valid ones are positive, negative, consequence, proposal"));
  EXPECT_THAT(std::string(ParsePoint("negative:  ", Lang::kEn).status().message()),
              HasSubstr("text is missing"));
}

TEST(TransitionTest, StatusInSwedishOrEnglish) {
  for (const std::string word : {"pågående", "ongoing", "ONGOING"}) {
    absl::StatusOr<v1::TransitionDialogueRequest> request =
        BuildTransition("x", word, "4", {"", "r"}, kSv);
    ASSERT_TRUE(request.ok()) << word;
    EXPECT_EQ(request->status(), v1::ONGOING);
    EXPECT_EQ(request->name(), "tenants/1280/dialogues/x");
    EXPECT_EQ(request->etag(), "4");
  }
  EXPECT_THAT(std::string(BuildTransition("x", "klar", "4", {}, kSv).status().message()),
              HasSubstr("giltiga är planerad, pågående, genomförd, återkopplad"));
  EXPECT_THAT(std::string(BuildTransition("x", "ongoing", "", {}, kEn).status().message()),
              HasSubstr("--etag is missing"));
}

TEST(EndAndRetireTest, Requests) {
  absl::StatusOr<v1::EndAppointmentRequest> end =
      BuildEndAppointment("a1", "2020-12-31", "", {"Slutar", "r"}, kSv);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end->name(), "tenants/1280/appointments/a1");
  EXPECT_EQ(FormatDate(end->end_date()), "2020-12-31");
  EXPECT_EQ(end->options().reason(), "Slutar");
  EXPECT_FALSE(BuildEndAppointment("a1", "", "", {}, kSv).ok());
  EXPECT_FALSE(BuildEndAppointment("a1", "31/12", "", {}, kSv).ok());

  absl::StatusOr<v1::RetireCommitteeRequest> retire =
      BuildRetireCommittee("tenants/1280/committees/x", "9", {"", "r"}, kSv);
  ASSERT_TRUE(retire.ok());
  EXPECT_EQ(retire->name(), "tenants/1280/committees/x");
  EXPECT_FALSE(BuildRetireAdministration("y", "", {}, kSv).ok());
}

TEST(AsOfTest, VersionOrTimeNotBoth) {
  auto version = BuildAsOf("3", "", Lang::kSv);
  ASSERT_TRUE(version.ok());
  ASSERT_TRUE(version->has_value());
  EXPECT_EQ((*version)->version(), 3);
  auto time = BuildAsOf("", "2019-06-28T12:00:00+02:00", Lang::kSv);
  ASSERT_TRUE(time.ok());
  EXPECT_EQ((*time)->time().seconds(), 1561716000);
  auto none = BuildAsOf("", "", Lang::kSv);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(BuildAsOf("3", "2019-06-28T12:00:00Z", Lang::kSv).ok());
  EXPECT_FALSE(BuildAsOf("0", "", Lang::kSv).ok());
  EXPECT_FALSE(BuildAsOf("", "2019-06-28", Lang::kSv).ok());
}

ListInput ListOf(Kind kind) {
  ListInput in;
  in.kind = kind;
  return in;
}

TEST(ListTest, OptionsApplyToTheirKindsOnly) {
  ListInput in;
  in.kind = Kind::kDialogue;
  in.filter = "type = MEDBORGARDIALOG";
  in.order_by = "start_date desc";
  in.all = true;
  EXPECT_TRUE(CheckListInput(in, Lang::kSv).ok());
  v1::ListDialoguesRequest request = BuildListDialogues(in, kSv);
  EXPECT_EQ(request.parent(), "tenants/1280");
  EXPECT_EQ(request.filter(), "type = MEDBORGARDIALOG");
  EXPECT_EQ(request.order_by(), "start_date desc");
  EXPECT_EQ(request.page_size(), 1000);

  in.kind = Kind::kPerson;
  EXPECT_THAT(std::string(CheckListInput(in, Lang::kEn).message()),
              HasSubstr("--filter does not apply to list person"));
  ListInput network = ListOf(Kind::kNetwork);
  network.page_size = 10;
  EXPECT_FALSE(CheckListInput(network, Lang::kSv).ok());
  ListInput hints = ListOf(Kind::kHints);
  EXPECT_THAT(std::string(CheckListInput(hints, Lang::kSv).message()),
              HasSubstr("kräver ett namn"));
  ListInput bare_id = ListOf(Kind::kHistory);
  bare_id.subject = "lindangen-trygghet";
  EXPECT_THAT(std::string(CheckListInput(bare_id, Lang::kSv).message()),
              HasSubstr("ange resursnamnet, t.ex. dialogues/lindangen-trygghet"));
  ListInput tenant = ListOf(Kind::kTenant);
  EXPECT_FALSE(CheckListInput(tenant, Lang::kSv).ok());
  ListInput retired = ListOf(Kind::kCommittee);
  retired.show_retired = true;
  EXPECT_TRUE(CheckListInput(retired, Lang::kSv).ok());
  EXPECT_TRUE(BuildListCommittees(retired, kSv).show_retired());
}

TEST(ListTest, SubjectsAndDates) {
  ListInput hints = ListOf(Kind::kHints);
  hints.subject = "lindangen-trygghet";
  EXPECT_EQ(BuildListHints(hints, kSv).dialogue(), "tenants/1280/dialogues/lindangen-trygghet");
  ListInput history = ListOf(Kind::kHistory);
  history.subject = "committees/ks";
  history.page_size = 20;
  EXPECT_EQ(BuildHistory(history, kSv).name(), "tenants/1280/committees/ks");
  EXPECT_EQ(BuildHistory(history, kSv).page_size(), 20);
  ListInput network = ListOf(Kind::kNetwork);
  network.date = "2020-02-06";
  auto request = BuildListNetwork(network, kSv);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(FormatDate(request->date()), "2020-02-06");
  ListInput overdue = ListOf(Kind::kOverdue);
  ASSERT_TRUE(BuildListOverdue(overdue, kSv).ok());
  EXPECT_FALSE(BuildListOverdue(overdue, kSv)->has_date());
  overdue.date = "igår";
  EXPECT_FALSE(BuildListOverdue(overdue, kSv).ok());
  ListInput appointments = ListOf(Kind::kAppointment);
  appointments.administration = "stadskontoret";
  EXPECT_EQ(BuildListAppointments(appointments, kSv).administration(),
            "tenants/1280/administrations/stadskontoret");
}

TEST(KindTest, EnglishSwedishAndPlural) {
  EXPECT_EQ(ParseKind("dialogue"), Kind::kDialogue);
  EXPECT_EQ(ParseKind("Dialoginsatser"), Kind::kDialogue);
  EXPECT_EQ(ParseKind("nämnd"), Kind::kCommittee);
  EXPECT_EQ(ParseKind("förvaltningar"), Kind::kAdministration);
  EXPECT_EQ(ParseKind("remiss"), Kind::kConsultation);
  EXPECT_EQ(ParseKind("people"), Kind::kPerson);
  EXPECT_EQ(ParseKind("nätverket"), Kind::kNetwork);
  EXPECT_FALSE(ParseKind("meeting").has_value());
  EXPECT_EQ(ResolveName(Kind::kTenant, "1280", "tenants/1280"), "tenants/1280");
  EXPECT_EQ(ResolveName(Kind::kArea, "tenants/0180/areas/x", "tenants/1280"),
            "tenants/0180/areas/x");
  EXPECT_EQ(ResolveAnyName("tenants/1280", "tenants/1280"), "tenants/1280");
}

}  // namespace
}  // namespace samrad::ctl
