#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_LIFECYCLE_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_LIFECYCLE_H_

// The lifecycle of a dialogue effort (issue 3, "Lifecycle"; DOMAIN.md: SKL's definition
// says a dialogue "is done systematically and its result is used", and the principles ask
// for feedback (7) and evaluation (9)):
//
//   PLANNED → ONGOING → COMPLETED → FEEDBACK_GIVEN → EVALUATED
//      │         │          │
//      └─────────┴──────────┴──→ CANCELLED
//
// | from \ to      | PLANNED | ONGOING | COMPLETED | FEEDBACK_GIVEN | EVALUATED | CANCELLED |
// |----------------|---------|---------|-----------|----------------|-----------|-----------|
// | PLANNED        |    –    |   yes   |     –     |       –        |     –     |    yes    |
// | ONGOING        |    –    |    –    |    yes    |       –        |     –     |    yes    |
// | COMPLETED      |    –    |    –    |     –     |      yes       |     –     |    yes    |
// | FEEDBACK_GIVEN |    –    |    –    |     –     |       –        |    yes    |     –     |
// | EVALUATED      |    –    |    –    |     –     |       –        |     –     |     –     |
// | CANCELLED      |    –    |    –    |     –     |       –        |     –     |     –     |
//
// - One step at a time: no skipping (an archived effort that already happened is
//   registered and then moved through its steps, so each step's facts are recorded).
// - No way back, no transition to the same status: a mistaken transition is corrected by
//   the history, not by reversing facts (DESIGN.md: only accepted facts enter the log).
// - Cancelled (inställd) from planned, ongoing or completed: an effort can be called off
//   before it starts, while it runs, or after it ended if its feedback and evaluation are
//   abandoned. Once feedback has reached the participants (principle 7) the effort took
//   place in full and is not cancelled; it stays FEEDBACK_GIVEN until evaluated, which
//   keeps a missing evaluation (principle 9) visible. EVALUATED and CANCELLED are final.
//   (The comment on DialogueStatus in resources.proto says "cancelled from any state
//   before evaluated"; this table is stricter for FEEDBACK_GIVEN, for the reason above.)
//
// Each status requires facts of the outcome, cumulatively (RequiredForStatus):
// - COMPLETED: outcome.result (what came out) and end_date (when it ended; a completed
//   effort with an open period would overlap every later effort in coordination hints);
// - FEEDBACK_GIVEN: also outcome.feedback.date and outcome.feedback.method (återkoppling,
//   principle 7);
// - EVALUATED: also outcome.evaluation (principle 9).

#include <string>
#include <string_view>
#include <vector>

#include "libs/common/lang.h"
#include "samrad/registry/v1/resources.pb.h"

namespace samrad::registry::domain {

bool IsAllowedTransition(v1::DialogueStatus from, v1::DialogueStatus to);

// The statuses reachable from `from` in one step, in lifecycle order.
std::vector<v1::DialogueStatus> AllowedTransitions(v1::DialogueStatus from);

// The paths (relative to the dialogue, e.g. "outcome.feedback.date") that `status`
// requires, and of those the ones `dialogue` lacks.
std::vector<std::string> RequiredForStatus(v1::DialogueStatus status);
std::vector<std::string> MissingForStatus(const v1::Dialogue& dialogue, v1::DialogueStatus status);

// "planerad", "pågående", "genomförd", "återkopplad", "utvärderad", "inställd" (or
// English).
std::string_view StatusLabel(v1::DialogueStatus status, Lang lang);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_LIFECYCLE_H_
