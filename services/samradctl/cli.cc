#include "services/samradctl/cli.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/api/request_context.h"
#include "services/samradctl/enum_labels.h"
#include "services/samradctl/error_output.h"
#include "services/samradctl/fields.h"
#include "services/samradctl/usage_error.h"
#include "services/samradctl/values.h"

namespace samrad::ctl {
namespace {

constexpr Kind kCreatableKinds[] = {Kind::kCommittee,   Kind::kAdministration, Kind::kPerson,
                                    Kind::kAppointment, Kind::kDialogue,       Kind::kConsultation};
constexpr Kind kUpdatableKinds[] = {Kind::kCommittee, Kind::kAdministration, Kind::kPerson,
                                    Kind::kDialogue, Kind::kConsultation};
constexpr Kind kGettableKinds[] = {Kind::kTenant,      Kind::kCommittee, Kind::kAdministration,
                                   Kind::kArea,        Kind::kChannel,   Kind::kPerson,
                                   Kind::kAppointment, Kind::kDialogue,  Kind::kConsultation};

// The Swedish name of a kind's nested subcommand (`create dialog`, `update nämnd`).
std::string_view SwedishAlias(Kind kind) {
  switch (kind) {
    case Kind::kCommittee:
      return "nämnd";
    case Kind::kAdministration:
      return "förvaltning";
    case Kind::kAppointment:
      return "uppdrag";
    case Kind::kDialogue:
      return "dialog";
    case Kind::kConsultation:
      return "remiss";
    default:
      return "";
  }
}

// What a kind is called in the help of `create KIND` and `update KIND`.
std::string_view KindNoun(Kind kind, Lang lang) {
  switch (kind) {
    case Kind::kCommittee:
      return Tr(lang, "en nämnd", "a committee");
    case Kind::kAdministration:
      return Tr(lang, "en förvaltning", "an administration");
    case Kind::kPerson:
      return Tr(lang, "en person", "a person");
    case Kind::kAppointment:
      return Tr(lang, "ett uppdrag som representant", "an appointment as representative");
    case Kind::kDialogue:
      return Tr(lang, "en dialoginsats", "a dialogue effort");
    case Kind::kConsultation:
      return Tr(lang, "en remiss", "a consultation round");
    default:
      return KindName(kind);
  }
}

// A `create KIND` or `update KIND` subcommand and the values of its field options.
struct ResourceCommand {
  CLI::App* app = nullptr;
  Kind kind = Kind::kDialogue;
  // `create` only: one list per field of FieldsOf(kind), in that order; sized once, never
  // resized, since CLI11 holds pointers into it. (`update` takes --set instead.)
  std::vector<std::vector<std::string>> values;
};

// Options as typed, checked after parsing.
struct RawOptions {
  std::string output = "table";
  std::string actor_role;
  std::string actor_administration;
  double timeout_seconds = 10;
  // The KIND positional of get, list, end and retire.
  std::string kind;
  std::vector<std::string> sets;
  // Only so that CLI11 accepts --lang: the language is detected before parsing (DetectLang),
  // since the help texts are built in it.
  std::string lang;
};

class CommandLine {
 public:
  CommandLine(Lang lang, const Environment& env);

  ParseResult Parse(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

 private:
  std::string T(std::string_view sv, std::string_view en) const {
    return std::string(Tr(lang_, sv, en));
  }
  CLI::App* AddCommand(Command command, std::string name, std::string_view sv, std::string_view en);
  void AddGlobalOptions(const Environment& env);
  void AddHealth();
  void AddGet();
  void AddList();
  void AddCreate();
  void AddUpdate();
  void AddAnswer();
  void AddTransition();
  void AddEnd();
  void AddRetire();
  void AddHistory();
  void AddWriteOptions(CLI::App* sub);
  void AddFieldOptions(ResourceCommand& command);
  ResourceCommand& AddCreateKind(CLI::App* parent, Kind kind, std::string name, bool swedish_alias);

  // After a successful parse: which command ran, and every value checked and converted.
  absl::Status Finish();
  absl::Status FinishGlobal();
  absl::Status FinishKind(const std::vector<Kind>& allowed, std::string_view command);
  absl::Status FinishResourceCommand();
  Command ParsedCommand() const;

  Lang lang_;
  CLI::App app_;
  Invocation inv_;
  RawOptions raw_;
  std::map<const CLI::App*, Command> commands_;
  // deque: CLI11 keeps pointers to the values of every element.
  std::deque<ResourceCommand> creates_;
  std::deque<ResourceCommand> updates_;
};

CommandLine::CommandLine(Lang lang, const Environment& env)
    : lang_(lang),
      app_(std::string(Tr(lang, "samradctl – kommandoradsverktyg för Samråd",
                          "samradctl – the command-line client of Samråd")),
           "samradctl") {
  inv_.global.scope.lang = lang;
  app_.set_help_flag("-h,--help", T("Visar hjälpen och avslutar", "Prints this help and exits"));
  app_.fallthrough();  // global options may follow the command
  app_.require_subcommand(1);
  app_.failure_message([this](const CLI::App*, const CLI::Error& e) {
    return absl::StrCat("samradctl: ", e.what(), "\n",
                        T("Kör med --help för mer information.\n", "Run with --help for more.\n"));
  });
  AddGlobalOptions(env);
  AddHealth();
  AddGet();
  AddList();
  AddCreate();
  AddUpdate();
  AddAnswer();
  AddTransition();
  AddEnd();
  AddRetire();
  AddHistory();
}

CLI::App* CommandLine::AddCommand(Command command, std::string name, std::string_view sv,
                                  std::string_view en) {
  CLI::App* sub = app_.add_subcommand(std::move(name), T(sv, en));
  commands_[sub] = command;
  return sub;
}

void CommandLine::AddGlobalOptions(const Environment& env) {
  GlobalOptions& g = inv_.global;
  g.target = env("SAMRAD_TARGET").value_or(std::string(kDefaultTarget));
  g.actor.set_id(env("SAMRAD_ACTOR").value_or(""));
  g.actor.set_display_name(env("SAMRAD_ACTOR_NAME").value_or(""));
  raw_.actor_role = env("SAMRAD_ACTOR_ROLE").value_or("");
  raw_.actor_administration = env("SAMRAD_ACTOR_ADMINISTRATION").value_or("");

  app_.add_option("--lang", raw_.lang,
                  T("Språk: sv (standard) eller en [SAMRAD_LANG]",
                    "Language: sv (default) or en [SAMRAD_LANG]"));
  app_.add_option("--target", g.target,
                  T("Serverns gRPC-adress VÄRD:PORT [SAMRAD_TARGET]",
                    "The server's gRPC address HOST:PORT [SAMRAD_TARGET]"))
      ->capture_default_str();
  app_.add_option("--actor", *g.actor.mutable_id(),
                  T("Vem som gör ändringen, t.ex. anna.svensson [SAMRAD_ACTOR]",
                    "Who makes the change, e.g. anna.svensson [SAMRAD_ACTOR]"));
  app_.add_option("--actor-name", *g.actor.mutable_display_name(),
                  T("Aktörens namn [SAMRAD_ACTOR_NAME]", "The actor's name [SAMRAD_ACTOR_NAME]"));
  app_.add_option("--actor-role", raw_.actor_role,
                  T("official, elected_official eller coordinator [SAMRAD_ACTOR_ROLE]",
                    "official, elected_official or coordinator [SAMRAD_ACTOR_ROLE]"));
  app_.add_option("--actor-administration", raw_.actor_administration,
                  T("Aktörens förvaltning [SAMRAD_ACTOR_ADMINISTRATION]",
                    "The actor's administration [SAMRAD_ACTOR_ADMINISTRATION]"));
  app_.add_option(
      "-o,--output", raw_.output,
      T("Utskrift: table (tabell, standard) eller json", "Output: table (default) or json"));
  app_.add_option("--parent", g.scope.parent,
                  T("Kommunen som id:n avser", "The tenant that ids refer to"))
      ->capture_default_str();
  app_.add_option("--timeout", raw_.timeout_seconds,
                  T("Tidsgräns per anrop i sekunder", "Deadline of each call in seconds"))
      ->capture_default_str();
}

void CommandLine::AddHealth() {
  AddCommand(Command::kHealth, "health",
             "Kontrollerar att varje tjänst på målet är i drift (exit 0 om så är fallet)",
             "Checks that every service at the target is serving (exit 0 if so)");
}

void CommandLine::AddGet() {
  CLI::App* sub = AddCommand(Command::kGet, "get", "Visar en resurs", "Shows one resource");
  sub->add_option("kind", raw_.kind,
                  "tenant, committee, administration, area, channel, person, appointment, "
                  "dialogue, consultation");
  sub->add_option("name", inv_.name, T("Id eller resursnamn", "Id or resource name"));
  sub->add_option("--as-of-version", inv_.as_of_version,
                  T("Tillståndet vid en version", "The state at a version"));
  sub->add_option(
      "--as-of-time", inv_.as_of_time,
      T("Tillståndet vid en tidpunkt (RFC 3339)", "The state at an instant (RFC 3339)"));
}

void CommandLine::AddList() {
  CLI::App* sub = AddCommand(Command::kList, "list", "Listar resurser", "Lists resources");
  ListInput& l = inv_.list;
  sub->add_option("kind", raw_.kind,
                  "committee, administration, area, channel, person, appointment, network, "
                  "dialogue, hints, consultation, overdue, history");
  sub->add_option("subject", l.subject,
                  T("Dialoginsatsen (hints) eller resursen (history)",
                    "The dialogue (hints) or the resource (history)"));
  sub->add_option("--filter", l.filter,
                  T("Filter för dialoginsatser, t.ex. 'type = MEDBORGARDIALOG'",
                    "Filter of dialogues, e.g. 'type = MEDBORGARDIALOG'"));
  sub->add_option("--order-by", l.order_by,
                  T("Ordning för dialoginsatser, t.ex. 'start_date desc'",
                    "Order of dialogues, e.g. 'start_date desc'"));
  sub->add_option("--page-size", l.page_size, T("Antal per sida", "Items per page"));
  sub->add_option("--page-token", l.page_token, T("Nästa sida", "The next page"));
  sub->add_flag("--all", l.all, T("Hämtar alla sidor", "Fetches every page"));
  sub->add_flag(
      "--show-retired", l.show_retired,
      T("Tar med avvecklade nämnder/förvaltningar", "Includes retired committees/administrations"));
  sub->add_option("--date", l.date,
                  T("Datum för network/overdue (ÅÅÅÅ-MM-DD; standard i dag)",
                    "Date of network/overdue (YYYY-MM-DD; default today)"));
  sub->add_option(
      "--administration", l.administration,
      T("Bara uppdrag i denna förvaltning", "Only appointments of this administration"));
}

void CommandLine::AddWriteOptions(CLI::App* sub) {
  sub->add_option("--reason", inv_.write.reason,
                  T("Varför ändringen görs (sparas i händelsen)",
                    "Why the change is made (kept in the event)"));
  sub->add_option("--request-id", inv_.write.request_id,
                  T("Idempotensnyckel (standard: nytt UUID); upprepa för ett säkert omförsök",
                    "Idempotency key (default: a new UUID); repeat it to retry safely"));
}

void CommandLine::AddFieldOptions(ResourceCommand& command) {
  const auto fields = FieldsOf(command.kind);
  command.values.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldSpec& f = fields[i];
    command.app
        ->add_option(absl::StrCat("--", std::string(f.flag)), command.values[i],
                     T(f.help_sv, f.help_en))
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
  }
}

ResourceCommand& CommandLine::AddCreateKind(CLI::App* parent, Kind kind, std::string name,
                                            bool swedish_alias) {
  ResourceCommand& command = creates_.emplace_back();
  command.kind = kind;
  command.app = parent->add_subcommand(
      std::move(name), T("Skapar ", "Creates ") + std::string(KindNoun(kind, lang_)));
  if (std::string_view alias = SwedishAlias(kind); swedish_alias && !alias.empty()) {
    command.app->alias(std::string(alias));
  }
  command.app->add_option("--id", inv_.create.id,
                          T("Id för den nya resursen, t.ex. lindangen-trygghet",
                            "Id of the new resource, e.g. lindangen-trygghet"));
  command.app->add_option("--from-file", inv_.from_file,
                          T("Resursen som proto-JSON; flaggorna ersätter filens värden",
                            "The resource as proto JSON; flags override its values"));
  AddFieldOptions(command);
  AddWriteOptions(command.app);
  return command;
}

void CommandLine::AddCreate() {
  CLI::App* sub = AddCommand(Command::kCreate, "create", "Skapar en resurs", "Creates a resource");
  sub->require_subcommand(1);
  for (Kind kind : kCreatableKinds) {
    ResourceCommand& command =
        AddCreateKind(sub, kind, std::string(KindName(kind)), /*swedish_alias=*/true);
    if (kind == Kind::kAppointment) command.app->alias("appoint");
  }
  // `appoint` alone is `create appointment`.
  ResourceCommand& appoint =
      AddCreateKind(&app_, Kind::kAppointment, "appoint", /*swedish_alias=*/false);
  appoint.app->description(T("Utser en representant (som create appointment)",
                             "Appoints a representative (as create appointment)"));
  commands_[appoint.app] = Command::kCreate;
}

void CommandLine::AddUpdate() {
  CLI::App* sub = AddCommand(Command::kUpdate, "update", "Ändrar fält i en resurs",
                             "Changes fields of a resource");
  sub->require_subcommand(1);
  for (Kind kind : kUpdatableKinds) {
    ResourceCommand& command = updates_.emplace_back();
    command.kind = kind;
    command.app = sub->add_subcommand(
        std::string(KindName(kind)), T("Ändrar ", "Updates ") + std::string(KindNoun(kind, lang_)));
    if (std::string_view alias = SwedishAlias(kind); !alias.empty()) {
      command.app->alias(std::string(alias));
    }
    std::vector<std::string> paths;
    for (const FieldSpec& field : FieldsOf(kind)) paths.emplace_back(field.path);
    command.app->footer(
        T("Fält för --set och --update-mask: ", "Fields of --set and --update-mask: ") +
        absl::StrJoin(paths, ", "));
    UpdateInput& u = inv_.update;
    command.app->add_option("name", u.name, T("Id eller resursnamn", "Id or resource name"));
    command.app->add_option("--etag", u.etag,
                            T("Resursens etag (krävs)", "The resource's etag (required)"));
    command.app
        ->add_option("--set", raw_.sets,
                     T("fält=värde, t.ex. title=\"Ny titel\" eller outcome.result=...; "
                       "tomt värde tömmer fältet",
                       "field=value, e.g. title=\"New title\" or outcome.result=...; "
                       "an empty value clears the field"))
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    command.app->add_option("--from-file", inv_.from_file,
                            T("Ändringen som proto-JSON", "The change as proto JSON"));
    command.app->add_option(
        "--update-mask", u.update_mask,
        T("Fälten att ändra, kommaseparerade", "Fields to change, comma-separated"));
    AddWriteOptions(command.app);
  }
}

void CommandLine::AddAnswer() {
  CLI::App* sub = AddCommand(Command::kAnswer, "answer", "Registrerar en instans remissvar",
                             "Records a body's answer to a consultation");
  AnswerInput& a = inv_.answer;
  sub->add_option("consultation", a.consultation, T("Remissen", "The consultation"));
  sub->add_option("--body", a.body,
                  T("Nämnden som svarar (krävs)", "The committee answering (required)"));
  sub->add_option("--summary", a.summary, T("Sammanfattning", "Summary"));
  sub->add_option(
      "--decision-reference", a.decision_reference,
      T("Beslutet bakom svaret, t.ex. \"FSN §123\"", "The decision behind it, e.g. \"FSN §123\""));
  sub->add_option("--received-date", a.received_date,
                  T("Mottaget (ÅÅÅÅ-MM-DD)", "Received (YYYY-MM-DD)"));
  sub->add_option("--point", a.points,
                  T("TAGG:text med TAGG positiv, negativ, konsekvens eller förslag (upprepas)",
                    "TAG:text, TAG being positive, negative, consequence or proposal (repeat)"))
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  sub->add_option("--etag", a.etag, T("Remissens etag", "The consultation's etag"));
  AddWriteOptions(sub);
}

void CommandLine::AddTransition() {
  CLI::App* sub =
      AddCommand(Command::kTransition, "transition", "Flyttar en dialoginsats i livscykeln",
                 "Moves a dialogue through its lifecycle");
  sub->add_option("dialogue", inv_.name, T("Dialoginsatsen", "The dialogue"));
  sub->add_option("--status", inv_.status,
                  EnumChoices(registry::v1::DialogueStatus_descriptor(), lang_));
  sub->add_option("--etag", inv_.etag,
                  T("Insatsens etag (krävs)", "The dialogue's etag (required)"));
  AddWriteOptions(sub);
}

void CommandLine::AddEnd() {
  CLI::App* sub = AddCommand(Command::kEnd, "end", "Avslutar ett uppdrag", "Ends an appointment");
  sub->add_option("kind", raw_.kind, "appointment");
  sub->add_option("name", inv_.name, T("Uppdraget", "The appointment"));
  sub->add_option("--date", inv_.date,
                  T("Första dag då uppdraget inte gäller (ÅÅÅÅ-MM-DD, krävs; sista dagen är "
                    "dagen före)",
                    "First day the appointment no longer runs (YYYY-MM-DD, required; the last "
                    "day is the day before)"));
  sub->add_option("--etag", inv_.etag, T("Uppdragets etag", "The appointment's etag"));
  AddWriteOptions(sub);
}

void CommandLine::AddRetire() {
  CLI::App* sub = AddCommand(Command::kRetire, "retire", "Avvecklar en nämnd eller förvaltning",
                             "Retires a committee or an administration");
  sub->add_option("kind", raw_.kind, "committee, administration");
  sub->add_option("name", inv_.name, T("Id eller resursnamn", "Id or resource name"));
  sub->add_option("--etag", inv_.etag,
                  T("Resursens etag (krävs)", "The resource's etag (required)"));
  AddWriteOptions(sub);
}

void CommandLine::AddHistory() {
  CLI::App* sub = AddCommand(Command::kHistory, "history", "Visar en resurs händelser",
                             "Shows the events of a resource");
  ListInput& l = inv_.list;
  sub->add_option("name", l.subject,
                  T("Resursnamn, t.ex. dialogues/x eller tenants/1280/dialogues/x",
                    "Resource name, e.g. dialogues/x or tenants/1280/dialogues/x"));
  sub->add_option("--page-size", l.page_size, T("Antal per sida", "Events per page"));
  sub->add_option("--page-token", l.page_token, T("Nästa sida", "The next page"));
  sub->add_flag("--all", l.all, T("Hämtar alla sidor", "Fetches every page"));
}

Command CommandLine::ParsedCommand() const {
  for (const auto& [app, command] : commands_) {
    if (app->parsed()) return command;
  }
  return Command::kHealth;  // unreachable: require_subcommand(1)
}

absl::Status CommandLine::FinishGlobal() {
  GlobalOptions& g = inv_.global;
  const std::string format = Fold(raw_.output);
  if (format == "json") {
    g.format = OutputFormat::kJson;
  } else if (format == "table" || format == "tabell") {
    g.format = OutputFormat::kTable;
  } else {
    return UsageError(lang_, absl::StrCat("-o ", raw_.output, ": ange table eller json."),
                      absl::StrCat("-o ", raw_.output, ": give table or json."));
  }
  if (!raw_.actor_role.empty()) {
    auto role = ctl::Parse<common::v1::ActorRole>(raw_.actor_role);
    if (!role || *role == common::v1::ACTOR_ROLE_SYSTEM) {
      return UsageError(lang_,
                        absl::StrCat("--actor-role ", raw_.actor_role,
                                     ": ange official, elected_official eller coordinator."),
                        absl::StrCat("--actor-role ", raw_.actor_role,
                                     ": give official, elected_official or coordinator."));
    }
    g.actor.set_role(*role);
  }
  if (!raw_.actor_administration.empty()) {
    g.actor.set_administration(
        ResolveName(Kind::kAdministration, raw_.actor_administration, g.scope.parent));
  }
  if (!(raw_.timeout_seconds > 0)) {
    return UsageError(lang_, "--timeout ska vara större än 0.", "--timeout must be above 0.");
  }
  g.timeout = absl::Seconds(raw_.timeout_seconds);
  return absl::OkStatus();
}

absl::Status CommandLine::FinishKind(const std::vector<Kind>& allowed, std::string_view command) {
  std::optional<Kind> kind = ParseKind(raw_.kind);
  if (raw_.kind.empty() || !kind ||
      std::find(allowed.begin(), allowed.end(), *kind) == allowed.end()) {
    std::string choices;
    for (Kind k : allowed)
      absl::StrAppend(&choices, choices.empty() ? "" : ", ", std::string(KindName(k)));
    return UsageError(
        lang_,
        absl::StrCat(std::string(command), ": ange vad, ett av ", choices,
                     raw_.kind.empty() ? "" : absl::StrCat(" (inte \"", raw_.kind, "\")"), "."),
        absl::StrCat(std::string(command), ": say what, one of ", choices,
                     raw_.kind.empty() ? "" : absl::StrCat(" (not \"", raw_.kind, "\")"), "."));
  }
  inv_.kind = *kind;
  return absl::OkStatus();
}

// The kind and field values of the `create KIND` or `update KIND` that was parsed.
absl::Status CommandLine::FinishResourceCommand() {
  const bool create = inv_.command == Command::kCreate;
  for (const ResourceCommand& command : create ? creates_ : updates_) {
    if (!command.app->parsed()) continue;
    inv_.kind = command.kind;
    if (create) {
      // Field flags, in the order of the field table.
      const auto fields = FieldsOf(command.kind);
      for (size_t i = 0; i < fields.size(); ++i) {
        for (const std::string& value : command.values[i]) {
          AddFieldValue(inv_.create.fields, &fields[i], value);
        }
      }
      inv_.create.write = inv_.write;
      return absl::OkStatus();
    }
    absl::StatusOr<FieldValues> sets = ParseSetArguments(command.kind, raw_.sets, lang_);
    if (!sets.ok()) return sets.status();
    inv_.update.fields = *std::move(sets);
    inv_.update.write = inv_.write;
    return absl::OkStatus();
  }
  return absl::InternalError("no resource subcommand parsed");
}

absl::Status CommandLine::Finish() {
  inv_.command = ParsedCommand();
  if (absl::Status s = FinishGlobal(); !s.ok()) return s;
  if (IsWrite(inv_.command)) {
    if (inv_.global.actor.id().empty()) {
      return UsageError(lang_, "Ändringar kräver en aktör: ange --actor ID (eller SAMRAD_ACTOR).",
                        "Changes require an actor: give --actor ID (or SAMRAD_ACTOR).");
    }
    if (inv_.write.request_id.empty()) inv_.write.request_id = api::NewUuidV4();
  }
  switch (inv_.command) {
    case Command::kGet:
      return FinishKind({std::begin(kGettableKinds), std::end(kGettableKinds)}, "get");
    case Command::kList: {
      if (absl::Status s =
              FinishKind({Kind::kCommittee, Kind::kAdministration, Kind::kArea, Kind::kChannel,
                          Kind::kPerson, Kind::kAppointment, Kind::kNetwork, Kind::kDialogue,
                          Kind::kHints, Kind::kConsultation, Kind::kOverdue, Kind::kHistory},
                         "list");
          !s.ok()) {
        return s;
      }
      inv_.list.kind = inv_.kind;
      return CheckListInput(inv_.list, lang_);
    }
    case Command::kHistory:
      inv_.kind = inv_.list.kind = Kind::kHistory;
      return CheckListInput(inv_.list, lang_);
    case Command::kCreate:
    case Command::kUpdate:
      return FinishResourceCommand();
    case Command::kAnswer:
      inv_.answer.write = inv_.write;
      inv_.kind = Kind::kConsultation;
      return absl::OkStatus();
    case Command::kTransition:
      inv_.kind = Kind::kDialogue;
      return absl::OkStatus();
    case Command::kEnd:
      return FinishKind({Kind::kAppointment}, "end");
    case Command::kRetire:
      return FinishKind({Kind::kCommittee, Kind::kAdministration}, "retire");
    case Command::kHealth:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

ParseResult CommandLine::Parse(const std::vector<std::string>& args, std::ostream& out,
                               std::ostream& err) {
  // CLI11 takes the arguments last first.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app_.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int code = app_.exit(e, out, err);
    return {std::nullopt, code == 0 ? kExitOk : kExitUsage};
  }
  if (absl::Status s = Finish(); !s.ok()) {
    err << "samradctl: " << s.message() << "\n";
    return {std::nullopt, kExitUsage};
  }
  return {std::move(inv_), kExitOk};
}

}  // namespace

Environment ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

bool IsWrite(Command command) {
  switch (command) {
    case Command::kCreate:
    case Command::kUpdate:
    case Command::kAnswer:
    case Command::kTransition:
    case Command::kEnd:
    case Command::kRetire:
      return true;
    default:
      return false;
  }
}

std::optional<Lang> DetectLang(const std::vector<std::string>& args, const Environment& env) {
  std::optional<std::string> tag = env("SAMRAD_LANG");
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--lang" && i + 1 < args.size()) tag = args[i + 1];
    if (args[i].starts_with("--lang=")) tag = args[i].substr(7);
  }
  if (!tag || tag->empty()) return Lang::kSv;
  return ParseLang(*tag);
}

ParseResult ParseCommandLine(const std::vector<std::string>& args, const Environment& env,
                             std::ostream& out, std::ostream& err) {
  std::optional<Lang> lang = DetectLang(args, env);
  if (!lang) {
    err << "samradctl: okänt språk; ange --lang sv eller en (unknown language; give sv or en)\n";
    return {std::nullopt, kExitUsage};
  }
  CommandLine command_line(*lang, env);
  return command_line.Parse(args, out, err);
}

}  // namespace samrad::ctl
