#ifndef SAMRAD_LIBS_RUNTIME_SERVICE_NAMES_H_
#define SAMRAD_LIBS_RUNTIME_SERVICE_NAMES_H_

#include <array>
#include <string_view>

namespace samrad::runtime {

// Topics, one per service (DESIGN.md "The event log"). Dependencies are acyclic:
// registry → scheduling → reporting.
inline constexpr std::string_view kRegistryTopic = "registry.events.v1";
inline constexpr std::string_view kSchedulingTopic = "scheduling.events.v1";
inline constexpr std::string_view kReportingTopic = "reporting.events.v1";

// Health-check names: the fully qualified gRPC service of each Samråd service.
inline constexpr std::string_view kRegistryHealthName = "samrad.registry.v1.Registry";
inline constexpr std::string_view kSchedulingHealthName = "samrad.scheduling.v1.Scheduling";
inline constexpr std::string_view kReportingHealthName = "samrad.reporting.v1.Reporting";
inline constexpr std::array<std::string_view, 3> kAllHealthNames = {
    kRegistryHealthName, kSchedulingHealthName, kReportingHealthName};

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_SERVICE_NAMES_H_
