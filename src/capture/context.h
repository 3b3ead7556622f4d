/* Contexts: the bound pairs (a frame) and the current-span slot, per thread or per
 * context object; and the thread-local state that says which context is current. */
#ifndef SL_CONTEXT_H
#define SL_CONTEXT_H

#include <stdint.h>

#include "record/frame.h"
#include "spanlog/context.h"
#include "spanlog/span.h"

/* The span that records made in this context belong to. */
typedef struct sl_span_slot {
  uint8_t trace_id[16];
  uint8_t span_id[8];
  uint8_t valid; /* ids are set */
  uint8_t trace_flags; /* W3C: bit 0 sampled, bit 1 random (SL_TRACE_FLAG_*) */
  uint8_t remote;      /* a span of another process (sl_trace_continue) */
  sl_span *span;       /* the handle of the current span when it is one of ours */
  /* Unique to these ids in the process (0: no ids), copied with them: a queue sends a
     thread's current ids once per change, not with every record. */
  uint64_t stamp;
} sl_span_slot;

struct sl_context {
  sl_frame *frame;
  sl_span_slot span;
  char *tracestate; /* of the remote trace continued in this context, or NULL */
  char *tracestate_local; /* ... as this process's spans send it on, when the sampler changed it */
  struct sl_bag *baggage; /* W3C baggage set in this context; NULL: the process' BAGGAGE */
};

struct sl_ring;

/* Per-thread state. Defined once, in context.c; initial-exec TLS keeps its address a
   fixed offset from the thread pointer, with no call to find it. */
typedef struct sl_thread {
  struct sl_ring *ring; /* this thread's queue, NULL until its first record */
  sl_context *current;  /* an attached context object, or NULL for `own` */
  sl_context own;
  int exit_hook; /* the pthread key is set, so thread_exit runs when it ends */
  /* Making this thread's queue (spanlog may be starting, under its locks): a signal
     handler that logs meanwhile must not do the same (its record is dropped, counted). */
  int attaching;
  /* In sl__emit_signal_safe: no lock, no allocation, no waiting. */
  int no_wait;
  uint64_t stamp_next, stamp_end; /* span slot stamps this thread may hand out */
} sl_thread;

extern _Thread_local sl_thread sl_tls __attribute__((tls_model("initial-exec")));

static inline sl_context *sl_context_current(void) {
  return sl_tls.current ? sl_tls.current : &sl_tls.own;
}

/* A new span slot stamp: from a block of this thread's, so that no two threads share a
   line to count them. */
uint64_t sl_span_stamp_take(void);
static inline uint64_t sl_span_stamp_new(void) {
  return sl_tls.stamp_next != sl_tls.stamp_end ? sl_tls.stamp_next++ : sl_span_stamp_take();
}

/* In a forked child: the queue of the thread that forked is the parent's. */
void sl_context_fork_child(void);
/* Makes sure sl_thread_exit runs when the calling thread ends. */
void sl_thread_hook_exit(void);
/* Test and span hook: sets (ids != NULL) or clears the current span slot of ctx. */
void sl_context_set_span_ids(sl_context *ctx, const uint8_t trace_id[16],
                             const uint8_t span_id[8]);

#endif
