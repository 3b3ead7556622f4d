/* Record capture: the caller's side of a log call. Copies the call's arguments and,
 * when they changed since this thread's last record, the bound context and the current
 * span's ids into the calling thread's queue. No lock, no allocation and no formatting in
 * the common case. */
#include <stddef.h>
#include <stdlib.h>

#include "capture/capture.h"
#include "base/clock.h"
#include "capture/context.h"
#include "base/common.h"
#include "capture/logger.h"
#include "record/record.h"
#include "record/ring.h"
#include "record/queues.h"

/* Encoded sizes of a call's arrays and jansson values, for calls of up to this many
   fields (strings and keys carry their lengths in the arguments). */
#define STACK_FIELDS (2 * SL__MAX_PAIRS)

/* A record that lost its queue (no memory for one, or dropped): counted, reported in
   the stream as spanlog.dropped. */
static SL_COLD void count_lost(void) { sl_queues_count_lost(1); }

static _Atomic int callsite_on;

void sl_set_callsite(int on) { atomic_store(&callsite_on, on != 0); }

/* Written field by field in place (records are 8-aligned): a header built on the stack and
   copied would be read back in one piece right after its narrow stores, which stalls. A
   record without a call site (all but LOG) shows no logger, level or location. */
static SL_ALWAYS_INLINE void put_header(unsigned char *p, uint32_t size, int kind, uint32_t nfields, int flags,
                                        uint64_t ts) {
  rec_hdr *h = (rec_hdr *)(void *)p;
  h->size = size;
  h->kind = (uint8_t)kind;
  h->level = 0;
  h->flags = (uint8_t)flags;
  h->reserved = 0;
  h->nfields = nfields;
  h->event_len = 0;
  h->ts_ns = ts;
  h->logger = NULL;
  h->loc = NULL;
}

/* Room for a record: in the queue, or on the heap behind a BIG record for one too large
   for it. Returns NULL if the record is dropped. */
static SL_COLD unsigned char *reserve_slow(sl_ring *r, uint64_t size) {
  if (!sl_tls.no_wait) return sl_queues_reserve_slow(r, size);
  unsigned char *p = sl_ring_reserve_refresh(r, size, 8);
  if (!p) count_lost();
  return p;
}

static unsigned char *reserve(sl_ring *r, uint64_t size) {
  unsigned char *p = sl_ring_try_reserve(r, size);
  return p ? p : reserve_slow(r, size);
}

/* A record too large for the queue goes on the heap, but not from a signal handler. */
static SL_COLD unsigned char *alloc_big(uint64_t size) {
  unsigned char *p = sl_tls.no_wait ? NULL : malloc(size);
  if (!p) count_lost();
  return p;
}

/* Queues the heap record `rec` (taking ownership) behind a BIG record, stamping a LOG
   record once it has room, as the small ones are. */
static SL_COLD int push_big(sl_ring *r, unsigned char *rec) {
  uint32_t size = (uint32_t)sl_align8(sizeof(rec_hdr) + sizeof rec);
  unsigned char *p = reserve(r, size);
  if (!p) return free(rec), -1;
  sl_ring_stamp_begin(r);
  uint64_t ts = 0;
  if (rec[4] == REC_LOG) {
    ts = sl_record_ns();
    memcpy(rec + offsetof(rec_hdr, ts_ns), &ts, sizeof ts);
  }
  put_header(p, size, REC_BIG, 0, 0, ts);
  memcpy(p + sizeof(rec_hdr), &rec, sizeof rec);
  sl_ring_commit(r, size);
  sl_ring_stamp_end(r);
  return 0;
}

/* Writes the frame's fields as a FRAME record: records from here on carry them. On
   failure the record that needed it is lost, and counted once. */
static SL_COLD int announce_frame(sl_ring *r, const sl_frame *f) {
  size_t data = f ? f->size : 0;
  uint64_t size = sl_align8(sizeof(rec_hdr) + 8 + data);
  unsigned char *p = size > r->big ? alloc_big(size) : reserve(r, size);
  if (!p) return -1; /* counted */
  uint64_t id = sl_frame_id(f);
  put_header(p, (uint32_t)size, REC_FRAME, f ? f->nfields : 0, 0, 0);
  memcpy(p + sizeof(rec_hdr), &id, 8);
  if (data) memcpy(p + sizeof(rec_hdr) + 8, f->data, data);
  if (size > r->big) {
    if (push_big(r, p)) return -1;
  } else {
    sl_ring_commit(r, size);
  }
  r->announced_frame = id;
  return 0;
}

/* The event's bytes, unless a literal (read where it is). */
static size_t event_tail_size(sl__text event) {
  return event.literal || event.len == UINT32_MAX ? 0 : event.len;
}

/* Sends the current span's ids (or that there are none) as an IDS record: records from
   here on carry them. On failure the record that needed it is lost (reserve counts it). */
static SL_COLD int announce_span(sl_ring *r, const sl_span_slot *span) {
  uint64_t size = sizeof(rec_hdr) + (span->valid ? REC_IDS_SIZE : 0);
  unsigned char *p = reserve(r, size);
  if (!p) return -1;
  put_header(p, (uint32_t)size, REC_IDS, 0, span->valid ? REC_HAS_SPAN : 0, 0);
  ((rec_hdr *)(void *)p)->reserved = span->trace_flags; /* for OTLP's LogRecord.flags */
  if (span->valid) {
    memcpy(p + sizeof(rec_hdr), span->trace_id, 16);
    memcpy(p + sizeof(rec_hdr) + 16, span->span_id, 8);
  }
  sl_ring_commit(r, size);
  r->announced_span = span->stamp;
  return 0;
}

/* A bound logger's pairs (bound, NULL for a plain call) add their count and size after the
   event, and their encoded bytes at the end: a copy, so the record outlives the logger. */
static SL_ALWAYS_INLINE uint64_t log_record_size(sl__text event, const sl_arg *args, int nargs, uint32_t *value_len,
                                                 const sl_bound *bound) {
  uint64_t size = sizeof(rec_hdr) + sizeof event.ptr + (uint64_t)nargs * sizeof(rec_slot) + event_tail_size(event);
  for (int i = 0; i < nargs; i++) size += rec_arg_tail_size(&args[i], &value_len[i]);
  if (bound) size += REC_BOUND_HEAD + (bound->fields ? bound->fields->size : 0);
  return sl_align8(size);
}

/* The bound logger's part of a LOG record: its logger, its count and size at o, its
   bytes at tail. */
static SL_ALWAYS_INLINE void put_bound(unsigned char *p, unsigned char *o, unsigned char *tail, const sl_bound *bound) {
  rec_hdr *h = (rec_hdr *)(void *)p;
  const sl_frame *f = bound->fields;
  h->flags |= REC_HAS_BOUND;
  h->logger = (const rec_logger *)(const void *)bound->head.logger;
  rec_put_u32(rec_put_u32(o, f ? f->nfields : 0), f ? (uint32_t)f->size : 0);
  if (f) memcpy(tail, f->data, f->size);
}

/* A LOG record's header: its call site's level, logger and location (the compiler drops
   put_header's stores that these replace). */
static SL_ALWAYS_INLINE void put_log_header(unsigned char *p, uint32_t size, const sl__callsite *cs, uint32_t nfields,
                                            sl__text event, uint64_t ts) {
  /* Decided here, per record: what a record shows does not change once it is made. */
  const sl__location *loc = atomic_load_explicit(&callsite_on, memory_order_relaxed) ? cs->loc : NULL;
  put_header(p, size, REC_LOG, nfields, event.literal ? REC_EVENT_LITERAL : 0, ts);
  rec_hdr *h = (rec_hdr *)(void *)p;
  h->level = cs->level;
  h->event_len = event.len;
  h->logger = (const rec_logger *)(const void *)cs->logger;
  h->loc = loc;
}

static SL_ALWAYS_INLINE void put_log_record(unsigned char *p, uint64_t size, uint64_t ts, const sl__callsite *cs,
                                            sl__text event, const sl_arg *args, int nargs,
                                            const uint32_t *value_len, const sl_bound *bound) {
  put_log_header(p, (uint32_t)size, cs, (uint32_t)nargs, event, ts);
  unsigned char *o = p + sizeof(rec_hdr);
  memcpy(o, &event.ptr, sizeof event.ptr);
  rec_slot *slots = (rec_slot *)(void *)(o + sizeof event.ptr + (bound ? REC_BOUND_HEAD : 0));
  unsigned char *tail = (unsigned char *)(slots + nargs);
  size_t event_bytes = event_tail_size(event);
  rec_copy(tail, event.ptr, event_bytes);
  tail += event_bytes;
  for (int i = 0; i < nargs; i++) tail = rec_put_arg(&slots[i], tail, &args[i], value_len[i]);
  if (bound) put_bound(p, o + sizeof event.ptr, tail, bound);
}

/* A call with more pairs than the macros make (a direct call): cut to what they allow; a
   negative count is none. */
static SL_COLD int clamp_args(int nargs) {
  if (nargs < 0) return 0;
  static _Atomic int reported;
  if (!atomic_exchange(&reported, 1))
    sl_diag("spanlog: a call passed %d fields; keeping the first %d", nargs, STACK_FIELDS);
  return STACK_FIELDS;
}

/* The thread's first record: a queue of its own, handed back when the thread ends. NULL
   (the record counted as lost) without memory, or from a signal handler that interrupted
   this very step, or from log_signal_safe (which takes no lock). */
static SL_COLD sl_ring *attach_thread(void) {
  if (sl_tls.attaching || sl_tls.no_wait) {
    count_lost();
    return NULL;
  }
  sl_tls.attaching = 1;
  atomic_signal_fence(memory_order_seq_cst);
  sl_tls.ring = sl_queues_acquire();
  atomic_signal_fence(memory_order_seq_cst);
  sl_tls.attaching = 0;
  if (!sl_tls.ring) count_lost();
  else sl_thread_hook_exit();
  return sl_tls.ring;
}

/* Shut down: nobody else will write what this thread queued. */
static void drain_if_shut_down(void) {
  if (SL_UNLIKELY(atomic_load_explicit(&sl_queues_mode_now, memory_order_relaxed) == SL_QUEUES_SYNC) &&
      !sl_tls.no_wait)
    sl_queues_consumer.drain_here();
}

static int capture_record(sl_ring *r, int kind, uint64_t ts_ns, size_t payload,
                          void (*fill)(unsigned char *, const void *), const void *item) {
  uint64_t size = sl_align8(sizeof(rec_hdr) + payload);
  if (size > r->big) {
    unsigned char *rec = alloc_big(size);
    if (!rec) return -1;
    put_header(rec, (uint32_t)size, kind, 0, 0, ts_ns);
    fill(rec + sizeof(rec_hdr), item);
    if (push_big(r, rec)) return -1;
  } else {
    unsigned char *p = reserve(r, size);
    if (!p) return -1;
    sl_ring_stamp_begin(r);
    put_header(p, (uint32_t)size, kind, 0, 0, ts_ns);
    fill(p + sizeof(rec_hdr), item);
    sl_ring_commit(r, size);
    sl_ring_stamp_end(r);
  }
  drain_if_shut_down();
  return 0;
}

/* bound: the bound logger the record goes through, NULL for a plain call (a constant
   there: the plain call's code is what it was without bound loggers). */
static SL_ALWAYS_INLINE void emit(sl_ring *r, sl__callsite *cs, sl__text event, const sl_arg *args, int nargs,
                                  const sl_bound *bound) {
  const sl_context *ctx = sl_context_current();
  if (SL_UNLIKELY(sl_frame_id(ctx->frame) != r->announced_frame) && announce_frame(r, ctx->frame))
    return;
  if (SL_UNLIKELY(ctx->span.stamp != r->announced_span) && announce_span(r, &ctx->span)) return;
  if (SL_UNLIKELY((unsigned)nargs > STACK_FIELDS)) nargs = clamp_args(nargs);

  uint32_t value_len[STACK_FIELDS];
  uint64_t size = log_record_size(event, args, nargs, value_len, bound);
  if (SL_LIKELY(size <= r->big)) {
    unsigned char *p = reserve(r, size);
    if (!p) return; /* dropped and counted */
    /* Stamped once it has room: a producer that waited for room cannot queue a record
       older than what other threads queued meanwhile. */
    sl_ring_stamp_begin(r);
    put_log_record(p, size, sl_record_ns(), cs, event, args, nargs, value_len, bound);
    sl_ring_commit(r, size);
    sl_ring_stamp_end(r);
  } else {
    unsigned char *p = alloc_big(size);
    if (!p) return;
    put_log_record(p, size, 0, cs, event, args, nargs, value_len, bound);
    if (push_big(r, p)) return;
  }
  drain_if_shut_down();
}

/* ---- the entry points: one writer of a thread's queue at a time ----
 * A signal handler that logs while the thread it interrupted is writing its queue would
 * write its record where the interrupted one is being written: its record is dropped and
 * counted instead (sl_ring_writing_begin). */

/* The calling thread's queue, free to write; NULL (counted) if there is none. */
static SL_ALWAYS_INLINE sl_ring *writable_ring(void) {
  sl_ring *r = sl_tls.ring;
  if (SL_UNLIKELY(!r) && !(r = attach_thread())) return NULL;
  if (SL_UNLIKELY(r->writing)) {
    count_lost();
    return NULL;
  }
  return r;
}

void sl__emit(sl__callsite *cs, sl__text event, const sl_arg *args, int nargs) {
  sl_ring *r = writable_ring();
  if (!r) return;
  sl_ring_writing_begin(r);
  emit(r, cs, event, args, nargs, NULL);
  sl_ring_writing_end(r);
}

/* A record through a bound logger: its level and location from cs, its logger and its
   bound pairs from b (the macros call this only when b lets the level pass). */
void sl__emit_bound(sl__callsite *cs, const sl_bound *b, sl__text event, const sl_arg *args, int nargs) {
  sl_ring *r = b ? writable_ring() : NULL;
  if (!r) return;
  sl_ring_writing_begin(r);
  emit(r, cs, event, args, nargs, b);
  sl_ring_writing_end(r);
}

int sl_capture_record(int kind, uint64_t ts_ns, size_t payload, void (*fill)(unsigned char *, const void *),
                      const void *item) {
  sl_ring *r = writable_ring();
  if (!r) return -1;
  sl_ring_writing_begin(r);
  int rc = capture_record(r, kind, ts_ns, payload, fill, item);
  sl_ring_writing_end(r);
  return rc;
}

/* For signal handlers: only a queue the thread already has, only the room it has now,
   no heap, no lock; the record is written by the backend as usual (after sl_shutdown,
   by the thread's next ordinary call). The level is checked only if the statement has
   been registered by an ordinary call (registering takes a lock): else it is kept, and
   its logger is the default one. */
void sl__emit_signal_safe(sl__callsite *cs, sl__text event, const sl_arg *args, int nargs) {
  int interest = __atomic_load_n(&cs->interest, __ATOMIC_ACQUIRE);
  if (interest < 0) return;
  sl__callsite unregistered = *cs;
  if (interest == 0) unregistered.logger = NULL, cs = &unregistered;
  sl_tls.no_wait = 1;
  sl__emit(cs, event, args, nargs);
  sl_tls.no_wait = 0;
}
