#ifndef SAMRAD_SERVICES_SAMRADCTL_FIELDS_H_
#define SAMRAD_SERVICES_SAMRADCTL_FIELDS_H_

// The fields of a resource that `create` flags and `update --set` can set, one table per
// writable kind, and the one function that sets them on the proto by reflection.
//
// How a value is read follows the field's proto type:
//   string        as given; a reference field (e.g. lead_administration) takes an id or a
//                 resource name (ids are resolved against --parent);
//   enum          Swedish or English label or proto name (see enum_labels.h);
//   bool          ja/nej, yes/no, true/false;
//   int32/int64   decimal;
//   Date          YYYY-MM-DD;
//   repeated      every occurrence adds values; enum and reference lists also split on
//                 commas ("--channel bibliotek,malmopanelen"); an empty value gives an
//                 empty list (so `--set channels=` clears them).
// A singular field given twice is a usage error.

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "libs/common/lang.h"
#include "services/samradctl/kinds.h"

namespace samrad::ctl {

struct FieldSpec {
  // Path in the resource, as in an update mask: "title", "influence.case_number".
  std::string_view path;
  // The create flag without its dashes: "title", "case-number", "channel".
  std::string_view flag;
  // For reference fields: the kind of resource named.
  std::optional<Kind> ref;
  std::string_view help_sv;
  std::string_view help_en;
};

// Fields settable for committee, administration, person, appointment, dialogue and
// consultation; empty for other kinds.
std::span<const FieldSpec> FieldsOf(Kind kind);

// The field `key` names: its path or its flag, with '-' and '_' alike; nullptr if none.
const FieldSpec* FindField(Kind kind, std::string_view key);

// Values given for fields, in the order first given; each field at most once.
using FieldValues = std::vector<std::pair<const FieldSpec*, std::vector<std::string>>>;

// Appends `value` to the values of `spec` in `values`.
void AddFieldValue(FieldValues& values, const FieldSpec* spec, std::string value);

// Parses `update --set key=value` arguments ("title=Trygghet i Lindängen",
// "outcome.result=..."); INVALID_ARGUMENT (a usage error) for a missing '=' or an unknown
// key, in `lang`.
absl::StatusOr<FieldValues> ParseSetArguments(Kind kind, const std::vector<std::string>& args,
                                              Lang lang);

// Sets every field of `values` on `resource` (replacing what was there); `parent` resolves
// reference ids. INVALID_ARGUMENT with a text in `lang` naming the flag for a value that
// cannot be read.
absl::Status ApplyFieldValues(google::protobuf::Message& resource, const FieldValues& values,
                              std::string_view parent, Lang lang);

// The paths of `values`, in order: what an update with these flags changes.
std::vector<std::string> PathsOf(const FieldValues& values);

// The top-level fields set in `resource` except name and etag (what an update from a file
// changes when no mask is given).
std::vector<std::string> SetTopLevelFields(const google::protobuf::Message& resource);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_FIELDS_H_
