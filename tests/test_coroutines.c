/* The asyncio.gather case: 50 coroutines on one thread (ucontext), each with its own
 * sl_context that the scheduler swaps in when it resumes the coroutine. They bind, log
 * and yield at random points; every record must carry its own coroutine's bindings. */
#include <spanlog.h>
#include <spanlog/testing.h>
#include <ucontext.h>

#include "check.h"
#include "capture/context.h"

#define COROUTINES 50
#define STEPS 40
#define STACK (64 * 1024)

typedef struct coroutine {
  ucontext_t uc;
  sl_context *ctx;
  int id;
  int finished;
  char stack[STACK];
} coroutine;

static coroutine cos[COROUTINES];
static ucontext_t scheduler;
static coroutine *running;
static unsigned seed = 12345;

static unsigned next_random(void) { return seed = seed * 1103515245u + 12345u, seed >> 16; }

static void yield(void) { swapcontext(&running->uc, &scheduler); }

static void maybe_yield(void) {
  if (next_random() % 2) yield();
}

static void body(void) {
  coroutine *self = running;
  char uid[16];
  snprintf(uid, sizeof uid, "u_%d", self->id);
  uint8_t trace[16] = {0}, span[8] = {0};
  trace[15] = (uint8_t)(self->id + 1);
  span[7] = (uint8_t)(self->id + 1);
  sl_context_set_span_ids(sl_context_current(), trace, span);
  maybe_yield();
  log_bind("user_id", uid);
  maybe_yield();
  for (int step = 0; step < STEPS; step++) {
    SL_SCOPE("step", step) {
      maybe_yield();
      log_info("working", "coroutine", self->id, "step", step);
      maybe_yield();
    }
  }
  self->finished = 1;
}

int main(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  for (int i = 0; i < COROUTINES; i++) {
    getcontext(&cos[i].uc);
    cos[i].uc.uc_stack.ss_sp = cos[i].stack;
    cos[i].uc.uc_stack.ss_size = STACK;
    cos[i].uc.uc_link = &scheduler;
    cos[i].id = i;
    cos[i].ctx = sl_context_new();
    makecontext(&cos[i].uc, body, 0);
  }
  log_bind("scheduler", "main");
  /* Round-robin until all finish; the scheduler's own context is swapped out and back. */
  for (int alive = COROUTINES; alive > 0;) {
    alive = 0;
    for (int i = 0; i < COROUTINES; i++) {
      if (cos[i].finished) continue;
      running = &cos[i];
      sl_context *prev = sl_context_swap(cos[i].ctx);
      swapcontext(&scheduler, &cos[i].uc);
      sl_context_swap(prev);
      alive += !cos[i].finished;
    }
  }
  log_info("all done");

  size_t n = sl_capture_count(cap);
  CHECK_INT(n, COROUTINES * STEPS + 1);
  int seen[COROUTINES] = {0};
  long wrong = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    char buf[32], uid[16], trace[33];
    int id = atoi(doc_raw(d, "coroutine", buf, sizeof buf) ? buf : "-1");
    if (id < 0 || id >= COROUTINES) {
      wrong++;
      jl_free(d);
      continue;
    }
    snprintf(uid, sizeof uid, "u_%d", id);
    snprintf(trace, sizeof trace, "%030d%02x", 0, id + 1);
    const char *u = doc_str(d, "user_id"), *t = doc_str(d, "trace_id");
    const char *step = doc_raw(d, "step", buf, sizeof buf);
    if (!u || strcmp(u, uid) || !t || strcmp(t, trace) || doc_has(d, "scheduler") ||
        !step || atoi(step) != seen[id])
      wrong++;
    seen[id]++;
    jl_free(d);
  }
  CHECK_INT(wrong, 0);
  jl_doc *last = PARSE(sl_capture_line(cap, n - 1));
  CHECK_STR(doc_str(last, "scheduler"), "main");
  CHECK(!doc_has(last, "user_id"));
  jl_free(last);
  for (int i = 0; i < COROUTINES; i++) sl_context_free(cos[i].ctx);
  sl_capture_stop(cap);
  return check_exit();
}
