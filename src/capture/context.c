#include "capture/context.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "record/queues.h"
#include "capture/baggage.h"
#include "capture/span_internal.h"

_Thread_local sl_thread sl_tls __attribute__((tls_model("initial-exec")));

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* Runs when a thread that logged or bound something ends: its queue is handed to the
   backend to drain and free (no record is lost), and its own bindings are released. */
static void thread_exit(void *unused) {
  (void)unused;
  if (sl_tls.ring) sl_queues_release(sl_tls.ring);
  sl_tls.ring = NULL;
  sl_frame_release(sl_tls.own.frame);
  sl_tls.own.frame = NULL;
  free(sl_tls.own.tracestate);
  free(sl_tls.own.tracestate_local);
  sl_tls.own.tracestate = sl_tls.own.tracestate_local = NULL;
  sl_bag_free(sl_tls.own.baggage);
  sl_tls.own.baggage = NULL;
  sl_span_thread_exit();
  sl_tls.current = NULL;
  sl_tls.exit_hook = 0;
}

void sl_context_fork_child(void) { sl_tls.ring = NULL; }

static void make_exit_key(void) {
  if (pthread_key_create(&exit_key, thread_exit) != 0) abort();
}

void sl_thread_hook_exit(void) {
  if (sl_tls.exit_hook) return;
  pthread_once(&exit_key_once, make_exit_key);
  /* Any non-NULL value makes the destructor run. */
  if (pthread_setspecific(exit_key, &sl_tls) == 0) sl_tls.exit_hook = 1;
}

#define STAMP_BLOCK ((uint64_t)1 << 16)
/* The next block of stamps; 0 is never handed out (it stands for no ids). */
static _Atomic uint64_t stamp_blocks = STAMP_BLOCK;

uint64_t sl_span_stamp_take(void) {
  sl_tls.stamp_next = atomic_fetch_add_explicit(&stamp_blocks, STAMP_BLOCK, memory_order_relaxed);
  sl_tls.stamp_end = sl_tls.stamp_next + STAMP_BLOCK;
  return sl_tls.stamp_next++;
}

sl_context *sl_context_new(void) { return calloc(1, sizeof(sl_context)); }

sl_context *sl_context_fork(void) {
  sl_context *cur = sl_context_current();
  sl_context *c = malloc(sizeof *c);
  if (!c) return NULL;
  c->tracestate = cur->tracestate ? strdup(cur->tracestate) : NULL;
  c->tracestate_local = cur->tracestate_local ? strdup(cur->tracestate_local) : NULL;
  c->baggage = cur->baggage ? sl_bag_copy(cur->baggage) : NULL;
  if ((cur->tracestate && !c->tracestate) || (cur->tracestate_local && !c->tracestate_local) ||
      (cur->baggage && !c->baggage))
    return free(c->tracestate), free(c->tracestate_local), sl_bag_free(c->baggage), free(c), NULL;
  c->frame = sl_frame_ref(cur->frame);
  c->span = cur->span;
  return c;
}

sl_context *sl_context_swap(sl_context *c) {
  sl_context *prev = sl_tls.current;
  sl_tls.current = c == &sl_tls.own ? NULL : c;
  return prev;
}

void sl_context_free(sl_context *c) {
  if (!c || c == &sl_tls.own) return;
  if (sl_tls.current == c) sl_tls.current = NULL;
  sl_frame_release(c->frame);
  free(c->tracestate);
  free(c->tracestate_local);
  sl_bag_free(c->baggage);
  free(c);
}

/* Replaces the current context's frame by next (whose reference it takes). */
static void set_frame(sl_context *c, sl_frame *next) {
  sl_frame *old = c->frame;
  c->frame = next;
  sl_frame_release(old);
}

/* Binding without memory leaves the context as it was; the failure is reported once,
   not per call, since the record that follows will still be written. */
static void report_oom(const char *what) {
  static _Atomic int reported;
  if (!atomic_exchange(&reported, 1)) sl_diag("spanlog: out of memory in %s; bindings unchanged", what);
}

void sl__bind(const sl_arg *args, int nargs) {
  sl_context *c = sl_context_current();
  sl_frame *next;
  if (sl_frame_bind(&next, c->frame, args, nargs)) {
    report_oom("log_bind");
    return;
  }
  if (c == &sl_tls.own) sl_thread_hook_exit();
  set_frame(c, next);
}

void sl__unbind(const char *const *keys, int nkeys) {
  sl_context *c = sl_context_current();
  sl_frame *next;
  if (sl_frame_unbind(&next, c->frame, keys, nkeys)) {
    report_oom("log_unbind");
    return;
  }
  set_frame(c, next);
}

void sl__clear(void) { set_frame(sl_context_current(), NULL); }

typedef struct scope_state {
  sl_frame *saved; /* the frame before the scope */
  sl_frame *keys;  /* the scope's own pairs: the keys to restore */
} scope_state;

sl__scope sl__scope_begin(const sl_arg *args, int nargs) {
  sl__scope s = {sl_context_current(), NULL, 1};
  scope_state *st = malloc(sizeof *st);
  sl_frame *next;
  if (!st || sl_frame_bind(&st->keys, NULL, args, nargs)) {
    free(st);
    report_oom("SL_SCOPE");
    return s;
  }
  if (sl_frame_bind(&next, s.context->frame, args, nargs)) {
    sl_frame_release(st->keys);
    free(st);
    report_oom("SL_SCOPE");
    return s;
  }
  st->saved = sl_frame_ref(s.context->frame);
  if (s.context == &sl_tls.own) sl_thread_hook_exit();
  set_frame(s.context, next);
  s.saved = st;
  return s;
}

/* Restores only the scope's keys: bindings made inside the block under other keys stay,
   and scopes ended out of order still leave each key as its own scope found it. */
void sl__scope_end(sl__scope *s) {
  scope_state *st = s->saved;
  if (!st) return;
  s->saved = NULL;
  sl_frame *next;
  if (sl_frame_restore(&next, s->context->frame, st->saved, st->keys) == 0) set_frame(s->context, next);
  else report_oom("SL_SCOPE end");
  sl_frame_release(st->saved);
  sl_frame_release(st->keys);
  free(st);
}

void sl_context_set_span_ids(sl_context *ctx, const uint8_t trace_id[16], const uint8_t span_id[8]) {
  if (!trace_id || !span_id) {
    memset(&ctx->span, 0, sizeof ctx->span);
    return;
  }
  memcpy(ctx->span.trace_id, trace_id, 16);
  memcpy(ctx->span.span_id, span_id, 8);
  ctx->span.valid = 1;
  ctx->span.stamp = sl_span_stamp_new();
}
