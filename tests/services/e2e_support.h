#ifndef SAMRAD_TESTS_SERVICES_E2E_SUPPORT_H_
#define SAMRAD_TESTS_SERVICES_E2E_SUPPORT_H_

// Helpers of the end-to-end tests: seed events in the shape the services write them, and
// read where each projection of a running server stands.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/eventlog/event_log.h"
#include "samrad/ops/v1/operations.pb.h"

namespace samrad::e2e {

// A registry TenantCreated for `code`, as a log record.
eventlog::Record TenantCreatedRecord(const std::string& code, const std::string& name);
// A scheduling MeetingScheduled in tenant 1280.
eventlog::Record MeetingScheduledRecord(const std::string& meeting_id);
// A registry envelope whose only case is field 9999, unknown to this build.
eventlog::Record UnknownCaseRecord();

// samrad.ops.v1.Operations/ListProjections at `target`, keyed by projection name. An RPC
// error keeps its code (DEADLINE_EXCEEDED when no answer came within `timeout`).
absl::StatusOr<std::map<std::string, ops::v1::ProjectionStatus>> ListProjections(
    const std::string& target, absl::Duration timeout = absl::Seconds(10));

// next_offset of `topic` partition 0 in `status` (-1 if the projection does not read it):
// how far the projector has applied, which may lag what the command executor appended.
int64_t NextOffset(const ops::v1::ProjectionStatus& status, const std::string& topic);

// high_watermark of `topic` partition 0 in `status` (-1 if the projection does not read it):
// the end of the log itself, which the server asks the log for on every ListProjections.
// What "nothing was appended" checks compare.
int64_t HighWatermark(const ops::v1::ProjectionStatus& status, const std::string& topic);

}  // namespace samrad::e2e

#endif  // SAMRAD_TESTS_SERVICES_E2E_SUPPORT_H_
