// samrad-reporting: the reporting service alone, against Kafka (see docs/operations.md).
#include "libs/runtime/server_main.h"
#include "services/reporting/app/reporting_module.h"

int main(int argc, char** argv) {
  return samrad::runtime::ServerMain(
      argc, argv, "samrad-reporting", "Samråd reporting service (one service, on Kafka)",
      samrad::runtime::EventLogBackend::kKafka, {samrad::reporting::NewReportingModule});
}
