// samrad-registry: the registry service alone, against Kafka (see docs/operations.md).
#include "libs/runtime/server_main.h"
#include "services/registry/app/registry_module.h"

int main(int argc, char** argv) {
  return samrad::runtime::ServerMain(
      argc, argv, "samrad-registry", "Samråd registry service (one service, on Kafka)",
      samrad::runtime::EventLogBackend::kKafka, {samrad::registry::NewRegistryModule});
}
