#ifndef SAMRAD_SERVICES_REPORTING_PROJECTION_REPORTING_PROJECTION_H_
#define SAMRAD_SERVICES_REPORTING_PROJECTION_REPORTING_PROJECTION_H_

#include <string>

#include "libs/runtime/projection_module.h"

namespace samrad::reporting {

inline constexpr int kProjectionSchemaVersion = 1;

// "events/<tenant>/<event type>" → count (key_codec int64): how many facts of each kind a
// tenant has recorded, across every service; the base of the dashboard metrics.
std::string EventCountKey(std::string_view tenant, std::string_view event_type);

// Evolve of the reporting projection over every topic.
absl::StatusOr<runtime::ApplyOutcome> ApplyReportingEntry(const eventlog::TopicPartition& source,
                                                          const eventlog::Entry& entry,
                                                          projection::Transaction& tx);

}  // namespace samrad::reporting

#endif  // SAMRAD_SERVICES_REPORTING_PROJECTION_REPORTING_PROJECTION_H_
