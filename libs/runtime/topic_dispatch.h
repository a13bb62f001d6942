#ifndef SAMRAD_LIBS_RUNTIME_TOPIC_DISPATCH_H_
#define SAMRAD_LIBS_RUNTIME_TOPIC_DISPATCH_H_

// Routes each entry of a projection's source topics to the apply function of its topic, in
// place of hand-written `if (source.topic == ...)` chains:
//
//   const TopicDispatch dispatch =
//       TopicDispatch()
//           .OnEnvelope<registry::v1::RegistryEvent>(kRegistryTopic, EvolveRegistryFacts)
//           .OnEnvelope<v1::SchedulingEvent>(kSchedulingTopic, EvolveMeetings);
//   spec.apply = dispatch;  // a ModuleApplyFn
//
// An entry of a topic without a route is ApplyOutcome::kUnknown: ProjectionModule counts it
// and skips it, as it does an unknown case of a known envelope. OnEnvelope also answers
// kUnknown for a record that is not an envelope and for an envelope whose case this build
// does not know, so the function it routes to sees only decoded, known cases.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/eventlog/event_log.h"
#include "libs/projection/projection_store.h"
#include "libs/runtime/envelope.h"
#include "libs/runtime/projection_module.h"

namespace samrad::runtime {

class TopicDispatch {
 public:
  TopicDispatch() = default;

  // Routes the entries of `topic` to `apply`. A topic routed twice is a wiring mistake:
  // status() reports it, and every apply then fails with it (so the projection stops at
  // its first entry and the module does not become ready, instead of silently counting a
  // whole topic as unknown).
  TopicDispatch& On(std::string_view topic, ModuleApplyFn apply);

  // Routes `topic` to `evolve(event, tx)` for the entries that decode as an `Envelope` with
  // a case set; `evolve` returns absl::StatusOr<ApplyOutcome> (or anything convertible),
  // and finds the entry's source and offset in tx.source() and tx.offset().
  template <typename Envelope, typename Evolve>
  TopicDispatch& OnEnvelope(std::string_view topic, Evolve evolve) {
    return On(topic,
              [evolve = std::move(evolve)](
                  const eventlog::TopicPartition& source, const eventlog::Entry& entry,
                  projection::Transaction& tx) -> absl::StatusOr<ApplyOutcome> {
                std::optional<Envelope> event = DecodeEnvelope<Envelope>(source, entry);
                if (!event || event->event_case() == Envelope::EVENT_NOT_SET) {
                  return ApplyOutcome::kUnknown;
                }
                return evolve(*event, tx);
              });
  }

  // Applies `entry` with the route of source.topic; kUnknown for a topic without one.
  absl::StatusOr<ApplyOutcome> operator()(const eventlog::TopicPartition& source,
                                          const eventlog::Entry& entry,
                                          projection::Transaction& tx) const;

  // Whether `topic` has a route.
  bool Routes(std::string_view topic) const;
  // The routed topics, in the order they were added.
  std::vector<std::string> topics() const;
  // OK unless the routes are miswired (see On).
  const absl::Status& status() const { return status_; }

 private:
  // A handful of topics at most: a linear scan beats hashing the topic name.
  std::vector<std::pair<std::string, ModuleApplyFn>> routes_;
  absl::Status status_;
};

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_TOPIC_DISPATCH_H_
