#include "services/samradctl/views.h"

#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/samradctl/enum_labels.h"
#include "services/samradctl/values.h"

namespace samrad::ctl {
namespace {

namespace v1 = ::samrad::registry::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string T(Lang lang, std::string_view sv, std::string_view en) {
  return std::string(Tr(lang, sv, en));
}

std::string Short(const std::string& name) { return std::string(ShortName(name)); }

// Resource names as their ids, comma-separated.
std::string JoinIds(const Repeated<std::string>& names) {
  std::vector<std::string> ids;
  for (const std::string& name : names) ids.push_back(Short(name));
  return absl::StrJoin(ids, ", ");
}

template <typename E>
std::string JoinLabels(const google::protobuf::RepeatedField<int>& values, Lang lang) {
  std::vector<std::string> labels;
  for (int value : values) labels.push_back(Label(static_cast<E>(value), lang));
  return absl::StrJoin(labels, ", ");
}

std::string Count(int64_t n) { return n == 0 ? "" : std::to_string(n); }

// The lines every stored resource ends with.
void AddAudit(Details& d, Lang lang, const std::string& etag,
              const google::protobuf::Timestamp* create_time,
              const google::protobuf::Timestamp* update_time) {
  if (create_time) d.push_back({T(lang, "Skapad", "Created"), FormatLocalTime(*create_time)});
  if (update_time) d.push_back({T(lang, "Ändrad", "Updated"), FormatLocalTime(*update_time)});
  d.push_back({"Etag", etag});
}

std::string PrinciplesText(const Repeated<v1::PrincipleAssessment>& principles, Lang lang) {
  std::vector<std::string> lines;
  for (const auto& p : principles) {
    lines.push_back(absl::StrCat(
        p.principle(), ". ",
        p.evidenced() ? T(lang, "uppfylld", "evidenced") : T(lang, "saknas", "missing"),
        p.explanation().empty() ? "" : " – ", p.explanation()));
  }
  return absl::StrJoin(lines, "\n");
}

std::string FeedbackText(const v1::Feedback& feedback) {
  const std::string date = FormatDate(feedback.date());
  if (date.empty()) return feedback.method();
  if (feedback.method().empty()) return date;
  return absl::StrCat(date, ": ", feedback.method());
}

std::string TypeText(const v1::Dialogue& d, Lang lang) {
  std::string text = Label(d.type(), lang);
  if (d.secondary_type() != v1::DIALOGUE_TYPE_UNSPECIFIED) {
    absl::StrAppend(&text, " (", T(lang, "även ", "also "), Label(d.secondary_type(), lang), ")");
  }
  return text;
}

std::string TargetGroupsText(const v1::Dialogue& d, Lang lang) {
  std::vector<std::string> groups;
  for (int g : d.target_groups()) groups.push_back(Label(static_cast<v1::TargetGroup>(g), lang));
  for (const std::string& other : d.other_target_groups()) groups.push_back(other);
  return absl::StrJoin(groups, ", ");
}

std::string AreasText(const v1::Dialogue& d) {
  std::string text = JoinIds(d.areas());
  if (!d.area_description().empty()) {
    absl::StrAppend(&text, text.empty() ? "" : "; ", d.area_description());
  }
  return text;
}

void AddDialogueOutcome(Details& out, const v1::Dialogue& d, Lang lang) {
  const v1::Outcome& o = d.outcome();
  out.push_back({T(lang, "Uppsökande arbete", "Outreach"), o.outreach()});
  out.push_back({T(lang, "Deltagare", "Participants"), Count(o.participant_count())});
  out.push_back({T(lang, "Resultat", "Result"), o.result()});
  out.push_back({T(lang, "Resultatets användning", "Use of the result"), o.result_use()});
  out.push_back({T(lang, "Återkoppling", "Feedback"), FeedbackText(o.feedback())});
  out.push_back({T(lang, "Utvärdering", "Evaluation"), o.evaluation()});
  out.push_back({T(lang, "Lärdomar", "Lessons learned"), o.lessons_learned()});
}

std::string AnswerText(const v1::ConsultationAnswer& answer, Lang lang) {
  std::vector<std::string> lines;
  if (!answer.summary().empty()) lines.push_back(answer.summary());
  if (!answer.decision_reference().empty()) {
    lines.push_back(absl::StrCat(T(lang, "Beslut: ", "Decision: "), answer.decision_reference()));
  }
  if (const std::string date = FormatDate(answer.received_date()); !date.empty()) {
    lines.push_back(absl::StrCat(T(lang, "Mottaget: ", "Received: "), date));
  }
  for (const auto& point : answer.points()) {
    lines.push_back(absl::StrCat("– ", Label(point.tag(), lang), ": ", point.text()));
  }
  return absl::StrJoin(lines, "\n");
}

// Bodies asked that have not answered yet, as ids.
std::string MissingAnswers(const v1::Consultation& c) {
  std::vector<std::string> missing;
  for (const std::string& body : c.bodies()) {
    bool answered = false;
    for (const auto& a : c.answers()) answered = answered || a.body() == body;
    if (!answered) missing.push_back(Short(body));
  }
  return absl::StrJoin(missing, ", ");
}

std::string ActorText(const common::v1::Actor& actor) {
  if (actor.display_name().empty()) return actor.id();
  if (actor.id().empty()) return actor.display_name();
  return absl::StrCat(actor.display_name(), " (", actor.id(), ")");
}

struct EventLabel {
  std::string_view field;
  std::string_view sv;
  std::string_view en;
};

constexpr EventLabel kEventLabels[] = {
    {"tenant_created", "kommun skapad", "tenant created"},
    {"committee_created", "nämnd skapad", "committee created"},
    {"committee_updated", "nämnd ändrad", "committee updated"},
    {"committee_retired", "nämnd avvecklad", "committee retired"},
    {"administration_created", "förvaltning skapad", "administration created"},
    {"administration_updated", "förvaltning ändrad", "administration updated"},
    {"administration_retired", "förvaltning avvecklad", "administration retired"},
    {"area_defined", "område definierat", "area defined"},
    {"channel_defined", "kanal definierad", "channel defined"},
    {"person_registered", "person registrerad", "person registered"},
    {"person_updated", "person ändrad", "person updated"},
    {"representative_appointed", "representant utsedd", "representative appointed"},
    {"appointment_ended", "uppdrag avslutat", "appointment ended"},
    {"dialogue_registered", "dialoginsats registrerad", "dialogue registered"},
    {"dialogue_updated", "dialoginsats ändrad", "dialogue updated"},
    {"dialogue_status_changed", "status ändrad", "status changed"},
    {"coordination_hints_found", "samordningstips funna", "coordination hints found"},
    {"consultation_opened", "remiss öppnad", "consultation opened"},
    {"consultation_updated", "remiss ändrad", "consultation updated"},
    {"consultation_answer_recorded", "remissvar registrerat", "consultation answer recorded"},
};

// The detail an event summary adds after its label, e.g. " (title, areas)".
std::string EventDetail(const v1::RegistryEvent& e, const Message& payload, Lang lang) {
  switch (e.event_case()) {
    case v1::RegistryEvent::kDialogueStatusChanged:
      return absl::StrCat(": ", Label(e.dialogue_status_changed().from(), lang), " → ",
                          Label(e.dialogue_status_changed().to(), lang));
    case v1::RegistryEvent::kCoordinationHintsFound:
      return absl::StrCat(" (", e.coordination_hints_found().hints_size(), ")");
    case v1::RegistryEvent::kConsultationAnswerRecorded:
      return absl::StrCat(" (", Short(e.consultation_answer_recorded().answer().body()), ")");
    case v1::RegistryEvent::kAppointmentEnded:
      return absl::StrCat(" (", FormatDate(e.appointment_ended().end_date()), ")");
    default:
      break;
  }
  // Updates name the fields the actor changed.
  const FieldDescriptor* mask_field = payload.GetDescriptor()->FindFieldByName("update_mask");
  if (mask_field == nullptr ||
      mask_field->message_type() != google::protobuf::FieldMask::descriptor()) {
    return "";
  }
  const auto& mask = static_cast<const google::protobuf::FieldMask&>(
      payload.GetReflection()->GetMessage(payload, mask_field));
  if (mask.paths().empty()) return "";
  return absl::StrCat(" (", absl::StrJoin(mask.paths(), ", "), ")");
}

}  // namespace

Details DetailsOf(const v1::Tenant& t, Lang lang) {
  Details d = {{T(lang, "Resurs", "Resource"), t.name()},
               {T(lang, "Kommunkod", "Municipality code"), t.code()},
               {T(lang, "Namn", "Name"), t.display_name()}};
  AddAudit(d, lang, t.etag(), &t.create_time(), nullptr);
  return d;
}

Details DetailsOf(const v1::Committee& c, Lang lang) {
  Details d = {{T(lang, "Resurs", "Resource"), c.name()},
               {T(lang, "Namn", "Name"), c.display_name()},
               {T(lang, "Förvaltning", "Administration"), Short(c.administration())},
               {T(lang, "Medborgardialog enligt reglemente", "Charter: citizen dialogue"),
                std::string(YesNo(c.charter_citizen_dialogue(), lang))},
               {T(lang, "Brukarsamråd enligt reglemente", "Charter: user consultation"),
                std::string(YesNo(c.charter_user_consultation(), lang))},
               {T(lang, "Samordnare", "Coordinator"), std::string(YesNo(c.coordinator(), lang))},
               {T(lang, "Tillstånd", "State"), Label(c.state(), lang)}};
  AddAudit(d, lang, c.etag(), &c.create_time(), &c.update_time());
  return d;
}

Details DetailsOf(const v1::Administration& a, Lang lang) {
  Details d = {{T(lang, "Resurs", "Resource"), a.name()},
               {T(lang, "Namn", "Name"), a.display_name()},
               {T(lang, "Nämnd", "Committee"), Short(a.committee())},
               {T(lang, "Tillstånd", "State"), Label(a.state(), lang)}};
  AddAudit(d, lang, a.etag(), &a.create_time(), &a.update_time());
  return d;
}

Details DetailsOf(const v1::Area& a, Lang lang) {
  Details d = {{T(lang, "Resurs", "Resource"), a.name()},
               {T(lang, "Namn", "Name"), a.display_name()},
               {T(lang, "Slag", "Kind"), Label(a.kind(), lang)},
               {T(lang, "Ingår i", "Part of"), Short(a.parent())},
               {T(lang, "Tillstånd", "State"), Label(a.state(), lang)}};
  AddAudit(d, lang, a.etag(), nullptr, nullptr);
  return d;
}

Details DetailsOf(const v1::Channel& c, Lang lang) {
  Details d = {{T(lang, "Resurs", "Resource"), c.name()},
               {T(lang, "Namn", "Name"), c.display_name()},
               {T(lang, "Vanliga typer", "Usual types"),
                JoinLabels<v1::DialogueType>(c.usual_types(), lang)},
               {T(lang, "Tillstånd", "State"), Label(c.state(), lang)}};
  AddAudit(d, lang, c.etag(), nullptr, nullptr);
  return d;
}

Details DetailsOf(const v1::Person& p, Lang lang) {
  Details d = {{T(lang, "Resurs", "Resource"), p.name()},
               {T(lang, "Namn", "Name"), p.display_name()},
               {T(lang, "E-post", "E-mail"), p.email()},
               {T(lang, "Roll", "Role"), Label(p.role(), lang)}};
  AddAudit(d, lang, p.etag(), &p.create_time(), &p.update_time());
  return d;
}

Details DetailsOf(const v1::Appointment& a, Lang lang) {
  Details d = {{T(lang, "Resurs", "Resource"), a.name()},
               {T(lang, "Person", "Person"), Short(a.person())},
               {T(lang, "Förvaltning", "Administration"), Short(a.administration())},
               {T(lang, "Spår", "Track"), Label(a.track(), lang)},
               {T(lang, "Från", "From"), FormatDate(a.start_date())},
               {T(lang, "Till", "Until"), FormatDate(a.end_date())},
               {T(lang, "Ersättare", "Substitute"), Short(a.substitute())}};
  AddAudit(d, lang, a.etag(), nullptr, nullptr);
  return d;
}

Details DetailsOf(const v1::Dialogue& x, Lang lang) {
  Details d = {
      {T(lang, "Resurs", "Resource"), x.name()},
      {T(lang, "Titel", "Title"), x.title()},
      {T(lang, "Fråga", "Question"), x.question()},
      {T(lang, "Typ", "Type"), TypeText(x, lang)},
      {T(lang, "Delaktighet", "Participation"), Label(x.participation_level(), lang)},
      {"Status", Label(x.status(), lang)},
      {T(lang, "Period", "Period"), FormatPeriod(x.start_date(), x.end_date())},
      {T(lang, "Ansvarig förvaltning", "Lead administration"), Short(x.lead_administration())},
      {T(lang, "Medverkande förvaltningar", "Co-administrations"), JoinIds(x.co_administrations())},
      {T(lang, "Ansvarig nämnd", "Responsible committee"), Short(x.responsible_committee())},
      {T(lang, "Förtroendevalda", "Elected officials"), JoinIds(x.elected_officials())},
      {T(lang, "Kanaler", "Channels"), JoinIds(x.channels())},
      {T(lang, "Målgrupper", "Target groups"), TargetGroupsText(x, lang)},
      {T(lang, "Områden", "Areas"), AreasText(x)},
      {T(lang, "Påverkbarhet", "What can be influenced"), x.influence().what_can_be_influenced()},
      {T(lang, "Beslut", "Decision"), x.influence().decision()},
      {T(lang, "Diarienummer", "Case number"), x.influence().case_number()}};
  AddDialogueOutcome(d, x, lang);
  d.push_back({T(lang, "Principer", "Principles"), PrinciplesText(x.principles(), lang)});
  d.push_back({"Version", Count(x.version())});
  AddAudit(d, lang, x.etag(), &x.create_time(), &x.update_time());
  return d;
}

Details DetailsOf(const v1::Consultation& c, Lang lang) {
  std::vector<std::string> questions;
  for (int i = 0; i < c.questions_size(); ++i) {
    questions.push_back(absl::StrCat(i + 1, ". ", c.questions(i)));
  }
  Details d = {{T(lang, "Resurs", "Resource"), c.name()},
               {T(lang, "Diarienummer", "Case number"), c.case_number()},
               {T(lang, "Titel", "Title"), c.title()},
               {T(lang, "Frågor", "Questions"), absl::StrJoin(questions, "\n")},
               {T(lang, "Remissinstanser", "Bodies asked"), JoinIds(c.bodies())},
               {T(lang, "Remisstid", "Period"), FormatPeriod(c.start_date(), c.deadline())},
               {T(lang, "Svar", "Answers"),
                absl::StrCat(c.answers_size(), T(lang, " av ", " of "), c.bodies_size())},
               {T(lang, "Svar saknas från", "No answer from"), MissingAnswers(c)}};
  for (const auto& answer : c.answers()) {
    d.push_back({absl::StrCat(T(lang, "Svar från ", "Answer from "), Short(answer.body())),
                 AnswerText(answer, lang)});
  }
  d.push_back({"Version", Count(c.version())});
  AddAudit(d, lang, c.etag(), &c.create_time(), &c.update_time());
  return d;
}

Table TableOf(const Repeated<v1::Committee>& committees, Lang lang) {
  Table table({"ID", T(lang, "NAMN", "NAME"), T(lang, "FÖRVALTNING", "ADMINISTRATION"),
               T(lang, "MEDBORGARDIALOG", "CITIZEN DIALOGUE"),
               T(lang, "BRUKARSAMRÅD", "USER CONSULTATION"), T(lang, "TILLSTÅND", "STATE")});
  for (const auto& c : committees) {
    table.AddRow({Short(c.name()), c.display_name(), Short(c.administration()),
                  std::string(YesNo(c.charter_citizen_dialogue(), lang)),
                  std::string(YesNo(c.charter_user_consultation(), lang)), Label(c.state(), lang)});
  }
  return table;
}

Table TableOf(const Repeated<v1::Administration>& administrations, Lang lang) {
  Table table({"ID", T(lang, "NAMN", "NAME"), T(lang, "NÄMND", "COMMITTEE"),
               T(lang, "TILLSTÅND", "STATE")});
  for (const auto& a : administrations) {
    table.AddRow({Short(a.name()), a.display_name(), Short(a.committee()), Label(a.state(), lang)});
  }
  return table;
}

Table TableOf(const Repeated<v1::Area>& areas, Lang lang) {
  Table table(
      {"ID", T(lang, "NAMN", "NAME"), T(lang, "SLAG", "KIND"), T(lang, "INGÅR I", "PART OF")});
  for (const auto& a : areas) {
    table.AddRow({Short(a.name()), a.display_name(), Label(a.kind(), lang), Short(a.parent())});
  }
  return table;
}

Table TableOf(const Repeated<v1::Channel>& channels, Lang lang) {
  Table table({"ID", T(lang, "NAMN", "NAME"), T(lang, "VANLIGA TYPER", "USUAL TYPES")});
  for (const auto& c : channels) {
    table.AddRow(
        {Short(c.name()), c.display_name(), JoinLabels<v1::DialogueType>(c.usual_types(), lang)});
  }
  return table;
}

Table TableOf(const Repeated<v1::Person>& people, Lang lang) {
  Table table(
      {"ID", T(lang, "NAMN", "NAME"), T(lang, "E-POST", "E-MAIL"), T(lang, "ROLL", "ROLE")});
  for (const auto& p : people) {
    table.AddRow({Short(p.name()), p.display_name(), p.email(), Label(p.role(), lang)});
  }
  return table;
}

Table TableOf(const Repeated<v1::Appointment>& appointments, Lang lang) {
  Table table({"ID", "PERSON", T(lang, "FÖRVALTNING", "ADMINISTRATION"), T(lang, "SPÅR", "TRACK"),
               T(lang, "FRÅN", "FROM"), T(lang, "TILL", "UNTIL"),
               T(lang, "ERSÄTTARE", "SUBSTITUTE")});
  for (const auto& a : appointments) {
    table.AddRow({Short(a.name()), Short(a.person()), Short(a.administration()),
                  Label(a.track(), lang), FormatDate(a.start_date()), FormatDate(a.end_date()),
                  Short(a.substitute())});
  }
  return table;
}

Table TableOf(const Repeated<v1::Dialogue>& dialogues, Lang lang) {
  Table table({"ID", T(lang, "TITEL", "TITLE"), T(lang, "TYP", "TYPE"), "STATUS",
               T(lang, "FÖRVALTNING", "ADMINISTRATION"), "PERIOD"});
  for (const auto& d : dialogues) {
    table.AddRow({Short(d.name()), d.title(), Label(d.type(), lang), Label(d.status(), lang),
                  Short(d.lead_administration()), FormatPeriod(d.start_date(), d.end_date())});
  }
  return table;
}

Table TableOf(const Repeated<v1::Consultation>& consultations, Lang lang) {
  Table table({"ID", T(lang, "DIARIENUMMER", "CASE NUMBER"), T(lang, "TITEL", "TITLE"),
               T(lang, "SISTA SVARSDAG", "DEADLINE"), T(lang, "SVAR", "ANSWERS")});
  for (const auto& c : consultations) {
    table.AddRow({Short(c.name()), c.case_number(), c.title(), FormatDate(c.deadline()),
                  absl::StrCat(c.answers_size(), "/", c.bodies_size())});
  }
  return table;
}

Table TableOf(const Repeated<v1::CoordinationHint>& hints, Lang lang) {
  Table table({T(lang, "ANNAN INSATS", "OTHER EFFORT"), T(lang, "FÖRVALTNING", "ADMINISTRATION"),
               T(lang, "GEMENSAMMA OMRÅDEN", "SHARED AREAS"),
               T(lang, "GEMENSAMMA MÅLGRUPPER", "SHARED TARGET GROUPS"),
               T(lang, "ÖVERLAPP", "OVERLAP")});
  for (const auto& h : hints) {
    table.AddRow({Short(h.other_dialogue()), Short(h.other_lead_administration()),
                  JoinIds(h.shared_areas()),
                  JoinLabels<v1::TargetGroup>(h.shared_target_groups(), lang),
                  FormatPeriod(h.overlap_start(), h.overlap_end())});
  }
  return table;
}

Table TableOf(const Repeated<v1::OverdueBody>& overdue, Lang lang) {
  Table table({T(lang, "REMISS", "CONSULTATION"), T(lang, "DIARIENUMMER", "CASE NUMBER"),
               T(lang, "INSTANS", "BODY"), T(lang, "SISTA SVARSDAG", "DEADLINE"),
               T(lang, "DAGAR SENT", "DAYS OVERDUE")});
  for (const auto& o : overdue) {
    table.AddRow({Short(o.consultation()), o.case_number(), Short(o.body()),
                  FormatDate(o.deadline()), std::to_string(o.days_overdue())});
  }
  return table;
}

Table TableOf(const Repeated<v1::RegistryEvent>& events, Lang lang) {
  Table table({"VERSION", T(lang, "TID", "TIME"), T(lang, "AKTÖR", "ACTOR"),
               T(lang, "HÄNDELSE", "EVENT"), T(lang, "ORSAK", "REASON"),
               T(lang, "BEGÄRAN-ID", "REQUEST ID")});
  for (const auto& e : events) {
    const auto& m = e.metadata();
    table.AddRow({std::to_string(m.aggregate_version()), FormatLocalTime(m.occurred_at()),
                  ActorText(m.actor()), EventSummary(e, lang), m.reason(), m.request_id()});
  }
  return table;
}

Table TableOf(const Repeated<v1::NetworkMember>& members, Lang lang) {
  Table table({T(lang, "FÖRVALTNING", "ADMINISTRATION"), T(lang, "SPÅR", "TRACK"),
               T(lang, "REPRESENTANT", "REPRESENTATIVE"), T(lang, "E-POST", "E-MAIL"),
               T(lang, "FRÅN", "FROM"), T(lang, "UPPDRAG", "APPOINTMENT")});
  for (const auto& m : members) {
    const bool vacant = !m.has_appointment();
    table.AddRow({Short(m.administration()), Label(m.track(), lang),
                  vacant ? T(lang, "(vakant)", "(vacant)") : m.person().display_name(),
                  m.person().email(), FormatDate(m.appointment().start_date()),
                  Short(m.appointment().name())});
  }
  return table;
}

std::string EventSummary(const v1::RegistryEvent& event, Lang lang) {
  const auto* oneof = v1::RegistryEvent::descriptor()->FindOneofByName("event");
  const FieldDescriptor* field = event.GetReflection()->GetOneofFieldDescriptor(event, oneof);
  if (field == nullptr) {
    // A case newer than this tool: its type name is all there is to show.
    return event.metadata().event_type().empty() ? T(lang, "okänd händelse", "unknown event")
                                                 : event.metadata().event_type();
  }
  std::string label = field->name();
  for (const EventLabel& l : kEventLabels) {
    if (l.field == field->name()) label = T(lang, l.sv, l.en);
  }
  const Message& payload = event.GetReflection()->GetMessage(event, field);
  return label + EventDetail(event, payload, lang);
}

void PrintWarningsAndHints(const Repeated<v1::Warning>& warnings,
                           const Repeated<v1::CoordinationHint>& hints, Lang lang,
                           std::ostream& out) {
  if (!warnings.empty()) {
    out << "\n" << Tr(lang, "Varningar:", "Warnings:") << "\n";
    for (const auto& w : warnings) {
      out << "  " << (w.field().empty() ? "" : w.field() + ": ") << w.description();
      if (!w.reason().empty()) out << " [" << w.reason() << "]";
      out << "\n";
    }
  }
  if (!hints.empty()) {
    out << "\n"
        << Tr(lang, "Samordningstips – andra förvaltningars insatser som överlappar:",
              "Coordination hints – other administrations' efforts that overlap:")
        << "\n";
    TableOf(hints, lang).Print(out);
  }
}

}  // namespace samrad::ctl
