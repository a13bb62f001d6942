#ifndef SAMRAD_SERVICES_SAMRADCTL_ENUM_LABELS_H_
#define SAMRAD_SERVICES_SAMRADCTL_ENUM_LABELS_H_

// The words users read and type for the registry's enums: "medborgardialog" / "citizen
// dialogue" for MEDBORGARDIALOG, "pågående" / "ongoing" for ONGOING, and so on.
//
// Parsing is lenient: the Swedish label, the English label and the proto value name (with
// or without its enum prefix, e.g. "TRACK_KUNSKAPSDIALOG" or "kunskapsdialog") are all
// accepted, case-insensitively and with å/ä/ö written as a/o (see Fold). The UNSPECIFIED
// value is never accepted.

#include <optional>
#include <string>
#include <string_view>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "libs/common/lang.h"

namespace samrad::ctl {

// The label of `number` of `type` in `lang`; "" for the UNSPECIFIED value (0) and the
// lower-case proto name, or the number, for values this tool does not know yet.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int number, Lang lang);

template <typename E>
std::string Label(E value, Lang lang) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value), lang);
}

// The value `text` names; nullopt when it names none (or only UNSPECIFIED).
std::optional<int> ParseEnum(const google::protobuf::EnumDescriptor* type, std::string_view text);

template <typename E>
std::optional<E> Parse(std::string_view text) {
  std::optional<int> number = ParseEnum(google::protobuf::GetEnumDescriptor<E>(), text);
  if (!number) return std::nullopt;
  return static_cast<E>(*number);
}

// The accepted labels in `lang`, for messages: "planerad, pågående, genomförd, ...".
std::string EnumChoices(const google::protobuf::EnumDescriptor* type, Lang lang);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_ENUM_LABELS_H_
