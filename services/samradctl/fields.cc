#include "services/samradctl/fields.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/type/date.pb.h"
#include "services/samradctl/enum_labels.h"
#include "services/samradctl/usage_error.h"
#include "services/samradctl/values.h"

namespace samrad::ctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr FieldSpec kCommitteeFields[] = {
    {"display_name", "display-name", std::nullopt, "Nämndens namn", "The committee's name"},
    {"administration", "administration", Kind::kAdministration,
     "Förvaltningen som betjänar nämnden (id eller namn)",
     "The administration serving it (id or name)"},
    {"charter_citizen_dialogue", "charter-citizen-dialogue", std::nullopt,
     "Reglementet kräver medborgardialog (ja/nej)",
     "Charter duty to work for citizen dialogue (yes/no)"},
    {"charter_user_consultation", "charter-user-consultation", std::nullopt,
     "Reglementet kräver samråd med brukare (ja/nej)",
     "Charter duty to consult service users (yes/no)"},
    {"coordinator", "coordinator", std::nullopt, "Kommunstyrelsen, som samordnar (ja/nej)",
     "Kommunstyrelsen, the coordinator (yes/no)"},
};

constexpr FieldSpec kAdministrationFields[] = {
    {"display_name", "display-name", std::nullopt, "Förvaltningens namn",
     "The administration's name"},
    {"committee", "committee", Kind::kCommittee, "Nämnden den betjänar (id eller namn)",
     "The committee it serves (id or name)"},
};

constexpr FieldSpec kPersonFields[] = {
    {"display_name", "display-name", std::nullopt, "Namn", "Name"},
    {"email", "email", std::nullopt, "E-postadress", "E-mail address"},
    {"role", "role", std::nullopt, "Roll: tjänsteperson eller förtroendevald",
     "Role: official or elected official"},
};

constexpr FieldSpec kAppointmentFields[] = {
    {"person", "person", Kind::kPerson, "Personen som utses (id eller namn)",
     "The person appointed (id or name)"},
    {"administration", "administration", Kind::kAdministration,
     "Förvaltningen personen representerar", "The administration represented"},
    {"track", "track", std::nullopt, "Spår: medborgardialog eller kunskapsdialog",
     "Track: medborgardialog or kunskapsdialog"},
    {"start_date", "start-date", std::nullopt, "Från och med (ÅÅÅÅ-MM-DD)", "From (YYYY-MM-DD)"},
    // end_date is exclusive (services/registry/domain/network.h): the first day without it.
    {"end_date", "end-date", std::nullopt,
     "Första dag utan uppdraget (ÅÅÅÅ-MM-DD; det gäller till och med dagen före)",
     "First day without the appointment (YYYY-MM-DD; it runs until the day before)"},
    {"substitute", "substitute", Kind::kPerson, "Ersättare (person)", "Substitute (a person)"},
};

constexpr FieldSpec kDialogueFields[] = {
    {"title", "title", std::nullopt, "Titel", "Title"},
    {"question", "question", std::nullopt, "Frågan som invånarna får",
     "The question residents are asked"},
    {"type", "type", std::nullopt,
     "Huvudtyp: medborgardialog, kunskapsdialog, brukardialog, kommunvägledning",
     "Main type: medborgardialog, kunskapsdialog, brukardialog, kommunvägledning"},
    {"secondary_type", "secondary-type", std::nullopt, "Typ som insatsen också överlappar",
     "A type the effort overlaps as well"},
    {"participation_level", "participation-level", std::nullopt,
     "Delaktighetstrappan: information, konsultation, dialog, inflytande, medbestämmande",
     "Participation ladder: information, consultation, dialogue, influence, co-decision"},
    {"channels", "channel", Kind::kChannel, "Kanal (upprepas eller kommaseparerad)",
     "Channel (repeat or comma-separated)"},
    {"target_groups", "target-group", std::nullopt,
     "Målgrupp, t.ex. barn, unga, medborgare (upprepas eller kommaseparerad)",
     "Target group, e.g. children, young people, citizens (repeat or comma-separated)"},
    {"other_target_groups", "other-target-group", std::nullopt, "Annan målgrupp, fritext",
     "Other target group, free text"},
    {"areas", "area", Kind::kArea, "Område (upprepas eller kommaseparerad)",
     "Area (repeat or comma-separated)"},
    {"area_description", "area-description", std::nullopt, "Plats i fritext", "Place in free text"},
    {"start_date", "start-date", std::nullopt, "Startdatum (ÅÅÅÅ-MM-DD)",
     "Start date (YYYY-MM-DD)"},
    {"end_date", "end-date", std::nullopt, "Slutdatum (ÅÅÅÅ-MM-DD)", "End date (YYYY-MM-DD)"},
    {"lead_administration", "lead-administration", Kind::kAdministration, "Ansvarig förvaltning",
     "Lead administration"},
    {"co_administrations", "co-administration", Kind::kAdministration,
     "Medverkande förvaltning (upprepas eller kommaseparerad)",
     "Co-administration (repeat or comma-separated)"},
    {"responsible_committee", "responsible-committee", Kind::kCommittee, "Ansvarig nämnd",
     "Responsible committee"},
    {"elected_officials", "elected-official", Kind::kPerson,
     "Deltagande förtroendevald (person; upprepas eller kommaseparerad)",
     "Elected official taking part (a person; repeat or comma-separated)"},
    {"influence.what_can_be_influenced", "what-can-be-influenced", std::nullopt,
     "Påverkbarhet: vad som kan påverkas", "What can be influenced"},
    {"influence.decision", "decision", std::nullopt, "Beslutet som resultatet ska påverka",
     "The decision the result feeds"},
    {"influence.case_number", "case-number", std::nullopt, "Diarienummer, t.ex. STK-2018-90",
     "Case number, e.g. STK-2018-90"},
    {"outcome.outreach", "outreach", std::nullopt, "Uppsökande arbete", "Outreach"},
    {"outcome.participant_count", "participant-count", std::nullopt, "Antal deltagare",
     "Number of participants"},
    {"outcome.result", "result", std::nullopt, "Resultat", "Result"},
    {"outcome.result_use", "result-use", std::nullopt, "Hur resultatet användes",
     "How the result was used"},
    {"outcome.feedback.date", "feedback-date", std::nullopt, "Återkoppling: datum",
     "Feedback: date"},
    {"outcome.feedback.method", "feedback-method", std::nullopt, "Återkoppling: hur",
     "Feedback: how"},
    {"outcome.evaluation", "evaluation", std::nullopt, "Utvärdering", "Evaluation"},
    {"outcome.lessons_learned", "lessons-learned", std::nullopt, "Lärdomar", "Lessons learned"},
};

constexpr FieldSpec kConsultationFields[] = {
    {"case_number", "case-number", std::nullopt, "Diarienummer, t.ex. STK-2018-90",
     "Case number, e.g. STK-2018-90"},
    {"title", "title", std::nullopt, "Titel", "Title"},
    {"questions", "question", std::nullopt, "Fråga till remissinstanserna (upprepas)",
     "Question to the bodies (repeat)"},
    {"bodies", "body", Kind::kCommittee, "Remissinstans, en nämnd (upprepas eller kommaseparerad)",
     "Body asked, a committee (repeat or comma-separated)"},
    {"start_date", "start-date", std::nullopt, "Remisstidens början (ÅÅÅÅ-MM-DD)",
     "Start of the round (YYYY-MM-DD)"},
    {"deadline", "deadline", std::nullopt, "Sista svarsdag (ÅÅÅÅ-MM-DD)", "Deadline (YYYY-MM-DD)"},
};

std::string Normalized(std::string_view key) {
  std::string out(key);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

// "--case-number (influence.case_number)": how messages name a field.
std::string FieldTitle(const FieldSpec& spec) {
  return absl::StrCat("--", std::string(spec.flag), " (", std::string(spec.path), ")");
}

absl::Status BadValue(const FieldSpec& spec, const std::string& raw, std::string_view expected_sv,
                      std::string_view expected_en, Lang lang) {
  return UsageError(lang,
                    absl::StrCat(FieldTitle(spec), ": ogiltigt värde \"", raw, "\"; ",
                                 std::string(expected_sv), "."),
                    absl::StrCat(FieldTitle(spec), ": invalid value \"", raw, "\"; ",
                                 std::string(expected_en), "."));
}

// One field being set: where, and what the flag says about it.
struct Target {
  Message& message;
  const FieldDescriptor* field;
  const FieldSpec& spec;
  Lang lang;

  const Reflection* r() const { return message.GetReflection(); }
  absl::Status Bad(const std::string& raw, std::string_view expected_sv,
                   std::string_view expected_en) const {
    return BadValue(spec, raw, expected_sv, expected_en, lang);
  }
};

absl::Status SetString(const Target& t, const std::string& raw, std::string_view parent) {
  std::string value = t.spec.ref ? ResolveName(*t.spec.ref, raw, parent) : raw;
  t.field->is_repeated() ? t.r()->AddString(&t.message, t.field, std::move(value))
                         : t.r()->SetString(&t.message, t.field, std::move(value));
  return absl::OkStatus();
}

absl::Status SetEnum(const Target& t, const std::string& raw) {
  std::optional<int> number = ParseEnum(t.field->enum_type(), raw);
  if (!number) {
    const std::string choices = EnumChoices(t.field->enum_type(), t.lang);
    return t.Bad(raw, "giltiga är " + choices, "valid ones are " + choices);
  }
  t.field->is_repeated() ? t.r()->AddEnumValue(&t.message, t.field, *number)
                         : t.r()->SetEnumValue(&t.message, t.field, *number);
  return absl::OkStatus();
}

absl::Status SetBool(const Target& t, const std::string& raw) {
  std::optional<bool> value = ParseBool(raw);
  if (!value) return t.Bad(raw, "ange ja eller nej", "give yes or no");
  t.r()->SetBool(&t.message, t.field, *value);
  return absl::OkStatus();
}

absl::Status SetInteger(const Target& t, const std::string& raw) {
  const bool wide = t.field->cpp_type() == FieldDescriptor::CPPTYPE_INT64;
  int64_t value = 0;
  if (!absl::SimpleAtoi(raw, &value) || (!wide && (value < INT32_MIN || value > INT32_MAX))) {
    return t.Bad(raw, "ange ett heltal", "give a whole number");
  }
  wide ? t.r()->SetInt64(&t.message, t.field, value)
       : t.r()->SetInt32(&t.message, t.field, static_cast<int32_t>(value));
  return absl::OkStatus();
}

absl::Status SetDate(const Target& t, const std::string& raw) {
  std::optional<google::type::Date> date = ParseDate(raw);
  if (!date) return t.Bad(raw, "ange ett datum ÅÅÅÅ-MM-DD", "give a date YYYY-MM-DD");
  t.r()->MutableMessage(&t.message, t.field)->CopyFrom(*date);
  return absl::OkStatus();
}

// Sets (or, for a repeated field, adds) one value of `field` on `message`.
absl::Status SetValue(Message& message, const FieldDescriptor* field, const FieldSpec& spec,
                      const std::string& raw, std::string_view parent, Lang lang) {
  const Target target{message, field, spec, lang};
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return SetString(target, raw, parent);
    case FieldDescriptor::CPPTYPE_ENUM:
      return SetEnum(target, raw);
    case FieldDescriptor::CPPTYPE_BOOL:
      return SetBool(target, raw);
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
      return SetInteger(target, raw);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field->message_type() == google::type::Date::descriptor()) return SetDate(target, raw);
      [[fallthrough]];
    default:
      // Only the types of the field tables above are supported.
      return absl::InternalError(absl::StrCat("samradctl cannot set ", std::string(spec.path)));
  }
}

// The message holding the last segment of `path` and that segment's descriptor; creates
// the sub-messages on the way ("outcome.feedback.date" → outcome.feedback, "date").
std::pair<Message*, const FieldDescriptor*> Locate(Message& resource, std::string_view path) {
  Message* message = &resource;
  std::vector<std::string> segments = absl::StrSplit(std::string(path), '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(segments[i]);
    if (field == nullptr) return {nullptr, nullptr};
    if (i + 1 == segments.size()) return {message, field};
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
      return {nullptr, nullptr};
    }
    message = message->GetReflection()->MutableMessage(message, field);
  }
  return {nullptr, nullptr};
}

absl::Status ApplyField(Message& resource, const FieldSpec& spec,
                        const std::vector<std::string>& raw_values, std::string_view parent,
                        Lang lang) {
  auto [message, field] = Locate(resource, spec.path);
  if (field == nullptr) {
    return absl::InternalError(absl::StrCat("no field ", std::string(spec.path), " in ",
                                            resource.GetDescriptor()->full_name()));
  }
  message->GetReflection()->ClearField(message, field);
  if (!field->is_repeated()) {
    if (raw_values.size() > 1) {
      return UsageError(lang, absl::StrCat(FieldTitle(spec), " får bara anges en gång."),
                        absl::StrCat(FieldTitle(spec), " can be given only once."));
    }
    // An empty value leaves the field cleared: how an update removes a value.
    if (raw_values.empty() || raw_values.front().empty()) return absl::OkStatus();
    return SetValue(*message, field, spec, raw_values.front(), parent, lang);
  }
  const bool split = spec.ref || field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM;
  for (const std::string& raw : raw_values) {
    std::vector<std::string> items = split ? SplitList(raw) : std::vector<std::string>{raw};
    for (const std::string& item : items) {
      if (item.empty()) continue;
      if (absl::Status s = SetValue(*message, field, spec, item, parent, lang); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::span<const FieldSpec> FieldsOf(Kind kind) {
  switch (kind) {
    case Kind::kCommittee:
      return kCommitteeFields;
    case Kind::kAdministration:
      return kAdministrationFields;
    case Kind::kPerson:
      return kPersonFields;
    case Kind::kAppointment:
      return kAppointmentFields;
    case Kind::kDialogue:
      return kDialogueFields;
    case Kind::kConsultation:
      return kConsultationFields;
    default:
      return {};
  }
}

const FieldSpec* FindField(Kind kind, std::string_view key) {
  const std::string wanted = Normalized(key);
  for (const FieldSpec& spec : FieldsOf(kind)) {
    if (wanted == spec.path || wanted == Normalized(spec.flag)) return &spec;
  }
  return nullptr;
}

void AddFieldValue(FieldValues& values, const FieldSpec* spec, std::string value) {
  for (auto& [existing, list] : values) {
    if (existing == spec) {
      list.push_back(std::move(value));
      return;
    }
  }
  values.push_back({spec, {std::move(value)}});
}

absl::StatusOr<FieldValues> ParseSetArguments(Kind kind, const std::vector<std::string>& args,
                                              Lang lang) {
  FieldValues values;
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      return UsageError(lang, absl::StrCat("--set ", arg, ": skriv fält=värde."),
                        absl::StrCat("--set ", arg, ": write field=value."));
    }
    const std::string key = arg.substr(0, eq);
    const FieldSpec* spec = FindField(kind, key);
    if (spec == nullptr) {
      std::vector<std::string> paths;
      for (const FieldSpec& f : FieldsOf(kind)) paths.emplace_back(f.path);
      const std::string known = absl::StrJoin(paths, ", ");
      return UsageError(
          lang, absl::StrCat("--set: okänt fält \"", key, "\"; kända fält är ", known, "."),
          absl::StrCat("--set: unknown field \"", key, "\"; known fields are ", known, "."));
    }
    AddFieldValue(values, spec, arg.substr(eq + 1));
  }
  return values;
}

absl::Status ApplyFieldValues(Message& resource, const FieldValues& values, std::string_view parent,
                              Lang lang) {
  for (const auto& [spec, raw_values] : values) {
    if (absl::Status s = ApplyField(resource, *spec, raw_values, parent, lang); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::vector<std::string> PathsOf(const FieldValues& values) {
  std::vector<std::string> paths;
  for (const auto& [spec, raw_values] : values) paths.emplace_back(spec->path);
  return paths;
}

std::vector<std::string> SetTopLevelFields(const Message& resource) {
  std::vector<const FieldDescriptor*> fields;
  resource.GetReflection()->ListFields(resource, &fields);
  std::vector<std::string> paths;
  for (const FieldDescriptor* field : fields) {
    if (field->name() != "name" && field->name() != "etag") paths.push_back(field->name());
  }
  return paths;
}

}  // namespace samrad::ctl
