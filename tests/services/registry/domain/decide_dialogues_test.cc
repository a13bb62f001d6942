// Decide for dialogue efforts: registering, references, the framework rules of Tabell 2,
// warnings of Tabell 3, updates with masks and every lifecycle transition
// (decide.h "Dialogue efforts").

#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/domain/decide.h"
#include "services/registry/domain/lifecycle.h"
#include "tests/services/registry/domain/domain_test_support.h"

namespace samrad::registry::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using namespace testing;  // NOLINT

TEST(DecideCreateDialogueTest, RegistersAPlannedEffort) {
  InMemoryRegistry registry = SmallMalmo();
  v1::CreateDialogueRequest r = ValidCreateDialogue();
  r.mutable_dialogue()->set_status(v1::EVALUATED);  // output only
  r.mutable_dialogue()->add_principles()->set_principle(1);
  r.mutable_dialogue()->set_version(7);
  const DecideResult result = ExpectOk(Decide(registry, r, Ctx()));
  ASSERT_THAT(EventCases(result), ElementsAre("dialogue_registered"));
  EXPECT_FALSE(result.events[0].has_metadata());
  const v1::Dialogue& d = result.events[0].dialogue_registered().dialogue();
  EXPECT_EQ(d.name(), DialogueName("rosengard-parker"));
  EXPECT_EQ(d.status(), v1::PLANNED);
  EXPECT_EQ(d.principles_size(), 0);
  EXPECT_EQ(d.version(), 0);
  EXPECT_EQ(d.title(), "Framtidens parker i Rosengård");
  EXPECT_EQ(d.create_time().seconds(), absl::ToUnixSeconds(Ctx().now));
  EXPECT_THAT(result.warnings, IsEmpty());
  ASSERT_TRUE(registry.ApplyAll(result.events).ok());

  const absl::StatusOr<DecideResult> again = Decide(registry, r, Ctx());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  v1::CreateDialogueRequest elsewhere = ValidCreateDialogue();
  elsewhere.set_parent("tenants/0180");
  elsewhere.mutable_dialogue()->clear_channels();
  elsewhere.mutable_dialogue()->clear_areas();
  elsewhere.mutable_dialogue()->clear_elected_officials();
  elsewhere.mutable_dialogue()->set_type(v1::KUNSKAPSDIALOG);
  elsewhere.mutable_dialogue()->set_area_description("Stockholm");
  elsewhere.mutable_dialogue()->set_lead_administration("tenants/0180/administrations/x");
  EXPECT_EQ(ReasonOf(Decide(registry, elsewhere, Ctx()).status()), "TENANT_NOT_FOUND");
}

TEST(DecideCreateDialogueTest, ValidationRunsFirst) {
  InMemoryRegistry registry = SmallMalmo();
  v1::CreateDialogueRequest r = ValidCreateDialogue();
  r.mutable_dialogue()->clear_title();
  const absl::StatusOr<DecideResult> result = Decide(registry, r, Ctx());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationsOf(result.status()),
              ElementsAre(FieldReason{"dialogue.title", "REQUIRED"}));
}

TEST(DecideCreateDialogueTest, UnknownReferencesAreAllNamed) {
  InMemoryRegistry registry = SmallMalmo();
  v1::CreateDialogueRequest r = ValidCreateDialogue();
  v1::Dialogue* d = r.mutable_dialogue();
  d->add_channels(ChannelName("digitala-kanaler"));
  d->add_channels(ChannelName("tiktok"));
  d->add_areas(AreaName("atlantis"));
  d->set_lead_administration(AdministrationName("nojesforvaltningen"));
  d->add_co_administrations(AdministrationName("grundskoleforvaltningen"));
  d->add_co_administrations(AdministrationName("hamnforvaltningen"));
  d->set_responsible_committee(CommitteeName("nojesnamnden"));
  d->add_elected_officials(PersonName("okand"));
  const absl::StatusOr<DecideResult> result = Decide(registry, r, Ctx());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationsOf(result.status()),
              ElementsAreArray(std::vector<FieldReason>{
                  {"dialogue.lead_administration", "REFERENCE_NOT_FOUND"},
                  {"dialogue.co_administrations[1]", "REFERENCE_NOT_FOUND"},
                  {"dialogue.responsible_committee", "REFERENCE_NOT_FOUND"},
                  {"dialogue.channels[2]", "REFERENCE_NOT_FOUND"},
                  {"dialogue.areas[1]", "REFERENCE_NOT_FOUND"},
                  {"dialogue.elected_officials[1]", "REFERENCE_NOT_FOUND"},
              }));
}

TEST(DecideCreateDialogueTest, RetiredOwnerIsFailedPrecondition) {
  InMemoryRegistry registry = SmallMalmo();
  v1::RetireAdministrationRequest retire;
  retire.set_name(AdministrationName("fritidsforvaltningen"));
  *retire.mutable_options() = Options();
  ApplyOrFail(registry, Decide(registry, retire, Ctx()));
  const absl::StatusOr<DecideResult> result = Decide(registry, ValidCreateDialogue(), Ctx());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(result.status()), "ADMINISTRATION_RETIRED");
  EXPECT_EQ(MetadataOf(result.status())["field"], "dialogue.lead_administration");
}

// Tabell 2: who takes part from the city, per main type.
TEST(DecideCreateDialogueTest, FrameworkTable) {
  InMemoryRegistry registry = SmallMalmo();
  struct Row {
    std::string name;
    v1::DialogueType type;
    v1::DialogueType secondary;
    std::vector<std::string> officials;
    std::vector<FieldReason> violations;
    std::vector<std::string> warnings;
  };
  const std::vector<Row> rows = {
      {"medborgardialog with an elected official",
       v1::MEDBORGARDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {"anna"},
       {},
       {}},
      {"medborgardialog with two",
       v1::MEDBORGARDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {"anna", "cecilia"},
       {},
       {}},
      {"medborgardialog without elected officials",
       v1::MEDBORGARDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {},
       {{"dialogue.elected_officials", "ELECTED_OFFICIALS_REQUIRED"}},
       {}},
      {"medborgardialog with only an official listed",
       v1::MEDBORGARDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {"bo"},
       {{"dialogue.elected_officials[0]", "NOT_ELECTED_OFFICIAL"}},
       {}},
      {"medborgardialog with an elected official and an official",
       v1::MEDBORGARDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {"anna", "bo"},
       {{"dialogue.elected_officials[1]", "NOT_ELECTED_OFFICIAL"}},
       {}},
      {"kunskapsdialog run by officials",
       v1::KUNSKAPSDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {},
       {},
       {}},
      {"kunskapsdialog with an elected official",
       v1::KUNSKAPSDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {"anna"},
       {{"dialogue.elected_officials", "RUN_BY_OFFICIALS"}},
       {}},
      {"kunskapsdialog that is also a medborgardialog",
       v1::KUNSKAPSDIALOG,
       v1::MEDBORGARDIALOG,
       {"anna"},
       {},
       {}},
      {"kunskapsdialog with a brukardialog element and an elected official",
       v1::KUNSKAPSDIALOG,
       v1::BRUKARDIALOG,
       {"anna"},
       {{"dialogue.elected_officials", "RUN_BY_OFFICIALS"}},
       {}},
      {"brukardialog run by officials",
       v1::BRUKARDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {},
       {},
       {}},
      {"brukardialog with an elected official",
       v1::BRUKARDIALOG,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {"anna"},
       {},
       {"dialogue.elected_officials ELECTED_OFFICIALS_UNUSUAL_FOR_TYPE"}},
      {"brukardialog that is also a medborgardialog",
       v1::BRUKARDIALOG,
       v1::MEDBORGARDIALOG,
       {"anna"},
       {},
       {}},
      {"kommunvägledning with an elected official",
       v1::KOMMUNVAGLEDNING,
       v1::DIALOGUE_TYPE_UNSPECIFIED,
       {"anna"},
       {},
       {"dialogue.elected_officials ELECTED_OFFICIALS_UNUSUAL_FOR_TYPE"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    v1::CreateDialogueRequest r = ValidCreateDialogue();
    v1::Dialogue* d = r.mutable_dialogue();
    d->set_type(row.type);
    d->set_secondary_type(row.secondary);
    // A channel usual for every type, so that only framework warnings show.
    d->set_channels(0, ChannelName("digitala-kanaler"));
    d->clear_elected_officials();
    for (const std::string& person : row.officials) d->add_elected_officials(PersonName(person));
    const absl::StatusOr<DecideResult> result = Decide(registry, r, Ctx());
    if (row.violations.empty()) {
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_THAT(WarningReasons(*result), ElementsAreArray(row.warnings));
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(ViolationsOf(result.status()), ElementsAreArray(row.violations));
    }
  }
}

// Tabell 3: a channel not usual for the main type is a warning, not an error.
TEST(DecideCreateDialogueTest, ChannelWarningTable) {
  InMemoryRegistry registry = SmallMalmo();
  struct Row {
    std::string name;
    v1::DialogueType type;
    std::vector<std::string> channels;
    std::vector<std::string> warnings;
  };
  const std::vector<Row> rows = {
      {"malmöpanelen for a medborgardialog", v1::MEDBORGARDIALOG, {"malmopanelen"}, {}},
      {"malmöpanelen for a kunskapsdialog",
       v1::KUNSKAPSDIALOG,
       {"malmopanelen"},
       {"dialogue.channels[0] CHANNEL_UNUSUAL_FOR_TYPE"}},
      {"second channel unusual for a brukardialog",
       v1::BRUKARDIALOG,
       {"digitala-kanaler", "malmopanelen"},
       {"dialogue.channels[1] CHANNEL_UNUSUAL_FOR_TYPE"}},
      {"dialog med föreningslivet for a kunskapsdialog",
       v1::KUNSKAPSDIALOG,
       {"dialog-med-foreningslivet", "digitala-kanaler"},
       {}},
      {"two unusual channels",
       v1::KOMMUNVAGLEDNING,
       {"brukarenkater", "malmopanelen"},
       {"dialogue.channels[0] CHANNEL_UNUSUAL_FOR_TYPE",
        "dialogue.channels[1] CHANNEL_UNUSUAL_FOR_TYPE"}},
      {"a retired channel",
       v1::MEDBORGARDIALOG,
       {"malmopanelen", "medborgarforslag"},
       {"dialogue.channels[1] CHANNEL_RETIRED"}},
      {"no channel", v1::MEDBORGARDIALOG, {}, {}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    v1::CreateDialogueRequest r = ValidCreateDialogue();
    v1::Dialogue* d = r.mutable_dialogue();
    d->set_type(row.type);
    if (row.type != v1::MEDBORGARDIALOG) d->clear_elected_officials();
    d->clear_channels();
    for (const std::string& c : row.channels) d->add_channels(ChannelName(c));
    const absl::StatusOr<DecideResult> result = Decide(registry, r, Ctx());
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_THAT(WarningReasons(*result), ElementsAreArray(row.warnings));
    EXPECT_THAT(EventCases(*result), ElementsAre("dialogue_registered"));
  }
}

TEST(DecideCreateDialogueTest, WarningsInBothLanguages) {
  InMemoryRegistry registry = SmallMalmo();
  v1::CreateDialogueRequest r = ValidCreateDialogue();
  r.mutable_dialogue()->set_type(v1::KUNSKAPSDIALOG);
  r.mutable_dialogue()->clear_elected_officials();
  const DecideResult result = ExpectOk(Decide(registry, r, Ctx()));
  ASSERT_EQ(result.warnings.size(), 1u);
  const v1::Warning sv = ToProto(result.warnings[0], Lang::kSv);
  const v1::Warning en = ToProto(result.warnings[0], Lang::kEn);
  EXPECT_EQ(sv.field(), "dialogue.channels[0]");
  EXPECT_EQ(sv.reason(), "CHANNEL_UNUSUAL_FOR_TYPE");
  EXPECT_EQ(sv.description(), "Kanalen Malmöpanelen används vanligen inte för kunskapsdialog.");
  EXPECT_EQ(en.description(),
            "The channel Malmöpanelen is not usually used for knowledge "
            "dialogue.");
  // The event records it in both languages, and gives back the same answer.
  ASSERT_EQ(result.events[0].dialogue_registered().warnings_size(), 1);
  const v1::RecordedWarning& recorded = result.events[0].dialogue_registered().warnings(0);
  EXPECT_EQ(ToProto(recorded, Lang::kSv).SerializeAsString(), sv.SerializeAsString());
  EXPECT_EQ(ToProto(recorded, Lang::kEn).SerializeAsString(), en.SerializeAsString());
}

// --- Update -------------------------------------------------------------------------------

class DecideUpdateDialogueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = SmallMalmo();
    ApplyOrFail(registry_, Decide(registry_, ValidCreateDialogue(), Ctx()));
  }

  v1::UpdateDialogueRequest Update(std::vector<std::string> paths,
                                   const std::function<void(v1::Dialogue&)>& patch) {
    v1::UpdateDialogueRequest r;
    r.mutable_dialogue()->set_name(DialogueName("rosengard-parker"));
    patch(*r.mutable_dialogue());
    for (std::string& p : paths) r.mutable_update_mask()->add_paths(std::move(p));
    *r.mutable_options() = Options();
    return r;
  }

  void Transition(v1::DialogueStatus status) {
    v1::TransitionDialogueRequest r;
    r.set_name(DialogueName("rosengard-parker"));
    r.set_status(status);
    *r.mutable_options() = Options("t", "skäl");
    ApplyOrFail(registry_, Decide(registry_, r, Ctx()));
  }

  InMemoryRegistry registry_;
};

TEST_F(DecideUpdateDialogueTest, AppliesTheMask) {
  const DecideResult result =
      ExpectOk(Decide(registry_,
                      Update({"title", "outcome.outreach"},
                             [](v1::Dialogue& d) {
                               d.set_title("Parkerna i Rosengård");
                               d.set_question("ignored");
                               d.mutable_outcome()->set_outreach("Samtal på Rosens torg");
                             }),
                      Ctx()));
  ASSERT_THAT(EventCases(result), ElementsAre("dialogue_updated"));
  const auto& updated = result.events[0].dialogue_updated();
  EXPECT_EQ(updated.dialogue().title(), "Parkerna i Rosengård");
  EXPECT_EQ(updated.dialogue().question(), "Vad vill du kunna göra i parken?");
  EXPECT_EQ(updated.dialogue().outcome().outreach(), "Samtal på Rosens torg");
  EXPECT_EQ(updated.dialogue().status(), v1::PLANNED);
  EXPECT_EQ(updated.dialogue().version(), 0);  // output only, not carried
  EXPECT_THAT(updated.update_mask().paths(), ElementsAre("title", "outcome.outreach"));
}

TEST_F(DecideUpdateDialogueTest, ErrorTable) {
  struct Row {
    std::string name;
    v1::UpdateDialogueRequest request;
    absl::StatusCode code;
    std::vector<FieldReason> violations;
  };
  const std::vector<Row> rows = {
      {"unknown mask path",
       Update({"colour"}, [](v1::Dialogue&) {}),
       absl::StatusCode::kInvalidArgument,
       {{"update_mask", "UNKNOWN_FIELD_PATH"}}},
      {"end date alone before the stored start",
       Update({"end_date"}, [](v1::Dialogue& d) { *d.mutable_end_date() = D(2020, 2, 1); }),
       absl::StatusCode::kInvalidArgument,
       {{"dialogue.end_date", "END_BEFORE_START"}}},
      {"type changed to kunskapsdialog with the elected official still listed",
       Update({"type"}, [](v1::Dialogue& d) { d.set_type(v1::KUNSKAPSDIALOG); }),
       absl::StatusCode::kInvalidArgument,
       {{"dialogue.elected_officials", "RUN_BY_OFFICIALS"}}},
      {"elected officials removed from a medborgardialog",
       Update({"elected_officials"}, [](v1::Dialogue&) {}),
       absl::StatusCode::kInvalidArgument,
       {{"dialogue.elected_officials", "ELECTED_OFFICIALS_REQUIRED"}}},
      {"secondary type set to the main type",
       Update({"secondary_type"},
              [](v1::Dialogue& d) { d.set_secondary_type(v1::MEDBORGARDIALOG); }),
       absl::StatusCode::kInvalidArgument,
       {{"dialogue.secondary_type", "SAME_AS_TYPE"}}},
      {"target groups removed",
       Update({"target_groups"}, [](v1::Dialogue&) {}),
       absl::StatusCode::kInvalidArgument,
       {{"dialogue.target_groups", "REQUIRED"}}},
      {"co-administration equal to the stored lead",
       Update({"co_administrations"},
              [](v1::Dialogue& d) {
                d.add_co_administrations(AdministrationName("fritidsforvaltningen"));
              }),
       absl::StatusCode::kInvalidArgument,
       {{"dialogue.co_administrations[0]", "SAME_AS_LEAD"}}},
      {"unknown channel",
       Update({"channels"}, [](v1::Dialogue& d) { d.add_channels(ChannelName("tiktok")); }),
       absl::StatusCode::kInvalidArgument,
       {{"dialogue.channels[0]", "REFERENCE_NOT_FOUND"}}},
      {"unknown dialogue",
       [&] {
         v1::UpdateDialogueRequest r = Update({"title"}, [](v1::Dialogue& d) { d.set_title("x"); });
         r.mutable_dialogue()->set_name(DialogueName("okand"));
         return r;
       }(),
       absl::StatusCode::kNotFound,
       {}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const absl::StatusOr<DecideResult> result = Decide(registry_, row.request, Ctx());
    EXPECT_EQ(result.status().code(), row.code) << result.status();
    EXPECT_THAT(ViolationsOf(result.status()), ElementsAreArray(row.violations));
  }
}

TEST_F(DecideUpdateDialogueTest, FactsRequiredByTheStatusCannotBeRemoved) {
  ApplyOrFail(
      registry_,
      Decide(registry_,
             Update({"outcome.result"},
                    [](v1::Dialogue& d) { d.mutable_outcome()->set_result("Tre nya lekplatser"); }),
             Ctx()));
  Transition(v1::ONGOING);
  Transition(v1::COMPLETED);
  const absl::StatusOr<DecideResult> cleared =
      Decide(registry_, Update({"outcome", "end_date"}, [](v1::Dialogue&) {}), Ctx());
  EXPECT_THAT(ViolationsOf(cleared.status()),
              ElementsAre(FieldReason{"dialogue.outcome.result", "REQUIRED_BY_STATUS"},
                          FieldReason{"dialogue.end_date", "REQUIRED_BY_STATUS"}));
  // Other outcome fields can still be added after completion.
  const DecideResult lessons = ExpectOk(Decide(
      registry_,
      Update({"outcome.lessons_learned"},
             [](v1::Dialogue& d) { d.mutable_outcome()->set_lessons_learned("Börja tidigare"); }),
      Ctx()));
  EXPECT_EQ(lessons.events[0].dialogue_updated().dialogue().outcome().result(),
            "Tre nya lekplatser");
}

TEST_F(DecideUpdateDialogueTest, CancelledCannotBeChangedButEvaluatedCan) {
  Transition(v1::CANCELLED);
  const absl::StatusOr<DecideResult> result =
      Decide(registry_, Update({"title"}, [](v1::Dialogue& d) { d.set_title("Ny titel"); }), Ctx());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(result.status()), "DIALOGUE_CANCELLED");
}

TEST_F(DecideUpdateDialogueTest, UpdateWarnsAboutTheUpdatedEffort) {
  const DecideResult result = ExpectOk(Decide(registry_,
                                              Update({"channels"},
                                                     [](v1::Dialogue& d) {
                                                       d.add_channels(ChannelName("malmopanelen"));
                                                       d.add_channels(ChannelName("brukarenkater"));
                                                     }),
                                              Ctx()));
  EXPECT_THAT(WarningReasons(result), ElementsAre("dialogue.channels[1] CHANNEL_UNUSUAL_FOR_TYPE"));
}

// --- Transitions --------------------------------------------------------------------------

// A dialogue in `status` with every outcome fact, so that only the table decides.
v1::Dialogue CompleteDialogueIn(v1::DialogueStatus status) {
  v1::Dialogue d = ValidCreateDialogue().dialogue();
  d.set_name(DialogueName("rosengard-parker"));
  d.set_status(status);
  d.mutable_outcome()->set_result("Tre nya lekplatser");
  *d.mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 1, 15);
  d.mutable_outcome()->mutable_feedback()->set_method("Brev till deltagarna");
  d.mutable_outcome()->set_evaluation("Bra uppslutning, få unga");
  return d;
}

InMemoryRegistry WithDialogue(const v1::Dialogue& d) {
  InMemoryRegistry registry = SmallMalmo();
  v1::RegistryEvent event;
  *event.mutable_dialogue_registered()->mutable_dialogue() = d;
  EXPECT_TRUE(registry.Apply(event).ok());
  return registry;
}

TEST(DecideTransitionTest, EveryPairOfStatuses) {
  const v1::DialogueStatus statuses[] = {v1::PLANNED,        v1::ONGOING,   v1::COMPLETED,
                                         v1::FEEDBACK_GIVEN, v1::EVALUATED, v1::CANCELLED};
  int allowed = 0;
  for (v1::DialogueStatus from : statuses) {
    const InMemoryRegistry registry = WithDialogue(CompleteDialogueIn(from));
    for (v1::DialogueStatus to : statuses) {
      SCOPED_TRACE(v1::DialogueStatus_Name(from) + " -> " + v1::DialogueStatus_Name(to));
      v1::TransitionDialogueRequest r;
      r.set_name(DialogueName("rosengard-parker"));
      r.set_status(to);
      *r.mutable_options() = Options("t", "Omprioritering");
      const absl::StatusOr<DecideResult> result = Decide(registry, r, Ctx());
      if (IsAllowedTransition(from, to)) {
        ++allowed;
        ASSERT_TRUE(result.ok()) << result.status();
        ASSERT_THAT(EventCases(*result), ElementsAre("dialogue_status_changed"));
        const auto& changed = result->events[0].dialogue_status_changed();
        EXPECT_EQ(changed.dialogue(), DialogueName("rosengard-parker"));
        EXPECT_EQ(changed.from(), from);
        EXPECT_EQ(changed.to(), to);
      } else {
        EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(ReasonOf(result.status()), "INVALID_TRANSITION");
        EXPECT_EQ(MetadataOf(result.status())["from"], v1::DialogueStatus_Name(from));
        EXPECT_EQ(MetadataOf(result.status())["to"], v1::DialogueStatus_Name(to));
      }
    }
  }
  EXPECT_EQ(allowed, 7);
}

TEST(DecideTransitionTest, MissingOutcomeIsNamed) {
  struct Row {
    std::string name;
    v1::DialogueStatus from;
    v1::DialogueStatus to;
    std::function<void(v1::Dialogue&)> remove;
    std::string fields;
  };
  const std::vector<Row> rows = {
      {"completed without result", v1::ONGOING, v1::COMPLETED,
       [](v1::Dialogue& d) { d.mutable_outcome()->clear_result(); }, "outcome.result"},
      {"completed without result and end date", v1::ONGOING, v1::COMPLETED,
       [](v1::Dialogue& d) {
         d.mutable_outcome()->clear_result();
         d.clear_end_date();
       },
       "outcome.result,end_date"},
      {"feedback given without feedback", v1::COMPLETED, v1::FEEDBACK_GIVEN,
       [](v1::Dialogue& d) { d.mutable_outcome()->clear_feedback(); },
       "outcome.feedback.date,outcome.feedback.method"},
      {"feedback given without method", v1::COMPLETED, v1::FEEDBACK_GIVEN,
       [](v1::Dialogue& d) { d.mutable_outcome()->mutable_feedback()->clear_method(); },
       "outcome.feedback.method"},
      {"evaluated without evaluation", v1::FEEDBACK_GIVEN, v1::EVALUATED,
       [](v1::Dialogue& d) { d.mutable_outcome()->clear_evaluation(); }, "outcome.evaluation"},
      {"cancelled needs nothing", v1::ONGOING, v1::CANCELLED,
       [](v1::Dialogue& d) { d.clear_outcome(); }, ""},
      {"ongoing needs nothing", v1::PLANNED, v1::ONGOING,
       [](v1::Dialogue& d) { d.clear_outcome(); }, ""},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    v1::Dialogue d = CompleteDialogueIn(row.from);
    row.remove(d);
    const InMemoryRegistry registry = WithDialogue(d);
    v1::TransitionDialogueRequest r;
    r.set_name(d.name());
    r.set_status(row.to);
    *r.mutable_options() = Options("t", "skäl");
    const absl::StatusOr<DecideResult> result = Decide(registry, r, Ctx());
    if (row.fields.empty()) {
      EXPECT_TRUE(result.ok()) << result.status();
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_EQ(ReasonOf(result.status()), "OUTCOME_INCOMPLETE");
      EXPECT_EQ(MetadataOf(result.status())["fields"], row.fields);
    }
  }
}

TEST(DecideTransitionTest, FeedbackCannotBeDatedInTheFuture) {
  v1::Dialogue d = CompleteDialogueIn(v1::COMPLETED);
  *d.mutable_outcome()->mutable_feedback()->mutable_date() = D(2020, 2, 7);
  const InMemoryRegistry registry = WithDialogue(d);
  v1::TransitionDialogueRequest r;
  r.set_name(d.name());
  r.set_status(v1::FEEDBACK_GIVEN);
  *r.mutable_options() = Options();
  EXPECT_EQ(ReasonOf(Decide(registry, r, Ctx(D(2020, 2, 6))).status()), "FEEDBACK_DATE_IN_FUTURE");
  EXPECT_TRUE(Decide(registry, r, Ctx(D(2020, 2, 7))).ok());
}

TEST(DecideTransitionTest, UnknownDialogueAndCancelReason) {
  const InMemoryRegistry registry = WithDialogue(CompleteDialogueIn(v1::PLANNED));
  v1::TransitionDialogueRequest r;
  r.set_name(DialogueName("okand"));
  r.set_status(v1::ONGOING);
  *r.mutable_options() = Options();
  EXPECT_EQ(Decide(registry, r, Ctx()).status().code(), absl::StatusCode::kNotFound);
  r.set_name(DialogueName("rosengard-parker"));
  r.set_status(v1::CANCELLED);
  EXPECT_THAT(ViolationsOf(Decide(registry, r, Ctx()).status()),
              ElementsAre(FieldReason{"options.reason", "REQUIRED"}));
}

}  // namespace
}  // namespace samrad::registry::domain
