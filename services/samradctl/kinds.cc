#include "services/samradctl/kinds.h"

#include <vector>

#include "services/samradctl/values.h"

namespace samrad::ctl {
namespace {

struct KindInfo {
  Kind kind;
  std::string_view name;
  std::string_view collection;
  // Other spellings, folded (see Fold): plural and Swedish forms.
  std::vector<std::string_view> aliases;
};

const std::vector<KindInfo>& Kinds() {
  static const std::vector<KindInfo>* const kinds = new std::vector<KindInfo>{
      {Kind::kTenant, "tenant", "", {"tenants", "kommun", "kommuner"}},
      {Kind::kCommittee, "committee", "committees", {"committees", "namnd", "namnder"}},
      {Kind::kAdministration,
       "administration",
       "administrations",
       {"administrations", "forvaltning", "forvaltningar"}},
      {Kind::kArea, "area", "areas", {"areas", "omrade", "omraden"}},
      {Kind::kChannel, "channel", "channels", {"channels", "kanal", "kanaler"}},
      {Kind::kPerson, "person", "people", {"people", "persons", "personer"}},
      {Kind::kAppointment,
       "appointment",
       "appointments",
       {"appointments", "appoint", "uppdrag", "representant", "representanter"}},
      {Kind::kNetwork, "network", "", {"natverk", "natverket"}},
      {Kind::kDialogue,
       "dialogue",
       "dialogues",
       {"dialogues", "dialog", "dialoger", "dialoginsats", "dialoginsatser"}},
      {Kind::kHints,
       "hints",
       "",
       {"hint", "coordination_hints", "tips", "samordningstips", "samordning"}},
      {Kind::kConsultation,
       "consultation",
       "consultations",
       {"consultations", "remiss", "remisser"}},
      {Kind::kOverdue, "overdue", "", {"forsenade", "forsenad"}},
      {Kind::kHistory, "history", "", {"historik", "handelser"}},
  };
  return *kinds;
}

const KindInfo& InfoOf(Kind kind) {
  for (const KindInfo& info : Kinds()) {
    if (info.kind == kind) return info;
  }
  return Kinds().front();  // unreachable: every Kind has an entry
}

}  // namespace

std::optional<Kind> ParseKind(std::string_view text) {
  const std::string folded = Fold(text);
  for (const KindInfo& info : Kinds()) {
    if (folded == info.name) return info.kind;
    for (std::string_view alias : info.aliases) {
      if (folded == alias) return info.kind;
    }
  }
  return std::nullopt;
}

std::string_view KindName(Kind kind) { return InfoOf(kind).name; }

std::string_view CollectionOf(Kind kind) { return InfoOf(kind).collection; }

std::string ResolveName(Kind kind, std::string_view value, std::string_view parent) {
  if (value.find('/') != std::string_view::npos) return std::string(value);
  if (kind == Kind::kTenant) return "tenants/" + std::string(value);
  return std::string(parent) + "/" + std::string(CollectionOf(kind)) + "/" + std::string(value);
}

std::string ResolveAnyName(std::string_view value, std::string_view parent) {
  if (value.starts_with("tenants/")) return std::string(value);
  return std::string(parent) + "/" + std::string(value);
}

}  // namespace samrad::ctl
