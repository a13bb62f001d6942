#include "libs/common/log.h"

#include <string>

#include "spdlog/sinks/stdout_color_sinks.h"

namespace samrad::log {

void Init(std::string_view level, Format format) {
  auto logger = spdlog::stderr_color_mt("samrad");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
  if (format == Format::kJson) {
    // Message text is escaped by spdlog only for control characters; callers log values,
    // not raw user text, so the line stays valid JSON.
    spdlog::set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t,"msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %v", spdlog::pattern_time_type::utc);
  }
}

}  // namespace samrad::log
