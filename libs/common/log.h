#ifndef SAMRAD_LIBS_COMMON_LOG_H_
#define SAMRAD_LIBS_COMMON_LOG_H_

// The one logging header of Samråd: a thin layer over spdlog, so that the library can be
// replaced in one place. Messages use fmt syntax: SAMRAD_LOG_INFO("listening on {}", addr).

#include <string_view>

#include "spdlog/spdlog.h"

namespace samrad::log {

enum class Format { kText, kJson };

// Configures the process-wide logger once, early in main(). `level` is one of trace, debug,
// info, warn, error, off. kJson writes one JSON object per line, for log shippers.
void Init(std::string_view level, Format format);

}  // namespace samrad::log

#define SAMRAD_LOG_DEBUG(...) SPDLOG_DEBUG(__VA_ARGS__)
#define SAMRAD_LOG_INFO(...) SPDLOG_INFO(__VA_ARGS__)
#define SAMRAD_LOG_WARN(...) SPDLOG_WARN(__VA_ARGS__)
#define SAMRAD_LOG_ERROR(...) SPDLOG_ERROR(__VA_ARGS__)

#endif  // SAMRAD_LIBS_COMMON_LOG_H_
