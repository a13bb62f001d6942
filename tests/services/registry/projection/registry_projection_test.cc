// The registry projection: Evolve per event case (state and index keys), and a replay of
// the log that equals the command path's local apply byte for byte.

#include "services/registry/projection/registry_projection.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/command/command_executor.h"
#include "libs/eventlog/embedded_event_log.h"
#include "libs/projection/projection_store.h"
#include "libs/runtime/service_names.h"
#include "services/registry/domain/dates.h"
#include "services/registry/domain/names.h"
#include "services/registry/projection/registry_store_view.h"
#include "tests/testing/temp_dir.h"

namespace samrad::registry {
namespace {

using projection::Cf;

// The registry module's apply function, composed the one way every module's is.
runtime::ModuleApplyFn RegistryApply() {
  return runtime::ComposeApply(
      {.apply = ApplyRegistryEntry, .command_topic = std::string(runtime::kRegistryTopic)});
}

constexpr char kDialogue[] = "tenants/1280/dialogues/rosengard-parker";

google::type::Date D(int y, int m, int d) { return domain::MakeDate(y, m, d); }

v1::Dialogue Dialogue() {
  v1::Dialogue d;
  d.set_name(kDialogue);
  d.set_title("Parker");
  d.set_type(v1::MEDBORGARDIALOG);
  d.set_status(v1::PLANNED);
  d.add_areas("tenants/1280/areas/rosengard");
  d.set_lead_administration("tenants/1280/administrations/fritidsforvaltningen");
  d.add_co_administrations("tenants/1280/administrations/miljoforvaltningen");
  d.set_responsible_committee("tenants/1280/committees/fritidsnamnden");
  *d.mutable_start_date() = D(2020, 3, 1);
  return d;
}

std::map<std::string, std::string> Dump(const projection::ProjectionStore& store, Cf cf) {
  std::map<std::string, std::string> out;
  EXPECT_TRUE(store
                  .ScanPrefix(cf, "",
                              [&](std::string_view k, std::string_view v) {
                                out.emplace(k, v);
                                return true;
                              })
                  .ok());
  return out;
}

class RegistryProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = projection::ProjectionStore::Open({.path = dir_.Sub("store")});
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
  }
  void Apply(const v1::RegistryEvent& event) {
    ASSERT_TRUE(
        store_
            ->Apply({"test", 0}, offset_++,
                    [&](projection::Transaction& tx) { return EvolveRegistryEvent(event, tx); })
            .ok());
  }
  bool HasIndex(const std::string& key) {
    auto v = store_->Get(Cf::kIndexes, key);
    return v.ok() && v->has_value();
  }

  testutil::TempDir dir_;
  std::unique_ptr<projection::ProjectionStore> store_;
  int64_t offset_ = 0;
};

TEST_F(RegistryProjectionTest, DialogueEventsMaintainStateAndIndexes) {
  v1::RegistryEvent registered;
  *registered.mutable_dialogue_registered()->mutable_dialogue() = Dialogue();
  Apply(registered);
  const std::string by_area =
      DialogueAttributePrefix("1280", DialogueAttribute::kArea, "tenants/1280/areas/rosengard") +
      "rosengard-parker";
  const std::string by_co =
      DialogueAttributePrefix("1280", DialogueAttribute::kAdministration,
                              "tenants/1280/administrations/miljoforvaltningen") +
      "rosengard-parker";
  const std::string by_status =
      DialogueAttributePrefix("1280", DialogueAttribute::kStatus, "1") + "rosengard-parker";
  EXPECT_TRUE(HasIndex(by_area));
  EXPECT_TRUE(HasIndex(by_co));
  EXPECT_TRUE(HasIndex(by_status));
  EXPECT_TRUE(HasIndex(DialogueOrderPrefix("1280", DialogueOrder::kName) + "rosengard-parker"));

  v1::RegistryEvent updated;
  v1::Dialogue changed = Dialogue();
  changed.clear_areas();
  changed.add_areas("tenants/1280/areas/lindangen");
  *updated.mutable_dialogue_updated()->mutable_dialogue() = changed;
  Apply(updated);
  EXPECT_FALSE(HasIndex(by_area));
  EXPECT_TRUE(HasIndex(
      DialogueAttributePrefix("1280", DialogueAttribute::kArea, "tenants/1280/areas/lindangen") +
      "rosengard-parker"));

  v1::RegistryEvent status;
  status.mutable_dialogue_status_changed()->set_dialogue(kDialogue);
  status.mutable_dialogue_status_changed()->set_from(v1::PLANNED);
  status.mutable_dialogue_status_changed()->set_to(v1::ONGOING);
  status.mutable_metadata()->mutable_occurred_at()->set_seconds(1600000000);
  Apply(status);
  EXPECT_FALSE(HasIndex(by_status));
  EXPECT_TRUE(HasIndex(DialogueAttributePrefix("1280", DialogueAttribute::kStatus, "2") +
                       "rosengard-parker"));
  const projection::ReadView view = store_->NewReadView();
  StoreRegistryView registry(view);
  auto d = registry.GetDialogue(kDialogue);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->status(), v1::ONGOING);
  EXPECT_EQ(d->update_time().seconds(), 1600000000);
}

TEST_F(RegistryProjectionTest, CountsFollowRegistrationsUpdatesAndStatusChanges) {
  const std::string all = DialogueOrderPrefix("1280", DialogueOrder::kName);
  const std::string rosengard =
      DialogueAttributePrefix("1280", DialogueAttribute::kArea, "tenants/1280/areas/rosengard");
  const std::string lindangen =
      DialogueAttributePrefix("1280", DialogueAttribute::kArea, "tenants/1280/areas/lindangen");
  const std::string miljo =
      DialogueAttributePrefix("1280", DialogueAttribute::kAdministration,
                              "tenants/1280/administrations/miljoforvaltningen");
  const std::string planned = DialogueAttributePrefix("1280", DialogueAttribute::kStatus, "1");
  const std::string ongoing = DialogueAttributePrefix("1280", DialogueAttribute::kStatus, "2");
  auto counts = [&] {
    const projection::ReadView view = store_->NewReadView();
    std::vector<int64_t> out;
    for (const std::string& prefix : {all, rosengard, lindangen, miljo, planned, ongoing}) {
      absl::StatusOr<int64_t> n = DialogueCount(view, prefix);
      EXPECT_TRUE(n.ok()) << n.status();
      out.push_back(n.value_or(-1));
    }
    return out;
  };
  EXPECT_THAT(counts(), ::testing::ElementsAre(0, 0, 0, 0, 0, 0));

  for (const char* id : {"a", "b"}) {
    v1::RegistryEvent registered;
    v1::Dialogue d = Dialogue();
    d.set_name(absl::StrCat("tenants/1280/dialogues/", id));
    // Listed twice: counted once.
    d.add_co_administrations("tenants/1280/administrations/miljoforvaltningen");
    *registered.mutable_dialogue_registered()->mutable_dialogue() = d;
    Apply(registered);
  }
  //                                    all  rosengård  lindängen  miljö  planned  ongoing
  EXPECT_THAT(counts(), ::testing::ElementsAre(2, 2, 0, 2, 2, 0));

  v1::RegistryEvent updated;
  v1::Dialogue moved = Dialogue();
  moved.set_name("tenants/1280/dialogues/a");
  moved.clear_areas();
  moved.add_areas("tenants/1280/areas/lindangen");
  moved.clear_co_administrations();
  *updated.mutable_dialogue_updated()->mutable_dialogue() = moved;
  Apply(updated);
  EXPECT_THAT(counts(), ::testing::ElementsAre(2, 1, 1, 1, 2, 0));
  // The same update again changes nothing.
  Apply(updated);
  EXPECT_THAT(counts(), ::testing::ElementsAre(2, 1, 1, 1, 2, 0));

  v1::RegistryEvent status;
  status.mutable_dialogue_status_changed()->set_dialogue("tenants/1280/dialogues/b");
  status.mutable_dialogue_status_changed()->set_from(v1::PLANNED);
  status.mutable_dialogue_status_changed()->set_to(v1::ONGOING);
  Apply(status);
  EXPECT_THAT(counts(), ::testing::ElementsAre(2, 1, 1, 1, 1, 1));
}

TEST_F(RegistryProjectionTest, HintsAreRecordedOnBothSides) {
  v1::RegistryEvent registered;
  *registered.mutable_dialogue_registered()->mutable_dialogue() = Dialogue();
  Apply(registered);
  v1::RegistryEvent found;
  found.mutable_coordination_hints_found()->set_dialogue(kDialogue);
  v1::CoordinationHint* hint = found.mutable_coordination_hints_found()->add_hints();
  hint->set_dialogue(kDialogue);
  hint->set_other_dialogue("tenants/1280/dialogues/other");
  hint->set_other_lead_administration("tenants/1280/administrations/grundskoleforvaltningen");
  Apply(found);
  const projection::ReadView view = store_->NewReadView();
  StoreRegistryView registry(view);
  ASSERT_EQ(registry.HintsFor(kDialogue).size(), 1u);
  const auto other = registry.HintsFor("tenants/1280/dialogues/other");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].other_dialogue(), kDialogue);
  EXPECT_EQ(other[0].other_lead_administration(),
            "tenants/1280/administrations/fritidsforvaltningen");
}

TEST_F(RegistryProjectionTest, EveryFoldRefusesForeignEvents) {
  v1::RegistryEvent event;
  event.mutable_tenant_created()->set_code("1280");
  v1::Dialogue d;
  EXPECT_FALSE(FoldDialogue(d, event).ok());
  v1::Committee c;
  EXPECT_FALSE(FoldCommittee(c, event).ok());
  v1::Tenant t;
  EXPECT_TRUE(FoldTenant(t, event).ok());
  EXPECT_EQ(t.name(), "tenants/1280");
}

TEST_F(RegistryProjectionTest, ReplayOfTheLogEqualsTheLocalApply) {
  auto log = eventlog::EmbeddedEventLog::Open({.path = dir_.Sub("log"), .sync = false});
  ASSERT_TRUE(log.ok());
  const std::string topic(runtime::kRegistryTopic);
  ASSERT_TRUE((*log)->EnsureTopic(topic, 1).ok());
  auto written = projection::ProjectionStore::Open({.path = dir_.Sub("written")});
  ASSERT_TRUE(written.ok());
  auto executor = command::CommandExecutor<v1::RegistryEvent>::Create(
      {.service = "registry",
       .domain = "registry.samrad.malmo.se",
       .topic = topic,
       .partitions = 1,
       .log = log->get(),
       .store = written->get(),
       .apply = [apply = RegistryApply()](
                    const eventlog::TopicPartition& s, const eventlog::Entry& e,
                    projection::Transaction& tx) { return apply(s, e, tx).status(); },
       .aggregate_of = AggregateOfRegistryEvent});
  ASSERT_TRUE(executor.ok());
  api::RequestContext ctx;
  ctx.actor.set_id("system");
  ctx.correlation_id = "c";
  auto run = [&](std::string request_id, std::vector<v1::RegistryEvent> events) {
    const auto aggregate = AggregateOfName(ResourceOfEvent(events.back()));
    ASSERT_TRUE(aggregate.has_value());
    auto out = (*executor)->Execute(
        ctx,
        command::Command<v1::RegistryEvent, bool>{
            .tenant = "1280",
            .aggregate = aggregate->ref,
            .request_id = request_id,
            .fingerprint = request_id,
            .decide = [&](const command::DecideContext&) { return events; },
            .answer = [](const command::AnswerContext&) -> absl::StatusOr<bool> { return true; }});
    ASSERT_TRUE(out.ok()) << out.status();
  };
  v1::RegistryEvent tenant;
  tenant.mutable_tenant_created()->set_code("1280");
  tenant.mutable_tenant_created()->set_name("Malmö stad");
  run("r1", {tenant});
  v1::RegistryEvent registered;
  *registered.mutable_dialogue_registered()->mutable_dialogue() = Dialogue();
  run("r2", {registered});
  v1::RegistryEvent status;
  status.mutable_dialogue_status_changed()->set_dialogue(kDialogue);
  status.mutable_dialogue_status_changed()->set_to(v1::ONGOING);
  run("r3", {status});

  auto replayed = projection::ProjectionStore::Open({.path = dir_.Sub("replayed")});
  ASSERT_TRUE(replayed.ok());
  const runtime::ModuleApplyFn apply = RegistryApply();
  auto entries = (*log)->Read({topic, 0}, 0, 100, absl::ZeroDuration());
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  for (const eventlog::Entry& entry : *entries) {
    ASSERT_TRUE((*replayed)
                    ->Apply({topic, 0}, entry.offset,
                            [&](projection::Transaction& tx) {
                              return apply({topic, 0}, entry, tx).status();
                            })
                    .ok());
  }
  EXPECT_EQ(Dump(**written, Cf::kState), Dump(**replayed, Cf::kState));
  EXPECT_EQ(Dump(**written, Cf::kIndexes), Dump(**replayed, Cf::kIndexes));
  EXPECT_FALSE(Dump(**replayed, Cf::kIndexes).empty());
}

}  // namespace
}  // namespace samrad::registry
