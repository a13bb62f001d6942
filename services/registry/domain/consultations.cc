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

std::vector<v1::OverdueBody> OverdueBodies(const v1::Consultation& consultation,
                                           const google::type::Date& today) {
  std::vector<v1::OverdueBody> out;
  if (!IsValidDate(consultation.deadline()) || !IsValidDate(today)) return out;
  const int64_t days = DaysBetween(consultation.deadline(), today);
  if (days <= 0) return out;
  for (const std::string& body : consultation.bodies()) {
    if (AnswerOf(consultation, body).has_value()) continue;
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
