#include "services/samradctl/enum_labels.h"

#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "samrad/common/v1/event_metadata.pb.h"
#include "samrad/registry/v1/resources.pb.h"
#include "services/samradctl/values.h"

namespace samrad::ctl {
namespace {

namespace v1 = registry::v1;
using google::protobuf::EnumDescriptor;

struct Entry {
  int number;
  std::string_view sv;
  std::string_view en;
};

using LabelTable = std::map<const EnumDescriptor*, std::vector<Entry>>;

// The labels of every enum samradctl shows or parses. Swedish ones are the users' own words
// (DOMAIN.md); English ones follow the proto comments.
const LabelTable& Labels() {
  static const LabelTable* const table = new LabelTable{
      {v1::DialogueType_descriptor(),
       {{v1::MEDBORGARDIALOG, "medborgardialog", "citizen dialogue"},
        {v1::KUNSKAPSDIALOG, "kunskapsdialog", "knowledge dialogue"},
        {v1::BRUKARDIALOG, "brukardialog", "user dialogue"},
        {v1::KOMMUNVAGLEDNING, "kommunvägledning", "municipal guidance"}}},
      {v1::ParticipationLevel_descriptor(),
       {{v1::INFORMATION, "information", "information"},
        {v1::KONSULTATION, "konsultation", "consultation"},
        {v1::DIALOG, "dialog", "dialogue"},
        {v1::INFLYTANDE, "inflytande", "influence"},
        {v1::MEDBESTAMMANDE, "medbestämmande", "co-decision"}}},
      {v1::Track_descriptor(),
       {{v1::TRACK_MEDBORGARDIALOG, "medborgardialog", "citizen dialogue"},
        {v1::TRACK_KUNSKAPSDIALOG, "kunskapsdialog", "knowledge dialogue"}}},
      {v1::DialogueStatus_descriptor(),
       {{v1::PLANNED, "planerad", "planned"},
        {v1::ONGOING, "pågående", "ongoing"},
        {v1::COMPLETED, "genomförd", "completed"},
        {v1::FEEDBACK_GIVEN, "återkopplad", "feedback given"},
        {v1::EVALUATED, "utvärderad", "evaluated"},
        {v1::CANCELLED, "inställd", "cancelled"}}},
      {v1::PersonRole_descriptor(),
       {{v1::OFFICIAL, "tjänsteperson", "official"},
        {v1::ELECTED_OFFICIAL, "förtroendevald", "elected official"}}},
      {v1::TargetGroup_descriptor(),
       {{v1::CITIZENS, "medborgare", "citizens"},
        {v1::CHILDREN, "barn", "children"},
        {v1::YOUNG_PEOPLE, "unga", "young people"},
        {v1::OLDER_PEOPLE, "äldre", "older people"},
        {v1::PEOPLE_WITH_DISABILITIES, "personer med funktionsnedsättning",
         "people with disabilities"},
        {v1::SERVICE_USERS, "brukare", "service users"},
        {v1::ASSOCIATIONS, "föreningar", "associations"},
        {v1::BUSINESSES, "företag", "businesses"},
        {v1::VISITORS, "besökare", "visitors"},
        {v1::STAKEHOLDERS, "intressenter", "stakeholders"}}},
      {v1::PointTag_descriptor(),
       {{v1::POSITIVE, "positiv", "positive"},
        {v1::NEGATIVE, "negativ", "negative"},
        {v1::CONSEQUENCE, "konsekvens", "consequence"},
        {v1::PROPOSAL, "förslag", "proposal"}}},
      {v1::LifecycleState_descriptor(),
       {{v1::ACTIVE, "aktiv", "active"}, {v1::RETIRED, "avvecklad", "retired"}}},
      {v1::Area::Kind_descriptor(),
       {{v1::Area::DISTRICT, "stadsdel", "district"},
        {v1::Area::LOCAL_AREA, "lokalt område", "local area"},
        {v1::Area::WHOLE_CITY, "hela staden", "whole city"}}},
      {common::v1::ActorRole_descriptor(),
       {{common::v1::ACTOR_ROLE_OFFICIAL, "tjänsteperson", "official"},
        {common::v1::ACTOR_ROLE_ELECTED_OFFICIAL, "förtroendevald", "elected official"},
        {common::v1::ACTOR_ROLE_COORDINATOR, "samordnare", "coordinator"},
        {common::v1::ACTOR_ROLE_SYSTEM, "system", "system"}}},
  };
  return *table;
}

const std::vector<Entry>* EntriesOf(const EnumDescriptor* type) {
  auto it = Labels().find(type);
  return it == Labels().end() ? nullptr : &it->second;
}

// The prefix every value of `type` may carry: that of its zero value without
// "UNSPECIFIED" ("TRACK_" for TRACK_UNSPECIFIED), or "" when the zero value has none.
std::string ValuePrefix(const EnumDescriptor* type) {
  const auto* zero = type->FindValueByNumber(0);
  if (zero == nullptr) return "";
  std::string_view name = zero->name();
  constexpr std::string_view kUnspecified = "UNSPECIFIED";
  if (!name.ends_with(kUnspecified)) return "";
  return std::string(name.substr(0, name.size() - kUnspecified.size()));
}

// Every folded spelling of the value named `proto_name` ("TRACK_KUNSKAPSDIALOG" →
// "track_kunskapsdialog" and "kunskapsdialog").
std::vector<std::string> ProtoSpellings(const EnumDescriptor* type, std::string_view proto_name) {
  std::vector<std::string> out = {Fold(proto_name)};
  const std::string prefix = ValuePrefix(type);
  if (!prefix.empty() && proto_name.starts_with(prefix)) {
    out.push_back(Fold(proto_name.substr(prefix.size())));
  }
  return out;
}

}  // namespace

std::string EnumLabel(const EnumDescriptor* type, int number, Lang lang) {
  if (number == 0) return "";
  if (const auto* entries = EntriesOf(type)) {
    for (const Entry& e : *entries) {
      if (e.number == number) return std::string(Tr(lang, e.sv, e.en));
    }
  }
  if (const auto* value = type->FindValueByNumber(number)) {
    return absl::AsciiStrToLower(value->name());
  }
  return std::to_string(number);
}

std::optional<int> ParseEnum(const EnumDescriptor* type, std::string_view text) {
  const std::string folded = Fold(text);
  if (folded.empty()) return std::nullopt;
  const auto* entries = EntriesOf(type);
  for (int i = 0; i < type->value_count(); ++i) {
    const auto* value = type->value(i);
    if (value->number() == 0) continue;
    for (const std::string& spelling : ProtoSpellings(type, value->name())) {
      if (folded == spelling) return value->number();
    }
    if (entries == nullptr) continue;
    for (const Entry& e : *entries) {
      if (e.number == value->number() && (folded == Fold(e.sv) || folded == Fold(e.en))) {
        return e.number;
      }
    }
  }
  return std::nullopt;
}

std::string EnumChoices(const EnumDescriptor* type, Lang lang) {
  std::vector<std::string> labels;
  for (int i = 0; i < type->value_count(); ++i) {
    const int number = type->value(i)->number();
    if (number != 0) labels.push_back(EnumLabel(type, number, lang));
  }
  return absl::StrJoin(labels, ", ");
}

}  // namespace samrad::ctl
