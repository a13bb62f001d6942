// Decide for committees, administrations and people (decide.h, "Organisation").

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
using ::testing::Pair;
using namespace testing;  // NOLINT

v1::CreateCommitteeRequest CreateCommittee(std::string id, std::string display_name,
                                           std::string administration = "") {
  v1::CreateCommitteeRequest r;
  r.set_parent(kTenant);
  r.set_committee_id(std::move(id));
  r.mutable_committee()->set_display_name(std::move(display_name));
  r.mutable_committee()->set_administration(std::move(administration));
  *r.mutable_options() = Options();
  return r;
}

v1::CreateAdministrationRequest CreateAdministration(std::string id, std::string display_name,
                                                     std::string committee = "") {
  v1::CreateAdministrationRequest r;
  r.set_parent(kTenant);
  r.set_administration_id(std::move(id));
  r.mutable_administration()->set_display_name(std::move(display_name));
  r.mutable_administration()->set_committee(std::move(committee));
  *r.mutable_options() = Options();
  return r;
}

TEST(DecideCommitteeTest, CreatesAnActiveCommitteeWithoutMetadata) {
  InMemoryRegistry registry = SmallMalmo();
  v1::CreateCommitteeRequest r = CreateCommittee("kulturnamnden", "Kulturnämnden");
  r.mutable_committee()->set_charter_citizen_dialogue(true);
  r.mutable_committee()->set_state(v1::RETIRED);  // output only
  r.mutable_committee()->set_etag("x");
  const DecideResult result = ExpectOk(Decide(registry, r, Ctx()));
  ASSERT_THAT(EventCases(result), ElementsAre("committee_created"));
  const v1::RegistryEvent& event = result.events[0];
  EXPECT_FALSE(event.has_metadata());
  const v1::Committee& c = event.committee_created().committee();
  EXPECT_EQ(c.name(), CommitteeName("kulturnamnden"));
  EXPECT_EQ(c.state(), v1::ACTIVE);
  EXPECT_TRUE(c.charter_citizen_dialogue());
  EXPECT_EQ(c.etag(), "");
  EXPECT_EQ(c.create_time().seconds(), absl::ToUnixSeconds(Ctx().now));
  EXPECT_THAT(result.warnings, IsEmpty());
}

TEST(DecideCommitteeTest, ErrorTable) {
  InMemoryRegistry registry = SmallMalmo();
  // A retired committee whose name may be reused, and an unlinked administration.
  v1::RetireCommitteeRequest retire;
  retire.set_name(CommitteeName("fritidsnamnden"));
  *retire.mutable_options() = Options();
  ApplyOrFail(registry, Decide(registry, retire, Ctx()));
  ApplyOrFail(
      registry,
      Decide(registry, CreateAdministration("kulturforvaltningen", "Kulturförvaltningen"), Ctx()));

  struct Row {
    std::string name;
    v1::CreateCommitteeRequest request;
    absl::StatusCode code;
    std::string reason;
    std::vector<FieldReason> violations;
  };
  v1::CreateCommitteeRequest other_tenant = CreateCommittee("kulturnamnden", "Kulturnämnden");
  other_tenant.set_parent("tenants/0180");
  v1::CreateCommitteeRequest second_coordinator = CreateCommittee("ks2", "KS 2");
  second_coordinator.mutable_committee()->set_coordinator(true);
  const std::vector<Row> rows = {
      {"valid", CreateCommittee("kulturnamnden", "Kulturnämnden"), absl::StatusCode::kOk, "", {}},
      {"reuses a retired committee's display name",
       CreateCommittee("fritidsnamnden-2", "Fritidsnämnden"),
       absl::StatusCode::kOk,
       "",
       {}},
      {"invalid request",
       CreateCommittee("", "Kulturnämnden"),
       absl::StatusCode::kInvalidArgument,
       "REQUIRED",
       {{"committee_id", "REQUIRED"}}},
      {"unknown tenant", other_tenant, absl::StatusCode::kNotFound, "TENANT_NOT_FOUND", {}},
      {"name taken",
       CreateCommittee("miljonamnden", "Miljö- och klimatnämnden"),
       absl::StatusCode::kAlreadyExists,
       "RESOURCE_EXISTS",
       {}},
      {"display name taken, other case",
       CreateCommittee("miljo", "MILJÖNÄMNDEN"),
       absl::StatusCode::kInvalidArgument,
       "DISPLAY_NAME_TAKEN",
       {{"committee.display_name", "DISPLAY_NAME_TAKEN"}}},
      {"unknown administration",
       CreateCommittee("kulturnamnden", "Kulturnämnden", AdministrationName("kultur")),
       absl::StatusCode::kInvalidArgument,
       "REFERENCE_NOT_FOUND",
       {{"committee.administration", "REFERENCE_NOT_FOUND"}}},
      {"administration serves another committee",
       CreateCommittee("kulturnamnden", "Kulturnämnden", AdministrationName("miljoforvaltningen")),
       absl::StatusCode::kInvalidArgument,
       "LINK_CONFLICT",
       {{"committee.administration", "LINK_CONFLICT"}}},
      {"second coordinator",
       second_coordinator,
       absl::StatusCode::kInvalidArgument,
       "COORDINATOR_EXISTS",
       {{"committee.coordinator", "COORDINATOR_EXISTS"}}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const absl::StatusOr<DecideResult> result = Decide(registry, row.request, Ctx());
    EXPECT_EQ(result.status().code(), row.code) << result.status();
    if (result.ok()) continue;
    EXPECT_EQ(ReasonOf(result.status()), row.reason);
    EXPECT_THAT(ViolationsOf(result.status()), ElementsAreArray(row.violations));
  }
}

TEST(DecideCommitteeTest, LinkIsMadeTwoSided) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(
      registry,
      Decide(registry, CreateAdministration("kulturforvaltningen", "Kulturförvaltningen"), Ctx()));
  const DecideResult result = ExpectOk(Decide(
      registry,
      CreateCommittee("kulturnamnden", "Kulturnämnden", AdministrationName("kulturforvaltningen")),
      Ctx()));
  ASSERT_THAT(EventCases(result), ElementsAre("committee_created", "administration_updated"));
  const auto& updated = result.events[1].administration_updated();
  EXPECT_EQ(updated.administration().committee(), CommitteeName("kulturnamnden"));
  EXPECT_THAT(updated.update_mask().paths(), ElementsAre("committee"));
  ASSERT_TRUE(registry.ApplyAll(result.events).ok());
  EXPECT_EQ(registry.GetAdministration(AdministrationName("kulturforvaltningen"))->committee(),
            CommitteeName("kulturnamnden"));
}

TEST(DecideCommitteeTest, UpdateMovesTheLinkAndClearsTheOldPartner) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(
      registry,
      Decide(registry, CreateAdministration("kulturforvaltningen", "Kulturförvaltningen"), Ctx()));
  v1::UpdateCommitteeRequest r;
  r.mutable_committee()->set_name(CommitteeName("fritidsnamnden"));
  r.mutable_committee()->set_administration(AdministrationName("kulturforvaltningen"));
  r.mutable_committee()->set_display_name("Kultur- och fritidsnämnden");
  r.mutable_update_mask()->add_paths("administration");
  r.mutable_update_mask()->add_paths("display_name");
  *r.mutable_options() = Options();
  const DecideResult result = ExpectOk(Decide(registry, r, Ctx()));
  ASSERT_THAT(EventCases(result),
              ElementsAre("committee_updated", "administration_updated", "administration_updated"));
  EXPECT_EQ(result.events[0].committee_updated().committee().display_name(),
            "Kultur- och fritidsnämnden");
  EXPECT_THAT(result.events[0].committee_updated().update_mask().paths(),
              ElementsAre("administration", "display_name"));
  EXPECT_EQ(result.events[1].administration_updated().administration().name(),
            AdministrationName("kulturforvaltningen"));
  EXPECT_EQ(result.events[1].administration_updated().administration().committee(),
            CommitteeName("fritidsnamnden"));
  EXPECT_EQ(result.events[2].administration_updated().administration().name(),
            AdministrationName("fritidsforvaltningen"));
  EXPECT_EQ(result.events[2].administration_updated().administration().committee(), "");
}

TEST(DecideCommitteeTest, RetiredCannotBeChangedOrRetiredAgain) {
  InMemoryRegistry registry = SmallMalmo();
  v1::RetireCommitteeRequest retire;
  retire.set_name(CommitteeName("miljonamnden"));
  *retire.mutable_options() = Options();
  const DecideResult retired = ExpectOk(Decide(registry, retire, Ctx()));
  ASSERT_THAT(EventCases(retired), ElementsAre("committee_retired"));
  ASSERT_TRUE(registry.ApplyAll(retired.events).ok());

  const absl::StatusOr<DecideResult> again = Decide(registry, retire, Ctx());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(again.status()), "RETIRED");

  v1::UpdateCommitteeRequest update;
  update.mutable_committee()->set_name(CommitteeName("miljonamnden"));
  update.mutable_committee()->set_display_name("Miljö- och klimatnämnden");
  update.mutable_update_mask()->add_paths("display_name");
  *update.mutable_options() = Options();
  const absl::StatusOr<DecideResult> changed = Decide(registry, update, Ctx());
  EXPECT_EQ(changed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(changed.status()), "RETIRED");

  v1::RetireCommitteeRequest unknown;
  unknown.set_name(CommitteeName("nojesnamnden"));
  *unknown.mutable_options() = Options();
  const absl::StatusOr<DecideResult> missing = Decide(registry, unknown, Ctx());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(MetadataOf(missing.status()),
              ElementsAre(Pair("name", CommitteeName("nojesnamnden"))));
}

TEST(DecideAdministrationTest, CreateUpdateRetire) {
  InMemoryRegistry registry = SmallMalmo();
  // A committee without administration gets the back-link.
  ApplyOrFail(registry, Decide(registry, CreateCommittee("kulturnamnden", "Kulturnämnden"), Ctx()));
  const DecideResult created =
      ExpectOk(Decide(registry,
                      CreateAdministration("kulturforvaltningen", "Kulturförvaltningen",
                                           CommitteeName("kulturnamnden")),
                      Ctx()));
  ASSERT_THAT(EventCases(created), ElementsAre("administration_created", "committee_updated"));
  EXPECT_EQ(created.events[1].committee_updated().committee().administration(),
            AdministrationName("kulturforvaltningen"));
  ASSERT_TRUE(registry.ApplyAll(created.events).ok());

  // Display names are unique among administrations.
  const absl::StatusOr<DecideResult> taken =
      Decide(registry, CreateAdministration("kultur2", "kulturförvaltningen"), Ctx());
  EXPECT_THAT(ViolationsOf(taken.status()),
              ElementsAre(FieldReason{"administration.display_name", "DISPLAY_NAME_TAKEN"}));
  // A committee already served by another administration.
  const absl::StatusOr<DecideResult> conflict = Decide(
      registry, CreateAdministration("x", "X-förvaltningen", CommitteeName("miljonamnden")), Ctx());
  EXPECT_THAT(ViolationsOf(conflict.status()),
              ElementsAre(FieldReason{"administration.committee", "LINK_CONFLICT"}));

  v1::RetireAdministrationRequest retire;
  retire.set_name(AdministrationName("kulturforvaltningen"));
  *retire.mutable_options() = Options();
  const DecideResult retired = ExpectOk(Decide(registry, retire, Ctx()));
  ASSERT_THAT(EventCases(retired), ElementsAre("administration_retired"));
  ASSERT_TRUE(registry.ApplyAll(retired.events).ok());

  v1::UpdateAdministrationRequest update;
  update.mutable_administration()->set_name(AdministrationName("kulturforvaltningen"));
  update.mutable_administration()->set_display_name("Kulturförvaltningen Malmö");
  update.mutable_update_mask()->add_paths("display_name");
  *update.mutable_options() = Options();
  EXPECT_EQ(ReasonOf(Decide(registry, update, Ctx()).status()), "RETIRED");
  EXPECT_EQ(ReasonOf(Decide(registry, retire, Ctx()).status()), "RETIRED");

  // A committee cannot link to a retired administration.
  v1::CreateCommitteeRequest link =
      CreateCommittee("kultur2", "Kulturnämnden 2", AdministrationName("kulturforvaltningen"));
  // The retired administration still names its committee: unlink it from the other side.
  const absl::StatusOr<DecideResult> retired_link = Decide(registry, link, Ctx());
  EXPECT_EQ(retired_link.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationsOf(retired_link.status()),
              ElementsAre(FieldReason{"committee.administration", "LINK_CONFLICT"}));
}

TEST(DecideAdministrationTest, LinkToARetiredPartnerIsFailedPrecondition) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(registry, Decide(registry, CreateCommittee("kulturnamnden", "Kulturnämnden"), Ctx()));
  v1::RetireCommitteeRequest retire;
  retire.set_name(CommitteeName("kulturnamnden"));
  *retire.mutable_options() = Options();
  ApplyOrFail(registry, Decide(registry, retire, Ctx()));
  const absl::StatusOr<DecideResult> result =
      Decide(registry,
             CreateAdministration("kulturforvaltningen", "Kulturförvaltningen",
                                  CommitteeName("kulturnamnden")),
             Ctx());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(result.status()), "COMMITTEE_RETIRED");
  EXPECT_EQ(MetadataOf(result.status())["field"], "administration.committee");
}

TEST(DecideCommitteeTest, LinkToARetiredOrUnknownPartnerFails) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(
      registry,
      Decide(registry, CreateAdministration("kulturforvaltningen", "Kulturförvaltningen"), Ctx()));
  v1::RetireAdministrationRequest retire;
  retire.set_name(AdministrationName("kulturforvaltningen"));
  *retire.mutable_options() = Options();
  ApplyOrFail(registry, Decide(registry, retire, Ctx()));
  const absl::StatusOr<DecideResult> retired = Decide(
      registry,
      CreateCommittee("kulturnamnden", "Kulturnämnden", AdministrationName("kulturforvaltningen")),
      Ctx());
  EXPECT_EQ(retired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(retired.status()), "ADMINISTRATION_RETIRED");
  EXPECT_EQ(MetadataOf(retired.status())["field"], "committee.administration");

  // The mirror of the committee table's "unknown administration".
  const absl::StatusOr<DecideResult> unknown = Decide(
      registry, CreateAdministration("x", "X-förvaltningen", CommitteeName("finnsinte")), Ctx());
  EXPECT_THAT(ViolationsOf(unknown.status()),
              ElementsAre(FieldReason{"administration.committee", "REFERENCE_NOT_FOUND"}));
}

TEST(DecidePersonTest, RegisterAndUpdate) {
  InMemoryRegistry registry = SmallMalmo();
  const DecideResult created =
      ExpectOk(Decide(registry, CreatePerson("mikael", "Mikael Kylsäter", v1::OFFICIAL), Ctx()));
  ASSERT_THAT(EventCases(created), ElementsAre("person_registered"));
  EXPECT_EQ(created.events[0].person_registered().person().name(), PersonName("mikael"));
  ASSERT_TRUE(registry.ApplyAll(created.events).ok());
  EXPECT_EQ(Decide(registry, CreatePerson("mikael", "M", v1::OFFICIAL), Ctx()).status().code(),
            absl::StatusCode::kAlreadyExists);

  v1::UpdatePersonRequest update;
  update.mutable_person()->set_name(PersonName("mikael"));
  update.mutable_person()->set_email("mikael.kylsater@malmö.se");
  update.mutable_person()->set_display_name("ignored");
  update.mutable_update_mask()->add_paths("email");
  *update.mutable_options() = Options();
  const DecideResult updated = ExpectOk(Decide(registry, update, Ctx()));
  ASSERT_THAT(EventCases(updated), ElementsAre("person_updated"));
  EXPECT_EQ(updated.events[0].person_updated().person().email(), "mikael.kylsater@malmö.se");
  EXPECT_EQ(updated.events[0].person_updated().person().display_name(), "Mikael Kylsäter");
  EXPECT_EQ(updated.events[0].person_updated().person().role(), v1::OFFICIAL);

  update.mutable_person()->set_name(PersonName("nobody"));
  EXPECT_EQ(Decide(registry, update, Ctx()).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace samrad::registry::domain
