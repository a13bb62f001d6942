#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_PRINCIPLES_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_PRINCIPLES_H_

// The ten principles of the beredningsmodell (KF 2009, KS-KOM-2009-00447; DOMAIN.md, "The
// ten principles"). The follow-ups found the model little known and little used, so the
// registry makes each principle visible per effort: evidenced or missing, with an
// explanation derived from the effort's own fields. A missing principle is not an error;
// it is what the network and the annual report look at.
//
// | # | principle (short)                               | evidenced when                          |
// |---|-------------------------------------------------|-----------------------------------------|
// | 1 | proposals affecting residents: dialogue is      | influence.case_number is set: the       |
// |   | considered, the position stated in the decision | effort is tied to the case whose        |
// |   | material                                        | decision material states the position   |
// | 2 | residents have at least the right to be heard   | participation_level is KONSULTATION or  |
// |   |                                                 | higher (views are taken in, not only    |
// |   |                                                 | information given) and a question is    |
// |   |                                                 | asked                                   |
// | 3 | plans, programmes, policies: a dialogue informs | influence.decision is set: the plan or  |
// |   | why                                             | decision the effort informs is named    |
// | 4 | early: how views are handled and how residents  | influence.what_can_be_influenced AND    |
// |   | can influence                                   | influence.decision are set              |
// | 5 | good conditions to take part; outreach          | outcome.outreach is described, or the   |
// |   |                                                 | effort uses two or more channels        |
// | 6 | children and young people get special attention | target groups include CHILDREN or       |
// |   |                                                 | YOUNG_PEOPLE, or a free-text target     |
// |   |                                                 | group names them (barn, unga, ungdom,   |
// |   |                                                 | elev, children, young)                  |
// | 7 | the result is fed back (återkoppling)           | outcome.feedback has a date and a method|
// | 8 | cooperation with associations and organisations | target groups include ASSOCIATIONS, or  |
// |   |                                                 | the channel "Dialog med föreningslivet" |
// |   |                                                 | (id dialog-med-foreningslivet) is used  |
// | 9 | the process is evaluated                        | outcome.evaluation is set               |
// |10 | elected officials make the trade-offs and answer| elected officials take part, or a       |
// |   | for the whole                                   | responsible committee is named          |

#include <vector>

#include "libs/common/lang.h"
#include "samrad/registry/v1/resources.pb.h"

namespace samrad::registry::domain {

// The channel id that evidences principle 8 (Tabell 3, deploy/config/malmo.json).
inline constexpr char kAssociationsChannelId[] = "dialog-med-foreningslivet";

// Ten assessments, principles 1..10 in order, explanations in `lang`.
std::vector<v1::PrincipleAssessment> AssessPrinciples(const v1::Dialogue& dialogue,
                                                      Lang lang = Lang::kSv);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_PRINCIPLES_H_
