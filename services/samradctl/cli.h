#ifndef SAMRAD_SERVICES_SAMRADCTL_CLI_H_
#define SAMRAD_SERVICES_SAMRADCTL_CLI_H_

// samradctl's command line: every command and option, parsed into an Invocation. No I/O
// besides the help and error texts written to the given streams; no gRPC.
//
//   samradctl [--lang sv|en] [--target HOST:PORT] [--actor ID] [--actor-name NAME]
//             [--actor-role ROLE] [--actor-administration ID] [-o table|json]
//             [--parent tenants/1280] [--timeout SECONDS] COMMAND ...
//
// Global options may also follow the command. Defaults come from the environment:
// SAMRAD_LANG, SAMRAD_TARGET, SAMRAD_ACTOR, SAMRAD_ACTOR_NAME, SAMRAD_ACTOR_ROLE,
// SAMRAD_ACTOR_ADMINISTRATION.

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "libs/common/lang.h"
#include "samrad/common/v1/event_metadata.pb.h"
#include "services/samradctl/kinds.h"
#include "services/samradctl/output.h"
#include "services/samradctl/requests.h"

namespace samrad::ctl {

// Reads an environment variable; nullopt when it is not set.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (std::getenv).
Environment ProcessEnvironment();

inline constexpr std::string_view kDefaultTarget = "127.0.0.1:7400";

struct GlobalOptions {
  std::string target = std::string(kDefaultTarget);
  // Sent as request metadata; writes need an id.
  common::v1::Actor actor;
  OutputFormat format = OutputFormat::kTable;
  // Parent (--parent) and language (--lang).
  Scope scope;
  absl::Duration timeout = absl::Seconds(10);

  Lang lang() const { return scope.lang; }
};

enum class Command {
  kHealth,
  kGet,
  kList,
  kCreate,
  kUpdate,
  kAnswer,
  kTransition,
  kEnd,
  kRetire,
  kHistory,
};

// True for the commands that change something (and so need an actor).
bool IsWrite(Command command);

// One parsed command line. Fields not used by the command stay empty.
struct Invocation {
  GlobalOptions global;
  Command command = Command::kHealth;
  Kind kind = Kind::kDialogue;
  // get/end/retire NAME, transition DIALOGUE.
  std::string name;
  // get --as-of-version / --as-of-time.
  std::string as_of_version;
  std::string as_of_time;
  // list, history.
  ListInput list;
  // create and update: the fields; `json` is filled from `from_file` by the caller.
  CreateInput create;
  UpdateInput update;
  std::string from_file;
  AnswerInput answer;
  // transition --status.
  std::string status;
  // transition/end/retire --etag.
  std::string etag;
  // end --date.
  std::string date;
  // Every write's --reason and --request-id (a new UUID when not given).
  WriteFlags write;
};

// What parsing gave: an invocation to run, or the exit code when there is nothing to run
// (0 after --help; kExitUsage after a usage error, which has been printed to `err`).
struct ParseResult {
  std::optional<Invocation> invocation;
  int exit_code = 0;
};

// Parses `args` (without the program name). Help goes to `out`, usage errors to `err`, in
// the language chosen by --lang (or SAMRAD_LANG; Swedish by default).
ParseResult ParseCommandLine(const std::vector<std::string>& args, const Environment& env,
                             std::ostream& out, std::ostream& err);

// The language `args` and `env` ask for: the last --lang, else SAMRAD_LANG, else Swedish;
// nullopt for an unknown language tag.
std::optional<Lang> DetectLang(const std::vector<std::string>& args, const Environment& env);

}  // namespace samrad::ctl

#endif  // SAMRAD_SERVICES_SAMRADCTL_CLI_H_
