#include "record/queues.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "spanlog/output.h"

_Atomic int sl_queues_mode_now;
sl_queue_consumer sl_queues_consumer;

static struct {
  pthread_mutex_t reg_lock; /* the registry */
  sl_ring *rings;           /* every queue that has a producer or records left */
  sl_ring *spare;           /* drained queues of ended threads, kept for reuse */
  int nspare;

  pthread_mutex_t wake_lock;
  pthread_cond_t wake_cond;  /* the drainer sleeps on it */
  pthread_cond_t space_cond; /* producers with a full queue wait on it */
  _Atomic int consumer_asleep;
  _Atomic int space_waiters;

  _Atomic int overflow;         /* sl_overflow */
  _Atomic uint64_t queue_bytes; /* for queues made from now on */
  _Atomic uint64_t lost;        /* every record dropped or lost so far */
} q = {
    .reg_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake_cond = PTHREAD_COND_INITIALIZER,
    .space_cond = PTHREAD_COND_INITIALIZER,
    .queue_bytes = 256 * 1024,
};

/* Spare queues kept for threads to come: a thread pool that replaces its threads then
   reuses memory instead of mapping new queues. */
#define MAX_SPARE_RINGS 8

void sl_queues_set_consumer(const sl_queue_consumer *c) { sl_queues_consumer = *c; }
int sl_queues_mode(void) { return atomic_load(&sl_queues_mode_now); }
void sl_queues_set_mode(int mode) { atomic_store(&sl_queues_mode_now, mode); }
void sl_queues_set_overflow(int policy) { atomic_store(&q.overflow, policy); }
void sl_queues_set_queue_bytes(uint64_t bytes) { atomic_store(&q.queue_bytes, bytes); }
uint64_t sl_queues_lost_total(void) { return atomic_load(&q.lost); }

void sl_queues_count_lost(uint64_t n) { atomic_fetch_add_explicit(&q.lost, n, memory_order_relaxed); }

/* ---- the registry ---- */

static sl_ring *take_ring(void) {
  uint64_t cap = atomic_load(&q.queue_bytes);
  for (sl_ring **p = &q.spare; *p; p = &(*p)->next) {
    if ((*p)->cap != cap) continue;
    sl_ring *r = *p;
    *p = r->next;
    q.nspare--;
    return r;
  }
  return sl_ring_new(cap);
}

/* Nobody to drain the queues: a program linked with the static library without the
   lifecycle's object (pkg-config --static and meson's dependency ask for it). */
static SL_COLD sl_ring *no_consumer(void) {
  static _Atomic int reported;
  if (!atomic_exchange(&reported, 1))
    sl_diag("spanlog: the library was linked without its lifecycle (link libspanlog.a with -Wl,-u,sl_flush, "
            "or use pkg-config --static); records are lost");
  return NULL;
}

sl_ring *sl_queues_acquire(void) {
  if (SL_UNLIKELY(!sl_queues_consumer.start)) return no_consumer();
  if (sl_queues_mode() == SL_QUEUES_IDLE) sl_queues_consumer.start();
  pthread_mutex_lock(&q.reg_lock);
  sl_ring *r = take_ring();
  pthread_mutex_unlock(&q.reg_lock);
  if (!r) return NULL;
  if (sl_queues_consumer.attach(r)) {
    sl_ring_free(r);
    return NULL;
  }
  sl_ring_reset(r);
  pthread_mutex_lock(&q.reg_lock);
  r->next = q.rings;
  q.rings = r;
  pthread_mutex_unlock(&q.reg_lock);
  return r;
}

void sl_queues_release(sl_ring *r) {
  atomic_store_explicit(&r->closed, 1, memory_order_release);
  sl_queues_drain_if_sync();
}

void sl_queues_each(void (*fn)(sl_ring *r, void *env), void *env) {
  pthread_mutex_lock(&q.reg_lock);
  for (sl_ring *r = q.rings; r; r = r->next) fn(r, env);
  pthread_mutex_unlock(&q.reg_lock);
}

static void retire(sl_ring *r) {
  sl_queues_consumer.forget(r);
  if (q.nspare < MAX_SPARE_RINGS) {
    r->next = q.spare;
    q.spare = r;
    q.nspare++;
  } else {
    sl_ring_free(r);
  }
}

void sl_queues_retire_closed(void) {
  pthread_mutex_lock(&q.reg_lock);
  for (sl_ring **p = &q.rings; *p;) {
    sl_ring *r = *p;
    if (atomic_load_explicit(&r->closed, memory_order_acquire) &&
        atomic_load(&r->rpos) == atomic_load(&r->committed)) {
      *p = r->next;
      retire(r);
    } else {
      p = &r->next;
    }
  }
  pthread_mutex_unlock(&q.reg_lock);
}

/* ---- room and waking ---- */

/* Timed waits run on the monotonic clock where the C library lets a wait choose its clock
   (glibc 2.30 and later): a wall clock set back must not stretch the drainer's sleep, and
   with it the time a record takes to reach its sink. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
#define WAIT_CLOCK CLOCK_MONOTONIC
static int timed_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *deadline) {
  return pthread_cond_clockwait(c, m, WAIT_CLOCK, deadline);
}
#else
#define WAIT_CLOCK CLOCK_REALTIME
static int timed_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *deadline) {
  return pthread_cond_timedwait(c, m, deadline);
}
#endif

static void deadline_in(struct timespec *ts, long ms) {
  clock_gettime(WAIT_CLOCK, ts);
  ts->tv_sec += ms / 1000;
  ts->tv_nsec += (ms % 1000) * 1000000L;
  if (ts->tv_nsec >= 1000000000L) ts->tv_sec++, ts->tv_nsec -= 1000000000L;
}

void sl_queues_wake_consumer(void) {
  pthread_mutex_lock(&q.wake_lock);
  pthread_cond_signal(&q.wake_cond);
  pthread_mutex_unlock(&q.wake_lock);
}

void sl_queues_consumer_sleep(long ms, int (*busy)(void)) {
  struct timespec deadline;
  deadline_in(&deadline, ms);
  pthread_mutex_lock(&q.wake_lock);
  if (!busy()) {
    atomic_store(&q.consumer_asleep, 1);
    timed_wait(&q.wake_cond, &q.wake_lock, &deadline);
    atomic_store(&q.consumer_asleep, 0);
  }
  pthread_mutex_unlock(&q.wake_lock);
}

int sl_queues_publish(sl_ring *r, uint64_t rpos) {
  atomic_store_explicit(&r->rpos, rpos, memory_order_release);
  return atomic_load_explicit(&r->waiting, memory_order_relaxed) &&
         (atomic_load_explicit(&r->committed, memory_order_relaxed) - rpos) * 8 / r->cap <= SL_RING_RESUME_EIGHTHS;
}

void sl_queues_wake_producers(void) {
  if (!atomic_load(&q.space_waiters)) return;
  pthread_mutex_lock(&q.wake_lock);
  pthread_cond_broadcast(&q.space_cond);
  pthread_mutex_unlock(&q.wake_lock);
}

/* Waits a little for the drainer to make room in r (until it is half free). The drainer
   wakes waiters when that is so and after each pass; the timeout only covers a wake-up
   that raced with going to sleep. */
static void wait_for_room(sl_ring *r, uint64_t size) {
  struct timespec deadline;
  deadline_in(&deadline, 5);
  pthread_mutex_lock(&q.wake_lock);
  atomic_store(&r->waiting, 1);
  atomic_fetch_add(&q.space_waiters, 1);
  if (!sl_ring_fits(r, size, atomic_load_explicit(&r->rpos, memory_order_acquire), SL_RING_RESUME_EIGHTHS)) {
    pthread_cond_signal(&q.wake_cond);
    timed_wait(&q.space_cond, &q.wake_lock, &deadline);
  }
  atomic_fetch_sub(&q.space_waiters, 1);
  atomic_store(&r->waiting, 0);
  pthread_mutex_unlock(&q.wake_lock);
}

void *sl_queues_reserve_slow(sl_ring *r, uint64_t size) {
  /* A producer that had to wait goes on once half the queue is free again, so that it
     writes many records per wake-up (and the drainer wakes it rarely), not one. */
  unsigned max_fill = 8;
  for (;; max_fill = SL_RING_RESUME_EIGHTHS) {
    void *p = sl_ring_reserve_refresh(r, size, max_fill);
    /* More than half full: the drainer must not sleep through the rest. */
    if (sl_ring_fill_eighths(r) >= 4 && atomic_load_explicit(&q.consumer_asleep, memory_order_relaxed))
      sl_queues_wake_consumer();
    if (p) return p;
    if (atomic_load_explicit(&q.overflow, memory_order_relaxed) == SL_OVERFLOW_DROP) {
      sl_queues_count_lost(1);
      return NULL;
    }
    if (sl_queues_mode() == SL_QUEUES_SYNC) sl_queues_consumer.drain_here();
    else wait_for_room(r, size);
  }
}

/* ---- fork ---- */

void sl_queues_fork_prepare(void) { pthread_mutex_lock(&q.reg_lock); }
void sl_queues_fork_parent(void) { pthread_mutex_unlock(&q.reg_lock); }

static void free_rings(sl_ring *r) {
  for (sl_ring *next; r; r = next) {
    next = r->next;
    sl_queues_consumer.forget(r);
    sl_ring_free(r);
  }
}

/* Locks are made anew: the threads that held them do not exist here. */
void sl_queues_fork_child(void) {
  pthread_mutex_init(&q.reg_lock, NULL);
  pthread_mutex_init(&q.wake_lock, NULL);
  pthread_cond_init(&q.wake_cond, NULL);
  pthread_cond_init(&q.space_cond, NULL);
  free_rings(q.rings);
  free_rings(q.spare);
  q.rings = q.spare = NULL;
  q.nspare = 0;
  /* The parent reports its own losses; the child counts from zero. */
  atomic_store(&q.lost, 0);
  atomic_store(&q.consumer_asleep, 0);
  atomic_store(&q.space_waiters, 0);
  if (sl_queues_mode() != SL_QUEUES_SYNC) sl_queues_set_mode(SL_QUEUES_IDLE);
}
