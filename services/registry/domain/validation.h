#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_VALIDATION_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_VALIDATION_H_

// Validation of the registry's write requests (step 2 of the write path in DESIGN.md,
// "Writing"): everything that can be judged from the request alone, before Decide looks at
// the current state. Each function returns ALL violations, each naming the field as it is
// spelled in the request ("dialogue.title", "dialogue.channels[2]", "update_mask",
// "options.request_id") with an UPPER_SNAKE reason and a Swedish and an English text.
// The command path turns them into INVALID_ARGUMENT with
// `violations.ToStatus(kErrorDomain)`.
//
// Rules common to every request:
// - `options.request_id` is required (≤ 128 characters): it makes retries idempotent
//   (AIP-155); `options.reason` is at most 1000 characters.
// - `parent` is "tenants/{code}"; `<resource>_id` matches [a-z][a-z0-9-]{0,62} (AIP-122);
//   references to other resources are names of the right collection in the SAME tenant
//   (reason OTHER_TENANT otherwise).
// - Required text is not blank; lengths are in characters (limits in text_rules.h:
//   titles and display names ≤ 200, questions ≤ 2000, ...). Repeated fields have at most
//   100 entries (TOO_MANY) and no duplicates (DUPLICATE, naming the later entry).
// - Dates are full, existing calendar dates (INVALID_DATE); an end is not before its
//   start (END_BEFORE_START, naming the end).
// - Enums that are required are not *_UNSPECIFIED (UNSPECIFIED) and every enum value is
//   one the schema knows (UNKNOWN_ENUM_VALUE).
// - Output-only fields (status, principles, answers, times, version, etag) are ignored on
//   create (AIP-133) and are FIELD_NOT_UPDATABLE in an update mask.
// - Updates validate only the fields their effective mask selects (field_masks.h); the
//   rules between fields of a dialogue are checked here when the request holds all of
//   their fields, and by Decide on the updated dialogue otherwise.
//
// Per request:
// - Committee: display_name required; administration optional.
// - Administration: display_name required; committee optional.
// - Person: display_name required; email required, e-mail shaped; role required.
// - AppointRepresentative: person, administration, track and start_date required;
//   end_date ≥ start_date; substitute is a person other than the representative
//   (SAME_AS_PERSON).
// - EndAppointment: name and end_date required.
// - Dialogue (create, or the masked fields of an update): title (≤ 200), question
//   (≤ 2000), type, participation_level, lead_administration and start_date required;
//   secondary_type differs from type (SAME_AS_TYPE); at least one target group (enum or
//   free text) since SKL's definition requires a defined target group (DOMAIN.md); at
//   least one area or an area description since every effort has a geographic area
//   (DOMAIN.md, "The organisation"); co-administrations differ from the lead
//   (SAME_AS_LEAD); influence.case_number is a case number (text_rules.h);
//   outcome.participant_count ≥ 0; outcome.feedback.date a valid date.
// - TransitionDialogue: name and status required; cancelling needs `options.reason`
//   (the audit trail keeps why an effort was called off; DESIGN.md "Auditability").
// - Consultation: case_number (a case number), title, at least one question (each
//   ≤ 2000), at least one body (committee names), start_date and deadline required,
//   deadline ≥ start_date (END_BEFORE_START).
// - RecordConsultationAnswer: consultation, answer.body, answer.summary and
//   answer.received_date required; every point has a tag (not UNSPECIFIED) and a text.

#include <string_view>

#include "google/protobuf/field_mask.pb.h"
#include "libs/errors/errors.h"
#include "samrad/registry/v1/registry_service.pb.h"
#include "samrad/registry/v1/resources.pb.h"

namespace samrad::registry::domain {

errors::Violations Validate(const v1::CreateCommitteeRequest& request);
errors::Violations Validate(const v1::UpdateCommitteeRequest& request);
errors::Violations Validate(const v1::RetireCommitteeRequest& request);
errors::Violations Validate(const v1::CreateAdministrationRequest& request);
errors::Violations Validate(const v1::UpdateAdministrationRequest& request);
errors::Violations Validate(const v1::RetireAdministrationRequest& request);
errors::Violations Validate(const v1::CreatePersonRequest& request);
errors::Violations Validate(const v1::UpdatePersonRequest& request);
errors::Violations Validate(const v1::AppointRepresentativeRequest& request);
errors::Violations Validate(const v1::EndAppointmentRequest& request);
errors::Violations Validate(const v1::CreateDialogueRequest& request);
errors::Violations Validate(const v1::UpdateDialogueRequest& request);
errors::Violations Validate(const v1::TransitionDialogueRequest& request);
errors::Violations Validate(const v1::CreateConsultationRequest& request);
errors::Violations Validate(const v1::UpdateConsultationRequest& request);
errors::Violations Validate(const v1::RecordConsultationAnswerRequest& request);

// When the rules between fields of a dialogue are checked.
enum class CoherenceScope {
  // Every rule (a create request).
  kAll,
  // Rules whose fields are all selected by the mask (an update request on its own).
  kAllFieldsSelected,
  // Rules with at least one field selected by the mask (Decide, on the updated dialogue).
  kAnyFieldSelected,
};

// The rules between fields of one dialogue (end ≥ start, secondary type ≠ type,
// co-administrations ≠ lead, a target group, an area), naming fields "dialogue.<path>".
// `mask` is the effective mask; it is not used with kAll.
void CheckDialogueCoherence(const v1::Dialogue& dialogue, CoherenceScope scope,
                            const google::protobuf::FieldMask& mask, errors::Violations& violations);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_VALIDATION_H_
