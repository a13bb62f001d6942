#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_REGISTRY_VIEW_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_REGISTRY_VIEW_H_

// The read access Decide needs to the registry's current state. The service implements it
// over its RocksDB projection; InMemoryRegistry (in_memory_registry.h) implements it for
// tests. Getters return copies (the projection decodes them from bytes anyway) and
// std::nullopt when there is no such resource. Names are full resource names
// ("tenants/1280/dialogues/x"); `tenant` parameters are "tenants/{code}".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "google/type/date.pb.h"
#include "samrad/registry/v1/resources.pb.h"

namespace samrad::registry::domain {

// A period of days, both ends inclusive; an unset end is open (still running).
struct Period {
  google::type::Date start;
  std::optional<google::type::Date> end;
};

class RegistryView {
 public:
  virtual ~RegistryView() = default;

  virtual std::optional<v1::Tenant> GetTenant(std::string_view name) const = 0;

  virtual std::optional<v1::Committee> GetCommittee(std::string_view name) const = 0;
  // Every committee of the tenant, retired ones included.
  virtual std::vector<v1::Committee> ListCommittees(std::string_view tenant) const = 0;

  virtual std::optional<v1::Administration> GetAdministration(std::string_view name) const = 0;
  // Every administration of the tenant, retired ones included.
  virtual std::vector<v1::Administration> ListAdministrations(std::string_view tenant) const = 0;

  virtual std::optional<v1::Area> GetArea(std::string_view name) const = 0;
  // Every area of the tenant (for "hela staden" and parent districts).
  virtual std::vector<v1::Area> ListAreas(std::string_view tenant) const = 0;

  virtual std::optional<v1::Channel> GetChannel(std::string_view name) const = 0;

  virtual std::optional<v1::Person> GetPerson(std::string_view name) const = 0;

  virtual std::optional<v1::Appointment> GetAppointment(std::string_view name) const = 0;
  // Every appointment, past, running and future, of one administration in one track.
  virtual std::vector<v1::Appointment> AppointmentsOf(std::string_view administration,
                                                      v1::Track track) const = 0;

  virtual std::optional<v1::Dialogue> GetDialogue(std::string_view name) const = 0;
  // Candidates for coordination hints: the tenant's dialogues that name at least one of
  // `areas` and whose period overlaps `period` (open ends overlap everything after their
  // start). Any status. May return more than that (the domain filters exactly); must not
  // return less. `areas` is already expanded by AreaGeometry::Expand (coordination.h),
  // so an index from area to dialogues is enough.
  virtual std::vector<v1::Dialogue> DialoguesOverlapping(std::string_view tenant,
                                                         const std::vector<std::string>& areas,
                                                         const Period& period) const = 0;

  // The coordination hints stored for a dialogue (both its own and the mirrored ones),
  // sorted by other_dialogue; empty for an unknown dialogue.
  virtual std::vector<v1::CoordinationHint> HintsFor(std::string_view dialogue) const = 0;

  virtual std::optional<v1::Consultation> GetConsultation(std::string_view name) const = 0;
};

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_REGISTRY_VIEW_H_
