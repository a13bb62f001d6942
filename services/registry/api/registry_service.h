#ifndef SAMRAD_SERVICES_REGISTRY_API_REGISTRY_SERVICE_H_
#define SAMRAD_SERVICES_REGISTRY_API_REGISTRY_SERVICE_H_

// samrad.registry.v1.Registry over the registry projection and the command path
// (docs/adr/0006-command-path.md, docs/adr/0007-registry.md).
//
// Writes: ReadRequestContext(kWrite) → domain Validate → CommandExecutor::Execute with
// decide = domain Decide over a StoreRegistryView of the executor's locked view, and
// answer = the resource at the command's version (the state when it is the latest, else a
// fold of its history), so a retried request_id gets the first answer. Reads use one
// consistent ReadView per request. Every error leaves through api::ToGrpcStatus once, in
// api::CallRunner.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "libs/api/serve.h"
#include "libs/command/command_executor.h"
#include "libs/projection/projection_store.h"
#include "samrad/registry/v1/registry_service.grpc.pb.h"
#include "services/registry/domain/decide.h"

namespace samrad::registry {

class RegistryService final : public v1::Registry::CallbackService {
 public:
  // Both must outlive the service. `write_threads`: the command pool's size
  // (api::CallRunnerOptions::write_threads; the --command-threads setting).
  RegistryService(command::CommandExecutor<v1::RegistryEvent>* executor,
                  projection::ProjectionStore* store,
                  size_t write_threads = api::CallRunner::kDefaultWriteThreads)
      : executor_(executor),
        store_(store),
        calls_({.service = "registry",
                .domain = std::string(domain::kErrorDomain),
                .write_threads = write_threads}) {}

#define SAMRAD_REGISTRY_RPC(Method, Request, Response)                   \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Request* request, v1::Response* response) override;
  SAMRAD_REGISTRY_RPC(GetTenant, GetTenantRequest, Tenant)
  SAMRAD_REGISTRY_RPC(CreateCommittee, CreateCommitteeRequest, Committee)
  SAMRAD_REGISTRY_RPC(GetCommittee, GetCommitteeRequest, Committee)
  SAMRAD_REGISTRY_RPC(ListCommittees, ListCommitteesRequest, ListCommitteesResponse)
  SAMRAD_REGISTRY_RPC(UpdateCommittee, UpdateCommitteeRequest, Committee)
  SAMRAD_REGISTRY_RPC(RetireCommittee, RetireCommitteeRequest, Committee)
  SAMRAD_REGISTRY_RPC(CreateAdministration, CreateAdministrationRequest, Administration)
  SAMRAD_REGISTRY_RPC(GetAdministration, GetAdministrationRequest, Administration)
  SAMRAD_REGISTRY_RPC(ListAdministrations, ListAdministrationsRequest, ListAdministrationsResponse)
  SAMRAD_REGISTRY_RPC(UpdateAdministration, UpdateAdministrationRequest, Administration)
  SAMRAD_REGISTRY_RPC(RetireAdministration, RetireAdministrationRequest, Administration)
  SAMRAD_REGISTRY_RPC(ListAreas, ListAreasRequest, ListAreasResponse)
  SAMRAD_REGISTRY_RPC(ListChannels, ListChannelsRequest, ListChannelsResponse)
  SAMRAD_REGISTRY_RPC(CreatePerson, CreatePersonRequest, Person)
  SAMRAD_REGISTRY_RPC(GetPerson, GetPersonRequest, Person)
  SAMRAD_REGISTRY_RPC(ListPeople, ListPeopleRequest, ListPeopleResponse)
  SAMRAD_REGISTRY_RPC(UpdatePerson, UpdatePersonRequest, Person)
  SAMRAD_REGISTRY_RPC(AppointRepresentative, AppointRepresentativeRequest, Appointment)
  SAMRAD_REGISTRY_RPC(EndAppointment, EndAppointmentRequest, Appointment)
  SAMRAD_REGISTRY_RPC(GetAppointment, GetAppointmentRequest, Appointment)
  SAMRAD_REGISTRY_RPC(ListAppointments, ListAppointmentsRequest, ListAppointmentsResponse)
  SAMRAD_REGISTRY_RPC(ListNetwork, ListNetworkRequest, ListNetworkResponse)
  SAMRAD_REGISTRY_RPC(CreateDialogue, CreateDialogueRequest, CreateDialogueResponse)
  SAMRAD_REGISTRY_RPC(GetDialogue, GetDialogueRequest, Dialogue)
  SAMRAD_REGISTRY_RPC(ListDialogues, ListDialoguesRequest, ListDialoguesResponse)
  SAMRAD_REGISTRY_RPC(UpdateDialogue, UpdateDialogueRequest, UpdateDialogueResponse)
  SAMRAD_REGISTRY_RPC(TransitionDialogue, TransitionDialogueRequest, Dialogue)
  SAMRAD_REGISTRY_RPC(ListCoordinationHints, ListCoordinationHintsRequest,
                      ListCoordinationHintsResponse)
  SAMRAD_REGISTRY_RPC(CreateConsultation, CreateConsultationRequest, Consultation)
  SAMRAD_REGISTRY_RPC(GetConsultation, GetConsultationRequest, Consultation)
  SAMRAD_REGISTRY_RPC(ListConsultations, ListConsultationsRequest, ListConsultationsResponse)
  SAMRAD_REGISTRY_RPC(UpdateConsultation, UpdateConsultationRequest, Consultation)
  SAMRAD_REGISTRY_RPC(RecordConsultationAnswer, RecordConsultationAnswerRequest, Consultation)
  SAMRAD_REGISTRY_RPC(ListOverdueBodies, ListOverdueBodiesRequest, ListOverdueBodiesResponse)
  SAMRAD_REGISTRY_RPC(GetHistory, GetHistoryRequest, GetHistoryResponse)
#undef SAMRAD_REGISTRY_RPC

 private:
  // A List of one collection of a tenant in name order (ListCommittees, ListPeople, ...).
  template <typename T, typename Request>
  grpc::ServerUnaryReactor* List(grpc::CallbackServerContext* context, const Request& request,
                                 std::string_view method, std::string_view extra,
                                 std::function<bool(const T&)> keep,
                                 google::protobuf::RepeatedPtrField<T>* items,
                                 std::string* next_page_token);

  command::CommandExecutor<v1::RegistryEvent>* const executor_;
  projection::ProjectionStore* const store_;
  // Last member: destroyed first, so its write threads finish before the rest goes.
  api::CallRunner calls_;
};

}  // namespace samrad::registry

#endif  // SAMRAD_SERVICES_REGISTRY_API_REGISTRY_SERVICE_H_
