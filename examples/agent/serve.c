/* Serving: the agent loop of one request (invoke_agent, chat and execute_tool spans), a
 * thread pool, and a scheduler of ucontext coroutines on one thread. Every request has a
 * context object of its own: its user_id binding and its spans follow it from worker to
 * worker, or from coroutine switch to coroutine switch. */
#define _GNU_SOURCE
#define SPANLOG_LOGGER "agent"
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>

#include "agent.h"

/* ---- one request ---- */

void json_quote(const char *s, char *out, size_t size) {
  size_t o = 0;
  out[o++] = '"';
  for (; *s && o + 3 < size; s++) {
    if (*s == '"' || *s == '\\') out[o++] = '\\';
    out[o++] = *s;
  }
  out[o++] = '"';
  out[o] = 0;
}

static void record_input(const request *req) {
  char msg[sizeof req->message * 2 + 3], input[sizeof msg + 64];
  json_quote(req->message, msg, sizeof msg);
  snprintf(input, sizeof input, "{\"user_id\":\"%s\",\"message\":%s}", req->user_id, msg);
  sl_replay_record_input(input);
}

/* Runs the calls of one model turn; a call that times out is tried once more. */
static void run_tools(request *req, conversation *c, const turn *t) {
  for (int i = 0; i < t->ncalls; i++) {
    int rc = dispatch_tool(req, &t->calls[i], 1, c->results[c->step], RESULT_MAX);
    if (rc && strncmp(c->results[c->step], "timeout", 7) == 0) {
      log_event("tool.retry", "tool", t->calls[i].name, "call_id", t->calls[i].id, "attempt", 2);
      rc = dispatch_tool(req, &t->calls[i], 2, c->results[c->step], RESULT_MAX);
    }
    c->failed[c->step] = rc != 0;
  }
}

/* One model call in its chat span; 1 when the model has answered. */
static int chat(request *req, conversation *c, turn *t) {
  static const char *const model = "claude-sonnet-4-5";
  sl_span *span = sl_genai_chat("anthropic", model);
  req->wait(20);
  model_next(c, t);
  char id[32];
  snprintf(id, sizeof id, "msg_%02d_%d", req->index, c->step);
  sl_genai_response(span, model, id, &t->finish_reason, 1);
  sl_genai_usage(span, t->input_tokens, t->output_tokens);
  log_event("model.turn", "finish_reason", t->finish_reason, "tool_calls", t->ncalls);
  sl_span_end(span);
  return t->ncalls == 0;
}

void run_request(request *req) {
  sl_span *agent = sl_genai_invoke_agent("research-assistant", NULL);
  char tp[56];
  sl_traceparent_format(agent, tp);
  snprintf(req->trace_id, sizeof req->trace_id, "%.32s", tp + 3);
  log_bind("user_id", req->user_id);
  if (req->record) record_input(req);
  log_event("request.start", "message", req->message, "runner", req->runner);
  conversation c = {.req = req};
  turn t;
  for (c.step = 0; c.step < MAX_STEPS; c.step++) {
    if (chat(req, &c, &t)) break;
    run_tools(req, &c, &t);
  }
  snprintf(req->answer, sizeof req->answer, "%s", t.ncalls ? "I ran out of steps." : t.text);
  req->failed = t.gave_up || t.ncalls;
  log_event("agent.answer", "answer", req->answer);
  if (req->record) {
    char out[ANSWER_MAX * 2 + 3];
    json_quote(req->answer, out, sizeof out);
    sl_replay_record_output(out);
  }
  if (req->failed) sl_span_error(agent, "tool_error", req->answer);
  sl_span_end(agent);
}

/* ---- a thread pool ---- */

static void thread_wait(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

typedef struct pool {
  request *reqs;
  int n, next;
  pthread_mutex_t lock;
} pool;

static void *worker(void *arg) {
  pool *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->lock);
    int i = p->next;
    p->next += 2;
    pthread_mutex_unlock(&p->lock);
    if (i >= p->n) return NULL;
    request *req = &p->reqs[i];
    req->wait = thread_wait, req->runner = "thread";
    sl_context *ctx = sl_context_new(), *prev = sl_context_swap(ctx);
    run_request(req);
    sl_context_swap(prev);
    sl_context_free(ctx);
  }
}

/* ---- coroutines: one thread, each request a coroutine that yields while it waits ---- */

#define CORO_STACK (256 * 1024)

typedef struct coro {
  ucontext_t uc;
  request *req;
  sl_context *ctx;
  uint64_t wake_ns;
  int done;
  char *stack;
} coro;

static _Thread_local coro *running;
static _Thread_local ucontext_t scheduler;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void coro_wait(int ms) {
  running->wake_ns = now_ns() + (uint64_t)ms * 1000000u;
  swapcontext(&running->uc, &scheduler);
}

static void coro_main(void) {
  run_request(running->req);
  running->done = 1;
}

/* The coroutine to run next: the one that wakes first. */
static coro *next_coro(coro *cs, int n) {
  coro *best = NULL;
  for (int i = 0; i < n; i++)
    if (!cs[i].done && (!best || cs[i].wake_ns < best->wake_ns)) best = &cs[i];
  return best;
}

static void run_coroutines(coro *cs, int n) {
  for (coro *c; (c = next_coro(cs, n));) {
    uint64_t now = now_ns();
    if (c->wake_ns > now) thread_wait((int)((c->wake_ns - now + 999999) / 1000000));
    running = c;
    sl_context *prev = sl_context_swap(c->ctx); /* the coroutine's context while it runs */
    swapcontext(&scheduler, &c->uc);
    sl_context_swap(prev);
  }
}

static void *coroutine_thread(void *arg) {
  pool *p = arg;
  int n = p->n / 2;
  coro *cs = calloc((size_t)(n ? n : 1), sizeof *cs);
  for (int i = 0; i < n; i++) {
    coro *c = &cs[i];
    c->req = &p->reqs[2 * i + 1];
    c->req->wait = coro_wait, c->req->runner = "coroutine";
    c->ctx = sl_context_new();
    c->stack = malloc(CORO_STACK);
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = c->stack;
    c->uc.uc_stack.ss_size = CORO_STACK;
    c->uc.uc_link = &scheduler;
    makecontext(&c->uc, coro_main, 0);
  }
  run_coroutines(cs, n);
  for (int i = 0; i < n; i++) sl_context_free(cs[i].ctx), free(cs[i].stack);
  free(cs);
  return NULL;
}

void serve(request *reqs, int n, int threads) {
  pool p = {reqs, n, 0, PTHREAD_MUTEX_INITIALIZER};
  pthread_t co, *ws = calloc((size_t)threads, sizeof *ws);
  pthread_create(&co, NULL, coroutine_thread, &p);
  for (int i = 0; i < threads; i++) pthread_create(&ws[i], NULL, worker, &p);
  for (int i = 0; i < threads; i++) pthread_join(ws[i], NULL);
  pthread_join(co, NULL);
  free(ws);
}
