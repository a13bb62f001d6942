#include "services/registry/domain/validation.h"

#include <functional>
#include <initializer_list>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/field_masks.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/rule_texts.h"
#include "services/registry/domain/text_rules.h"

namespace samrad::registry::domain {
namespace {

using google::protobuf::FieldMask;
using google::type::Date;

std::string Indexed(std::string_view field, int index) {
  return absl::StrCat(std::string(field), "[", index, "]");
}

std::string Join(std::string_view prefix, std::string_view path) {
  return absl::StrCat(std::string(prefix), ".", std::string(path));
}

std::string PatternOf(Collection collection) {
  return absl::StrCat("tenants/{code}/", std::string(CollectionSegment(collection)), "/{id}");
}

// Adds violations for one request; `tenant` ("tenants/{code}") is the tenant the request
// works in, empty when it cannot be known (then OTHER_TENANT is not checked).
class Checker {
 public:
  Checker(errors::Violations& violations, std::string tenant)
      : v_(violations), tenant_(std::move(tenant)) {}

  errors::Violations& violations() { return v_; }
  const std::string& tenant() const { return tenant_; }

  void Text(const std::string& field, std::string_view value, size_t max, bool required) {
    if (IsBlank(value)) {
      if (required) v_.Add(field, "REQUIRED", texts::Required());
      return;
    }
    const size_t n = CodePointCount(value);
    if (n > max) v_.Add(field, "TOO_LONG", texts::TooLong(max, n));
  }

  // Returns true when `value` is a well-formed name of `collection`.
  bool Name(const std::string& field, std::string_view value, Collection collection,
            bool required) {
    if (value.empty()) {
      if (required) v_.Add(field, "REQUIRED", texts::Required());
      return false;
    }
    if (!IsResourceName(value, collection)) {
      v_.Add(field, "INVALID_NAME", texts::InvalidName(PatternOf(collection)));
      return false;
    }
    if (!tenant_.empty() && TenantOf(value) != tenant_) {
      v_.Add(field, "OTHER_TENANT", texts::OtherTenant(tenant_));
      return false;
    }
    return true;
  }

  void Parent(const std::string& field, std::string_view value) {
    if (value.empty()) {
      v_.Add(field, "REQUIRED", texts::Required());
    } else if (!IsTenantName(value)) {
      v_.Add(field, "INVALID_NAME", texts::InvalidName("tenants/{code}"));
    }
  }

  void Id(const std::string& field, std::string_view value) {
    if (value.empty()) {
      v_.Add(field, "REQUIRED", texts::Required());
    } else if (!IsValidResourceId(value)) {
      v_.Add(field, "INVALID_ID", texts::InvalidId());
    }
  }

  void Enum(const std::string& field, int value, bool (*is_valid)(int), bool required) {
    if (!is_valid(value)) {
      v_.Add(field, "UNKNOWN_ENUM_VALUE", texts::UnknownEnumValue(value));
    } else if (required && value == 0) {
      v_.Add(field, "UNSPECIFIED", texts::Unspecified());
    }
  }

  // Returns true when a valid date is present.
  bool DateField(const std::string& field, bool present, const Date& value, bool required) {
    if (!present) {
      if (required) v_.Add(field, "REQUIRED", texts::Required());
      return false;
    }
    if (!IsValidDate(value)) {
      v_.Add(field, "INVALID_DATE", texts::InvalidDate());
      return false;
    }
    return true;
  }

  void Count(const std::string& field, int size, size_t max) {
    if (static_cast<size_t>(size) > max) {
      v_.Add(field, "TOO_MANY", texts::TooMany(max, static_cast<size_t>(size)));
    }
  }

  // Names of `collection`, each well-formed and given once.
  template <typename Repeated>
  void Names(const std::string& field, const Repeated& values, Collection collection) {
    Count(field, values.size(), kMaxListEntries);
    std::map<std::string, int> first;
    for (int i = 0; i < values.size(); ++i) {
      const std::string item = Indexed(field, i);
      if (!Name(item, values.Get(i), collection, /*required=*/true)) continue;
      const auto [it, inserted] = first.emplace(values.Get(i), i);
      if (!inserted) v_.Add(item, "DUPLICATE", texts::Duplicate(Indexed(field, it->second)));
    }
  }

  void Options(const v1::WriteOptions& options) {
    Text("options.request_id", options.request_id(), kMaxRequestId, /*required=*/true);
    Text("options.reason", options.reason(), kMaxReason, /*required=*/false);
  }

 private:
  errors::Violations& v_;
  std::string tenant_;
};

using Selector = std::function<bool(std::string_view path)>;

Selector SelectAll() {
  return [](std::string_view) { return true; };
}

Selector SelectMasked(const FieldMask& mask) {
  return [&mask](std::string_view path) { return MaskSelects(mask, path); };
}

// --- Organisation -------------------------------------------------------------------------

void CheckCommittee(Checker& c, const v1::Committee& committee, std::string_view prefix,
                    const Selector& sel) {
  if (sel("display_name")) {
    c.Text(Join(prefix, "display_name"), committee.display_name(), kMaxDisplayName, true);
  }
  if (sel("administration")) {
    c.Name(Join(prefix, "administration"), committee.administration(), Collection::kAdministrations,
           /*required=*/false);
  }
}

void CheckAdministration(Checker& c, const v1::Administration& administration,
                         std::string_view prefix, const Selector& sel) {
  if (sel("display_name")) {
    c.Text(Join(prefix, "display_name"), administration.display_name(), kMaxDisplayName, true);
  }
  if (sel("committee")) {
    c.Name(Join(prefix, "committee"), administration.committee(), Collection::kCommittees,
           /*required=*/false);
  }
}

void CheckPerson(Checker& c, const v1::Person& person, std::string_view prefix,
                 const Selector& sel) {
  if (sel("display_name")) {
    c.Text(Join(prefix, "display_name"), person.display_name(), kMaxDisplayName, true);
  }
  if (sel("email")) {
    const std::string field = Join(prefix, "email");
    if (IsBlank(person.email())) {
      c.violations().Add(field, "REQUIRED", texts::Required());
    } else if (!IsValidEmail(person.email())) {
      c.violations().Add(field, "INVALID_EMAIL", texts::InvalidEmail());
    }
  }
  if (sel("role")) {
    c.Enum(Join(prefix, "role"), person.role(), v1::PersonRole_IsValid, /*required=*/true);
  }
}

// Validates an update request's resource name and mask; returns the effective mask.
FieldMask CheckUpdateHeader(Checker& c, std::string_view prefix, std::string_view name,
                            Collection collection, const google::protobuf::Message& patch,
                            const FieldMask& mask, const MaskSpec& spec) {
  c.Name(Join(prefix, "name"), name, collection, /*required=*/true);
  CheckUpdateMask(mask, spec, c.violations());
  return EffectiveMask(patch, mask, spec);
}

// --- Dialogues ----------------------------------------------------------------------------

void CheckDialogueFields(Checker& c, const v1::Dialogue& d, const Selector& sel) {
  constexpr std::string_view p = "dialogue";
  if (sel("title")) c.Text(Join(p, "title"), d.title(), kMaxTitle, true);
  if (sel("question")) c.Text(Join(p, "question"), d.question(), kMaxQuestion, true);
  if (sel("type")) c.Enum(Join(p, "type"), d.type(), v1::DialogueType_IsValid, true);
  if (sel("secondary_type")) {
    c.Enum(Join(p, "secondary_type"), d.secondary_type(), v1::DialogueType_IsValid, false);
  }
  if (sel("participation_level")) {
    c.Enum(Join(p, "participation_level"), d.participation_level(), v1::ParticipationLevel_IsValid,
           true);
  }
  if (sel("channels")) c.Names(Join(p, "channels"), d.channels(), Collection::kChannels);
  if (sel("target_groups")) {
    const std::string field = Join(p, "target_groups");
    c.Count(field, d.target_groups_size(), kMaxListEntries);
    std::map<int, int> first;
    for (int i = 0; i < d.target_groups_size(); ++i) {
      const std::string item = Indexed(field, i);
      const int group = d.target_groups(i);
      if (!v1::TargetGroup_IsValid(group)) {
        c.violations().Add(item, "UNKNOWN_ENUM_VALUE", texts::UnknownEnumValue(group));
      } else if (group == v1::TARGET_GROUP_UNSPECIFIED) {
        c.violations().Add(item, "UNSPECIFIED", texts::Unspecified());
      } else if (const auto [it, inserted] = first.emplace(group, i); !inserted) {
        c.violations().Add(item, "DUPLICATE", texts::Duplicate(Indexed(field, it->second)));
      }
    }
  }
  if (sel("other_target_groups")) {
    const std::string field = Join(p, "other_target_groups");
    c.Count(field, d.other_target_groups_size(), kMaxListEntries);
    std::map<std::string, int> first;
    for (int i = 0; i < d.other_target_groups_size(); ++i) {
      const std::string item = Indexed(field, i);
      c.Text(item, d.other_target_groups(i), kMaxTargetGroupText, true);
      if (IsBlank(d.other_target_groups(i))) continue;
      const auto [it, inserted] = first.emplace(FoldForCompare(d.other_target_groups(i)), i);
      if (!inserted) {
        c.violations().Add(item, "DUPLICATE", texts::Duplicate(Indexed(field, it->second)));
      }
    }
  }
  if (sel("areas")) c.Names(Join(p, "areas"), d.areas(), Collection::kAreas);
  if (sel("area_description")) {
    c.Text(Join(p, "area_description"), d.area_description(), kMaxAreaDescription, false);
  }
  if (sel("start_date")) {
    c.DateField(Join(p, "start_date"), d.has_start_date(), d.start_date(), true);
  }
  if (sel("end_date")) c.DateField(Join(p, "end_date"), d.has_end_date(), d.end_date(), false);
  if (sel("lead_administration")) {
    c.Name(Join(p, "lead_administration"), d.lead_administration(), Collection::kAdministrations,
           /*required=*/true);
  }
  if (sel("co_administrations")) {
    c.Names(Join(p, "co_administrations"), d.co_administrations(), Collection::kAdministrations);
  }
  if (sel("responsible_committee")) {
    c.Name(Join(p, "responsible_committee"), d.responsible_committee(), Collection::kCommittees,
           /*required=*/false);
  }
  if (sel("elected_officials")) {
    c.Names(Join(p, "elected_officials"), d.elected_officials(), Collection::kPeople);
  }
  const v1::Influence& influence = d.influence();
  if (sel("influence.what_can_be_influenced")) {
    c.Text("dialogue.influence.what_can_be_influenced", influence.what_can_be_influenced(),
           kMaxInfluenceText, false);
  }
  if (sel("influence.decision")) {
    c.Text("dialogue.influence.decision", influence.decision(), kMaxInfluenceText, false);
  }
  if (sel("influence.case_number") && !influence.case_number().empty() &&
      !IsValidCaseNumber(influence.case_number())) {
    c.violations().Add("dialogue.influence.case_number", "INVALID_CASE_NUMBER",
                       texts::InvalidCaseNumber());
  }
  const v1::Outcome& outcome = d.outcome();
  if (sel("outcome.outreach")) {
    c.Text("dialogue.outcome.outreach", outcome.outreach(), kMaxOutcomeText, false);
  }
  if (sel("outcome.participant_count") && outcome.participant_count() < 0) {
    c.violations().Add("dialogue.outcome.participant_count", "NEGATIVE", texts::Negative());
  }
  if (sel("outcome.result")) {
    c.Text("dialogue.outcome.result", outcome.result(), kMaxOutcomeText, false);
  }
  if (sel("outcome.result_use")) {
    c.Text("dialogue.outcome.result_use", outcome.result_use(), kMaxOutcomeText, false);
  }
  if (sel("outcome.feedback.date")) {
    c.DateField("dialogue.outcome.feedback.date", outcome.feedback().has_date(),
                outcome.feedback().date(), false);
  }
  if (sel("outcome.feedback.method")) {
    c.Text("dialogue.outcome.feedback.method", outcome.feedback().method(), kMaxFeedbackMethod,
           false);
  }
  if (sel("outcome.evaluation")) {
    c.Text("dialogue.outcome.evaluation", outcome.evaluation(), kMaxOutcomeText, false);
  }
  if (sel("outcome.lessons_learned")) {
    c.Text("dialogue.outcome.lessons_learned", outcome.lessons_learned(), kMaxOutcomeText, false);
  }
}

// --- Consultations ------------------------------------------------------------------------

void CheckConsultationFields(Checker& c, const v1::Consultation& consultation,
                             const Selector& sel) {
  constexpr std::string_view p = "consultation";
  if (sel("case_number")) {
    const std::string field = Join(p, "case_number");
    if (IsBlank(consultation.case_number())) {
      c.violations().Add(field, "REQUIRED", texts::Required());
    } else if (!IsValidCaseNumber(consultation.case_number())) {
      c.violations().Add(field, "INVALID_CASE_NUMBER", texts::InvalidCaseNumber());
    }
  }
  if (sel("title")) c.Text(Join(p, "title"), consultation.title(), kMaxTitle, true);
  if (sel("questions")) {
    const std::string field = Join(p, "questions");
    if (consultation.questions().empty()) {
      c.violations().Add(field, "REQUIRED", texts::Required());
    }
    c.Count(field, consultation.questions_size(), kMaxListEntries);
    for (int i = 0; i < consultation.questions_size(); ++i) {
      c.Text(Indexed(field, i), consultation.questions(i), kMaxQuestion, true);
    }
  }
  if (sel("bodies")) {
    const std::string field = Join(p, "bodies");
    if (consultation.bodies().empty()) c.violations().Add(field, "REQUIRED", texts::Required());
    c.Names(field, consultation.bodies(), Collection::kCommittees);
  }
  const bool start_ok =
      sel("start_date") && c.DateField(Join(p, "start_date"), consultation.has_start_date(),
                                       consultation.start_date(), true);
  const bool deadline_ok =
      sel("deadline") &&
      c.DateField(Join(p, "deadline"), consultation.has_deadline(), consultation.deadline(), true);
  if (start_ok && deadline_ok &&
      CompareDates(consultation.deadline(), consultation.start_date()) < 0) {
    c.violations().Add(
        Join(p, "deadline"), "END_BEFORE_START",
        texts::EndBeforeStart("Sista svarsdag", "The deadline", "consultation.start_date"));
  }
}

}  // namespace

// --- Coherence of a dialogue --------------------------------------------------------------

void CheckDialogueCoherence(const v1::Dialogue& d, CoherenceScope scope, const FieldMask& mask,
                            errors::Violations& v) {
  const auto applies = [&](std::initializer_list<std::string_view> paths) {
    switch (scope) {
      case CoherenceScope::kAll:
        return true;
      case CoherenceScope::kAllFieldsSelected:
        for (std::string_view path : paths) {
          if (!MaskSelects(mask, path)) return false;
        }
        return true;
      case CoherenceScope::kAnyFieldSelected:
        for (std::string_view path : paths) {
          if (MaskTouches(mask, path)) return true;
        }
        return false;
    }
    return false;
  };
  if (applies({"start_date", "end_date"}) && d.has_start_date() && d.has_end_date() &&
      IsValidDate(d.start_date()) && IsValidDate(d.end_date()) &&
      CompareDates(d.end_date(), d.start_date()) < 0) {
    v.Add("dialogue.end_date", "END_BEFORE_START",
          texts::EndBeforeStart("Slutdatum", "The end date", "dialogue.start_date"));
  }
  if (applies({"type", "secondary_type"}) && d.secondary_type() != v1::DIALOGUE_TYPE_UNSPECIFIED &&
      d.secondary_type() == d.type()) {
    v.Add("dialogue.secondary_type", "SAME_AS_TYPE",
          {"Sekundär typ ska vara en annan än huvudtypen.",
           "The secondary type must differ from the main type."});
  }
  if (applies({"lead_administration", "co_administrations"})) {
    for (int i = 0; i < d.co_administrations_size(); ++i) {
      if (!d.lead_administration().empty() && d.co_administrations(i) == d.lead_administration()) {
        v.Add(Indexed("dialogue.co_administrations", i), "SAME_AS_LEAD",
              {"Den ansvariga förvaltningen ska inte också anges som medverkande.",
               "The lead administration must not also be listed as a co-administration."});
      }
    }
  }
  // SKL's definition (DOMAIN.md): the target group must be clearly defined.
  if (applies({"target_groups", "other_target_groups"}) && d.target_groups().empty() &&
      d.other_target_groups().empty()) {
    v.Add("dialogue.target_groups", "REQUIRED",
          {"Ange minst en målgrupp (eller en annan målgrupp i fritext).",
           "Give at least one target group (or another target group as free text)."});
  }
  // A dialogue effort has a geographic area as well as an owner (DOMAIN.md).
  if (applies({"areas", "area_description"}) && d.areas().empty() &&
      IsBlank(d.area_description())) {
    v.Add("dialogue.areas", "REQUIRED",
          {"Ange minst ett område (eller en platsbeskrivning i fritext).",
           "Give at least one area (or a description of the place as free text)."});
  }
}

// --- Requests -----------------------------------------------------------------------------

errors::Violations Validate(const v1::CreateCommitteeRequest& r) {
  errors::Violations v;
  Checker c(v, IsTenantName(r.parent()) ? r.parent() : "");
  c.Parent("parent", r.parent());
  c.Id("committee_id", r.committee_id());
  CheckCommittee(c, r.committee(), "committee", SelectAll());
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::UpdateCommitteeRequest& r) {
  errors::Violations v;
  Checker c(v, TenantOf(r.committee().name()));
  const FieldMask mask =
      CheckUpdateHeader(c, "committee", r.committee().name(), Collection::kCommittees,
                        r.committee(), r.update_mask(), CommitteeMaskSpec());
  CheckCommittee(c, r.committee(), "committee", SelectMasked(mask));
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::RetireCommitteeRequest& r) {
  errors::Violations v;
  Checker c(v, "");
  c.Name("name", r.name(), Collection::kCommittees, /*required=*/true);
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::CreateAdministrationRequest& r) {
  errors::Violations v;
  Checker c(v, IsTenantName(r.parent()) ? r.parent() : "");
  c.Parent("parent", r.parent());
  c.Id("administration_id", r.administration_id());
  CheckAdministration(c, r.administration(), "administration", SelectAll());
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::UpdateAdministrationRequest& r) {
  errors::Violations v;
  Checker c(v, TenantOf(r.administration().name()));
  const FieldMask mask = CheckUpdateHeader(c, "administration", r.administration().name(),
                                           Collection::kAdministrations, r.administration(),
                                           r.update_mask(), AdministrationMaskSpec());
  CheckAdministration(c, r.administration(), "administration", SelectMasked(mask));
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::RetireAdministrationRequest& r) {
  errors::Violations v;
  Checker c(v, "");
  c.Name("name", r.name(), Collection::kAdministrations, /*required=*/true);
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::CreatePersonRequest& r) {
  errors::Violations v;
  Checker c(v, IsTenantName(r.parent()) ? r.parent() : "");
  c.Parent("parent", r.parent());
  c.Id("person_id", r.person_id());
  CheckPerson(c, r.person(), "person", SelectAll());
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::UpdatePersonRequest& r) {
  errors::Violations v;
  Checker c(v, TenantOf(r.person().name()));
  const FieldMask mask = CheckUpdateHeader(c, "person", r.person().name(), Collection::kPeople,
                                           r.person(), r.update_mask(), PersonMaskSpec());
  CheckPerson(c, r.person(), "person", SelectMasked(mask));
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::AppointRepresentativeRequest& r) {
  errors::Violations v;
  Checker c(v, IsTenantName(r.parent()) ? r.parent() : "");
  c.Parent("parent", r.parent());
  c.Id("appointment_id", r.appointment_id());
  const v1::Appointment& a = r.appointment();
  const bool person_ok =
      c.Name("appointment.person", a.person(), Collection::kPeople, /*required=*/true);
  c.Name("appointment.administration", a.administration(), Collection::kAdministrations,
         /*required=*/true);
  c.Enum("appointment.track", a.track(), v1::Track_IsValid, /*required=*/true);
  const bool start_ok =
      c.DateField("appointment.start_date", a.has_start_date(), a.start_date(), true);
  const bool end_ok = c.DateField("appointment.end_date", a.has_end_date(), a.end_date(), false);
  if (start_ok && end_ok && CompareDates(a.end_date(), a.start_date()) < 0) {
    v.Add("appointment.end_date", "END_BEFORE_START",
          texts::EndBeforeStart("Slutdatum", "The end date", "appointment.start_date"));
  }
  if (c.Name("appointment.substitute", a.substitute(), Collection::kPeople, false) && person_ok &&
      a.substitute() == a.person()) {
    v.Add("appointment.substitute", "SAME_AS_PERSON",
          {"Ersättaren ska vara en annan person än representanten.",
           "The substitute must be another person than the representative."});
  }
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::EndAppointmentRequest& r) {
  errors::Violations v;
  Checker c(v, "");
  c.Name("name", r.name(), Collection::kAppointments, /*required=*/true);
  c.DateField("end_date", r.has_end_date(), r.end_date(), /*required=*/true);
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::CreateDialogueRequest& r) {
  errors::Violations v;
  Checker c(v, IsTenantName(r.parent()) ? r.parent() : "");
  c.Parent("parent", r.parent());
  c.Id("dialogue_id", r.dialogue_id());
  CheckDialogueFields(c, r.dialogue(), SelectAll());
  CheckDialogueCoherence(r.dialogue(), CoherenceScope::kAll, FieldMask(), v);
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::UpdateDialogueRequest& r) {
  errors::Violations v;
  Checker c(v, TenantOf(r.dialogue().name()));
  const FieldMask mask =
      CheckUpdateHeader(c, "dialogue", r.dialogue().name(), Collection::kDialogues, r.dialogue(),
                        r.update_mask(), DialogueMaskSpec());
  CheckDialogueFields(c, r.dialogue(), SelectMasked(mask));
  CheckDialogueCoherence(r.dialogue(), CoherenceScope::kAllFieldsSelected, mask, v);
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::TransitionDialogueRequest& r) {
  errors::Violations v;
  Checker c(v, "");
  c.Name("name", r.name(), Collection::kDialogues, /*required=*/true);
  c.Enum("status", r.status(), v1::DialogueStatus_IsValid, /*required=*/true);
  c.Options(r.options());
  if (r.status() == v1::CANCELLED && IsBlank(r.options().reason())) {
    v.Add("options.reason", "REQUIRED",
          {"Ange varför dialoginsatsen ställs in.", "Give the reason for cancelling the effort."});
  }
  return v;
}

errors::Violations Validate(const v1::CreateConsultationRequest& r) {
  errors::Violations v;
  Checker c(v, IsTenantName(r.parent()) ? r.parent() : "");
  c.Parent("parent", r.parent());
  c.Id("consultation_id", r.consultation_id());
  CheckConsultationFields(c, r.consultation(), SelectAll());
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::UpdateConsultationRequest& r) {
  errors::Violations v;
  Checker c(v, TenantOf(r.consultation().name()));
  const FieldMask mask =
      CheckUpdateHeader(c, "consultation", r.consultation().name(), Collection::kConsultations,
                        r.consultation(), r.update_mask(), ConsultationMaskSpec());
  CheckConsultationFields(c, r.consultation(), SelectMasked(mask));
  c.Options(r.options());
  return v;
}

errors::Violations Validate(const v1::RecordConsultationAnswerRequest& r) {
  errors::Violations v;
  Checker c(v, TenantOf(r.consultation()));
  c.Name("consultation", r.consultation(), Collection::kConsultations, /*required=*/true);
  const v1::ConsultationAnswer& a = r.answer();
  c.Name("answer.body", a.body(), Collection::kCommittees, /*required=*/true);
  c.Text("answer.summary", a.summary(), kMaxAnswerSummary, /*required=*/true);
  c.Text("answer.decision_reference", a.decision_reference(), kMaxDecisionReference, false);
  c.Count("answer.points", a.points_size(), kMaxListEntries);
  for (int i = 0; i < a.points_size(); ++i) {
    const std::string item = Indexed("answer.points", i);
    c.Enum(Join(item, "tag"), a.points(i).tag(), v1::PointTag_IsValid, /*required=*/true);
    c.Text(Join(item, "text"), a.points(i).text(), kMaxPointText, /*required=*/true);
  }
  c.DateField("answer.received_date", a.has_received_date(), a.received_date(), true);
  c.Options(r.options());
  return v;
}

}  // namespace samrad::registry::domain
