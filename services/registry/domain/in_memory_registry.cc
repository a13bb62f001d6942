#include "services/registry/domain/in_memory_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/registry/domain/coordination.h"
#include "services/registry/domain/names.h"

namespace samrad::registry::domain {
namespace {

template <typename Map>
auto Find(const Map& map, std::string_view name) -> std::optional<typename Map::mapped_type> {
  const auto it = map.find(name);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

template <typename Map>
auto OfTenant(const Map& map, std::string_view tenant) -> std::vector<typename Map::mapped_type> {
  std::vector<typename Map::mapped_type> out;
  for (const auto& [name, value] : map) {
    if (TenantOf(name) == tenant) out.push_back(value);
  }
  return out;
}

absl::Status Missing(std::string_view name) {
  return absl::FailedPreconditionError(
      absl::StrCat("event refers to unknown resource ", std::string(name)));
}

}  // namespace

absl::Status InMemoryRegistry::ApplyAll(const std::vector<v1::RegistryEvent>& events) {
  for (const v1::RegistryEvent& event : events) {
    if (absl::Status s = Apply(event); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status InMemoryRegistry::Apply(const v1::RegistryEvent& event) {
  switch (event.event_case()) {
    case v1::RegistryEvent::kTenantCreated: {
      v1::Tenant tenant;
      tenant.set_name(TenantName(event.tenant_created().code()));
      tenant.set_code(event.tenant_created().code());
      tenant.set_display_name(event.tenant_created().name());
      tenants_[tenant.name()] = tenant;
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kCommitteeCreated:
      committees_[event.committee_created().committee().name()] =
          event.committee_created().committee();
      return absl::OkStatus();
    case v1::RegistryEvent::kCommitteeUpdated: {
      const v1::Committee& c = event.committee_updated().committee();
      if (!committees_.contains(c.name())) return Missing(c.name());
      committees_[c.name()] = c;
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kCommitteeRetired: {
      const auto it = committees_.find(event.committee_retired().committee());
      if (it == committees_.end()) return Missing(event.committee_retired().committee());
      it->second.set_state(v1::RETIRED);
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kAdministrationCreated:
      administrations_[event.administration_created().administration().name()] =
          event.administration_created().administration();
      return absl::OkStatus();
    case v1::RegistryEvent::kAdministrationUpdated: {
      const v1::Administration& a = event.administration_updated().administration();
      if (!administrations_.contains(a.name())) return Missing(a.name());
      administrations_[a.name()] = a;
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kAdministrationRetired: {
      const auto it = administrations_.find(event.administration_retired().administration());
      if (it == administrations_.end()) {
        return Missing(event.administration_retired().administration());
      }
      it->second.set_state(v1::RETIRED);
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kAreaDefined:
      areas_[event.area_defined().area().name()] = event.area_defined().area();
      return absl::OkStatus();
    case v1::RegistryEvent::kChannelDefined:
      channels_[event.channel_defined().channel().name()] = event.channel_defined().channel();
      return absl::OkStatus();
    case v1::RegistryEvent::kPersonRegistered:
      people_[event.person_registered().person().name()] = event.person_registered().person();
      return absl::OkStatus();
    case v1::RegistryEvent::kPersonUpdated: {
      const v1::Person& p = event.person_updated().person();
      if (!people_.contains(p.name())) return Missing(p.name());
      people_[p.name()] = p;
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kRepresentativeAppointed:
      appointments_[event.representative_appointed().appointment().name()] =
          event.representative_appointed().appointment();
      return absl::OkStatus();
    case v1::RegistryEvent::kAppointmentEnded: {
      const auto it = appointments_.find(event.appointment_ended().appointment());
      if (it == appointments_.end()) return Missing(event.appointment_ended().appointment());
      *it->second.mutable_end_date() = event.appointment_ended().end_date();
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kDialogueRegistered: {
      v1::Dialogue d = event.dialogue_registered().dialogue();
      d.set_version(1);
      dialogues_[d.name()] = d;
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kDialogueUpdated: {
      const v1::Dialogue& d = event.dialogue_updated().dialogue();
      const auto it = dialogues_.find(d.name());
      if (it == dialogues_.end()) return Missing(d.name());
      const int64_t version = it->second.version() + 1;
      it->second = d;
      it->second.set_version(version);
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kDialogueStatusChanged: {
      const auto it = dialogues_.find(event.dialogue_status_changed().dialogue());
      if (it == dialogues_.end()) return Missing(event.dialogue_status_changed().dialogue());
      it->second.set_status(event.dialogue_status_changed().to());
      it->second.set_version(it->second.version() + 1);
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kCoordinationHintsFound: {
      const auto& found = event.coordination_hints_found();
      const auto it = dialogues_.find(found.dialogue());
      if (it == dialogues_.end()) return Missing(found.dialogue());
      auto lists = HintListsAfter(found, it->second.lead_administration(),
                                  [&](const std::string& name) { return HintsFor(name); });
      for (auto& [name, hints] : lists) hints_[name] = std::move(hints);
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kConsultationOpened: {
      v1::Consultation c = event.consultation_opened().consultation();
      c.set_version(1);
      consultations_[c.name()] = c;
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kConsultationUpdated: {
      const v1::Consultation& c = event.consultation_updated().consultation();
      const auto it = consultations_.find(c.name());
      if (it == consultations_.end()) return Missing(c.name());
      const int64_t version = it->second.version() + 1;
      it->second = c;
      it->second.set_version(version);
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kConsultationAnswerRecorded: {
      const auto& recorded = event.consultation_answer_recorded();
      const auto it = consultations_.find(recorded.consultation());
      if (it == consultations_.end()) return Missing(recorded.consultation());
      v1::Consultation& c = it->second;
      bool replaced = false;
      for (v1::ConsultationAnswer& answer : *c.mutable_answers()) {
        if (answer.body() == recorded.answer().body()) {
          answer = recorded.answer();
          replaced = true;
        }
      }
      if (!replaced) *c.add_answers() = recorded.answer();
      c.set_version(c.version() + 1);
      return absl::OkStatus();
    }
    case v1::RegistryEvent::EVENT_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("event without a case");
}

std::vector<v1::Channel> InMemoryRegistry::ListChannels(std::string_view tenant) const {
  return OfTenant(channels_, tenant);
}

std::vector<v1::Person> InMemoryRegistry::ListPeople(std::string_view tenant) const {
  return OfTenant(people_, tenant);
}

std::vector<v1::Appointment> InMemoryRegistry::ListAppointments(std::string_view tenant) const {
  return OfTenant(appointments_, tenant);
}

std::vector<v1::CoordinationHint> InMemoryRegistry::HintsFor(std::string_view dialogue) const {
  return Find(hints_, dialogue).value_or(std::vector<v1::CoordinationHint>{});
}

std::optional<v1::Tenant> InMemoryRegistry::GetTenant(std::string_view name) const {
  return Find(tenants_, name);
}

std::optional<v1::Committee> InMemoryRegistry::GetCommittee(std::string_view name) const {
  return Find(committees_, name);
}

std::vector<v1::Committee> InMemoryRegistry::ListCommittees(std::string_view tenant) const {
  return OfTenant(committees_, tenant);
}

std::optional<v1::Administration> InMemoryRegistry::GetAdministration(std::string_view name) const {
  return Find(administrations_, name);
}

std::vector<v1::Administration> InMemoryRegistry::ListAdministrations(
    std::string_view tenant) const {
  return OfTenant(administrations_, tenant);
}

std::optional<v1::Area> InMemoryRegistry::GetArea(std::string_view name) const {
  return Find(areas_, name);
}

std::vector<v1::Area> InMemoryRegistry::ListAreas(std::string_view tenant) const {
  return OfTenant(areas_, tenant);
}

std::optional<v1::Channel> InMemoryRegistry::GetChannel(std::string_view name) const {
  return Find(channels_, name);
}

std::optional<v1::Person> InMemoryRegistry::GetPerson(std::string_view name) const {
  return Find(people_, name);
}

std::optional<v1::Appointment> InMemoryRegistry::GetAppointment(std::string_view name) const {
  return Find(appointments_, name);
}

std::vector<v1::Appointment> InMemoryRegistry::AppointmentsOf(std::string_view administration,
                                                              v1::Track track) const {
  std::vector<v1::Appointment> out;
  for (const auto& [name, appointment] : appointments_) {
    if (appointment.administration() == administration && appointment.track() == track) {
      out.push_back(appointment);
    }
  }
  return out;
}

std::optional<v1::Dialogue> InMemoryRegistry::GetDialogue(std::string_view name) const {
  return Find(dialogues_, name);
}

std::vector<v1::Dialogue> InMemoryRegistry::DialoguesOverlapping(
    std::string_view tenant, const std::vector<std::string>& areas, const Period& period) const {
  std::vector<v1::Dialogue> out;
  for (const auto& [name, dialogue] : dialogues_) {
    if (TenantOf(name) != tenant) continue;
    const bool shares_area =
        std::any_of(dialogue.areas().begin(), dialogue.areas().end(), [&](const std::string& area) {
          return std::find(areas.begin(), areas.end(), area) != areas.end();
        });
    if (!shares_area) continue;
    if (!OverlapOf(period, PeriodOf(dialogue)).has_value()) continue;
    out.push_back(dialogue);
  }
  return out;
}

std::optional<v1::Consultation> InMemoryRegistry::GetConsultation(std::string_view name) const {
  return Find(consultations_, name);
}

}  // namespace samrad::registry::domain
