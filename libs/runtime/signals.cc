#include "libs/runtime/signals.h"

#include <pthread.h>
#include <signal.h>

namespace samrad::runtime {
namespace {

sigset_t ShutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);  // RequestShutdown
  return set;
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer that goes away must not kill the process with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
}

int WaitForShutdownSignal() {
  sigset_t set = ShutdownSet();
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig == SIGUSR1 ? 0 : sig;
}

void RequestShutdown() { kill(getpid(), SIGUSR1); }

}  // namespace samrad::runtime
