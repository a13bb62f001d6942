#ifndef SAMRAD_TESTS_SERVICES_E2E_SUPPORT_H_
#define SAMRAD_TESTS_SERVICES_E2E_SUPPORT_H_

// Helpers of the end-to-end tests: seed events in the shape the services write them, and
// read where each projection of a running server stands.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/eventlog/event_log.h"
#include "samrad/ops/v1/operations.pb.h"

namespace samrad::e2e {

// A registry TenantCreated for `code`, as a log record.
eventlog::Record TenantCreatedRecord(const std::string& code, const std::string& name);
// A scheduling MeetingScheduled in tenant 1280.
eventlog::Record MeetingScheduledRecord(const std::string& meeting_id);
// A registry envelope whose only case is field 9999, unknown to this build.
eventlog::Record UnknownCaseRecord();

// samrad.ops.v1.Operations/ListProjections at `target`, keyed by projection name.
absl::StatusOr<std::map<std::string, ops::v1::ProjectionStatus>> ListProjections(
    const std::string& target);

// next_offset of `topic` partition 0 in `status` (-1 if the projection does not read it).
int64_t NextOffset(const ops::v1::ProjectionStatus& status, const std::string& topic);

}  // namespace samrad::e2e

#endif  // SAMRAD_TESTS_SERVICES_E2E_SUPPORT_H_
