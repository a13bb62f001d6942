#ifndef SAMRAD_TESTS_TESTING_SERVER_PROCESS_H_
#define SAMRAD_TESTS_TESTING_SERVER_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/testing/child_process.h"

namespace samrad::testutil {

// A Samråd server binary (samradd, samrad-registry, ...) started as a child process on
// ports chosen by the OS, for end-to-end tests.
class ServerProcess {
 public:
  // Starts $SAMRAD_BIN_DIR/<binary> with `args` plus --grpc-listen/--http-listen on
  // 127.0.0.1:0 and a --listen-file in `work_dir`, and waits until it listens.
  static std::unique_ptr<ServerProcess> Start(const std::string& binary,
                                              const std::vector<std::string>& args,
                                              const std::string& work_dir,
                                              absl::Duration timeout = absl::Seconds(30));

  const std::string& grpc_address() const { return grpc_address_; }
  const std::string& http_address() const { return http_address_; }
  ChildProcess& process() { return *process_; }
  // What the server printed so far (stdout and stderr).
  std::string Output() const;

  // Polls the standard health service until the server as a whole is SERVING.
  absl::Status WaitServing(absl::Duration timeout = absl::Seconds(30));

  // SIGTERM, then waits for a clean exit; returns the exit code (-1 if it did not exit).
  int Stop(absl::Duration timeout = absl::Seconds(30));

  // GET http://<http_address><path>; returns the status code and fills `body`.
  int HttpGet(const std::string& path, std::string* body) const;

 private:
  ServerProcess() = default;

  std::unique_ptr<ChildProcess> process_;
  std::string stdout_path_;
  std::string stderr_path_;
  std::string grpc_address_;
  std::string http_address_;
};

}  // namespace samrad::testutil

#endif  // SAMRAD_TESTS_TESTING_SERVER_PROCESS_H_
