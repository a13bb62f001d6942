#ifndef SAMRAD_SERVICES_SAMRADCTL_KINDS_H_
#define SAMRAD_SERVICES_SAMRADCTL_KINDS_H_

// The kinds of things samradctl reads and writes, and how a short id given on the command
// line becomes a resource name ("lindangen-trygghet" → "tenants/1280/dialogues/
// lindangen-trygghet").

#include <optional>
#include <string>
#include <string_view>

#include "libs/common/lang.h"

namespace samrad::ctl {

enum class Kind {
  kTenant,
  kCommittee,
  kAdministration,
  kArea,
  kChannel,
  kPerson,
  kAppointment,
  // The representatives of every administration and track on a date.
  kNetwork,
  kDialogue,
  // Coordination hints of one dialogue.
  kHints,
  kConsultation,
  // Bodies that have not answered a consultation in time.
  kOverdue,
  // The events of one resource.
  kHistory,
};

// English singular or plural ("dialogue", "dialogues") or Swedish ("dialog",
// "dialoginsats", "nämnd", "förvaltning", "remiss", ...), case-insensitively.
std::optional<Kind> ParseKind(std::string_view text);

// The canonical English singular, e.g. "dialogue".
std::string_view KindName(Kind kind);

// The collection segment of the resource name, e.g. "dialogues"; "" for kinds that are no
// collection of a tenant (tenant, network, hints, overdue, history).
std::string_view CollectionOf(Kind kind);

// The resource name `value` denotes as a `kind`: a value containing '/' is a name already
// and kept; an id becomes "{parent}/{collection}/{id}", and for kTenant "tenants/{code}".
std::string ResolveName(Kind kind, std::string_view value, std::string_view parent);

// Any resource name (for `history`): "tenants/..." is kept, anything else is relative to
// the parent ("dialogues/x" → "tenants/1280/dialogues/x").
std::string ResolveAnyName(std::string_view value, std::string_view parent);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_KINDS_H_
