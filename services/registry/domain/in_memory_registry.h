#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_IN_MEMORY_REGISTRY_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_IN_MEMORY_REGISTRY_H_

// A RegistryView held in memory, for tests of Decide and of code built on it. Apply()
// evolves it by the registry's events the way the projection does: *Created, *Updated,
// *Registered, *Defined, *Opened and RepresentativeAppointed replace the whole resource;
// *Retired sets state RETIRED; AppointmentEnded sets the end date; DialogueStatusChanged
// the status; ConsultationAnswerRecorded replaces the body's answer or appends it;
// CoordinationHintsFound replaces the dialogue's hints and updates the other sides
// (HintListsAfter). Dialogues and
// consultations count their events in `version`.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "samrad/registry/v1/events.pb.h"
#include "services/registry/domain/registry_view.h"

namespace samrad::registry::domain {

class InMemoryRegistry : public RegistryView {
 public:
  // FAILED_PRECONDITION when the event refers to a resource that is not there.
  absl::Status Apply(const v1::RegistryEvent& event);
  absl::Status ApplyAll(const std::vector<v1::RegistryEvent>& events);

  std::vector<v1::Channel> ListChannels(std::string_view tenant) const;
  std::vector<v1::Person> ListPeople(std::string_view tenant) const;
  std::vector<v1::Appointment> ListAppointments(std::string_view tenant) const;
  std::vector<v1::CoordinationHint> HintsFor(std::string_view dialogue) const override;

  // RegistryView.
  std::optional<v1::Tenant> GetTenant(std::string_view name) const override;
  std::optional<v1::Committee> GetCommittee(std::string_view name) const override;
  std::vector<v1::Committee> ListCommittees(std::string_view tenant) const override;
  std::optional<v1::Administration> GetAdministration(std::string_view name) const override;
  std::vector<v1::Administration> ListAdministrations(std::string_view tenant) const override;
  std::optional<v1::Area> GetArea(std::string_view name) const override;
  std::vector<v1::Area> ListAreas(std::string_view tenant) const override;
  std::optional<v1::Channel> GetChannel(std::string_view name) const override;
  std::optional<v1::Person> GetPerson(std::string_view name) const override;
  std::optional<v1::Appointment> GetAppointment(std::string_view name) const override;
  std::vector<v1::Appointment> AppointmentsOf(std::string_view administration,
                                              v1::Track track) const override;
  std::optional<v1::Dialogue> GetDialogue(std::string_view name) const override;
  std::vector<v1::Dialogue> DialoguesOverlapping(std::string_view tenant,
                                                 const std::vector<std::string>& areas,
                                                 const Period& period) const override;
  std::optional<v1::Consultation> GetConsultation(std::string_view name) const override;

 private:
  template <typename T>
  using Map = std::map<std::string, T, std::less<>>;

  Map<v1::Tenant> tenants_;
  Map<v1::Committee> committees_;
  Map<v1::Administration> administrations_;
  Map<v1::Area> areas_;
  Map<v1::Channel> channels_;
  Map<v1::Person> people_;
  Map<v1::Appointment> appointments_;
  Map<v1::Dialogue> dialogues_;
  Map<v1::Consultation> consultations_;
  Map<std::vector<v1::CoordinationHint>> hints_;
};

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_IN_MEMORY_REGISTRY_H_
