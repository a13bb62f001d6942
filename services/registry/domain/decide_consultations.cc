// Decide for consultation rounds (remiss). The rules are documented in decide.h.

#include <optional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/registry/domain/consultations.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/decide_support.h"
#include "services/registry/domain/field_masks.h"
#include "services/registry/domain/names.h"
#include "services/registry/domain/rule_texts.h"
#include "services/registry/domain/text_rules.h"
#include "services/registry/domain/validation.h"

namespace samrad::registry::domain {
namespace {

using internal::AddEvent;
using internal::AlreadyExists;
using internal::Invalid;
using internal::NotFound;
using internal::Precondition;
using internal::ReferenceRetired;
using internal::StripOutputOnly;
using internal::TenantNotFound;

constexpr std::string_view kConsultationSv = "Remissen";
constexpr std::string_view kConsultationEn = "The consultation";

// Each body that is not in `skip` exists and is active.
absl::Status CheckBodies(const RegistryView& view, const v1::Consultation& consultation,
                         const std::set<std::string>& skip) {
  errors::Violations v;
  absl::Status retired;
  for (int i = 0; i < consultation.bodies_size(); ++i) {
    const std::string& body = consultation.bodies(i);
    if (skip.count(body) > 0) continue;
    const std::string field = absl::StrCat("consultation.bodies[", i, "]");
    const std::optional<v1::Committee> committee = view.GetCommittee(body);
    if (!committee.has_value()) {
      v.Add(field, "REFERENCE_NOT_FOUND",
            texts::UnknownReference("Nämnden", "The committee", body));
    } else if (committee->state() == v1::RETIRED && retired.ok()) {
      retired = ReferenceRetired("COMMITTEE_RETIRED", "Nämnden", "The committee", field, body);
    }
  }
  if (!v.empty()) return Invalid(v);
  return retired;
}

}  // namespace

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::CreateConsultationRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  if (!view.GetTenant(r.parent()).has_value()) return TenantNotFound(r.parent());
  const std::string name =
      ResourceNameOf(r.parent(), Collection::kConsultations, r.consultation_id());
  if (view.GetConsultation(name).has_value()) return AlreadyExists(name);

  v1::Consultation consultation = r.consultation();
  consultation.set_name(name);
  consultation.clear_answers();
  *consultation.mutable_create_time() = ToTimestamp(ctx.now);
  *consultation.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(consultation);
  if (absl::Status s = CheckBodies(view, consultation, {}); !s.ok()) return s;

  DecideResult result;
  *AddEvent(result).mutable_consultation_opened()->mutable_consultation() = std::move(consultation);
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::UpdateConsultationRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::string& name = r.consultation().name();
  const std::optional<v1::Consultation> current = view.GetConsultation(name);
  if (!current.has_value()) return NotFound(kConsultationSv, kConsultationEn, name);

  const google::protobuf::FieldMask mask =
      EffectiveMask(r.consultation(), r.update_mask(), ConsultationMaskSpec());
  v1::Consultation merged = ApplyMask(*current, r.consultation(), mask);
  *merged.mutable_update_time() = ToTimestamp(ctx.now);
  StripOutputOnly(merged);

  errors::Violations v;
  if (MaskSelects(mask, "start_date") || MaskSelects(mask, "deadline")) {
    if (IsValidDate(merged.start_date()) && IsValidDate(merged.deadline()) &&
        CompareDates(merged.deadline(), merged.start_date()) < 0) {
      v.Add("consultation.deadline", "END_BEFORE_START",
            texts::EndBeforeStart("Sista svarsdag", "The deadline", "consultation.start_date"));
    }
  }
  if (MaskSelects(mask, "bodies")) {
    const std::set<std::string> kept(merged.bodies().begin(), merged.bodies().end());
    for (const v1::ConsultationAnswer& answer : current->answers()) {
      if (kept.count(answer.body()) == 0) {
        v.Add("consultation.bodies", "BODY_HAS_ANSWERED",
              {absl::StrCat(answer.body(), " har redan svarat och kan inte tas bort."),
               absl::StrCat(answer.body(), " has already answered and cannot be removed.")});
      }
    }
  }
  if (!v.empty()) return Invalid(v);
  if (MaskSelects(mask, "bodies")) {
    // Bodies asked before stay valid even if retired since; new ones must be active.
    const std::set<std::string> asked(current->bodies().begin(), current->bodies().end());
    if (absl::Status s = CheckBodies(view, merged, asked); !s.ok()) return s;
  }

  DecideResult result;
  auto* event = AddEvent(result).mutable_consultation_updated();
  *event->mutable_consultation() = std::move(merged);
  *event->mutable_update_mask() = mask;
  return result;
}

absl::StatusOr<DecideResult> Decide(const RegistryView& view,
                                    const v1::RecordConsultationAnswerRequest& r,
                                    const DecideContext& ctx) {
  if (const errors::Violations v = Validate(r); !v.empty()) return Invalid(v);
  const std::optional<v1::Consultation> current = view.GetConsultation(r.consultation());
  if (!current.has_value()) return NotFound(kConsultationSv, kConsultationEn, r.consultation());
  const v1::ConsultationAnswer& answer = r.answer();

  errors::Violations v;
  bool asked = false;
  for (const std::string& body : current->bodies()) asked = asked || body == answer.body();
  if (!asked) {
    v.Add("answer.body", "BODY_NOT_ASKED",
          {absl::StrCat(answer.body(), " är inte remissinstans i ", current->case_number(), "."),
           absl::StrCat(answer.body(), " was not asked in ", current->case_number(), ".")});
  }
  if (IsValidDate(current->start_date()) &&
      CompareDates(answer.received_date(), current->start_date()) < 0) {
    const std::string start = FormatDate(current->start_date());
    v.Add("answer.received_date", "BEFORE_START",
          {absl::StrCat("Svaret kan inte ha kommit in före remisstidens början ", start, "."),
           absl::StrCat("The answer cannot have been received before the round opened on ", start,
                        ".")});
  }
  if (CompareDates(answer.received_date(), ctx.today) > 0) {
    v.Add("answer.received_date", "IN_FUTURE",
          {"Datumet har inte varit än.", "The date has not come yet."});
  }
  if (!v.empty()) return Invalid(v);

  // One answer per body; a correction must say why (decide.h).
  if (AnswerOf(*current, answer.body()).has_value() && IsBlank(r.options().reason())) {
    return Precondition(
        "ANSWER_ALREADY_RECORDED",
        {absl::StrCat(answer.body(),
                      " har redan svarat. En rättelse ersätter svaret och kräver ett skäl "
                      "(options.reason)."),
         absl::StrCat(answer.body(),
                      " has already answered. A correction replaces the answer and needs a "
                      "reason (options.reason).")},
        {{"consultation", r.consultation()}, {"body", answer.body()}});
  }

  DecideResult result;
  auto* event = AddEvent(result).mutable_consultation_answer_recorded();
  event->set_consultation(r.consultation());
  *event->mutable_answer() = answer;
  return result;
}

}  // namespace samrad::registry::domain
