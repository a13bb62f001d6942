// The organisation data file and its parser (organisation_data.h). The one test here that
// reads a file reads deploy/config/malmo.json through SAMRAD_SOURCE_DIR.

#include "services/registry/domain/organisation_data.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/domain/in_memory_registry.h"
#include "services/registry/domain/names.h"
#include "tests/services/registry/domain/domain_test_support.h"

namespace samrad::registry::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;
using namespace testing;  // NOLINT

std::string ReadMalmo() {
  const char* root = std::getenv("SAMRAD_SOURCE_DIR");
  if (root == nullptr) return "";
  std::ifstream in(std::string(root) + "/deploy/config/malmo.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string IdOf(const std::string& name) {
  const auto parsed = ParseResourceName(name);
  return parsed.has_value() ? parsed->id : "";
}

TEST(MalmoDataTest, LoadsTheCityAsDomainDescribesIt) {
  const std::string text = ReadMalmo();
  ASSERT_FALSE(text.empty()) << "set SAMRAD_SOURCE_DIR (ctest does)";
  const absl::StatusOr<OrganisationData> data = ParseOrganisationData(text);
  ASSERT_TRUE(data.ok()) << data.status();

  EXPECT_EQ(data->tenant.name(), "tenants/1280");
  EXPECT_EQ(data->tenant.code(), "1280");
  EXPECT_EQ(data->tenant.display_name(), "Malmö stad");

  // The 13 bodies: 12 subject committees with their administrations, and KS/stadskontoret.
  ASSERT_EQ(data->committees.size(), 13u);
  ASSERT_EQ(data->administrations.size(), 13u);
  std::map<std::string, std::string> pairs;
  for (const v1::Committee& c : data->committees) {
    pairs[c.display_name()] = "";
    for (const v1::Administration& a : data->administrations) {
      if (a.name() == c.administration()) {
        EXPECT_EQ(a.committee(), c.name());
        pairs[c.display_name()] = a.display_name();
      }
    }
  }
  EXPECT_THAT(
      pairs,
      ElementsAreArray(std::map<std::string, std::string>{
          {"Arbetsmarknads- och socialnämnden", "Arbetsmarknads- och socialförvaltningen"},
          {"Fritidsnämnden", "Fritidsförvaltningen"},
          {"Funktionsstödsnämnden", "Funktionsstödsförvaltningen"},
          {"Förskolenämnden", "Förskoleförvaltningen"},
          {"Grundskolenämnden", "Grundskoleförvaltningen"},
          {"Gymnasie- och vuxenutbildningsnämnden", "Gymnasie- och vuxenutbildningsförvaltningen"},
          {"Hälsa-, vård- och omsorgsnämnden", "Hälsa-, vård- och omsorgsförvaltningen"},
          {"Kommunstyrelsen", "Stadskontoret"},
          {"Kulturnämnden", "Kulturförvaltningen"},
          {"Miljönämnden", "Miljöförvaltningen"},
          {"Servicenämnden", "Serviceförvaltningen"},
          {"Stadsbyggnadsnämnden", "Stadsbyggnadskontoret"},
          {"Tekniska nämnden", "Fastighets- och gatukontoret"},
      }));

  // Eight committees with charter duties; miljö without the user-dialogue duty.
  std::set<std::string> citizen, user, coordinators;
  for (const v1::Committee& c : data->committees) {
    if (c.charter_citizen_dialogue()) citizen.insert(IdOf(c.name()));
    if (c.charter_user_consultation()) user.insert(IdOf(c.name()));
    if (c.coordinator()) coordinators.insert(IdOf(c.name()));
    EXPECT_EQ(c.state(), v1::ACTIVE);
  }
  const std::set<std::string> eight = {"arbetsmarknads-och-socialnamnden",
                                       "forskolenamnden",
                                       "funktionsstodsnamnden",
                                       "grundskolenamnden",
                                       "gymnasie-och-vuxenutbildningsnamnden",
                                       "halsa-vard-och-omsorgsnamnden",
                                       "miljonamnden",
                                       "servicenamnden"};
  EXPECT_EQ(citizen, eight);
  std::set<std::string> seven = eight;
  seven.erase("miljonamnden");
  EXPECT_EQ(user, seven);
  EXPECT_THAT(coordinators, ElementsAre("kommunstyrelsen"));

  // Ten districts, Lindängen in Fosie, and the whole city.
  ASSERT_EQ(data->areas.size(), 12u);
  std::map<std::string, v1::Area::Kind> kinds;
  for (const v1::Area& a : data->areas) kinds[IdOf(a.name())] = a.kind();
  EXPECT_EQ(kinds["hela-staden"], v1::Area::WHOLE_CITY);
  EXPECT_EQ(kinds["lindangen"], v1::Area::LOCAL_AREA);
  int districts = 0;
  for (const auto& [id, kind] : kinds) districts += kind == v1::Area::DISTRICT ? 1 : 0;
  EXPECT_EQ(districts, 10);
  for (const v1::Area& a : data->areas) {
    if (IdOf(a.name()) == "lindangen") {
      EXPECT_EQ(a.parent(), "tenants/1280/areas/fosie");
    }
  }

  // The 19 channels of Tabell 3 with their usual types (M, K, B, V).
  ASSERT_EQ(data->channels.size(), 19u);
  std::map<std::string, std::string> types;
  for (const v1::Channel& c : data->channels) {
    std::string marks;
    for (int t : c.usual_types()) {
      marks += t == v1::MEDBORGARDIALOG  ? "M"
               : t == v1::KUNSKAPSDIALOG ? "K"
               : t == v1::BRUKARDIALOG   ? "B"
                                         : "V";
    }
    types[c.display_name()] = marks;
  }
  EXPECT_THAT(types,
              ElementsAreArray(std::map<std::string, std::string>{
                  {"Bibliotek", "BV"},
                  {"Brukarenkäter", "B"},
                  {"Dialog i stadsutveckling", "MK"},
                  {"Dialog med föreningslivet", "KB"},
                  {"Digitala kanaler", "MKBV"},
                  {"Fysiska möten politiker–medborgare", "M"},
                  {"Kontaktcenter (företagslots, kundcenter, medborgarkontor, televäxel)", "V"},
                  {"Kunddisk för bygglov", "V"},
                  {"Malmöinitiativet", "M"},
                  {"Malmöpanelen", "M"},
                  {"Medborgarförslag", "M"},
                  {"Möten i verksamheten", "B"},
                  {"Mötesplatser", "B"},
                  {"Paneler (brukare och medborgare)", "MB"},
                  {"Receptioner", "V"},
                  {"Råd (pensionärsråd, funktionshindersråd)", "KB"},
                  {"Rådgivningsfunktioner", "V"},
                  {"Samråd enligt PBL", "K"},
                  {"Vägledningscenter", "V"},
              }));
  for (const v1::Channel& c : data->channels) {
    // Medborgarförslag were abolished in February 2020.
    EXPECT_EQ(c.state(), IdOf(c.name()) == "medborgarforslag" ? v1::RETIRED : v1::ACTIVE);
  }

  // First start: the events create exactly this organisation.
  const std::vector<v1::RegistryEvent> events = BootstrapEvents(*data, Ctx().now);
  EXPECT_EQ(events.size(), 1u + 13 + 13 + 12 + 19);
  InMemoryRegistry registry;
  ASSERT_TRUE(registry.ApplyAll(events).ok());
  EXPECT_EQ(registry.GetTenant("tenants/1280")->display_name(), "Malmö stad");
  EXPECT_EQ(registry.ListCommittees("tenants/1280").size(), 13u);
  EXPECT_EQ(registry.ListAreas("tenants/1280").size(), 12u);
  EXPECT_EQ(registry.ListChannels("tenants/1280").size(), 19u);
}

TEST(OrganisationDataTest, BootstrapEventOrder) {
  const absl::StatusOr<OrganisationData> data = ParseOrganisationData(kSmallMalmo);
  ASSERT_TRUE(data.ok()) << data.status();
  const std::vector<v1::RegistryEvent> events = BootstrapEvents(*data, Ctx().now);
  std::vector<std::string> cases;
  for (const v1::RegistryEvent& e : events) {
    EXPECT_FALSE(e.has_metadata());
    if (cases.empty() || cases.back() != CaseName(e)) cases.push_back(CaseName(e));
  }
  EXPECT_THAT(cases, ElementsAre("tenant_created", "committee_created", "administration_created",
                                 "area_defined", "channel_defined"));
  EXPECT_EQ(events[0].tenant_created().code(), "1280");
  EXPECT_EQ(events[0].tenant_created().name(), "Malmö stad");
  EXPECT_EQ(events[1].committee_created().committee().create_time().seconds(),
            absl::ToUnixSeconds(Ctx().now));
}

TEST(OrganisationDataTest, ErrorTable) {
  struct Row {
    std::string name;
    std::string json;
    std::string error;
  };
  const std::string body =
      R"({"committee": {"id": "kn", "display_name": "Kulturnämnden"},
          "administration": {"id": "kf", "display_name": "Kulturförvaltningen"}})";
  const std::string area = R"({"id": "fosie", "display_name": "Fosie", "kind": "DISTRICT"})";
  const std::string channel =
      R"({"id": "bibliotek", "display_name": "Bibliotek", "usual_types": ["BRUKARDIALOG"]})";
  const auto doc = [&](std::string tenant, std::string bodies, std::string areas,
                       std::string channels) {
    return absl::StrCat("{\"tenant\": ", tenant, ", \"bodies\": [", bodies, "], \"areas\": [",
                        areas, "], \"channels\": [", channels, "]}");
  };
  const std::string tenant = R"({"code": "1280", "display_name": "Malmö stad"})";
  const std::vector<Row> rows = {
      {"valid", doc(tenant, body, area, channel), ""},
      {"not JSON", "{", "not valid JSON"},
      {"unknown top-level key",
       absl::StrCat(doc(tenant, body, area, channel).substr(0, 1), "\"colour\": 1, ",
                    doc(tenant, body, area, channel).substr(1)),
       "colour: unknown key"},
      {"tenant code of three digits",
       doc(R"({"code": "128", "display_name": "M"})", body, area, channel),
       "tenant.code: must be the four-digit municipality code"},
      {"no bodies", doc(tenant, "", area, channel), "bodies: must be a non-empty array"},
      {"committee id with ä",
       doc(tenant,
           R"({"committee": {"id": "kulturnämnden", "display_name": "K"},
               "administration": {"id": "kf", "display_name": "KF"}})",
           area, channel),
       "bodies[0].committee.id: must match"},
      {"duplicate administration id",
       doc(tenant,
           body + "," +
               R"({"committee": {"id": "kn2", "display_name": "K2"},
                   "administration": {"id": "kf", "display_name": "KF2"}})",
           area, channel),
       "bodies[1].administration.id: duplicate id \"kf\""},
      {"duplicate display name, other case",
       doc(tenant,
           body + "," +
               R"({"committee": {"id": "kn2", "display_name": "KULTURNÄMNDEN"},
                   "administration": {"id": "kf2", "display_name": "KF2"}})",
           area, channel),
       "bodies[1].committee.display_name: duplicate display name"},
      {"misspelt charter duty",
       doc(tenant,
           R"({"committee": {"id": "kn", "display_name": "K"},
               "administration": {"id": "kf", "display_name": "KF"},
               "charter": {"citizen_dialog": true}})",
           area, channel),
       "bodies[0].charter.citizen_dialog: unknown key"},
      {"charter duty not a boolean",
       doc(tenant,
           R"({"committee": {"id": "kn", "display_name": "K"},
               "administration": {"id": "kf", "display_name": "KF"},
               "charter": {"citizen_dialogue": "ja"}})",
           area, channel),
       "bodies[0].charter.citizen_dialogue: must be true or false"},
      {"two coordinators",
       doc(tenant,
           R"({"committee": {"id": "ks", "display_name": "KS"},
               "administration": {"id": "stk", "display_name": "STK"}, "coordinator": true},
              {"committee": {"id": "ks2", "display_name": "KS2"},
               "administration": {"id": "stk2", "display_name": "STK2"}, "coordinator": true})",
           area, channel),
       "bodies[1].coordinator: only one body coordinates the network"},
      {"area kind unknown",
       doc(tenant, body, R"({"id": "fosie", "display_name": "Fosie", "kind": "TOWN"})", channel),
       "areas[0].kind: must be DISTRICT, LOCAL_AREA or WHOLE_CITY"},
      {"area parent unknown",
       doc(tenant, body,
           R"({"id": "lindangen", "display_name": "Lindängen", "kind": "LOCAL_AREA",
               "parent": "fosie"})",
           channel),
       "areas[0].parent: no area \"fosie\""},
      {"channel type unknown",
       doc(tenant, body, area,
           R"({"id": "bibliotek", "display_name": "Bibliotek", "usual_types": ["LASDIALOG"]})"),
       "channels[0].usual_types[0]: must be MEDBORGARDIALOG"},
      {"channel without types",
       doc(tenant, body, area,
           R"({"id": "bibliotek", "display_name": "Bibliotek", "usual_types": []})"),
       "channels[0].usual_types: must be a non-empty array"},
      {"channel state unknown",
       doc(tenant, body, area,
           R"({"id": "b", "display_name": "B", "usual_types": ["BRUKARDIALOG"],
               "state": "GONE"})"),
       "channels[0].state: must be ACTIVE or RETIRED"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const absl::StatusOr<OrganisationData> data = ParseOrganisationData(row.json);
    if (row.error.empty()) {
      EXPECT_TRUE(data.ok()) << data.status();
    } else {
      EXPECT_EQ(data.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(std::string(data.status().message()), HasSubstr(row.error));
    }
  }
}

TEST(OrganisationDataTest, EveryProblemIsReported) {
  const absl::StatusOr<OrganisationData> data = ParseOrganisationData(
      R"({"tenant": {"code": "x"}, "bodies": [], "areas": [], "channels": []})");
  ASSERT_FALSE(data.ok());
  const std::string message(data.status().message());
  for (const char* problem :
       {"tenant.code", "tenant.display_name: required", "bodies:", "areas:", "channels:"}) {
    EXPECT_THAT(message, HasSubstr(problem));
  }
}

}  // namespace
}  // namespace samrad::registry::domain
