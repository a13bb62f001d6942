#include "services/samradctl/registry_commands.h"

#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "libs/api/request_context.h"
#include "services/samradctl/error_output.h"
#include "services/samradctl/output.h"
#include "services/samradctl/requests.h"
#include "services/samradctl/usage_error.h"
#include "services/samradctl/views.h"

namespace samrad::ctl {
namespace {

namespace v1 = ::samrad::registry::v1;
using Stub = v1::Registry::StubInterface;

template <typename Request, typename Response>
using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

template <typename Response, typename Item>
using ItemsOf = google::protobuf::RepeatedPtrField<Item>* (Response::*)();

// The page size used to look a resource up in a list (areas, channels, appointments have
// no Get method).
constexpr int kLookupPageSize = 1000;

// "tenants/1280" of "tenants/1280/areas/x".
std::string TenantOfName(const std::string& name) {
  const size_t first = name.find('/');
  if (first == std::string::npos) return name;
  const size_t second = name.find('/', first + 1);
  return second == std::string::npos ? name : name.substr(0, second);
}

// Whether a failed write may still have happened on the server: then the same request id
// retries it safely. (A target that could not be reached has not seen the request.)
bool OutcomeUnknown(const grpc::Status& status) {
  if (IsUnreachable(status)) return false;
  switch (status.error_code()) {
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
      return true;
    default:
      return false;
  }
}

// One command: its calls share the metadata, the deadline per call and a correlation id.
class Session {
 public:
  Session(const Invocation& invocation, Stub& stub, std::ostream& out, std::ostream& err)
      : inv_(invocation), stub_(stub), out_(out), err_(err), correlation_id_(api::NewUuidV4()) {}

  int Run();

 private:
  Lang lang() const { return inv_.global.lang(); }
  const Scope& scope() const { return inv_.global.scope; }
  bool json() const { return inv_.global.format == OutputFormat::kJson; }

  int RunGet();
  int RunList();
  int RunCreate();
  int RunUpdate();
  int RunNetwork();
  int RunHints();
  int RunOverdue();

  template <typename Request, typename Response>
  grpc::Status Call(Method<Request, Response> method, const Request& request, Response* response) {
    grpc::ClientContext context;
    api::SetActorMetadata(context, inv_.global.actor, lang());
    api::SetCorrelationId(context, correlation_id_);
    context.set_deadline(absl::ToChronoTime(absl::Now() + inv_.global.timeout));
    return (stub_.*method)(&context, request, response);
  }

  int Usage(const absl::Status& status) {
    err_ << "samradctl: " << status.message() << "\n";
    return kExitUsage;
  }

  int Failed(const grpc::Status& status) {
    PrintError(status, inv_.global.target, lang(), err_);
    return ExitCodeFor(status);
  }

  int FailedWrite(const grpc::Status& status, const std::string& request_id) {
    const int code = Failed(status);
    if (OutcomeUnknown(status)) {
      err_ << Tr(lang(), "  Ändringen kan ha gjorts. Försök igen säkert med --request-id ",
                 "  The change may have been made. Retry safely with --request-id ")
           << request_id << "\n";
    }
    return code;
  }

  // One resource: its details, or its JSON.
  template <typename Resource>
  void Print(const Resource& resource) {
    if (json()) {
      out_ << ToJson(resource) << "\n";
    } else {
      PrintDetails(DetailsOf(resource, lang()), out_);
    }
  }
  // A written dialogue, with the warnings and coordination hints the server found.
  template <typename DialogueResponse>
  void PrintDialogueAnswer(const DialogueResponse& response) {
    if (json()) {
      out_ << ToJson(response) << "\n";
      return;
    }
    PrintDetails(DetailsOf(response.dialogue(), lang()), out_);
    PrintWarningsAndHints(response.warnings(), response.coordination_hints(), lang(), out_);
  }
  void Print(const v1::CreateDialogueResponse& r) { PrintDialogueAnswer(r); }
  void Print(const v1::UpdateDialogueResponse& r) { PrintDialogueAnswer(r); }

  template <typename Item>
  void PrintList(const google::protobuf::RepeatedPtrField<Item>& items,
                 const std::string& next_page_token, const std::string& footer) {
    if (json()) {
      std::vector<const google::protobuf::Message*> messages;
      for (const Item& item : items) messages.push_back(&item);
      out_ << ToJsonArray(messages) << "\n";
    } else if (items.empty()) {
      out_ << Tr(lang(), "Inga träffar.", "No results.") << "\n";
    } else {
      TableOf(items, lang()).Print(out_);
    }
    if (!json() && !footer.empty()) out_ << footer << "\n";
    if (!next_page_token.empty()) {
      // With JSON the hint goes to stderr, so that stdout stays one JSON value.
      (json() ? err_ : out_) << Tr(lang(), "Det finns fler: --page-token ",
                                   "There are more: --page-token ")
                             << next_page_token << Tr(lang(), " (eller --all)", " (or --all)")
                             << "\n";
    }
  }

  template <typename Request, typename Response>
  int Get(Method<Request, Response> method, const Request& request) {
    Response response;
    const grpc::Status status = Call(method, request, &response);
    if (!status.ok()) return Failed(status);
    Print(response);
    return kExitOk;
  }

  template <typename Request, typename Response>
  int Write(Method<Request, Response> method, const absl::StatusOr<Request>& request) {
    if (!request.ok()) return Usage(request.status());
    Response response;
    const grpc::Status status = Call(method, *request, &response);
    if (!status.ok()) return FailedWrite(status, request->options().request_id());
    Print(response);
    return kExitOk;
  }

  // The items of one page, or of every page with `all`; `next` is the token after the
  // last page fetched and `last` that page's response.
  template <typename Request, typename Response, typename Item>
  grpc::Status FetchPages(Method<Request, Response> method, Request request,
                          ItemsOf<Response, Item> items, bool all,
                          google::protobuf::RepeatedPtrField<Item>* out, std::string* next,
                          Response* last) {
    while (true) {
      last->Clear();
      const grpc::Status status = Call(method, request, last);
      if (!status.ok()) return status;
      out->MergeFrom(*(last->*items)());
      *next = last->next_page_token();
      // A token that does not move on would loop forever: stop there.
      if (!all || next->empty() || *next == request.page_token()) return grpc::Status::OK;
      request.set_page_token(*next);
    }
  }

  template <typename Request, typename Response, typename Item>
  int ListPaged(Method<Request, Response> method, const Request& request,
                ItemsOf<Response, Item> items) {
    google::protobuf::RepeatedPtrField<Item> all;
    std::string next;
    Response last;
    const grpc::Status status =
        FetchPages(method, request, items, inv_.list.all, &all, &next, &last);
    if (!status.ok()) return Failed(status);
    std::string footer;
    if constexpr (std::is_same_v<Response, v1::ListDialoguesResponse>) {
      if (last.total_size() > 0) {
        footer = absl::StrCat(std::string(Tr(lang(), "Totalt ", "Total ")), last.total_size(),
                              std::string(Tr(lang(), " dialoginsatser.", " dialogues.")));
      }
    }
    PrintList(all, next, footer);
    return kExitOk;
  }

  // `get` of a kind that has no Get method: its tenant's list, searched for the name.
  template <typename Request, typename Response, typename Item>
  int FindListed(Method<Request, Response> method, ItemsOf<Response, Item> items,
                 const std::string& name) {
    Request request;
    request.set_parent(TenantOfName(name));
    request.set_page_size(kLookupPageSize);
    google::protobuf::RepeatedPtrField<Item> all;
    std::string next;
    Response last;
    const grpc::Status status =
        FetchPages(method, request, items, /*all=*/true, &all, &next, &last);
    if (!status.ok()) return Failed(status);
    for (const Item& item : all) {
      if (item.name() == name) {
        Print(item);
        return kExitOk;
      }
    }
    err_ << Tr(lang(), "fel: ", "error: ") << name << Tr(lang(), " finns inte.", " does not exist.")
         << " [NOT_FOUND]\n";
    return kExitServerError;
  }

  const Invocation& inv_;
  Stub& stub_;
  std::ostream& out_;
  std::ostream& err_;
  const std::string correlation_id_;
};

// A Get request of `name`, at `as_of` when given.
template <typename Request>
Request NamedRequest(const std::string& name, const std::optional<v1::AsOf>& as_of) {
  Request request;
  request.set_name(name);
  if (as_of) *request.mutable_as_of() = *as_of;
  return request;
}

int Session::RunGet() {
  absl::StatusOr<std::optional<v1::AsOf>> as_of =
      BuildAsOf(inv_.as_of_version, inv_.as_of_time, lang());
  if (!as_of.ok()) return Usage(as_of.status());
  const Kind kind = inv_.kind;
  const bool versioned = kind == Kind::kCommittee || kind == Kind::kAdministration ||
                         kind == Kind::kPerson || kind == Kind::kDialogue ||
                         kind == Kind::kConsultation;
  if (*as_of && !versioned) {
    return Usage(UsageError(lang(), "--as-of-* gäller inte denna sorts resurs.",
                            "--as-of-* does not apply to this kind of resource."));
  }
  if (inv_.name.empty() && kind != Kind::kTenant) {
    return Usage(UsageError(lang(), "get: ange id eller namn.", "get: give an id or a name."));
  }
  const std::string name =
      inv_.name.empty() ? scope().parent : ResolveName(kind, inv_.name, scope().parent);
  switch (kind) {
    case Kind::kTenant: {
      v1::GetTenantRequest request;
      request.set_name(name);
      return Get(&Stub::GetTenant, request);
    }
    case Kind::kCommittee:
      return Get(&Stub::GetCommittee, NamedRequest<v1::GetCommitteeRequest>(name, *as_of));
    case Kind::kAdministration:
      return Get(&Stub::GetAdministration,
                 NamedRequest<v1::GetAdministrationRequest>(name, *as_of));
    case Kind::kPerson:
      return Get(&Stub::GetPerson, NamedRequest<v1::GetPersonRequest>(name, *as_of));
    case Kind::kDialogue:
      return Get(&Stub::GetDialogue, NamedRequest<v1::GetDialogueRequest>(name, *as_of));
    case Kind::kConsultation:
      return Get(&Stub::GetConsultation, NamedRequest<v1::GetConsultationRequest>(name, *as_of));
    case Kind::kArea:
      return FindListed(&Stub::ListAreas, &v1::ListAreasResponse::mutable_areas, name);
    case Kind::kChannel:
      return FindListed(&Stub::ListChannels, &v1::ListChannelsResponse::mutable_channels, name);
    case Kind::kAppointment:
      return FindListed(&Stub::ListAppointments,
                        &v1::ListAppointmentsResponse::mutable_appointments, name);
    default:
      return Usage(UsageError(lang(), "get: okänd sort.", "get: unknown kind."));
  }
}

int Session::RunNetwork() {
  absl::StatusOr<v1::ListNetworkRequest> request = BuildListNetwork(inv_.list, scope());
  if (!request.ok()) return Usage(request.status());
  v1::ListNetworkResponse response;
  const grpc::Status status = Call(&Stub::ListNetwork, *request, &response);
  if (!status.ok()) return Failed(status);
  // Members first, then the vacancies (which have no appointment).
  google::protobuf::RepeatedPtrField<v1::NetworkMember> members = response.members();
  members.MergeFrom(response.vacancies());
  PrintList(members, "", "");
  return kExitOk;
}

int Session::RunHints() {
  v1::ListCoordinationHintsResponse response;
  const grpc::Status status =
      Call(&Stub::ListCoordinationHints, BuildListHints(inv_.list, scope()), &response);
  if (!status.ok()) return Failed(status);
  PrintList(response.hints(), "", "");
  return kExitOk;
}

int Session::RunOverdue() {
  absl::StatusOr<v1::ListOverdueBodiesRequest> request = BuildListOverdue(inv_.list, scope());
  if (!request.ok()) return Usage(request.status());
  v1::ListOverdueBodiesResponse response;
  const grpc::Status status = Call(&Stub::ListOverdueBodies, *request, &response);
  if (!status.ok()) return Failed(status);
  PrintList(response.overdue(), "", "");
  return kExitOk;
}

int Session::RunList() {
  const ListInput& in = inv_.list;
  switch (in.kind) {
    case Kind::kCommittee:
      return ListPaged(&Stub::ListCommittees, BuildListCommittees(in, scope()),
                       &v1::ListCommitteesResponse::mutable_committees);
    case Kind::kAdministration:
      return ListPaged(&Stub::ListAdministrations, BuildListAdministrations(in, scope()),
                       &v1::ListAdministrationsResponse::mutable_administrations);
    case Kind::kArea:
      return ListPaged(&Stub::ListAreas, BuildListAreas(in, scope()),
                       &v1::ListAreasResponse::mutable_areas);
    case Kind::kChannel:
      return ListPaged(&Stub::ListChannels, BuildListChannels(in, scope()),
                       &v1::ListChannelsResponse::mutable_channels);
    case Kind::kPerson:
      return ListPaged(&Stub::ListPeople, BuildListPeople(in, scope()),
                       &v1::ListPeopleResponse::mutable_people);
    case Kind::kAppointment:
      return ListPaged(&Stub::ListAppointments, BuildListAppointments(in, scope()),
                       &v1::ListAppointmentsResponse::mutable_appointments);
    case Kind::kDialogue:
      return ListPaged(&Stub::ListDialogues, BuildListDialogues(in, scope()),
                       &v1::ListDialoguesResponse::mutable_dialogues);
    case Kind::kConsultation:
      return ListPaged(&Stub::ListConsultations, BuildListConsultations(in, scope()),
                       &v1::ListConsultationsResponse::mutable_consultations);
    case Kind::kHistory:
      return ListPaged(&Stub::GetHistory, BuildHistory(in, scope()),
                       &v1::GetHistoryResponse::mutable_events);
    case Kind::kNetwork:
      return RunNetwork();
    case Kind::kHints:
      return RunHints();
    case Kind::kOverdue:
      return RunOverdue();
    case Kind::kTenant:
      break;
  }
  return Usage(CheckListInput(in, lang()));
}

int Session::RunCreate() {
  const CreateInput& in = inv_.create;
  switch (inv_.kind) {
    case Kind::kCommittee:
      return Write(&Stub::CreateCommittee, BuildCreateCommittee(in, scope()));
    case Kind::kAdministration:
      return Write(&Stub::CreateAdministration, BuildCreateAdministration(in, scope()));
    case Kind::kPerson:
      return Write(&Stub::CreatePerson, BuildCreatePerson(in, scope()));
    case Kind::kAppointment:
      return Write(&Stub::AppointRepresentative, BuildAppointRepresentative(in, scope()));
    case Kind::kDialogue:
      return Write(&Stub::CreateDialogue, BuildCreateDialogue(in, scope()));
    case Kind::kConsultation:
      return Write(&Stub::CreateConsultation, BuildCreateConsultation(in, scope()));
    default:
      return Usage(UsageError(lang(), "create: okänd sort.", "create: unknown kind."));
  }
}

int Session::RunUpdate() {
  const UpdateInput& in = inv_.update;
  switch (inv_.kind) {
    case Kind::kCommittee:
      return Write(&Stub::UpdateCommittee, BuildUpdateCommittee(in, scope()));
    case Kind::kAdministration:
      return Write(&Stub::UpdateAdministration, BuildUpdateAdministration(in, scope()));
    case Kind::kPerson:
      return Write(&Stub::UpdatePerson, BuildUpdatePerson(in, scope()));
    case Kind::kDialogue:
      return Write(&Stub::UpdateDialogue, BuildUpdateDialogue(in, scope()));
    case Kind::kConsultation:
      return Write(&Stub::UpdateConsultation, BuildUpdateConsultation(in, scope()));
    default:
      return Usage(UsageError(lang(), "update: okänd sort.", "update: unknown kind."));
  }
}

int Session::Run() {
  switch (inv_.command) {
    case Command::kGet:
      return RunGet();
    case Command::kList:
    case Command::kHistory:
      return RunList();
    case Command::kCreate:
      return RunCreate();
    case Command::kUpdate:
      return RunUpdate();
    case Command::kAnswer:
      return Write(&Stub::RecordConsultationAnswer, BuildAnswer(inv_.answer, scope()));
    case Command::kTransition:
      return Write(&Stub::TransitionDialogue,
                   BuildTransition(inv_.name, inv_.status, inv_.etag, inv_.write, scope()));
    case Command::kEnd:
      return Write(&Stub::EndAppointment,
                   BuildEndAppointment(inv_.name, inv_.date, inv_.etag, inv_.write, scope()));
    case Command::kRetire:
      if (inv_.kind == Kind::kCommittee) {
        return Write(&Stub::RetireCommittee,
                     BuildRetireCommittee(inv_.name, inv_.etag, inv_.write, scope()));
      }
      return Write(&Stub::RetireAdministration,
                   BuildRetireAdministration(inv_.name, inv_.etag, inv_.write, scope()));
    case Command::kHealth:
      break;
  }
  return Usage(absl::InvalidArgumentError("health is not a registry command"));
}

}  // namespace

int RunRegistryCommand(const Invocation& invocation, Stub& stub, std::ostream& out,
                       std::ostream& err) {
  return Session(invocation, stub, out, err).Run();
}

}  // namespace samrad::ctl
