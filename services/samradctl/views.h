#ifndef SAMRAD_SERVICES_SAMRADCTL_VIEWS_H_
#define SAMRAD_SERVICES_SAMRADCTL_VIEWS_H_

// What each registry resource looks like in samradctl's tables: the details of one
// resource (`get`, and the answer of a write) and the columns of a list. Headers, labels and
// enum values are Swedish unless `lang` is English. References to other resources are shown
// by their id ("stadskontoret", not "tenants/1280/administrations/stadskontoret"); the
// resource's own name is shown in full.

#include <ostream>
#include <string>

#include "google/protobuf/repeated_field.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "libs/common/lang.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/registry/v1/registry_service.pb.h"
#include "samrad/registry/v1/resources.pb.h"
#include "services/samradctl/output.h"

namespace samrad::ctl {

template <typename T>
using Repeated = google::protobuf::RepeatedPtrField<T>;

Details DetailsOf(const registry::v1::Tenant& tenant, Lang lang);
Details DetailsOf(const registry::v1::Committee& committee, Lang lang);
Details DetailsOf(const registry::v1::Administration& administration, Lang lang);
Details DetailsOf(const registry::v1::Area& area, Lang lang);
Details DetailsOf(const registry::v1::Channel& channel, Lang lang);
Details DetailsOf(const registry::v1::Person& person, Lang lang);
Details DetailsOf(const registry::v1::Appointment& appointment, Lang lang);
Details DetailsOf(const registry::v1::Dialogue& dialogue, Lang lang);
Details DetailsOf(const registry::v1::Consultation& consultation, Lang lang);

Table TableOf(const Repeated<registry::v1::Committee>& committees, Lang lang);
Table TableOf(const Repeated<registry::v1::Administration>& administrations, Lang lang);
Table TableOf(const Repeated<registry::v1::Area>& areas, Lang lang);
Table TableOf(const Repeated<registry::v1::Channel>& channels, Lang lang);
Table TableOf(const Repeated<registry::v1::Person>& people, Lang lang);
Table TableOf(const Repeated<registry::v1::Appointment>& appointments, Lang lang);
Table TableOf(const Repeated<registry::v1::Dialogue>& dialogues, Lang lang);
Table TableOf(const Repeated<registry::v1::Consultation>& consultations, Lang lang);
Table TableOf(const Repeated<registry::v1::CoordinationHint>& hints, Lang lang);
Table TableOf(const Repeated<registry::v1::OverdueBody>& overdue, Lang lang);
// `history`: version, local time (Europe/Stockholm), actor, event, reason, request id.
Table TableOf(const Repeated<registry::v1::RegistryEvent>& events, Lang lang);
// The network on a date: the members, then the vacancies (marked as such).
Table TableOf(const Repeated<registry::v1::NetworkMember>& members, Lang lang);

// What happened in an event, in words: "dialoginsats ändrad (title, areas)",
// "status ändrad: planerad → pågående".
std::string EventSummary(const registry::v1::RegistryEvent& event, Lang lang);

// After the dialogue of a CreateDialogue/UpdateDialogue: the warnings ("  field:
// description") and the coordination hints, each under a heading; nothing when both are
// empty.
void PrintWarningsAndHints(const Repeated<registry::v1::Warning>& warnings,
                           const Repeated<registry::v1::CoordinationHint>& hints, Lang lang,
                           std::ostream& out);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_VIEWS_H_
