#ifndef SAMRAD_BENCH_SAMRADD_PROCESS_H_
#define SAMRAD_BENCH_SAMRADD_PROCESS_H_

// The real samradd binary as a child process of a load tool: started on ports chosen by the
// OS in a scratch directory, waited for until SERVING, stopped and reaped at the end (and
// killed with the tool if the tool dies first). A small equivalent of
// tests/testing/server_process.h without GoogleTest, so that benchmarks build without tests.

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace samrad::bench {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class ScratchDir {
 public:
  static absl::StatusOr<std::unique_ptr<ScratchDir>> Create(const std::string& tag);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }
  // Bytes of the files under the directory (what the server wrote).
  int64_t DiskUsage() const;

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

class SamraddProcess {
 public:
  struct Options {
    // Path of the samradd executable.
    std::string binary;
    // --data-dir of the server.
    std::string data_dir;
    // Where the listen file and the server's stdout and stderr go.
    std::string work_dir;
    // --organisation-data (deploy/config/malmo.json).
    std::string organisation_data;
    // More flags, e.g. {"--embedded-sync=false"}.
    std::vector<std::string> extra_args;
    absl::Duration listen_timeout = absl::Seconds(60);
  };

  // Starts the binary with --grpc-listen and --http-listen on 127.0.0.1:0 and a
  // --listen-file, and waits until the file names the bound addresses.
  static absl::StatusOr<std::unique_ptr<SamraddProcess>> Start(const Options& options);
  // Kills (SIGKILL) and reaps the process if it still runs.
  ~SamraddProcess();
  SamraddProcess(const SamraddProcess&) = delete;
  SamraddProcess& operator=(const SamraddProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& grpc_address() const { return grpc_address_; }
  const std::string& http_address() const { return http_address_; }
  // The command line it was started with, for the report.
  const std::vector<std::string>& argv() const { return argv_; }

  // Polls grpc.health.v1.Health/Check("") until SERVING.
  absl::Status WaitServing(absl::Duration timeout);
  // SIGTERM, then waits; SIGKILL when `timeout` passes. OK for a clean exit with code 0.
  absl::Status Stop(absl::Duration timeout);
  // The last `max_bytes` of what the server printed (stdout, then stderr).
  std::string OutputTail(size_t max_bytes = 4000) const;

  // CPU time (user + system) the process has used so far, from /proc/<pid>/stat.
  absl::Duration CpuTime() const;
  // GET /metrics; the samples of the text exposition format as "name{labels}" → value.
  absl::StatusOr<std::map<std::string, double>> ScrapeMetrics() const;

 private:
  SamraddProcess() = default;
  // Reaps the child if it has exited; true once it has.
  bool Reaped(bool block);

  pid_t pid_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;
  std::vector<std::string> argv_;
  std::string stdout_path_;
  std::string stderr_path_;
  std::string grpc_address_;
  std::string http_address_;
};

// The process's own CPU time (user + system, all threads).
absl::Duration SelfCpuTime();

// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them ("1.98 2.40 2.35").
std::string LoadAverage();

}  // namespace samrad::bench

#endif  // SAMRAD_BENCH_SAMRADD_PROCESS_H_
