// Decide for dialogue efforts: register, update, transition; with the framework rules,
// warnings and coordination hints. The rules are documented in decide.h.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/registry/domain/coordination.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/decide_support.h"
#include "services/registry/domain/field_masks.h"
#include "services/registry/domain/lifecycle.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/rule_texts.h"
#include "services/registry/domain/validation.h"

namespace samrad::registry::domain {
namespace {

using internal::AddEvent;
using internal::AlreadyExists;
using internal::Invalid;
using internal::NotFound;
using internal::Precondition;
using internal::ReferenceRetired;
using internal::StripOutputOnly;
using internal::TenantNotFound;

using Selector = std::function<bool(std::string_view path)>;

constexpr std::string_view kDialogueSv = "Dialoginsatsen";
constexpr std::string_view kDialogueEn = "The dialogue effort";

std::string Indexed(std::string_view field, int index) {
  return absl::StrCat(std::string(field), "[", index, "]");
}

std::string_view TypeLabel(int type, Lang lang) {
  switch (type) {
    case v1::MEDBORGARDIALOG:
      return Tr(lang, "medborgardialog", "citizen dialogue");
    case v1::KUNSKAPSDIALOG:
      return Tr(lang, "kunskapsdialog", "knowledge dialogue");
    case v1::BRUKARDIALOG:
      return Tr(lang, "brukardialog", "user dialogue");
    case v1::KOMMUNVAGLEDNING:
      return Tr(lang, "kommunvägledning", "municipal guidance");
    default:
      return Tr(lang, "okänd typ", "unknown type");
  }
}

// The problems with the resources a dialogue refers to.
struct ReferenceCheck {
  errors::Violations violations;
  // The first reference to a retired committee or administration.
  absl::Status retired;
  std::vector<Warning> warnings;
};

void CheckAdministrationRef(const RegistryView& view, const std::string& field,
                            const std::string& name, ReferenceCheck& out) {
  const std::optional<v1::Administration> administration = view.GetAdministration(name);
  if (!administration.has_value()) {
    out.violations.Add(field, "REFERENCE_NOT_FOUND",
                       texts::UnknownReference("Förvaltningen", "The administration", name));
  } else if (administration->state() == v1::RETIRED && out.retired.ok()) {
    out.retired = ReferenceRetired("ADMINISTRATION_RETIRED", "Förvaltningen", "The administration",
                                   field, name);
  }
}

// References of the fields `sel` selects.
void CheckReferences(const RegistryView& view, const v1::Dialogue& d, const Selector& sel,
                     ReferenceCheck& out) {
  if (sel("lead_administration")) {
    CheckAdministrationRef(view, "dialogue.lead_administration", d.lead_administration(), out);
  }
  if (sel("co_administrations")) {
    for (int i = 0; i < d.co_administrations_size(); ++i) {
      CheckAdministrationRef(view, Indexed("dialogue.co_administrations", i),
                             d.co_administrations(i), out);
    }
  }
  if (sel("responsible_committee") && !d.responsible_committee().empty()) {
    const std::optional<v1::Committee> committee = view.GetCommittee(d.responsible_committee());
    if (!committee.has_value()) {
      out.violations.Add(
          "dialogue.responsible_committee", "REFERENCE_NOT_FOUND",
          texts::UnknownReference("Nämnden", "The committee", d.responsible_committee()));
    } else if (committee->state() == v1::RETIRED && out.retired.ok()) {
      out.retired = ReferenceRetired("COMMITTEE_RETIRED", "Nämnden", "The committee",
                                     "dialogue.responsible_committee", committee->name());
    }
  }
  if (sel("channels")) {
    for (int i = 0; i < d.channels_size(); ++i) {
      const std::string field = Indexed("dialogue.channels", i);
      const std::optional<v1::Channel> channel = view.GetChannel(d.channels(i));
      if (!channel.has_value()) {
        out.violations.Add(field, "REFERENCE_NOT_FOUND",
                           texts::UnknownReference("Kanalen", "The channel", d.channels(i)));
      } else if (channel->state() == v1::RETIRED) {
        out.warnings.push_back(
            {field, "CHANNEL_RETIRED",
             texts::RetiredReference("Kanalen", "The channel", channel->display_name())});
      }
    }
  }
  if (sel("areas")) {
    for (int i = 0; i < d.areas_size(); ++i) {
      const std::string field = Indexed("dialogue.areas", i);
      const std::optional<v1::Area> area = view.GetArea(d.areas(i));
      if (!area.has_value()) {
        out.violations.Add(field, "REFERENCE_NOT_FOUND",
                           texts::UnknownReference("Området", "The area", d.areas(i)));
      } else if (area->state() == v1::RETIRED) {
        out.warnings.push_back(
            {field, "AREA_RETIRED",
             texts::RetiredReference("Området", "The area", area->display_name())});
      }
    }
  }
  if (sel("elected_officials")) {
    for (int i = 0; i < d.elected_officials_size(); ++i) {
      const std::string field = Indexed("dialogue.elected_officials", i);
      const std::optional<v1::Person> person = view.GetPerson(d.elected_officials(i));
      if (!person.has_value()) {
        out.violations.Add(
            field, "REFERENCE_NOT_FOUND",
            texts::UnknownReference("Personen", "The person", d.elected_officials(i)));
      } else if (person->role() != v1::ELECTED_OFFICIAL) {
        out.violations.Add(
            field, "NOT_ELECTED_OFFICIAL",
            {absl::StrCat(person->display_name(),
                          " är inte förtroendevald; här anges bara förtroendevalda som deltar."),
             absl::StrCat(person->display_name(),
                          " is not an elected official; only elected officials taking part are "
                          "listed here.")});
      }
    }
  }
}

// Tabell 2 (DOMAIN.md): who takes part from the city. Violations only when `violations`
// is given; warnings always.
void CheckFramework(const v1::Dialogue& d, errors::Violations* violations,
                    std::vector<Warning>& warnings) {
  const bool has_officials = d.elected_officials_size() > 0;
  const bool citizen_element = d.secondary_type() == v1::MEDBORGARDIALOG;
  switch (d.type()) {
    case v1::MEDBORGARDIALOG:
      if (!has_officials && violations != nullptr) {
        violations->Add("dialogue.elected_officials", "ELECTED_OFFICIALS_REQUIRED",
                        {"En medborgardialog förs av förtroendevalda: ange minst en "
                         "förtroendevald som deltar (tjänstepersoner deltar bara som "
                         "processtöd).",
                         "A citizen dialogue is held by elected officials: give at least one "
                         "elected official taking part (officials take part only as process "
                         "support)."});
      }
      break;
    case v1::KUNSKAPSDIALOG:
      if (has_officials && !citizen_element && violations != nullptr) {
        violations->Add("dialogue.elected_officials", "RUN_BY_OFFICIALS",
                        {"En kunskapsdialog förs av tjänstepersoner; förtroendevalda deltar "
                         "inte, om inte insatsen också är en medborgardialog (sekundär typ).",
                         "A knowledge dialogue is run by officials; elected officials do not "
                         "take part unless the effort is also a citizen dialogue (secondary "
                         "type)."});
      }
      break;
    case v1::BRUKARDIALOG:
    case v1::KOMMUNVAGLEDNING:
      if (has_officials && !citizen_element) {
        warnings.push_back(
            {"dialogue.elected_officials",
             "ELECTED_OFFICIALS_UNUSUAL_FOR_TYPE",
             {absl::StrCat("I en ", std::string(TypeLabel(d.type(), Lang::kSv)),
                           " deltar normalt tjänstepersoner, inte förtroendevalda."),
              absl::StrCat("In a ", std::string(TypeLabel(d.type(), Lang::kEn)),
                           " officials normally take part, not elected officials.")}});
      }
      break;
    default:
      break;
  }
}

// Tabell 3: a channel not usual for the main type is a warning.
void CheckChannelTypes(const RegistryView& view, const v1::Dialogue& d,
                       std::vector<Warning>& warnings) {
  if (d.type() == v1::DIALOGUE_TYPE_UNSPECIFIED) return;
  for (int i = 0; i < d.channels_size(); ++i) {
    const std::optional<v1::Channel> channel = view.GetChannel(d.channels(i));
    if (!channel.has_value()) continue;
    bool usual = false;
    for (int type : channel->usual_types()) usual = usual || type == d.type();
    if (usual) continue;
    warnings.push_back(
        {Indexed("dialogue.channels", i),
         "CHANNEL_UNUSUAL_FOR_TYPE",
         {absl::StrCat("Kanalen ", channel->display_name(), " används vanligen inte för ",
                       std::string(TypeLabel(d.type(), Lang::kSv)), "."),
          absl::StrCat("The channel ", channel->display_name(), " is not usually used for ",
                       std::string(TypeLabel(d.type(), Lang::kEn)), ".")}});
  }
}

std::vector<v1::CoordinationHint> Hints(const RegistryView& view, const v1::Dialogue& d,
                                        const DecideContext& ctx) {
  if (d.areas().empty()) return {};
  const std::string tenant = TenantOf(d.name());
  const AreaGeometry geometry(view.ListAreas(tenant));
  const std::vector<std::string> areas = geometry.Expand({d.areas().begin(), d.areas().end()});
  return FindCoordinationHints(d, view.DialoguesOverlapping(tenant, areas, PeriodOf(d)), geometry,
                               ctx.now);
}

// Records the dialogue's current overlaps: the complete set, which replaces its stored
// hints (HintListsAfter). Nothing when there are none now and none were stored.
void EmitHints(const RegistryView& view, DecideResult& result, const std::string& dialogue,
               std::vector<v1::CoordinationHint> hints) {
  if (hints.empty() && view.HintsFor(dialogue).empty()) return;
  auto* event = AddEvent(result).mutable_coordination_hints_found();
  event->set_dialogue(dialogue);
  for (v1::CoordinationHint& hint : hints) *event->add_hints() = std::move(hint);
}

errors::Text StatusRequires(v1::DialogueStatus status, std::string_view path) {
  return {absl::StrCat("Krävs när dialoginsatsen är ", std::string(StatusLabel(status, Lang::kSv)),
                       " (", std::string(path), ")."),
          absl::StrCat("Required when the effort is ", std::string(StatusLabel(status, Lang::kEn)),
                       " (", std::string(path), ").")};
}

}  // namespace

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::CreateDialogueRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  if (!view.GetTenant(r.parent()).has_value()) return TenantNotFound(r.parent());
  const std::string name = ResourceNameOf(r.parent(), Collection::kDialogues, r.dialogue_id());
  if (view.GetDialogue(name).has_value()) return AlreadyExists(name);

  v1::Dialogue dialogue = r.dialogue();
  dialogue.set_name(name);
  dialogue.set_status(v1::PLANNED);
  *dialogue.mutable_create_time() = ToTimestamp(ctx.now);
  *dialogue.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(dialogue);

  ReferenceCheck check;
  CheckReferences(
      view, dialogue, [](std::string_view) { return true; }, check);
  CheckFramework(dialogue, &check.violations, check.warnings);
  if (!check.violations.empty()) return Invalid(check.violations);
  if (!check.retired.ok()) return check.retired;

  DecideResult result;
  CheckChannelTypes(view, dialogue, result.warnings);
  result.warnings.insert(result.warnings.end(), check.warnings.begin(), check.warnings.end());
  std::vector<v1::CoordinationHint> hints = Hints(view, dialogue, ctx);
  auto* event = AddEvent(result).mutable_dialogue_registered();
  *event->mutable_dialogue() = dialogue;
  for (const Warning& w : result.warnings) *event->add_warnings() = ToRecorded(w);
  EmitHints(view, result, name, std::move(hints));
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view, const v1::UpdateDialogueRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::string& name = r.dialogue().name();
  const std::optional<v1::Dialogue> current = view.GetDialogue(name);
  if (!current.has_value()) return NotFound(kDialogueSv, kDialogueEn, name);
  if (current->status() == v1::CANCELLED) {
    return Precondition("DIALOGUE_CANCELLED",
                        {"Dialoginsatsen är inställd och kan inte ändras.",
                         "The dialogue effort is cancelled and cannot be changed."},
                        {{"name", name}});
  }

  const google::protobuf::FieldMask mask =
      EffectiveMask(r.dialogue(), r.update_mask(), DialogueMaskSpec());
  v1::Dialogue merged = ApplyMask(*current, r.dialogue(), mask);
  *merged.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(merged);

  ReferenceCheck check;
  CheckDialogueCoherence(merged, CoherenceScope::kAnyFieldSelected, mask, check.violations);
  CheckReferences(
      view, merged, [&](std::string_view path) { return MaskSelects(mask, path); }, check);
  const bool framework_touched = MaskTouches(mask, "type") || MaskTouches(mask, "secondary_type") ||
                                 MaskTouches(mask, "elected_officials");
  std::vector<Warning> framework_warnings;
  CheckFramework(merged, framework_touched ? &check.violations : nullptr, framework_warnings);
  if (MaskTouches(mask, "outcome") || MaskTouches(mask, "end_date")) {
    for (const std::string& path : MissingForStatus(merged, merged.status())) {
      check.violations.Add(absl::StrCat("dialogue.", path), "REQUIRED_BY_STATUS",
                           StatusRequires(merged.status(), path));
    }
  }
  if (!check.violations.empty()) return Invalid(check.violations);
  if (!check.retired.ok()) return check.retired;

  DecideResult result;
  CheckChannelTypes(view, merged, result.warnings);
  result.warnings.insert(result.warnings.end(), framework_warnings.begin(),
                         framework_warnings.end());
  result.warnings.insert(result.warnings.end(), check.warnings.begin(), check.warnings.end());
  const bool hints_touched = MaskTouches(mask, "areas") || MaskTouches(mask, "start_date") ||
                             MaskTouches(mask, "end_date") || MaskTouches(mask, "target_groups") ||
                             MaskTouches(mask, "lead_administration");
  std::vector<v1::CoordinationHint> hints;
  if (hints_touched) hints = Hints(view, merged, ctx);
  auto* event = AddEvent(result).mutable_dialogue_updated();
  *event->mutable_dialogue() = std::move(merged);
  *event->mutable_update_mask() = mask;
  for (const Warning& w : result.warnings) *event->add_warnings() = ToRecorded(w);
  // Only a change of where, when, for whom or by whom can change the overlaps.
  if (hints_touched) EmitHints(view, result, name, std::move(hints));
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::TransitionDialogueRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::optional<v1::Dialogue> current = view.GetDialogue(r.name());
  if (!current.has_value()) return NotFound(kDialogueSv, kDialogueEn, r.name());
  const v1::DialogueStatus from = current->status();
  const v1::DialogueStatus to = r.status();
  const std::map<std::string, std::string> metadata = {{"name", r.name()},
                                                       {"from", v1::DialogueStatus_Name(from)},
                                                       {"to", v1::DialogueStatus_Name(to)}};

  if (!IsAllowedTransition(from, to)) {
    std::vector<std::string> next_sv;
    std::vector<std::string> next_en;
    for (v1::DialogueStatus next : AllowedTransitions(from)) {
      next_sv.emplace_back(StatusLabel(next, Lang::kSv));
      next_en.emplace_back(StatusLabel(next, Lang::kEn));
    }
    const std::string from_sv(StatusLabel(from, Lang::kSv));
    const std::string from_en(StatusLabel(from, Lang::kEn));
    errors::Text text{absl::StrCat("En dialoginsats som är ", from_sv, " kan inte bli ",
                                std::string(StatusLabel(to, Lang::kSv)), "."),
                   absl::StrCat("An effort that is ", from_en, " cannot become ",
                                std::string(StatusLabel(to, Lang::kEn)), ".")};
    if (next_sv.empty()) {
      text.sv += " Det är ett slutläge.";
      text.en += " That is a final status.";
    } else {
      absl::StrAppend(&text.sv, " Möjligt nästa steg: ", absl::StrJoin(next_sv, ", "), ".");
      absl::StrAppend(&text.en, " Possible next steps: ", absl::StrJoin(next_en, ", "), ".");
    }
    return Precondition("INVALID_TRANSITION", std::move(text), metadata);
  }

  const std::vector<std::string> missing = MissingForStatus(*current, to);
  if (!missing.empty()) {
    std::map<std::string, std::string> with_fields = metadata;
    with_fields["fields"] = absl::StrJoin(missing, ",");
    return Precondition(
        "OUTCOME_INCOMPLETE",
        {absl::StrCat("För att bli ", std::string(StatusLabel(to, Lang::kSv)),
                      " behöver dialoginsatsen: ", absl::StrJoin(missing, ", "), "."),
         absl::StrCat("To become ", std::string(StatusLabel(to, Lang::kEn)),
                      " the effort needs: ", absl::StrJoin(missing, ", "), ".")},
        std::move(with_fields));
  }
  if (to == v1::FEEDBACK_GIVEN &&
      CompareDates(current->outcome().feedback().date(), ctx.today) > 0) {
    const std::string date = FormatDate(current->outcome().feedback().date());
    return Precondition(
        "FEEDBACK_DATE_IN_FUTURE",
        {absl::StrCat("Återkopplingen är daterad ", date, ", som inte har varit än."),
         absl::StrCat("The feedback is dated ", date, ", which has not come yet.")},
        metadata);
  }

  DecideResult result;
  auto* event = AddEvent(result).mutable_dialogue_status_changed();
  event->set_dialogue(r.name());
  event->set_from(from);
  event->set_to(to);
  // A cancelled effort reaches nobody (coordination.h rule 2): its overlaps end.
  if (to == v1::CANCELLED) EmitHints(view, result, r.name(), {});
  return result;
}

}  // namespace samrad::registry::domain
