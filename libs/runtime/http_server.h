#ifndef SAMRAD_LIBS_RUNTIME_HTTP_SERVER_H_
#define SAMRAD_LIBS_RUNTIME_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "prometheus/registry.h"

namespace httplib {
class Server;
}

namespace samrad::runtime {

// The operator's HTTP port: Prometheus metrics and plain liveness/readiness probes.
//   GET /metrics  text exposition format 0.0.4 of `registry`
//   GET /healthz  200 "ok" while the process runs (liveness)
//   GET /readyz   200 "ready" when `ready()` is true, else 503 (readiness)
class HttpServer {
 public:
  // Binds `listen` ("host:port", port 0 for any free port) and serves on a thread of its own.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const std::string& listen, std::shared_ptr<prometheus::Registry> registry,
      std::function<bool()> ready);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // "host:port" actually bound.
  const std::string& address() const { return address_; }
  void Stop();

 private:
  HttpServer() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string address_;
};

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_HTTP_SERVER_H_
