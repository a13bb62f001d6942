#include "libs/runtime/http_server.h"

#include <atomic>
#include <memory>

#include "gtest/gtest.h"
#include "httplib.h"
#include "libs/runtime/listen_address.h"
#include "prometheus/counter.h"

namespace samrad::runtime {
namespace {

TEST(ListenAddressTest, Parses) {
  struct Case {
    std::string in;
    bool ok;
    std::string host;
    int port;
  };
  const Case cases[] = {
      {"127.0.0.1:7400", true, "127.0.0.1", 7400},
      {"0.0.0.0:0", true, "0.0.0.0", 0},
      {"[::1]:80", true, "::1", 80},
      {"localhost", false, "", 0},
      {":80", false, "", 0},
      {"127.0.0.1:70000", false, "", 0},
      {"127.0.0.1:x", false, "", 0},
  };
  for (const auto& c : cases) {
    auto a = ParseListenAddress(c.in);
    EXPECT_EQ(a.ok(), c.ok) << c.in;
    if (a.ok()) {
      EXPECT_EQ(a->host, c.host);
      EXPECT_EQ(a->port, c.port);
    }
  }
}

TEST(HttpServerTest, ServesMetricsAndProbes) {
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::BuildCounter()
      .Name("samrad_test_things_total")
      .Help("Things")
      .Register(*registry)
      .Add({})
      .Increment(3);
  std::atomic<bool> ready{false};
  auto server = HttpServer::Start("127.0.0.1:0", registry, [&] { return ready.load(); });
  ASSERT_TRUE(server.ok()) << server.status();
  auto addr = ParseListenAddress((*server)->address());
  ASSERT_TRUE(addr.ok());
  ASSERT_GT(addr->port, 0);

  httplib::Client client(addr->host, addr->port);
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("samrad_test_things_total 3"), std::string::npos) << metrics->body;

  auto healthz = client.Get("/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200);

  auto readyz = client.Get("/readyz");
  ASSERT_TRUE(readyz);
  EXPECT_EQ(readyz->status, 503);
  ready = true;
  readyz = client.Get("/readyz");
  ASSERT_TRUE(readyz);
  EXPECT_EQ(readyz->status, 200);

  (*server)->Stop();
}

TEST(HttpServerTest, BusyPortIsAnError) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto first = HttpServer::Start("127.0.0.1:0", registry, [] { return true; });
  ASSERT_TRUE(first.ok());
  auto second = HttpServer::Start((*first)->address(), registry, [] { return true; });
  EXPECT_FALSE(second.ok());
}

}  // namespace
}  // namespace samrad::runtime
