// registry_load: the registry benchmark of issue 3, against the real samradd binary.
//
//   registry_load [--mode=throughput]              (what `make bench` runs; 2.5 minutes)
//   registry_load --mode=paginate --count=100000   (6 to 12 minutes on 2 cores)
//
// Both modes start build/bin/samradd with its default durability (the embedded log fsyncs
// every append, no group-commit window) in a temporary directory on ports chosen by the OS,
// wait until it is SERVING, drive it over one gRPC channel, stop it with SIGTERM and remove
// the directory. docs/benchmarks.md ("Registry through gRPC") explains what is measured.
//
// throughput: closed-loop saturation (1, 4, 16, 64 calls outstanding) of the empty call
//   (grpc.health.v1.Health/Check), register (Registry/CreateDialogue) and update
//   (Registry/UpdateDialogue with update_mask and etag); then an open loop of each at half
//   its saturation rate with latency from the scheduled send time; then the empty call at a
//   low fixed rate alone and during register saturation. Prints rates, ratios to the empty
//   call and the targets of issue 3.
// paginate: registers --count efforts as fast as the server takes them, then pages through
//   ListDialogues in several orders and filters, checks that every expected effort is seen
//   exactly once and in order and that total_size is right, and reports page latency
//   against depth: in the walk, and again with every page fetched from its saved token in
//   a random order (so that the machine's drifting load does not pose as depth).

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/load_driver.h"
#include "bench/registry_workloads.h"
#include "bench/samradd_process.h"
#include "libs/api/errors.h"
#include "libs/common/text.h"
#include "nlohmann/json.hpp"

namespace samrad::bench {
namespace {

using Json = nlohmann::ordered_json;

struct Flags {
  std::string mode = "throughput";
  std::string samradd;
  std::string organisation_data = SAMRAD_SOURCE_DIR "/deploy/config/malmo.json";
  std::vector<std::string> samradd_args;
  std::vector<int> concurrency = {1, 4, 16, 64};
  double warmup_s = 1;
  double duration_s = 5;
  double open_duration_s = 10;
  // Mixed phase: the empty call's fixed rate, alone and during register saturation.
  double mixed_rate = 200;
  int mixed_concurrency = 16;
  int64_t count = 100000;
  int register_concurrency = 16;
  int page_size = 100;
  std::string json_out;
};

// --- Cleanup on SIGINT/SIGTERM ---------------------------------------------------------

// What a signal must clean up: the server and the scratch directory.
struct Cleanup {
  std::mutex mu;
  pid_t server = -1;
  std::string dir;
};
Cleanup& GlobalCleanup() {
  static Cleanup* cleanup = new Cleanup();
  return *cleanup;
}

// Blocks SIGINT and SIGTERM in every thread (call first in main), and waits for them on a
// thread of their own: kill the server, remove the directory, exit 130.
void HandleSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    Cleanup& c = GlobalCleanup();
    std::lock_guard<std::mutex> lock(c.mu);
    std::cerr << "\nregistry_load: signal " << sig << ", stopping samradd and cleaning up\n";
    if (c.server > 0) kill(c.server, SIGKILL);
    if (!c.dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(c.dir, ec);
    }
    _exit(130);
  }).detach();
}

// --- Formatting ------------------------------------------------------------------------

std::string Rate(double v) {
  return v >= 10000 ? absl::StrFormat("%.1fk", v / 1000) : absl::StrFormat("%.0f", v);
}

std::string MachineLine() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  std::string model = "unknown CPU";
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      model = std::string(absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)));
      break;
    }
  }
  return absl::StrCat(std::thread::hardware_concurrency(), " CPU(s), ", model);
}

Json ToJson(const PhaseResult& r) {
  Json j;
  j["workload"] = r.workload;
  j["mode"] = r.mode;
  if (r.mode == "closed") j["concurrency"] = r.concurrency;
  if (r.mode == "open") j["target_rate"] = r.target_rate;
  j["window_seconds"] = r.window_seconds;
  j["ok"] = r.ok;
  j["errors"] = r.errors;
  j["error_codes"] = r.error_codes;
  j["skipped"] = r.skipped;
  j["rate"] = r.rate;
  j["latency_ms"] = {{"mean", r.latency.mean_ms},  {"p50", r.latency.p50_ms},
                     {"p90", r.latency.p90_ms},    {"p99", r.latency.p99_ms},
                     {"p99.9", r.latency.p999_ms}, {"max", r.latency.max_ms}};
  if (r.mode == "open") {
    j["max_outstanding"] = r.max_outstanding;
    j["max_send_lag_ms"] = r.max_send_lag_ms;
  }
  j["drained"] = r.drained;
  j["server_cpu_us_per_call"] = r.server_cpu_us_per_call;
  j["client_cpu_us_per_call"] = r.client_cpu_us_per_call;
  return j;
}

std::string Errors(const PhaseResult& r) {
  if (r.errors == 0 && r.skipped == 0 && r.drained) return "";
  std::vector<std::string> parts;
  for (const auto& [code, n] : r.error_codes) parts.push_back(absl::StrCat(code, " ", n));
  if (r.skipped > 0) parts.push_back(absl::StrCat("not sent ", r.skipped));
  if (!r.drained) parts.push_back("NOT DRAINED");
  return absl::StrJoin(parts, ", ");
}

void PrintClosedHeader() {
  std::cout << absl::StrFormat("%-9s %4s %9s %8s %8s %8s %9s %9s  %s\n", "workload", "N", "calls/s",
                               "p50 ms", "p99 ms", "max ms", "srv µs/c", "cli µs/c", "errors");
}
void PrintClosed(const PhaseResult& r) {
  std::cout << absl::StrFormat("%-9s %4d %9s %8.2f %8.2f %8.1f %9.0f %9.0f  %s\n", r.workload,
                               r.concurrency, Rate(r.rate), r.latency.p50_ms, r.latency.p99_ms,
                               r.latency.max_ms, r.server_cpu_us_per_call, r.client_cpu_us_per_call,
                               Errors(r));
  std::cout.flush();
}
void PrintOpenHeader() {
  std::cout << absl::StrFormat("%-9s %9s %9s %8s %8s %8s %8s %8s %6s %8s  %s\n", "workload",
                               "target/s", "done/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms",
                               "max ms", "max in", "lag ms", "errors");
}
void PrintOpen(const PhaseResult& r) {
  std::cout << absl::StrFormat("%-9s %9s %9s %8.2f %8.2f %8.2f %8.2f %8.1f %6d %8.2f  %s\n",
                               r.workload, Rate(r.target_rate), Rate(r.rate), r.latency.p50_ms,
                               r.latency.p90_ms, r.latency.p99_ms, r.latency.p999_ms,
                               r.latency.max_ms, r.max_outstanding, r.max_send_lag_ms, Errors(r));
  std::cout.flush();
}

// --- Server -----------------------------------------------------------------------------

std::string DefaultSamradd() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "build/bin/samradd";
  // BUILD_DIR/bench/registry_load → BUILD_DIR/bin/samradd.
  return (self.parent_path().parent_path() / "bin" / "samradd").string();
}

struct Server {
  std::unique_ptr<ScratchDir> dir;
  std::unique_ptr<SamraddProcess> process;
  // Set by Prepare.
  std::unique_ptr<Clients> clients;
};

absl::StatusOr<Server> StartServer(const Flags& flags) {
  Server server;
  auto dir = ScratchDir::Create("samrad-registry-load");
  if (!dir.ok()) return dir.status();
  server.dir = *std::move(dir);
  {
    std::lock_guard<std::mutex> lock(GlobalCleanup().mu);
    GlobalCleanup().dir = server.dir->path();
  }
  SamraddProcess::Options options{.binary = flags.samradd,
                                  .data_dir = server.dir->Sub("data"),
                                  .work_dir = server.dir->path(),
                                  .organisation_data = flags.organisation_data,
                                  .extra_args = flags.samradd_args};
  auto process = SamraddProcess::Start(options);
  if (!process.ok()) return process.status();
  server.process = *std::move(process);
  {
    std::lock_guard<std::mutex> lock(GlobalCleanup().mu);
    GlobalCleanup().server = server.process->pid();
  }
  const absl::Time start = absl::Now();
  if (absl::Status s = server.process->WaitServing(absl::Minutes(2)); !s.ok()) return s;
  std::cout << "== samradd (pid " << server.process->pid() << ") SERVING on "
            << server.process->grpc_address() << " after "
            << absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Milliseconds(1)))
            << "\n   " << absl::StrJoin(server.process->argv(), " ") << "\n";
  return server;
}

// What both modes do first: note the machine, start samradd, connect, and create the elected
// officials that the generated efforts name. Prints the error and returns nullopt on failure.
std::optional<Server> Prepare(const Flags& flags, Json& report) {
  report["machine"] = MachineLine();
  report["load_average_start"] = LoadAverage();
  std::cout << "== machine: " << MachineLine() << ", load average " << LoadAverage() << "\n";
  absl::StatusOr<Server> server = StartServer(flags);
  if (!server.ok()) {
    std::cerr << "registry_load: " << server.status() << "\n";
    return std::nullopt;
  }
  report["samradd"] = absl::StrJoin(server->process->argv(), " ");
  server->clients = std::make_unique<Clients>(server->process->grpc_address());
  if (absl::Status s = CreateElectedOfficials(*server->clients->registry); !s.ok()) {
    std::cerr << "registry_load: " << s << "\n" << server->process->OutputTail();
    return std::nullopt;
  }
  return *std::move(server);
}

void StopServer(Server& server, Json& report) {
  const int64_t bytes = server.dir->DiskUsage();
  const absl::Status stopped = server.process->Stop(absl::Seconds(60));
  std::cout << "== samradd stopped: " << (stopped.ok() ? "clean exit" : stopped.ToString())
            << "; its data directory held " << absl::StrFormat("%.1f MiB", bytes / 1048576.0)
            << "\n";
  report["server_stop"] = stopped.ok() ? "clean exit" : stopped.ToString();
  report["data_dir_bytes"] = bytes;
  {
    std::lock_guard<std::mutex> lock(GlobalCleanup().mu);
    GlobalCleanup().server = -1;
  }
  server.process.reset();
  server.dir.reset();
  std::lock_guard<std::mutex> lock(GlobalCleanup().mu);
  GlobalCleanup().dir.clear();
}

// --- Server-side view of a phase (samradd's /metrics) -----------------------------------

double SumOf(const std::map<std::string, double>& m, std::string_view name,
             std::initializer_list<std::string_view> labels) {
  double total = 0;
  for (const auto& [key, value] : m) {
    if (key.compare(0, name.size(), name) != 0) continue;
    const std::string_view rest = std::string_view(key).substr(name.size());
    if (!rest.empty() && rest.front() != '{') continue;
    bool all = true;
    for (std::string_view l : labels) all = all && rest.find(l) != std::string_view::npos;
    if (all) total += value;
  }
  return total;
}

// Means per command from the deltas of samradd's histograms over one phase.
struct ServerView {
  double commands = 0;
  double command_ms = 0;
  double appends = 0;
  double append_ms = 0;
  double events_per_command = 0;
  // projection → (events applied, mean apply ms per batch).
  std::map<std::string, std::pair<double, double>> projections;
};

ServerView Delta(const std::map<std::string, double>& a, const std::map<std::string, double>& b) {
  auto d = [&](std::string_view name, std::initializer_list<std::string_view> labels) {
    return SumOf(b, name, labels) - SumOf(a, name, labels);
  };
  ServerView v;
  v.commands = d("samrad_command_duration_seconds_count", {"service=\"registry\"", "\"ok\""});
  const double command_s =
      d("samrad_command_duration_seconds_sum", {"service=\"registry\"", "\"ok\""});
  v.command_ms = v.commands > 0 ? command_s / v.commands * 1e3 : 0;
  v.appends = d("samrad_eventlog_append_latency_seconds_count", {});
  const double append_s = d("samrad_eventlog_append_latency_seconds_sum", {});
  v.append_ms = v.appends > 0 ? append_s / v.appends * 1e3 : 0;
  const double events = d("samrad_eventlog_appended_events_total", {});
  v.events_per_command = v.commands > 0 ? events / v.commands : 0;
  for (const char* p : {"registry", "scheduling", "reporting"}) {
    const std::string label = absl::StrCat("projection=\"", p, "\"");
    const double applied = d("samrad_projection_events_applied_total", {label});
    const double batches = d("samrad_projection_apply_latency_seconds_count", {label});
    const double seconds = d("samrad_projection_apply_latency_seconds_sum", {label});
    v.projections[p] = {applied, batches > 0 ? seconds / batches * 1e3 : 0};
  }
  return v;
}

// Runs `phase` and fills in CPU per call; with `view`, also the server's own figures.
PhaseResult Measure(SamraddProcess& server, const std::function<PhaseResult()>& phase,
                    ServerView* view = nullptr) {
  std::map<std::string, double> before;
  if (view != nullptr) before = server.ScrapeMetrics().value_or(before);
  const absl::Duration server_cpu = server.CpuTime();
  const absl::Duration self_cpu = SelfCpuTime();
  PhaseResult r = phase();
  const double server_us = absl::ToDoubleMicroseconds(server.CpuTime() - server_cpu);
  const double self_us = absl::ToDoubleMicroseconds(SelfCpuTime() - self_cpu);
  // The CPU time covers the whole phase (warm-up and drain too), so it is divided by every
  // successful call of the phase, not only by those of the measurement window.
  if (r.all_ok > 0) {
    r.server_cpu_us_per_call = server_us / static_cast<double>(r.all_ok);
    r.client_cpu_us_per_call = self_us / static_cast<double>(r.all_ok);
  }
  if (view != nullptr) {
    auto after = server.ScrapeMetrics();
    if (after.ok()) *view = Delta(before, *after);
  }
  return r;
}

// --- throughput mode ----------------------------------------------------------------------

int RunThroughput(const Flags& flags) {
  Json report;
  report["mode"] = "throughput";
  std::optional<Server> server = Prepare(flags, report);
  if (!server) return 1;
  SamraddProcess& samradd = *server->process;
  Clients& clients = *server->clients;

  const absl::Duration warmup = absl::Seconds(flags.warmup_s);
  const absl::Duration duration = absl::Seconds(flags.duration_s);
  const absl::Duration open_duration = absl::Seconds(flags.open_duration_s);

  EmptyCallWorkload empty(clients.health.get());
  UpdatePool pool;
  std::atomic<uint64_t> next_effort{0};
  std::atomic<int64_t> registered{0};
  RegisterWorkload reg(clients.registry.get(), &next_effort,
                       [&](const Effort&, const v1::CreateDialogueResponse& response) {
                         pool.Put(response.dialogue().name(), response.dialogue().etag());
                         registered.fetch_add(1);
                       });
  UpdateWorkload update(clients.registry.get(), &pool);

  Json phases = Json::array();
  std::map<std::string, double> saturation;  // workload → best closed-loop rate
  auto closed_sweep = [&](Workload& w, const std::string& label) {
    std::cout << "\n== closed loop: " << label << " (" << flags.warmup_s << " s warm-up, "
              << flags.duration_s << " s measured per N)\n";
    PrintClosedHeader();
    for (int n : flags.concurrency) {
      ServerView view;
      const bool writes = w.name() != "empty";
      PhaseResult r = Measure(
          samradd, [&] { return RunClosedLoop(w, n, warmup, duration); }, writes ? &view : nullptr);
      PrintClosed(r);
      Json j = ToJson(r);
      j["label"] = label;
      if (writes) {
        Json sv;
        sv["commands"] = view.commands;
        sv["command_ms_mean"] = view.command_ms;
        sv["appends"] = view.appends;
        sv["append_ms_mean"] = view.append_ms;
        sv["events_per_command"] = view.events_per_command;
        for (const auto& [p, v] : view.projections) {
          sv["projections"][p] = {{"events_applied", v.first},
                                  {"apply_ms_mean_per_batch", v.second}};
        }
        j["server"] = sv;
        std::cout << absl::StrFormat(
            "          server: %.0f commands, %.2f ms per command (mean, from start of Execute "
            "to answer), of which append %.2f ms; %.1f events per command\n",
            view.commands, view.command_ms, view.append_ms, view.events_per_command);
      }
      phases.push_back(j);
      saturation[w.name()] = std::max(saturation[w.name()], r.rate);
    }
  };

  closed_sweep(empty, "empty call (first)");
  closed_sweep(reg, "register");
  std::cout << "   (" << registered.load() << " efforts registered; " << pool.size()
            << " free to update)\n";
  closed_sweep(update, "update");
  closed_sweep(empty, "empty call (again, after the commands)");

  std::cout << "\n== open loop at half the saturation rate (" << flags.warmup_s << " s warm-up, "
            << flags.open_duration_s << " s measured; latency from the scheduled send time)\n";
  PrintOpenHeader();
  std::map<std::string, PhaseResult> open;
  for (Workload* w : std::vector<Workload*>{&empty, &reg, &update}) {
    const double rate = std::max(1.0, saturation[w->name()] / 2);
    PhaseResult r = Measure(samradd, [&] { return RunOpenLoop(*w, rate, warmup, open_duration); });
    PrintOpen(r);
    Json j = ToJson(r);
    j["label"] = absl::StrCat(w->name(), " at half saturation");
    phases.push_back(j);
    open[w->name()] = r;
  }

  std::cout << "\n== the empty call at " << flags.mixed_rate
            << "/s, alone and while register runs closed-loop with N=" << flags.mixed_concurrency
            << "\n";
  PrintOpenHeader();
  PhaseResult alone = RunOpenLoop(empty, flags.mixed_rate, warmup, duration);
  PrintOpen(alone);
  Json alone_json = ToJson(alone);
  alone_json["label"] = "empty call alone (low rate)";
  phases.push_back(alone_json);
  PhaseResult during_writes;
  PhaseResult background;
  {
    std::thread writer([&] {
      background = RunClosedLoop(reg, flags.mixed_concurrency, absl::ZeroDuration(),
                                 warmup + duration + absl::Seconds(1));
    });
    absl::SleepFor(absl::Milliseconds(500));
    during_writes = RunOpenLoop(empty, flags.mixed_rate, warmup, duration);
    writer.join();
  }
  PrintOpen(during_writes);
  std::cout << absl::StrFormat("          (register meanwhile: %s/s, p99 %.2f ms)\n",
                               Rate(background.rate), background.latency.p99_ms);
  Json during_json = ToJson(during_writes);
  during_json["label"] = "empty call during register saturation";
  during_json["register_rate"] = background.rate;
  phases.push_back(during_json);

  report["load_average_end"] = LoadAverage();
  StopServer(*server, report);

  // Summary.
  const double empty_rate = saturation["empty"];
  std::cout << "\n== summary (load average at start "
            << report["load_average_start"].get<std::string>() << ", at end "
            << report["load_average_end"].get<std::string>() << ")\n";
  std::cout << absl::StrFormat("%-9s %12s %8s %16s %16s\n", "workload", "saturation/s", "ratio",
                               "p99 at half (ms)", "p50 at half (ms)");
  for (const char* w : {"empty", "register", "update"}) {
    std::cout << absl::StrFormat("%-9s %12s %8.3f %16.2f %16.2f\n", w, Rate(saturation[w]),
                                 empty_rate > 0 ? saturation[w] / empty_rate : 0,
                                 open[w].latency.p99_ms, open[w].latency.p50_ms);
  }
  std::cout << "\n== targets (issue 3)\n";
  Json targets = Json::array();
  bool all_met = true;
  for (const char* w : {"register", "update"}) {
    const double ratio = empty_rate > 0 ? saturation[w] / empty_rate : 0;
    const bool rate_met = ratio >= 0.4;
    const bool p99_met = open[w].latency.count > 0 && open[w].latency.p99_ms <= 10.0 &&
                         open[w].errors == 0 && open[w].skipped == 0;
    all_met = all_met && rate_met && p99_met;
    std::cout << absl::StrFormat("%-8s rate >= 0.4 x empty call: %s/s / %s/s = %.3f -> %s\n", w,
                                 Rate(saturation[w]), Rate(empty_rate), ratio,
                                 rate_met ? "met" : "NOT met");
    std::cout << absl::StrFormat("%-8s p99 <= 10 ms at half saturation (%s/s): %.2f ms -> %s\n", w,
                                 Rate(open[w].target_rate), open[w].latency.p99_ms,
                                 p99_met ? "met" : "NOT met");
    targets.push_back({{"workload", w},
                       {"ratio", ratio},
                       {"rate_target_met", rate_met},
                       {"p99_ms_at_half", open[w].latency.p99_ms},
                       {"p99_target_met", p99_met}});
  }
  report["saturation"] = saturation;
  report["targets"] = targets;
  report["phases"] = phases;
  if (!flags.json_out.empty()) {
    std::ofstream out(flags.json_out);
    out << report.dump(2) << "\n";
    std::cout << "== results: " << flags.json_out << "\n";
  }
  return 0;
}

// --- paginate mode ------------------------------------------------------------------------

// Registers efforts [0, count) with `concurrency` calls outstanding, retrying a failed call
// (same request id: idempotent) up to 5 times. Keeps each effort's update_time.
class BulkRegister : public std::enable_shared_from_this<BulkRegister> {
 public:
  BulkRegister(v1::Registry::Stub* stub, int64_t count)
      : stub_(stub), count_(count), update_micros_(static_cast<size_t>(count), -1) {}

  void Start(int concurrency) {
    {
      absl::MutexLock lock(&mu_);
      open_slots_ = concurrency;
    }
    for (int i = 0; i < concurrency; ++i) Next();
  }
  int64_t done() const {
    absl::MutexLock lock(&mu_);
    return done_;
  }
  bool Finished(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(
                                    +[](int64_t* n) { return *n == 0; }, &open_slots_),
                                timeout);
  }
  int64_t failures() const {
    absl::MutexLock lock(&mu_);
    return failures_;
  }
  int64_t retries() const {
    absl::MutexLock lock(&mu_);
    return retries_;
  }
  std::map<std::string, int64_t> error_codes() const {
    absl::MutexLock lock(&mu_);
    return codes_;
  }
  // -1 for an effort that was not registered.
  const std::vector<int64_t>& update_micros() const { return update_micros_; }

 private:
  struct CreateCall {
    grpc::ClientContext context;
    v1::CreateDialogueRequest request;
    v1::CreateDialogueResponse response;
  };

  void Next() {
    const int64_t index = next_.fetch_add(1);
    if (index >= count_) {
      absl::MutexLock lock(&mu_);
      --open_slots_;
      return;
    }
    Issue(index,
          CreateRequest(MakeEffort(static_cast<uint64_t>(index)),
                        absl::StrCat("bench-register-", index)),
          1);
  }

  void Issue(int64_t index, v1::CreateDialogueRequest request, int attempt) {
    auto* call = new CreateCall();
    PrepareContext(call->context);
    call->request = std::move(request);
    std::shared_ptr<BulkRegister> self = shared_from_this();
    stub_->async()->CreateDialogue(
        &call->context, &call->request, &call->response,
        [self, call, index, attempt](grpc::Status s) { self->Done(call, index, attempt, s); });
  }

  void Done(CreateCall* call, int64_t index, int attempt, const grpc::Status& s) {
    const bool retryable = s.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
                           s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
    if (!s.ok() && retryable && attempt < 5) {
      {
        absl::MutexLock lock(&mu_);
        ++retries_;
      }
      v1::CreateDialogueRequest request = std::move(call->request);
      delete call;
      return Issue(index, std::move(request), attempt + 1);
    }
    {
      absl::MutexLock lock(&mu_);
      ++done_;
      if (s.ok()) {
        const auto& t = call->response.dialogue().update_time();
        update_micros_[static_cast<size_t>(index)] = t.seconds() * 1000000 + t.nanos() / 1000;
      } else {
        ++failures_;
        ++codes_[api::GrpcCodeName(s.error_code())];
        if (failures_ <= 5) {
          std::cerr << "register " << index << " failed: " << s.error_message() << "\n";
        }
      }
    }
    delete call;
    Next();
  }

  v1::Registry::Stub* stub_;
  const int64_t count_;
  std::atomic<int64_t> next_{0};
  mutable absl::Mutex mu_;
  int64_t open_slots_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t done_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t failures_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t retries_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int64_t> codes_ ABSL_GUARDED_BY(mu_);
  // Written under mu_ while running; read after Finished().
  std::vector<int64_t> update_micros_;
};

// One listing to check: a filter, an order, and what the client expects of them.
struct Listing {
  std::string label;
  std::string filter;
  std::string order_by;
  std::function<bool(const Effort&)> keep;
  // Strict weak order of the expected list; ties are broken by name (as the index keys are).
  std::function<bool(const Effort&, int64_t, const Effort&, int64_t)> before;
  // Whether total_size must be exact (no filter, or one indexed equality: docs/adr/0007);
  // otherwise it may be an upper bound.
  bool exact_total = true;
};

// The Swedish alphabetical order of titles: the server's one implementation
// (libs/common/text.h), so the check compares the listing with the order it promises.
std::string SwedishKey(std::string_view title) { return SwedishSortKey(title); }

std::vector<Listing> Listings() {
  const std::string lindangen = ResourceName("areas", "lindangen");
  const std::string miljo = ResourceName("administrations", "miljoforvaltningen");
  const absl::CivilDay from(2010, 1, 1);
  const absl::CivilDay to(2010, 12, 31);
  auto all = [](const Effort&) { return true; };
  auto by_name = [](const Effort& a, int64_t, const Effort& b, int64_t) { return a.id < b.id; };
  auto by_title = [](const Effort& a, int64_t, const Effort& b, int64_t) {
    const std::string ta = SwedishKey(a.title);
    const std::string tb = SwedishKey(b.title);
    return ta != tb ? ta < tb : a.id < b.id;
  };
  auto by_start = [](const Effort& a, int64_t, const Effort& b, int64_t) {
    return a.start != b.start ? a.start < b.start : a.id < b.id;
  };
  auto by_start_desc = [](const Effort& a, int64_t, const Effort& b, int64_t) {
    return a.start != b.start ? a.start > b.start : a.id < b.id;
  };
  auto by_update = [](const Effort& a, int64_t ua, const Effort& b, int64_t ub) {
    return ua != ub ? ua < ub : a.id < b.id;
  };
  auto by_update_desc = [](const Effort& a, int64_t ua, const Effort& b, int64_t ub) {
    return ua != ub ? ua > ub : a.id < b.id;
  };
  return {
      {"all, name", "", "", all, by_name},
      {"all, title", "", "title", all, by_title},
      {"all, start_date", "", "start_date", all, by_start},
      {"all, start_date desc", "", "start_date desc", all, by_start_desc},
      {"all, update_time desc", "", "update_time desc", all, by_update_desc},
      {"area = lindangen, name", absl::StrCat("area = \"", lindangen, "\""), "",
       [lindangen](const Effort& e) { return e.area == lindangen; }, by_name},
      {"administration = miljoforvaltningen, title",
       absl::StrCat("administration = \"", miljo, "\""), "title",
       [miljo](const Effort& e) { return e.lead_administration == miljo; }, by_title},
      {"type = KUNSKAPSDIALOG, start_date desc", "type = KUNSKAPSDIALOG", "start_date desc",
       [](const Effort& e) { return e.type == v1::KUNSKAPSDIALOG; }, by_start_desc},
      {"status = PLANNED AND type = BRUKARDIALOG, name", "status = PLANNED AND type = BRUKARDIALOG",
       "", [](const Effort& e) { return e.type == v1::BRUKARDIALOG; }, by_name, false},
      {"period_overlaps 2010, name", "period_overlaps = \"2010-01-01/2010-12-31\"", "",
       [from, to](const Effort& e) { return e.start <= to && e.end >= from; }, by_name, false},
      {"text : parker, update_time", "text : \"parker\"", "update_time",
       [](const Effort& e) {
         return absl::AsciiStrToLower(e.title).find("parker") != std::string::npos ||
                absl::AsciiStrToLower(e.question).find("parker") != std::string::npos;
       },
       by_update, false},
  };
}

struct ListingResult {
  bool ok = true;
  std::string problem;
  int64_t expected = 0;
  int64_t seen = 0;
  // ListDialogues.total_size of the first page.
  int64_t total_size = 0;
  // Time of each page in the walk, in list order.
  std::vector<double> page_ms;
  // The page token of each page ("" for the first).
  std::vector<std::string> tokens;
  // Time of each page (by its position in the list) when every page was fetched a second
  // time, in a random order: the walk's times drift with the machine's load over the walk,
  // so the depth of a page and the moment it is fetched are separated here.
  std::vector<double> shuffled_ms;
};

ListingResult PageThrough(v1::Registry::Stub& stub, const Listing& listing,
                          const std::vector<std::string>& expected, int page_size) {
  ListingResult result;
  result.expected = static_cast<int64_t>(expected.size());
  v1::ListDialoguesRequest request;
  request.set_parent(kTenant);
  request.set_page_size(page_size);
  request.set_filter(listing.filter);
  request.set_order_by(listing.order_by);
  size_t position = 0;
  while (true) {
    result.tokens.push_back(request.page_token());
    grpc::ClientContext context;
    PrepareContext(context);
    v1::ListDialoguesResponse page;
    const absl::Time start = absl::Now();
    const grpc::Status s = stub.ListDialogues(&context, request, &page);
    result.page_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    if (!s.ok()) {
      result.ok = false;
      result.problem = absl::StrCat("page ", result.page_ms.size(), ": ",
                                    api::GrpcCodeName(s.error_code()), " ", s.error_message());
      return result;
    }
    if (page.dialogues_size() > page_size) {
      result.ok = false;
      result.problem = absl::StrCat("page ", result.page_ms.size(), " has ", page.dialogues_size(),
                                    " dialogues");
    }
    if (result.ok && result.page_ms.size() > 1 && page.total_size() != result.total_size) {
      result.ok = false;
      result.problem = absl::StrCat("page ", result.page_ms.size(), " has total_size ",
                                    page.total_size(), ", the first page ", result.total_size);
    }
    if (result.page_ms.size() == 1) {
      result.total_size = page.total_size();
      const bool fits = listing.exact_total ? page.total_size() == result.expected
                                            : page.total_size() >= result.expected;
      if (!fits) {
        result.ok = false;
        result.problem = absl::StrCat(
            "total_size ", page.total_size(), " for ", result.expected,
            listing.exact_total ? " (must be exact)" : " (may only be an upper bound)");
      }
    }
    for (const v1::Dialogue& d : page.dialogues()) {
      if (result.ok && (position >= expected.size() || d.name() != expected[position])) {
        result.ok = false;
        result.problem = absl::StrCat("position ", position, " (page ", result.page_ms.size(),
                                      "): got ", d.name(), ", expected ",
                                      position < expected.size() ? expected[position] : "the end");
      }
      ++position;
    }
    result.seen = static_cast<int64_t>(position);
    if (page.next_page_token().empty()) break;
    if (page.dialogues_size() == 0) {
      result.ok = false;
      result.problem = absl::StrCat("page ", result.page_ms.size(), " is empty but has a token");
    }
    request.set_page_token(page.next_page_token());
  }
  if (result.ok && position != expected.size()) {
    result.ok = false;
    result.problem = absl::StrCat("saw ", position, " of ", expected.size());
  }
  if (!result.ok || result.tokens.size() < 20) return result;

  // Every page once more, in a random order, each from its saved token; a page must come
  // back the same (tokens are replayable), starting with the same effort.
  std::vector<size_t> order(result.tokens.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(20261128));
  result.shuffled_ms.assign(order.size(), 0);
  for (size_t k : order) {
    request.set_page_token(result.tokens[k]);
    grpc::ClientContext context;
    PrepareContext(context);
    v1::ListDialoguesResponse page;
    const absl::Time start = absl::Now();
    const grpc::Status s = stub.ListDialogues(&context, request, &page);
    result.shuffled_ms[k] = absl::ToDoubleMilliseconds(absl::Now() - start);
    const size_t first = k * static_cast<size_t>(page_size);
    if (!s.ok() || page.dialogues_size() == 0 || first >= expected.size() ||
        page.dialogues(0).name() != expected[first]) {
      result.ok = false;
      result.problem = absl::StrCat("page ", k + 1, " fetched again from its token: ",
                                    s.ok() ? "another first effort" : s.error_message());
      break;
    }
  }
  return result;
}

double Mean(const std::vector<double>& v, size_t from, size_t to) {
  if (to <= from) return 0;
  double total = 0;
  for (size_t i = from; i < to; ++i) total += v[i];
  return total / static_cast<double>(to - from);
}

// The mean page time of each tenth of the pages, in list order (empty under 10 pages).
std::vector<double> DecileMeans(const std::vector<double>& page_ms) {
  std::vector<double> out;
  const size_t n = page_ms.size();
  if (n < 10) return out;
  for (size_t d = 0; d < 10; ++d) out.push_back(Mean(page_ms, d * n / 10, (d + 1) * n / 10));
  return out;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = static_cast<double>(v.size());
  const auto index = static_cast<size_t>(std::max(1.0, std::ceil(p * n))) - 1;
  return v[std::min(index, v.size() - 1)];
}

int RunPaginate(const Flags& flags) {
  Json report;
  report["mode"] = "paginate";
  report["count"] = flags.count;
  report["page_size"] = flags.page_size;
  std::optional<Server> server = Prepare(flags, report);
  if (!server) return 1;
  SamraddProcess& samradd = *server->process;
  Clients& clients = *server->clients;

  std::cout << "\n== registering " << flags.count << " efforts, " << flags.register_concurrency
            << " calls outstanding\n";
  std::cout << absl::StrFormat("%10s %10s %12s %14s\n", "registered", "elapsed s", "chunk /s",
                               "server ms/cmd");
  auto bulk = std::make_shared<BulkRegister>(clients.registry.get(), flags.count);
  const absl::Time start = absl::Now();
  std::map<std::string, double> metrics_before =
      samradd.ScrapeMetrics().value_or(std::map<std::string, double>());
  bulk->Start(flags.register_concurrency);
  Json chunks = Json::array();
  const int64_t step = std::max<int64_t>(1, flags.count / 10);
  int64_t next_mark = step;
  absl::Time mark_time = start;
  int64_t mark_done = 0;
  while (!bulk->Finished(absl::Milliseconds(200))) {
    const int64_t done = bulk->done();
    if (done >= next_mark) {
      const absl::Time now = absl::Now();
      const double rate =
          static_cast<double>(done - mark_done) / absl::ToDoubleSeconds(now - mark_time);
      std::map<std::string, double> metrics_now =
          samradd.ScrapeMetrics().value_or(std::map<std::string, double>());
      const ServerView view = Delta(metrics_before, metrics_now);
      std::cout << absl::StrFormat("%10d %10.1f %12.0f %14.2f\n", done,
                                   absl::ToDoubleSeconds(now - start), rate, view.command_ms);
      std::cout.flush();
      chunks.push_back({{"registered", done},
                        {"elapsed_s", absl::ToDoubleSeconds(now - start)},
                        {"rate", rate},
                        {"server_command_ms_mean", view.command_ms},
                        {"server_append_ms_mean", view.append_ms}});
      metrics_before = std::move(metrics_now);
      mark_time = now;
      mark_done = done;
      while (next_mark <= done) next_mark += step;
    }
  }
  const double register_s = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << absl::StrFormat("registered %d of %d in %.1f s (%.0f/s); %d failed, %d retries\n",
                               flags.count - bulk->failures(), flags.count, register_s,
                               static_cast<double>(flags.count) / register_s, bulk->failures(),
                               bulk->retries());
  report["register"] = {{"seconds", register_s},
                        {"failures", bulk->failures()},
                        {"retries", bulk->retries()},
                        {"error_codes", bulk->error_codes()},
                        {"chunks", chunks}};

  std::vector<Effort> efforts;
  std::vector<int64_t> update_micros;
  efforts.reserve(static_cast<size_t>(flags.count));
  for (int64_t i = 0; i < flags.count; ++i) {
    if (bulk->update_micros()[static_cast<size_t>(i)] < 0) continue;
    efforts.push_back(MakeEffort(static_cast<uint64_t>(i)));
    update_micros.push_back(bulk->update_micros()[static_cast<size_t>(i)]);
  }

  std::cout << "\n== paging through ListDialogues, page_size " << flags.page_size
            << " (times per page in ms; deciles by position in the list)\n";
  std::cout << "(\"rand\": every page fetched again from its token, in a random order)\n";
  std::cout << absl::StrFormat("%-45s %7s %7s %7s %4s %6s %7s %7s %8s %8s %7s %6s %9s %9s\n",
                               "listing", "expect", "seen", "total", "ok", "pages", "first",
                               "median", "1st 10%", "last 10%", "p99", "max", "rand 1st",
                               "rand last");
  bool all_ok = true;
  Json listings = Json::array();
  for (const Listing& listing : Listings()) {
    std::vector<size_t> order;
    for (size_t i = 0; i < efforts.size(); ++i) {
      if (listing.keep(efforts[i])) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return listing.before(efforts[a], update_micros[a], efforts[b], update_micros[b]);
    });
    std::vector<std::string> expected;
    expected.reserve(order.size());
    for (size_t i : order) expected.push_back(efforts[i].name);
    ListingResult r = PageThrough(*clients.registry, listing, expected, flags.page_size);
    all_ok = all_ok && r.ok;
    const size_t pages = r.page_ms.size();
    // Mean page time of the first and the last tenth of the pages; the first tenth leaves
    // out the first page (which may pay for cold caches). Only for listings of 20+ pages.
    const size_t decile = pages / 10;
    const bool deciles = pages >= 20;
    const double first_decile = deciles ? Mean(r.page_ms, 1, decile + 1) : 0;
    const double last_decile = deciles ? Mean(r.page_ms, pages - decile, pages) : 0;
    const bool shuffled = deciles && r.shuffled_ms.size() == pages;
    const double rand_first = shuffled ? Mean(r.shuffled_ms, 0, decile) : 0;
    const double rand_last = shuffled ? Mean(r.shuffled_ms, pages - decile, pages) : 0;
    auto cell = [](bool shown, double v) {
      return shown ? absl::StrFormat("%.2f", v) : std::string("-");
    };
    std::cout << absl::StrFormat(
        "%-45s %7d %7d %7d %4s %6d %7.2f %7.2f %8s %8s %7.2f %6.1f %9s %9s\n", listing.label,
        r.expected, r.seen, r.total_size, r.ok ? "yes" : "NO", pages,
        pages > 0 ? r.page_ms.front() : 0, Percentile(r.page_ms, 0.5), cell(deciles, first_decile),
        cell(deciles, last_decile), Percentile(r.page_ms, 0.99), Percentile(r.page_ms, 1.0),
        cell(shuffled, rand_first), cell(shuffled, rand_last));
    if (!r.ok) std::cout << "    problem: " << r.problem << "\n";
    std::cout.flush();
    listings.push_back(
        {{"listing", listing.label},
         {"filter", listing.filter},
         {"order_by", listing.order_by},
         {"expected", r.expected},
         {"seen", r.seen},
         {"total_size", r.total_size},
         {"total_size_exact_required", listing.exact_total},
         {"ok", r.ok},
         {"problem", r.problem},
         {"pages", pages},
         {"first_page_ms", pages > 0 ? r.page_ms.front() : 0},
         {"median_page_ms", Percentile(r.page_ms, 0.5)},
         {"first_decile_mean_ms", deciles ? Json(first_decile) : Json()},
         {"last_decile_mean_ms", deciles ? Json(last_decile) : Json()},
         {"decile_mean_ms", DecileMeans(r.page_ms)},
         {"random_order_decile_mean_ms", DecileMeans(r.shuffled_ms)},
         {"random_order_median_page_ms", shuffled ? Json(Percentile(r.shuffled_ms, 0.5)) : Json()},
         {"p99_page_ms", Percentile(r.page_ms, 0.99)},
         {"max_page_ms", Percentile(r.page_ms, 1.0)}});
  }
  report["listings"] = listings;
  report["load_average_end"] = LoadAverage();
  StopServer(*server, report);
  std::cout << "\n== pagination over " << efforts.size()
            << " efforts: " << (all_ok ? "every listing complete and in order" : "FAILED") << "\n";
  report["all_ok"] = all_ok;
  if (!flags.json_out.empty()) {
    std::ofstream out(flags.json_out);
    out << report.dump(2) << "\n";
    std::cout << "== results: " << flags.json_out << "\n";
  }
  return all_ok && bulk->failures() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace samrad::bench

int main(int argc, char** argv) {
  using samrad::bench::Flags;
  samrad::bench::HandleSignals();
  Flags flags;
  flags.samradd = samrad::bench::DefaultSamradd();
  CLI::App app{"Registry load through gRPC against a real samradd (issue 3)", "registry_load"};
  app.add_option("--mode", flags.mode, "throughput or paginate")
      ->check(CLI::IsMember({"throughput", "paginate"}))
      ->capture_default_str();
  app.add_option("--samradd", flags.samradd, "The samradd binary")->capture_default_str();
  app.add_option("--organisation-data", flags.organisation_data,
                 "deploy/config/malmo.json for samradd")
      ->capture_default_str();
  app.add_option(
      "--samradd-arg", flags.samradd_args,
      "An extra flag for samradd (repeatable), e.g. --samradd-arg=--embedded-sync=false");
  app.add_option("--concurrency", flags.concurrency, "Closed-loop calls outstanding")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--warmup", flags.warmup_s, "Seconds of warm-up per phase")->capture_default_str();
  app.add_option("--duration", flags.duration_s, "Seconds measured per closed-loop phase")
      ->capture_default_str();
  app.add_option("--open-duration", flags.open_duration_s, "Seconds measured per open-loop phase")
      ->capture_default_str();
  app.add_option("--mixed-rate", flags.mixed_rate,
                 "Empty calls per second, alone and during register saturation")
      ->capture_default_str();
  app.add_option("--count", flags.count, "paginate: efforts to register")->capture_default_str();
  app.add_option("--register-concurrency", flags.register_concurrency,
                 "paginate: CreateDialogue calls outstanding")
      ->capture_default_str();
  app.add_option("--page-size", flags.page_size, "paginate: ListDialogues page_size")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--json-out", flags.json_out, "Write the results as JSON to this file");
  CLI11_PARSE(app, argc, argv);
  return flags.mode == "paginate" ? samrad::bench::RunPaginate(flags)
                                  : samrad::bench::RunThroughput(flags);
}
