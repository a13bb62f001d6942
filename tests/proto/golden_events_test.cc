// Golden serialized events: bytes written by earlier builds must decode forever
// (DESIGN.md "Events and schemas": v1 only grows). A file here is never rewritten once
// committed; a new event case gets a new file. To add one, add it to GoldenCases() and run
// the test once with SAMRAD_UPDATE_GOLDEN=1, then commit the new file.
//
// Every case of every topic's envelope has a golden file (EveryEventCaseHasAGoldenFile
// fails otherwise), filled the way the code writes it: the payload as Decide emits it and
// the metadata as the command executor stamps it, with the aggregate type of the resource
// the event changes (services/registry/projection/registry_projection.h, AggregateOfName).
// Scheduling and reporting have no command path yet: their goldens predate one, and when
// their writers come, each case they stamp differently (e.g. a lower-case aggregate type,
// as the registry writes) gets a second file, as TenantCreated did.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/type/date.pb.h"
#include "gtest/gtest.h"
#include "libs/common/dates.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/reporting/v1/events.pb.h"
#include "samrad/scheduling/v1/events.pb.h"

namespace samrad {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

void FillMetadata(common::v1::EventMetadata* m, const std::string& type, const std::string& agg,
                  const std::string& id) {
  m->set_event_id("5f1c7a52-8c1e-4d0b-9a57-3e2f9c4d1a01");
  m->set_tenant("1280");
  m->set_aggregate_type(agg);
  m->set_aggregate_id(id);
  m->set_aggregate_version(1);
  m->mutable_occurred_at()->set_seconds(1580986800);  // 2020-02-06T11:00:00Z, KF §17
  m->mutable_occurred_at()->set_nanos(0);
  auto* actor = m->mutable_actor();
  actor->set_id("system");
  actor->set_display_name("Samråd");
  actor->set_role(common::v1::ACTOR_ROLE_SYSTEM);
  m->set_request_id("bootstrap-1280");
  m->set_correlation_id("bootstrap-1280");
  m->set_causation_id("");
  m->set_reason("Kommunen skapas vid första start");
  m->set_previous_hash(std::string(32, '\0'));
  m->set_hash(std::string("\x01\x02\x03\x04", 4) + std::string(28, '\xab'));
  m->set_event_type(type);
}

// The actors of the cases below, as request metadata gives them (libs/api/request_context).
common::v1::Actor SystemActor() {
  common::v1::Actor actor;
  actor.set_id("system");
  actor.set_role(common::v1::ACTOR_ROLE_SYSTEM);
  return actor;
}

// A coordinator of the network at Stadskontoret.
common::v1::Actor Coordinator() {
  common::v1::Actor actor;
  actor.set_id("anna.svensson");
  actor.set_display_name("Anna Svensson");
  actor.set_role(common::v1::ACTOR_ROLE_COORDINATOR);
  actor.set_administration("tenants/1280/administrations/stadskontoret");
  return actor;
}

// An official of Stadsbyggnadskontoret who registers the office's dialogue efforts.
common::v1::Actor Planner() {
  common::v1::Actor actor;
  actor.set_id("erik.lind");
  actor.set_display_name("Erik Lind");
  actor.set_role(common::v1::ACTOR_ROLE_OFFICIAL);
  actor.set_administration("tenants/1280/administrations/stadsbyggnadskontoret");
  return actor;
}

// What the command executor stamps on an event (libs/command/command_executor.cc).
struct Stamp {
  std::string event_id;
  std::string aggregate_type;
  std::string aggregate_id;
  int64_t version = 1;
  // Unix seconds, UTC.
  int64_t occurred_at = 0;
  common::v1::Actor actor;
  std::string request_id;
  std::string correlation_id;
  std::string reason;
  // Seeds the 32-byte hash of the event and, unless it is 0 (the first event of the
  // partition), the previous event's hash.
  int chain = 0;
};

// A fixed stand-in for a SHA-256 digest.
std::string Digest(int seed) {
  std::string digest(32, '\0');
  for (int i = 0; i < 32; ++i) digest[i] = static_cast<char>((seed * 37 + i * 11 + 5) & 0xff);
  return digest;
}

google::type::Date Date(int year, int month, int day) { return dates::MakeDate(year, month, day); }

google::protobuf::Timestamp Time(int64_t seconds) {
  google::protobuf::Timestamp time;
  time.set_seconds(seconds);
  return time;
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

// `event` with the metadata of `stamp`; the event type is the full name of the case's
// message, as the executor writes it.
template <typename Envelope>
std::unique_ptr<google::protobuf::Message> Stamped(Envelope event, const Stamp& stamp) {
  common::v1::EventMetadata* m = event.mutable_metadata();
  m->set_event_id(stamp.event_id);
  m->set_tenant("1280");
  m->set_aggregate_type(stamp.aggregate_type);
  m->set_aggregate_id(stamp.aggregate_id);
  m->set_aggregate_version(stamp.version);
  *m->mutable_occurred_at() = Time(stamp.occurred_at);
  *m->mutable_actor() = stamp.actor;
  m->set_request_id(stamp.request_id);
  m->set_correlation_id(stamp.correlation_id);
  // Commands without a causation of their own are caused by their request.
  m->set_causation_id(stamp.request_id);
  m->set_reason(stamp.reason);
  if (stamp.chain > 0) m->set_previous_hash(Digest(stamp.chain - 1));
  m->set_hash(Digest(stamp.chain));
  const google::protobuf::FieldDescriptor* payload = event.GetReflection()->GetOneofFieldDescriptor(
      event, Envelope::descriptor()->FindOneofByName("event"));
  m->set_event_type(payload->message_type()->full_name());
  return std::make_unique<Envelope>(std::move(event));
}

// The first start of a tenant: the organisation of deploy/config/malmo.json, one command
// (services/registry/app/registry_module.cc), 2026-01-12T08:00:00Z.
constexpr int64_t kFirstStart = 1768204800;
Stamp Bootstrap(std::string event_id, std::string aggregate_type, std::string aggregate_id,
                int chain) {
  return {.event_id = std::move(event_id),
          .aggregate_type = std::move(aggregate_type),
          .aggregate_id = std::move(aggregate_id),
          .version = 1,
          .occurred_at = kFirstStart,
          .actor = SystemActor(),
          .request_id = "bootstrap-1280",
          .correlation_id = "bootstrap-1280",
          .reason = "first start: deploy/config/malmo.json",
          .chain = chain};
}

constexpr char kLindangen[] = "tenants/1280/dialogues/trygghet-i-lindangen-2026";

// The dialogue effort of the dialogue cases, as registered.
registry::v1::Dialogue LindangenDialogue() {
  registry::v1::Dialogue d;
  d.set_name(kLindangen);
  d.set_title("Trygghet i Lindängen");
  d.set_question("Vad gör Lindängens centrum och gångstråken dit tryggare för dig?");
  d.set_type(registry::v1::KUNSKAPSDIALOG);
  d.set_participation_level(registry::v1::KONSULTATION);
  d.add_channels("tenants/1280/channels/dialog-i-stadsutveckling");
  d.add_channels("tenants/1280/channels/digitala-kanaler");
  d.add_channels("tenants/1280/channels/malmopanelen");
  d.add_target_groups(registry::v1::CITIZENS);
  d.add_target_groups(registry::v1::YOUNG_PEOPLE);
  d.add_target_groups(registry::v1::ASSOCIATIONS);
  d.add_other_target_groups("Fastighetsägare kring Lindängens centrum");
  d.add_areas("tenants/1280/areas/lindangen");
  d.set_area_description("Lindängens centrum, Lindängsstigen och gångstråken till skolorna");
  *d.mutable_start_date() = Date(2026, 9, 1);
  *d.mutable_end_date() = Date(2026, 11, 30);
  d.set_lead_administration("tenants/1280/administrations/stadsbyggnadskontoret");
  d.add_co_administrations("tenants/1280/administrations/fastighets-och-gatukontoret");
  d.set_responsible_committee("tenants/1280/committees/stadsbyggnadsnamnden");
  auto* influence = d.mutable_influence();
  influence->set_what_can_be_influenced(
      "Belysning, gångstråk och mötesplatser i Lindängens centrum");
  influence->set_decision("Gestaltningsprogram för Lindängens centrum, Stadsbyggnadsnämnden");
  influence->set_case_number("SBN-2026-512");
  d.set_status(registry::v1::PLANNED);
  *d.mutable_create_time() = Time(1778571000);  // 2026-05-12T07:30:00Z
  *d.mutable_update_time() = Time(1778571000);
  return d;
}

// The consultation round of case STK-2018-90 (seed 000), entered into the archive.
registry::v1::Consultation Stk201890() {
  registry::v1::Consultation c;
  c.set_name("tenants/1280/consultations/stk-2018-90");
  c.set_case_number("STK-2018-90");
  c.set_title(
      "Uppdrag budget 2018: Ta fram modeller för samordnad medborgardialog i frågor som berör "
      "flera förvaltningar");
  c.add_questions(
      "Synpunkter och förslag på hur samordnad medborgardialog bäst organiseras i "
      "staden.");
  c.add_questions("Synpunkter på föreslagna aktiviteter.");
  c.add_questions("Beskrivning av eventuella konsekvenser för nämndernas verksamhet.");
  for (const char* body :
       {"arbetsmarknads-och-socialnamnden", "fritidsnamnden", "funktionsstodsnamnden",
        "forskolenamnden", "grundskolenamnden", "gymnasie-och-vuxenutbildningsnamnden",
        "halsa-vard-och-omsorgsnamnden", "kulturnamnden", "miljonamnden", "servicenamnden",
        "stadsbyggnadsnamnden", "tekniska-namnden"}) {
    c.add_bodies(std::string("tenants/1280/committees/") + body);
  }
  *c.mutable_start_date() = Date(2019, 2, 19);
  *c.mutable_deadline() = Date(2019, 6, 28);
  *c.mutable_create_time() = Time(1770022800);  // 2026-02-02T09:00:00Z
  *c.mutable_update_time() = Time(1770022800);
  return c;
}

struct GoldenCase {
  std::string file;
  std::function<std::unique_ptr<google::protobuf::Message>()> make;
};

std::vector<GoldenCase> GoldenCases() {
  return {
      {"registry_v1_tenant_created.binpb",
       [] {
         auto e = std::make_unique<registry::v1::RegistryEvent>();
         FillMetadata(e->mutable_metadata(), "samrad.registry.v1.TenantCreated", "Tenant", "1280");
         e->mutable_tenant_created()->set_code("1280");
         e->mutable_tenant_created()->set_name("Malmö stad");
         return e;
       }},
      {"scheduling_v1_meeting_scheduled.binpb",
       [] {
         auto e = std::make_unique<scheduling::v1::SchedulingEvent>();
         FillMetadata(e->mutable_metadata(), "samrad.scheduling.v1.MeetingScheduled", "Meeting",
                      "referensmote-2018-11-23");
         auto* m = e->mutable_meeting_scheduled();
         m->set_meeting_id("referensmote-2018-11-23");
         m->set_title("Referensmöte om samordnad medborgardialog");
         m->mutable_starts_at()->set_seconds(1542963600);  // 2018-11-23T09:00:00Z
         m->mutable_ends_at()->set_seconds(1542974400);
         m->set_location("Stadshuset, August Palms plats 1");
         return e;
       }},
      {"reporting_v1_report_compiled.binpb",
       [] {
         auto e = std::make_unique<reporting::v1::ReportingEvent>();
         FillMetadata(e->mutable_metadata(), "samrad.reporting.v1.ReportCompiled", "Report",
                      "annual-2020");
         auto* r = e->mutable_report_compiled();
         r->set_report_id("annual-2020");
         r->set_kind("annual");
         r->set_year(2020);
         return e;
       }},
      // The first file of TenantCreated (above) has aggregate type "Tenant", which no build
      // ever wrote: the code writes "tenant" (kTenantAggregateType in
      // services/registry/projection/registry_projection.h). Golden files are never
      // rewritten, so that file stays (its bytes must still decode) and this one holds the
      // event as the registry writes it at a tenant's first start.
      {"registry_v1_tenant_created_2.binpb",
       [] {
         registry::v1::RegistryEvent e;
         e.mutable_tenant_created()->set_code("1280");
         e.mutable_tenant_created()->set_name("Malmö stad");
         return Stamped(e, Bootstrap("0d1f4a6e-2b7c-4e19-8a35-6c9e0f2b7d10", "tenant", "1280", 0));
       }},
      {"registry_v1_committee_created.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* c = e.mutable_committee_created()->mutable_committee();
         c->set_name("tenants/1280/committees/kommunstyrelsen");
         c->set_display_name("Kommunstyrelsen");
         c->set_administration("tenants/1280/administrations/stadskontoret");
         c->set_coordinator(true);
         c->set_state(registry::v1::ACTIVE);
         *c->mutable_create_time() = Time(kFirstStart);
         *c->mutable_update_time() = Time(kFirstStart);
         return Stamped(e, Bootstrap("3a8c2e51-7f04-4b6d-9e12-5d7a3c8f0e21", "committee",
                                     "kommunstyrelsen", 1));
       }},
      {"registry_v1_committee_updated.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* u = e.mutable_committee_updated();
         auto* c = u->mutable_committee();
         c->set_name("tenants/1280/committees/fritidsnamnden");
         c->set_display_name("Fritidsnämnden");
         c->set_administration("tenants/1280/administrations/fritidsforvaltningen");
         c->set_charter_citizen_dialogue(true);
         c->set_charter_user_consultation(true);
         c->set_state(registry::v1::ACTIVE);
         *c->mutable_create_time() = Time(kFirstStart);
         *c->mutable_update_time() = Time(1772442900);  // 2026-03-02T09:15:00Z
         *u->mutable_update_mask() =
             Mask({"charter_citizen_dialogue", "charter_user_consultation"});
         return Stamped(e, {.event_id = "6b2d9f03-1e8a-4c57-b0d4-2f6e8a1c3b32",
                            .aggregate_type = "committee",
                            .aggregate_id = "fritidsnamnden",
                            .version = 2,
                            .occurred_at = 1772442900,
                            .actor = Coordinator(),
                            .request_id = "c4e1a7b9-58d2-4f3a-8b6e-0d9c2f7a1e43",
                            .correlation_id = "a7f3c1e5-92b4-4d08-9e6a-3b5d7f1c0a44",
                            .reason = "Nämndens reglemente har fått krav på medborgardialog och "
                                      "brukardialog",
                            .chain = 412});
       }},
      {"registry_v1_committee_retired.binpb",
       [] {
         registry::v1::RegistryEvent e;
         e.mutable_committee_retired()->set_committee(
             "tenants/1280/committees/tekniska-namnden-dubblett");
         return Stamped(e, {.event_id = "9e4a1c7d-3b58-4f20-a6e9-8c1d5b3f7a55",
                            .aggregate_type = "committee",
                            .aggregate_id = "tekniska-namnden-dubblett",
                            .version = 2,
                            .occurred_at = 1772443200,  // 2026-03-02T09:20:00Z
                            .actor = Coordinator(),
                            .request_id = "5f8b2d4a-c17e-4a93-9d05-6e2a8c4f1b66",
                            .correlation_id = "e2b6d8f0-4a1c-4e57-8c3b-9f1a5d7e2c67",
                            .reason = "Dubblett av Tekniska nämnden, registrerad av misstag",
                            .chain = 413});
       }},
      {"registry_v1_administration_created.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* a = e.mutable_administration_created()->mutable_administration();
         a->set_name("tenants/1280/administrations/stadskontoret");
         a->set_display_name("Stadskontoret");
         a->set_committee("tenants/1280/committees/kommunstyrelsen");
         a->set_state(registry::v1::ACTIVE);
         *a->mutable_create_time() = Time(kFirstStart);
         *a->mutable_update_time() = Time(kFirstStart);
         return Stamped(e, Bootstrap("b1c5e9a3-6d2f-4870-9b4e-1a7c3e5d9f78", "administration",
                                     "stadskontoret", 26));
       }},
      {"registry_v1_administration_updated.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* u = e.mutable_administration_updated();
         auto* a = u->mutable_administration();
         a->set_name("tenants/1280/administrations/fastighets-och-gatukontoret");
         a->set_display_name("Fastighets- och gatukontoret");
         a->set_committee("tenants/1280/committees/tekniska-namnden");
         a->set_state(registry::v1::ACTIVE);
         *a->mutable_create_time() = Time(kFirstStart);
         *a->mutable_update_time() = Time(1772532300);  // 2026-03-03T10:05:00Z
         *u->mutable_update_mask() = Mask({"display_name"});
         return Stamped(e,
                        {.event_id = "2c7e0a4f-8b13-4d6a-b5f2-7e9c1a3d5b89",
                         .aggregate_type = "administration",
                         .aggregate_id = "fastighets-och-gatukontoret",
                         .version = 2,
                         .occurred_at = 1772532300,
                         .actor = Coordinator(),
                         .request_id = "8d3f5b7e-29a1-4c6e-a0d8-4b2f6e9c1d9a",
                         .correlation_id = "1f9b3d5a-7c2e-4a08-b6d4-8e0a2c4f6b9b",
                         .reason = "Förvaltningens namn stavat som i stadens organisationsschema",
                         .chain = 414});
       }},
      {"registry_v1_administration_retired.binpb",
       [] {
         registry::v1::RegistryEvent e;
         e.mutable_administration_retired()->set_administration(
             "tenants/1280/administrations/stadsomradesforvaltning-soder");
         return Stamped(e, {.event_id = "4e9a2c6b-0d7f-4b31-8e5a-3c1f7b9d2eab",
                            .aggregate_type = "administration",
                            .aggregate_id = "stadsomradesforvaltning-soder",
                            .version = 2,
                            .occurred_at = 1772532720,  // 2026-03-03T10:12:00Z
                            .actor = Coordinator(),
                            .request_id = "0a6c8e2d-4f1b-4d79-9c3e-5b7d9f1a3cbc",
                            .correlation_id = "1f9b3d5a-7c2e-4a08-b6d4-8e0a2c4f6b9b",
                            .reason = "Stadsområdesförvaltningarna avvecklades 2017",
                            .chain = 415});
       }},
      {"registry_v1_area_defined.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* a = e.mutable_area_defined()->mutable_area();
         a->set_name("tenants/1280/areas/lindangen");
         a->set_display_name("Lindängen");
         a->set_kind(registry::v1::Area::LOCAL_AREA);
         a->set_parent("tenants/1280/areas/fosie");
         a->set_state(registry::v1::ACTIVE);
         return Stamped(e,
                        Bootstrap("7a3e5c9f-1b2d-4e64-a8c0-9d5f1b3e7acd", "area", "lindangen", 48));
       }},
      {"registry_v1_channel_defined.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* c = e.mutable_channel_defined()->mutable_channel();
         c->set_name("tenants/1280/channels/malmoinitiativet");
         c->set_display_name("Malmöinitiativet");
         c->add_usual_types(registry::v1::MEDBORGARDIALOG);
         c->set_state(registry::v1::ACTIVE);
         return Stamped(e, Bootstrap("c8f0b2d4-6e3a-4c95-9b7d-1e3a5c7f9bde", "channel",
                                     "malmoinitiativet", 58));
       }},
      {"registry_v1_person_registered.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* p = e.mutable_person_registered()->mutable_person();
         p->set_name("tenants/1280/people/erik-lind");
         p->set_display_name("Erik Lind");
         p->set_email("erik.lind@malmo.se");
         p->set_role(registry::v1::OFFICIAL);
         *p->mutable_create_time() = Time(1773149400);  // 2026-03-10T13:30:00Z
         *p->mutable_update_time() = Time(1773149400);
         return Stamped(e, {.event_id = "d5b7f9a1-3c6e-4d02-8f4b-6a8c0e2d4fef",
                            .aggregate_type = "person",
                            .aggregate_id = "erik-lind",
                            .version = 1,
                            .occurred_at = 1773149400,
                            .actor = Coordinator(),
                            .request_id = "3b5d7f9a-1c4e-4e60-a2b8-7d9f1b3c5e01",
                            .correlation_id = "6e8a0c2f-4b7d-4f19-9d3a-0c2e4f6a8d02",
                            .reason = "",
                            .chain = 416});
       }},
      {"registry_v1_person_updated.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* u = e.mutable_person_updated();
         auto* p = u->mutable_person();
         p->set_name("tenants/1280/people/erik-lind");
         p->set_display_name("Erik Lind");
         p->set_email("erik.lind@stadsbyggnad.malmo.se");
         p->set_role(registry::v1::OFFICIAL);
         *p->mutable_create_time() = Time(1773149400);
         *p->mutable_update_time() = Time(1775029800);  // 2026-04-01T07:50:00Z
         *u->mutable_update_mask() = Mask({"email"});
         return Stamped(e, {.event_id = "1a3c5e7b-9d2f-4a84-b6e0-2c4e6a8f0b13",
                            .aggregate_type = "person",
                            .aggregate_id = "erik-lind",
                            .version = 2,
                            .occurred_at = 1775029800,
                            .actor = Planner(),
                            .request_id = "9f1b3d5e-7a2c-4c48-8e6b-1d3f5a7c9e14",
                            .correlation_id = "4c6e8a0d-2f5b-4b97-a1c3-5e7a9c1e3b15",
                            .reason = "Ny e-postadress",
                            .chain = 431});
       }},
      {"registry_v1_representative_appointed.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* a = e.mutable_representative_appointed()->mutable_appointment();
         a->set_name("tenants/1280/appointments/stadsbyggnadskontoret-medborgardialog-2026");
         a->set_person("tenants/1280/people/erik-lind");
         a->set_administration("tenants/1280/administrations/stadsbyggnadskontoret");
         a->set_track(registry::v1::TRACK_MEDBORGARDIALOG);
         *a->mutable_start_date() = Date(2026, 3, 16);
         a->set_substitute("tenants/1280/people/sara-nilsson");
         return Stamped(e, {.event_id = "8b0d2f4a-6c1e-4e37-9a5c-3f5b7d9a1c26",
                            .aggregate_type = "appointment",
                            .aggregate_id = "stadsbyggnadskontoret-medborgardialog-2026",
                            .version = 1,
                            .occurred_at = 1773150300,  // 2026-03-10T13:45:00Z
                            .actor = Coordinator(),
                            .request_id = "2d4f6b8e-0a3c-4a59-b7d1-4f6b8d0e2a27",
                            .correlation_id = "6e8a0c2f-4b7d-4f19-9d3a-0c2e4f6a8d02",
                            .reason = "Kontaktperson för spåret medborgardialog",
                            .chain = 418});
       }},
      {"registry_v1_appointment_ended.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* a = e.mutable_appointment_ended();
         a->set_appointment("tenants/1280/appointments/stadsbyggnadskontoret-medborgardialog-2026");
         *a->mutable_end_date() = Date(2026, 11, 30);
         return Stamped(e, {.event_id = "5c7e9a1d-3f6b-4b28-8d0f-6a8c0e2b4d38",
                            .aggregate_type = "appointment",
                            .aggregate_id = "stadsbyggnadskontoret-medborgardialog-2026",
                            .version = 2,
                            .occurred_at = 1796050800,  // 2026-11-30T15:00:00Z
                            .actor = Coordinator(),
                            .request_id = "7f9b1d3a-5c8e-4e06-a4c2-8b0d2f4a6c39",
                            .correlation_id = "0b2d4f6a-8c1e-4a73-9f5b-2d4f6b8d0a3a",
                            .reason = "Erik Lind byter tjänst; Sara Nilsson tar över från "
                                      "2026-12-01",
                            .chain = 611});
       }},
      {"registry_v1_dialogue_registered.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* r = e.mutable_dialogue_registered();
         *r->mutable_dialogue() = LindangenDialogue();
         auto* w = r->add_warnings();
         w->set_field("dialogue.channels[2]");
         w->set_reason("CHANNEL_UNUSUAL_FOR_TYPE");
         w->set_description_sv("Kanalen Malmöpanelen används vanligen inte för kunskapsdialog.");
         w->set_description_en(
             "The channel Malmöpanelen is not usually used for knowledge dialogue.");
         return Stamped(e, {.event_id = "e3a5c7e9-1b4d-4f82-b0e6-9c1e3a5d7f4b",
                            .aggregate_type = "dialogue",
                            .aggregate_id = "trygghet-i-lindangen-2026",
                            .version = 1,
                            .occurred_at = 1778571000,  // 2026-05-12T07:30:00Z
                            .actor = Planner(),
                            .request_id = "4a6c8e0b-2d5f-4f17-8b3d-6e8a0c2e4f5c",
                            .correlation_id = "9d1f3b5c-7e0a-4c64-a2e8-1b3d5f7a9c5d",
                            .reason = "",
                            .chain = 520});
       }},
      {"registry_v1_dialogue_updated.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* u = e.mutable_dialogue_updated();
         registry::v1::Dialogue* d = u->mutable_dialogue();
         *d = LindangenDialogue();
         d->set_status(registry::v1::COMPLETED);
         auto* o = d->mutable_outcome();
         o->set_outreach(
             "Trygghetsvandringar med boende, dörrknackning i Lindängsstigen och samtal på "
             "fritidsgården; enkäten också på arabiska och somaliska");
         o->set_participant_count(214);
         o->set_result(
             "Mörka gångstråk mot skolorna och centrumtorget kvällstid är det som gör flest "
             "otrygga; önskemål om fler mötesplatser för unga");
         o->set_result_use("Underlag till gestaltningsprogrammet för Lindängens centrum");
         *d->mutable_update_time() = Time(1796307600);  // 2026-12-03T14:20:00Z
         *u->mutable_update_mask() = Mask({"outcome.outreach", "outcome.participant_count",
                                           "outcome.result", "outcome.result_use"});
         return Stamped(e, {.event_id = "2f4b6d8a-0c3e-4e91-9a7c-5d7f9b1d3e6e",
                            .aggregate_type = "dialogue",
                            .aggregate_id = "trygghet-i-lindangen-2026",
                            .version = 5,
                            .occurred_at = 1796307600,
                            .actor = Planner(),
                            .request_id = "6c8e0a2d-4f7b-4b35-8d1f-3a5c7e9b1d6f",
                            .correlation_id = "8e0a2c4f-6b9d-4d53-a3f1-5c7e9a1b3f70",
                            .reason = "Resultatet av dialogen sammanställt",
                            .chain = 640});
       }},
      {"registry_v1_dialogue_status_changed.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* c = e.mutable_dialogue_status_changed();
         c->set_dialogue(kLindangen);
         c->set_from(registry::v1::PLANNED);
         c->set_to(registry::v1::ONGOING);
         return Stamped(e, {.event_id = "a9c1e3b5-7d0f-4a26-b8e4-1f3b5d7a9c81",
                            .aggregate_type = "dialogue",
                            .aggregate_id = "trygghet-i-lindangen-2026",
                            .version = 3,
                            .occurred_at = 1788242400,  // 2026-09-01T06:00:00Z
                            .actor = Planner(),
                            .request_id = "0e2a4c6f-8b1d-4d79-9f5b-7c9e1a3d5b82",
                            .correlation_id = "3a5c7e9b-1d4f-4f97-8b2d-9e1a3c5f7d83",
                            .reason = "Första trygghetsvandringen hölls i kväll",
                            .chain = 590});
       }},
      {"registry_v1_coordination_hints_found.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* f = e.mutable_coordination_hints_found();
         f->set_dialogue(kLindangen);
         auto* h = f->add_hints();
         h->set_dialogue(kLindangen);
         h->set_other_dialogue("tenants/1280/dialogues/unga-i-fosie-2026");
         h->set_other_lead_administration("tenants/1280/administrations/fritidsforvaltningen");
         h->add_shared_areas("tenants/1280/areas/lindangen");
         h->add_shared_target_groups(registry::v1::YOUNG_PEOPLE);
         *h->mutable_overlap_start() = Date(2026, 9, 1);
         *h->mutable_overlap_end() = Date(2026, 10, 31);
         *h->mutable_detect_time() = Time(1778571000);
         // The same command as the registration (see DialogueRegistered), one version later.
         return Stamped(e, {.event_id = "b4d6f8a0-2c5e-4e43-9a1c-6f8b0d2e4a94",
                            .aggregate_type = "dialogue",
                            .aggregate_id = "trygghet-i-lindangen-2026",
                            .version = 2,
                            .occurred_at = 1778571000,
                            .actor = Planner(),
                            .request_id = "4a6c8e0b-2d5f-4f17-8b3d-6e8a0c2e4f5c",
                            .correlation_id = "9d1f3b5c-7e0a-4c64-a2e8-1b3d5f7a9c5d",
                            .reason = "",
                            .chain = 521});
       }},
      {"registry_v1_consultation_opened.binpb",
       [] {
         registry::v1::RegistryEvent e;
         *e.mutable_consultation_opened()->mutable_consultation() = Stk201890();
         return Stamped(e, {.event_id = "c5e7a9b1-3d6f-4f64-8b2d-7a9c1e3b5da5",
                            .aggregate_type = "consultation",
                            .aggregate_id = "stk-2018-90",
                            .version = 1,
                            .occurred_at = 1770022800,  // 2026-02-02T09:00:00Z
                            .actor = Coordinator(),
                            .request_id = "1b3d5f7a-9c2e-4e82-a0c4-8b0d2f4a6cb6",
                            .correlation_id = "5f7b9d1e-3a6c-4c20-9e4a-0d2f4b6d8ab7",
                            .reason = "Remissen i ärende STK-2018-90 förs in i arkivet",
                            .chain = 301});
       }},
      {"registry_v1_consultation_updated.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* u = e.mutable_consultation_updated();
         registry::v1::Consultation* c = u->mutable_consultation();
         *c = Stk201890();
         c->set_title(
             "Uppdrag budget 2018 – Ta fram modeller för en samordnad medborgardialog i frågor "
             "som berör flera förvaltningar");
         *c->mutable_update_time() = Time(1770108000);  // 2026-02-03T08:40:00Z
         *u->mutable_update_mask() = Mask({"title"});
         return Stamped(e, {.event_id = "d6f8b0c2-4e7a-4a75-9c3e-8b0d2f4c6eb8",
                            .aggregate_type = "consultation",
                            .aggregate_id = "stk-2018-90",
                            .version = 2,
                            .occurred_at = 1770108000,
                            .actor = Coordinator(),
                            .request_id = "2c4e6a8b-0d3f-4f93-b1d5-9c1e3a5b7dc9",
                            .correlation_id = "6a8c0e2f-4b7d-4d31-8f5b-1e3a5c7e9bca",
                            .reason = "Rubriken som i remissmissivet",
                            .chain = 302});
       }},
      {"registry_v1_consultation_answer_recorded.binpb",
       [] {
         registry::v1::RegistryEvent e;
         auto* r = e.mutable_consultation_answer_recorded();
         r->set_consultation("tenants/1280/consultations/stk-2018-90");
         auto* a = r->mutable_answer();
         a->set_body("tenants/1280/committees/arbetsmarknads-och-socialnamnden");
         a->set_summary(
             "Positivt att remissen vill klargöra gränssnittet mellan förtroendevaldas och "
             "tjänstepersoners roller; bör kompletteras med medborgarnas perspektiv och ta "
             "tillvara digitaliseringens möjligheter.");
         a->set_decision_reference("ASN § 246, ASN-2019-4583");
         auto point = [a](registry::v1::PointTag tag, const char* text) {
           auto* p = a->add_points();
           p->set_tag(tag);
           p->set_text(text);
         };
         point(registry::v1::POSITIVE,
               "Höga ambitioner att klargöra de förtroendevaldas och tjänstepersonernas roller "
               "och ansvar");
         point(registry::v1::PROPOSAL, "Komplettera med medborgarnas perspektiv");
         point(registry::v1::PROPOSAL, "Ta tillvara digitaliseringens möjligheter");
         point(registry::v1::CONSEQUENCE, "Går i linje med nämndens uppdrag");
         *a->mutable_received_date() = Date(2019, 6, 26);
         return Stamped(e, {.event_id = "e7a9c1d3-5f8b-4b86-a0d4-9c1e3a5d7fdb",
                            .aggregate_type = "consultation",
                            .aggregate_id = "stk-2018-90",
                            .version = 3,
                            .occurred_at = 1770199800,  // 2026-02-04T10:10:00Z
                            .actor = Coordinator(),
                            .request_id = "3d5f7b9c-1e4a-4a04-8c2e-0d2f4a6c8edc",
                            .correlation_id = "7b9d1f3a-5c8e-4e42-9a6c-2f4b6d8f0add",
                            .reason = "",
                            .chain = 303});
       }},
  };
}

std::filesystem::path GoldenDir() {
  const char* src = std::getenv("SAMRAD_SOURCE_DIR");
  return std::filesystem::path(src ? src : ".") / "tests" / "proto" / "golden";
}

TEST(GoldenEventsTest, CommittedBytesStillDecode) {
  const bool update = std::getenv("SAMRAD_UPDATE_GOLDEN") != nullptr;
  for (const auto& c : GoldenCases()) {
    SCOPED_TRACE(c.file);
    const auto expected = c.make();
    const auto path = GoldenDir() / c.file;
    if (!std::filesystem::exists(path)) {
      ASSERT_TRUE(update) << path << " is missing; run with SAMRAD_UPDATE_GOLDEN=1 once";
      std::ofstream out(path, std::ios::binary);
      ASSERT_TRUE(expected->SerializeToOstream(&out));
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::unique_ptr<google::protobuf::Message> decoded(expected->New());
    ASSERT_TRUE(decoded->ParseFromString(bytes.str()));
    // Every field of the golden decodes to what it meant when it was written; fields added
    // since then are absent from old bytes and so compare equal as unset.
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(*expected, *decoded)) << diff;
  }
}

// The envelope of each topic (libs/runtime/service_names.h names the topics).
std::vector<const google::protobuf::Descriptor*> Envelopes() {
  return {registry::v1::RegistryEvent::descriptor(), scheduling::v1::SchedulingEvent::descriptor(),
          reporting::v1::ReportingEvent::descriptor()};
}

// The committed bytes of a golden file, nullopt when there is none.
std::optional<std::string> ReadGolden(const std::string& file) {
  std::ifstream in(GoldenDir() / file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The envelope cases (full names of the fields of each envelope's oneofs) that no committed
// golden file of `cases` holds. Read from the files, not from GoldenCases(): a case counts
// once its bytes are committed.
std::vector<std::string> CasesWithoutGolden(
    const std::vector<const google::protobuf::Descriptor*>& envelopes,
    const std::vector<GoldenCase>& cases) {
  std::set<const google::protobuf::FieldDescriptor*> covered;
  for (const GoldenCase& c : cases) {
    const std::optional<std::string> bytes = ReadGolden(c.file);
    if (!bytes) continue;
    std::unique_ptr<google::protobuf::Message> decoded(c.make()->New());
    if (!decoded->ParseFromString(*bytes)) continue;
    const google::protobuf::Descriptor* descriptor = decoded->GetDescriptor();
    for (int i = 0; i < descriptor->oneof_decl_count(); ++i) {
      const google::protobuf::FieldDescriptor* set =
          decoded->GetReflection()->GetOneofFieldDescriptor(*decoded, descriptor->oneof_decl(i));
      if (set != nullptr) covered.insert(set);
    }
  }
  std::vector<std::string> missing;
  for (const google::protobuf::Descriptor* envelope : envelopes) {
    for (int i = 0; i < envelope->oneof_decl_count(); ++i) {
      const google::protobuf::OneofDescriptor* oneof = envelope->oneof_decl(i);
      if (oneof->is_synthetic()) continue;  // a proto3 `optional` field, not a case
      for (int j = 0; j < oneof->field_count(); ++j) {
        if (!covered.contains(oneof->field(j))) missing.push_back(oneof->field(j)->full_name());
      }
    }
  }
  return missing;
}

TEST(GoldenEventsTest, EveryEventCaseHasAGoldenFile) {
  EXPECT_THAT(CasesWithoutGolden(Envelopes(), GoldenCases()), IsEmpty())
      << "every case of every envelope needs a golden file: add one to GoldenCases() per case "
         "and run this test once with SAMRAD_UPDATE_GOLDEN=1";
}

TEST(GoldenEventsTest, ACaseWithoutAGoldenFileIsReported) {
  // As if committee_created had been added to the envelope without a golden file.
  std::vector<GoldenCase> cases = GoldenCases();
  std::erase_if(
      cases, [](const GoldenCase& c) { return c.file == "registry_v1_committee_created.binpb"; });
  EXPECT_THAT(CasesWithoutGolden(Envelopes(), cases),
              ElementsAre("samrad.registry.v1.RegistryEvent.committee_created"));
  // And an envelope no golden file covers at all reports each of its cases.
  EXPECT_THAT(CasesWithoutGolden({scheduling::v1::SchedulingEvent::descriptor()}, {}),
              ElementsAre("samrad.scheduling.v1.SchedulingEvent.meeting_scheduled"));
}

TEST(GoldenEventsTest, EveryEnvelopeHasMetadataAndOneEventOneof) {
  for (const google::protobuf::Descriptor* envelope : Envelopes()) {
    SCOPED_TRACE(envelope->full_name());
    const google::protobuf::FieldDescriptor* metadata = envelope->FindFieldByName("metadata");
    ASSERT_NE(metadata, nullptr);
    EXPECT_EQ(metadata->message_type(), common::v1::EventMetadata::descriptor());
    ASSERT_NE(envelope->FindOneofByName("event"), nullptr);
    EXPECT_EQ(envelope->real_oneof_decl_count(), 1);
  }
}

TEST(GoldenEventsTest, EventTypeNamesTheCase) {
  // The executor writes the full name of the case's message as the event type (also the
  // `event-type` header), and tools rely on it.
  for (const GoldenCase& c : GoldenCases()) {
    SCOPED_TRACE(c.file);
    const std::unique_ptr<google::protobuf::Message> event = c.make();
    const google::protobuf::Descriptor* descriptor = event->GetDescriptor();
    const google::protobuf::Reflection* reflection = event->GetReflection();
    const google::protobuf::FieldDescriptor* payload =
        reflection->GetOneofFieldDescriptor(*event, descriptor->FindOneofByName("event"));
    ASSERT_NE(payload, nullptr);
    const auto& metadata = static_cast<const common::v1::EventMetadata&>(
        reflection->GetMessage(*event, descriptor->FindFieldByName("metadata")));
    EXPECT_EQ(metadata.event_type(), payload->message_type()->full_name());
    EXPECT_EQ(metadata.tenant(), "1280");
    EXPECT_FALSE(metadata.aggregate_type().empty());
    EXPECT_GE(metadata.aggregate_version(), 1);
  }
}

TEST(GoldenEventsTest, UnknownCaseIsKeptNotFatal) {
  // A consumer built before a new case existed sees an envelope with no known case: it must
  // parse, keep the metadata, and report the case as not set (so it can count and skip it).
  registry::v1::RegistryEvent newer;
  FillMetadata(newer.mutable_metadata(), "samrad.registry.v1.SomethingNew", "Tenant", "1280");
  std::string bytes = newer.SerializeAsString();
  // Field 9999, length-delimited, 3 bytes: a case this build does not know.
  bytes += std::string("\xfa\xe0\x04\x03", 4) + "abc";
  registry::v1::RegistryEvent older;
  ASSERT_TRUE(older.ParseFromString(bytes));
  EXPECT_EQ(older.event_case(), registry::v1::RegistryEvent::EVENT_NOT_SET);
  EXPECT_EQ(older.metadata().event_type(), "samrad.registry.v1.SomethingNew");
}

}  // namespace
}  // namespace samrad
