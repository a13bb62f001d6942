#include "libs/runtime/http_server.h"

#include <chrono>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "libs/runtime/listen_address.h"
#include "prometheus/text_serializer.h"

namespace samrad::runtime {

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const std::string& listen, std::shared_ptr<prometheus::Registry> registry,
    std::function<bool()> ready) {
  auto parsed = ParseListenAddress(listen);
  if (!parsed.ok()) return parsed.status();
  std::unique_ptr<HttpServer> http(new HttpServer());
  http->server_ = std::make_unique<httplib::Server>();
  httplib::Server& s = *http->server_;
  // cpp-httplib's default also sets SO_REUSEPORT, which would let a second process share the
  // port silently; SO_REUSEADDR alone restarts cleanly and refuses a port in use.
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  s.Get("/metrics", [registry](const httplib::Request&, httplib::Response& res) {
    prometheus::TextSerializer serializer;
    res.set_content(serializer.Serialize(registry->Collect()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  s.Get("/readyz", [ready = std::move(ready)](const httplib::Request&, httplib::Response& res) {
    if (ready()) {
      res.set_content("ready\n", "text/plain");
    } else {
      res.status = 503;
      res.set_content("not ready\n", "text/plain");
    }
  });
  int port = parsed->port;
  if (port == 0) {
    port = s.bind_to_any_port(parsed->host);
    if (port < 0) return absl::UnavailableError(absl::StrCat("cannot bind HTTP on ", listen));
  } else if (!s.bind_to_port(parsed->host, port)) {
    return absl::UnavailableError(absl::StrCat("cannot bind HTTP on ", listen));
  }
  http->address_ = absl::StrCat(parsed->host, ":", port);
  http->thread_ = std::thread([&s] { s.listen_after_bind(); });
  // Stop() before the loop runs would be lost (httplib ignores stop() while not running), so
  // return only once it is accepting.
  while (!s.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return http;
}

void HttpServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

HttpServer::~HttpServer() { Stop(); }

}  // namespace samrad::runtime
