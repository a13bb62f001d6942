// Rendering: aligned tables and details with Swedish letters, labels in Swedish and
// English, local times in Europe/Stockholm, proto JSON.
#include "services/samradctl/output.h"

#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/common/text.h"
#include "nlohmann/json.hpp"
#include "services/samradctl/values.h"
#include "services/samradctl/views.h"

namespace samrad::ctl {
namespace {

namespace v1 = ::samrad::registry::v1;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Printed(const Table& table) {
  std::ostringstream out;
  table.Print(out);
  return out.str();
}

std::string Printed(const Details& details) {
  std::ostringstream out;
  PrintDetails(details, out);
  return out.str();
}

google::protobuf::Timestamp Utc(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

v1::Dialogue Lindangen() {
  v1::Dialogue d;
  d.set_name("tenants/1280/dialogues/lindangen-trygghet");
  d.set_title("Trygghet i Lindängen");
  d.set_type(v1::MEDBORGARDIALOG);
  d.set_status(v1::ONGOING);
  d.set_lead_administration("tenants/1280/administrations/stadskontoret");
  *d.mutable_start_date() = *ParseDate("2019-02-19");
  *d.mutable_end_date() = *ParseDate("2019-06-28");
  d.add_target_groups(v1::CHILDREN);
  d.add_other_target_groups("nyinflyttade");
  d.add_areas("tenants/1280/areas/lindangen");
  d.set_version(3);
  d.set_etag("3");
  auto* principle = d.add_principles();
  principle->set_principle(6);
  principle->set_evidenced(true);
  principle->set_explanation("Barn och unga är målgrupp.");
  auto* missing = d.add_principles();
  missing->set_principle(7);
  missing->set_explanation("Ingen återkoppling registrerad.");
  return d;
}

TEST(TableTest, ColumnsAlignByCodePointsNotBytes) {
  Table table({"ID", "NAMN", "FÖRVALTNING"});
  table.AddRow({"ks", "Kommunstyrelsen", "stadskontoret"});
  table.AddRow({"miljonamnden", "Miljönämnden", "miljöförvaltningen"});
  EXPECT_EQ(Printed(table),
            "ID            NAMN             FÖRVALTNING\n"
            "ks            Kommunstyrelsen  stadskontoret\n"
            "miljonamnden  Miljönämnden     miljöförvaltningen\n");
}

TEST(TableTest, LongAndMultiLineCellsStayOnOneLine) {
  EXPECT_EQ(FitCell("rad ett\nrad två", 60), "rad ett rad två");
  const std::string cut = FitCell("Åtgärder för ökad trygghet", 10);
  EXPECT_EQ(cut, "Åtgärder …");
  EXPECT_EQ(CodePointCount(cut), 10u);
  Table table({"A", "B"});
  table.AddRow({"x"});  // missing cells print empty, with no trailing spaces
  EXPECT_EQ(Printed(table), "A  B\nx\n");
}

TEST(DetailsTest, LabelsAlignAndContinuationLinesIndent) {
  EXPECT_EQ(Printed({{"Titel", "Trygghet i Lindängen"},
                     {"Område", ""},
                     {"Förtroendevalda", "anna, erik"},
                     {"Frågor", "1. Hur?\n2. Varför?"}}),
            "Titel:            Trygghet i Lindängen\n"
            "Förtroendevalda:  anna, erik\n"
            "Frågor:           1. Hur?\n"
            "                  2. Varför?\n");
}

TEST(ViewsTest, DialogueTableInSwedishAndEnglish) {
  google::protobuf::RepeatedPtrField<v1::Dialogue> dialogues;
  *dialogues.Add() = Lindangen();
  const std::string sv = Printed(TableOf(dialogues, Lang::kSv));
  EXPECT_EQ(sv,
            "ID                  TITEL                 TYP              STATUS    FÖRVALTNING    "
            "PERIOD\n"
            "lindangen-trygghet  Trygghet i Lindängen  medborgardialog  pågående  stadskontoret  "
            "2019-02-19 – 2019-06-28\n");
  const std::string en = Printed(TableOf(dialogues, Lang::kEn));
  EXPECT_THAT(en, HasSubstr("TITLE"));
  EXPECT_THAT(en, HasSubstr("citizen dialogue  ongoing"));
}

TEST(ViewsTest, DialogueDetails) {
  const std::string sv = Printed(DetailsOf(Lindangen(), Lang::kSv));
  // The value column starts after the longest label, "Ansvarig förvaltning:", and a gap.
  EXPECT_THAT(sv, HasSubstr("Resurs:" + std::string(16, ' ') +
                            "tenants/1280/dialogues/lindangen-trygghet\n"));
  EXPECT_THAT(sv, HasSubstr("Ansvarig förvaltning:  stadskontoret\n"));
  EXPECT_THAT(sv, HasSubstr("Status:" + std::string(16, ' ') + "pågående\n"));
  EXPECT_THAT(sv, HasSubstr("Målgrupper:" + std::string(12, ' ') + "barn, nyinflyttade\n"));
  EXPECT_THAT(sv, HasSubstr("Principer:" + std::string(13, ' ') +
                            "6. uppfylld – Barn och unga är målgrupp.\n" + std::string(23, ' ') +
                            "7. saknas – Ingen återkoppling registrerad.\n"));
  EXPECT_THAT(sv, Not(HasSubstr("Resultat:")));  // empty fields are left out
  const std::string en = Printed(DetailsOf(Lindangen(), Lang::kEn));
  EXPECT_THAT(en, HasSubstr("Target groups:"));
  EXPECT_THAT(en, HasSubstr("6. evidenced"));
}

TEST(ViewsTest, ConsultationShowsAnswersAndWhoIsMissing) {
  v1::Consultation c;
  c.set_name("tenants/1280/consultations/stk-2018-90");
  c.set_case_number("STK-2018-90");
  c.add_bodies("tenants/1280/committees/fritidsnamnden");
  c.add_bodies("tenants/1280/committees/miljonamnden");
  auto* answer = c.add_answers();
  answer->set_body("tenants/1280/committees/fritidsnamnden");
  answer->set_summary("Positiv.");
  auto* point = answer->add_points();
  point->set_tag(v1::PROPOSAL);
  point->set_text("Samla kanalerna");
  const std::string sv = Printed(DetailsOf(c, Lang::kSv));
  EXPECT_THAT(sv, ContainsRegex("\nSvar: +1 av 2\n"));
  EXPECT_THAT(sv, ContainsRegex("\nSvar saknas från: +miljonamnden\n"));
  EXPECT_THAT(sv, ContainsRegex("\nSvar från fritidsnamnden: +Positiv\\.\n +– förslag: Samla "
                                "kanalerna\n"));
}

TEST(ViewsTest, HistoryShowsStockholmTimeAndWhatHappened) {
  google::protobuf::RepeatedPtrField<v1::RegistryEvent> events;
  v1::RegistryEvent& registered = *events.Add();
  auto* m = registered.mutable_metadata();
  m->set_aggregate_version(1);
  *m->mutable_occurred_at() = Utc(1550581380);  // 2019-02-19T13:03:00Z, winter time
  m->mutable_actor()->set_id("anna.svensson");
  m->mutable_actor()->set_display_name("Anna Svensson");
  m->set_request_id("req-1");
  registered.mutable_dialogue_registered();
  v1::RegistryEvent& changed = *events.Add();
  changed.mutable_metadata()->set_aggregate_version(2);
  *changed.mutable_metadata()->mutable_occurred_at() = Utc(1561716000);  // 10:00Z, summer
  changed.mutable_metadata()->set_reason("Dialogen har startat");
  changed.mutable_dialogue_status_changed()->set_from(v1::PLANNED);
  changed.mutable_dialogue_status_changed()->set_to(v1::ONGOING);
  v1::RegistryEvent& updated = *events.Add();
  updated.mutable_metadata()->set_aggregate_version(3);
  updated.mutable_dialogue_updated()->mutable_update_mask()->add_paths("title");
  updated.mutable_dialogue_updated()->mutable_update_mask()->add_paths("areas");

  const std::string sv = Printed(TableOf(events, Lang::kSv));
  EXPECT_THAT(sv, HasSubstr("VERSION  TID                  AKTÖR"));
  EXPECT_THAT(sv, HasSubstr("1        2019-02-19 14:03:00  Anna Svensson (anna.svensson)  "
                            "dialoginsats registrerad"));
  EXPECT_THAT(sv, HasSubstr("2019-06-28 12:00:00"));
  EXPECT_THAT(sv, HasSubstr("status ändrad: planerad → pågående"));
  EXPECT_THAT(sv, HasSubstr("Dialogen har startat"));
  EXPECT_THAT(sv, HasSubstr("dialoginsats ändrad (title, areas)"));
  const std::string en = Printed(TableOf(events, Lang::kEn));
  EXPECT_THAT(en, HasSubstr("status changed: planned → ongoing"));
  EXPECT_THAT(en, HasSubstr("REQUEST ID"));
}

TEST(ViewsTest, NetworkMarksVacancies) {
  google::protobuf::RepeatedPtrField<v1::NetworkMember> members;
  v1::NetworkMember& member = *members.Add();
  member.set_administration("tenants/1280/administrations/fritidsforvaltningen");
  member.set_track(v1::TRACK_MEDBORGARDIALOG);
  member.mutable_person()->set_display_name("Åsa Öberg");
  member.mutable_appointment()->set_name("tenants/1280/appointments/a1");
  v1::NetworkMember& vacancy = *members.Add();
  vacancy.set_administration("tenants/1280/administrations/miljoforvaltningen");
  vacancy.set_track(v1::TRACK_KUNSKAPSDIALOG);
  const std::string sv = Printed(TableOf(members, Lang::kSv));
  EXPECT_THAT(sv, HasSubstr("fritidsforvaltningen  medborgardialog  Åsa Öberg"));
  EXPECT_THAT(sv, HasSubstr("miljoforvaltningen    kunskapsdialog   (vakant)"));
}

TEST(ViewsTest, WarningsAndHintsAfterAWrite) {
  google::protobuf::RepeatedPtrField<v1::Warning> warnings;
  auto* w = warnings.Add();
  w->set_field("dialogue.channels[0]");
  w->set_reason("CHANNEL_NOT_USUAL");
  w->set_description("Kanalen används sällan för medborgardialog.");
  google::protobuf::RepeatedPtrField<v1::CoordinationHint> hints;
  auto* h = hints.Add();
  h->set_other_dialogue("tenants/1280/dialogues/fosie-parker");
  h->set_other_lead_administration("tenants/1280/administrations/fastighets-och-gatukontoret");
  h->add_shared_areas("tenants/1280/areas/lindangen");
  h->add_shared_target_groups(v1::CHILDREN);
  std::ostringstream out;
  PrintWarningsAndHints(warnings, hints, Lang::kSv, out);
  EXPECT_THAT(out.str(), HasSubstr("Varningar:\n  dialogue.channels[0]: Kanalen används sällan "
                                   "för medborgardialog. [CHANNEL_NOT_USUAL]\n"));
  EXPECT_THAT(out.str(), HasSubstr("Samordningstips"));
  EXPECT_THAT(out.str(), HasSubstr("fosie-parker  fastighets-och-gatukontoret  lindangen"));
  std::ostringstream none;
  PrintWarningsAndHints({}, {}, Lang::kSv, none);
  EXPECT_EQ(none.str(), "");
}

TEST(JsonTest, ProtoJsonObjectAndArray) {
  const nlohmann::json one = nlohmann::json::parse(ToJson(Lindangen()));
  EXPECT_EQ(one["title"], "Trygghet i Lindängen");
  EXPECT_EQ(one["type"], "MEDBORGARDIALOG");
  EXPECT_EQ(one["leadAdministration"], "tenants/1280/administrations/stadskontoret");
  EXPECT_EQ(one["startDate"]["year"], 2019);
  EXPECT_THAT(ToJson(Lindangen()), HasSubstr("\"Trygghet i Lindängen\""));  // UTF-8, unescaped

  const v1::Dialogue first = Lindangen();
  v1::Dialogue other;
  other.set_title("Två");
  const nlohmann::json array = nlohmann::json::parse(ToJsonArray({&first, &other}));
  ASSERT_TRUE(array.is_array());
  ASSERT_EQ(array.size(), 2u);
  EXPECT_EQ(array[1]["title"], "Två");
  EXPECT_EQ(ToJsonArray({}), "[]");
}

}  // namespace
}  // namespace samrad::ctl
