#include "tests/services/e2e_support.h"

#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "samrad/ops/v1/operations.grpc.pb.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/scheduling/v1/events.pb.h"

namespace samrad::e2e {
namespace {

void FillMetadata(common::v1::EventMetadata* m, const std::string& type,
                  const std::string& aggregate_type, const std::string& id) {
  m->set_event_id("e2e-" + id);
  m->set_tenant("1280");
  m->set_aggregate_type(aggregate_type);
  m->set_aggregate_id(id);
  m->set_aggregate_version(1);
  m->mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  m->mutable_actor()->set_id("e2e-test");
  m->mutable_actor()->set_role(common::v1::ACTOR_ROLE_SYSTEM);
  m->set_event_type(type);
}

eventlog::Record ToRecord(const google::protobuf::Message& event, const std::string& type) {
  return eventlog::Record{
      .key = "1280", .value = event.SerializeAsString(), .headers = {{"event-type", type}}};
}

}  // namespace

eventlog::Record TenantCreatedRecord(const std::string& code, const std::string& name) {
  registry::v1::RegistryEvent e;
  FillMetadata(e.mutable_metadata(), "samrad.registry.v1.TenantCreated", "Tenant", code);
  e.mutable_tenant_created()->set_code(code);
  e.mutable_tenant_created()->set_name(name);
  return ToRecord(e, "samrad.registry.v1.TenantCreated");
}

eventlog::Record MeetingScheduledRecord(const std::string& meeting_id) {
  scheduling::v1::SchedulingEvent e;
  FillMetadata(e.mutable_metadata(), "samrad.scheduling.v1.MeetingScheduled", "Meeting",
               meeting_id);
  e.mutable_meeting_scheduled()->set_meeting_id(meeting_id);
  e.mutable_meeting_scheduled()->set_title("Nätverksmöte medborgardialog");
  return ToRecord(e, "samrad.scheduling.v1.MeetingScheduled");
}

eventlog::Record UnknownCaseRecord() {
  registry::v1::RegistryEvent e;
  FillMetadata(e.mutable_metadata(), "samrad.registry.v1.FromTheFuture", "Tenant", "1280");
  eventlog::Record r = ToRecord(e, "samrad.registry.v1.FromTheFuture");
  r.value += std::string("\xfa\xe0\x04\x03", 4) + "abc";  // field 9999, 3 bytes
  return r;
}

absl::StatusOr<std::map<std::string, ops::v1::ProjectionStatus>> ListProjections(
    const std::string& target, absl::Duration timeout) {
  auto stub =
      ops::v1::Operations::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  ops::v1::ListProjectionsRequest request;
  ops::v1::ListProjectionsResponse response;
  grpc::Status s = stub->ListProjections(&context, request, &response);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        "ListProjections at " + target + ": " + s.error_message());
  }
  std::map<std::string, ops::v1::ProjectionStatus> out;
  for (const auto& p : response.projections()) out[p.name()] = p;
  return out;
}

int64_t NextOffset(const ops::v1::ProjectionStatus& status, const std::string& topic) {
  for (const auto& s : status.sources()) {
    if (s.topic() == topic && s.partition() == 0) return s.next_offset();
  }
  return -1;
}

int64_t HighWatermark(const ops::v1::ProjectionStatus& status, const std::string& topic) {
  for (const auto& s : status.sources()) {
    if (s.topic() == topic && s.partition() == 0) return s.high_watermark();
  }
  return -1;
}

}  // namespace samrad::e2e
