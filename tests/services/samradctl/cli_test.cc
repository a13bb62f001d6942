// The command line: global options anywhere, defaults from the environment, the language
// of help and errors, usage errors (exit code 2) and what each command parses into.
#include "services/samradctl/cli.h"

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/samradctl/error_output.h"

namespace samrad::ctl {
namespace {

namespace v1 = ::samrad::registry::v1;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

Environment Env(std::map<std::string, std::string> vars = {}) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

struct Parsed {
  ParseResult result;
  std::string out;
  std::string err;
};

Parsed ParseArgs(const std::vector<std::string>& args, const Environment& env = Env()) {
  std::ostringstream out, err;
  Parsed parsed{ParseCommandLine(args, env, out, err), "", ""};
  parsed.out = out.str();
  parsed.err = err.str();
  return parsed;
}

TEST(CommandLineTest, DefaultsAndGlobalOptionsAfterTheCommand) {
  Parsed p = ParseArgs({"get", "dialogue", "lindangen-trygghet", "-o", "json", "--target",
                        "10.0.0.1:7400", "--as-of-version", "2"});
  ASSERT_TRUE(p.result.invocation) << p.err;
  const Invocation& inv = *p.result.invocation;
  EXPECT_EQ(inv.command, Command::kGet);
  EXPECT_EQ(inv.kind, Kind::kDialogue);
  EXPECT_EQ(inv.name, "lindangen-trygghet");
  EXPECT_EQ(inv.as_of_version, "2");
  EXPECT_EQ(inv.global.format, OutputFormat::kJson);
  EXPECT_EQ(inv.global.target, "10.0.0.1:7400");
  EXPECT_EQ(inv.global.scope.parent, "tenants/1280");
  EXPECT_EQ(inv.global.lang(), Lang::kSv);
  EXPECT_EQ(inv.global.timeout, absl::Seconds(10));
}

TEST(CommandLineTest, EnvironmentGivesDefaultsFlagsWin) {
  const Environment env = Env({{"SAMRAD_TARGET", "registry:7400"},
                               {"SAMRAD_ACTOR", "anna.svensson"},
                               {"SAMRAD_ACTOR_NAME", "Anna Svensson"},
                               {"SAMRAD_ACTOR_ROLE", "coordinator"},
                               {"SAMRAD_ACTOR_ADMINISTRATION", "stadskontoret"},
                               {"SAMRAD_LANG", "en"}});
  Parsed p = ParseArgs({"--actor", "erik", "list", "dialogues"}, env);
  ASSERT_TRUE(p.result.invocation) << p.err;
  const GlobalOptions& g = p.result.invocation->global;
  EXPECT_EQ(g.target, "registry:7400");
  EXPECT_EQ(g.actor.id(), "erik");
  EXPECT_EQ(g.actor.display_name(), "Anna Svensson");
  EXPECT_EQ(g.actor.role(), common::v1::ACTOR_ROLE_COORDINATOR);
  EXPECT_EQ(g.actor.administration(), "tenants/1280/administrations/stadskontoret");
  EXPECT_EQ(g.lang(), Lang::kEn);
}

TEST(CommandLineTest, LanguageFromFlagOrEnvironment) {
  EXPECT_EQ(DetectLang({"--lang", "en", "list", "x"}, Env()), Lang::kEn);
  EXPECT_EQ(DetectLang({"list", "x", "--lang=en-GB"}, Env()), Lang::kEn);
  EXPECT_EQ(DetectLang({"list"}, Env({{"SAMRAD_LANG", "en"}})), Lang::kEn);
  EXPECT_EQ(DetectLang({"--lang", "sv", "list"}, Env({{"SAMRAD_LANG", "en"}})), Lang::kSv);
  EXPECT_EQ(DetectLang({}, Env()), Lang::kSv);
  EXPECT_FALSE(DetectLang({"--lang", "de"}, Env()).has_value());
}

TEST(CommandLineTest, HelpIsInTheChosenLanguageAndExitsZero) {
  Parsed sv = ParseArgs({"create", "dialogue", "--help"});
  EXPECT_FALSE(sv.result.invocation);
  EXPECT_EQ(sv.result.exit_code, kExitOk);
  EXPECT_THAT(sv.out, HasSubstr("--lead-administration"));
  EXPECT_THAT(sv.out, HasSubstr("Ansvarig förvaltning"));
  Parsed en = ParseArgs({"--lang", "en", "create", "dialogue", "--help"});
  EXPECT_THAT(en.out, HasSubstr("Lead administration"));
}

struct UsageCase {
  std::vector<std::string> args;
  std::string message;
};

class UsageErrorTest : public ::testing::TestWithParam<UsageCase> {};

TEST_P(UsageErrorTest, ExitsTwoWithAMessage) {
  Parsed p = ParseArgs(GetParam().args);
  EXPECT_FALSE(p.result.invocation);
  EXPECT_EQ(p.result.exit_code, kExitUsage);
  EXPECT_THAT(p.err, HasSubstr(GetParam().message));
  EXPECT_THAT(p.out, IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UsageErrorTest,
    ::testing::Values(
        UsageCase{{}, "samradctl: "},
        UsageCase{{"--lang", "de", "list", "dialogue"}, "okänt språk"},
        UsageCase{{"list", "dialogue", "--bogus"}, "--bogus"},
        UsageCase{{"create", "dialogue", "--id", "x"}, "Ändringar kräver en aktör"},
        UsageCase{{"--lang", "en", "transition", "x", "--status", "ongoing"},
                  "Changes require an actor"},
        UsageCase{{"-o", "yaml", "list", "dialogue"}, "ange table eller json"},
        UsageCase{{"--actor-role", "system", "list", "dialogue"}, "--actor-role system"},
        UsageCase{{"--timeout", "0", "list", "dialogue"}, "--timeout"},
        UsageCase{{"get", "network"}, "get: ange vad, ett av tenant, committee"},
        UsageCase{{"list", "meetings"}, "(inte \"meetings\")"},
        UsageCase{{"list", "person", "--filter", "x"}, "--filter gäller inte list person"},
        UsageCase{{"--actor", "a", "end", "dialogue", "x", "--date", "2020-01-01"},
                  "end: ange vad, ett av appointment"},
        UsageCase{{"--actor", "a", "retire", "person", "x", "--etag", "1"},
                  "committee, administration"},
        UsageCase{{"--actor", "a", "update", "dialogue", "x", "--set", "status=ongoing"},
                  "okänt fält \"status\""},
        UsageCase{{"--actor", "a", "create", "dialogue", "--channel", "a", "b"}, "b"}));

TEST(CommandLineTest, CreateCollectsFieldFlagsInTableOrder) {
  Parsed p =
      ParseArgs({"--actor", "anna", "create", "dialog", "--id", "x", "--type", "medborgardialog",
                 "--title", "Trygghet", "--channel", "a", "--channel", "b", "--reason", "Ny"});
  ASSERT_TRUE(p.result.invocation) << p.err;
  const Invocation& inv = *p.result.invocation;
  EXPECT_EQ(inv.command, Command::kCreate);
  EXPECT_EQ(inv.kind, Kind::kDialogue);
  EXPECT_EQ(inv.create.id, "x");
  ASSERT_EQ(inv.create.fields.size(), 3u);
  EXPECT_EQ(inv.create.fields[0].first->path, "title");
  EXPECT_EQ(inv.create.fields[1].first->path, "type");
  EXPECT_EQ(inv.create.fields[2].first->path, "channels");
  EXPECT_EQ(inv.create.fields[2].second, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(inv.create.write.reason, "Ny");
  // A new UUID v4 when --request-id is not given.
  EXPECT_THAT(inv.create.write.request_id,
              MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
}

TEST(CommandLineTest, AppointIsCreateAppointment) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--actor", "a", "appoint", "--id", "x", "--track",
                                 "kunskapsdialog"},
        std::vector<std::string>{"--actor", "a", "create", "appointment", "--id", "x", "--track",
                                 "kunskapsdialog"}}) {
    Parsed p = ParseArgs(args);
    ASSERT_TRUE(p.result.invocation) << p.err;
    EXPECT_EQ(p.result.invocation->command, Command::kCreate);
    EXPECT_EQ(p.result.invocation->kind, Kind::kAppointment);
    ASSERT_EQ(p.result.invocation->create.fields.size(), 1u);
    EXPECT_EQ(p.result.invocation->create.fields[0].first->path, "track");
  }
}

TEST(CommandLineTest, UpdateTakesSetsAndKeepsTheRequestId) {
  Parsed p =
      ParseArgs({"--actor", "a", "update", "consultation", "stk-2018-90", "--etag", "4", "--set",
                 "deadline=2019-06-28", "--set", "title=Remiss", "--request-id", "retry-1"});
  ASSERT_TRUE(p.result.invocation) << p.err;
  const Invocation& inv = *p.result.invocation;
  EXPECT_EQ(inv.command, Command::kUpdate);
  EXPECT_EQ(inv.kind, Kind::kConsultation);
  EXPECT_EQ(inv.update.name, "stk-2018-90");
  EXPECT_EQ(inv.update.etag, "4");
  ASSERT_EQ(inv.update.fields.size(), 2u);
  EXPECT_EQ(inv.update.fields[0].first->path, "deadline");
  EXPECT_EQ(inv.update.write.request_id, "retry-1");
}

TEST(CommandLineTest, AnswerTransitionEndRetireHistory) {
  Parsed answer = ParseArgs({"--actor", "a", "answer", "stk-2018-90", "--body", "frn", "--point",
                             "positive:Bra", "--point", "proposal:Mer"});
  ASSERT_TRUE(answer.result.invocation) << answer.err;
  EXPECT_EQ(answer.result.invocation->answer.points.size(), 2u);
  EXPECT_EQ(answer.result.invocation->answer.body, "frn");

  Parsed transition =
      ParseArgs({"--actor", "a", "transition", "x", "--status", "pågående", "--etag", "3"});
  ASSERT_TRUE(transition.result.invocation) << transition.err;
  EXPECT_EQ(transition.result.invocation->status, "pågående");

  Parsed end = ParseArgs({"--actor", "a", "end", "appointment", "a1", "--date", "2020-01-31"});
  ASSERT_TRUE(end.result.invocation) << end.err;
  EXPECT_EQ(end.result.invocation->kind, Kind::kAppointment);
  EXPECT_EQ(end.result.invocation->date, "2020-01-31");

  Parsed retire = ParseArgs({"--actor", "a", "retire", "förvaltning", "x", "--etag", "2"});
  ASSERT_TRUE(retire.result.invocation) << retire.err;
  EXPECT_EQ(retire.result.invocation->kind, Kind::kAdministration);

  Parsed history = ParseArgs({"history", "dialogues/x", "--all"});
  ASSERT_TRUE(history.result.invocation) << history.err;
  EXPECT_EQ(history.result.invocation->list.kind, Kind::kHistory);
  EXPECT_EQ(history.result.invocation->list.subject, "dialogues/x");
  EXPECT_TRUE(history.result.invocation->list.all);
}

TEST(CommandLineTest, HealthKeepsItsFormWithGlobalOptions) {
  Parsed p = ParseArgs({"health", "--target", "127.0.0.1:9", "--timeout", "1"});
  ASSERT_TRUE(p.result.invocation) << p.err;
  EXPECT_EQ(p.result.invocation->command, Command::kHealth);
  EXPECT_EQ(p.result.invocation->global.target, "127.0.0.1:9");
  EXPECT_EQ(p.result.invocation->global.timeout, absl::Seconds(1));
}

}  // namespace
}  // namespace samrad::ctl
