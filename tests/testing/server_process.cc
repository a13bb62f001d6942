#include "tests/testing/server_process.h"

#include <signal.h>
#include <unistd.h>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace samrad::testutil {

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& binary,
                                                    const std::vector<std::string>& args,
                                                    const std::string& work_dir,
                                                    absl::Duration timeout) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  static int counter = 0;
  const std::string tag = binary + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
  const std::string listen_file = work_dir + "/" + tag + ".listen";
  server->stdout_path_ = work_dir + "/" + tag + ".out";
  server->stderr_path_ = work_dir + "/" + tag + ".err";
  std::vector<std::string> argv = {BinaryPath(binary, SAMRAD_TEST_BIN_DIR)};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--grpc-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                           "--listen-file", listen_file});
  server->process_ = ChildProcess::Start(argv, server->stdout_path_, server->stderr_path_);
  if (server->process_ == nullptr) return nullptr;
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (!server->process_->Running()) {
      ADD_FAILURE() << binary << " exited during start:\n" << server->Output();
      return nullptr;
    }
    const std::string content = ReadFile(listen_file);
    if (!content.empty()) {
      for (absl::string_view line : absl::StrSplit(content, '\n', absl::SkipEmpty())) {
        std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits('=', 1));
        if (kv.first == "grpc") server->grpc_address_ = kv.second;
        if (kv.first == "http") server->http_address_ = kv.second;
      }
      return server;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  ADD_FAILURE() << binary << " did not listen within " << timeout << ":\n" << server->Output();
  return nullptr;
}

std::string ServerProcess::Output() const {
  return ReadFile(stdout_path_) + ReadFile(stderr_path_);
}

absl::Status ServerProcess::WaitServing(absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(grpc_address_, grpc::InsecureChannelCredentials()));
  const absl::Time deadline = absl::Now() + timeout;
  std::string last;
  while (absl::Now() < deadline) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status s = stub->Check(&context, request, &response);
    if (s.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    last = s.ok() ? "status " + std::to_string(response.status()) : s.error_message();
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError("not SERVING: " + last);
}

int ServerProcess::Stop(absl::Duration timeout) {
  process_->Signal(SIGTERM);
  return process_->WaitExitCode(timeout);
}

int ServerProcess::HttpGet(const std::string& path, std::string* body) const {
  const size_t colon = http_address_.rfind(':');
  httplib::Client client(http_address_.substr(0, colon),
                         std::stoi(http_address_.substr(colon + 1)));
  auto result = client.Get(path.c_str());
  if (!result) return -1;
  if (body != nullptr) *body = result->body;
  return result->status;
}

}  // namespace samrad::testutil
