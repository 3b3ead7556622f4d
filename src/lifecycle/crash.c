/* The opt-in crash handler (spanlog/output.h, sl_install_crash_handler): on a fatal
 * signal it has the backend thread write out what is queued, then lets the signal do what
 * it would have done without spanlog (the previous handler, or the default action: the
 * same exit status and core dump).
 *
 * What runs in the handler is async-signal-safe: atomics, nanosleep, sigaction and raise.
 * The formatting and writing happen on the backend thread, which is not the one that
 * crashed and takes its locks as usual; the handler only waits for it, for a bounded
 * time. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "backend/backend.h"
#include "spanlog/output.h"

/* How long a crashing process waits for its records to be written: enough to render and
   write full queues, short enough that a supervisor sees the crash promptly. */
#define CRASH_FLUSH_MS 1000

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])

static struct sigaction previous[NFATAL];
static atomic_int installed;

static size_t signal_index(int sig) {
  size_t i = 0;
  while (i < NFATAL && fatal_signals[i] != sig) i++;
  return i;
}

static void on_fatal_signal(int sig, siginfo_t *info, void *uctx) {
  (void)uctx;
  int saved_errno = errno;
  /* Each thread that crashes waits: the process ends with the first handler that
     returns, so a second crash must not cut the first one's writing short. */
  sl_backend_flush_from_signal(CRASH_FLUSH_MS);
  size_t i = signal_index(sig);
  if (i < NFATAL) sigaction(sig, &previous[i], NULL);
  /* A fault the hardware raised happens again when the handler returns, now with the
     previous disposition (and the same siginfo); a signal that was sent is sent again.
     Blocked while this handler runs, it is delivered as the handler returns. */
  if (!info || info->si_code <= 0 || sig == SIGABRT) raise(sig);
  errno = saved_errno;
}

int sl_install_crash_handler(void) {
  if (atomic_exchange(&installed, 1)) return 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fatal_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK; /* a thread with an alternate stack survives its overflow */
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < NFATAL; i++) {
    if (sigaction(fatal_signals[i], &sa, &previous[i]) != 0) {
      int e = errno;
      while (i-- > 0) sigaction(fatal_signals[i], &previous[i], NULL);
      atomic_store(&installed, 0);
      return -e;
    }
  }
  return 0;
}
