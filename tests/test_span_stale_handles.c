/* A span handle stays safe after its span ends, even while the span's slot serves a new
 * span on another thread: here one thread starts and ends spans as fast as it can, and
 * publishes each handle, while two others call on whatever handle it last saw, most of them
 * stale by then. Built with ThreadSanitizer, a slot written by sl_span_start without the
 * slot's lock while a call on a stale handle reads it under the lock is a data race,
 * reported and failed; in every build, the calls must not touch the new spans: no span
 * line carries the attribute the stale calls set, unless its own handle was current. */
#include <pthread.h>
#include <stdatomic.h>

#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

#define ROUNDS 60000

static _Atomic(sl_span *) published;
static atomic_int done;

static void *starter(void *arg) {
  (void)arg;
  for (int i = 0; i < ROUNDS; i++) {
    sl_span *s = sl_span_start("churn", "round", i);
    atomic_store(&published, s);
    sl_span_end(s);
  }
  atomic_store(&done, 1);
  return NULL;
}

static void *stale_caller(void *arg) {
  long *calls = arg;
  char tid[33], sid[17], tp[56];
  while (!atomic_load(&done)) {
    sl_span *h = atomic_load(&published);
    sl_span_set(h, "stale", 1);
    sl_span_event(h, "stale_event");
    (void)sl_span_is_sampled(h);
    (void)sl_span_ids(h, tid, sid);
    (void)sl_traceparent_format(h, tp);
    sl_span_set_kind(h, SL_SPAN_CLIENT);
    sl_span_end(h); /* ends it early at most: the starter's end is then a no-op */
    (*calls)++;
  }
  return NULL;
}

static void stale_handles_never_touch_a_reused_slot(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  pthread_t a, b[2];
  long calls[2] = {0, 0};
  pthread_create(&a, NULL, starter, NULL);
  for (int i = 0; i < 2; i++) pthread_create(&b[i], NULL, stale_caller, &calls[i]);
  pthread_join(a, NULL);
  for (int i = 0; i < 2; i++) pthread_join(b[i], NULL);
  CHECK(calls[0] > 0 && calls[1] > 0);
  size_t n = sl_capture_count(cap);
  CHECK_INT(n, ROUNDS); /* every span written once, whoever ended it */
  for (size_t i = 0; i < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    jl_free(d);
  }
  sl_capture_stop(cap);
}

int main(void) {
  RUN(stale_handles_never_touch_a_reused_slot);
  return check_exit();
}
