#include "services/registry/projection/registry_store_view.h"

#include <cstdint>
#include <limits>
#include <set>
#include <utility>

#include "libs/projection/key_codec.h"
#include "services/registry/domain/coordination.h"

namespace samrad::registry {
namespace {

// "1280" of "tenants/1280" ("" otherwise).
std::string CodeOfTenant(std::string_view tenant) {
  const auto aggregate = AggregateOfName(tenant);
  return aggregate ? aggregate->tenant_code : std::string();
}

// Adds to `ids` the dialogues of one area's period index (DialoguePeriodPrefix) in the
// unbounded bucket or in a month of [first, last]: one iterator, which reads the unbounded
// bucket (it sorts first), seeks to `first` and stops after `last`.
absl::Status ScanPeriodIndex(const projection::ReadView& view, const std::string& prefix,
                             int32_t first, int32_t last, std::set<std::string>& ids) {
  projection::PrefixIterator it = view.NewPrefixIterator(projection::Cf::kIndexes, prefix);
  while (it.Valid()) {
    std::string_view rest = it.key().substr(prefix.size());
    int32_t month = 0;
    if (!projection::keys::ConsumeInt32(&rest, &month)) {
      return absl::DataLossError("registry projection: a period index key is corrupt");
    }
    if (month == kUnboundedPeriodMonth || (month >= first && month <= last)) {
      ids.emplace(it.value());
      it.Next();
    } else if (month < first) {
      // Every key after the seek has a month >= first, so this happens once.
      std::string target = prefix;
      projection::keys::AppendInt32(&target, first);
      it.Seek(target);
    } else {
      break;
    }
  }
  return it.status();
}

}  // namespace

absl::Status StoreRegistryView::status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

void StoreRegistryView::Fail(absl::Status status) const {
  absl::MutexLock lock(&mu_);
  if (status_.ok()) status_ = std::move(status);
}

template <typename Message>
std::optional<Message> StoreRegistryView::Get(domain::Collection collection,
                                              std::string_view name) const {
  const auto parsed = domain::ParseResourceName(name);
  if (!parsed || parsed->collection != collection) return std::nullopt;
  return Read<Message>(ResourceKey(collection, parsed->tenant_code, parsed->id));
}

template <typename Message>
std::vector<Message> StoreRegistryView::List(domain::Collection collection,
                                             std::string_view tenant) const {
  std::vector<Message> out;
  const std::string code = CodeOfTenant(tenant);
  if (code.empty()) return out;
  absl::Status parse = absl::OkStatus();
  absl::Status s = view_.ScanPrefix(
      projection::Cf::kState, ResourcePrefix(collection, code),
      [&](std::string_view, std::string_view value) {
        Message message;
        if (!message.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          parse = absl::DataLossError("registry state is corrupt");
          return false;
        }
        out.push_back(std::move(message));
        return true;
      });
  if (!s.ok()) Fail(s);
  if (!parse.ok()) Fail(parse);
  return out;
}

std::vector<v1::Channel> StoreRegistryView::ListChannels(std::string_view tenant) const {
  return List<v1::Channel>(domain::Collection::kChannels, tenant);
}
std::vector<v1::Person> StoreRegistryView::ListPeople(std::string_view tenant) const {
  return List<v1::Person>(domain::Collection::kPeople, tenant);
}
std::vector<v1::Appointment> StoreRegistryView::ListAppointments(std::string_view tenant) const {
  return List<v1::Appointment>(domain::Collection::kAppointments, tenant);
}
std::vector<v1::Consultation> StoreRegistryView::ListConsultations(std::string_view tenant) const {
  return List<v1::Consultation>(domain::Collection::kConsultations, tenant);
}

std::vector<v1::CoordinationHint> StoreRegistryView::HintsFor(std::string_view dialogue) const {
  const auto parsed = domain::ParseResourceName(dialogue);
  if (!parsed || parsed->collection != domain::Collection::kDialogues) return {};
  auto list = Read<v1::ListCoordinationHintsResponse>(HintsKey(parsed->tenant_code, parsed->id));
  if (!list) return {};
  return {list->hints().begin(), list->hints().end()};
}

std::optional<v1::Tenant> StoreRegistryView::GetTenant(std::string_view name) const {
  const std::string code = CodeOfTenant(name);
  if (code.empty() || !domain::IsTenantName(name)) return std::nullopt;
  return Read<v1::Tenant>(TenantKey(code));
}

std::optional<v1::Committee> StoreRegistryView::GetCommittee(std::string_view name) const {
  return Get<v1::Committee>(domain::Collection::kCommittees, name);
}
std::vector<v1::Committee> StoreRegistryView::ListCommittees(std::string_view tenant) const {
  return List<v1::Committee>(domain::Collection::kCommittees, tenant);
}
std::optional<v1::Administration> StoreRegistryView::GetAdministration(
    std::string_view name) const {
  return Get<v1::Administration>(domain::Collection::kAdministrations, name);
}
std::vector<v1::Administration> StoreRegistryView::ListAdministrations(
    std::string_view tenant) const {
  return List<v1::Administration>(domain::Collection::kAdministrations, tenant);
}
std::optional<v1::Area> StoreRegistryView::GetArea(std::string_view name) const {
  return Get<v1::Area>(domain::Collection::kAreas, name);
}
std::vector<v1::Area> StoreRegistryView::ListAreas(std::string_view tenant) const {
  return List<v1::Area>(domain::Collection::kAreas, tenant);
}
std::optional<v1::Channel> StoreRegistryView::GetChannel(std::string_view name) const {
  return Get<v1::Channel>(domain::Collection::kChannels, name);
}
std::optional<v1::Person> StoreRegistryView::GetPerson(std::string_view name) const {
  return Get<v1::Person>(domain::Collection::kPeople, name);
}
std::optional<v1::Appointment> StoreRegistryView::GetAppointment(std::string_view name) const {
  return Get<v1::Appointment>(domain::Collection::kAppointments, name);
}

std::vector<v1::Appointment> StoreRegistryView::AppointmentsOf(std::string_view administration,
                                                               v1::Track track) const {
  std::vector<v1::Appointment> out;
  const auto parsed = domain::ParseResourceName(administration);
  if (!parsed) return out;
  std::vector<std::string> ids;
  absl::Status s = view_.ScanPrefix(projection::Cf::kIndexes,
                                    AppointmentPrefix(parsed->tenant_code, administration, track),
                                    [&](std::string_view, std::string_view id) {
                                      ids.emplace_back(id);
                                      return true;
                                    });
  if (!s.ok()) Fail(s);
  for (const std::string& id : ids) {
    auto appointment = Read<v1::Appointment>(
        ResourceKey(domain::Collection::kAppointments, parsed->tenant_code, id));
    if (appointment) out.push_back(*std::move(appointment));
  }
  return out;
}

std::optional<v1::Dialogue> StoreRegistryView::GetDialogue(std::string_view name) const {
  return Get<v1::Dialogue>(domain::Collection::kDialogues, name);
}

std::vector<v1::Dialogue> StoreRegistryView::DialoguesOverlapping(
    std::string_view tenant, const std::vector<std::string>& areas,
    const domain::Period& period) const {
  const std::string code = CodeOfTenant(tenant);
  if (code.empty()) return {};
  const int32_t first = PeriodMonth(period.start);
  const int32_t last = period.end ? PeriodMonth(*period.end) : std::numeric_limits<int32_t>::max();
  std::set<std::string> ids;
  for (const std::string& area : std::set<std::string>(areas.begin(), areas.end())) {
    if (absl::Status s = ScanPeriodIndex(view_, DialoguePeriodPrefix(code, area), first, last, ids);
        !s.ok()) {
      Fail(s);
      return {};
    }
  }
  std::vector<v1::Dialogue> out;
  for (const std::string& id : ids) {
    auto dialogue = Read<v1::Dialogue>(ResourceKey(domain::Collection::kDialogues, code, id));
    if (!dialogue) continue;
    if (!domain::OverlapOf(period, domain::PeriodOf(*dialogue)).has_value()) continue;
    out.push_back(*std::move(dialogue));
  }
  return out;
}

std::optional<v1::Consultation> StoreRegistryView::GetConsultation(std::string_view name) const {
  return Get<v1::Consultation>(domain::Collection::kConsultations, name);
}

}  // namespace samrad::registry
