// samradd: every Samråd service in one process on the embedded durable log, the default on
// one machine. `--event-log=kafka --kafka-brokers=...` runs the same against Kafka.
#include "libs/runtime/server_main.h"
#include "services/registry/app/registry_module.h"
#include "services/reporting/app/reporting_module.h"
#include "services/scheduling/app/scheduling_module.h"

int main(int argc, char** argv) {
  return samrad::runtime::ServerMain(
      argc, argv, "samradd", "Samråd: registry, scheduling and reporting in one process",
      samrad::runtime::EventLogBackend::kEmbedded,
      {samrad::registry::NewRegistryModule, samrad::scheduling::NewSchedulingModule,
       samrad::reporting::NewReportingModule});
}
