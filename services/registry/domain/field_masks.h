#ifndef SAMRAD_SERVICES_REGISTRY_DOMAIN_FIELD_MASKS_H_
#define SAMRAD_SERVICES_REGISTRY_DOMAIN_FIELD_MASKS_H_

// Update masks (AIP-134) of the registry's Update requests, and the pure helpers that apply
// them. The projection's Evolve does not need these (events carry the whole resource after
// the change); Decide uses them to compute that resource.
//
// Semantics, as AIP-134 prescribes:
// - a path names a field of the resource; nested paths ("outcome.feedback.date") reach
//   into singular sub-messages; repeated fields are replaced as a whole;
// - a masked field that is unset in the patch is cleared;
// - "*" alone means every updatable top-level field (full replacement); combined with
//   other paths it is the violation WILDCARD_NOT_ALONE and is otherwise ignored;
// - an empty mask means the updatable top-level fields that are set in the patch.
// Paths outside the resource are violations UNKNOWN_FIELD_PATH; the name and output-only
// fields (status, times, version, etag, ...) are FIELD_NOT_UPDATABLE; both name the field
// "update_mask".

#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "libs/errors/errors.h"
#include "samrad/registry/v1/resources.pb.h"

namespace samrad::registry::domain {

struct MaskSpec {
  // Paths that may be updated, nested ones included.
  std::vector<std::string> updatable;
  // Fields of the resource that cannot be updated (name, output-only, lifecycle state).
  std::vector<std::string> not_updatable;
};

const MaskSpec& CommitteeMaskSpec();
const MaskSpec& AdministrationMaskSpec();
const MaskSpec& PersonMaskSpec();
const MaskSpec& DialogueMaskSpec();
const MaskSpec& ConsultationMaskSpec();

// Adds a violation naming "update_mask" for every path that is not in `spec.updatable`.
void CheckUpdateMask(const google::protobuf::FieldMask& mask, const MaskSpec& spec,
                     errors::Violations& violations);

// The paths to apply: "*" alone becomes every top-level updatable field, an empty mask the
// top-level updatable fields set in `patch`; otherwise the updatable paths of `mask`, in
// order, without duplicates.
google::protobuf::FieldMask EffectiveMask(const google::protobuf::Message& patch,
                                          const google::protobuf::FieldMask& mask,
                                          const MaskSpec& spec);

// True when `mask` selects `path`: the path or one of its ancestors is in the mask
// ("outcome" selects "outcome.result").
bool MaskSelects(const google::protobuf::FieldMask& mask, std::string_view path);
// True when `mask` selects `path` or anything below it ("outcome.result" touches
// "outcome").
bool MaskTouches(const google::protobuf::FieldMask& mask, std::string_view path);

// `current` with the fields of EffectiveMask(patch, mask) taken from `patch`. Paths that
// are not updatable are ignored, so output-only fields of `current` are kept.
v1::Committee ApplyMask(const v1::Committee& current, const v1::Committee& patch,
                        const google::protobuf::FieldMask& mask);
v1::Administration ApplyMask(const v1::Administration& current, const v1::Administration& patch,
                             const google::protobuf::FieldMask& mask);
v1::Person ApplyMask(const v1::Person& current, const v1::Person& patch,
                     const google::protobuf::FieldMask& mask);
v1::Dialogue ApplyMask(const v1::Dialogue& current, const v1::Dialogue& patch,
                       const google::protobuf::FieldMask& mask);
v1::Consultation ApplyMask(const v1::Consultation& current, const v1::Consultation& patch,
                           const google::protobuf::FieldMask& mask);

}  // namespace samrad::registry::domain

#endif  // SAMRAD_SERVICES_REGISTRY_DOMAIN_FIELD_MASKS_H_
