#include "services/registry/domain/lifecycle.h"

#include "services/registry/domain/dates.h"
#include "services/registry/domain/text_rules.h"

namespace samrad::registry::domain {
namespace {

// Position on the main line; 0 for statuses that are not on it.
int Rank(v1::DialogueStatus status) {
  switch (status) {
    case v1::PLANNED:
      return 1;
    case v1::ONGOING:
      return 2;
    case v1::COMPLETED:
      return 3;
    case v1::FEEDBACK_GIVEN:
      return 4;
    case v1::EVALUATED:
      return 5;
    default:
      return 0;
  }
}

bool Present(const v1::Dialogue& d, std::string_view path) {
  if (path == "end_date") return d.has_end_date() && IsValidDate(d.end_date());
  if (path == "outcome.result") return !IsBlank(d.outcome().result());
  if (path == "outcome.feedback.date") {
    return d.outcome().feedback().has_date() && IsValidDate(d.outcome().feedback().date());
  }
  if (path == "outcome.feedback.method") return !IsBlank(d.outcome().feedback().method());
  if (path == "outcome.evaluation") return !IsBlank(d.outcome().evaluation());
  return false;
}

}  // namespace

bool IsAllowedTransition(v1::DialogueStatus from, v1::DialogueStatus to) {
  if (to == v1::CANCELLED) {
    return from == v1::PLANNED || from == v1::ONGOING || from == v1::COMPLETED;
  }
  const int from_rank = Rank(from);
  const int to_rank = Rank(to);
  return from_rank != 0 && to_rank == from_rank + 1;
}

std::vector<v1::DialogueStatus> AllowedTransitions(v1::DialogueStatus from) {
  std::vector<v1::DialogueStatus> out;
  for (v1::DialogueStatus to : {v1::PLANNED, v1::ONGOING, v1::COMPLETED, v1::FEEDBACK_GIVEN,
                                v1::EVALUATED, v1::CANCELLED}) {
    if (IsAllowedTransition(from, to)) out.push_back(to);
  }
  return out;
}

std::vector<std::string> RequiredForStatus(v1::DialogueStatus status) {
  std::vector<std::string> out;
  const int rank = Rank(status);
  if (rank >= Rank(v1::COMPLETED)) {
    out.push_back("outcome.result");
    out.push_back("end_date");
  }
  if (rank >= Rank(v1::FEEDBACK_GIVEN)) {
    out.push_back("outcome.feedback.date");
    out.push_back("outcome.feedback.method");
  }
  if (rank >= Rank(v1::EVALUATED)) out.push_back("outcome.evaluation");
  return out;
}

std::vector<std::string> MissingForStatus(const v1::Dialogue& dialogue, v1::DialogueStatus status) {
  std::vector<std::string> out;
  for (std::string& path : RequiredForStatus(status)) {
    if (!Present(dialogue, path)) out.push_back(std::move(path));
  }
  return out;
}

std::string_view StatusLabel(v1::DialogueStatus status, Lang lang) {
  switch (status) {
    case v1::PLANNED:
      return Tr(lang, "planerad", "planned");
    case v1::ONGOING:
      return Tr(lang, "pågående", "ongoing");
    case v1::COMPLETED:
      return Tr(lang, "genomförd", "completed");
    case v1::FEEDBACK_GIVEN:
      return Tr(lang, "återkopplad", "feedback given");
    case v1::EVALUATED:
      return Tr(lang, "utvärderad", "evaluated");
    case v1::CANCELLED:
      return Tr(lang, "inställd", "cancelled");
    default:
      return Tr(lang, "okänd", "unknown");
  }
}

}  // namespace samrad::registry::domain
