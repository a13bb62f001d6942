// samrad-scheduling: the scheduling service alone, against Kafka (see docs/operations.md).
#include "libs/runtime/server_main.h"
#include "services/scheduling/app/scheduling_module.h"

int main(int argc, char** argv) {
  return samrad::runtime::ServerMain(
      argc, argv, "samrad-scheduling", "Samråd scheduling service (one service, on Kafka)",
      samrad::runtime::EventLogBackend::kKafka, {samrad::scheduling::NewSchedulingModule});
}
