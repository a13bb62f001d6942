#ifndef SAMRAD_TESTS_TESTING_CHILD_PROCESS_H_
#define SAMRAD_TESTS_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace samrad::testutil {

// A child process that is killed (SIGKILL) and reaped when the guard goes away, whatever the
// test's outcome. It also dies with the test process (PR_SET_PDEATHSIG).
class ChildProcess {
 public:
  // Starts `argv` (argv[0] is the executable's path) with stdout and stderr redirected to the
  // given files. Returns nullptr (and records a test failure) if it cannot start.
  static std::unique_ptr<ChildProcess> Start(const std::vector<std::string>& argv,
                                             const std::string& stdout_path,
                                             const std::string& stderr_path);
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal);
  bool Running();

  // Waits up to `timeout` for the process to exit and returns its wait status, or nothing if
  // it is still running.
  std::optional<int> Wait(absl::Duration timeout);

  // Waits for a normal exit and returns its code; -1 (and a test failure) otherwise.
  int WaitExitCode(absl::Duration timeout);

 private:
  ChildProcess(pid_t pid, std::string name) : pid_(pid), name_(std::move(name)) {}
  std::optional<int> PollExit();

  const pid_t pid_;
  const std::string name_;
  bool exited_ = false;
  int status_ = 0;
};

// Path of a binary of the build: $SAMRAD_BIN_DIR/<name> (set by ctest), else `fallback`.
std::string BinaryPath(const std::string& name, const std::string& fallback_dir);

// The whole content of a file ("" if it cannot be read).
std::string ReadFile(const std::string& path);

// Runs `argv` to completion (bounded by `timeout`) and returns its exit code, with its
// stdout in `*out` when given. -1 when it did not finish in time.
int RunCommand(const std::vector<std::string>& argv, absl::Duration timeout,
               std::string* out = nullptr);

}  // namespace samrad::testutil

#endif  // SAMRAD_TESTS_TESTING_CHILD_PROCESS_H_
