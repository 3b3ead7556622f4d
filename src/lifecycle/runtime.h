/* The runtime: process-wide state, lazy start, the registry of queues, waiting for
 * room, flush, shutdown and fork. It owns the backend thread; backend.c does the work
 * of one drain pass. */
#ifndef SL_RUNTIME_H
#define SL_RUNTIME_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "record/ring.h"

enum {
  RT_IDLE = 0,     /* not started (or a forked child that has not logged yet) */
  RT_RUNNING = 1,  /* the backend thread drains the queues */
  RT_STOPPING = 2, /* sl_shutdown is waiting for the backend's last pass */
  RT_SYNC = 3      /* shut down: each producer drains its records itself */
};

typedef struct sl_runtime {
  _Atomic int state;
  _Atomic int overflow;          /* sl_overflow */
  _Atomic uint64_t queue_bytes;  /* for queues made from now on */
  _Atomic uint64_t dropped;      /* all records dropped so far */
  _Atomic int backend_asleep;
  _Atomic int space_waiters;     /* producers waiting for room */
  _Atomic int reopen_requested;  /* set by the SIGHUP handler */
  _Atomic uint64_t flush_requested;
  uint64_t flush_done; /* under wake_lock */

  pthread_mutex_t cfg_lock; /* serialises configuration and shutdown; held across fork */
  pthread_mutex_t reg_lock; /* the queue registry; held across fork */
  pthread_mutex_t io_lock;  /* held by whoever drains: the backend, or a producer in RT_SYNC */
  pthread_mutex_t wake_lock;
  pthread_cond_t wake_cond;  /* the backend sleeps on it */
  pthread_cond_t flush_cond; /* flushers wait on it */
  pthread_cond_t space_cond; /* producers with a full queue wait on it */

  sl_ring *rings;     /* every queue that has a producer or records left */
  sl_ring *spare;     /* drained queues of ended threads, kept for reuse */
  int nspare;
  pthread_t backend;
} sl_runtime;

extern sl_runtime sl_rt;

/* Reads the environment and installs the exit and fork hooks, once. */
void sl_runtime_init(void);
/* A queue for the calling thread (starting spanlog if needed), or NULL without memory. */
sl_ring *sl_runtime_ring_acquire(void);
/* The calling thread ends: its queue is drained (not lost) and then freed or reused. */
void sl_runtime_ring_release(sl_ring *r);
/* The drainer found r closed and empty: keep it for reuse or free it. reg_lock held. */
void sl_runtime_retire_ring(sl_ring *r);
/* Producer slow path: room for `size` bytes in r, waiting for it under the BLOCK policy;
   NULL if the record is dropped (DROP policy, counted). */
void *sl_runtime_reserve_slow(sl_ring *r, uint64_t size);
/* After shutdown: writes out what the queues hold, on the calling thread. */
void sl_runtime_drain_here(void);
void sl_runtime_wake_backend(void);
/* Serialises a configuration change against the drainer (cfg_lock, then io_lock). */
void sl_runtime_lock_config(void);
void sl_runtime_unlock_config(void);

#endif
