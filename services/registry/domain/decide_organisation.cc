// Decide for the organisation (committees, administrations), people and appointments.
// The rules are documented in decide.h.

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
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

errors::Text DisplayNameTaken(std::string_view other) {
  return {absl::StrCat("Namnet används redan av ", std::string(other), "."),
          absl::StrCat("The name is already used by ", std::string(other), ".")};
}

errors::Text LinkConflict(std::string_view other) {
  return {absl::StrCat("Kopplingen krockar med ", std::string(other),
                       ": en nämnd har en förvaltning och en förvaltning en nämnd."),
          absl::StrCat("The link conflicts with ", std::string(other),
                       ": a committee has one administration and an administration one "
                       "committee.")};
}

// Display names are unique among the tenant's active bodies of one kind.
template <typename T>
void CheckDisplayName(const std::vector<T>& existing, const T& candidate, std::string field,
                      errors::Violations& v) {
  const std::string folded = FoldForCompare(candidate.display_name());
  for (const T& other : existing) {
    if (other.name() == candidate.name() || other.state() == v1::RETIRED) continue;
    if (FoldForCompare(other.display_name()) == folded) {
      v.Add(field, "DISPLAY_NAME_TAKEN", DisplayNameTaken(other.name()));
      return;
    }
  }
}

// --- Committees and administrations -------------------------------------------------------
//
// A committee and an administration are the two kinds of body of a tenant, and each may be
// linked to one body of the other kind (Fritidsnämnden ↔ Fritidsförvaltningen). Their rules
// are the same with the kinds swapped, so they are written once over BodyTraits.

template <typename T>
struct BodyTraits;

template <>
struct BodyTraits<v1::Committee> {
  using Partner = v1::Administration;
  static constexpr Collection kCollection = Collection::kCommittees;
  static constexpr std::string_view kSv = kCommitteeSv;
  static constexpr std::string_view kEn = kCommitteeEn;
  // The resource's field in requests, and its link field.
  static constexpr std::string_view kField = "committee";
  static constexpr std::string_view kLinkField = "administration";
  static constexpr std::string_view kRetiredReason = "COMMITTEE_RETIRED";

  static const std::string& Link(const v1::Committee& c) { return c.administration(); }
  static void SetLink(v1::Committee& c, std::string partner) {
    c.set_administration(std::move(partner));
  }
  static std::optional<v1::Committee> Get(const RegistryView& view, const std::string& name) {
    return view.GetCommittee(name);
  }
  static std::vector<v1::Committee> List(const RegistryView& view, const std::string& tenant) {
    return view.ListCommittees(tenant);
  }
  static const MaskSpec& Spec() { return CommitteeMaskSpec(); }
  static v1::Committee* Created(v1::RegistryEvent& e) {
    return e.mutable_committee_created()->mutable_committee();
  }
  static void Updated(v1::RegistryEvent& e, v1::Committee c, google::protobuf::FieldMask mask) {
    *e.mutable_committee_updated()->mutable_committee() = std::move(c);
    *e.mutable_committee_updated()->mutable_update_mask() = std::move(mask);
  }
  static void Retire(v1::RegistryEvent& e, const std::string& name) {
    e.mutable_committee_retired()->set_committee(name);
  }
};

template <>
struct BodyTraits<v1::Administration> {
  using Partner = v1::Committee;
  static constexpr Collection kCollection = Collection::kAdministrations;
  static constexpr std::string_view kSv = kAdministrationSv;
  static constexpr std::string_view kEn = kAdministrationEn;
  static constexpr std::string_view kField = "administration";
  static constexpr std::string_view kLinkField = "committee";
  static constexpr std::string_view kRetiredReason = "ADMINISTRATION_RETIRED";

  static const std::string& Link(const v1::Administration& a) { return a.committee(); }
  static void SetLink(v1::Administration& a, std::string partner) {
    a.set_committee(std::move(partner));
  }
  static std::optional<v1::Administration> Get(const RegistryView& view, const std::string& name) {
    return view.GetAdministration(name);
  }
  static std::vector<v1::Administration> List(const RegistryView& view, const std::string& tenant) {
    return view.ListAdministrations(tenant);
  }
  static const MaskSpec& Spec() { return AdministrationMaskSpec(); }
  static v1::Administration* Created(v1::RegistryEvent& e) {
    return e.mutable_administration_created()->mutable_administration();
  }
  static void Updated(v1::RegistryEvent& e, v1::Administration a,
                      google::protobuf::FieldMask mask) {
    *e.mutable_administration_updated()->mutable_administration() = std::move(a);
    *e.mutable_administration_updated()->mutable_update_mask() = std::move(mask);
  }
  static void Retire(v1::RegistryEvent& e, const std::string& name) {
    e.mutable_administration_retired()->set_administration(name);
  }
};

// "committee.administration" or "administration.committee".
template <typename T>
std::string LinkPath() {
  return absl::StrCat(std::string(BodyTraits<T>::kField), ".",
                      std::string(BodyTraits<T>::kLinkField));
}

// Checks linking the body named `self` to `partner_name` (whose resource is `partner`):
// the partner exists, is not linked to another body, and no other active body of self's
// kind (`peers`) is linked to it.
template <typename T>
void CheckLink(const std::vector<T>& peers, std::string_view self, std::string_view partner_name,
               const std::optional<typename BodyTraits<T>::Partner>& partner, errors::Violations& v) {
  using PartnerTraits = BodyTraits<typename BodyTraits<T>::Partner>;
  const std::string field = LinkPath<T>();
  if (!partner.has_value()) {
    v.Add(field, "REFERENCE_NOT_FOUND",
          texts::UnknownReference(PartnerTraits::kSv, PartnerTraits::kEn, partner_name));
    return;
  }
  const std::string& back = PartnerTraits::Link(*partner);
  if (!back.empty() && back != self) {
    v.Add(field, "LINK_CONFLICT", LinkConflict(back));
    return;
  }
  for (const T& other : peers) {
    if (other.name() != self && other.state() != v1::RETIRED &&
        BodyTraits<T>::Link(other) == partner_name) {
      v.Add(field, "LINK_CONFLICT", LinkConflict(other.name()));
      return;
    }
  }
}

// Records that `body` is now linked to `partner` ("" unlinks it): an update of the link
// field only.
template <typename T>
void EmitLink(DecideResult& result, T body, std::string partner, const DecideContext& ctx) {
  BodyTraits<T>::SetLink(body, std::move(partner));
  *body.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(body);
  BodyTraits<T>::Updated(AddEvent(result), std::move(body),
                         MaskOf({std::string(BodyTraits<T>::kLinkField)}));
}

void CheckSingleCoordinator(const std::vector<v1::Committee>& committees,
                            const v1::Committee& candidate, errors::Violations& v) {
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

// The checks of one kind beyond the shared ones: the single coordinating committee.
// `selected(path)` tells whether the request sets the field at `path`.
template <typename T>
void CheckKindRules(const std::vector<T>& peers, const T& candidate,
                    const std::function<bool(std::string_view)>& selected, errors::Violations& v) {
  if constexpr (std::is_same_v<T, v1::Committee>) {
    if (selected("coordinator")) CheckSingleCoordinator(peers, candidate, v);
  }
}

// The link checks of a create or of an update that changes the link; the partner's
// resource, if the body is to be linked to one.
template <typename T>
absl::StatusOr<std::optional<typename BodyTraits<T>::Partner>> LinkPartner(
    const RegistryView& view, const std::vector<T>& peers, const T& body, errors::Violations& v) {
  using PartnerTraits = BodyTraits<typename BodyTraits<T>::Partner>;
  const std::string& link = BodyTraits<T>::Link(body);
  if (link.empty()) return std::nullopt;
  std::optional<typename BodyTraits<T>::Partner> partner = PartnerTraits::Get(view, link);
  CheckLink(peers, body.name(), link, partner, v);
  return partner;
}

template <typename T>
absl::StatusOr<DecideResult> DecideCreateBody(const RegistryView& view, const std::string& parent,
                                              const std::string& id, const T& request_body,
                                              const DecideContext& ctx) {
  using Traits = BodyTraits<T>;
  using PartnerTraits = BodyTraits<typename Traits::Partner>;
  if (!view.GetTenant(parent).has_value()) return TenantNotFound(parent);
  const std::string name = ResourceNameOf(parent, Traits::kCollection, id);
  if (Traits::Get(view, name).has_value()) return AlreadyExists(name);

  T body = request_body;
  body.set_name(name);
  body.set_state(v1::ACTIVE);
  *body.mutable_create_time() = ToTimestamp(ctx.now);
  *body.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(body);

  const std::vector<T> peers = Traits::List(view, parent);
  errors::Violations v;
  CheckDisplayName(peers, body, absl::StrCat(std::string(Traits::kField), ".display_name"), v);
  CheckKindRules(
      peers, body, [](std::string_view) { return true; }, v);
  absl::StatusOr<std::optional<typename Traits::Partner>> partner =
      LinkPartner(view, peers, body, v);
  if (!v.empty()) return Invalid(v);
  if (*partner && (*partner)->state() == v1::RETIRED) {
    return ReferenceRetired(std::string(PartnerTraits::kRetiredReason), PartnerTraits::kSv,
                            PartnerTraits::kEn, LinkPath<T>(), (*partner)->name());
  }

  DecideResult result;
  *Traits::Created(AddEvent(result)) = body;
  if (*partner && PartnerTraits::Link(**partner).empty()) {
    EmitLink(result, **partner, name, ctx);
  }
  return result;
}

template <typename T>
absl::StatusOr<DecideResult> DecideUpdateBody(const RegistryView& view, const T& patch,
                                              const google::protobuf::FieldMask& update_mask,
                                              const DecideContext& ctx) {
  using Traits = BodyTraits<T>;
  using PartnerTraits = BodyTraits<typename Traits::Partner>;
  const std::string& name = patch.name();
  const std::optional<T> current = Traits::Get(view, name);
  if (!current.has_value()) return NotFound(Traits::kSv, Traits::kEn, name);
  if (current->state() == v1::RETIRED) return Retired(Traits::kSv, Traits::kEn, name);

  const google::protobuf::FieldMask mask = EffectiveMask(patch, update_mask, Traits::Spec());
  T merged = ApplyMask(*current, patch, mask);
  *merged.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(merged);

  const std::vector<T> peers = Traits::List(view, TenantOf(name));
  errors::Violations v;
  if (MaskSelects(mask, "display_name")) {
    CheckDisplayName(peers, merged, absl::StrCat(std::string(Traits::kField), ".display_name"), v);
  }
  CheckKindRules(
      peers, merged, [&](std::string_view path) { return MaskSelects(mask, path); }, v);
  const std::string& link = Traits::Link(merged);
  const std::string& old_link = Traits::Link(*current);
  const bool relink = link != old_link;
  absl::StatusOr<std::optional<typename Traits::Partner>> partner = std::nullopt;
  if (relink) partner = LinkPartner(view, peers, merged, v);
  if (!v.empty()) return Invalid(v);
  if (*partner && (*partner)->state() == v1::RETIRED) {
    return ReferenceRetired(std::string(PartnerTraits::kRetiredReason), PartnerTraits::kSv,
                            PartnerTraits::kEn, LinkPath<T>(), (*partner)->name());
  }

  DecideResult result;
  Traits::Updated(AddEvent(result), merged, mask);
  if (relink) {
    if (*partner && PartnerTraits::Link(**partner).empty()) {
      EmitLink(result, **partner, name, ctx);
    }
    if (!old_link.empty()) {
      const std::optional<typename Traits::Partner> old = PartnerTraits::Get(view, old_link);
      if (old.has_value() && old->state() != v1::RETIRED && PartnerTraits::Link(*old) == name) {
        EmitLink(result, *old, "", ctx);
      }
    }
  }
  return result;
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

// Retiring a body. Running and future appointments end with an administration.
template <typename T>
absl::StatusOr<DecideResult> DecideRetireBody(const RegistryView& view, const std::string& name,
                                              const DecideContext& ctx) {
  using Traits = BodyTraits<T>;
  const std::optional<T> current = Traits::Get(view, name);
  if (!current.has_value()) return NotFound(Traits::kSv, Traits::kEn, name);
  if (current->state() == v1::RETIRED) return Retired(Traits::kSv, Traits::kEn, name);
  DecideResult result;
  if constexpr (std::is_same_v<T, v1::Administration>) {
    for (v1::Track track : kTracks) {
      for (const v1::Appointment& appointment : view.AppointmentsOf(name, track)) {
        if (HasEnded(appointment, ctx.today)) continue;
        const bool started = CompareDates(appointment.start_date(), ctx.today) <= 0;
        EmitAppointmentEnded(result, appointment.name(),
                             started ? ctx.today : appointment.start_date());
      }
    }
  }
  Traits::Retire(AddEvent(result), name);
  return result;
}

}  // namespace

// --- Committees and administrations -------------------------------------------------------

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::CreateCommitteeRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  return DecideCreateBody(view, r.parent(), r.committee_id(), r.committee(), ctx);
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::UpdateCommitteeRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  return DecideUpdateBody(view, r.committee(), r.update_mask(), ctx);
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::RetireCommitteeRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  return DecideRetireBody<v1::Committee>(view, r.name(), ctx);
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::CreateAdministrationRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  return DecideCreateBody(view, r.parent(), r.administration_id(), r.administration(), ctx);
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::UpdateAdministrationRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  return DecideUpdateBody(view, r.administration(), r.update_mask(), ctx);
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::RetireAdministrationRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  return DecideRetireBody<v1::Administration>(view, r.name(), ctx);
}

// --- People -------------------------------------------------------------------------------

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::CreatePersonRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
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
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
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
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  if (!view.GetTenant(r.parent()).has_value()) return TenantNotFound(r.parent());
  const std::string name =
      ResourceNameOf(r.parent(), Collection::kAppointments, r.appointment_id());
  if (view.GetAppointment(name).has_value()) return AlreadyExists(name);

  v1::Appointment appointment = r.appointment();
  appointment.set_name(name);
  StripOutputOnly(appointment);

  errors::Violations v;
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
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
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
    errors::Violations v;
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
