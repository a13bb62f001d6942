// Decide for the organisation (committees, administrations), people and appointments.
// The rules are documented in decide.h.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/decide_support.h"
#include "services/registry/domain/field_masks.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/network.h"
#include "services/registry/domain/rule_texts.h"
#include "services/registry/domain/text_rules.h"
#include "services/registry/domain/validation.h"

namespace samrad::registry::domain {
namespace {

using internal::AddEvent;
using internal::AlreadyExists;
using internal::Invalid;
using internal::MaskOf;
using internal::NotFound;
using internal::Precondition;
using internal::ReferenceRetired;
using internal::Retired;
using internal::StripOutputOnly;
using internal::TenantNotFound;

constexpr std::string_view kCommitteeSv = "Nämnden";
constexpr std::string_view kCommitteeEn = "The committee";
constexpr std::string_view kAdministrationSv = "Förvaltningen";
constexpr std::string_view kAdministrationEn = "The administration";
constexpr std::string_view kPersonSv = "Personen";
constexpr std::string_view kPersonEn = "The person";
constexpr std::string_view kAppointmentSv = "Uppdraget";
constexpr std::string_view kAppointmentEn = "The appointment";

api::Text DisplayNameTaken(std::string_view other) {
  return {absl::StrCat("Namnet används redan av ", std::string(other), "."),
          absl::StrCat("The name is already used by ", std::string(other), ".")};
}

api::Text LinkConflict(std::string_view other) {
  return {absl::StrCat("Kopplingen krockar med ", std::string(other),
                       ": en nämnd har en förvaltning och en förvaltning en nämnd."),
          absl::StrCat("The link conflicts with ", std::string(other),
                       ": a committee has one administration and an administration one "
                       "committee.")};
}

// Display names are unique among the tenant's active bodies of one kind.
template <typename T>
void CheckDisplayName(const std::vector<T>& existing, const T& candidate, std::string field,
                      api::Violations& v) {
  const std::string folded = FoldForCompare(candidate.display_name());
  for (const T& other : existing) {
    if (other.name() == candidate.name() || other.state() == v1::RETIRED) continue;
    if (FoldForCompare(other.display_name()) == folded) {
      v.Add(field, "DISPLAY_NAME_TAKEN", DisplayNameTaken(other.name()));
      return;
    }
  }
}

// --- Links between committees and administrations ----------------------------------------

// committee (named `committee_name`) → administration `partner_name`.
void CheckAdministrationLink(const std::vector<v1::Committee>& committees,
                             std::string_view committee_name, std::string_view partner_name,
                             const std::optional<v1::Administration>& partner,
                             const std::string& field, api::Violations& v) {
  if (!partner.has_value()) {
    v.Add(field, "REFERENCE_NOT_FOUND",
          texts::UnknownReference(kAdministrationSv, kAdministrationEn, partner_name));
    return;
  }
  if (!partner->committee().empty() && partner->committee() != committee_name) {
    v.Add(field, "LINK_CONFLICT", LinkConflict(partner->committee()));
    return;
  }
  for (const v1::Committee& other : committees) {
    if (other.name() != committee_name && other.state() != v1::RETIRED &&
        other.administration() == partner_name) {
      v.Add(field, "LINK_CONFLICT", LinkConflict(other.name()));
      return;
    }
  }
}

// administration (named `administration_name`) → committee `partner_name`.
void CheckCommitteeLink(const std::vector<v1::Administration>& administrations,
                        std::string_view administration_name, std::string_view partner_name,
                        const std::optional<v1::Committee>& partner, const std::string& field,
                        api::Violations& v) {
  if (!partner.has_value()) {
    v.Add(field, "REFERENCE_NOT_FOUND",
          texts::UnknownReference(kCommitteeSv, kCommitteeEn, partner_name));
    return;
  }
  if (!partner->administration().empty() && partner->administration() != administration_name) {
    v.Add(field, "LINK_CONFLICT", LinkConflict(partner->administration()));
    return;
  }
  for (const v1::Administration& other : administrations) {
    if (other.name() != administration_name && other.state() != v1::RETIRED &&
        other.committee() == partner_name) {
      v.Add(field, "LINK_CONFLICT", LinkConflict(other.name()));
      return;
    }
  }
}

void CheckSingleCoordinator(const std::vector<v1::Committee>& committees,
                            const v1::Committee& candidate, api::Violations& v) {
  if (!candidate.coordinator()) return;
  for (const v1::Committee& other : committees) {
    if (other.name() != candidate.name() && other.state() != v1::RETIRED && other.coordinator()) {
      v.Add("committee.coordinator", "COORDINATOR_EXISTS",
            {absl::StrCat(other.name(), " är redan samordnande nämnd."),
             absl::StrCat(other.name(), " is already the coordinating committee.")});
      return;
    }
  }
}

void EmitAdministrationLink(DecideResult& result, v1::Administration administration,
                            std::string committee, const DecideContext& ctx) {
  administration.set_committee(std::move(committee));
  *administration.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(administration);
  auto* event = AddEvent(result).mutable_administration_updated();
  *event->mutable_administration() = std::move(administration);
  *event->mutable_update_mask() = MaskOf({"committee"});
}

void EmitCommitteeLink(DecideResult& result, v1::Committee committee, std::string administration,
                       const DecideContext& ctx) {
  committee.set_administration(std::move(administration));
  *committee.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(committee);
  auto* event = AddEvent(result).mutable_committee_updated();
  *event->mutable_committee() = std::move(committee);
  *event->mutable_update_mask() = MaskOf({"administration"});
}

// --- Appointments ------------------------------------------------------------------------

// Whether [start, end) of `a` overlaps [start, end) given (end nullopt = open).
bool Overlaps(const v1::Appointment& a, const google::type::Date& start,
              const std::optional<google::type::Date>& end) {
  const bool a_starts_before_end = !end.has_value() || CompareDates(a.start_date(), *end) < 0;
  const bool starts_before_a_ends = !a.has_end_date() || CompareDates(start, a.end_date()) < 0;
  return a_starts_before_end && starts_before_a_ends;
}

absl::Status Overlap(const v1::Appointment& other) {
  return Precondition(
      "APPOINTMENT_OVERLAP",
      {absl::StrCat("Perioden överlappar uppdraget ", other.name(), " som börjar ",
                    FormatDate(other.start_date()),
                    ": en förvaltning har en representant per spår åt gången."),
       absl::StrCat("The period overlaps the appointment ", other.name(), " starting ",
                    FormatDate(other.start_date()),
                    ": an administration has one representative per track at a time.")},
      {{"appointment", other.name()}});
}

void EmitAppointmentEnded(DecideResult& result, const std::string& appointment,
                          const google::type::Date& end) {
  auto* event = AddEvent(result).mutable_appointment_ended();
  event->set_appointment(appointment);
  *event->mutable_end_date() = end;
}

}  // namespace

// --- Committees ---------------------------------------------------------------------------

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::CreateCommitteeRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  if (!view.GetTenant(r.parent()).has_value()) return TenantNotFound(r.parent());
  const std::string name = ResourceNameOf(r.parent(), Collection::kCommittees, r.committee_id());
  if (view.GetCommittee(name).has_value()) return AlreadyExists(name);

  v1::Committee committee = r.committee();
  committee.set_name(name);
  committee.set_state(v1::ACTIVE);
  *committee.mutable_create_time() = ToTimestamp(ctx.now);
  *committee.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(committee);

  const std::vector<v1::Committee> committees = view.ListCommittees(r.parent());
  api::Violations v;
  CheckDisplayName(committees, committee, "committee.display_name", v);
  CheckSingleCoordinator(committees, committee, v);
  std::optional<v1::Administration> partner;
  if (!committee.administration().empty()) {
    partner = view.GetAdministration(committee.administration());
    CheckAdministrationLink(committees, name, committee.administration(), partner,
                            "committee.administration", v);
  }
  if (!v.empty()) return Invalid(v);
  if (partner.has_value() && partner->state() == v1::RETIRED) {
    return ReferenceRetired("ADMINISTRATION_RETIRED", kAdministrationSv, kAdministrationEn,
                            "committee.administration", partner->name());
  }

  DecideResult result;
  *AddEvent(result).mutable_committee_created()->mutable_committee() = committee;
  if (partner.has_value() && partner->committee().empty()) {
    EmitAdministrationLink(result, *partner, name, ctx);
  }
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::UpdateCommitteeRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::string& name = r.committee().name();
  const std::optional<v1::Committee> current = view.GetCommittee(name);
  if (!current.has_value()) return NotFound(kCommitteeSv, kCommitteeEn, name);
  if (current->state() == v1::RETIRED) return Retired(kCommitteeSv, kCommitteeEn, name);

  const google::protobuf::FieldMask mask =
      EffectiveMask(r.committee(), r.update_mask(), CommitteeMaskSpec());
  v1::Committee merged = ApplyMask(*current, r.committee(), mask);
  *merged.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(merged);

  const std::string tenant = TenantOf(name);
  const std::vector<v1::Committee> committees = view.ListCommittees(tenant);
  api::Violations v;
  if (MaskSelects(mask, "display_name")) {
    CheckDisplayName(committees, merged, "committee.display_name", v);
  }
  if (MaskSelects(mask, "coordinator")) CheckSingleCoordinator(committees, merged, v);
  const bool relink = merged.administration() != current->administration();
  std::optional<v1::Administration> partner;
  if (relink && !merged.administration().empty()) {
    partner = view.GetAdministration(merged.administration());
    CheckAdministrationLink(committees, name, merged.administration(), partner,
                            "committee.administration", v);
  }
  if (!v.empty()) return Invalid(v);
  if (partner.has_value() && partner->state() == v1::RETIRED) {
    return ReferenceRetired("ADMINISTRATION_RETIRED", kAdministrationSv, kAdministrationEn,
                            "committee.administration", partner->name());
  }

  DecideResult result;
  auto* event = AddEvent(result).mutable_committee_updated();
  *event->mutable_committee() = merged;
  *event->mutable_update_mask() = mask;
  if (relink) {
    if (partner.has_value() && partner->committee().empty()) {
      EmitAdministrationLink(result, *partner, name, ctx);
    }
    if (!current->administration().empty()) {
      const std::optional<v1::Administration> old =
          view.GetAdministration(current->administration());
      if (old.has_value() && old->state() != v1::RETIRED && old->committee() == name) {
        EmitAdministrationLink(result, *old, "", ctx);
      }
    }
  }
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::RetireCommitteeRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::optional<v1::Committee> current = view.GetCommittee(r.name());
  if (!current.has_value()) return NotFound(kCommitteeSv, kCommitteeEn, r.name());
  if (current->state() == v1::RETIRED) return Retired(kCommitteeSv, kCommitteeEn, r.name());
  DecideResult result;
  AddEvent(result).mutable_committee_retired()->set_committee(r.name());
  return result;
}

// --- Administrations ----------------------------------------------------------------------

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::CreateAdministrationRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  if (!view.GetTenant(r.parent()).has_value()) return TenantNotFound(r.parent());
  const std::string name =
      ResourceNameOf(r.parent(), Collection::kAdministrations, r.administration_id());
  if (view.GetAdministration(name).has_value()) return AlreadyExists(name);

  v1::Administration administration = r.administration();
  administration.set_name(name);
  administration.set_state(v1::ACTIVE);
  *administration.mutable_create_time() = ToTimestamp(ctx.now);
  *administration.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(administration);

  const std::vector<v1::Administration> administrations = view.ListAdministrations(r.parent());
  api::Violations v;
  CheckDisplayName(administrations, administration, "administration.display_name", v);
  std::optional<v1::Committee> partner;
  if (!administration.committee().empty()) {
    partner = view.GetCommittee(administration.committee());
    CheckCommitteeLink(administrations, name, administration.committee(), partner,
                       "administration.committee", v);
  }
  if (!v.empty()) return Invalid(v);
  if (partner.has_value() && partner->state() == v1::RETIRED) {
    return ReferenceRetired("COMMITTEE_RETIRED", kCommitteeSv, kCommitteeEn,
                            "administration.committee", partner->name());
  }

  DecideResult result;
  *AddEvent(result).mutable_administration_created()->mutable_administration() = administration;
  if (partner.has_value() && partner->administration().empty()) {
    EmitCommitteeLink(result, *partner, name, ctx);
  }
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::UpdateAdministrationRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::string& name = r.administration().name();
  const std::optional<v1::Administration> current = view.GetAdministration(name);
  if (!current.has_value()) return NotFound(kAdministrationSv, kAdministrationEn, name);
  if (current->state() == v1::RETIRED) {
    return Retired(kAdministrationSv, kAdministrationEn, name);
  }

  const google::protobuf::FieldMask mask =
      EffectiveMask(r.administration(), r.update_mask(), AdministrationMaskSpec());
  v1::Administration merged = ApplyMask(*current, r.administration(), mask);
  *merged.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(merged);

  const std::vector<v1::Administration> administrations = view.ListAdministrations(TenantOf(name));
  api::Violations v;
  if (MaskSelects(mask, "display_name")) {
    CheckDisplayName(administrations, merged, "administration.display_name", v);
  }
  const bool relink = merged.committee() != current->committee();
  std::optional<v1::Committee> partner;
  if (relink && !merged.committee().empty()) {
    partner = view.GetCommittee(merged.committee());
    CheckCommitteeLink(administrations, name, merged.committee(), partner,
                       "administration.committee", v);
  }
  if (!v.empty()) return Invalid(v);
  if (partner.has_value() && partner->state() == v1::RETIRED) {
    return ReferenceRetired("COMMITTEE_RETIRED", kCommitteeSv, kCommitteeEn,
                            "administration.committee", partner->name());
  }

  DecideResult result;
  auto* event = AddEvent(result).mutable_administration_updated();
  *event->mutable_administration() = merged;
  *event->mutable_update_mask() = mask;
  if (relink) {
    if (partner.has_value() && partner->administration().empty()) {
      EmitCommitteeLink(result, *partner, name, ctx);
    }
    if (!current->committee().empty()) {
      const std::optional<v1::Committee> old = view.GetCommittee(current->committee());
      if (old.has_value() && old->state() != v1::RETIRED && old->administration() == name) {
        EmitCommitteeLink(result, *old, "", ctx);
      }
    }
  }
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::RetireAdministrationRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::optional<v1::Administration> current = view.GetAdministration(r.name());
  if (!current.has_value()) return NotFound(kAdministrationSv, kAdministrationEn, r.name());
  if (current->state() == v1::RETIRED) {
    return Retired(kAdministrationSv, kAdministrationEn, r.name());
  }
  DecideResult result;
  // Running and future appointments end with the administration.
  for (v1::Track track : kTracks) {
    for (const v1::Appointment& appointment : view.AppointmentsOf(r.name(), track)) {
      if (HasEnded(appointment, ctx.today)) continue;
      const bool started = CompareDates(appointment.start_date(), ctx.today) <= 0;
      EmitAppointmentEnded(result, appointment.name(),
                           started ? ctx.today : appointment.start_date());
    }
  }
  AddEvent(result).mutable_administration_retired()->set_administration(r.name());
  return result;
}

// --- People -------------------------------------------------------------------------------

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::CreatePersonRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  if (!view.GetTenant(r.parent()).has_value()) return TenantNotFound(r.parent());
  const std::string name = ResourceNameOf(r.parent(), Collection::kPeople, r.person_id());
  if (view.GetPerson(name).has_value()) return AlreadyExists(name);
  v1::Person person = r.person();
  person.set_name(name);
  *person.mutable_create_time() = ToTimestamp(ctx.now);
  *person.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(person);
  DecideResult result;
  *AddEvent(result).mutable_person_registered()->mutable_person() = std::move(person);
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::UpdatePersonRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::optional<v1::Person> current = view.GetPerson(r.person().name());
  if (!current.has_value()) return NotFound(kPersonSv, kPersonEn, r.person().name());
  const google::protobuf::FieldMask mask =
      EffectiveMask(r.person(), r.update_mask(), PersonMaskSpec());
  v1::Person merged = ApplyMask(*current, r.person(), mask);
  *merged.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(merged);
  DecideResult result;
  auto* event = AddEvent(result).mutable_person_updated();
  *event->mutable_person() = std::move(merged);
  *event->mutable_update_mask() = mask;
  return result;
}

// --- Appointments -------------------------------------------------------------------------

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::AppointRepresentativeRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  if (!view.GetTenant(r.parent()).has_value()) return TenantNotFound(r.parent());
  const std::string name =
      ResourceNameOf(r.parent(), Collection::kAppointments, r.appointment_id());
  if (view.GetAppointment(name).has_value()) return AlreadyExists(name);

  v1::Appointment appointment = r.appointment();
  appointment.set_name(name);
  StripOutputOnly(appointment);

  api::Violations v;
  if (!view.GetPerson(appointment.person()).has_value()) {
    v.Add("appointment.person", "REFERENCE_NOT_FOUND",
          texts::UnknownReference(kPersonSv, kPersonEn, appointment.person()));
  }
  if (!appointment.substitute().empty() && !view.GetPerson(appointment.substitute()).has_value()) {
    v.Add("appointment.substitute", "REFERENCE_NOT_FOUND",
          texts::UnknownReference(kPersonSv, kPersonEn, appointment.substitute()));
  }
  const std::optional<v1::Administration> administration =
      view.GetAdministration(appointment.administration());
  if (!administration.has_value()) {
    v.Add("appointment.administration", "REFERENCE_NOT_FOUND",
          texts::UnknownReference(kAdministrationSv, kAdministrationEn,
                                  appointment.administration()));
  }
  if (!v.empty()) return Invalid(v);
  // Appointing to a retired administration (issue 3; brief): FAILED_PRECONDITION.
  if (administration->state() == v1::RETIRED) {
    return ReferenceRetired("ADMINISTRATION_RETIRED", kAdministrationSv, kAdministrationEn,
                            "appointment.administration", administration->name());
  }

  const std::optional<google::type::Date> end =
      appointment.has_end_date() ? std::optional(appointment.end_date()) : std::nullopt;
  std::vector<const v1::Appointment*> to_end;
  const std::vector<v1::Appointment> existing =
      view.AppointmentsOf(appointment.administration(), appointment.track());
  for (const v1::Appointment& other : existing) {
    if (!Overlaps(other, appointment.start_date(), end)) continue;
    // One that starts on or after the new start cannot be ended before it begins.
    if (CompareDates(other.start_date(), appointment.start_date()) >= 0) return Overlap(other);
    to_end.push_back(&other);
  }

  DecideResult result;
  // One active representative per administration and track: the running one ends the day
  // the new one starts (end dates are exclusive, network.h).
  for (const v1::Appointment* other : to_end) {
    EmitAppointmentEnded(result, other->name(), appointment.start_date());
  }
  *AddEvent(result).mutable_representative_appointed()->mutable_appointment() =
      std::move(appointment);
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::EndAppointmentRequest& r,
                                    const DecideContext& ctx) {
  if (const api::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::optional<v1::Appointment> current = view.GetAppointment(r.name());
  if (!current.has_value()) return NotFound(kAppointmentSv, kAppointmentEn, r.name());
  if (HasEnded(*current, ctx.today)) {
    return Precondition(
        "APPOINTMENT_ENDED",
        {absl::StrCat("Uppdraget upphörde redan ", FormatDate(current->end_date()), "."),
         absl::StrCat("The appointment already ended on ", FormatDate(current->end_date()), ".")},
        {{"name", r.name()}, {"end_date", FormatDate(current->end_date())}});
  }
  if (CompareDates(r.end_date(), current->start_date()) < 0) {
    api::Violations v;
    const std::string start = FormatDate(current->start_date());
    v.Add("end_date", "END_BEFORE_START",
          {absl::StrCat("Slutdatum får inte vara före uppdragets startdatum ", start, "."),
           absl::StrCat("The end date must not be before the appointment's start date ", start,
                        ".")});
    return Invalid(v);
  }
  for (const v1::Appointment& other :
       view.AppointmentsOf(current->administration(), current->track())) {
    if (other.name() == current->name()) continue;
    if (CompareDates(other.start_date(), current->start_date()) >= 0 &&
        CompareDates(r.end_date(), other.start_date()) > 0) {
      return Overlap(other);
    }
  }
  DecideResult result;
  EmitAppointmentEnded(result, r.name(), r.end_date());
  return result;
}

}  // namespace samrad::registry::domain
