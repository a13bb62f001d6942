#include "libs/runtime/topic_dispatch.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/projection/projection_store.h"
#include "libs/runtime/projection_module.h"
#include "libs/runtime/service_names.h"
#include "samrad/registry/v1/events.pb.h"
#include "samrad/scheduling/v1/events.pb.h"
#include "tests/testing/temp_dir.h"

namespace samrad::runtime {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const eventlog::TopicPartition kRegistry{std::string(kRegistryTopic), 0};
const eventlog::TopicPartition kScheduling{std::string(kSchedulingTopic), 0};
const eventlog::TopicPartition kReporting{std::string(kReportingTopic), 0};

eventlog::Entry EntryOf(const google::protobuf::Message& event) {
  return eventlog::Entry{.offset = 0,
                         .timestamp_ms = 0,
                         .key = "1280",
                         .value = event.SerializeAsString(),
                         .headers = {}};
}

eventlog::Entry TenantCreated() {
  registry::v1::RegistryEvent event;
  event.mutable_metadata()->set_tenant("1280");
  event.mutable_tenant_created()->set_code("1280");
  event.mutable_tenant_created()->set_name("Malmö stad");
  return EntryOf(event);
}

eventlog::Entry MeetingScheduled() {
  scheduling::v1::SchedulingEvent event;
  event.mutable_metadata()->set_tenant("1280");
  event.mutable_meeting_scheduled()->set_meeting_id("referensmote-2018-11-23");
  return EntryOf(event);
}

// Routes that say which of them ran, in kState key "route".
ModuleApplyFn Marks(std::string route) {
  return [route](const eventlog::TopicPartition&, const eventlog::Entry&,
                 projection::Transaction& tx) -> absl::StatusOr<ApplyOutcome> {
    tx.Put(projection::Cf::kState, "route", route);
    return ApplyOutcome::kApplied;
  };
}

class TopicDispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = projection::ProjectionStore::Open({.path = dir_.Sub("store")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // Applies `entry` as the next entry of `source` through `apply`; returns the outcome and
  // leaves in *route what the route wrote ("" when none ran).
  absl::StatusOr<ApplyOutcome> Run(const ModuleApplyFn& apply,
                                   const eventlog::TopicPartition& source,
                                   const eventlog::Entry& entry, std::string* route) {
    absl::StatusOr<int64_t> next = store_->NextOffset(source);
    if (!next.ok()) return next.status();
    absl::StatusOr<ApplyOutcome> outcome = absl::UnknownError("not applied");
    absl::Status s = store_->Apply(source, *next, [&](projection::Transaction& tx) {
      tx.Delete(projection::Cf::kState, "route");
      outcome = apply(source, entry, tx);
      return outcome.status();
    });
    if (!s.ok()) return s;
    auto value = store_->Get(projection::Cf::kState, "route");
    if (!value.ok()) return value.status();
    *route = value->value_or("");
    return outcome;
  }

  samrad::testutil::TempDir dir_;
  std::unique_ptr<projection::ProjectionStore> store_;
};

TEST_F(TopicDispatchTest, RoutesByTopicAndAnswersUnknownForOthers) {
  // As a module's apply function: a TopicDispatch is a ModuleApplyFn.
  const ModuleApplyFn apply = TopicDispatch()
                                  .On(kRegistryTopic, Marks("registry"))
                                  .On(kSchedulingTopic, Marks("scheduling"));
  std::string route;
  auto outcome = Run(apply, kRegistry, TenantCreated(), &route);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(route, "registry");

  outcome = Run(apply, kScheduling, MeetingScheduled(), &route);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(route, "scheduling");

  // Another partition of a routed topic takes the same route.
  outcome = Run(apply, {std::string(kSchedulingTopic), 3}, MeetingScheduled(), &route);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(route, "scheduling");

  // A topic without a route: unknown (the module counts and skips it), no route runs.
  outcome = Run(apply, kReporting, MeetingScheduled(), &route);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, ApplyOutcome::kUnknown);
  EXPECT_EQ(route, "");
}

TEST_F(TopicDispatchTest, ListsItsRoutes) {
  const TopicDispatch dispatch =
      TopicDispatch().On(kRegistryTopic, Marks("a")).On(kSchedulingTopic, Marks("b"));
  EXPECT_THAT(dispatch.topics(), ElementsAre(kRegistryTopic, kSchedulingTopic));
  EXPECT_TRUE(dispatch.Routes(kRegistryTopic));
  EXPECT_FALSE(dispatch.Routes(kReportingTopic));
  EXPECT_FALSE(dispatch.Routes("registry.events.v2"));
  EXPECT_TRUE(dispatch.status().ok());
}

TEST_F(TopicDispatchTest, OnEnvelopeDecodesAndSkipsWhatItCannotRead) {
  std::vector<std::string> seen;
  const ModuleApplyFn apply = TopicDispatch().OnEnvelope<registry::v1::RegistryEvent>(
      kRegistryTopic,
      [&seen](const registry::v1::RegistryEvent& event,
              projection::Transaction& tx) -> absl::StatusOr<ApplyOutcome> {
        seen.push_back(event.tenant_created().name());
        // The entry's place is on the transaction.
        EXPECT_EQ(tx.source().topic, kRegistryTopic);
        tx.Put(projection::Cf::kState, "route", "registry");
        return ApplyOutcome::kApplied;
      });
  std::string route;
  auto outcome = Run(apply, kRegistry, TenantCreated(), &route);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, ApplyOutcome::kApplied);
  EXPECT_THAT(seen, ElementsAre("Malmö stad"));

  // Bytes that are not an envelope, and an envelope of a case this build does not know
  // (field 9999): unknown, and the function is not called.
  eventlog::Entry garbage = TenantCreated();
  garbage.value = "\xff\xff not an envelope";
  outcome = Run(apply, kRegistry, garbage, &route);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, ApplyOutcome::kUnknown);
  registry::v1::RegistryEvent newer;
  newer.mutable_metadata()->set_tenant("1280");
  eventlog::Entry unknown_case = EntryOf(newer);
  unknown_case.value += std::string("\xfa\xe0\x04\x03", 4) + "abc";
  outcome = Run(apply, kRegistry, unknown_case, &route);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, ApplyOutcome::kUnknown);
  EXPECT_EQ(route, "");
  EXPECT_EQ(seen.size(), 1u);
}

TEST_F(TopicDispatchTest, ARouteErrorFailsTheApply) {
  const ModuleApplyFn apply =
      TopicDispatch().On(kRegistryTopic,
                         [](const eventlog::TopicPartition&, const eventlog::Entry&,
                            projection::Transaction&) -> absl::StatusOr<ApplyOutcome> {
                           return absl::DataLossError("corrupt state");
                         });
  std::string route;
  auto outcome = Run(apply, kRegistry, TenantCreated(), &route);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kDataLoss);
  auto next = store_->NextOffset(kRegistry);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 0);  // nothing applied: the projection retries, never skips
}

TEST_F(TopicDispatchTest, ATopicRoutedTwiceFailsEveryApply) {
  const TopicDispatch dispatch = TopicDispatch()
                                     .On(kRegistryTopic, Marks("first"))
                                     .On(kSchedulingTopic, Marks("scheduling"))
                                     .On(kRegistryTopic, Marks("second"));
  EXPECT_EQ(dispatch.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(dispatch.status().message(), HasSubstr("registry.events.v1 is routed twice"));
  std::string route;
  auto outcome = Run(dispatch, kScheduling, MeetingScheduled(), &route);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace samrad::runtime
