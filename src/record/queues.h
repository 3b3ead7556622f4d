/* The queues of records and the flow between their two sides: one queue (ring) per
 * producing thread, the registry of them that the drainer walks, room for producers that
 * outpace it, waking it, and counting what is dropped.
 *
 * The drainer is not known here: the lifecycle layer hands down, once, how to start it
 * and how a producer drains by itself after shutdown (sl_queues_set_consumer). */
#ifndef SL_QUEUES_H
#define SL_QUEUES_H

#include <stdint.h>

#include "record/ring.h"

/* Who writes queued records out. */
enum {
  SL_QUEUES_IDLE = 0,  /* nobody yet: the first queue made starts the drainer */
  SL_QUEUES_ASYNC = 1, /* a drainer thread */
  SL_QUEUES_SYNC = 2   /* each producer drains what it queues (after shutdown, or no thread) */
};

typedef struct sl_queue_consumer {
  void (*start)(void);      /* the first queue is being made: start draining (mode set by it) */
  void (*drain_here)(void); /* SYNC: write out what is queued, on the calling thread */
  int (*attach)(sl_ring *r);  /* r is handed to a producer: the drainer's state for it, 0 or -1 */
  void (*forget)(sl_ring *r); /* r is freed or reused: drop the drainer's state for it */
} sl_queue_consumer;

/* Installs the consumer; the lifecycle layer does it before any record is made. */
void sl_queues_set_consumer(const sl_queue_consumer *c);

int sl_queues_mode(void);
void sl_queues_set_mode(int mode);

/* ---- the producer's side ---- */

/* A queue for the calling thread (starting the drainer if none runs), or NULL without
   memory for it or for the drainer's state of it: a queue is never there without that
   state, or the drainer could not read it and its records would be lost uncounted. */
sl_ring *sl_queues_acquire(void);
/* The calling thread ends: its queue is drained (not lost), then freed or reused. */
void sl_queues_release(sl_ring *r);
/* Slow path: room for `size` bytes in r, waiting for it under the block policy; NULL if
   the record is dropped (drop policy; counted). */
void *sl_queues_reserve_slow(sl_ring *r, uint64_t size);
/* SYNC: what this thread just queued is written now. */
static inline void sl_queues_drain_if_sync(void);
/* A record lost on the way (no memory, or dropped): counted, reported as spanlog.dropped. */
void sl_queues_count_lost(uint64_t n);

/* Settings: the overflow policy (sl_overflow) and the size of queues made from now on. */
void sl_queues_set_overflow(int policy);
void sl_queues_set_queue_bytes(uint64_t bytes);
uint64_t sl_queues_lost_total(void);

/* ---- the drainer's side ---- */

/* Calls fn(r, env) for every queue, in the registry's order, under its lock. */
void sl_queues_each(void (*fn)(sl_ring *r, void *env), void *env);
/* Frees or keeps for reuse the queues of ended threads that are empty now. */
void sl_queues_retire_closed(void);
/* Gives r's room back up to rpos; 1 if its producer waits for room and may go on now
   (the queue is at most half full: waking it sooner costs a futex call for nothing). */
int sl_queues_publish(sl_ring *r, uint64_t rpos);
/* Wakes the producers waiting for room, if any. */
void sl_queues_wake_producers(void);
/* Sleeps until woken or ms pass, unless busy() (read under the wake lock, so that a wake
   after the check is not lost) says there is work already. */
void sl_queues_consumer_sleep(long ms, int (*busy)(void));
void sl_queues_wake_consumer(void);

/* fork(): the registry's lock is held across it; in the child every queue is the parent's
   (its records are the parent's to write) and is dropped. */
void sl_queues_fork_prepare(void);
void sl_queues_fork_parent(void);
void sl_queues_fork_child(void);

/* ---- inline ---- */

extern _Atomic int sl_queues_mode_now;
extern sl_queue_consumer sl_queues_consumer;

static inline void sl_queues_drain_if_sync(void) {
  if (SL_UNLIKELY(atomic_load_explicit(&sl_queues_mode_now, memory_order_relaxed) == SL_QUEUES_SYNC))
    sl_queues_consumer.drain_here();
}

#endif
