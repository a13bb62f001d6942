#include "services/registry/domain/field_masks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"

namespace samrad::registry::domain {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::Message;

bool Contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool IsTopLevel(std::string_view path) { return path.find('.') == std::string_view::npos; }

// True when `ancestor` is `path` or a dotted prefix of it.
bool IsAncestorOrSelf(std::string_view ancestor, std::string_view path) {
  if (path.size() < ancestor.size() || path.substr(0, ancestor.size()) != ancestor) return false;
  return path.size() == ancestor.size() || path[ancestor.size()] == '.';
}

template <typename T>
T ApplyWithSpec(const T& current, const T& patch, const FieldMask& mask, const MaskSpec& spec) {
  const FieldMask effective = EffectiveMask(patch, mask, spec);
  T out = current;
  if (effective.paths().empty()) return out;
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, effective, options, &out);
  return out;
}

}  // namespace

const MaskSpec& CommitteeMaskSpec() {
  static const MaskSpec* const spec =
      new MaskSpec{{"display_name", "administration", "charter_citizen_dialogue",
                    "charter_user_consultation", "coordinator"},
                   {"name", "state", "create_time", "update_time", "etag"}};
  return *spec;
}

const MaskSpec& AdministrationMaskSpec() {
  static const MaskSpec* const spec = new MaskSpec{
      {"display_name", "committee"}, {"name", "state", "create_time", "update_time", "etag"}};
  return *spec;
}

const MaskSpec& PersonMaskSpec() {
  static const MaskSpec* const spec = new MaskSpec{{"display_name", "email", "role"},
                                                   {"name", "create_time", "update_time", "etag"}};
  return *spec;
}

const MaskSpec& DialogueMaskSpec() {
  static const MaskSpec* const spec = new MaskSpec{
      {"title",
       "question",
       "type",
       "secondary_type",
       "participation_level",
       "channels",
       "target_groups",
       "other_target_groups",
       "areas",
       "area_description",
       "start_date",
       "end_date",
       "lead_administration",
       "co_administrations",
       "responsible_committee",
       "elected_officials",
       "influence",
       "influence.what_can_be_influenced",
       "influence.decision",
       "influence.case_number",
       "outcome",
       "outcome.outreach",
       "outcome.participant_count",
       "outcome.result",
       "outcome.result_use",
       "outcome.feedback",
       "outcome.feedback.date",
       "outcome.feedback.method",
       "outcome.evaluation",
       "outcome.lessons_learned"},
      // The status changes only through TransitionDialogue.
      {"name", "status", "principles", "create_time", "update_time", "version", "etag"}};
  return *spec;
}

const MaskSpec& ConsultationMaskSpec() {
  static const MaskSpec* const spec =
      new MaskSpec{{"case_number", "title", "questions", "bodies", "start_date", "deadline"},
                   // Answers are recorded with RecordConsultationAnswer.
                   {"name", "answers", "create_time", "update_time", "version", "etag"}};
  return *spec;
}

void CheckUpdateMask(const FieldMask& mask, const MaskSpec& spec, errors::Violations& violations) {
  const bool has_wildcard = Contains({mask.paths().begin(), mask.paths().end()}, "*");
  if (has_wildcard && mask.paths_size() > 1) {
    violations.Add("update_mask", "WILDCARD_NOT_ALONE",
                   {"\"*\" ersätter hela resursen och får inte kombineras med andra fält.",
                    "\"*\" replaces the whole resource and cannot be combined with other paths."});
  }
  for (const std::string& path : mask.paths()) {
    if (path == "*" || Contains(spec.updatable, path)) continue;
    // A path below a not-updatable field ("principles.evidenced") is not updatable either.
    const bool not_updatable =
        std::any_of(spec.not_updatable.begin(), spec.not_updatable.end(),
                    [&](const std::string& field) { return IsAncestorOrSelf(field, path); });
    if (not_updatable) {
      violations.Add("update_mask", "FIELD_NOT_UPDATABLE",
                     {absl::StrCat("Fältet \"", path, "\" kan inte ändras med en uppdatering."),
                      absl::StrCat("The field \"", path, "\" cannot be changed by an update.")});
    } else {
      violations.Add("update_mask", "UNKNOWN_FIELD_PATH",
                     {absl::StrCat("Fältet \"", path, "\" finns inte."),
                      absl::StrCat("There is no field \"", path, "\".")});
    }
  }
}

FieldMask EffectiveMask(const Message& patch, const FieldMask& mask, const MaskSpec& spec) {
  FieldMask out;
  // "*" combined with other paths is a violation (CheckUpdateMask); it is then dropped like
  // any other invalid path and the remaining paths apply.
  const bool wildcard = mask.paths_size() == 1 && mask.paths(0) == "*";
  if (wildcard) {
    for (const std::string& path : spec.updatable) {
      if (IsTopLevel(path)) out.add_paths(path);
    }
    return out;
  }
  if (mask.paths().empty()) {
    const google::protobuf::Reflection* reflection = patch.GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    reflection->ListFields(patch, &fields);
    // In the order of the spec, so that the result does not depend on field numbers.
    for (const std::string& path : spec.updatable) {
      if (!IsTopLevel(path)) continue;
      const bool set = std::any_of(fields.begin(), fields.end(),
                                   [&](const auto* field) { return field->name() == path; });
      if (set) out.add_paths(path);
    }
    return out;
  }
  for (const std::string& path : mask.paths()) {
    if (Contains(spec.updatable, path) &&
        !Contains({out.paths().begin(), out.paths().end()}, path)) {
      out.add_paths(path);
    }
  }
  return out;
}

bool MaskSelects(const FieldMask& mask, std::string_view path) {
  return std::any_of(mask.paths().begin(), mask.paths().end(),
                     [&](const std::string& p) { return p == "*" || IsAncestorOrSelf(p, path); });
}

bool MaskTouches(const FieldMask& mask, std::string_view path) {
  return std::any_of(mask.paths().begin(), mask.paths().end(), [&](const std::string& p) {
    return p == "*" || IsAncestorOrSelf(p, path) || IsAncestorOrSelf(path, p);
  });
}

v1::Committee ApplyMask(const v1::Committee& current, const v1::Committee& patch,
                        const FieldMask& mask) {
  return ApplyWithSpec(current, patch, mask, CommitteeMaskSpec());
}

v1::Administration ApplyMask(const v1::Administration& current, const v1::Administration& patch,
                             const FieldMask& mask) {
  return ApplyWithSpec(current, patch, mask, AdministrationMaskSpec());
}

v1::Person ApplyMask(const v1::Person& current, const v1::Person& patch, const FieldMask& mask) {
  return ApplyWithSpec(current, patch, mask, PersonMaskSpec());
}

v1::Dialogue ApplyMask(const v1::Dialogue& current, const v1::Dialogue& patch,
                       const FieldMask& mask) {
  return ApplyWithSpec(current, patch, mask, DialogueMaskSpec());
}

v1::Consultation ApplyMask(const v1::Consultation& current, const v1::Consultation& patch,
                           const FieldMask& mask) {
  return ApplyWithSpec(current, patch, mask, ConsultationMaskSpec());
}

}  // namespace samrad::registry::domain
