// samradctl: the command-line client of Samråd. Swedish by default, `--lang en` for English.
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "services/samradctl/health_command.h"

int main(int argc, char** argv) {
  CLI::App app{"samradctl – kommandoradsverktyg för Samråd", "samradctl"};
  app.require_subcommand(1);
  std::string lang_tag = "sv";
  app.add_option("--lang", lang_tag, "Språk för utskrifter: sv (standard) eller en")
      ->envname("SAMRAD_LANG");

  samrad::ctl::HealthOptions health;
  double timeout_seconds = 5;
  auto* health_cmd = app.add_subcommand(
      "health", "Kontrollerar att varje tjänst på målet är i drift (exit 0 om så är fallet)");
  health_cmd->add_option("--target", health.target, "Serverns gRPC-adress (värd:port)")
      ->capture_default_str();
  health_cmd->add_option("--timeout", timeout_seconds, "Tidsgräns per anrop i sekunder")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  const auto lang = samrad::ParseLang(lang_tag);
  if (!lang) {
    std::cerr << "samradctl: okänt språk \"" << lang_tag << "\" (sv eller en)\n";
    return 2;
  }
  if (health_cmd->parsed()) {
    health.lang = *lang;
    health.timeout = absl::Seconds(timeout_seconds);
    return samrad::ctl::RunHealth(health, std::cout, std::cerr);
  }
  return 2;
}
