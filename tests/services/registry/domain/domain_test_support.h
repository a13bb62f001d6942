#ifndef SAMRAD_TESTS_SERVICES_REGISTRY_DOMAIN_DOMAIN_TEST_SUPPORT_H_
#define SAMRAD_TESTS_SERVICES_REGISTRY_DOMAIN_DOMAIN_TEST_SUPPORT_H_

// Shared fixtures of the registry domain tests: a small Malmö organisation loaded through
// the organisation data parser, names, dates, valid requests to mutate in table rows, and
// helpers that read the field violations and error reasons of a status.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/api/errors.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/in_memory_registry.h"
#include "services/registry/domain/organisation_data.h"

namespace samrad::registry::domain::testing {

inline constexpr char kTenant[] = "tenants/1280";

inline std::string CommitteeName(std::string_view id) {
  return absl::StrCat(kTenant, "/committees/", std::string(id));
}
inline std::string AdministrationName(std::string_view id) {
  return absl::StrCat(kTenant, "/administrations/", std::string(id));
}
inline std::string AreaName(std::string_view id) {
  return absl::StrCat(kTenant, "/areas/", std::string(id));
}
inline std::string ChannelName(std::string_view id) {
  return absl::StrCat(kTenant, "/channels/", std::string(id));
}
inline std::string PersonName(std::string_view id) {
  return absl::StrCat(kTenant, "/people/", std::string(id));
}
inline std::string AppointmentName(std::string_view id) {
  return absl::StrCat(kTenant, "/appointments/", std::string(id));
}
inline std::string DialogueName(std::string_view id) {
  return absl::StrCat(kTenant, "/dialogues/", std::string(id));
}
inline std::string ConsultationName(std::string_view id) {
  return absl::StrCat(kTenant, "/consultations/", std::string(id));
}

inline google::type::Date D(int y, int m, int d) { return MakeDate(y, m, d); }

// KF decided on 2020-02-06; the tests live on that day unless they say otherwise.
inline DecideContext Ctx(google::type::Date today = D(2020, 2, 6)) {
  DecideContext ctx;
  ctx.today = today;
  ctx.now = absl::FromCivil(absl::CivilSecond(today.year(), today.month(), today.day(), 9, 0, 0),
                            absl::UTCTimeZone());
  return ctx;
}

// A small Malmö: four bodies (Kommunstyrelsen coordinates), four areas and five channels
// of Tabell 3 (one retired).
inline constexpr char kSmallMalmo[] = R"json({
  "tenant": {"code": "1280", "display_name": "Malmö stad"},
  "bodies": [
    {"committee": {"id": "fritidsnamnden", "display_name": "Fritidsnämnden"},
     "administration": {"id": "fritidsforvaltningen", "display_name": "Fritidsförvaltningen"}},
    {"committee": {"id": "grundskolenamnden", "display_name": "Grundskolenämnden"},
     "administration": {"id": "grundskoleforvaltningen",
                        "display_name": "Grundskoleförvaltningen"},
     "charter": {"citizen_dialogue": true, "user_consultation": true}},
    {"committee": {"id": "miljonamnden", "display_name": "Miljönämnden"},
     "administration": {"id": "miljoforvaltningen", "display_name": "Miljöförvaltningen"},
     "charter": {"citizen_dialogue": true}},
    {"committee": {"id": "kommunstyrelsen", "display_name": "Kommunstyrelsen"},
     "administration": {"id": "stadskontoret", "display_name": "Stadskontoret"},
     "coordinator": true}
  ],
  "areas": [
    {"id": "fosie", "display_name": "Fosie", "kind": "DISTRICT"},
    {"id": "rosengard", "display_name": "Rosengård", "kind": "DISTRICT"},
    {"id": "lindangen", "display_name": "Lindängen", "kind": "LOCAL_AREA", "parent": "fosie"},
    {"id": "hela-staden", "display_name": "Hela staden", "kind": "WHOLE_CITY"}
  ],
  "channels": [
    {"id": "malmopanelen", "display_name": "Malmöpanelen", "usual_types": ["MEDBORGARDIALOG"]},
    {"id": "brukarenkater", "display_name": "Brukarenkäter", "usual_types": ["BRUKARDIALOG"]},
    {"id": "dialog-med-foreningslivet", "display_name": "Dialog med föreningslivet",
     "usual_types": ["KUNSKAPSDIALOG", "BRUKARDIALOG"]},
    {"id": "digitala-kanaler", "display_name": "Digitala kanaler",
     "usual_types": ["MEDBORGARDIALOG", "KUNSKAPSDIALOG", "BRUKARDIALOG", "KOMMUNVAGLEDNING"]},
    {"id": "medborgarforslag", "display_name": "Medborgarförslag",
     "usual_types": ["MEDBORGARDIALOG"], "state": "RETIRED"}
  ]
})json";

// Fails the test (and returns an empty result) when `result` is an error.
inline DecideResult ExpectOk(const absl::StatusOr<DecideResult>& result) {
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : DecideResult{};
}

inline void ApplyOrFail(InMemoryRegistry& registry, const absl::StatusOr<DecideResult>& result) {
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(registry.ApplyAll(result->events).ok());
}

inline v1::WriteOptions Options(std::string request_id = "req-1", std::string reason = "") {
  v1::WriteOptions options;
  options.set_request_id(std::move(request_id));
  options.set_reason(std::move(reason));
  return options;
}

inline v1::CreatePersonRequest CreatePerson(std::string id, std::string display_name,
                                            v1::PersonRole role) {
  v1::CreatePersonRequest r;
  r.set_parent(kTenant);
  r.set_person_id(id);
  r.mutable_person()->set_display_name(std::move(display_name));
  r.mutable_person()->set_email(absl::StrCat(id, "@malmo.se"));
  r.mutable_person()->set_role(role);
  *r.mutable_options() = Options(absl::StrCat("person-", id));
  return r;
}

// The small Malmö plus two elected officials (anna, cecilia) and one official (bo).
inline InMemoryRegistry SmallMalmo() {
  InMemoryRegistry registry;
  const absl::StatusOr<OrganisationData> data = ParseOrganisationData(kSmallMalmo);
  EXPECT_TRUE(data.ok()) << data.status();
  if (!data.ok()) return registry;
  EXPECT_TRUE(registry.ApplyAll(BootstrapEvents(*data, Ctx().now)).ok());
  for (const auto& request : {CreatePerson("anna", "Anna Andersson", v1::ELECTED_OFFICIAL),
                              CreatePerson("cecilia", "Cecilia Carlsson", v1::ELECTED_OFFICIAL),
                              CreatePerson("bo", "Bo Berg", v1::OFFICIAL)}) {
    const absl::StatusOr<DecideResult> result = Decide(registry, request, Ctx());
    EXPECT_TRUE(result.ok()) << result.status();
    if (result.ok()) {
      EXPECT_TRUE(registry.ApplyAll(result->events).ok());
    }
  }
  return registry;
}

// A valid medborgardialog in Rosengård led by Fritidsförvaltningen with Anna taking part.
inline v1::CreateDialogueRequest ValidCreateDialogue(std::string id = "rosengard-parker") {
  v1::CreateDialogueRequest r;
  r.set_parent(kTenant);
  r.set_dialogue_id(std::move(id));
  v1::Dialogue* d = r.mutable_dialogue();
  d->set_title("Framtidens parker i Rosengård");
  d->set_question("Vad vill du kunna göra i parken?");
  d->set_type(v1::MEDBORGARDIALOG);
  d->set_participation_level(v1::DIALOG);
  d->add_channels(ChannelName("malmopanelen"));
  d->add_target_groups(v1::CITIZENS);
  d->add_areas(AreaName("rosengard"));
  *d->mutable_start_date() = D(2020, 3, 1);
  *d->mutable_end_date() = D(2020, 5, 31);
  d->set_lead_administration(AdministrationName("fritidsforvaltningen"));
  d->add_elected_officials(PersonName("anna"));
  *r.mutable_options() = Options();
  return r;
}

// (field, reason) of every violation.
using FieldReason = std::pair<std::string, std::string>;

inline std::vector<FieldReason> Pairs(const errors::Violations& violations) {
  std::vector<FieldReason> out;
  for (const errors::FieldViolation& v : violations.list()) out.emplace_back(v.field, v.reason);
  return out;
}

inline std::vector<FieldReason> ViolationsOf(const absl::Status& status) {
  std::vector<FieldReason> out;
  const auto detail = errors::DetailOf(status);
  if (!detail.has_value()) return out;
  for (const auto& v : detail->field_violations()) out.emplace_back(v.field(), v.reason());
  return out;
}

inline std::string ReasonOf(const absl::Status& status) {
  const auto detail = errors::DetailOf(status);
  return detail.has_value() ? detail->reason() : "";
}

inline std::map<std::string, std::string> MetadataOf(const absl::Status& status) {
  const auto detail = errors::DetailOf(status);
  if (!detail.has_value()) return {};
  return {detail->metadata().begin(), detail->metadata().end()};
}

// The hints of the CoordinationHintsFound events among `result.events`.
inline std::vector<v1::CoordinationHint> CoordinationHintsOf(const DecideResult& result) {
  std::vector<v1::CoordinationHint> out;
  for (const v1::RegistryEvent& event : result.events) {
    const auto& hints = event.coordination_hints_found().hints();
    out.insert(out.end(), hints.begin(), hints.end());
  }
  return out;
}

// "field REASON" of each warning of the result. Also checks that the change's event records
// the same warnings, which a retried request is answered with.
inline std::vector<std::string> WarningReasons(const DecideResult& result) {
  std::vector<std::string> out;
  for (const Warning& w : result.warnings) out.push_back(absl::StrCat(w.field, " ", w.reason));
  std::vector<std::string> recorded;
  for (const v1::RegistryEvent& event : result.events) {
    const auto& warnings = event.has_dialogue_registered() ? event.dialogue_registered().warnings()
                                                           : event.dialogue_updated().warnings();
    for (const v1::RecordedWarning& w : warnings) {
      recorded.push_back(absl::StrCat(w.field(), " ", w.reason()));
    }
  }
  EXPECT_EQ(recorded, out) << "the event records other warnings than the answer gives";
  return out;
}

inline std::string CaseName(const v1::RegistryEvent& event) {
  const auto* field = event.GetDescriptor()->FindFieldByNumber(event.event_case());
  return field == nullptr ? "none" : field->name();
}

inline std::vector<std::string> EventCases(const DecideResult& result) {
  std::vector<std::string> out;
  for (const v1::RegistryEvent& event : result.events) out.push_back(CaseName(event));
  return out;
}

}  // namespace samrad::registry::domain::testing

#endif  // SAMRAD_TESTS_SERVICES_REGISTRY_DOMAIN_DOMAIN_TEST_SUPPORT_H_
