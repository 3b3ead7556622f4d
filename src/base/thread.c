#include "base/thread.h"

#include <signal.h>

static _Thread_local int own_thread;

int sl_thread_spawn(pthread_t *thread, void *(*fn)(void *), void *arg) {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(thread, NULL, fn, arg);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

void sl_thread_enter(const char *name) {
  own_thread = 1;
  pthread_setname_np(pthread_self(), name);
}

int sl_thread_is_own(void) { return own_thread; }
