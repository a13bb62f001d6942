#include "services/registry/domain/decide_support.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace samrad::registry::domain {

v1::Warning ToProto(const Warning& warning, Lang lang) {
  v1::Warning out;
  out.set_field(warning.field);
  out.set_reason(warning.reason);
  out.set_description(lang == Lang::kEn ? warning.description.en : warning.description.sv);
  return out;
}

v1::RecordedWarning ToRecorded(const Warning& warning) {
  v1::RecordedWarning out;
  out.set_field(warning.field);
  out.set_reason(warning.reason);
  out.set_description_sv(warning.description.sv);
  out.set_description_en(warning.description.en);
  return out;
}

v1::Warning ToProto(const v1::RecordedWarning& warning, Lang lang) {
  return ToProto(
      Warning{
          warning.field(), warning.reason(), {warning.description_sv(), warning.description_en()}},
      lang);
}

namespace internal {

absl::Status NotFound(std::string_view what_sv, std::string_view what_en, std::string_view name) {
  return errors::Error(absl::StatusCode::kNotFound, kErrorDomain, "RESOURCE_NOT_FOUND",
                    texts::UnknownReference(what_sv, what_en, name), {{"name", std::string(name)}});
}

absl::Status TenantNotFound(std::string_view name) {
  return errors::Error(absl::StatusCode::kNotFound, kErrorDomain, "TENANT_NOT_FOUND",
                    texts::UnknownReference("Kommunen", "The tenant", name),
                    {{"name", std::string(name)}});
}

absl::Status AlreadyExists(std::string_view name) {
  return errors::Error(absl::StatusCode::kAlreadyExists, kErrorDomain, "RESOURCE_EXISTS",
                    {absl::StrCat(std::string(name), " finns redan."),
                     absl::StrCat(std::string(name), " already exists.")},
                    {{"name", std::string(name)}});
}

absl::Status Precondition(std::string reason, errors::Text text,
                          std::map<std::string, std::string> metadata) {
  return errors::Error(absl::StatusCode::kFailedPrecondition, kErrorDomain, std::move(reason),
                    std::move(text), std::move(metadata));
}

absl::Status ReferenceRetired(std::string reason, std::string_view what_sv,
                              std::string_view what_en, std::string_view field,
                              std::string_view name) {
  return Precondition(std::move(reason), texts::RetiredReference(what_sv, what_en, name),
                      {{"field", std::string(field)}, {"name", std::string(name)}});
}

absl::Status Retired(std::string_view what_sv, std::string_view what_en, std::string_view name) {
  errors::Text text = texts::RetiredReference(what_sv, what_en, name);
  text.sv += " Den kan inte ändras.";
  text.en += " It cannot be changed.";
  return Precondition("RETIRED", std::move(text), {{"name", std::string(name)}});
}

google::protobuf::FieldMask MaskOf(std::initializer_list<std::string_view> paths) {
  google::protobuf::FieldMask mask;
  for (std::string_view path : paths) mask.add_paths(std::string(path));
  return mask;
}

void StripOutputOnly(v1::Committee& committee) { committee.clear_etag(); }
void StripOutputOnly(v1::Administration& administration) { administration.clear_etag(); }
void StripOutputOnly(v1::Person& person) { person.clear_etag(); }
void StripOutputOnly(v1::Appointment& appointment) { appointment.clear_etag(); }

void StripOutputOnly(v1::Dialogue& dialogue) {
  dialogue.clear_etag();
  dialogue.clear_version();
  dialogue.clear_principles();
}

void StripOutputOnly(v1::Consultation& consultation) {
  consultation.clear_etag();
  consultation.clear_version();
}

}  // namespace internal
}  // namespace samrad::registry::domain
