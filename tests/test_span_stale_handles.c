/* A span handle stays safe after its span ends, even while the span's slot serves a new
 * span on another thread: here one thread starts and ends spans as fast as it can, and
 * publishes each handle, while two others call on whatever handle it last saw, most of them
 * stale by then. Built with ThreadSanitizer, a slot written by sl_span_start without the
 * slot's lock while a call on a stale handle reads it under the lock is a data race,
 * reported and failed; in every build, the calls must not touch the new spans: an
 * attribute set through a handle names the span the handle was read from, and must be on
 * that span's line; and every round's span is written once. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

#define ROUNDS 60000

static _Atomic(sl_span *) published;
static atomic_int done, ready;
static _Atomic uint64_t set_on_id; /* the span id a caller last set as set_on */

static uint64_t id_value(const char sid[17]) { return strtoull(sid, NULL, 16); }

/* Once, halfway, the starter keeps its span until a set has surely landed on it: so that
   the check of where sets land has one to judge, however threads are scheduled. Either a
   caller says it set set_on on this span, or a caller ended the span, which it does only
   after its own set on it (made while the span was live, as no one had ended it). The id
   a caller stores may be overwritten by one read earlier from the span before, hence the
   second way out. */
static void wait_for_a_set(sl_span *s) {
  char tid[33], sid[17], still[17];
  if (sl_span_ids(s, tid, sid) != 0) return;
  while (atomic_load(&set_on_id) != id_value(sid) && sl_span_ids(s, tid, still) == 0) sched_yield();
}

static void *starter(void *arg) {
  (void)arg;
  while (atomic_load(&ready) < 2) sched_yield(); /* the stale callers are calling */
  for (int i = 0; i < ROUNDS; i++) {
    sl_span *s = sl_span_start("churn", "round", i);
    atomic_store(&published, s);
    if (i == ROUNDS / 2) wait_for_a_set(s);
    sl_span_end(s);
  }
  atomic_store(&done, 1);
  return NULL;
}

static void *stale_caller(void *arg) {
  (void)arg;
  char tid[33], sid[17], tp[56];
  int first = 1;
  while (!atomic_load(&done)) {
    sl_span *h = atomic_load(&published);
    /* The id read while h may still be current, set after it may have gone stale: a set
       that reached the slot's next span would carry another span's id. */
    if (sl_span_ids(h, tid, sid) == 0) {
      sl_span_set(h, "set_on", sid);
      atomic_store(&set_on_id, id_value(sid));
    }
    sl_span_event(h, "stale_event");
    (void)sl_span_is_sampled(h);
    (void)sl_traceparent_format(h, tp);
    sl_span_set_kind(h, SL_SPAN_CLIENT);
    sl_span_end(h); /* ends it early at most: the starter's end is then a no-op */
    if (first) first = 0, atomic_fetch_add(&ready, 1);
  }
  return NULL;
}

static void stale_handles_never_touch_a_reused_slot(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  pthread_t a, b[2];
  pthread_create(&a, NULL, starter, NULL);
  for (int i = 0; i < 2; i++) pthread_create(&b[i], NULL, stale_caller, NULL);
  pthread_join(a, NULL);
  for (int i = 0; i < 2; i++) pthread_join(b[i], NULL);
  size_t n = sl_capture_count(cap);
  CHECK_INT(n, ROUNDS); /* every span written once, whoever ended it */
  static unsigned char seen[ROUNDS];
  size_t once = 0, sets = 0;
  for (size_t i = 0; i < n; i++) { /* and each round's own: none lost, none twice */
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    long at = d ? jl_find(d, "attributes") : -1;
    size_t len = 0;
    const char *attrs = at >= 0 ? jl_raw(d, (size_t)at, &len) : NULL;
    const char *round = attrs ? memmem(attrs, len, "\"round\":", 8) : NULL;
    long r = round ? strtol(round + 8, NULL, 10) : -1;
    if (r >= 0 && r < ROUNDS && !seen[r]++) once++;
    const char *set_on = attrs ? memmem(attrs, len, "\"set_on\":\"", 10) : NULL;
    size_t sid_len = 0;
    long sid = d ? jl_find(d, "span_id") : -1;
    const char *own = sid >= 0 ? jl_str(d, (size_t)sid, &sid_len) : NULL;
    if (set_on) {
      sets++;
      CHECK(own && sid_len == 16 && memcmp(set_on + 10, own, 16) == 0);
    }
    jl_free(d);
  }
  CHECK_INT(once, ROUNDS);
  CHECK(sets > 0); /* at least the one the starter waited for */
  sl_capture_stop(cap);
}

int main(void) {
  RUN(stale_handles_never_touch_a_reused_slot);
  return check_exit();
}
