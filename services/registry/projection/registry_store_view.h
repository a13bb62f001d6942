#ifndef SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_STORE_VIEW_H_
#define SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_STORE_VIEW_H_

// domain::RegistryView over one consistent snapshot of the registry projection
// (projection::ReadView), for Decide under the partition lock and for the API's reads.
// Resources come back as stored: without output-only fields (etag, version, principles).
// A storage error or a corrupt value cannot be returned through the RegistryView interface;
// it is remembered (first one wins) and the getter answers "absent": callers check status()
// after using the view and fail the whole request with it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "libs/projection/projection_store.h"
#include "services/registry/domain/registry_view.h"
#include "services/registry/projection/registry_projection.h"

namespace samrad::registry {

class StoreRegistryView : public domain::RegistryView {
 public:
  // `view` must outlive this object.
  explicit StoreRegistryView(const projection::ReadView& view) : view_(view) {}

  // The first storage error seen by any getter (OK if none).
  absl::Status status() const;

  std::vector<v1::Channel> ListChannels(std::string_view tenant) const;
  std::vector<v1::Person> ListPeople(std::string_view tenant) const;
  std::vector<v1::Appointment> ListAppointments(std::string_view tenant) const;
  std::vector<v1::Consultation> ListConsultations(std::string_view tenant) const;
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
                                                 const domain::Period& period) const override;
  std::optional<v1::Consultation> GetConsultation(std::string_view name) const override;

  // Reads the message stored under `key` of Cf::kState.
  template <typename Message>
  std::optional<Message> Read(std::string_view key) const;

 private:
  template <typename Message>
  std::optional<Message> Get(domain::Collection collection, std::string_view name) const;
  template <typename Message>
  std::vector<Message> List(domain::Collection collection, std::string_view tenant) const;
  void Fail(absl::Status status) const;

  const projection::ReadView& view_;
  mutable absl::Mutex mu_;
  mutable absl::Status status_ ABSL_GUARDED_BY(mu_);
};

template <typename Message>
std::optional<Message> StoreRegistryView::Read(std::string_view key) const {
  auto value = view_.Get(projection::Cf::kState, key);
  if (!value.ok()) {
    Fail(value.status());
    return std::nullopt;
  }
  if (!value->has_value()) return std::nullopt;
  Message message;
  if (!message.ParseFromString(**value)) {
    Fail(absl::DataLossError("registry state is corrupt"));
    return std::nullopt;
  }
  return message;
}

}  // namespace samrad::registry

#endif  // SAMRAD_SERVICES_REGISTRY_PROJECTION_REGISTRY_STORE_VIEW_H_
