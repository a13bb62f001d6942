#include "services/samradctl/requests.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/samradctl/enum_labels.h"
#include "services/samradctl/usage_error.h"
#include "services/samradctl/values.h"

namespace samrad::ctl {
namespace {

namespace v1 = ::samrad::registry::v1;
using google::protobuf::FieldMask;
using google::protobuf::Message;

// Fields a server fills in: never part of an update mask derived from a file.
constexpr std::string_view kOutputOnlyFields[] = {"name",        "etag",       "state",
                                                  "status",      "principles", "create_time",
                                                  "update_time", "version",    "answers"};

bool IsOutputOnly(std::string_view field) {
  return std::find(std::begin(kOutputOnlyFields), std::end(kOutputOnlyFields), field) !=
         std::end(kOutputOnlyFields);
}

absl::Status ParseJson(const std::string& json, Message& resource, Lang lang) {
  if (json.empty()) return absl::OkStatus();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &resource, options);
  if (status.ok()) return absl::OkStatus();
  const std::string detail = status.ToString();
  return UsageError(lang,
                    absl::StrCat("--from-file: filen är inte JSON för ",
                                 resource.GetDescriptor()->name(), ": ", detail),
                    absl::StrCat("--from-file: the file is not JSON of a ",
                                 resource.GetDescriptor()->name(), ": ", detail));
}

// The resource of a create or an update: the file's, with the field flags over it.
absl::Status FillResource(Message& resource, const std::string& json, const FieldValues& fields,
                          const Scope& scope) {
  if (absl::Status s = ParseJson(json, resource, scope.lang); !s.ok()) return s;
  return ApplyFieldValues(resource, fields, scope.parent, scope.lang);
}

absl::Status Missing(std::string_view what, Lang lang) {
  return UsageError(lang, absl::StrCat(std::string(what), " saknas."),
                    absl::StrCat(std::string(what), " is missing."));
}

// The id of a new resource: --id, else the last segment of the file's name. The name itself
// is cleared: parent and id decide it.
absl::StatusOr<std::string> TakeId(const CreateInput& in, Message& resource, Lang lang) {
  const auto* name_field = resource.GetDescriptor()->FindFieldByName("name");
  const std::string name = resource.GetReflection()->GetString(resource, name_field);
  resource.GetReflection()->ClearField(&resource, name_field);
  if (!in.id.empty()) return in.id;
  if (!name.empty()) return std::string(ShortName(name));
  return Missing("--id", lang);
}

template <typename Resource>
absl::StatusOr<std::pair<std::string, Resource>> NewResource(const CreateInput& in,
                                                             const Scope& scope) {
  Resource resource;
  if (absl::Status s = FillResource(resource, in.json, in.fields, scope); !s.ok()) return s;
  absl::StatusOr<std::string> id = TakeId(in, resource, scope.lang);
  if (!id.ok()) return id.status();
  return std::make_pair(*std::move(id), std::move(resource));
}

void AppendUnique(std::vector<std::string>& paths, std::string path) {
  if (std::find(paths.begin(), paths.end(), path) == paths.end()) {
    paths.push_back(std::move(path));
  }
}

FieldMask MaskOf(const UpdateInput& in, const Message& from_file) {
  std::vector<std::string> paths = SplitList(in.update_mask);
  for (std::string& path : PathsOf(in.fields)) AppendUnique(paths, std::move(path));
  if (!in.json.empty() && in.update_mask.empty()) {
    for (std::string& path : SetTopLevelFields(from_file)) {
      if (!IsOutputOnly(path)) AppendUnique(paths, std::move(path));
    }
  }
  FieldMask mask;
  for (std::string& path : paths) mask.add_paths(std::move(path));
  return mask;
}

template <typename Resource>
struct Patch {
  Resource resource;
  FieldMask mask;
};

// The resource and mask of an update; name and etag come from the flags, else the file.
template <typename Resource>
absl::StatusOr<Patch<Resource>> NewPatch(Kind kind, const UpdateInput& in, const Scope& scope) {
  Patch<Resource> patch;
  if (absl::Status s = ParseJson(in.json, patch.resource, scope.lang); !s.ok()) return s;
  patch.mask = MaskOf(in, patch.resource);
  if (absl::Status s = ApplyFieldValues(patch.resource, in.fields, scope.parent, scope.lang);
      !s.ok()) {
    return s;
  }
  if (!in.name.empty()) patch.resource.set_name(ResolveName(kind, in.name, scope.parent));
  if (!in.etag.empty()) patch.resource.set_etag(in.etag);
  if (patch.resource.name().empty())
    return Missing(Tr(scope.lang, "Namnet", "The name"), scope.lang);
  if (patch.resource.etag().empty()) return Missing("--etag", scope.lang);
  if (patch.mask.paths().empty()) {
    return UsageError(scope.lang, "Inget att ändra: ange --set fält=värde eller --from-file.",
                      "Nothing to change: give --set field=value or --from-file.");
  }
  return patch;
}

absl::StatusOr<std::string> RequiredName(Kind kind, const std::string& value, std::string_view what,
                                         const Scope& scope) {
  if (value.empty()) return Missing(what, scope.lang);
  return ResolveName(kind, value, scope.parent);
}

absl::StatusOr<google::type::Date> RequiredDate(const std::string& value, std::string_view flag,
                                                Lang lang) {
  if (value.empty()) return Missing(flag, lang);
  std::optional<google::type::Date> date = ParseDate(value);
  if (!date) {
    return UsageError(
        lang, absl::StrCat(std::string(flag), ": \"", value, "\" är inget datum ÅÅÅÅ-MM-DD."),
        absl::StrCat(std::string(flag), ": \"", value, "\" is not a date YYYY-MM-DD."));
  }
  return *date;
}

template <typename Request>
Request PagedList(const ListInput& in, const Scope& scope) {
  Request request;
  request.set_parent(scope.parent);
  request.set_page_size(EffectivePageSize(in));
  request.set_page_token(in.page_token);
  return request;
}

bool Applies(bool given, std::initializer_list<Kind> kinds, Kind kind) {
  return !given || std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

absl::Status NotForKind(std::string_view option, Kind kind, Lang lang) {
  return UsageError(
      lang,
      absl::StrCat(std::string(option), " gäller inte list ", std::string(KindName(kind)), "."),
      absl::StrCat(std::string(option), " does not apply to list ", std::string(KindName(kind)),
                   "."));
}

}  // namespace

v1::WriteOptions MakeWriteOptions(const WriteFlags& flags) {
  v1::WriteOptions options;
  options.set_request_id(flags.request_id);
  options.set_reason(flags.reason);
  return options;
}

absl::StatusOr<v1::CreateCommitteeRequest> BuildCreateCommittee(const CreateInput& in,
                                                                const Scope& scope) {
  auto made = NewResource<v1::Committee>(in, scope);
  if (!made.ok()) return made.status();
  v1::CreateCommitteeRequest request;
  request.set_parent(scope.parent);
  request.set_committee_id(made->first);
  *request.mutable_committee() = std::move(made->second);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::CreateAdministrationRequest> BuildCreateAdministration(const CreateInput& in,
                                                                          const Scope& scope) {
  auto made = NewResource<v1::Administration>(in, scope);
  if (!made.ok()) return made.status();
  v1::CreateAdministrationRequest request;
  request.set_parent(scope.parent);
  request.set_administration_id(made->first);
  *request.mutable_administration() = std::move(made->second);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::CreatePersonRequest> BuildCreatePerson(const CreateInput& in,
                                                          const Scope& scope) {
  auto made = NewResource<v1::Person>(in, scope);
  if (!made.ok()) return made.status();
  v1::CreatePersonRequest request;
  request.set_parent(scope.parent);
  request.set_person_id(made->first);
  *request.mutable_person() = std::move(made->second);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::AppointRepresentativeRequest> BuildAppointRepresentative(const CreateInput& in,
                                                                            const Scope& scope) {
  auto made = NewResource<v1::Appointment>(in, scope);
  if (!made.ok()) return made.status();
  v1::AppointRepresentativeRequest request;
  request.set_parent(scope.parent);
  request.set_appointment_id(made->first);
  *request.mutable_appointment() = std::move(made->second);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::CreateDialogueRequest> BuildCreateDialogue(const CreateInput& in,
                                                              const Scope& scope) {
  auto made = NewResource<v1::Dialogue>(in, scope);
  if (!made.ok()) return made.status();
  v1::CreateDialogueRequest request;
  request.set_parent(scope.parent);
  request.set_dialogue_id(made->first);
  *request.mutable_dialogue() = std::move(made->second);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::CreateConsultationRequest> BuildCreateConsultation(const CreateInput& in,
                                                                      const Scope& scope) {
  auto made = NewResource<v1::Consultation>(in, scope);
  if (!made.ok()) return made.status();
  v1::CreateConsultationRequest request;
  request.set_parent(scope.parent);
  request.set_consultation_id(made->first);
  *request.mutable_consultation() = std::move(made->second);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::UpdateCommitteeRequest> BuildUpdateCommittee(const UpdateInput& in,
                                                                const Scope& scope) {
  auto patch = NewPatch<v1::Committee>(Kind::kCommittee, in, scope);
  if (!patch.ok()) return patch.status();
  v1::UpdateCommitteeRequest request;
  *request.mutable_committee() = std::move(patch->resource);
  *request.mutable_update_mask() = std::move(patch->mask);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::UpdateAdministrationRequest> BuildUpdateAdministration(const UpdateInput& in,
                                                                          const Scope& scope) {
  auto patch = NewPatch<v1::Administration>(Kind::kAdministration, in, scope);
  if (!patch.ok()) return patch.status();
  v1::UpdateAdministrationRequest request;
  *request.mutable_administration() = std::move(patch->resource);
  *request.mutable_update_mask() = std::move(patch->mask);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::UpdatePersonRequest> BuildUpdatePerson(const UpdateInput& in,
                                                          const Scope& scope) {
  auto patch = NewPatch<v1::Person>(Kind::kPerson, in, scope);
  if (!patch.ok()) return patch.status();
  v1::UpdatePersonRequest request;
  *request.mutable_person() = std::move(patch->resource);
  *request.mutable_update_mask() = std::move(patch->mask);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::UpdateDialogueRequest> BuildUpdateDialogue(const UpdateInput& in,
                                                              const Scope& scope) {
  auto patch = NewPatch<v1::Dialogue>(Kind::kDialogue, in, scope);
  if (!patch.ok()) return patch.status();
  v1::UpdateDialogueRequest request;
  *request.mutable_dialogue() = std::move(patch->resource);
  *request.mutable_update_mask() = std::move(patch->mask);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::UpdateConsultationRequest> BuildUpdateConsultation(const UpdateInput& in,
                                                                      const Scope& scope) {
  auto patch = NewPatch<v1::Consultation>(Kind::kConsultation, in, scope);
  if (!patch.ok()) return patch.status();
  v1::UpdateConsultationRequest request;
  *request.mutable_consultation() = std::move(patch->resource);
  *request.mutable_update_mask() = std::move(patch->mask);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<std::optional<v1::AsOf>> BuildAsOf(const std::string& version,
                                                  const std::string& time, Lang lang) {
  if (!version.empty() && !time.empty()) {
    return UsageError(lang, "Ange --as-of-version eller --as-of-time, inte båda.",
                      "Give --as-of-version or --as-of-time, not both.");
  }
  v1::AsOf as_of;
  if (!version.empty()) {
    int64_t number = 0;
    if (!absl::SimpleAtoi(version, &number) || number < 1) {
      return UsageError(lang, "--as-of-version: ange en version 1, 2, 3, …",
                        "--as-of-version: give a version 1, 2, 3, …");
    }
    as_of.set_version(number);
    return as_of;
  }
  if (!time.empty()) {
    std::optional<google::protobuf::Timestamp> instant = ParseRfc3339(time);
    if (!instant) {
      return UsageError(lang,
                        "--as-of-time: ange en tidpunkt enligt RFC 3339, t.ex. "
                        "2019-06-28T12:00:00+02:00.",
                        "--as-of-time: give an RFC 3339 instant, e.g. 2019-06-28T12:00:00+02:00.");
    }
    *as_of.mutable_time() = *instant;
    return as_of;
  }
  return std::optional<v1::AsOf>();
}

absl::StatusOr<v1::AnswerPoint> ParsePoint(const std::string& text, Lang lang) {
  const size_t colon = text.find(':');
  const std::string choices = EnumChoices(v1::PointTag_descriptor(), lang);
  if (colon == std::string::npos) {
    return UsageError(
        lang, absl::StrCat("--point \"", text, "\": skriv TAGG:text, där TAGG är ", choices, "."),
        absl::StrCat("--point \"", text, "\": write TAG:text, TAG being ", choices, "."));
  }
  const std::string tag_text(absl::StripAsciiWhitespace(absl::string_view(text).substr(0, colon)));
  const std::string body(absl::StripAsciiWhitespace(absl::string_view(text).substr(colon + 1)));
  std::optional<v1::PointTag> tag = Parse<v1::PointTag>(tag_text);
  if (!tag) {
    return UsageError(
        lang, absl::StrCat("--point \"", text, "\": okänd tagg; giltiga är ", choices, "."),
        absl::StrCat("--point \"", text, "\": unknown tag; valid ones are ", choices, "."));
  }
  if (body.empty()) {
    return UsageError(lang, absl::StrCat("--point \"", text, "\": texten saknas."),
                      absl::StrCat("--point \"", text, "\": the text is missing."));
  }
  v1::AnswerPoint point;
  point.set_tag(*tag);
  point.set_text(body);
  return point;
}

absl::StatusOr<v1::RecordConsultationAnswerRequest> BuildAnswer(const AnswerInput& in,
                                                                const Scope& scope) {
  v1::RecordConsultationAnswerRequest request;
  auto consultation = RequiredName(Kind::kConsultation, in.consultation,
                                   Tr(scope.lang, "Remissen", "The consultation"), scope);
  if (!consultation.ok()) return consultation.status();
  auto body = RequiredName(Kind::kCommittee, in.body, "--body", scope);
  if (!body.ok()) return body.status();
  request.set_consultation(*consultation);
  v1::ConsultationAnswer& answer = *request.mutable_answer();
  answer.set_body(*body);
  answer.set_summary(in.summary);
  answer.set_decision_reference(in.decision_reference);
  if (!in.received_date.empty()) {
    auto date = RequiredDate(in.received_date, "--received-date", scope.lang);
    if (!date.ok()) return date.status();
    *answer.mutable_received_date() = *date;
  }
  for (const std::string& text : in.points) {
    absl::StatusOr<v1::AnswerPoint> point = ParsePoint(text, scope.lang);
    if (!point.ok()) return point.status();
    *answer.add_points() = *std::move(point);
  }
  request.set_etag(in.etag);
  *request.mutable_options() = MakeWriteOptions(in.write);
  return request;
}

absl::StatusOr<v1::TransitionDialogueRequest> BuildTransition(const std::string& dialogue,
                                                              const std::string& status,
                                                              const std::string& etag,
                                                              const WriteFlags& write,
                                                              const Scope& scope) {
  auto name = RequiredName(Kind::kDialogue, dialogue,
                           Tr(scope.lang, "Dialoginsatsen", "The dialogue"), scope);
  if (!name.ok()) return name.status();
  if (status.empty()) return Missing("--status", scope.lang);
  std::optional<v1::DialogueStatus> to = Parse<v1::DialogueStatus>(status);
  if (!to) {
    const std::string choices = EnumChoices(v1::DialogueStatus_descriptor(), scope.lang);
    return UsageError(scope.lang,
                      absl::StrCat("--status \"", status, "\": giltiga är ", choices, "."),
                      absl::StrCat("--status \"", status, "\": valid ones are ", choices, "."));
  }
  if (etag.empty()) return Missing("--etag", scope.lang);
  v1::TransitionDialogueRequest request;
  request.set_name(*name);
  request.set_status(*to);
  request.set_etag(etag);
  *request.mutable_options() = MakeWriteOptions(write);
  return request;
}

absl::StatusOr<v1::EndAppointmentRequest> BuildEndAppointment(const std::string& appointment,
                                                              const std::string& date,
                                                              const std::string& etag,
                                                              const WriteFlags& write,
                                                              const Scope& scope) {
  auto name = RequiredName(Kind::kAppointment, appointment,
                           Tr(scope.lang, "Uppdraget", "The appointment"), scope);
  if (!name.ok()) return name.status();
  auto end = RequiredDate(date, "--date", scope.lang);
  if (!end.ok()) return end.status();
  v1::EndAppointmentRequest request;
  request.set_name(*name);
  *request.mutable_end_date() = *end;
  request.set_etag(etag);
  *request.mutable_options() = MakeWriteOptions(write);
  return request;
}

absl::StatusOr<v1::RetireCommitteeRequest> BuildRetireCommittee(const std::string& committee,
                                                                const std::string& etag,
                                                                const WriteFlags& write,
                                                                const Scope& scope) {
  auto name =
      RequiredName(Kind::kCommittee, committee, Tr(scope.lang, "Nämnden", "The committee"), scope);
  if (!name.ok()) return name.status();
  if (etag.empty()) return Missing("--etag", scope.lang);
  v1::RetireCommitteeRequest request;
  request.set_name(*name);
  request.set_etag(etag);
  *request.mutable_options() = MakeWriteOptions(write);
  return request;
}

absl::StatusOr<v1::RetireAdministrationRequest> BuildRetireAdministration(
    const std::string& administration, const std::string& etag, const WriteFlags& write,
    const Scope& scope) {
  auto name = RequiredName(Kind::kAdministration, administration,
                           Tr(scope.lang, "Förvaltningen", "The administration"), scope);
  if (!name.ok()) return name.status();
  if (etag.empty()) return Missing("--etag", scope.lang);
  v1::RetireAdministrationRequest request;
  request.set_name(*name);
  request.set_etag(etag);
  *request.mutable_options() = MakeWriteOptions(write);
  return request;
}

absl::Status CheckListInput(const ListInput& in, Lang lang) {
  const Kind kind = in.kind;
  if (kind == Kind::kTenant) {
    return UsageError(lang, "Kommuner listas inte; använd get tenant KOD.",
                      "Tenants are not listed; use get tenant CODE.");
  }
  const bool needs_subject = kind == Kind::kHints || kind == Kind::kHistory;
  if (needs_subject && in.subject.empty()) {
    return UsageError(lang, absl::StrCat("list ", std::string(KindName(kind)), " kräver ett namn."),
                      absl::StrCat("list ", std::string(KindName(kind)), " needs a name."));
  }
  if (kind == Kind::kHistory && in.subject.find('/') == std::string::npos) {
    return UsageError(lang,
                      absl::StrCat("history ", in.subject, ": ange resursnamnet, t.ex. dialogues/",
                                   in.subject, "."),
                      absl::StrCat("history ", in.subject,
                                   ": give the resource name, e.g. dialogues/", in.subject, "."));
  }
  if (!needs_subject && !in.subject.empty()) {
    return UsageError(lang, absl::StrCat("Oväntat argument \"", in.subject, "\"."),
                      absl::StrCat("Unexpected argument \"", in.subject, "\"."));
  }
  const bool paged = kind != Kind::kNetwork && kind != Kind::kHints && kind != Kind::kOverdue;
  const bool paging_given = in.page_size != 0 || !in.page_token.empty() || in.all;
  if (paging_given && !paged) return NotForKind("--page-size/--page-token/--all", kind, lang);
  if (in.page_size < 0) {
    return UsageError(lang, "--page-size får inte vara negativ.",
                      "--page-size cannot be negative.");
  }
  if (!Applies(!in.filter.empty(), {Kind::kDialogue}, kind)) {
    return NotForKind("--filter", kind, lang);
  }
  if (!Applies(!in.order_by.empty(), {Kind::kDialogue}, kind)) {
    return NotForKind("--order-by", kind, lang);
  }
  if (!Applies(in.show_retired, {Kind::kCommittee, Kind::kAdministration}, kind)) {
    return NotForKind("--show-retired", kind, lang);
  }
  if (!Applies(!in.date.empty(), {Kind::kNetwork, Kind::kOverdue}, kind)) {
    return NotForKind("--date", kind, lang);
  }
  if (!Applies(!in.administration.empty(), {Kind::kAppointment}, kind)) {
    return NotForKind("--administration", kind, lang);
  }
  return absl::OkStatus();
}

int EffectivePageSize(const ListInput& in) {
  constexpr int kMaxPageSize = 1000;
  if (in.page_size > 0) return in.page_size;
  return in.all ? kMaxPageSize : 0;
}

v1::ListCommitteesRequest BuildListCommittees(const ListInput& in, const Scope& scope) {
  auto request = PagedList<v1::ListCommitteesRequest>(in, scope);
  request.set_show_retired(in.show_retired);
  return request;
}

v1::ListAdministrationsRequest BuildListAdministrations(const ListInput& in, const Scope& scope) {
  auto request = PagedList<v1::ListAdministrationsRequest>(in, scope);
  request.set_show_retired(in.show_retired);
  return request;
}

v1::ListAreasRequest BuildListAreas(const ListInput& in, const Scope& scope) {
  return PagedList<v1::ListAreasRequest>(in, scope);
}

v1::ListChannelsRequest BuildListChannels(const ListInput& in, const Scope& scope) {
  return PagedList<v1::ListChannelsRequest>(in, scope);
}

v1::ListPeopleRequest BuildListPeople(const ListInput& in, const Scope& scope) {
  return PagedList<v1::ListPeopleRequest>(in, scope);
}

v1::ListAppointmentsRequest BuildListAppointments(const ListInput& in, const Scope& scope) {
  auto request = PagedList<v1::ListAppointmentsRequest>(in, scope);
  if (!in.administration.empty()) {
    request.set_administration(ResolveName(Kind::kAdministration, in.administration, scope.parent));
  }
  return request;
}

v1::ListDialoguesRequest BuildListDialogues(const ListInput& in, const Scope& scope) {
  auto request = PagedList<v1::ListDialoguesRequest>(in, scope);
  request.set_filter(in.filter);
  request.set_order_by(in.order_by);
  return request;
}

v1::ListConsultationsRequest BuildListConsultations(const ListInput& in, const Scope& scope) {
  return PagedList<v1::ListConsultationsRequest>(in, scope);
}

v1::ListCoordinationHintsRequest BuildListHints(const ListInput& in, const Scope& scope) {
  v1::ListCoordinationHintsRequest request;
  request.set_dialogue(ResolveName(Kind::kDialogue, in.subject, scope.parent));
  return request;
}

v1::GetHistoryRequest BuildHistory(const ListInput& in, const Scope& scope) {
  v1::GetHistoryRequest request;
  request.set_name(ResolveAnyName(in.subject, scope.parent));
  request.set_page_size(EffectivePageSize(in));
  request.set_page_token(in.page_token);
  return request;
}

absl::StatusOr<v1::ListNetworkRequest> BuildListNetwork(const ListInput& in, const Scope& scope) {
  v1::ListNetworkRequest request;
  request.set_parent(scope.parent);
  if (!in.date.empty()) {
    auto date = RequiredDate(in.date, "--date", scope.lang);
    if (!date.ok()) return date.status();
    *request.mutable_date() = *date;
  }
  return request;
}

absl::StatusOr<v1::ListOverdueBodiesRequest> BuildListOverdue(const ListInput& in,
                                                              const Scope& scope) {
  v1::ListOverdueBodiesRequest request;
  request.set_parent(scope.parent);
  if (!in.date.empty()) {
    auto date = RequiredDate(in.date, "--date", scope.lang);
    if (!date.ok()) return date.status();
    *request.mutable_date() = *date;
  }
  return request;
}

}  // namespace samrad::ctl
