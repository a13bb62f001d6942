#include "tests/services/registry/e2e/registry_scenario.h"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/e2e_support.h"
#include "tests/testing/child_process.h"

namespace samrad::e2e {
namespace {

using ::nlohmann::json;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using Args = std::vector<std::string>;

constexpr absl::string_view kTenant = "tenants/1280";

// "tenants/1280/<collection>/<id>".
std::string Name(absl::string_view collection, absl::string_view id) {
  return absl::StrCat(kTenant, "/", collection, "/", id);
}

// The id of a resource name: its last segment.
std::string Id(const json& name) {
  const std::string text = name.is_string() ? name.get<std::string>() : "";
  const size_t slash = text.rfind('/');
  return slash == std::string::npos ? text : text.substr(slash + 1);
}

// The ids of the resource names in `field` of every element of `items`.
std::vector<std::string> Ids(const json& items, absl::string_view field) {
  std::vector<std::string> ids;
  for (const json& item : items) ids.push_back(Id(item.value(std::string(field), json())));
  return ids;
}

std::string Text(const json& value, absl::string_view field) {
  return value.is_object() ? value.value(std::string(field), std::string()) : std::string();
}

// ---------------------------------------------------------------------------------------
// The organisation (DOMAIN.md "The organisation"), as bootstrapped from malmo.json.

constexpr absl::string_view kCoordinator = "kommunstyrelsen";

// The 12 committees asked in STK-2018-90 (every one except Kommunstyrelsen), in the order
// of the remissammanställning.
constexpr std::array<absl::string_view, 12> kBodies = {
    "arbetsmarknads-och-socialnamnden",
    "fritidsnamnden",
    "funktionsstodsnamnden",
    "forskolenamnden",
    "grundskolenamnden",
    "gymnasie-och-vuxenutbildningsnamnden",
    "halsa-vard-och-omsorgsnamnden",
    "kulturnamnden",
    "miljonamnden",
    "servicenamnden",
    "stadsbyggnadsnamnden",
    "tekniska-namnden",
};

void ExpectBootstrap(const Samradctl& ctl) {
  json tenant = ctl.Json({"get", "tenant"});
  EXPECT_EQ(Text(tenant, "code"), "1280");
  EXPECT_EQ(Text(tenant, "displayName"), "Malmö stad");

  json committees = ctl.Json({"list", "committee"});
  std::vector<std::string> ids = Ids(committees, "name");
  std::vector<std::string> expected(kBodies.begin(), kBodies.end());
  expected.emplace_back(kCoordinator);
  EXPECT_THAT(ids, ::testing::UnorderedElementsAreArray(expected));
  std::vector<std::string> coordinators;
  for (const json& c : committees) {
    if (c.value("coordinator", false)) coordinators.push_back(Id(c.value("name", json())));
  }
  EXPECT_THAT(coordinators, ElementsAre(std::string(kCoordinator)));

  json administrations = ctl.Json({"list", "administration"});
  EXPECT_EQ(administrations.size(), 13u);
  for (const json& a : administrations) {
    if (Id(a.value("name", json())) == "stadskontoret") {
      EXPECT_EQ(Text(a, "committee"), Name("committees", kCoordinator));
    }
  }
}

// ---------------------------------------------------------------------------------------
// People and the network's representatives.

struct PersonData {
  absl::string_view id;
  absl::string_view display_name;
  // As samradctl takes it.
  absl::string_view role;
};

constexpr PersonData kPeople[] = {
    {"karin-larsson", "Karin Larsson", "tjänsteperson"},
    {"lena-holm", "Lena Holm", "tjänsteperson"},
    {"ahmed-hassan", "Ahmed Hassan", "tjänsteperson"},
    {"sara-lindqvist", "Sara Lindqvist", "tjänsteperson"},
    {"johan-berg", "Johan Berg", "tjänsteperson"},
    {"maria-ek", "Maria Ek", "tjänsteperson"},
    {"erik-nilsson", "Erik Nilsson", "förtroendevald"},
    {"fatima-ali", "Fatima Ali", "förtroendevald"},
};

struct AppointmentData {
  absl::string_view id;
  absl::string_view person;
  absl::string_view administration;
  absl::string_view track;
  absl::string_view start_date;
  absl::string_view substitute;
  absl::string_view reason;
};

constexpr AppointmentData kAppointments[] = {
    {"fri-med-2020", "karin-larsson", "fritidsforvaltningen", "medborgardialog", "2020-03-01", "",
     "Nätverket startar (KF 2020-02-06 §17)"},
    {"fri-kun-2020", "maria-ek", "fritidsforvaltningen", "kunskapsdialog", "2020-03-01", "", ""},
    {"mf-kun-2020", "johan-berg", "miljoforvaltningen", "kunskapsdialog", "2020-03-15", "", ""},
    {"sbk-med-2020", "sara-lindqvist", "stadsbyggnadskontoret", "medborgardialog", "2020-04-01",
     "ahmed-hassan", ""},
    {"sbk-kun-2020", "ahmed-hassan", "stadsbyggnadskontoret", "kunskapsdialog", "2020-04-01", "",
     ""},
    // The replacement: from 2021-01-01 Lena Holm represents Fritidsförvaltningen in the
    // medborgardialog track, which ends Karin Larsson's appointment that day.
    {"fri-med-2021", "lena-holm", "fritidsforvaltningen", "medborgardialog", "2021-01-01", "",
     "Karin Larsson byter tjänst"},
};

// The network on `date` ("" = today): "administration track" → person id of each member,
// and the number of vacancies.
struct Network {
  std::map<std::string, std::string> members;
  size_t vacancies = 0;
};

Network NetworkOn(const Samradctl& ctl, const std::string& date) {
  Args args = {"list", "network"};
  if (!date.empty()) args.insert(args.end(), {"--date", date});
  Network network;
  for (json& entry : ctl.Json(args)) {
    if (!entry.contains("appointment")) {
      ++network.vacancies;
      continue;
    }
    const std::string key = absl::StrCat(Id(entry["administration"]), " ", Text(entry, "track"));
    EXPECT_EQ(network.members.count(key), 0u)
        << "two representatives for " << key << " on " << date;
    network.members[key] = Id(entry["person"]["name"]);
    EXPECT_EQ(entry["appointment"]["person"], entry["person"]["name"]);
  }
  return network;
}

// Every administration but stadskontoret, in both tracks.
constexpr size_t kNetworkSeats = 12 * 2;

void RegisterNetwork(const Samradctl& ctl) {
  for (const PersonData& p : kPeople) {
    const std::string email = absl::StrCat(absl::StrReplaceAll(p.id, {{"-", "."}}), "@malmo.se");
    json person =
        ctl.Json({"create", "person", "--id", std::string(p.id), "--display-name",
                  std::string(p.display_name), "--email", email, "--role", std::string(p.role)});
    EXPECT_EQ(Text(person, "name"), Name("people", p.id));
    EXPECT_EQ(Text(person, "role"), p.role == "förtroendevald" ? "ELECTED_OFFICIAL" : "OFFICIAL");
  }
  EXPECT_EQ(ctl.Json({"list", "person"}).size(), std::size(kPeople));

  for (const AppointmentData& a : kAppointments) {
    Args args = {"appoint",
                 "--id",
                 std::string(a.id),
                 "--person",
                 std::string(a.person),
                 "--administration",
                 std::string(a.administration),
                 "--track",
                 std::string(a.track),
                 "--start-date",
                 std::string(a.start_date)};
    if (!a.substitute.empty()) args.insert(args.end(), {"--substitute", std::string(a.substitute)});
    if (!a.reason.empty()) args.insert(args.end(), {"--reason", std::string(a.reason)});
    json appointment = ctl.Json(args);
    EXPECT_EQ(Text(appointment, "name"), Name("appointments", a.id));
    EXPECT_EQ(Text(appointment, "track"), absl::AsciiStrToUpper(absl::StrCat("track_", a.track)));
    EXPECT_FALSE(appointment.contains("endDate"));
  }
  // The replacement ended the previous appointment on the day the new one starts (end dates
  // are exclusive).
  json replaced = ctl.Json({"get", "appointment", "fri-med-2020"});
  EXPECT_EQ(replaced["endDate"], json({{"year", 2021}, {"month", 1}, {"day", 1}}));
  EXPECT_EQ(Text(replaced, "etag"), "2");
  json history = ctl.Json({"history", "appointments/fri-med-2020"});
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(Text(history[1]["metadata"], "eventType"), "samrad.registry.v1.AppointmentEnded");
  EXPECT_EQ(Text(history[1]["metadata"], "reason"), "Karin Larsson byter tjänst");

  // Johan Berg leaves; Miljöförvaltningen has nobody in the kunskapsdialog track from then.
  json ended = ctl.Json({"end", "appointment", "mf-kun-2020", "--date", "2021-07-01", "--etag", "1",
                         "--reason", "Johan Berg slutar"});
  EXPECT_EQ(ended["endDate"], json({{"year", 2021}, {"month", 7}, {"day", 1}}));
  EXPECT_EQ(ctl.Json({"list", "appointment", "--administration", "fritidsforvaltningen"}).size(),
            3u);

  Network early = NetworkOn(ctl, "2020-06-01");
  EXPECT_THAT(
      early.members,
      UnorderedElementsAre(Pair("fritidsforvaltningen TRACK_MEDBORGARDIALOG", "karin-larsson"),
                           Pair("fritidsforvaltningen TRACK_KUNSKAPSDIALOG", "maria-ek"),
                           Pair("miljoforvaltningen TRACK_KUNSKAPSDIALOG", "johan-berg"),
                           Pair("stadsbyggnadskontoret TRACK_MEDBORGARDIALOG", "sara-lindqvist"),
                           Pair("stadsbyggnadskontoret TRACK_KUNSKAPSDIALOG", "ahmed-hassan")));
  EXPECT_EQ(early.vacancies, kNetworkSeats - 5);
  // On the day of the replacement exactly one representative runs: the new one.
  Network replacement_day = NetworkOn(ctl, "2021-01-01");
  EXPECT_EQ(replacement_day.members["fritidsforvaltningen TRACK_MEDBORGARDIALOG"], "lena-holm");
  EXPECT_EQ(replacement_day.members.size(), 5u);
  EXPECT_EQ(NetworkOn(ctl, "2020-12-31").members["fritidsforvaltningen TRACK_MEDBORGARDIALOG"],
            "karin-larsson");
  // Today: no appointment ends after 2021-07-01, so today's network is the one of that day.
  for (const std::string date : {"2021-07-01", ""}) {
    Network later = NetworkOn(ctl, date);
    EXPECT_THAT(
        later.members,
        UnorderedElementsAre(Pair("fritidsforvaltningen TRACK_MEDBORGARDIALOG", "lena-holm"),
                             Pair("fritidsforvaltningen TRACK_KUNSKAPSDIALOG", "maria-ek"),
                             Pair("stadsbyggnadskontoret TRACK_MEDBORGARDIALOG", "sara-lindqvist"),
                             Pair("stadsbyggnadskontoret TRACK_KUNSKAPSDIALOG", "ahmed-hassan")))
        << "network on " << (date.empty() ? "today" : date);
    EXPECT_EQ(later.vacancies, kNetworkSeats - 4);
  }
}

// ---------------------------------------------------------------------------------------
// The STK-2018-90 consultation round (DOMAIN.md "Consultation rounds (remiss)").

constexpr absl::string_view kConsultation = "stk-2018-90";
constexpr absl::string_view kOpenRequestId = "e2e-stk-2018-90-open";

// The create of the round; `request_id` makes retries idempotent.
Args OpenConsultationArgs(absl::string_view request_id) {
  return {"create",
          "consultation",
          "--id",
          std::string(kConsultation),
          "--case-number",
          "STK-2018-90",
          "--title",
          "Uppdrag budget 2018: Ta fram modeller för samordnad medborgardialog i frågor som "
          "berör flera förvaltningar",
          "--question",
          "Synpunkter och förslag på hur samordnad medborgardialog bäst organiseras i staden.",
          "--question",
          "Synpunkter på föreslagna aktiviteter.",
          "--question",
          "Beskrivning av eventuella konsekvenser för nämndernas verksamhet.",
          "--body",
          absl::StrJoin(kBodies, ","),
          "--start-date",
          "2019-02-19",
          "--deadline",
          "2019-06-28",
          "--reason",
          "KSAU 2019-03-04: remiss till nämnderna",
          "--request-id",
          std::string(request_id)};
}

struct AnswerData {
  absl::string_view body;
  absl::string_view summary;
  absl::string_view decision_reference;
  absl::string_view received_date;
  // TAG:text as samradctl takes them; empty ones are unused.
  std::array<absl::string_view, 4> points;
};

// Nine answers by the deadline. The themes are those of the remissammanställning.
constexpr AnswerData kAnswersByDeadline[] = {
    {"arbetsmarknads-och-socialnamnden",
     "Positiv till nätverket; remissen kan kompletteras med medborgarnas perspektiv.",
     "ASN 2019-06-17 §246",
     "2019-06-18",
     {"positiv:Förvaltningsövergripande nätverk",
      "negativ:Medborgarnas synpunkter borde tagits med", "konsekvens:Inga större konsekvenser",
      "förslag:Ta tillvara på digitaliseringens möjligheter"}},
    {"fritidsnamnden",
     "Ställer sig bakom förslagen.",
     "FRN 2019-05-21 §75",
     "2019-05-23",
     {"positiv:Kartlägga pågående dialoginsatser",
      "förslag:Nätverket borde träffas oftare initialt"}},
    {"funktionsstodsnamnden",
     "Positiv till utbildningsinsatserna.",
     "FSN 2019-05-22 §91",
     "2019-05-24",
     {"positiv:Informations- och utbildningsinsatser",
      "förslag:Utbildningen bör även lyfta upp värdet av att involvera användarna",
      "konsekvens:Går i linje med nämndens uppdrag"}},
    {"forskolenamnden",
     "Ramverket ger en gemensam begreppsapparat men vissa begrepp behöver förtydligas.",
     "FÖN 2019-06-12 §110",
     "2019-06-14",
     {"positiv:Ramverket ger en gemensam begreppsapparat", "negativ:Förtydliga vissa begrepp"}},
    {"grundskolenamnden",
     "Välskriven rapport; en konkret guide efterfrågas.",
     "GSN 2019-06-19 §133",
     "2019-06-20",
     {"positiv:Välskriven rapport",
      "förslag:Ta fram en konkret guide för hur vi ska arbeta med medborgardialog i staden"}},
    {"gymnasie-och-vuxenutbildningsnamnden",
     "Kopplingen till de förtroendevalda är otydlig.",
     "GVN 2019-06-19 §140",
     "2019-06-24",
     {"negativ:Otydlig koppling till de förtroendevalda", "konsekvens:Svårt att avgöra"}},
    {"halsa-vard-och-omsorgsnamnden",
     "Kunskapsdialog är ett bra begrepp; brukardialogen bör med i nätverket.",
     "HVON 2019-06-18 §98",
     "2019-06-19",
     {"positiv:Kunskapsdialog är ett bra begrepp",
      "förslag:Bör inte brukardialog inkluderas i nätverket?"}},
    {"stadsbyggnadsnamnden",
     "Instämmer; det lokala utvecklingsarbetet behöver strukturer.",
     "SBN 2019-06-13 §187",
     "2019-06-17",
     {"positiv:Beskrivning av bakgrund och historik inom Malmö stad",
      "förslag:Införa strukturer för lokalt utvecklingsarbete"}},
    {"tekniska-namnden",
     "Antar stadskontorets förslag om utveckling och lärande och om utbildning för "
     "förtroendevalda och tjänstepersoner.",
     "TN 2019-06-20 §212",
     "2019-06-25",
     {"positiv:Informations- och utbildningsinsatser",
      "förslag:Samordna medborgarförslag som riktar sig till flera nämnder"}},
};

// Three bodies answer after the deadline, in the order they were asked.
constexpr AnswerData kLateAnswers[] = {
    {"kulturnamnden",
     "Efterfrågar mer nytänkande; befintliga nätverk kan användas.",
     "KN 2019-08-27 §120",
     "2019-08-29",
     {"negativ:Mer nytänkande idéer",
      "förslag:Använd befintliga nätverk istället för att skapa ett nytt"}},
    {"miljonamnden",
     "Styrdokument behövs inte; arbetsgruppen borde ha varit bredare.",
     "MN 2019-08-20 §156",
     "2019-08-22",
     {"positiv:Styrdokument behövs inte", "negativ:Bredare representation i arbetsgruppen"}},
    {"servicenamnden",
     "Behöver stöd från stadskontoret i dialogfrågor.",
     "SN 2019-08-28 §101",
     "2019-08-30",
     {"förslag:Stöd från stadskontoret i dialogfrågor", "konsekvens:Inga större konsekvenser"}},
};

// The command that records `a` on the round at `etag`.
Args AnswerArgs(const AnswerData& a, const std::string& etag) {
  Args args = {"answer",
               std::string(kConsultation),
               "--body",
               std::string(a.body),
               "--summary",
               std::string(a.summary),
               "--decision-reference",
               std::string(a.decision_reference),
               "--received-date",
               std::string(a.received_date),
               "--etag",
               etag};
  for (absl::string_view point : a.points) {
    if (!point.empty()) args.insert(args.end(), {"--point", std::string(point)});
  }
  return args;
}

// Records `a` with the round's current etag; returns the round after it.
json RecordAnswer(const Samradctl& ctl, const AnswerData& a, const std::string& etag) {
  json round = ctl.Json(AnswerArgs(a, etag));
  json answer;
  for (const json& candidate : round.value("answers", json::array())) {
    if (Text(candidate, "body") == Name("committees", a.body)) answer = candidate;
  }
  EXPECT_EQ(Text(answer, "decisionReference"), a.decision_reference) << a.body;
  EXPECT_EQ(Text(answer, "summary"), a.summary) << a.body;
  const auto points = std::count_if(a.points.begin(), a.points.end(),
                                    [](absl::string_view p) { return !p.empty(); });
  EXPECT_EQ(answer.value("points", json::array()).size(), static_cast<size_t>(points)) << a.body;
  return round;
}

json OverdueOn(const Samradctl& ctl, const std::string& date) {
  Args args = {"list", "overdue"};
  if (!date.empty()) args.insert(args.end(), {"--date", date});
  return ctl.Json(args);
}

void RegisterConsultation(const Samradctl& ctl) {
  json round = ctl.Json(OpenConsultationArgs(kOpenRequestId));
  EXPECT_EQ(Text(round, "caseNumber"), "STK-2018-90");
  EXPECT_EQ(round.value("questions", json::array()).size(), 3u);
  std::vector<std::string> bodies;
  for (const json& body : round.value("bodies", json::array())) bodies.push_back(Id(body));
  EXPECT_THAT(bodies, ElementsAreArray(kBodies));
  EXPECT_EQ(round["deadline"], json({{"year", 2019}, {"month", 6}, {"day", 28}}));
  EXPECT_FALSE(round.contains("answers"));
  // The answer of the create is the round as of its first version.
  EXPECT_EQ(round,
            ctl.Json({"get", "consultation", std::string(kConsultation), "--as-of-version", "1"}));

  std::string etag = Text(round, "etag");
  for (const AnswerData& a : kAnswersByDeadline) {
    round = RecordAnswer(ctl, a, etag);
    etag = Text(round, "etag");
  }
  EXPECT_EQ(round["answers"].size(), std::size(kAnswersByDeadline));
  EXPECT_EQ(Text(round, "version"), "10");

  // On the deadline day nobody is overdue yet; three days later the three silent bodies are.
  EXPECT_THAT(OverdueOn(ctl, "2019-06-28"), IsEmpty());
  json overdue = OverdueOn(ctl, "2019-07-01");
  EXPECT_THAT(Ids(overdue, "body"), ElementsAre("kulturnamnden", "miljonamnden", "servicenamnden"));
  for (const json& o : overdue) {
    EXPECT_EQ(Text(o, "consultation"), Name("consultations", kConsultation));
    EXPECT_EQ(Text(o, "caseNumber"), "STK-2018-90");
    EXPECT_EQ(o.value("daysOverdue", 0), 3);
  }

  // An answer on a stale etag is refused and changes nothing.
  const Samradctl::Result stale = ctl.Run(AnswerArgs(kLateAnswers[0], "1"));
  EXPECT_EQ(stale.exit_code, 1) << stale.out << stale.err;
  EXPECT_THAT(stale.err, HasSubstr("ABORTED"));

  for (const AnswerData& a : kLateAnswers) {
    round = RecordAnswer(ctl, a, etag);
    etag = Text(round, "etag");
  }
  EXPECT_EQ(round["answers"].size(), kBodies.size());
  EXPECT_EQ(Text(round, "version"), "13") << "the refused answer changed nothing";
  // Which bodies had answered is judged as of the date, from received_date: on 2019-07-01
  // the late answers (received in August) were not in yet; today every body has answered.
  EXPECT_THAT(Ids(OverdueOn(ctl, "2019-07-01"), "body"),
              ElementsAre("kulturnamnden", "miljonamnden", "servicenamnden"));
  EXPECT_THAT(OverdueOn(ctl, ""), IsEmpty());
  json history = ctl.Json({"history", std::string("consultations/") + std::string(kConsultation)});
  ASSERT_EQ(history.size(), 1 + kBodies.size());
  EXPECT_EQ(Text(history[0]["metadata"], "eventType"), "samrad.registry.v1.ConsultationOpened");
  EXPECT_EQ(Text(history[0]["metadata"], "requestId"), kOpenRequestId);
  EXPECT_EQ(Text(history[0]["metadata"]["actor"], "id"), "anna.svensson");
}

// ---------------------------------------------------------------------------------------
// Dialogue efforts (DOMAIN.md "The framework", "The ten principles").

constexpr absl::string_view kCitizenDialogue = "trygghet-lindangen-2019";
constexpr absl::string_view kKnowledgeDialogue = "motesplatser-unga-lindangen";

Args CitizenDialogueArgs(bool with_elected_officials) {
  Args args = {"create",
               "dialogue",
               "--id",
               std::string(kCitizenDialogue),
               "--title",
               "Trygghet i Lindängen",
               "--question",
               "Vad skulle göra Lindängen tryggare för dig?",
               "--type",
               "medborgardialog",
               "--participation-level",
               "dialog",
               "--target-group",
               "medborgare,unga",
               "--channel",
               "fysiska-moten-politiker-medborgare,dialog-i-stadsutveckling",
               "--area",
               "lindangen",
               "--area-description",
               "Lindängens centrum och torget",
               "--lead-administration",
               "stadsbyggnadskontoret",
               "--co-administration",
               "fritidsforvaltningen",
               "--responsible-committee",
               "stadsbyggnadsnamnden",
               "--what-can-be-influenced",
               "Belysning, mötesplatser och gångstråk",
               "--decision",
               "Program Lindängen",
               "--case-number",
               "SBN-2019-100",
               "--start-date",
               "2019-09-01",
               "--end-date",
               "2019-11-30",
               "--reason",
               "Program Lindängen"};
  if (with_elected_officials) {
    args.insert(args.end(), {"--elected-official", "erik-nilsson,fatima-ali"});
  }
  return args;
}

// principle number → evidenced.
std::map<int, bool> Principles(const json& dialogue) {
  std::map<int, bool> principles;
  for (const json& p : dialogue.value("principles", json::array())) {
    principles[p.value("principle", 0)] = p.value("evidenced", false);
    EXPECT_FALSE(Text(p, "explanation").empty());
  }
  return principles;
}

// Moves the citizen dialogue one lifecycle step, given its etag; returns the new etag.
std::string Transition(const Samradctl& ctl, absl::string_view status, absl::string_view expected,
                       const std::string& etag) {
  json dialogue = ctl.Json({"transition", std::string(kCitizenDialogue), "--status",
                            std::string(status), "--etag", etag});
  EXPECT_EQ(Text(dialogue, "status"), expected);
  return Text(dialogue, "etag");
}

std::string Update(const Samradctl& ctl, const Args& sets, const std::string& etag) {
  Args args = {"update", "dialogue", std::string(kCitizenDialogue), "--etag", etag};
  for (const std::string& set : sets) args.insert(args.end(), {"--set", set});
  return Text(ctl.Json(args)["dialogue"], "etag");
}

void RegisterDialogues(const Samradctl& ctl) {
  // A medborgardialog is held by elected officials: without them it is refused.
  const Samradctl::Result refused = ctl.Run(CitizenDialogueArgs(false));
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("dialogue.elected_officials"));

  json created = ctl.Json(CitizenDialogueArgs(true))["dialogue"];
  EXPECT_EQ(Text(created, "status"), "PLANNED");
  EXPECT_EQ(created.value("electedOfficials", json::array()),
            json({Name("people", "erik-nilsson"), Name("people", "fatima-ali")}));
  std::map<int, bool> principles = Principles(created);
  ASSERT_EQ(principles.size(), 10u);
  EXPECT_EQ(principles.begin()->first, 1);
  EXPECT_TRUE(principles[10]) << "elected officials take part";
  EXPECT_TRUE(principles[6]) << "young people are a target group";
  EXPECT_FALSE(principles[7]) << "no feedback yet";

  // Another administration's effort in the same place and time, for the same young people.
  json knowledge = ctl.Json({"create",
                             "dialogue",
                             "--id",
                             std::string(kKnowledgeDialogue),
                             "--title",
                             "Mötesplatser för unga i Lindängen",
                             "--question",
                             "Vilka mötesplatser saknar unga i Lindängen?",
                             "--type",
                             "kunskapsdialog",
                             "--participation-level",
                             "konsultation",
                             "--target-group",
                             "unga",
                             "--channel",
                             "dialog-med-foreningslivet",
                             "--area",
                             "lindangen",
                             "--lead-administration",
                             "fritidsforvaltningen",
                             "--responsible-committee",
                             "fritidsnamnden",
                             "--start-date",
                             "2019-10-01",
                             "--end-date",
                             "2019-12-15"});
  EXPECT_EQ(Text(knowledge["dialogue"], "type"), "KUNSKAPSDIALOG");
  EXPECT_THAT(Ids(knowledge.value("coordinationHints", json::array()), "otherDialogue"),
              ElementsAre(std::string(kCitizenDialogue)));
  json hints = ctl.Json({"list", "hints", std::string(kCitizenDialogue)});
  EXPECT_THAT(Ids(hints, "otherDialogue"), ElementsAre(std::string(kKnowledgeDialogue)));

  // The lifecycle, with the outcome and the feedback that principle 7 asks for.
  std::string etag = Text(created, "etag");
  etag = Transition(ctl, "pågående", "ONGOING", etag);
  etag =
      Update(ctl,
             {"outcome.participant_count=140", "outcome.outreach=Dörrknackning och möten på torget",
              "outcome.result=Fler mötesplatser och bättre belysning"},
             etag);
  etag = Transition(ctl, "genomförd", "COMPLETED", etag);
  etag = Update(ctl,
                {"outcome.feedback.date=2020-01-20",
                 "outcome.feedback.method=Brev till deltagarna och möte på torget"},
                etag);
  etag = Transition(ctl, "återkopplad", "FEEDBACK_GIVEN", etag);

  json dialogue = ctl.Json({"get", "dialogue", std::string(kCitizenDialogue)});
  EXPECT_EQ(Text(dialogue, "etag"), etag);
  principles = Principles(dialogue);
  EXPECT_TRUE(principles[7]) << "feedback given";
  EXPECT_TRUE(principles[10]);

  json history = ctl.Json({"history", std::string("dialogues/") + std::string(kCitizenDialogue)});
  std::vector<std::string> types;
  for (const json& event : history) types.push_back(Text(event["metadata"], "eventType"));
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front(), "samrad.registry.v1.DialogueRegistered");
  EXPECT_EQ(std::count(types.begin(), types.end(), "samrad.registry.v1.DialogueStatusChanged"), 3);
  EXPECT_EQ(std::count(types.begin(), types.end(), "samrad.registry.v1.DialogueUpdated"), 2);
  EXPECT_EQ(Text(history.front()["metadata"], "reason"), "Program Lindängen");
  EXPECT_EQ(Text(history.back()["dialogueStatusChanged"], "to"), "FEEDBACK_GIVEN");
}

}  // namespace

// ---------------------------------------------------------------------------------------

Samradctl::Samradctl(std::string work_dir, std::string target)
    : work_dir_(std::move(work_dir)), target_(std::move(target)) {}

Samradctl::Result Samradctl::Run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {testutil::BinaryPath("samradctl", SAMRAD_TEST_BIN_DIR),
                                   "--target",
                                   target_,
                                   "--actor",
                                   "anna.svensson",
                                   "--actor-name",
                                   "Anna Svensson",
                                   "--actor-role",
                                   "coordinator",
                                   "--actor-administration",
                                   "stadskontoret",
                                   "-o",
                                   "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string out_path = work_dir_ + "/samradctl.out";
  const std::string err_path = work_dir_ + "/samradctl.err";
  Result result;
  {
    auto child = testutil::ChildProcess::Start(argv, out_path, err_path);
    if (child == nullptr) return result;
    const std::optional<int> status = child->Wait(kE2eTimeout);
    if (status.has_value() && WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
  }
  result.out = testutil::ReadFile(out_path);
  result.err = testutil::ReadFile(err_path);
  return result;
}

nlohmann::json Samradctl::Json(const std::vector<std::string>& args) const {
  const Result result = Run(args);
  const std::string command = absl::StrJoin(args, " ");
  if (result.exit_code != 0) {
    ADD_FAILURE() << "samradctl " << command << " exited with " << result.exit_code << ":\n"
                  << result.out << result.err;
    return nullptr;
  }
  json parsed = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    ADD_FAILURE() << "samradctl " << command << " printed no JSON:\n" << result.out;
    return nullptr;
  }
  return parsed;
}

std::string OrganisationDataPath() {
  const char* source_dir = std::getenv("SAMRAD_SOURCE_DIR");
  const std::string root =
      source_dir != nullptr && *source_dir != '\0' ? source_dir : SAMRAD_E2E_SOURCE_DIR;
  return root + "/deploy/config/malmo.json";
}

void RegisterMalmo(const Samradctl& ctl) {
  ASSERT_NO_FATAL_FAILURE(ExpectBootstrap(ctl));
  ASSERT_NO_FATAL_FAILURE(RegisterNetwork(ctl));
  ASSERT_NO_FATAL_FAILURE(RegisterConsultation(ctl));
  ASSERT_NO_FATAL_FAILURE(RegisterDialogues(ctl));
}

Answers CaptureAnswers(const Samradctl& ctl) {
  const std::string consultation(kConsultation);
  const std::string citizen(kCitizenDialogue);
  const std::vector<Args> reads = {
      {"get", "tenant"},
      {"history", "tenants/1280", "--all"},
      {"list", "committee", "--all"},
      {"list", "administration", "--all"},
      {"get", "committee", "kommunstyrelsen"},
      {"list", "area", "--all"},
      {"list", "channel", "--all"},
      {"list", "person", "--all"},
      {"get", "person", "erik-nilsson"},
      {"history", "people/karin-larsson", "--all"},
      {"list", "appointment", "--all"},
      {"list", "appointment", "--administration", "fritidsforvaltningen"},
      {"get", "appointment", "fri-med-2020"},
      {"history", "appointments/fri-med-2020", "--all"},
      {"history", "appointments/mf-kun-2020", "--all"},
      {"list", "network", "--date", "2020-06-01"},
      {"list", "network", "--date", "2021-01-01"},
      {"list", "network", "--date", "2021-07-01"},
      {"list", "network"},
      {"list", "consultation", "--all"},
      {"get", "consultation", consultation},
      {"get", "consultation", consultation, "--as-of-version", "1"},
      {"get", "consultation", consultation, "--as-of-version", "10"},
      {"history", "consultations/" + consultation, "--all"},
      {"list", "overdue", "--date", "2019-06-28"},
      {"list", "overdue", "--date", "2019-07-01"},
      {"list", "dialogue", "--all"},
      {"list", "dialogue", "--filter", "type = MEDBORGARDIALOG"},
      {"list", "dialogue", "--filter", "area = \"tenants/1280/areas/lindangen\"", "--order-by",
       "start_date desc"},
      {"get", "dialogue", citizen},
      {"--lang", "en", "get", "dialogue", citizen},
      {"get", "dialogue", citizen, "--as-of-version", "1"},
      {"history", "dialogues/" + citizen, "--all"},
      {"list", "hints", citizen},
      {"list", "hints", std::string(kKnowledgeDialogue)},
  };
  Answers answers;
  for (const Args& args : reads) answers[absl::StrJoin(args, " ")] = ctl.Json(args);
  return answers;
}

void ExpectSameAnswers(const Answers& before, const Answers& after, const std::string& when) {
  EXPECT_EQ(before.size(), after.size()) << when;
  for (const auto& [command, answer] : before) {
    const auto it = after.find(command);
    if (it == after.end()) {
      ADD_FAILURE() << "no answer to samradctl " << command << " " << when;
      continue;
    }
    EXPECT_FALSE(answer.is_null()) << command;
    if (it->second != answer) {
      std::string patch = json::diff(answer, it->second).dump(2);
      constexpr size_t kMaxPatch = 4000;
      if (patch.size() > kMaxPatch) patch = patch.substr(0, kMaxPatch) + "\n…";
      ADD_FAILURE() << "samradctl " << command << " answers differently " << when
                    << "; JSON patch from the first answer:\n"
                    << patch;
    }
  }
}

void ExpectRetryAppendsNothing(const Samradctl& ctl) {
  const int64_t offset = RegistryLogEnd(ctl.target());
  ASSERT_GT(offset, 0);
  const json first =
      ctl.Json({"get", "consultation", std::string(kConsultation), "--as-of-version", "1"});
  EXPECT_EQ(ctl.Json(OpenConsultationArgs(kOpenRequestId)), first)
      << "a retry answers as the first call did";
  const Samradctl::Result again = ctl.Run(OpenConsultationArgs("e2e-stk-2018-90-open-again"));
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_THAT(again.err, HasSubstr("ALREADY_EXISTS"));
  EXPECT_EQ(RegistryLogEnd(ctl.target()), offset) << "nothing appended";
}

void ExpectUnchanged(const Samradctl& ctl, const Answers& before, int64_t offset,
                     const std::string& when) {
  ExpectSameAnswers(before, CaptureAnswers(ctl), when);
  EXPECT_EQ(RegistryLogEnd(ctl.target()), offset) << when;
  ExpectRetryAppendsNothing(ctl);
}

int64_t RegistryLogEnd(const std::string& target) {
  auto projections = ListProjections(target);
  if (!projections.ok() || projections->count("registry") == 0) return -1;
  return HighWatermark(projections->at("registry"), "registry.events.v1");
}

void ExpectServing(const Samradctl& ctl, const std::string& target, const std::string& service) {
  Samradctl at_target = ctl;
  at_target.set_target(target);
  const Samradctl::Result result = at_target.Run({"--lang", "en", "health"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  bool serving = false;
  for (absl::string_view line : absl::StrSplit(result.out, '\n', absl::SkipEmpty())) {
    const std::vector<absl::string_view> words = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (!words.empty() && words.front() == service) {
      serving = words.size() == 2 && words.back() == "serving";
    }
  }
  EXPECT_TRUE(serving) << service << " at " << target << ":\n" << result.out;
}

std::unique_ptr<testutil::ServerProcess> StartServing(const std::string& binary,
                                                      const std::vector<std::string>& args,
                                                      const std::string& work_dir) {
  auto server = testutil::ServerProcess::Start(binary, args, work_dir, kE2eTimeout);
  if (server == nullptr) return nullptr;
  if (absl::Status serving = server->WaitServing(kE2eTimeout); !serving.ok()) {
    ADD_FAILURE() << binary << ": " << serving << "\n" << server->Output();
    return nullptr;
  }
  return server;
}

bool WaitFor(absl::Duration timeout, const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

}  // namespace samrad::e2e
