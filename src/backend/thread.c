/* The backend thread: drains the queues while records come, sleeps while none do (1 ms
 * after activity, up to MAX_SLEEP_MS), answers flushes, and makes the last pass when the
 * lifecycle stops it. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "backend/backend.h"
#include "backend/dispatch.h"
#include "base/clock.h"
#include "base/common.h"
#include "base/locks.h"
#include "base/thread.h"
#include "record/queues.h"
#include "sinks/sink.h"
#include "sinks/writer.h"

static struct {
  pthread_t thread;
  int running; /* under the settings lock (lifecycle) */
  _Atomic int stopping;
  _Atomic uint64_t flush_requested, flush_done;
  int released; /* shut down: flushers stop waiting (under flush_lock) */
  pthread_mutex_t flush_lock;
  pthread_cond_t flush_cond;
} bt = {.flush_lock = PTHREAD_MUTEX_INITIALIZER, .flush_cond = PTHREAD_COND_INITIALIZER};

/* Work that must not wait for the next timed wake-up. Read under the queues' wake lock, so
   that a request made after the check wakes the thread. */
static int has_work(void) {
  return atomic_load(&bt.flush_requested) != atomic_load(&bt.flush_done) || atomic_load(&bt.stopping) ||
         sl_sinks_reopen_pending();
}

static void finish_flush(uint64_t flush) {
  pthread_mutex_lock(&bt.flush_lock);
  atomic_store(&bt.flush_done, flush);
  pthread_cond_broadcast(&bt.flush_cond);
  pthread_mutex_unlock(&bt.flush_lock);
}

/* How long an idle backend sleeps: 1 ms after activity, doubling to MAX_SLEEP_MS, so a
   lone record reaches its sink within that time and an idle process stays idle. */
#define MAX_SLEEP_MS 50

static void *backend_main(void *arg) {
  (void)arg;
  sl_thread_enter("spanlog");
  if (sl_writer_start()) sl_diag("spanlog: cannot start the writer thread; the background thread writes itself");
  long sleep_ms = 1;
  for (;;) {
    uint64_t flush = atomic_load(&bt.flush_requested);
    int flushing = flush != atomic_load(&bt.flush_done);
    int stopping = atomic_load(&bt.stopping);
    sl_drain_lock();
    sl_sinks_reopen_if_requested();
    sl_clock_calibrate();
    size_t n = sl_backend_drain(!flushing && !stopping);
    if (n == 0 || flushing || stopping) sl_sinks_write_out();
    sl_drain_unlock();
    if (flushing) finish_flush(flush);
    if (stopping) {
      sl_writer_stop(); /* idle: the last pass wrote everything out */
      return NULL;
    }
    if (n > 0) {
      sleep_ms = 1;
      continue;
    }
    sl_queues_consumer_sleep(sleep_ms, has_work);
    if (sleep_ms < MAX_SLEEP_MS) sleep_ms = sleep_ms * 2 < MAX_SLEEP_MS ? sleep_ms * 2 : MAX_SLEEP_MS;
  }
}

int sl_backend_start(void) {
  atomic_store(&bt.stopping, 0);
  bt.released = 0;
  int rc = sl_thread_spawn(&bt.thread, backend_main, NULL);
  bt.running = rc == 0;
  return rc;
}

void sl_backend_stop(void) {
  if (!bt.running) return;
  atomic_store(&bt.stopping, 1);
  sl_queues_wake_consumer();
  pthread_join(bt.thread, NULL);
  bt.running = 0;
}

void sl_backend_release_flushers(void) {
  pthread_mutex_lock(&bt.flush_lock);
  bt.released = 1;
  pthread_cond_broadcast(&bt.flush_cond);
  pthread_mutex_unlock(&bt.flush_lock);
}

void sl_backend_flush(void) {
  pthread_mutex_lock(&bt.flush_lock);
  uint64_t mine = atomic_fetch_add(&bt.flush_requested, 1) + 1;
  sl_queues_wake_consumer();
  while (atomic_load(&bt.flush_done) < mine && !bt.released) pthread_cond_wait(&bt.flush_cond, &bt.flush_lock);
  pthread_mutex_unlock(&bt.flush_lock);
}

/* Only atomics and nanosleep: no lock, no allocation. The thread that asks is stopped in
   a handler, so it is not the backend, which drains and writes as it does for any flush;
   the request is seen within the backend's longest sleep (MAX_SLEEP_MS) without a wake-up
   (waking it would take a lock the interrupted thread may hold). */
int sl_backend_flush_from_signal(long timeout_ms) {
  if (!bt.running || sl_thread_is_own()) return 0;
  uint64_t mine = atomic_fetch_add(&bt.flush_requested, 1) + 1;
  struct timespec tick = {0, 1000000};
  for (long waited = 0; atomic_load(&bt.flush_done) < mine; waited++) {
    if (waited >= timeout_ms || atomic_load(&bt.stopping)) return 0;
    nanosleep(&tick, NULL);
  }
  return 1;
}

void sl_backend_drain_here(void) {
  sl_drain_lock();
  sl_sinks_reopen_if_requested();
  sl_backend_drain(0);
  sl_sinks_write_out();
  sl_drain_unlock();
}

/* In a forked child no backend thread runs, and the parent reports its own drops. */
void sl_backend_fork_child(void) {
  sl_backend_dispatch_fork_child();
  pthread_mutex_init(&bt.flush_lock, NULL);
  pthread_cond_init(&bt.flush_cond, NULL);
  atomic_store(&bt.flush_requested, 0);
  atomic_store(&bt.flush_done, 0);
  bt.running = 0;
}
