#ifndef SAMRAD_LIBS_RUNTIME_SIGNALS_H_
#define SAMRAD_LIBS_RUNTIME_SIGNALS_H_

namespace samrad::runtime {

// Graceful shutdown on SIGINT and SIGTERM without async-signal-unsafe handlers: the signals
// are blocked in every thread (call BlockShutdownSignals() first thing in main, before any
// thread starts, so that threads inherit the mask) and one thread takes them synchronously.
void BlockShutdownSignals();

// Blocks until SIGINT or SIGTERM arrives (or RequestShutdown is called) and returns the
// signal number (0 for RequestShutdown).
int WaitForShutdownSignal();

// Makes WaitForShutdownSignal return, e.g. when a fatal error wants the process to stop.
void RequestShutdown();

}  // namespace samrad::runtime

#endif  // SAMRAD_LIBS_RUNTIME_SIGNALS_H_
