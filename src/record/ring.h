/* A single-producer single-consumer byte ring: one per producing thread.
 *
 * The producer reserves room for a record, writes it in place and commits it with one
 * release store; the consumer (the backend) reads committed records and releases their
 * room with one release store. Each side caches the other's position and reads it again
 * only when its cached view is not enough, so the common case touches no shared line.
 * Records are contiguous: one that does not fit before the end of the buffer is placed
 * at its start, and the tail is marked with a PAD record. */
#ifndef SL_RING_H
#define SL_RING_H

#include <stdatomic.h>
#include <stdint.h>

#include "base/common.h"
#include "record/record.h"

typedef struct sl_ring {
  /* producer's line */
  _Alignas(SL_CACHELINE) uint64_t wpos; /* reserved and written up to here */
  uint64_t cached_rpos;
  uint64_t announced_frame; /* id of the bound context last sent on this ring */
  uint64_t announced_span;  /* stamp of the span ids last sent on this ring */
  _Atomic uint64_t committed; /* wpos as published to the consumer */
  _Atomic uint32_t stamping;  /* between reading the clock and committing a record */
  int writing; /* the producer is in a call that writes this ring (see sl_ring_writing_begin) */

  /* consumer's line */
  _Alignas(SL_CACHELINE) _Atomic uint64_t rpos; /* consumed up to here */

  /* fixed after creation, or owned by the registry */
  _Alignas(SL_CACHELINE) unsigned char *buf;
  uint64_t cap; /* a power of two */
  uint64_t big; /* records larger than this go through the heap */
  _Atomic int closed; /* its thread has exited: free once drained */
  _Atomic int waiting; /* its producer waits for room (rarely written) */
  struct sl_ring *next;
  struct sl_ring_consumer *consumer; /* backend state for this ring */
} sl_ring;

sl_ring *sl_ring_new(uint64_t cap);
void sl_ring_free(sl_ring *r);
/* Empties the ring (no producer or consumer may be using it). */
void sl_ring_reset(sl_ring *r);

/* Bytes that a record of `size` takes at the current position, with the padded tail. */
static inline uint64_t sl_ring_need(const sl_ring *r, uint64_t size) {
  uint64_t tail = r->cap - (r->wpos & (r->cap - 1));
  return size <= tail ? size : tail + size;
}

/* Places a record of `size` at the current position, padding the tail first if the
   record would cross the end; the room has been checked. */
static inline void *sl_ring_place(sl_ring *r, uint64_t size) {
  uint64_t off = r->wpos & (r->cap - 1);
  uint64_t tail = r->cap - off;
  if (SL_UNLIKELY(size > tail)) {
    /* Only the first 8 bytes (size, kind) of a PAD header are read: the tail may be short. */
    rec_hdr pad = {0};
    pad.size = (uint32_t)tail;
    pad.kind = REC_PAD;
    memcpy(r->buf + off, &pad, 8);
    r->wpos += tail;
    off = 0;
  }
  return r->buf + off;
}

/* Fast path of the producer: `size` bytes (a multiple of 8) of room, or NULL if the ring
   looks more than half full or the record would cross the buffer's end (once per lap: the
   padding is left to the slow path), in which case the caller takes its slow path. */
static inline void *sl_ring_try_reserve(sl_ring *r, uint64_t size) {
  uint64_t off = r->wpos & (r->cap - 1);
  if (SL_UNLIKELY(size > r->cap - off || r->wpos + size - r->cached_rpos > r->cap / 2)) return NULL;
  return r->buf + off;
}

/* How full the ring was at the last refresh, in eighths. */
static inline unsigned sl_ring_fill_eighths(const sl_ring *r) {
  return (unsigned)((r->wpos - r->cached_rpos) * 8 / r->cap);
}

/* How full a ring may be (in eighths) when a producer that had to wait for room goes on:
   half, so that it writes many records per wake-up, not one. */
#define SL_RING_RESUME_EIGHTHS 4

/* Whether a record of `size` fits with the consumer at rpos, the ring then no fuller than
   max_fill_eighths before it. */
static inline int sl_ring_fits(const sl_ring *r, uint64_t size, uint64_t rpos, unsigned max_fill_eighths) {
  return r->wpos + sl_ring_need(r, size) - rpos <= r->cap && (r->wpos - rpos) * 8 / r->cap <= max_fill_eighths;
}

/* Drops the consumer's cached copies of the queue's lines in [from, to) (positions), all
   read already. A line the consumer still holds must be taken back from its cache when the
   producer writes it again a lap later, which costs the producer a cross-core round trip
   per line (a quarter of its call on the benchmark record, where that trip is dear); a
   line that no cache holds is an ordinary miss, which the producer's sequential writes
   prefetch. Only a hint: x86 only, nothing elsewhere. */
void sl_ring_drop_read_lines(const sl_ring *r, uint64_t from, uint64_t to);

/* Whether dropping read lines makes the producer faster on this CPU (measured on some,
   not on others: the drainer asks before it drops). */
int sl_ring_drop_pays(void);

/* Slow path: re-reads the consumer's position; room for `size` bytes, or NULL if there is
   none or the ring is fuller than max_fill_eighths. */
void *sl_ring_reserve_refresh(sl_ring *r, uint64_t size, unsigned max_fill_eighths);

static inline void sl_ring_commit(sl_ring *r, uint64_t size) {
  r->wpos += size;
  atomic_store_explicit(&r->committed, r->wpos, memory_order_release);
}

/* Brackets a record from its clock reading to its commit, so that the drainer can tell a
   record with an early timestamp that is not committed yet from no record at all. Plain
   stores only: the drainer's membarrier(2) orders them against its own reads (see
   backend.c), so the producer pays no fence. */
static inline void sl_ring_stamp_begin(sl_ring *r) {
  atomic_store_explicit(&r->stamping, 1, memory_order_relaxed);
  atomic_signal_fence(memory_order_seq_cst);
}
static inline void sl_ring_stamp_end(sl_ring *r) {
  atomic_store_explicit(&r->stamping, 0, memory_order_release);
}

/* Brackets a producer's call that writes the ring. A signal handler on the producer's
   thread that logs meanwhile finds writing set and must not write: it would write its
   record where the interrupted one is being written. The signal fences keep the compiler
   from moving the ring's writes out of the brackets; no fence instruction is needed, the
   handler runs on the same thread. */
static inline void sl_ring_writing_begin(sl_ring *r) {
  r->writing = 1;
  atomic_signal_fence(memory_order_seq_cst);
}
static inline void sl_ring_writing_end(sl_ring *r) {
  atomic_signal_fence(memory_order_seq_cst);
  r->writing = 0;
}

#endif
