/* One pass of the drain: every queue read up to what was committed when the pass began,
 * records merged across queues in timestamp order, producers given their room back as it
 * goes, and the queues of ended threads retired. One drainer at a time (the drain lock):
 * the backend thread, or after shutdown a producer. */
#include <linux/membarrier.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/dispatch.h"
#include "backend/records.h"
#include "base/clock.h"
#include "base/grow.h"
#include "base/locks.h"
#include "record/queues.h"

/* The queues of this pass; room for every queue that has a consumer state. */
static struct {
  sl_ring **rings;
  size_t rings_cap;
  size_t attached; /* queues with a consumer state */
} d;

static const unsigned char *big_inner(const unsigned char *rec) {
  unsigned char *inner;
  memcpy(&inner, rec + sizeof(rec_hdr), sizeof inner);
  return inner;
}

/* The next LOG or SPAN record of r (or BIG around a LOG), handling the control records
   before it on the way; NULL when the queue has nothing more in this pass. */
static const unsigned char *next_log(sl_ring *r, sl_ring_consumer *c) {
  while (c->pos < c->limit) {
    const unsigned char *rec = r->buf + (c->pos & (r->cap - 1));
    uint32_t size;
    memcpy(&size, rec, 4);
    switch (rec[4]) {
    case REC_LOG:
    case REC_SPAN:
    case REC_REPLAY:
      return rec;
    case REC_BIG:
      if (big_inner(rec)[4] != REC_FRAME) return rec;
      sl_backend_apply_frame(c, big_inner(rec));
      free((void *)big_inner(rec));
      break;
    case REC_FRAME:
      sl_backend_apply_frame(c, rec);
      break;
    case REC_IDS:
      sl_backend_apply_ids(c, rec);
      break;
    default: /* PAD */
      break;
    }
    c->pos += size;
  }
  return NULL;
}

static uint64_t rec_ts(const unsigned char *rec) {
  rec_hdr h;
  memcpy(&h, rec, sizeof h);
  return h.ts_ns;
}

static void consume(sl_ring_consumer *c, const unsigned char *rec) {
  uint32_t size;
  memcpy(&size, rec, 4);
  const unsigned char *inner = rec[4] == REC_BIG ? big_inner(rec) : rec;
  if (inner[4] == REC_SPAN) sl_backend_process_span(inner);
  else if (inner[4] == REC_REPLAY) sl_backend_process_replay(inner);
  else sl_backend_process_log(c, inner);
  if (inner != rec) free((void *)inner);
  c->pos += size;
}

/* Gives producers their room back; wakes those waiting for it once their queue is at
   most half full, or at the end of a pass. */
static void publish(size_t nrings, int pass_end) {
  int wake = pass_end;
  for (size_t i = 0; i < nrings; i++) wake |= sl_queues_publish(d.rings[i], d.rings[i]->consumer->pos);
  if (wake) sl_queues_wake_producers();
}

/* A queue read to its end: the drainer caught up with its producer, and lets go of the
   lines it read since it last did, so that the producer writes them again without taking
   them back from this core (sl_ring_drop_read_lines). Not while the producer stays ahead:
   then it waits for room anyway, and the drainer's time is the throughput. Only on the
   CPUs where this was measured to help (sl_ring_drop_pays). */
static void drop_read_lines(size_t nrings) {
  if (!sl_ring_drop_pays()) return;
  for (size_t i = 0; i < nrings; i++) {
    sl_ring_consumer *c = d.rings[i]->consumer;
    if (c->pos != atomic_load_explicit(&d.rings[i]->committed, memory_order_relaxed)) continue;
    sl_ring_drop_read_lines(d.rings[i], c->dropped, c->pos);
    c->dropped = c->pos;
  }
}

/* Every queue in the registry has its state and a place in d.rings (sl_backend_attach_ring). */
static void add_ring(sl_ring *r, void *count) {
  size_t *n = count;
  if (r->consumer && *n < d.rings_cap) d.rings[(*n)++] = r;
}

/* The queues to drain this pass, each with its consumer state. */
static size_t snapshot_rings(void) {
  size_t n = 0;
  sl_queues_each(add_ring, &n);
  return n;
}

/* Each queue's limit: what was committed when the pass began, so that a pass ends even
   while producers go on. */
static void read_limits(size_t nrings) {
  for (size_t i = 0; i < nrings; i++) {
    sl_ring_consumer *c = d.rings[i]->consumer;
    c->pos = atomic_load_explicit(&d.rings[i]->rpos, memory_order_relaxed);
    c->limit = atomic_load_explicit(&d.rings[i]->committed, memory_order_acquire);
  }
}

/* ---- timestamp order across queues ----
 *
 * Each queue is in order; the drain merges the queues by timestamp. A record can still
 * reach its queue after a later one of another thread was written, if its producer read
 * the clock and was then delayed before committing. So an ordered pass only writes
 * records stamped before a horizon taken at its start, and first waits for producers
 * caught between their clock reading and their commit. membarrier(2) makes every thread
 * of the process pass a full fence, so a producer's "stamping" flag set before a clock
 * reading that precedes the horizon is visible here, and producers need no fence of
 * their own. */

static int membarrier_ok = -1;

static int full_barrier(void) {
  if (membarrier_ok < 0)
    membarrier_ok = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
  return membarrier_ok && syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0;
}

static uint64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Waits for records being stamped: a few hundred nanoseconds, unless the producer was
   preempted in between; past MAX_STAMP_WAIT_MS the pass goes on without them. */
#define MAX_STAMP_WAIT_MS 10
static void wait_for_stamping(sl_ring *r, uint64_t deadline_ms) {
  while (atomic_load_explicit(&r->stamping, memory_order_acquire) && mono_ms() < deadline_ms) sched_yield();
}

/* The horizon of a pass: UINT64_MAX for none (one queue, a flush, or no membarrier). */
static uint64_t horizon(size_t nrings, int ordered) {
  if (!ordered || nrings < 2) return UINT64_MAX;
  uint64_t h = sl_record_ns();
  if (!full_barrier()) return UINT64_MAX;
  uint64_t deadline = mono_ms() + MAX_STAMP_WAIT_MS;
  for (size_t i = 0; i < nrings; i++) wait_for_stamping(d.rings[i], deadline);
  return h;
}

/* Set when a pass left records beyond its horizon and wrote nothing: the clock went back
   (or a test clock stands still), so the next pass must not wait for it. */
static int stalled;

size_t sl_backend_drain(int ordered) {
  size_t nrings = snapshot_rings(), done = 0, deferred = 0;
  uint64_t limit = horizon(nrings, ordered && !stalled);
  read_limits(nrings);
  for (;;) {
    sl_ring *best = NULL;
    const unsigned char *best_rec = NULL;
    uint64_t best_ts = 0;
    for (size_t i = 0; i < nrings; i++) {
      const unsigned char *rec = next_log(d.rings[i], d.rings[i]->consumer);
      if (!rec) continue;
      uint64_t ts = rec_ts(rec[4] == REC_BIG ? big_inner(rec) : rec);
      if (!best || ts < best_ts) best = d.rings[i], best_rec = rec, best_ts = ts;
    }
    if (!best) break;
    if (best_ts > limit) {
      deferred = 1;
      break;
    }
    consume(best->consumer, best_rec);
    /* Give producers their room back as we go, not only at the end of a long pass. */
    if (++done % 256 == 0) publish(nrings, 0);
  }
  stalled = deferred && done == 0;
  publish(nrings, 1);
  drop_read_lines(nrings);
  sl_backend_report_losses();
  sl_queues_retire_closed();
  return done + deferred;
}


/* A queue gets its state when its producer's first record comes, and its place in the
   drain's list with it, so that a pass never meets a queue it cannot read (its records
   would be lost uncounted). Growing the list takes the drain lock, unless this thread is
   the drainer (a user processor that logs). */
int sl_backend_attach_ring(sl_ring *r) {
  sl_ring_consumer *c = calloc(1, sizeof *c);
  if (!c) return -1;
  int held = sl_drain_lock_held();
  if (!held) sl_drain_lock();
  int rc = sl_grow(&d.rings, &d.rings_cap, d.attached + 1, sizeof *d.rings);
  if (rc == 0) d.attached++;
  if (!held) sl_drain_unlock();
  if (rc) {
    free(c);
    return -1;
  }
  r->consumer = c;
  return 0;
}

void sl_backend_forget_ring(sl_ring *r) {
  sl_ring_consumer *c = r->consumer;
  if (!c) return;
  d.attached--;
  sl_buf_free(&c->frame);
  sl_buf_free(&c->bound_json);
  sl_arena_free(&c->arena);
  free(c->raw);
  free(c->bound);
  free(c);
  r->consumer = NULL;
}
