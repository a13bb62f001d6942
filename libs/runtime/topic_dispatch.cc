#include "libs/runtime/topic_dispatch.h"

#include "absl/strings/str_cat.h"

namespace samrad::runtime {

TopicDispatch& TopicDispatch::On(std::string_view topic, ModuleApplyFn apply) {
  if (Routes(topic)) {
    if (status_.ok()) {
      status_ = absl::FailedPreconditionError(
          absl::StrCat("topic dispatch: ", std::string(topic), " is routed twice"));
    }
    return *this;
  }
  if (!apply && status_.ok()) {
    status_ = absl::FailedPreconditionError(
        absl::StrCat("topic dispatch: ", std::string(topic), " is routed to an empty function"));
  }
  routes_.emplace_back(std::string(topic), std::move(apply));
  return *this;
}

absl::StatusOr<ApplyOutcome> TopicDispatch::operator()(const eventlog::TopicPartition& source,
                                                       const eventlog::Entry& entry,
                                                       projection::Transaction& tx) const {
  if (!status_.ok()) return status_;
  for (const auto& [topic, apply] : routes_) {
    if (topic == source.topic) return apply(source, entry, tx);
  }
  return ApplyOutcome::kUnknown;
}

bool TopicDispatch::Routes(std::string_view topic) const {
  for (const auto& route : routes_) {
    if (route.first == topic) return true;
  }
  return false;
}

std::vector<std::string> TopicDispatch::topics() const {
  std::vector<std::string> out;
  out.reserve(routes_.size());
  for (const auto& route : routes_) out.push_back(route.first);
  return out;
}

}  // namespace samrad::runtime
