#include "lifecycle/runtime.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "lifecycle/config.h"
#include "capture/context.h"
#include "capture/logger.h"
#include "base/ids.h"
#include "sinks/sink.h"
#include "capture/span_internal.h"
#include "spanlog/output.h"
#include "sinks/writer.h"

sl_runtime sl_rt = {
    .cfg_lock = PTHREAD_MUTEX_INITIALIZER,
    .reg_lock = PTHREAD_MUTEX_INITIALIZER,
    .io_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake_cond = PTHREAD_COND_INITIALIZER,
    .flush_cond = PTHREAD_COND_INITIALIZER,
    .space_cond = PTHREAD_COND_INITIALIZER,
    .queue_bytes = 256 * 1024,
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* Spare queues kept for threads to come: a thread pool that replaces its threads
   then reuses memory instead of mapping new queues. */
#define MAX_SPARE_RINGS 8

static void at_exit(void) { sl_shutdown(); }

/* The locks that short critical sections hold are taken across fork(), in the one
   order every path takes them, so the child gets them unheld and consistent. io_lock is
   not: the backend may hold it through a slow write, and the child drops what it guards. */
static void fork_prepare(void) {
  pthread_mutex_lock(&sl_rt.cfg_lock);
  pthread_mutex_lock(&sl_rt.reg_lock);
  sl_logger_fork_prepare();
  sl_spans_fork_prepare();
  sl_writer_fork_prepare();
}

static void fork_parent(void) {
  sl_writer_fork_parent();
  sl_spans_fork_parent();
  sl_logger_fork_parent();
  pthread_mutex_unlock(&sl_rt.reg_lock);
  pthread_mutex_unlock(&sl_rt.cfg_lock);
}

static void free_rings(sl_ring *r) {
  for (sl_ring *next; r; r = next) {
    next = r->next;
    sl_backend_forget_ring(r);
    sl_ring_free(r);
  }
}

/* The child has one thread and a copy of every queue: the records in them are the
   parent's to write, so the child drops them all and starts afresh on its first record.
   Locks are made anew: the threads that held them do not exist here. */
static void fork_child(void) {
  pthread_mutex_init(&sl_rt.cfg_lock, NULL);
  pthread_mutex_init(&sl_rt.reg_lock, NULL);
  pthread_mutex_init(&sl_rt.io_lock, NULL);
  pthread_mutex_init(&sl_rt.wake_lock, NULL);
  pthread_cond_init(&sl_rt.wake_cond, NULL);
  pthread_cond_init(&sl_rt.flush_cond, NULL);
  pthread_cond_init(&sl_rt.space_cond, NULL);
  free_rings(sl_rt.rings);
  free_rings(sl_rt.spare);
  sl_rt.rings = sl_rt.spare = NULL;
  sl_rt.nspare = 0;
  sl_tls.ring = NULL;
  sl_writer_fork_child();
  sl_sinks_fork_child();
  sl_logger_fork_child();
  sl_spans_fork_child();
  sl_ids_after_fork();
  /* The parent reports its own drops; the child counts from zero. */
  atomic_store(&sl_rt.dropped, 0);
  sl_backend_fork_child();
  atomic_store(&sl_rt.flush_requested, 0);
  sl_rt.flush_done = 0;
  atomic_store(&sl_rt.backend_asleep, 0);
  atomic_store(&sl_rt.space_waiters, 0);
  if (atomic_load(&sl_rt.state) != RT_SYNC) atomic_store(&sl_rt.state, RT_IDLE);
}

static void init_once_fn(void) {
  sl_config_from_env();
  atexit(at_exit);
  pthread_atfork(fork_prepare, fork_parent, fork_child);
}

void sl_runtime_init(void) { pthread_once(&init_once, init_once_fn); }

/* Starts the backend with every signal blocked, so the application's handlers always
   run on its own threads. Without a thread, spanlog writes synchronously instead. */
static void start_backend(void) {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(&sl_rt.backend, NULL, sl_backend_main, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    sl_diag("spanlog: cannot start the background thread (%s); writing synchronously", strerror(rc));
    atomic_store(&sl_rt.state, RT_SYNC);
    return;
  }
  atomic_store(&sl_rt.state, RT_RUNNING);
}

static sl_ring *take_ring(void) {
  uint64_t cap = atomic_load(&sl_rt.queue_bytes);
  for (sl_ring **p = &sl_rt.spare; *p; p = &(*p)->next) {
    if ((*p)->cap != cap) continue;
    sl_ring *r = *p;
    *p = r->next;
    sl_rt.nspare--;
    return r;
  }
  return sl_ring_new(cap);
}

/* Lock order everywhere: cfg_lock, io_lock, reg_lock. */
static void ensure_started(void) {
  if (atomic_load(&sl_rt.state) != RT_IDLE) return;
  pthread_mutex_lock(&sl_rt.cfg_lock);
  if (atomic_load(&sl_rt.state) == RT_IDLE) {
    pthread_mutex_lock(&sl_rt.io_lock);
    sl_sinks_start();
    pthread_mutex_unlock(&sl_rt.io_lock);
    start_backend();
  }
  pthread_mutex_unlock(&sl_rt.cfg_lock);
}

sl_ring *sl_runtime_ring_acquire(void) {
  sl_runtime_init();
  sl_logger_init();
  ensure_started();
  pthread_mutex_lock(&sl_rt.reg_lock);
  sl_ring *r = take_ring();
  if (r) {
    sl_ring_reset(r);
    r->next = sl_rt.rings;
    sl_rt.rings = r;
  }
  pthread_mutex_unlock(&sl_rt.reg_lock);
  if (!r) return NULL;
  sl_thread_hook_exit();
  return r;
}

void sl_runtime_ring_release(sl_ring *r) {
  atomic_store_explicit(&r->closed, 1, memory_order_release);
  if (atomic_load(&sl_rt.state) == RT_SYNC) sl_runtime_drain_here();
}

/* Called by the drainer for a closed queue it has emptied: keep it for reuse or free it. */
void sl_runtime_retire_ring(sl_ring *r) {
  sl_backend_forget_ring(r);
  if (sl_rt.nspare < MAX_SPARE_RINGS) {
    r->next = sl_rt.spare;
    sl_rt.spare = r;
    sl_rt.nspare++;
  } else {
    sl_ring_free(r);
  }
}

void sl_runtime_wake_backend(void) {
  pthread_mutex_lock(&sl_rt.wake_lock);
  pthread_cond_signal(&sl_rt.wake_cond);
  pthread_mutex_unlock(&sl_rt.wake_lock);
}

void sl_runtime_drain_here(void) {
  pthread_mutex_lock(&sl_rt.io_lock);
  sl_sinks_reopen_if_requested();
  sl_backend_drain(0);
  sl_sinks_write_out();
  pthread_mutex_unlock(&sl_rt.io_lock);
}

static void deadline_in(struct timespec *ts, long ms) {
  clock_gettime(CLOCK_REALTIME, ts);
  ts->tv_sec += ms / 1000;
  ts->tv_nsec += (ms % 1000) * 1000000L;
  if (ts->tv_nsec >= 1000000000L) ts->tv_sec++, ts->tv_nsec -= 1000000000L;
}

/* Waits a little for the backend to make room in r (until it is half free). The backend
   wakes waiters when that is so and after each pass; the timeout only covers a wake-up
   that raced with going to sleep. */
static void wait_for_room(sl_ring *r, uint64_t size) {
  struct timespec deadline;
  deadline_in(&deadline, 5);
  pthread_mutex_lock(&sl_rt.wake_lock);
  atomic_store(&r->waiting, 1);
  atomic_fetch_add(&sl_rt.space_waiters, 1);
  if (!sl_ring_fits(r, size, atomic_load_explicit(&r->rpos, memory_order_acquire), SL_RING_RESUME_EIGHTHS)) {
    pthread_cond_signal(&sl_rt.wake_cond);
    pthread_cond_timedwait(&sl_rt.space_cond, &sl_rt.wake_lock, &deadline);
  }
  atomic_fetch_sub(&sl_rt.space_waiters, 1);
  atomic_store(&r->waiting, 0);
  pthread_mutex_unlock(&sl_rt.wake_lock);
}

void *sl_runtime_reserve_slow(sl_ring *r, uint64_t size) {
  /* A producer that had to wait goes on once half the queue is free again, so that it
     writes many records per wake-up (and the backend wakes it rarely), not one. */
  unsigned max_fill = 8;
  for (;; max_fill = SL_RING_RESUME_EIGHTHS) {
    void *p = sl_ring_reserve_refresh(r, size, max_fill);
    /* More than half full: the backend must not sleep through the rest. */
    if (sl_ring_fill_eighths(r) >= 4 && atomic_load_explicit(&sl_rt.backend_asleep, memory_order_relaxed))
      sl_runtime_wake_backend();
    if (p) return p;
    if (atomic_load_explicit(&sl_rt.overflow, memory_order_relaxed) == SL_OVERFLOW_DROP) {
      atomic_fetch_add_explicit(&sl_rt.dropped, 1, memory_order_relaxed);
      return NULL;
    }
    if (atomic_load(&sl_rt.state) == RT_SYNC) sl_runtime_drain_here();
    else wait_for_room(r, size);
  }
}

void sl_runtime_lock_config(void) {
  pthread_mutex_lock(&sl_rt.cfg_lock);
  pthread_mutex_lock(&sl_rt.io_lock);
}

void sl_runtime_unlock_config(void) {
  pthread_mutex_unlock(&sl_rt.io_lock);
  pthread_mutex_unlock(&sl_rt.cfg_lock);
}

/* ---- public: flush, shutdown, settings ---- */

void sl_flush(void) {
  int state = atomic_load(&sl_rt.state);
  if (state == RT_IDLE || sl_tls.is_backend) return;
  if (state == RT_SYNC) {
    sl_runtime_drain_here();
    return;
  }
  pthread_mutex_lock(&sl_rt.wake_lock);
  uint64_t mine = atomic_fetch_add(&sl_rt.flush_requested, 1) + 1;
  pthread_cond_signal(&sl_rt.wake_cond);
  while (sl_rt.flush_done < mine && atomic_load(&sl_rt.state) != RT_SYNC)
    pthread_cond_wait(&sl_rt.flush_cond, &sl_rt.wake_lock);
  pthread_mutex_unlock(&sl_rt.wake_lock);
  /* Shut down meanwhile: what the backend's last pass left, this thread writes. */
  if (atomic_load(&sl_rt.state) == RT_SYNC) sl_runtime_drain_here();
}

void sl_shutdown(void) {
  if (sl_tls.is_backend) return;
  pthread_mutex_lock(&sl_rt.cfg_lock);
  if (atomic_load(&sl_rt.state) == RT_RUNNING) {
    pthread_mutex_lock(&sl_rt.wake_lock);
    atomic_store(&sl_rt.state, RT_STOPPING);
    pthread_cond_signal(&sl_rt.wake_cond);
    pthread_mutex_unlock(&sl_rt.wake_lock);
    pthread_join(sl_rt.backend, NULL);
    pthread_mutex_lock(&sl_rt.wake_lock);
    atomic_store(&sl_rt.state, RT_SYNC);
    pthread_cond_broadcast(&sl_rt.flush_cond);
    pthread_cond_broadcast(&sl_rt.space_cond);
    pthread_mutex_unlock(&sl_rt.wake_lock);
  }
  pthread_mutex_unlock(&sl_rt.cfg_lock);
  /* Records that raced with the backend's last pass are still queued: write them. */
  if (atomic_load(&sl_rt.state) == RT_SYNC) sl_runtime_drain_here();
}

void sl_set_overflow(sl_overflow policy) { atomic_store(&sl_rt.overflow, (int)policy); }

uint64_t sl_dropped_total(void) { return atomic_load(&sl_rt.dropped); }

void sl_set_queue_bytes(size_t bytes) {
  uint64_t cap = 4096;
  while (cap < bytes && cap < ((uint64_t)1 << 30)) cap <<= 1;
  atomic_store(&sl_rt.queue_bytes, cap);
}
