#include "tests/testing/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace samrad::testutil {

std::unique_ptr<ChildProcess> ChildProcess::Start(const std::vector<std::string>& argv,
                                                  const std::string& stdout_path,
                                                  const std::string& stderr_path) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe
  // calls are allowed in the child of a multi-threaded parent.
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0) {
    ADD_FAILURE() << "cannot open " << stdout_path << " or " << stderr_path;
    if (out >= 0) close(out);
    if (err >= 0) close(err);
    return nullptr;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    // The test binary may block signals in its threads; the child starts with none blocked.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out);
  close(err);
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return nullptr;
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, argv[0]));
}

ChildProcess::~ChildProcess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    int status;
    waitpid(pid_, &status, 0);
  }
}

void ChildProcess::Signal(int signal) {
  if (!exited_) kill(pid_, signal);
}

bool ChildProcess::Running() { return !PollExit().has_value(); }

std::optional<int> ChildProcess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (std::optional<int> status = PollExit()) return status;
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(5));
  }
}

int ChildProcess::WaitExitCode(absl::Duration timeout) {
  std::optional<int> status = Wait(timeout);
  if (!status.has_value()) {
    ADD_FAILURE() << name_ << " still runs after " << timeout;
    return -1;
  }
  if (!WIFEXITED(*status)) {
    ADD_FAILURE() << name_ << " ended abnormally, wait status " << *status;
    return -1;
  }
  return WEXITSTATUS(*status);
}

std::optional<int> ChildProcess::PollExit() {
  if (exited_) return status_;
  int status;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exited_ = true;
    status_ = status;
    return status;
  }
  return std::nullopt;
}

std::string BinaryPath(const std::string& name, const std::string& fallback_dir) {
  const char* bin_dir = std::getenv("SAMRAD_BIN_DIR");
  if (bin_dir != nullptr && *bin_dir != '\0') return std::string(bin_dir) + "/" + name;
  return fallback_dir + "/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

int RunCommand(const std::vector<std::string>& argv, absl::Duration timeout, std::string* out) {
  char tmpl[] = "/tmp/samrad-cmd-XXXXXX";
  const int fd = mkstemp(tmpl);
  if (fd < 0) return -1;
  close(fd);
  const std::string path = tmpl;
  int code = -1;
  {
    auto child = ChildProcess::Start(argv, path, path + ".err");
    if (child != nullptr) {
      std::optional<int> status = child->Wait(timeout);
      if (status.has_value() && WIFEXITED(*status)) code = WEXITSTATUS(*status);
    }
  }
  if (out != nullptr) *out = ReadFile(path) + ReadFile(path + ".err");
  unlink(path.c_str());
  unlink((path + ".err").c_str());
  return code;
}

}  // namespace samrad::testutil
