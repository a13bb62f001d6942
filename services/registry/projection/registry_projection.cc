#include "services/registry/projection/registry_projection.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/projection/key_codec.h"
#include "libs/runtime/envelope.h"
#include "libs/runtime/service_names.h"
#include "services/registry/domain/coordination.h"
#include "services/registry/domain/text_rules.h"

namespace samrad::registry {
namespace {

namespace keys = projection::keys;
using projection::Cf;
using projection::Transaction;

// The id part of a resource name of `collection` ("" when it is not one).
std::string IdOf(std::string_view name) {
  const auto parsed = domain::ParseResourceName(name);
  return parsed ? parsed->id : std::string();
}

std::string CodeOf(std::string_view name) {
  const auto parsed = domain::ParseResourceName(name);
  return parsed ? parsed->tenant_code : std::string();
}

absl::Status WrongEvent(std::string_view kind, const v1::RegistryEvent& event) {
  return absl::FailedPreconditionError(absl::StrCat("event ",
                                                    std::string(event.metadata().event_type()),
                                                    " does not change a ", std::string(kind)));
}

absl::Status Missing(std::string_view name) {
  return absl::FailedPreconditionError(
      absl::StrCat("event refers to unknown resource ", std::string(name)));
}

// The time of the event (the command path's occurred_at; never the log's timestamp).
const google::protobuf::Timestamp& OccurredAt(const v1::RegistryEvent& event) {
  return event.metadata().occurred_at();
}

int32_t DateNumber(const google::type::Date& date) {
  return date.year() * 10000 + date.month() * 100 + date.day();
}

int64_t Micros(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

template <typename Message>
absl::StatusOr<std::optional<Message>> GetMessage(Transaction& tx, std::string_view key) {
  auto value = tx.Get(Cf::kState, key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<Message>();
  Message message;
  if (!message.ParseFromString(**value)) {
    return absl::DataLossError(absl::StrCat("registry state is corrupt at a ", std::string(key)));
  }
  return std::optional<Message>(std::move(message));
}

// Reads a resource, folds the event into it and writes it back.
template <typename Message, typename Fold>
absl::Status Change(Transaction& tx, domain::Collection collection, std::string_view name,
                    const v1::RegistryEvent& event, const Fold& fold, bool must_exist,
                    std::optional<Message>* before = nullptr, Message* after = nullptr) {
  const auto parsed = domain::ParseResourceName(name);
  if (!parsed || parsed->collection != collection) {
    return absl::FailedPreconditionError(absl::StrCat(
        "event names no ", std::string(AggregateType(collection)), ": ", std::string(name)));
  }
  const std::string key = ResourceKey(collection, parsed->tenant_code, parsed->id);
  auto current = GetMessage<Message>(tx, key);
  if (!current.ok()) return current.status();
  if (must_exist && !current->has_value()) return Missing(name);
  Message state = current->value_or(Message());
  if (absl::Status s = fold(state, event); !s.ok()) return s;
  tx.Put(Cf::kState, key, state.SerializeAsString());
  if (before != nullptr) *before = *std::move(current);
  if (after != nullptr) *after = std::move(state);
  return absl::OkStatus();
}

// Adds `delta` to the count stored under DialogueCountKey(index_prefix).
absl::Status AddToCount(Transaction& tx, std::string_view index_prefix, int64_t delta) {
  const std::string key = DialogueCountKey(index_prefix);
  absl::StatusOr<std::optional<std::string>> raw = tx.Get(Cf::kIndexes, key);
  if (!raw.ok()) return raw.status();
  int64_t count = 0;
  if (raw->has_value()) {
    std::string_view in = **raw;
    if (!keys::ConsumeInt64(&in, &count) || !in.empty()) {
      return absl::DataLossError("registry projection: a dialogue count is corrupt");
    }
  }
  count += delta;
  if (count <= 0) {
    tx.Delete(Cf::kIndexes, key);
  } else {
    tx.Put(Cf::kIndexes, key, keys::EncodeInt64(count));
  }
  return absl::OkStatus();
}

// Replaces the index keys of a dialogue that changed from `before` to `after`, and keeps
// the counts of its attribute values and of the tenant's dialogues.
absl::Status ReindexDialogue(Transaction& tx, const std::optional<v1::Dialogue>& before,
                             const v1::Dialogue& after) {
  // Every key's value is the dialogue's id, which never changes: a key both before and after
  // stays as it is. An update then writes only the keys it changes (a new title: the title
  // key and the two update-time keys) instead of all of them again.
  const std::vector<std::string> new_keys = DialogueIndexKeys(after);
  const std::set<std::string> keep(new_keys.begin(), new_keys.end());
  std::set<std::string> old_keys;
  if (before) {
    for (std::string& key : DialogueIndexKeys(*before)) {
      if (!keep.contains(key)) tx.Delete(Cf::kIndexes, key);
      old_keys.insert(std::move(key));
    }
  }
  const std::string id = IdOf(after.name());
  for (const std::string& key : new_keys) {
    if (!old_keys.contains(key)) tx.Put(Cf::kIndexes, key, id);
  }

  const std::set<std::string> now = DialogueAttributePrefixes(after);
  const std::set<std::string> was = before ? DialogueAttributePrefixes(*before) : now;
  for (const std::string& prefix : now) {
    if (before && was.contains(prefix)) continue;
    if (absl::Status s = AddToCount(tx, prefix, 1); !s.ok()) return s;
  }
  for (const std::string& prefix : was) {
    if (!before || now.contains(prefix)) continue;
    if (absl::Status s = AddToCount(tx, prefix, -1); !s.ok()) return s;
  }
  if (!before) {
    return AddToCount(tx, DialogueOrderPrefix(CodeOf(after.name()), DialogueOrder::kName), 1);
  }
  return absl::OkStatus();
}

// CoordinationHintsFound: the found set replaces the dialogue's hints, and the other sides
// follow (domain::HintListsAfter).
absl::Status EvolveHints(Transaction& tx, const v1::CoordinationHintsFound& found) {
  auto dialogue =
      GetMessage<v1::Dialogue>(tx, ResourceKey(domain::Collection::kDialogues,
                                               CodeOf(found.dialogue()), IdOf(found.dialogue())));
  if (!dialogue.ok()) return dialogue.status();
  if (!dialogue->has_value()) return Missing(found.dialogue());
  absl::Status read_error;
  auto current = [&](const std::string& name) -> std::vector<v1::CoordinationHint> {
    auto list =
        GetMessage<v1::ListCoordinationHintsResponse>(tx, HintsKey(CodeOf(name), IdOf(name)));
    if (!list.ok()) {
      if (read_error.ok()) read_error = list.status();
      return {};
    }
    if (!list->has_value()) return {};
    return {(*list)->hints().begin(), (*list)->hints().end()};
  };
  const auto lists = domain::HintListsAfter(found, (*dialogue)->lead_administration(), current);
  if (!read_error.ok()) return read_error;
  for (const auto& [name, hints] : lists) {
    const std::string key = HintsKey(CodeOf(name), IdOf(name));
    if (hints.empty()) {
      tx.Delete(Cf::kState, key);
      continue;
    }
    v1::ListCoordinationHintsResponse list;
    for (const v1::CoordinationHint& hint : hints) *list.add_hints() = hint;
    tx.Put(Cf::kState, key, list.SerializeAsString());
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view AggregateType(domain::Collection collection) {
  switch (collection) {
    case domain::Collection::kCommittees:
      return "committee";
    case domain::Collection::kAdministrations:
      return "administration";
    case domain::Collection::kAreas:
      return "area";
    case domain::Collection::kChannels:
      return "channel";
    case domain::Collection::kPeople:
      return "person";
    case domain::Collection::kAppointments:
      return "appointment";
    case domain::Collection::kDialogues:
      return "dialogue";
    case domain::Collection::kConsultations:
      return "consultation";
  }
  return "";
}

std::optional<NamedAggregate> AggregateOfName(std::string_view name) {
  if (domain::IsTenantName(name)) {
    const std::string code(name.substr(name.find('/') + 1));
    return NamedAggregate{code, {std::string(kTenantAggregateType), code}};
  }
  const auto parsed = domain::ParseResourceName(name);
  if (!parsed) return std::nullopt;
  return NamedAggregate{parsed->tenant_code,
                        {std::string(AggregateType(parsed->collection)), parsed->id}};
}

std::string ResourceOfEvent(const v1::RegistryEvent& e) {
  switch (e.event_case()) {
    case v1::RegistryEvent::kTenantCreated:
      return domain::TenantName(e.tenant_created().code());
    case v1::RegistryEvent::kCommitteeCreated:
      return e.committee_created().committee().name();
    case v1::RegistryEvent::kCommitteeUpdated:
      return e.committee_updated().committee().name();
    case v1::RegistryEvent::kCommitteeRetired:
      return e.committee_retired().committee();
    case v1::RegistryEvent::kAdministrationCreated:
      return e.administration_created().administration().name();
    case v1::RegistryEvent::kAdministrationUpdated:
      return e.administration_updated().administration().name();
    case v1::RegistryEvent::kAdministrationRetired:
      return e.administration_retired().administration();
    case v1::RegistryEvent::kAreaDefined:
      return e.area_defined().area().name();
    case v1::RegistryEvent::kChannelDefined:
      return e.channel_defined().channel().name();
    case v1::RegistryEvent::kPersonRegistered:
      return e.person_registered().person().name();
    case v1::RegistryEvent::kPersonUpdated:
      return e.person_updated().person().name();
    case v1::RegistryEvent::kRepresentativeAppointed:
      return e.representative_appointed().appointment().name();
    case v1::RegistryEvent::kAppointmentEnded:
      return e.appointment_ended().appointment();
    case v1::RegistryEvent::kDialogueRegistered:
      return e.dialogue_registered().dialogue().name();
    case v1::RegistryEvent::kDialogueUpdated:
      return e.dialogue_updated().dialogue().name();
    case v1::RegistryEvent::kDialogueStatusChanged:
      return e.dialogue_status_changed().dialogue();
    case v1::RegistryEvent::kCoordinationHintsFound:
      return e.coordination_hints_found().dialogue();
    case v1::RegistryEvent::kConsultationOpened:
      return e.consultation_opened().consultation().name();
    case v1::RegistryEvent::kConsultationUpdated:
      return e.consultation_updated().consultation().name();
    case v1::RegistryEvent::kConsultationAnswerRecorded:
      return e.consultation_answer_recorded().consultation();
    case v1::RegistryEvent::EVENT_NOT_SET:
      break;
  }
  return "";
}

std::string TenantKey(std::string_view code) {
  std::string key = "t";
  keys::AppendString(&key, code);
  return key;
}

std::string ResourcePrefix(domain::Collection collection, std::string_view code) {
  std::string key = "r";
  keys::AppendString(&key, domain::CollectionSegment(collection));
  keys::AppendString(&key, code);
  return key;
}

std::string ResourceKey(domain::Collection collection, std::string_view code, std::string_view id) {
  return absl::StrCat(ResourcePrefix(collection, code), std::string(id));
}

std::string HintsKey(std::string_view code, std::string_view dialogue_id) {
  std::string key = "h";
  keys::AppendString(&key, code);
  key.append(dialogue_id);
  return key;
}

std::string DialogueOrderPrefix(std::string_view code, DialogueOrder order) {
  std::string key = "d";
  keys::AppendString(&key, code);
  key.push_back(static_cast<char>(order));
  return key;
}

std::string DialogueAttributePrefix(std::string_view code, DialogueAttribute attribute,
                                    std::string_view value) {
  std::string key = "f";
  keys::AppendString(&key, code);
  key.push_back(static_cast<char>(attribute));
  keys::AppendString(&key, value);
  return key;
}

std::string DialoguePeriodPrefix(std::string_view code, std::string_view area) {
  std::string key = "o";
  keys::AppendString(&key, code);
  keys::AppendString(&key, area);
  return key;
}

int32_t PeriodMonth(const google::type::Date& date) {
  // Out-of-range years map to the first and last month as a whole (clamping the year alone
  // would put 20000-01 before 9999-12).
  if (date.year() < 0) return 0;
  if (date.year() > 9999) return 9999 * 12 + 11;
  return date.year() * 12 + std::clamp(date.month(), 1, 12) - 1;
}

std::vector<std::string> DialogueIndexKeys(const v1::Dialogue& d) {
  const std::string code = CodeOf(d.name());
  const std::string id = IdOf(d.name());
  std::vector<std::string> out;
  auto order = [&](DialogueOrder o, auto&& append_sort_value) {
    std::string key = DialogueOrderPrefix(code, o);
    append_sort_value(key);
    key.append(id);
    out.push_back(std::move(key));
  };
  order(DialogueOrder::kName, [](std::string&) {});
  order(DialogueOrder::kTitle,
        [&](std::string& k) { keys::AppendString(&k, domain::SwedishSortKey(d.title())); });
  const int32_t start = d.has_start_date() ? DateNumber(d.start_date()) : 0;
  order(DialogueOrder::kStartDate, [&](std::string& k) { keys::AppendInt32(&k, start); });
  order(DialogueOrder::kStartDateDesc, [&](std::string& k) { keys::AppendInt32(&k, -start); });
  const int64_t updated = Micros(d.update_time());
  order(DialogueOrder::kUpdateTime, [&](std::string& k) { keys::AppendInt64(&k, updated); });
  order(DialogueOrder::kUpdateTimeDesc, [&](std::string& k) { keys::AppendInt64(&k, -updated); });

  for (const std::string& prefix : DialogueAttributePrefixes(d)) {
    out.push_back(absl::StrCat(prefix, id));
  }

  int32_t first = kUnboundedPeriodMonth;
  int32_t last = kUnboundedPeriodMonth;
  if (d.has_start_date() && d.has_end_date()) {
    const int32_t start_month = PeriodMonth(d.start_date());
    const int32_t end_month = PeriodMonth(d.end_date());
    if (start_month <= end_month && end_month - start_month < kMaxBucketedMonths) {
      first = start_month;
      last = end_month;
    }
  }
  for (const std::string& area : std::set<std::string>(d.areas().begin(), d.areas().end())) {
    const std::string prefix = DialoguePeriodPrefix(code, area);
    for (int64_t month = first; month <= last; ++month) {
      std::string key = prefix;
      keys::AppendInt32(&key, static_cast<int32_t>(month));
      key.append(id);
      out.push_back(std::move(key));
    }
  }
  return out;
}

std::set<std::string> DialogueAttributePrefixes(const v1::Dialogue& d) {
  const std::string code = CodeOf(d.name());
  std::set<std::string> out;
  auto attribute = [&](DialogueAttribute a, std::string_view value) {
    out.insert(DialogueAttributePrefix(code, a, value));
  };
  for (const std::string& area : d.areas()) attribute(DialogueAttribute::kArea, area);
  for (const std::string& a : d.co_administrations()) {
    attribute(DialogueAttribute::kAdministration, a);
  }
  if (!d.lead_administration().empty()) {
    attribute(DialogueAttribute::kAdministration, d.lead_administration());
  }
  if (!d.responsible_committee().empty()) {
    attribute(DialogueAttribute::kCommittee, d.responsible_committee());
  }
  attribute(DialogueAttribute::kType, absl::StrCat(static_cast<int>(d.type())));
  attribute(DialogueAttribute::kStatus, absl::StrCat(static_cast<int>(d.status())));
  return out;
}

std::string DialogueCountKey(std::string_view index_prefix) {
  return absl::StrCat("c", std::string(index_prefix));
}

absl::StatusOr<int64_t> DialogueCount(const projection::ReadView& view,
                                      std::string_view index_prefix) {
  absl::StatusOr<std::optional<std::string>> raw =
      view.Get(Cf::kIndexes, DialogueCountKey(index_prefix));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return 0;
  std::string_view in = **raw;
  int64_t count = 0;
  if (!keys::ConsumeInt64(&in, &count) || !in.empty()) {
    return absl::DataLossError("registry projection: a dialogue count is corrupt");
  }
  return count;
}

std::string AppointmentPrefix(std::string_view code, std::string_view administration,
                              v1::Track track) {
  std::string key = "p";
  keys::AppendString(&key, code);
  keys::AppendString(&key, administration);
  if (track != v1::TRACK_UNSPECIFIED) keys::AppendInt32(&key, static_cast<int32_t>(track));
  return key;
}

absl::Status FoldTenant(v1::Tenant& tenant, const v1::RegistryEvent& event) {
  if (event.event_case() != v1::RegistryEvent::kTenantCreated) return WrongEvent("tenant", event);
  tenant.set_name(domain::TenantName(event.tenant_created().code()));
  tenant.set_code(event.tenant_created().code());
  tenant.set_display_name(event.tenant_created().name());
  *tenant.mutable_create_time() = OccurredAt(event);
  return absl::OkStatus();
}

absl::Status FoldCommittee(v1::Committee& committee, const v1::RegistryEvent& event) {
  switch (event.event_case()) {
    case v1::RegistryEvent::kCommitteeCreated:
      committee = event.committee_created().committee();
      return absl::OkStatus();
    case v1::RegistryEvent::kCommitteeUpdated:
      committee = event.committee_updated().committee();
      return absl::OkStatus();
    case v1::RegistryEvent::kCommitteeRetired:
      committee.set_state(v1::RETIRED);
      *committee.mutable_update_time() = OccurredAt(event);
      return absl::OkStatus();
    default:
      return WrongEvent("committee", event);
  }
}

absl::Status FoldAdministration(v1::Administration& administration,
                                const v1::RegistryEvent& event) {
  switch (event.event_case()) {
    case v1::RegistryEvent::kAdministrationCreated:
      administration = event.administration_created().administration();
      return absl::OkStatus();
    case v1::RegistryEvent::kAdministrationUpdated:
      administration = event.administration_updated().administration();
      return absl::OkStatus();
    case v1::RegistryEvent::kAdministrationRetired:
      administration.set_state(v1::RETIRED);
      *administration.mutable_update_time() = OccurredAt(event);
      return absl::OkStatus();
    default:
      return WrongEvent("administration", event);
  }
}

absl::Status FoldArea(v1::Area& area, const v1::RegistryEvent& event) {
  if (event.event_case() != v1::RegistryEvent::kAreaDefined) return WrongEvent("area", event);
  area = event.area_defined().area();
  return absl::OkStatus();
}

absl::Status FoldChannel(v1::Channel& channel, const v1::RegistryEvent& event) {
  if (event.event_case() != v1::RegistryEvent::kChannelDefined) {
    return WrongEvent("channel", event);
  }
  channel = event.channel_defined().channel();
  return absl::OkStatus();
}

absl::Status FoldPerson(v1::Person& person, const v1::RegistryEvent& event) {
  switch (event.event_case()) {
    case v1::RegistryEvent::kPersonRegistered:
      person = event.person_registered().person();
      return absl::OkStatus();
    case v1::RegistryEvent::kPersonUpdated:
      person = event.person_updated().person();
      return absl::OkStatus();
    default:
      return WrongEvent("person", event);
  }
}

absl::Status FoldAppointment(v1::Appointment& appointment, const v1::RegistryEvent& event) {
  switch (event.event_case()) {
    case v1::RegistryEvent::kRepresentativeAppointed:
      appointment = event.representative_appointed().appointment();
      return absl::OkStatus();
    case v1::RegistryEvent::kAppointmentEnded:
      *appointment.mutable_end_date() = event.appointment_ended().end_date();
      return absl::OkStatus();
    default:
      return WrongEvent("appointment", event);
  }
}

absl::Status FoldDialogue(v1::Dialogue& dialogue, const v1::RegistryEvent& event) {
  switch (event.event_case()) {
    case v1::RegistryEvent::kDialogueRegistered:
      dialogue = event.dialogue_registered().dialogue();
      return absl::OkStatus();
    case v1::RegistryEvent::kDialogueUpdated:
      dialogue = event.dialogue_updated().dialogue();
      return absl::OkStatus();
    case v1::RegistryEvent::kDialogueStatusChanged:
      dialogue.set_status(event.dialogue_status_changed().to());
      *dialogue.mutable_update_time() = OccurredAt(event);
      return absl::OkStatus();
    case v1::RegistryEvent::kCoordinationHintsFound:
      // Hints are kept beside the dialogue (HintsKey); the dialogue itself is unchanged,
      // but the event is part of its history and counts in its version.
      return absl::OkStatus();
    default:
      return WrongEvent("dialogue", event);
  }
}

absl::Status FoldConsultation(v1::Consultation& consultation, const v1::RegistryEvent& event) {
  switch (event.event_case()) {
    case v1::RegistryEvent::kConsultationOpened:
      consultation = event.consultation_opened().consultation();
      return absl::OkStatus();
    case v1::RegistryEvent::kConsultationUpdated:
      consultation = event.consultation_updated().consultation();
      return absl::OkStatus();
    case v1::RegistryEvent::kConsultationAnswerRecorded: {
      // One answer per body: a correction replaces the body's answer in place.
      const v1::ConsultationAnswer& answer = event.consultation_answer_recorded().answer();
      bool replaced = false;
      for (v1::ConsultationAnswer& existing : *consultation.mutable_answers()) {
        if (existing.body() == answer.body()) {
          existing = answer;
          replaced = true;
        }
      }
      if (!replaced) *consultation.add_answers() = answer;
      *consultation.mutable_update_time() = OccurredAt(event);
      return absl::OkStatus();
    }
    default:
      return WrongEvent("consultation", event);
  }
}

absl::Status EvolveRegistryEvent(const v1::RegistryEvent& event, Transaction& tx) {
  using domain::Collection;
  const std::string name = ResourceOfEvent(event);
  switch (event.event_case()) {
    case v1::RegistryEvent::kTenantCreated: {
      v1::Tenant tenant;
      if (absl::Status s = FoldTenant(tenant, event); !s.ok()) return s;
      tx.Put(Cf::kState, TenantKey(tenant.code()), tenant.SerializeAsString());
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kCommitteeCreated:
    case v1::RegistryEvent::kCommitteeUpdated:
    case v1::RegistryEvent::kCommitteeRetired:
      return Change<v1::Committee>(tx, Collection::kCommittees, name, event, FoldCommittee,
                                   event.event_case() != v1::RegistryEvent::kCommitteeCreated);
    case v1::RegistryEvent::kAdministrationCreated:
    case v1::RegistryEvent::kAdministrationUpdated:
    case v1::RegistryEvent::kAdministrationRetired:
      return Change<v1::Administration>(
          tx, Collection::kAdministrations, name, event, FoldAdministration,
          event.event_case() != v1::RegistryEvent::kAdministrationCreated);
    case v1::RegistryEvent::kAreaDefined:
      return Change<v1::Area>(tx, Collection::kAreas, name, event, FoldArea, false);
    case v1::RegistryEvent::kChannelDefined:
      return Change<v1::Channel>(tx, Collection::kChannels, name, event, FoldChannel, false);
    case v1::RegistryEvent::kPersonRegistered:
    case v1::RegistryEvent::kPersonUpdated:
      return Change<v1::Person>(tx, Collection::kPeople, name, event, FoldPerson,
                                event.event_case() == v1::RegistryEvent::kPersonUpdated);
    case v1::RegistryEvent::kRepresentativeAppointed:
    case v1::RegistryEvent::kAppointmentEnded: {
      v1::Appointment after;
      absl::Status s = Change<v1::Appointment>(
          tx, Collection::kAppointments, name, event, FoldAppointment,
          event.event_case() == v1::RegistryEvent::kAppointmentEnded, nullptr, &after);
      if (!s.ok()) return s;
      // administration and track never change after the appointment, so the index key is
      // written once and rewritten identically.
      tx.Put(Cf::kIndexes,
             absl::StrCat(AppointmentPrefix(CodeOf(name), after.administration(), after.track()),
                          IdOf(name)),
             IdOf(name));
      return absl::OkStatus();
    }
    case v1::RegistryEvent::kDialogueRegistered:
    case v1::RegistryEvent::kDialogueUpdated:
    case v1::RegistryEvent::kDialogueStatusChanged: {
      std::optional<v1::Dialogue> before;
      v1::Dialogue after;
      absl::Status s = Change<v1::Dialogue>(
          tx, Collection::kDialogues, name, event, FoldDialogue,
          event.event_case() != v1::RegistryEvent::kDialogueRegistered, &before, &after);
      if (!s.ok()) return s;
      return ReindexDialogue(tx, before, after);
    }
    case v1::RegistryEvent::kCoordinationHintsFound:
      return EvolveHints(tx, event.coordination_hints_found());
    case v1::RegistryEvent::kConsultationOpened:
    case v1::RegistryEvent::kConsultationUpdated:
    case v1::RegistryEvent::kConsultationAnswerRecorded:
      return Change<v1::Consultation>(tx, Collection::kConsultations, name, event, FoldConsultation,
                                      event.event_case() != v1::RegistryEvent::kConsultationOpened);
    case v1::RegistryEvent::EVENT_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("registry event without a case");
}

absl::StatusOr<runtime::ApplyOutcome> ApplyRegistryEntry(const eventlog::TopicPartition& source,
                                                         const eventlog::Entry& entry,
                                                         Transaction& tx) {
  auto event = runtime::DecodeEnvelope<v1::RegistryEvent>(source, entry);
  // A case added by a newer build parses as EVENT_NOT_SET (its field is unknown here).
  if (!event || event->event_case() == v1::RegistryEvent::EVENT_NOT_SET) {
    return runtime::ApplyOutcome::kUnknown;
  }
  if (absl::Status s = EvolveRegistryEvent(*event, tx); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat(source.ToString(), "@", entry.offset, ": ",
                                               std::string(s.message())));
  }
  return runtime::ApplyOutcome::kApplied;
}

std::optional<command::AggregateRef> AggregateOfRegistryEvent(
    const google::protobuf::Message& event) {
  const std::optional<NamedAggregate> target =
      AggregateOfName(ResourceOfEvent(static_cast<const v1::RegistryEvent&>(event)));
  if (!target) return std::nullopt;
  return target->ref;
}

}  // namespace samrad::registry
