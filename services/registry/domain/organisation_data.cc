#include "services/registry/domain/organisation_data.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/text_rules.h"

namespace samrad::registry::domain {
namespace {

using Json = nlohmann::json;

std::string Path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : absl::StrCat(parent, ".", std::string(key));
}

std::string Index(const std::string& parent, size_t i) { return absl::StrCat(parent, "[", i, "]"); }

// Reads one JSON document into OrganisationData, collecting every problem.
class Parser {
 public:
  absl::StatusOr<OrganisationData> Parse(std::string_view text) {
    const Json root = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
      return absl::InvalidArgumentError("organisation data: not valid JSON");
    }
    if (Object(root, "", {"tenant", "bodies", "areas", "channels"})) {
      ParseTenant(Member(root, "tenant"));
      const std::string tenant = data_.tenant.name();
      if (const Json* bodies = Array(root, "bodies")) ParseBodies(*bodies, tenant);
      if (const Json* areas = Array(root, "areas")) ParseAreas(*areas, tenant);
      if (const Json* channels = Array(root, "channels")) ParseChannels(*channels, tenant);
    }
    if (!errors_.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("organisation data: ", absl::StrJoin(errors_, "; ")));
    }
    return std::move(data_);
  }

 private:
  void Error(const std::string& path, std::string_view message) {
    errors_.push_back(absl::StrCat(path.empty() ? "(root)" : path, ": ", std::string(message)));
  }

  static const Json& Member(const Json& object, std::string_view key) {
    static const Json* const kNull = new Json(nullptr);
    const auto it = object.find(std::string(key));
    return it == object.end() ? *kNull : *it;
  }

  // `value` is an object whose keys are in `allowed` (or "note").
  bool Object(const Json& value, const std::string& path,
              std::initializer_list<std::string_view> allowed) {
    if (!value.is_object()) {
      Error(path, "must be an object");
      return false;
    }
    for (const auto& item : value.items()) {
      const std::string& key = item.key();
      if (key == "note") continue;
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Error(Path(path, key), "unknown key");
      }
    }
    return true;
  }

  const Json* Array(const Json& object, std::string_view key) {
    const Json& value = Member(object, key);
    if (!value.is_array() || value.empty()) {
      Error(std::string(key), "must be a non-empty array");
      return nullptr;
    }
    return &value;
  }

  std::string String(const Json& object, const std::string& path, std::string_view key,
                     bool required) {
    const Json& value = Member(object, key);
    if (value.is_null()) {
      if (required) Error(Path(path, key), "required");
      return "";
    }
    if (!value.is_string()) {
      Error(Path(path, key), "must be a string");
      return "";
    }
    std::string s = value.get<std::string>();
    if (required && IsBlank(s)) Error(Path(path, key), "must not be empty");
    return s;
  }

  bool Bool(const Json& object, const std::string& path, std::string_view key) {
    const Json& value = Member(object, key);
    if (value.is_null()) return false;
    if (!value.is_boolean()) {
      Error(Path(path, key), "must be true or false");
      return false;
    }
    return value.get<bool>();
  }

  std::string Id(const Json& object, const std::string& path, std::set<std::string>& seen) {
    std::string id = String(object, path, "id", /*required=*/true);
    if (id.empty()) return id;
    if (!IsValidResourceId(id)) {
      Error(Path(path, "id"), "must match [a-z][a-z0-9-]{0,62}");
    } else if (!seen.insert(id).second) {
      Error(Path(path, "id"), absl::StrCat("duplicate id \"", id, "\""));
    }
    return id;
  }

  std::string DisplayName(const Json& object, const std::string& path,
                          std::set<std::string>& seen) {
    std::string name = String(object, path, "display_name", /*required=*/true);
    if (!name.empty() && !seen.insert(FoldForCompare(name)).second) {
      Error(Path(path, "display_name"), absl::StrCat("duplicate display name \"", name, "\""));
    }
    return name;
  }

  void ParseTenant(const Json& tenant) {
    if (tenant.is_null()) {
      Error("tenant", "required");
      return;
    }
    if (!Object(tenant, "tenant", {"code", "display_name"})) return;
    const std::string code = String(tenant, "tenant", "code", true);
    if (!code.empty() && !IsValidTenantCode(code)) {
      Error("tenant.code", "must be the four-digit municipality code");
    }
    data_.tenant.set_code(code);
    data_.tenant.set_name(TenantName(code));
    data_.tenant.set_display_name(String(tenant, "tenant", "display_name", true));
  }

  void ParseBodies(const Json& bodies, const std::string& tenant) {
    std::set<std::string> committee_ids, administration_ids, committee_names, administration_names;
    int coordinators = 0;
    for (size_t i = 0; i < bodies.size(); ++i) {
      const std::string path = Index("bodies", i);
      const Json& body = bodies[i];
      if (!Object(body, path, {"committee", "administration", "charter", "coordinator"})) {
        continue;
      }
      v1::Committee committee;
      v1::Administration administration;
      const std::string committee_path = Path(path, "committee");
      const Json& c = Member(body, "committee");
      if (c.is_null()) {
        Error(committee_path, "required");
      } else if (Object(c, committee_path, {"id", "display_name"})) {
        committee.set_name(
            ResourceNameOf(tenant, Collection::kCommittees, Id(c, committee_path, committee_ids)));
        committee.set_display_name(DisplayName(c, committee_path, committee_names));
      }
      const std::string administration_path = Path(path, "administration");
      const Json& a = Member(body, "administration");
      if (a.is_null()) {
        Error(administration_path, "required");
      } else if (Object(a, administration_path, {"id", "display_name"})) {
        administration.set_name(ResourceNameOf(tenant, Collection::kAdministrations,
                                               Id(a, administration_path, administration_ids)));
        administration.set_display_name(DisplayName(a, administration_path, administration_names));
      }
      const Json& charter = Member(body, "charter");
      if (!charter.is_null()) {
        const std::string charter_path = Path(path, "charter");
        if (Object(charter, charter_path, {"citizen_dialogue", "user_consultation"})) {
          committee.set_charter_citizen_dialogue(Bool(charter, charter_path, "citizen_dialogue"));
          committee.set_charter_user_consultation(Bool(charter, charter_path, "user_consultation"));
        }
      }
      committee.set_coordinator(Bool(body, path, "coordinator"));
      if (committee.coordinator() && ++coordinators > 1) {
        Error(Path(path, "coordinator"), "only one body coordinates the network");
      }
      committee.set_state(v1::ACTIVE);
      administration.set_state(v1::ACTIVE);
      committee.set_administration(administration.name());
      administration.set_committee(committee.name());
      data_.committees.push_back(std::move(committee));
      data_.administrations.push_back(std::move(administration));
    }
  }

  void ParseAreas(const Json& areas, const std::string& tenant) {
    std::set<std::string> ids, names;
    std::vector<std::pair<std::string, std::string>> parents;  // path, parent id
    for (size_t i = 0; i < areas.size(); ++i) {
      const std::string path = Index("areas", i);
      const Json& a = areas[i];
      if (!Object(a, path, {"id", "display_name", "kind", "parent"})) continue;
      v1::Area area;
      area.set_name(ResourceNameOf(tenant, Collection::kAreas, Id(a, path, ids)));
      area.set_display_name(DisplayName(a, path, names));
      const std::string kind = String(a, path, "kind", /*required=*/true);
      v1::Area::Kind parsed_kind = v1::Area::KIND_UNSPECIFIED;
      if (!kind.empty() && (!v1::Area::Kind_Parse(kind, &parsed_kind) ||
                            parsed_kind == v1::Area::KIND_UNSPECIFIED)) {
        Error(Path(path, "kind"), "must be DISTRICT, LOCAL_AREA or WHOLE_CITY");
      }
      area.set_kind(parsed_kind);
      const std::string parent = String(a, path, "parent", /*required=*/false);
      if (!parent.empty()) {
        area.set_parent(ResourceNameOf(tenant, Collection::kAreas, parent));
        parents.emplace_back(Path(path, "parent"), parent);
      }
      area.set_state(v1::ACTIVE);
      data_.areas.push_back(std::move(area));
    }
    for (const auto& [path, parent] : parents) {
      if (ids.count(parent) == 0) Error(path, absl::StrCat("no area \"", parent, "\""));
    }
  }

  void ParseChannels(const Json& channels, const std::string& tenant) {
    std::set<std::string> ids, names;
    for (size_t i = 0; i < channels.size(); ++i) {
      const std::string path = Index("channels", i);
      const Json& c = channels[i];
      if (!Object(c, path, {"id", "display_name", "usual_types", "state"})) continue;
      v1::Channel channel;
      channel.set_name(ResourceNameOf(tenant, Collection::kChannels, Id(c, path, ids)));
      channel.set_display_name(DisplayName(c, path, names));
      const std::string types_path = Path(path, "usual_types");
      const Json& types = Member(c, "usual_types");
      if (!types.is_array() || types.empty()) {
        Error(types_path, "must be a non-empty array of dialogue types");
      } else {
        std::set<int> seen;
        for (size_t j = 0; j < types.size(); ++j) {
          v1::DialogueType type = v1::DIALOGUE_TYPE_UNSPECIFIED;
          if (!types[j].is_string() ||
              !v1::DialogueType_Parse(types[j].get<std::string>(), &type) ||
              type == v1::DIALOGUE_TYPE_UNSPECIFIED) {
            Error(Index(types_path, j),
                  "must be MEDBORGARDIALOG, KUNSKAPSDIALOG, BRUKARDIALOG or KOMMUNVAGLEDNING");
          } else if (!seen.insert(type).second) {
            Error(Index(types_path, j), "duplicate type");
          } else {
            channel.add_usual_types(type);
          }
        }
      }
      const std::string state = String(c, path, "state", /*required=*/false);
      if (state.empty() || state == "ACTIVE") {
        channel.set_state(v1::ACTIVE);
      } else if (state == "RETIRED") {
        channel.set_state(v1::RETIRED);
      } else {
        Error(Path(path, "state"), "must be ACTIVE or RETIRED");
      }
      data_.channels.push_back(std::move(channel));
    }
  }

  OrganisationData data_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<OrganisationData> ParseOrganisationData(std::string_view json) {
  return Parser().Parse(json);
}

std::vector<v1::RegistryEvent> BootstrapEvents(const OrganisationData& data, absl::Time now) {
  const google::protobuf::Timestamp time = ToTimestamp(now);
  std::vector<v1::RegistryEvent> events;
  {
    auto* tenant = events.emplace_back().mutable_tenant_created();
    tenant->set_code(data.tenant.code());
    tenant->set_name(data.tenant.display_name());
  }
  for (v1::Committee committee : data.committees) {
    *committee.mutable_create_time() = time;
    *committee.mutable_update_time() = time;
    *events.emplace_back().mutable_committee_created()->mutable_committee() = std::move(committee);
  }
  for (v1::Administration administration : data.administrations) {
    *administration.mutable_create_time() = time;
    *administration.mutable_update_time() = time;
    *events.emplace_back().mutable_administration_created()->mutable_administration() =
        std::move(administration);
  }
  for (const v1::Area& area : data.areas) {
    *events.emplace_back().mutable_area_defined()->mutable_area() = area;
  }
  for (const v1::Channel& channel : data.channels) {
    *events.emplace_back().mutable_channel_defined()->mutable_channel() = channel;
  }
  return events;
}

}  // namespace samrad::registry::domain
