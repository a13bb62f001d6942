#include "bench/samradd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "httplib.h"

namespace samrad::bench {
namespace {

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Tail(const std::string& s, size_t max_bytes) {
  return s.size() <= max_bytes ? s : s.substr(s.size() - max_bytes);
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exit code ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return absl::StrCat("signal ", WTERMSIG(status));
  return absl::StrCat("wait status ", status);
}

absl::Duration FromTimeval(const timeval& tv) {
  return absl::Seconds(tv.tv_sec) + absl::Microseconds(tv.tv_usec);
}

}  // namespace

// --- ScratchDir ---

absl::StatusOr<std::unique_ptr<ScratchDir>> ScratchDir::Create(const std::string& tag) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/", tag, "-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<ScratchDir>(new ScratchDir(pattern));
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int64_t ScratchDir::DiskUsage() const {
  int64_t bytes = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec) bytes += static_cast<int64_t>(size);
    }
  }
  return bytes;
}

// --- SamraddProcess ---

absl::StatusOr<std::unique_ptr<SamraddProcess>> SamraddProcess::Start(const Options& options) {
  if (access(options.binary.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat(options.binary,
                                            " is not an executable; build it "
                                            "first (cmake --build BUILD_DIR --target samradd)"));
  }
  std::unique_ptr<SamraddProcess> server(new SamraddProcess());
  const std::string listen_file = options.work_dir + "/samradd.listen";
  server->stdout_path_ = options.work_dir + "/samradd.out";
  server->stderr_path_ = options.work_dir + "/samradd.err";
  server->argv_ = {options.binary,
                   "--data-dir",
                   options.data_dir,
                   "--grpc-listen",
                   "127.0.0.1:0",
                   "--http-listen",
                   "127.0.0.1:0",
                   "--listen-file",
                   listen_file,
                   "--organisation-data",
                   options.organisation_data,
                   "--log-level",
                   "warn"};
  server->argv_.insert(server->argv_.end(), options.extra_args.begin(), options.extra_args.end());

  // Everything the child needs is prepared before fork(): between fork and exec it calls
  // async-signal-safe functions only, since the parent may already run other threads.
  std::vector<char*> argv;
  for (std::string& arg : server->argv_) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int out_fd = open(server->stdout_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = open(server->stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out_fd < 0 || err_fd < 0) {
    if (out_fd >= 0) close(out_fd);
    if (err_fd >= 0) close(err_fd);
    return absl::InternalError(absl::StrCat("cannot create the server's output files in ",
                                            options.work_dir, ": ", std::strerror(errno)));
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(out_fd);
    close(err_fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Dies with the thread that forked it (the tool's main thread), whatever ends the tool.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // Its own process group: a Ctrl-C in the terminal reaches the tool, which stops it.
    setpgid(0, 0);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    close(out_fd);
    close(err_fd);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  server->pid_ = pid;

  const absl::Time deadline = absl::Now() + options.listen_timeout;
  while (absl::Now() < deadline) {
    if (server->Reaped(/*block=*/false)) {
      return absl::InternalError(absl::StrCat("samradd exited during start (",
                                              DescribeWaitStatus(server->wait_status_), "):\n",
                                              server->OutputTail()));
    }
    const std::string content = ReadWholeFile(listen_file);
    if (!content.empty()) {
      for (absl::string_view line : absl::StrSplit(content, '\n', absl::SkipEmpty())) {
        std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits('=', 1));
        if (kv.first == "grpc") server->grpc_address_ = kv.second;
        if (kv.first == "http") server->http_address_ = kv.second;
      }
      if (!server->grpc_address_.empty()) return server;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::DeadlineExceededError(absl::StrCat("samradd did not listen within ",
                                                  absl::FormatDuration(options.listen_timeout),
                                                  ":\n", server->OutputTail()));
}

SamraddProcess::~SamraddProcess() {
  if (pid_ > 0 && !Reaped(/*block=*/false)) {
    kill(pid_, SIGKILL);
    Reaped(/*block=*/true);
  }
}

bool SamraddProcess::Reaped(bool block) {
  if (reaped_) return true;
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    reaped_ = true;
    wait_status_ = status;
  }
  return reaped_;
}

absl::Status SamraddProcess::WaitServing(absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(grpc_address_, grpc::InsecureChannelCredentials()));
  const absl::Time deadline = absl::Now() + timeout;
  std::string last = "no answer";
  while (absl::Now() < deadline) {
    if (Reaped(/*block=*/false)) {
      return absl::InternalError(
          absl::StrCat("samradd exited (", DescribeWaitStatus(wait_status_), "):\n", OutputTail()));
    }
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status s = stub->Check(&context, request, &response);
    if (s.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    last = s.ok() ? absl::StrCat("status ", response.status()) : s.error_message();
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("samradd not SERVING: ", last));
}

absl::Status SamraddProcess::Stop(absl::Duration timeout) {
  if (Reaped(/*block=*/false)) {
    return absl::InternalError(
        absl::StrCat("samradd had already exited (", DescribeWaitStatus(wait_status_), ")"));
  }
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + timeout;
  while (!Reaped(/*block=*/false)) {
    if (absl::Now() > deadline) {
      kill(pid_, SIGKILL);
      Reaped(/*block=*/true);
      return absl::DeadlineExceededError(absl::StrCat(
          "samradd did not stop within ", absl::FormatDuration(timeout), " of SIGTERM; killed"));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  if (!WIFEXITED(wait_status_) || WEXITSTATUS(wait_status_) != 0) {
    return absl::InternalError(
        absl::StrCat("samradd stopped with ", DescribeWaitStatus(wait_status_)));
  }
  return absl::OkStatus();
}

std::string SamraddProcess::OutputTail(size_t max_bytes) const {
  return Tail(ReadWholeFile(stdout_path_) + ReadWholeFile(stderr_path_), max_bytes);
}

absl::Duration SamraddProcess::CpuTime() const {
  const std::string stat = ReadWholeFile(absl::StrCat("/proc/", pid_, "/stat"));
  // The command name (field 2) may contain spaces; the fields after its ')' are plain.
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return absl::ZeroDuration();
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(stat).substr(paren + 1), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  int64_t utime = 0;
  int64_t stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::ZeroDuration();
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  return absl::Seconds(static_cast<double>(utime + stime) / static_cast<double>(ticks));
}

absl::StatusOr<std::map<std::string, double>> SamraddProcess::ScrapeMetrics() const {
  const size_t colon = http_address_.rfind(':');
  if (colon == std::string::npos) return absl::FailedPreconditionError("no HTTP address");
  httplib::Client client(http_address_.substr(0, colon),
                         std::stoi(http_address_.substr(colon + 1)));
  client.set_read_timeout(10, 0);
  auto result = client.Get("/metrics");
  if (!result || result->status != 200) {
    return absl::UnavailableError(absl::StrCat("GET http://", http_address_, "/metrics failed"));
  }
  std::map<std::string, double> samples;
  for (absl::string_view line : absl::StrSplit(result->body, '\n', absl::SkipEmpty())) {
    if (line.front() == '#') continue;
    // name{labels} value   or   name value
    size_t end = line.find('{');
    end = end == absl::string_view::npos ? line.find(' ') : line.find('}', end) + 1;
    if (end == absl::string_view::npos || end == 0 || end >= line.size()) continue;
    absl::string_view rest = absl::StripLeadingAsciiWhitespace(line.substr(end));
    rest = rest.substr(0, rest.find(' '));
    double value = 0;
    if (absl::SimpleAtod(rest, &value)) samples[std::string(line.substr(0, end))] = value;
  }
  return samples;
}

absl::Duration SelfCpuTime() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return FromTimeval(usage.ru_utime) + FromTimeval(usage.ru_stime);
}

std::string LoadAverage() {
  const std::string content = ReadWholeFile("/proc/loadavg");
  std::vector<std::string> fields = absl::StrSplit(content, ' ', absl::SkipEmpty());
  if (fields.size() < 3) return "unknown";
  return absl::StrCat(fields[0], " ", fields[1], " ", fields[2]);
}

}  // namespace samrad::bench
