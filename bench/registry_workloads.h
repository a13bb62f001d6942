#ifndef SAMRAD_BENCH_REGISTRY_WORKLOADS_H_
#define SAMRAD_BENCH_REGISTRY_WORKLOADS_H_

// The calls of the registry load tool (bench/registry_load.cc): the empty call
// (grpc.health.v1.Health/Check), register (Registry/CreateDialogue) and update
// (Registry/UpdateDialogue with a field mask and the current etag), and the deterministic
// dialogue efforts they register.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/load_driver.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "samrad/registry/v1/registry_service.grpc.pb.h"

namespace samrad::bench {

namespace v1 = ::samrad::registry::v1;

inline constexpr char kTenant[] = "tenants/1280";
// Deadline of every call of the tool.
inline constexpr absl::Duration kCallDeadline = absl::Seconds(30);
// The elected officials that citizen dialogues name (created by CreateElectedOfficials).
inline constexpr int kElectedOfficials = 4;

// "tenants/1280/<collection>/<id>".
std::string ResourceName(absl::string_view collection, absl::string_view id);

// Sets the deadline, the actor headers (the tool acts as "bench.load") and Swedish.
void PrepareContext(grpc::ClientContext& context);

// One dialogue effort of the generated data set, a pure function of its index. The set
// varies what the filters and orders of ListDialogues select on:
// - type: the four types in turn (citizen dialogues name an elected official);
// - area: one effort in 8 names one of the 11 areas other than "hela-staden"; the others
//   describe their place in free text (area_description);
// - lead administration: one of the 13 of deploy/config/malmo.json;
// - dates: a start day in 2000..2029 and a length of 1..60 days;
// - title: one of 12 topics and one of 12 places, some upper-case, some lower-case, so that
//   many titles tie and title order falls back on the name;
// - id: a hash prefix, so that name order differs from the order of registration.
struct Effort {
  uint64_t index = 0;
  std::string id;
  // Resource name.
  std::string name;
  std::string title;
  std::string question;
  v1::DialogueType type = v1::DIALOGUE_TYPE_UNSPECIFIED;
  // Resource name of the area, or "" when the place is only described.
  std::string area;
  std::string area_description;
  std::string lead_administration;
  std::string channel;
  v1::TargetGroup target_group = v1::TARGET_GROUP_UNSPECIFIED;
  // Resource name of an elected official, for citizen dialogues.
  std::string elected_official;
  absl::CivilDay start;
  absl::CivilDay end;
};

Effort MakeEffort(uint64_t index);
v1::CreateDialogueRequest CreateRequest(const Effort& effort, const std::string& request_id);

// One channel for every call of a run (one HTTP/2 connection, as one client process has).
struct Clients {
  explicit Clients(const std::string& address);
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
  std::unique_ptr<v1::Registry::Stub> registry;
};

// Creates the people "politiker-1".."politiker-4" (elected officials), synchronously.
absl::Status CreateElectedOfficials(v1::Registry::Stub& stub);

// grpc.health.v1.Health/Check for the whole server (service ""): the closest thing to an
// empty call that samradd serves (a lookup in the health service's status map).
class EmptyCallWorkload : public Workload {
 public:
  explicit EmptyCallWorkload(grpc::health::v1::Health::Stub* stub) : stub_(stub) {}
  std::string name() const override { return "empty"; }
  bool Start(DoneFn done) override;

 private:
  grpc::health::v1::Health::Stub* stub_;
  const grpc::health::v1::HealthCheckRequest request_;
};

// Dialogues that updates may change, with their current etags. A dialogue is taken out for
// the duration of one update, so that no two updates race for the same etag.
class UpdatePool {
 public:
  void Put(std::string name, std::string etag);
  std::optional<std::pair<std::string, std::string>> Take();
  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  std::deque<std::pair<std::string, std::string>> free_ ABSL_GUARDED_BY(mu_);
};

// Registry/CreateDialogue of MakeEffort(next++), each with its own request id. Successful
// registrations are handed to `on_created` (on a gRPC thread).
class RegisterWorkload : public Workload {
 public:
  using CreatedFn = std::function<void(const Effort&, const v1::CreateDialogueResponse&)>;
  RegisterWorkload(v1::Registry::Stub* stub, std::atomic<uint64_t>* next, CreatedFn on_created)
      : stub_(stub), next_(next), on_created_(std::move(on_created)) {}
  std::string name() const override { return "register"; }
  bool Start(DoneFn done) override;

 private:
  v1::Registry::Stub* stub_;
  std::atomic<uint64_t>* next_;
  CreatedFn on_created_;
};

// Registry/UpdateDialogue of a dialogue from the pool: a new title, update_mask "title", the
// etag the pool holds. The dialogue goes back with its new etag on success; a failed update
// drops it from the pool (and counts as an error).
class UpdateWorkload : public Workload {
 public:
  UpdateWorkload(v1::Registry::Stub* stub, UpdatePool* pool) : stub_(stub), pool_(pool) {}
  std::string name() const override { return "update"; }
  bool Start(DoneFn done) override;

 private:
  v1::Registry::Stub* stub_;
  UpdatePool* pool_;
  std::atomic<uint64_t> next_{0};
};

}  // namespace samrad::bench

#endif  // SAMRAD_BENCH_REGISTRY_WORKLOADS_H_
