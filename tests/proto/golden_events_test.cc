// Golden serialized events: bytes written by earlier builds must decode forever
// (DESIGN.md "Events and schemas": v1 only grows). A file here is never rewritten once
// committed; a new event case gets a new file. To add one, add it to GoldenCases() and run
// the test once with SAMRAD_UPDATE_GOLDEN=1, then commit the new file.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/reporting/v1/events.pb.h"
#include "samrad/scheduling/v1/events.pb.h"

namespace samrad {
namespace {

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
