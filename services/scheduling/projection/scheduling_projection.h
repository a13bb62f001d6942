#ifndef SAMRAD_SERVICES_SCHEDULING_PROJECTION_SCHEDULING_PROJECTION_H_
#define SAMRAD_SERVICES_SCHEDULING_PROJECTION_SCHEDULING_PROJECTION_H_

#include <string>

#include "libs/runtime/projection_module.h"

namespace samrad::scheduling {

inline constexpr int kProjectionSchemaVersion = 1;

// "tenant/<code>" → registry TenantCreated (scheduling's own copy of registry facts).
std::string TenantKey(std::string_view code);
// "meeting/<tenant>/<meeting id>" → MeetingScheduled.
std::string MeetingKey(std::string_view tenant, std::string_view meeting_id);

// Evolve of the scheduling projection over registry.events.v1 and scheduling.events.v1.
absl::StatusOr<runtime::ApplyOutcome> ApplySchedulingEntry(const eventlog::TopicPartition& source,
                                                           const eventlog::Entry& entry,
                                                           projection::Transaction& tx);

}  // namespace samrad::scheduling

#endif  // SAMRAD_SERVICES_SCHEDULING_PROJECTION_SCHEDULING_PROJECTION_H_
