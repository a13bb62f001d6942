#ifndef SAMRAD_SERVICES_SAMRADCTL_ERROR_OUTPUT_H_
#define SAMRAD_SERVICES_SAMRADCTL_ERROR_OUTPUT_H_

// What samradctl prints when a call fails, and the exit codes of its registry commands.
//
// A Samråd server answers errors with a google.rpc.Status in the binary details:
// LocalizedMessage (already in the language asked for), BadRequest field violations and
// ErrorInfo. They are printed as
//
//   fel: Begäran har 2 ogiltiga fält. [INVALID_ARGUMENT]
//     dialogue.title: Ange en titel.
//     dialogue.elected_officials: En medborgardialog kräver deltagande förtroendevalda.
//     orsak: REQUIRED (registry.samrad.malmo.se) field=dialogue.title
//
// ("error:", "reason:" in English). A status without details prints its message.

#include <ostream>
#include <string_view>

#include "grpcpp/support/status.h"
#include "libs/common/lang.h"

namespace samrad::ctl {

// Exit codes of samradctl's registry commands (`health` keeps its own, see
// health_command.h).
inline constexpr int kExitOk = 0;
// The server answered with an error.
inline constexpr int kExitServerError = 1;
// The command line is wrong (unknown option, bad value, missing actor for a write).
inline constexpr int kExitUsage = 2;
// Nobody answered at the target.
inline constexpr int kExitUnreachable = 3;

// True when the call never reached a server: UNAVAILABLE without google.rpc details (a
// Samråd server always sends details with the errors it produces).
bool IsUnreachable(const grpc::Status& status);

// kExitOk, kExitUnreachable or kExitServerError.
int ExitCodeFor(const grpc::Status& status);

// Prints a failed call's error as described above; for an unreachable target, "kan inte nå
// TARGET: message". Nothing for an OK status.
void PrintError(const grpc::Status& status, std::string_view target, Lang lang, std::ostream& err);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_ERROR_OUTPUT_H_
