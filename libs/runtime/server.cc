#include "libs/runtime/server.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "libs/common/log.h"
#include "libs/eventlog/embedded_event_log.h"
#include "libs/eventlog/instrumented_event_log.h"
#include "libs/eventlog/kafka_event_log.h"
#include "libs/runtime/http_server.h"
#include "libs/runtime/listen_address.h"
#include "libs/runtime/operations_service.h"
#include "libs/runtime/signals.h"

namespace samrad::runtime {
namespace {

// Longest a module may take to catch up with the log before the server gives up at start.
constexpr absl::Duration kReadyTimeout = absl::Minutes(30);
// How long stopping may take beyond --shutdown-grace-seconds before the process exits
// without cleanup (see the watchdog in RunServer).
constexpr absl::Duration kStopDeadlineAfterGrace = absl::Seconds(20);

}  // namespace

absl::StatusOr<std::unique_ptr<eventlog::EventLog>> OpenEventLog(const ServerConfig& config,
                                                                 prometheus::Registry& registry) {
  std::unique_ptr<eventlog::EventLog> log;
  if (config.event_log == EventLogBackend::kEmbedded) {
    const std::string path = (std::filesystem::path(config.data_dir) / "eventlog").string();
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot create ", path, ": ", ec.message()));
    eventlog::EmbeddedEventLogOptions options;
    options.path = path;
    options.sync = config.embedded_sync;
    options.group_commit_window = absl::Microseconds(config.embedded_group_commit_us);
    auto opened = eventlog::EmbeddedEventLog::Open(options);
    if (!opened.ok()) return opened.status();
    log = std::move(*opened);
  } else {
    eventlog::KafkaEventLogOptions options;
    options.brokers = config.kafka_brokers;
    options.replication_factor = static_cast<int16_t>(config.kafka_replication_factor);
    auto opened = eventlog::KafkaEventLog::Open(options);
    if (!opened.ok()) return opened.status();
    log = std::move(*opened);
  }
  auto metrics = eventlog::EventLogMetrics::Create(registry, log->backend());
  return std::make_unique<eventlog::InstrumentedEventLog>(std::move(log), metrics);
}

int RunServer(const ServerConfig& config, std::vector<std::unique_ptr<ServiceModule>> modules) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto log = OpenEventLog(config, *registry);
  if (!log.ok()) {
    SAMRAD_LOG_ERROR("cannot open the event log: {}", log.status().ToString());
    return 1;
  }
  eventlog::EventLog* event_log = log->get();
  SAMRAD_LOG_INFO("event log: {}", event_log->backend());

  std::vector<ServiceModule*> module_ptrs;
  for (auto& m : modules) {
    for (const auto& topic : m->topics()) {
      if (auto s = event_log->EnsureTopic(topic, config.partitions); !s.ok()) {
        SAMRAD_LOG_ERROR("cannot create topic {}: {}", topic, s.ToString());
        return 1;
      }
    }
    module_ptrs.push_back(m.get());
  }
  for (auto& m : modules) {
    ModuleContext context{
        .log = event_log,
        .data_dir = (std::filesystem::path(config.data_dir) / std::string(m->name())).string(),
        .metrics = registry.get(),
        .partitions = config.partitions,
        .organisation_data = config.organisation_data,
        .command_threads = static_cast<size_t>(config.command_threads),
    };
    std::error_code ec;
    std::filesystem::create_directories(context.data_dir, ec);
    if (auto s = m->Start(context); !s.ok()) {
      SAMRAD_LOG_ERROR("cannot start {}: {}", m->name(), s.ToString());
      return 1;
    }
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int grpc_port = 0;
  builder.AddListeningPort(config.grpc_listen, grpc::InsecureServerCredentials(), &grpc_port);
  OperationsService operations(module_ptrs);
  builder.RegisterService(&operations);
  for (auto& m : modules) m->RegisterServices(builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || grpc_port == 0) {
    SAMRAD_LOG_ERROR("cannot listen for gRPC on {}", config.grpc_listen);
    return 1;
  }
  auto* health = server->GetHealthCheckService();
  // Until every module has caught up with the log, nothing is SERVING (the overall "" too);
  // each service's name answers NOT_SERVING, not NOT_FOUND, until its module is ready.
  health->SetServingStatus(false);
  for (auto& m : modules) {
    for (const auto& name : m->health_names()) health->SetServingStatus(name, false);
  }

  std::atomic<bool> ready{false};
  auto http = HttpServer::Start(config.http_listen, registry, [&ready] { return ready.load(); });
  if (!http.ok()) {
    SAMRAD_LOG_ERROR("{}", http.status().ToString());
    server->Shutdown();
    return 1;
  }

  auto listen = ParseListenAddress(config.grpc_listen);
  const std::string grpc_address = absl::StrCat(listen->host, ":", grpc_port);
  std::cout << "samrad: gRPC on " << grpc_address << ", HTTP (metrics, health) on "
            << (*http)->address() << std::endl;
  if (!config.listen_file.empty()) {
    auto s = WriteFileAtomically(
        config.listen_file,
        absl::StrCat("grpc=", grpc_address, "\nhttp=", (*http)->address(), "\n"));
    if (!s.ok()) SAMRAD_LOG_WARN("{}", s.ToString());
  }

  std::atomic<bool> stopping{false};
  std::thread readiness([&] {
    for (auto& m : modules) {
      if (auto s = m->WaitReady(kReadyTimeout); !s.ok()) {
        if (!stopping.load()) {
          SAMRAD_LOG_ERROR("{} did not become ready: {}", m->name(), s.ToString());
          RequestShutdown();
        }
        return;
      }
      for (const auto& name : m->health_names()) health->SetServingStatus(name, true);
      SAMRAD_LOG_INFO("{} is serving", m->name());
    }
    health->SetServingStatus(true);
    ready.store(true);
  });

  const int sig = WaitForShutdownSignal();
  stopping.store(true);
  SAMRAD_LOG_INFO("shutting down (signal {})", sig);
  ready.store(false);
  health->Shutdown();  // every service NOT_SERVING, so load balancers drain us first
  // Stopping must not hang forever: librdkafka 2.0.2 ignores the timeout of a watermark
  // query while no broker is reachable (fixed in 2.3.0), which would keep a projector's
  // thread, and the process, waiting. Past the deadline the process exits at once; that is
  // safe, because every acknowledged write is already in the log and a projection store is
  // consistent at any point (its offsets are written with its state).
  absl::Notification stopped;
  std::thread watchdog([&stopped, grace = config.shutdown_grace_seconds] {
    const absl::Duration deadline = absl::Seconds(grace) + kStopDeadlineAfterGrace;
    if (stopped.WaitForNotificationWithTimeout(deadline)) return;
    SAMRAD_LOG_ERROR("did not stop within {} s; exiting without cleanup",
                     absl::ToInt64Seconds(deadline));
    std::_Exit(3);
  });
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::seconds(config.shutdown_grace_seconds));
  for (auto& m : modules) m->RequestStop();
  readiness.join();
  for (auto& m : modules) m->Stop();
  (*http)->Stop();
  modules.clear();
  log->reset();
  stopped.Notify();
  watchdog.join();
  SAMRAD_LOG_INFO("stopped");
  return 0;
}

}  // namespace samrad::runtime
