#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_DECIDE_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_DECIDE_H_

// Decide: the pure step of the write path (DESIGN.md, "Writing"): given the current state
// (RegistryView) and a command (a request of registry_service.proto), the events to append,
// or an error. No clock, no I/O: the time comes in DecideContext. The events carry no
// metadata (the command path fills it) and no output-only fields (etag, principles,
// version); they carry whole resources after the change, and for updates the effective
// update mask (field_masks.h).
//
// Every Decide first runs Validate (validation.h), so it is safe on any input.
//
// Errors (absl::Status carrying a samrad.common.v1.ErrorDetail via libs/api/errors.h, domain
// kErrorDomain):
// - INVALID_ARGUMENT with field violations naming request fields: validation; references
//   to resources that do not exist (reason REFERENCE_NOT_FOUND); framework rules; a
//   display name already used by an active committee or administration
//   (DISPLAY_NAME_TAKEN); committee↔administration links that contradict existing links
//   (LINK_CONFLICT); a second coordinator (COORDINATOR_EXISTS); a consultation answer from
//   a body that was not asked (BODY_NOT_ASKED) or dated before the round or in the future;
//   a dialogue update that removes facts its status requires (REQUIRED_BY_STATUS).
// - NOT_FOUND: the tenant of `parent` (TENANT_NOT_FOUND) or the resource the request acts
//   on (RESOURCE_NOT_FOUND), with metadata {"name": ...}.
// - ALREADY_EXISTS: a create whose name is taken (RESOURCE_EXISTS), metadata {"name"}.
// - FAILED_PRECONDITION, the state forbids it: changing or retiring a retired committee or
//   administration (RETIRED); referring to a retired committee or administration
//   (COMMITTEE_RETIRED, ADMINISTRATION_RETIRED, metadata {"field", "name"}); ending an
//   ended appointment (APPOINTMENT_ENDED); an appointment that would overlap a later one of
//   the same administration and track (APPOINTMENT_OVERLAP); a lifecycle step the table in
//   lifecycle.h does not allow (INVALID_TRANSITION, metadata {"from", "to"}); a step whose
//   required outcome facts are missing (OUTCOME_INCOMPLETE, metadata {"fields":
//   "outcome.result,end_date"}, paths relative to the dialogue) or whose feedback date
//   lies in the future (FEEDBACK_DATE_IN_FUTURE); changing a cancelled dialogue
//   (DIALOGUE_CANCELLED); a second answer from the same body that is not a correction
//   (ANSWER_ALREADY_RECORDED).
//
// The rules, with their sources:
// Organisation (DOMAIN.md "The organisation"; issue 3 point 1)
// - Committees and administrations are created, updated and retired; a retired one cannot
//   be changed or retired again. Display names are unique among the tenant's ACTIVE
//   bodies of the same kind, compared case-insensitively (a retired body's name may be
//   reused by a new one, as happens in reorganisations).
// - A committee is served by one administration and an administration serves one
//   committee (Malmö's subject-committee organisation, 12 + KS). A link must name an
//   existing, active resource whose own link is empty or already points back; no other
//   active body may hold the same link. When the other side is empty, Decide also emits
//   its update (AdministrationUpdated / CommitteeUpdated, mask "committee" /
//   "administration") so the link is two-sided; moving a link clears the old partner's
//   back-link the same way.
// - At most one active committee is the coordinator (Kommunstyrelsen, which runs the
//   network through stadskontoret).
// - Retiring an administration ends its running and future appointments: end_date =
//   today, or the start date for appointments that have not started (they never ran).
// People and appointments (issue 3 point 2; network.h for the period semantics)
// - A person's e-mail need not be unique (a functional mailbox may be shared). A change of
//   role does not alter dialogues already registered.
// - Appointing needs an existing person (and substitute) and an existing, active
//   administration (retired: FAILED_PRECONDITION ADMINISTRATION_RETIRED). The
//   appointment running at the new start date (start < new start) is ended at the new
//   start date: AppointmentEnded comes before RepresentativeAppointed. An appointment of
//   the same administration and track that starts on or after the new start and overlaps
//   the new period is APPOINTMENT_OVERLAP (history is not rewritten from behind).
// - Ending: an appointment whose end date is on or before today has ended
//   (APPOINTMENT_ENDED); an end before the start is END_BEFORE_START; an end after the
//   start of a later appointment of the same administration and track is
//   APPOINTMENT_OVERLAP.
// Dialogue efforts (issue 3 point 3; DOMAIN.md Tabell 2 and Tabell 3)
// - A new effort starts PLANNED. Lead administration, co-administrations and the
//   responsible committee exist and are active; channels, areas and elected officials
//   exist.
// - Framework (Tabell 2, "from the city"):
//   - every person in elected_officials has role ELECTED_OFFICIAL (NOT_ELECTED_OFFICIAL,
//     naming "dialogue.elected_officials[i]"): the field lists elected officials only;
//   - MEDBORGARDIALOG: at least one elected official takes part
//     (ELECTED_OFFICIALS_REQUIRED, "dialogue.elected_officials"); officials take part only
//     as process support, so they are not listed;
//   - KUNSKAPSDIALOG is run by officials: the lead administration is required (always
//     is), and listing elected officials is RUN_BY_OFFICIALS on
//     "dialogue.elected_officials" — unless secondary_type is MEDBORGARDIALOG: ideal types
//     overlap (DOMAIN.md) and a kunskapsdialog with a citizen-dialogue element may have
//     elected officials taking part;
//   - BRUKARDIALOG and KOMMUNVAGLEDNING are also run by officials in Tabell 2, but the
//     issue makes only the two rules above errors: elected officials there are the warning
//     ELECTED_OFFICIALS_UNUSUAL_FOR_TYPE (again not when secondary_type is
//     MEDBORGARDIALOG).
// - Warnings (returned with the events, not errors): a channel whose usual_types do not
//   include the main type (CHANNEL_UNUSUAL_FOR_TYPE, "dialogue.channels[i]"); a retired
//   channel or area (CHANNEL_RETIRED, AREA_RETIRED: the archive records past efforts, e.g.
//   through medborgarförslag, abolished in 2020).
// - An update applies the mask (field_masks.h) and re-checks, on the updated dialogue, the
//   rules whose fields the mask touches: coherence (validation.h), references of the
//   masked fields, the framework when type, secondary_type or elected_officials are
//   touched, and the facts the current status requires (lifecycle.h) when the outcome or
//   end_date is touched. A CANCELLED effort cannot be changed; an EVALUATED one can (the
//   archive must be correctable).
// - Transitions follow lifecycle.h; FEEDBACK_GIVEN also needs a feedback date that is not
//   after today (feedback that has not happened has not been given).
// Coordination (issue 3 point 4; coordination.h): registering an effort, or an update whose
//   mask touches areas, start_date, end_date, target_groups or lead_administration, emits
//   CoordinationHintsFound after the effort's own event when there are hints.
// Consultations (issue 3 point 5; DOMAIN.md "Consultation rounds")
// - Bodies are existing, active committees, each once. Answers are output only and kept
//   in updates; removing a body that has answered is BODY_HAS_ANSWERED.
// - An answer comes from a body that was asked, received on or after the start date and
//   not after today. One answer per body, as in the STK-2018-90 round: a second one is
//   ANSWER_ALREADY_RECORDED unless it is an explicit correction, which v1 expresses by a
//   non-empty `options.reason` (the reason for the correction, kept in the event's
//   metadata); a correction replaces the body's answer (ConsultationAnswerRecorded with
//   the same body: Evolve replaces that body's answer).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/type/date.pb.h"
#include "libs/errors/errors.h"
#include "libs/common/lang.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/registry/v1/registry_service.pb.h"
#include "services/registry/domain/registry_view.h"

namespace samrad::registry::domain {

// The error domain of the registry (google.rpc.ErrorInfo.domain).
inline constexpr char kErrorDomain[] = "registry.samrad.malmo.se";

struct DecideContext {
  // The time of the decision (create_time, update_time, detect_time).
  absl::Time now;
  // Today's date in Europe/Stockholm, computed by the caller.
  google::type::Date today;
};

// A rule the request does not break but that deserves attention.
struct Warning {
  // Path in the request, e.g. "dialogue.channels[1]".
  std::string field;
  // UPPER_SNAKE_CASE, e.g. "CHANNEL_UNUSUAL_FOR_TYPE".
  std::string reason;
  errors::Text description;
};

v1::Warning ToProto(const Warning& warning, Lang lang);
// The warning as recorded in the event of the change, and back as the answer's warning.
v1::RecordedWarning ToRecorded(const Warning& warning);
v1::Warning ToProto(const v1::RecordedWarning& warning, Lang lang);

struct DecideResult {
  std::vector<v1::RegistryEvent> events;
  std::vector<Warning> warnings;
};

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::CreateCommitteeRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::UpdateCommitteeRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::RetireCommitteeRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::CreateAdministrationRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::UpdateAdministrationRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::RetireAdministrationRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::CreatePersonRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::UpdatePersonRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::AppointRepresentativeRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::EndAppointmentRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::CreateDialogueRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::UpdateDialogueRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::TransitionDialogueRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::CreateConsultationRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::UpdateConsultationRequest& request,
                                    const DecideContext& ctx);
absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::RecordConsultationAnswerRequest& request,
                                    const DecideContext& ctx);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_DECIDE_H_
