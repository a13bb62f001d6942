#ifndef SAMRAD_LIBS_RUNTIME_ENVELOPE_H_
#define SAMRAD_LIBS_RUNTIME_ENVELOPE_H_

#include <optional>

#include "libs/common/log.h"
#include "libs/eventlog/event_log.h"

namespace samrad::runtime {

// Decodes one `<Service>Event` envelope from a log entry; nullopt when the bytes are not
// one (logged: such a record is skipped and counted as unknown, never fatal).
template <typename Envelope>
std::optional<Envelope> DecodeEnvelope(const eventlog::TopicPartition& source,
                                       const eventlog::Entry& entry) {
  Envelope envelope;
  if (!envelope.ParseFromString(entry.value)) {
    SAMRAD_LOG_WARN("{}@{}: record is not a {}", source.ToString(), entry.offset,
                    Envelope::descriptor()->full_name());
    return std::nullopt;
  }
  return envelope;
}

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_ENVELOPE_H_
