// The network's representatives: appointing, replacing, ending, and the network as of a
// date (decide.h "People and appointments"; network.h).

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/network.h"
#include "tests/services/registry/domain/domain_test_support.h"

namespace samrad::registry::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace testing;  // NOLINT

v1::AppointRepresentativeRequest Appoint(std::string id, std::string person,
                                         std::string administration, v1::Track track,
                                         google::type::Date start) {
  v1::AppointRepresentativeRequest r;
  r.set_parent(kTenant);
  r.set_appointment_id(std::move(id));
  v1::Appointment* a = r.mutable_appointment();
  a->set_person(PersonName(person));
  a->set_administration(AdministrationName(administration));
  a->set_track(track);
  *a->mutable_start_date() = start;
  *r.mutable_options() = Options();
  return r;
}

v1::EndAppointmentRequest End(std::string id, google::type::Date end) {
  v1::EndAppointmentRequest r;
  r.set_name(AppointmentName(id));
  *r.mutable_end_date() = end;
  *r.mutable_options() = Options();
  return r;
}

TEST(AppointmentsTest, FirstAppointmentOnlyAppoints) {
  InMemoryRegistry registry = SmallMalmo();
  const DecideResult result = ExpectOk(Decide(
      registry,
      Appoint("fritid-m-1", "bo", "fritidsforvaltningen", v1::TRACK_MEDBORGARDIALOG, D(2020, 3, 1)),
      Ctx()));
  ASSERT_THAT(EventCases(result), ElementsAre("representative_appointed"));
  const v1::Appointment& a = result.events[0].representative_appointed().appointment();
  EXPECT_EQ(a.name(), AppointmentName("fritid-m-1"));
  EXPECT_FALSE(a.has_end_date());
}

TEST(AppointmentsTest, ReplacingEndsTheRunningOneOnTheNewStartDate) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(registry, Decide(registry,
                               Appoint("fritid-m-1", "bo", "fritidsforvaltningen",
                                       v1::TRACK_MEDBORGARDIALOG, D(2020, 3, 1)),
                               Ctx()));
  // The other track of the same administration is unaffected.
  ApplyOrFail(registry, Decide(registry,
                               Appoint("fritid-k-1", "bo", "fritidsforvaltningen",
                                       v1::TRACK_KUNSKAPSDIALOG, D(2020, 3, 1)),
                               Ctx()));
  const DecideResult result = ExpectOk(Decide(registry,
                                              Appoint("fritid-m-2", "anna", "fritidsforvaltningen",
                                                      v1::TRACK_MEDBORGARDIALOG, D(2020, 9, 1)),
                                              Ctx()));
  ASSERT_THAT(EventCases(result), ElementsAre("appointment_ended", "representative_appointed"));
  EXPECT_EQ(result.events[0].appointment_ended().appointment(), AppointmentName("fritid-m-1"));
  EXPECT_EQ(FormatDate(result.events[0].appointment_ended().end_date()), "2020-09-01");
  ASSERT_TRUE(registry.ApplyAll(result.events).ok());
  EXPECT_FALSE(registry.GetAppointment(AppointmentName("fritid-k-1"))->has_end_date());
}

TEST(AppointmentsTest, ErrorTable) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(registry, Decide(registry,
                               Appoint("fritid-m-1", "bo", "fritidsforvaltningen",
                                       v1::TRACK_MEDBORGARDIALOG, D(2020, 3, 1)),
                               Ctx()));
  v1::RetireAdministrationRequest retire;
  retire.set_name(AdministrationName("miljoforvaltningen"));
  *retire.mutable_options() = Options();
  ApplyOrFail(registry, Decide(registry, retire, Ctx()));

  struct Row {
    std::string name;
    v1::AppointRepresentativeRequest request;
    absl::StatusCode code;
    std::string reason;
    std::vector<FieldReason> violations;
  };
  v1::AppointRepresentativeRequest unknown_substitute =
      Appoint("g-1", "bo", "grundskoleforvaltningen", v1::TRACK_MEDBORGARDIALOG, D(2020, 3, 1));
  unknown_substitute.mutable_appointment()->set_substitute(PersonName("ingen"));
  v1::AppointRepresentativeRequest backfill = Appoint("fritid-m-0", "anna", "fritidsforvaltningen",
                                                      v1::TRACK_MEDBORGARDIALOG, D(2019, 1, 1));
  *backfill.mutable_appointment()->mutable_end_date() = D(2020, 3, 1);
  v1::AppointRepresentativeRequest backfill_overlapping = backfill;
  *backfill_overlapping.mutable_appointment()->mutable_end_date() = D(2020, 3, 2);
  const std::vector<Row> rows = {
      {"unknown person",
       Appoint("g-1", "ingen", "grundskoleforvaltningen", v1::TRACK_MEDBORGARDIALOG, D(2020, 3, 1)),
       absl::StatusCode::kInvalidArgument,
       "REFERENCE_NOT_FOUND",
       {{"appointment.person", "REFERENCE_NOT_FOUND"}}},
      {"unknown substitute",
       unknown_substitute,
       absl::StatusCode::kInvalidArgument,
       "REFERENCE_NOT_FOUND",
       {{"appointment.substitute", "REFERENCE_NOT_FOUND"}}},
      {"unknown administration",
       Appoint("g-1", "bo", "ingen-forvaltning", v1::TRACK_MEDBORGARDIALOG, D(2020, 3, 1)),
       absl::StatusCode::kInvalidArgument,
       "REFERENCE_NOT_FOUND",
       {{"appointment.administration", "REFERENCE_NOT_FOUND"}}},
      {"retired administration",
       Appoint("m-1", "bo", "miljoforvaltningen", v1::TRACK_MEDBORGARDIALOG, D(2020, 3, 1)),
       absl::StatusCode::kFailedPrecondition,
       "ADMINISTRATION_RETIRED",
       {}},
      {"name taken",
       Appoint("fritid-m-1", "bo", "grundskoleforvaltningen", v1::TRACK_MEDBORGARDIALOG,
               D(2020, 3, 1)),
       absl::StatusCode::kAlreadyExists,
       "RESOURCE_EXISTS",
       {}},
      {"starts on the running one's start date",
       Appoint("fritid-m-2", "anna", "fritidsforvaltningen", v1::TRACK_MEDBORGARDIALOG,
               D(2020, 3, 1)),
       absl::StatusCode::kFailedPrecondition,
       "APPOINTMENT_OVERLAP",
       {}},
      {"open appointment starting before the running one",
       Appoint("fritid-m-2", "anna", "fritidsforvaltningen", v1::TRACK_MEDBORGARDIALOG,
               D(2019, 1, 1)),
       absl::StatusCode::kFailedPrecondition,
       "APPOINTMENT_OVERLAP",
       {}},
      {"earlier closed period ending when the running one starts",
       backfill,
       absl::StatusCode::kOk,
       "",
       {}},
      {"earlier closed period overlapping the running one",
       backfill_overlapping,
       absl::StatusCode::kFailedPrecondition,
       "APPOINTMENT_OVERLAP",
       {}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const absl::StatusOr<DecideResult> result = Decide(registry, row.request, Ctx());
    EXPECT_EQ(result.status().code(), row.code) << result.status();
    if (result.ok()) {
      EXPECT_THAT(EventCases(*result), ElementsAre("representative_appointed"));
      continue;
    }
    EXPECT_EQ(ReasonOf(result.status()), row.reason);
    EXPECT_THAT(ViolationsOf(result.status()), ::testing::ElementsAreArray(row.violations));
  }
}

TEST(AppointmentsTest, EndTable) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(registry, Decide(registry,
                               Appoint("fritid-m-1", "bo", "fritidsforvaltningen",
                                       v1::TRACK_MEDBORGARDIALOG, D(2019, 3, 1)),
                               Ctx(D(2019, 3, 1))));
  ApplyOrFail(registry, Decide(registry,
                               Appoint("fritid-m-2", "anna", "fritidsforvaltningen",
                                       v1::TRACK_MEDBORGARDIALOG, D(2020, 1, 1)),
                               Ctx(D(2019, 3, 1))));
  // fritid-m-1 ran 2019-03-01 .. 2020-01-01 (exclusive); fritid-m-2 runs from 2020-01-01.
  struct Row {
    std::string name;
    v1::EndAppointmentRequest request;
    google::type::Date today;
    absl::StatusCode code;
    std::string reason;
  };
  const std::vector<Row> rows = {
      {"end the running one", End("fritid-m-2", D(2020, 6, 30)), D(2020, 2, 6),
       absl::StatusCode::kOk, ""},
      {"end one that has ended", End("fritid-m-1", D(2019, 12, 1)), D(2020, 2, 6),
       absl::StatusCode::kFailedPrecondition, "APPOINTMENT_ENDED"},
      {"shorten one whose end is still ahead", End("fritid-m-1", D(2019, 12, 1)), D(2019, 11, 1),
       absl::StatusCode::kOk, ""},
      {"extend it past the next one's start", End("fritid-m-1", D(2020, 2, 1)), D(2019, 11, 1),
       absl::StatusCode::kFailedPrecondition, "APPOINTMENT_OVERLAP"},
      {"end before the start", End("fritid-m-2", D(2019, 12, 31)), D(2020, 2, 6),
       absl::StatusCode::kInvalidArgument, "END_BEFORE_START"},
      {"unknown appointment", End("ingen", D(2020, 6, 30)), D(2020, 2, 6),
       absl::StatusCode::kNotFound, "RESOURCE_NOT_FOUND"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const absl::StatusOr<DecideResult> result = Decide(registry, row.request, Ctx(row.today));
    EXPECT_EQ(result.status().code(), row.code) << result.status();
    if (result.ok()) {
      ASSERT_THAT(EventCases(*result), ElementsAre("appointment_ended"));
      EXPECT_EQ(result->events[0].appointment_ended().appointment(), row.request.name());
      EXPECT_EQ(
          CompareDates(result->events[0].appointment_ended().end_date(), row.request.end_date()),
          0);
    } else {
      EXPECT_EQ(ReasonOf(result.status()), row.reason);
    }
  }
  const absl::StatusOr<DecideResult> before_start =
      Decide(registry, End("fritid-m-2", D(2019, 12, 31)), Ctx());
  EXPECT_THAT(ViolationsOf(before_start.status()),
              ElementsAre(FieldReason{"end_date", "END_BEFORE_START"}));
}

TEST(AppointmentsTest, RetiringAnAdministrationEndsItsAppointments) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(registry, Decide(registry,
                               Appoint("miljo-m", "bo", "miljoforvaltningen",
                                       v1::TRACK_MEDBORGARDIALOG, D(2019, 3, 1)),
                               Ctx()));
  ApplyOrFail(registry, Decide(registry,
                               Appoint("miljo-k", "anna", "miljoforvaltningen",
                                       v1::TRACK_KUNSKAPSDIALOG, D(2020, 9, 1)),
                               Ctx()));
  v1::RetireAdministrationRequest retire;
  retire.set_name(AdministrationName("miljoforvaltningen"));
  *retire.mutable_options() = Options();
  const DecideResult result = ExpectOk(Decide(registry, retire, Ctx()));
  ASSERT_THAT(EventCases(result),
              ElementsAre("appointment_ended", "appointment_ended", "administration_retired"));
  EXPECT_EQ(result.events[0].appointment_ended().appointment(), AppointmentName("miljo-m"));
  EXPECT_EQ(FormatDate(result.events[0].appointment_ended().end_date()), "2020-02-06");
  // Not yet started: ends on its start date, so it never runs.
  EXPECT_EQ(result.events[1].appointment_ended().appointment(), AppointmentName("miljo-k"));
  EXPECT_EQ(FormatDate(result.events[1].appointment_ended().end_date()), "2020-09-01");
}

// --- The network as of a date -------------------------------------------------------------

struct Member {
  std::string administration;
  v1::Track track;
  std::string appointment;
  std::string person;
  bool operator==(const Member&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Member& m) {
  return os << m.administration << "/" << v1::Track_Name(m.track) << "=" << m.appointment << "("
            << m.person << ")";
}

std::vector<Member> Members(const v1::ListNetworkResponse& network) {
  std::vector<Member> out;
  for (const auto& m : network.members()) {
    out.push_back({m.administration(), m.track(), m.appointment().name(), m.person().name()});
  }
  return out;
}

std::vector<std::string> Vacancies(const v1::ListNetworkResponse& network) {
  std::vector<std::string> out;
  for (const auto& v : network.vacancies()) {
    out.push_back(absl::StrCat(v.administration(), " ", v1::Track_Name(v.track())));
  }
  return out;
}

TEST(NetworkTest, AsOfDatesBeforeWithinAndAfter) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(registry, Decide(registry,
                               Appoint("fritid-m-1", "bo", "fritidsforvaltningen",
                                       v1::TRACK_MEDBORGARDIALOG, D(2020, 3, 1)),
                               Ctx()));
  ApplyOrFail(registry, Decide(registry,
                               Appoint("fritid-m-2", "anna", "fritidsforvaltningen",
                                       v1::TRACK_MEDBORGARDIALOG, D(2020, 9, 1)),
                               Ctx()));
  ApplyOrFail(registry, Decide(registry, End("fritid-m-2", D(2021, 1, 1)), Ctx()));

  const auto network_on = [&](google::type::Date date) {
    return NetworkAsOf(registry.ListCommittees(kTenant), registry.ListAdministrations(kTenant),
                       registry.ListAppointments(kTenant), registry.ListPeople(kTenant), date);
  };
  const std::string fritid = AdministrationName("fritidsforvaltningen");
  const std::vector<std::string> all_vacant = {
      fritid + " TRACK_MEDBORGARDIALOG",
      fritid + " TRACK_KUNSKAPSDIALOG",
      AdministrationName("grundskoleforvaltningen") + " TRACK_MEDBORGARDIALOG",
      AdministrationName("grundskoleforvaltningen") + " TRACK_KUNSKAPSDIALOG",
      AdministrationName("miljoforvaltningen") + " TRACK_MEDBORGARDIALOG",
      AdministrationName("miljoforvaltningen") + " TRACK_KUNSKAPSDIALOG",
  };  // Stadskontoret coordinates: never a vacancy.
  std::vector<std::string> vacant_but_fritid_m(all_vacant.begin() + 1, all_vacant.end());

  struct Row {
    std::string name;
    google::type::Date date;
    std::vector<Member> members;
    std::vector<std::string> vacancies;
  };
  const std::vector<Row> rows = {
      {"before the first appointment", D(2020, 2, 29), {}, all_vacant},
      {"on the first day",
       D(2020, 3, 1),
       {{fritid, v1::TRACK_MEDBORGARDIALOG, AppointmentName("fritid-m-1"), PersonName("bo")}},
       vacant_but_fritid_m},
      {"the day before the replacement",
       D(2020, 8, 31),
       {{fritid, v1::TRACK_MEDBORGARDIALOG, AppointmentName("fritid-m-1"), PersonName("bo")}},
       vacant_but_fritid_m},
      {"on the replacement's first day",
       D(2020, 9, 1),
       {{fritid, v1::TRACK_MEDBORGARDIALOG, AppointmentName("fritid-m-2"), PersonName("anna")}},
       vacant_but_fritid_m},
      {"the last day of the second",
       D(2020, 12, 31),
       {{fritid, v1::TRACK_MEDBORGARDIALOG, AppointmentName("fritid-m-2"), PersonName("anna")}},
       vacant_but_fritid_m},
      {"after the end", D(2021, 1, 1), {}, all_vacant},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const v1::ListNetworkResponse network = network_on(row.date);
    EXPECT_THAT(Members(network), ::testing::ElementsAreArray(row.members));
    EXPECT_THAT(Vacancies(network), ::testing::ElementsAreArray(row.vacancies));
  }
}

TEST(NetworkTest, CoordinatorMayAppointAndRetiredAreNotVacant) {
  InMemoryRegistry registry = SmallMalmo();
  ApplyOrFail(registry, Decide(registry,
                               Appoint("stk-m", "bo", "stadskontoret", v1::TRACK_MEDBORGARDIALOG,
                                       D(2020, 3, 1)),
                               Ctx()));
  for (const char* id : {"fritidsforvaltningen", "grundskoleforvaltningen"}) {
    v1::RetireAdministrationRequest retire;
    retire.set_name(AdministrationName(id));
    *retire.mutable_options() = Options();
    ApplyOrFail(registry, Decide(registry, retire, Ctx()));
  }
  const v1::ListNetworkResponse network =
      NetworkAsOf(registry.ListCommittees(kTenant), registry.ListAdministrations(kTenant),
                  registry.ListAppointments(kTenant), registry.ListPeople(kTenant), D(2020, 3, 1));
  ASSERT_EQ(network.members_size(), 1);
  EXPECT_EQ(network.members(0).person().display_name(), "Bo Berg");
  EXPECT_THAT(Vacancies(network),
              ElementsAre(AdministrationName("miljoforvaltningen") + " TRACK_MEDBORGARDIALOG",
                          AdministrationName("miljoforvaltningen") + " TRACK_KUNSKAPSDIALOG"));
}

TEST(NetworkTest, RunsOnAndHasEnded) {
  v1::Appointment a;
  *a.mutable_start_date() = D(2020, 3, 1);
  EXPECT_FALSE(RunsOn(a, D(2020, 2, 29)));
  EXPECT_TRUE(RunsOn(a, D(2020, 3, 1)));
  EXPECT_TRUE(RunsOn(a, D(2030, 1, 1)));
  EXPECT_FALSE(HasEnded(a, D(2030, 1, 1)));
  *a.mutable_end_date() = D(2020, 6, 1);
  EXPECT_TRUE(RunsOn(a, D(2020, 5, 31)));
  EXPECT_FALSE(RunsOn(a, D(2020, 6, 1)));
  EXPECT_FALSE(HasEnded(a, D(2020, 5, 31)));
  EXPECT_TRUE(HasEnded(a, D(2020, 6, 1)));
}

}  // namespace
}  // namespace samrad::registry::domain
