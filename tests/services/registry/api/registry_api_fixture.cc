#include "tests/services/registry/api/registry_api_fixture.h"

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/status.pb.h"
#include "libs/api/page_token.h"
#include "libs/api/request_context.h"
#include "libs/runtime/service_names.h"
#include "services/registry/app/registry_module.h"
#include "services/registry/domain/dates.h"

namespace samrad::registry::apitest {
namespace {

// The google.rpc.Status of the binary details; empty when there is none.
google::rpc::Status RpcStatusOf(const grpc::Status& status) {
  google::rpc::Status rpc;
  if (!status.error_details().empty() && !rpc.ParseFromString(status.error_details())) {
    ADD_FAILURE() << "unparsable error details";
  }
  return rpc;
}

// The first detail of type T, if any.
template <typename T>
std::optional<T> DetailOf(const grpc::Status& status) {
  const google::rpc::Status rpc = RpcStatusOf(status);
  for (const auto& any : rpc.details()) {
    T detail;
    if (any.UnpackTo(&detail)) return detail;
  }
  return std::nullopt;
}

}  // namespace

std::string Name(std::string_view collection, std::string_view id) {
  return absl::StrCat(kTenant, "/", std::string(collection), "/", std::string(id));
}

google::type::Date D(int y, int m, int d) { return domain::MakeDate(y, m, d); }

std::unique_ptr<grpc::ClientContext> Ctx(std::string actor, Lang lang) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  common::v1::Actor a;
  a.set_id(std::move(actor));
  api::SetActorMetadata(*ctx, a, lang);
  return ctx;
}

google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
  std::optional<google::rpc::BadRequest> bad = DetailOf<google::rpc::BadRequest>(status);
  if (!bad) {
    ADD_FAILURE() << "no BadRequest in the status";
    return {};
  }
  return *std::move(bad);
}

std::string ReasonOf(const grpc::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = DetailOf<google::rpc::ErrorInfo>(status);
  return info ? info->reason() : "";
}

std::string MetadataOf(const grpc::Status& status, const std::string& key) {
  std::optional<google::rpc::ErrorInfo> info = DetailOf<google::rpc::ErrorInfo>(status);
  if (!info) return "";
  const auto it = info->metadata().find(key);
  return it == info->metadata().end() ? "" : it->second;
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  if (std::optional<google::rpc::BadRequest> bad = DetailOf<google::rpc::BadRequest>(status)) {
    for (const auto& v : bad->field_violations()) fields.push_back(v.field());
  }
  return fields;
}

::testing::AssertionResult IsError(const grpc::Status& status, grpc::StatusCode code,
                                   std::string_view expected_reason,
                                   const std::vector<std::string>& fields,
                                   std::string_view domain) {
  std::string reason(expected_reason);
  const std::optional<google::rpc::ErrorInfo> info = DetailOf<google::rpc::ErrorInfo>(status);
  const std::vector<std::string> violated = ViolatedFields(status);
  if (expected_reason == kFirstViolationReason) {
    const std::optional<google::rpc::BadRequest> bad = DetailOf<google::rpc::BadRequest>(status);
    if (!bad || bad->field_violations().empty()) {
      return ::testing::AssertionFailure() << "expected field violations; got none";
    }
    reason = bad->field_violations(0).reason();
    if (!info || info->metadata().count("field") == 0 ||
        info->metadata().at("field") != bad->field_violations(0).field()) {
      return ::testing::AssertionFailure()
             << "ErrorInfo.metadata[field] does not name the first violation's field";
    }
  }
  const std::string got =
      absl::StrCat("code ", status.error_code(), ", reason ", info ? info->reason() : "(none)",
                   ", domain ", info ? info->domain() : "(none)", ", fields [",
                   absl::StrJoin(violated, ", "), "], message \"", status.error_message(), "\"");
  if (status.error_code() != code || !info || info->reason() != reason ||
      info->domain() != domain || violated != fields) {
    return ::testing::AssertionFailure()
           << "expected code " << code << ", reason " << reason << ", domain " << domain
           << ", fields [" << absl::StrJoin(fields, ", ") << "]; got " << got;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsInvalid(const grpc::Status& status,
                                     const std::vector<std::string>& fields) {
  return IsError(status, grpc::StatusCode::INVALID_ARGUMENT, kFirstViolationReason, fields);
}

v1::CreateDialogueRequest DialogueRequest(const std::string& id) {
  v1::CreateDialogueRequest r;
  r.set_parent(kTenant);
  r.set_dialogue_id(id);
  v1::Dialogue* d = r.mutable_dialogue();
  d->set_title("Framtidens parker i Rosengård");
  d->set_question("Vad vill du kunna göra i parken?");
  d->set_type(v1::MEDBORGARDIALOG);
  d->set_participation_level(v1::DIALOG);
  d->add_channels(Name("channels", "dialog-i-stadsutveckling"));
  d->add_target_groups(v1::CITIZENS);
  d->add_areas(Name("areas", "rosengard"));
  *d->mutable_start_date() = D(2020, 3, 1);
  *d->mutable_end_date() = D(2020, 5, 31);
  d->set_lead_administration(Name("administrations", "fritidsforvaltningen"));
  d->add_elected_officials(Name("people", "anna"));
  r.mutable_options()->set_request_id("dialogue-" + id);
  return r;
}

v1::CreateConsultationRequest ConsultationRequest(const std::string& id,
                                                  std::vector<std::string> bodies) {
  if (bodies.empty()) {
    bodies = {"fritidsnamnden", "forskolenamnden", "grundskolenamnden", "kulturnamnden",
              "miljonamnden"};
  }
  v1::CreateConsultationRequest r;
  r.set_parent(kTenant);
  r.set_consultation_id(id);
  v1::Consultation* c = r.mutable_consultation();
  c->set_case_number("STK-2018-90");
  c->set_title("Modeller för samordnad medborgardialog");
  c->add_questions("Hur ser nämnden på förslaget om ett förvaltningsövergripande nätverk?");
  c->add_questions("Vilka konsekvenser får förslaget för nämndens eget arbete?");
  c->add_questions("Vilka förslag har nämnden på utveckling av arbetet?");
  for (const std::string& body : bodies) c->add_bodies(Name("committees", body));
  *c->mutable_start_date() = D(2019, 2, 19);
  *c->mutable_deadline() = D(2019, 6, 28);
  r.mutable_options()->set_request_id("consultation-" + id);
  return r;
}

v1::ConsultationAnswer AnswerOf(const std::string& body, google::type::Date received) {
  v1::ConsultationAnswer a;
  a.set_body(Name("committees", body));
  a.set_summary("Nämnden ställer sig positiv till förslaget med vissa synpunkter.");
  a.set_decision_reference("§ 123, 2019-05-21");
  const std::pair<v1::PointTag, const char*> points[] = {
      {v1::POSITIVE, "Ett gemensamt nätverk ger bättre samordning."},
      {v1::NEGATIVE, "Rollerna mellan nätverket och förvaltningarna är otydliga."},
      {v1::CONSEQUENCE, "Nämnden behöver utse en kontaktperson."},
      {v1::PROPOSAL, "Definiera begreppen medborgardialog och kunskapsdialog."}};
  for (const auto& [tag, text] : points) {
    v1::AnswerPoint* p = a.add_points();
    p->set_tag(tag);
    p->set_text(text);
  }
  *a.mutable_received_date() = received;
  return a;
}

std::vector<v1::RegistryEvent> HistoryOf(v1::Registry::Stub& stub, const std::string& name) {
  v1::GetHistoryRequest r;
  r.set_name(name);
  r.set_page_size(api::kMaxPageSize);
  v1::GetHistoryResponse out;
  const grpc::Status s = stub.GetHistory(Ctx().get(), r, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(out.next_page_token().empty());
  return {out.events().begin(), out.events().end()};
}

std::vector<std::string> EventTypesOf(const std::vector<v1::RegistryEvent>& events) {
  std::vector<std::string> types;
  for (const v1::RegistryEvent& e : events) types.push_back(e.metadata().event_type());
  return types;
}

namespace {

// Runs a write that must succeed.
template <typename Request, typename Response>
Response MustWrite(v1::Registry::Stub& stub, Rpc<Request, Response> rpc, const Request& request) {
  Response response;
  const grpc::Status s = (stub.*rpc)(Ctx().get(), request, &response);
  EXPECT_TRUE(s.ok()) << s.error_code() << ": " << s.error_message();
  return response;
}

}  // namespace

v1::Person CreatePerson(v1::Registry::Stub& stub, const std::string& id, v1::PersonRole role) {
  v1::CreatePersonRequest r;
  r.set_parent(kTenant);
  r.set_person_id(id);
  r.mutable_person()->set_display_name(id);
  r.mutable_person()->set_email(id + "@malmo.se");
  r.mutable_person()->set_role(role);
  r.mutable_options()->set_request_id("person-" + id);
  return MustWrite(stub, &v1::Registry::Stub::CreatePerson, r);
}

v1::CreateDialogueResponse CreateDialogue(v1::Registry::Stub& stub,
                                          const v1::CreateDialogueRequest& request) {
  return MustWrite(stub, &v1::Registry::Stub::CreateDialogue, request);
}

v1::Consultation CreateConsultation(v1::Registry::Stub& stub,
                                    const v1::CreateConsultationRequest& request) {
  return MustWrite(stub, &v1::Registry::Stub::CreateConsultation, request);
}

v1::Committee CreateCommittee(v1::Registry::Stub& stub, const std::string& id) {
  v1::CreateCommitteeRequest r;
  r.set_parent(kTenant);
  r.set_committee_id(id);
  r.mutable_committee()->set_display_name(absl::StrCat("Nämnden ", id));
  r.mutable_options()->set_request_id("committee-" + id);
  return MustWrite(stub, &v1::Registry::Stub::CreateCommittee, r);
}

v1::Committee RetireCommittee(v1::Registry::Stub& stub, const std::string& id) {
  v1::RetireCommitteeRequest r;
  r.set_name(Name("committees", id));
  r.mutable_options()->set_request_id("retire-" + id);
  r.mutable_options()->set_reason("Nämnden upphör vid omorganisationen.");
  return MustWrite(stub, &v1::Registry::Stub::RetireCommittee, r);
}

absl::Status RegistryServer::Start() {
  if (!log_) {
    auto log = eventlog::EmbeddedEventLog::Open({.path = dir_.Sub("eventlog"), .sync = false});
    if (!log.ok()) return log.status();
    log_ = std::move(*log);
    if (absl::Status s = log_->EnsureTopic(std::string(runtime::kRegistryTopic), 1); !s.ok()) {
      return s;
    }
  }
  module_ = NewRegistryModule();
  std::filesystem::create_directories(dir_.Sub("registry"));
  const char* source = std::getenv("SAMRAD_SOURCE_DIR");
  const std::string root = source != nullptr ? source : ".";
  if (absl::Status s = module_->Start({.log = log_.get(),
                                       .data_dir = dir_.Sub("registry"),
                                       .metrics = nullptr,
                                       .partitions = 1,
                                       .organisation_data = root + "/deploy/config/malmo.json",
                                       .command_threads = command_threads_});
      !s.ok()) {
    return s;
  }
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  module_->RegisterServices(builder);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) return absl::InternalError("the gRPC server did not start");
  if (absl::Status s = module_->WaitReady(absl::Seconds(30)); !s.ok()) return s;
  stub_ = v1::Registry::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  return absl::OkStatus();
}

void RegistryServer::Stop() {
  if (server_) server_->Shutdown();
  module_.reset();
  server_.reset();
  stub_.reset();
}

int64_t RegistryServer::HighWatermark() const {
  auto hwm = log_->HighWatermark({std::string(runtime::kRegistryTopic), 0});
  EXPECT_TRUE(hwm.ok()) << hwm.status();
  return hwm.ok() ? *hwm : -1;
}

}  // namespace samrad::registry::apitest
