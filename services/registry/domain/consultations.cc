#include "services/registry/domain/consultations.h"

#include "services/registry/domain/dates.h"

namespace samrad::registry::domain {

std::optional<v1::ConsultationAnswer> AnswerOf(const v1::Consultation& consultation,
                                               std::string_view body) {
  for (const v1::ConsultationAnswer& answer : consultation.answers()) {
    if (answer.body() == body) return answer;
  }
  return std::nullopt;
}

bool HadAnsweredOn(const v1::Consultation& consultation, std::string_view body,
                   const google::type::Date& day) {
  const std::optional<v1::ConsultationAnswer> answer = AnswerOf(consultation, body);
  if (!answer.has_value()) return false;
  // Validation requires a received date; an answer without a valid one cannot be placed in
  // time, so it counts as given (as it did before dates were judged).
  if (!IsValidDate(answer->received_date())) return true;
  return CompareDates(answer->received_date(), day) <= 0;
}

std::vector<v1::OverdueBody> OverdueBodies(const v1::Consultation& consultation,
                                           const google::type::Date& today) {
  std::vector<v1::OverdueBody> out;
  if (!IsValidDate(consultation.deadline()) || !IsValidDate(today)) return out;
  const int64_t days = DaysBetween(consultation.deadline(), today);
  if (days <= 0) return out;
  for (const std::string& body : consultation.bodies()) {
    if (HadAnsweredOn(consultation, body, today)) continue;
    v1::OverdueBody overdue;
    overdue.set_consultation(consultation.name());
    overdue.set_case_number(consultation.case_number());
    overdue.set_body(body);
    *overdue.mutable_deadline() = consultation.deadline();
    overdue.set_days_overdue(static_cast<int32_t>(days));
    out.push_back(std::move(overdue));
  }
  return out;
}

}  // namespace samrad::registry::domain
