/* A simulated agent server: worker threads serve concurrent requests, each request binds
 * its user and request id once and runs as an invoke_agent span with chat and
 * execute_tool spans inside (OpenTelemetry GenAI conventions), and the tool handlers log
 * with plain log_event calls. Lines of different requests interleave in time, yet each
 * carries its own request's context and trace, so jq can take one request back out:
 *
 *   ./agent_server | jq -c 'select(.request_id == "req-0003")'
 *   ./agent_server | jq -c 'select(.start_time) | {name, trace_id, parent_span_id, duration_ms}'
 *
 * A tool that runs on a separate thread pool gets its request's context handed over with
 * sl_context_fork / sl_context_swap, the way a Python contextvars copy follows a task. */
#define _POSIX_C_SOURCE 200809L
#define SPANLOG_LOGGER "agent"
#include <pthread.h>
#include <spanlog.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define WORKERS 4
#define REQUESTS 12

typedef struct request {
  char id[16];
  const char *user_id;
  const char *question;
} request;

static request requests[REQUESTS];
static int next_request;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;

static void pause_ms(int ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

/* ---- tools ---- */

static int search_tool(const char *query, const char *call_id) {
  sl_span *tool = sl_genai_execute_tool("search_docs", call_id, "function");
  log_event("searching", "query", query, "top_k", 5);
  pause_ms(3);
  int hits = (int)(strlen(query) % 7) + 1;
  sl_span_set(tool, "hits", hits);
  log_event("search.done", "hits", hits, "score", 0.87);
  sl_span_end(tool);
  return hits;
}

static void run_fetch(const char *url);

/* Runs on the fetcher thread, in the context of the request that asked for it. */
typedef struct fetch_job {
  sl_context *ctx;
  const char *url;
  int done;
  pthread_mutex_t lock;
  pthread_cond_t cond;
} fetch_job;

static void *fetcher(void *arg) {
  fetch_job *job = arg;
  sl_context *prev = sl_context_swap(job->ctx);
  log_event("fetching", "url", job->url);
  pause_ms(2);
  log_event("fetch.done", "status", 200, "bytes", 5123u);
  sl_context_swap(prev);
  pthread_mutex_lock(&job->lock);
  job->done = 1;
  pthread_cond_signal(&job->cond);
  pthread_mutex_unlock(&job->lock);
  return NULL;
}

static void fetch_tool(const char *url) {
  SL_SPAN("execute_tool fetch_url", "gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "fetch_url") {
    run_fetch(url);
  }
}

static void run_fetch(const char *url) {
  fetch_job job = {sl_context_fork(), url, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
  pthread_t t;
  pthread_create(&t, NULL, fetcher, &job);
  pthread_mutex_lock(&job.lock);
  while (!job.done) pthread_cond_wait(&job.cond, &job.lock);
  pthread_mutex_unlock(&job.lock);
  pthread_join(t, NULL);
  sl_context_free(job.ctx);
}

/* A model call, simulated: tokens in and out, and the reason it stopped. */
static void chat(const request *r, const char *stop_reason) {
  sl_span *span = sl_genai_chat("anthropic", "claude-sonnet-4-5");
  sl_genai_add_message(span, SL_GENAI_INPUT, "user", r->question, NULL); /* only if capturing */
  pause_ms(2);
  sl_genai_response(span, "claude-sonnet-4-5", "msg_01", &stop_reason, 1);
  sl_genai_usage(span, 1200 + (int64_t)strlen(r->question) * 10, 180);
  sl_span_end(span);
}

/* ---- the request loop ---- */

static void serve(const request *r) {
  log_bind("request_id", r->id, "user_id", r->user_id);
  sl_span *agent = sl_genai_invoke_agent("research-assistant", r->id);
  sl_span_set(agent, "user.id", r->user_id);
  log_info("request.start", "question", r->question);
  chat(r, "tool_use");
  char call_id[32];
  snprintf(call_id, sizeof call_id, "call_%s", r->id);
  int hits = search_tool(r->question, call_id);
  SL_SCOPE("tool", "fetch") { fetch_tool("https://example.com/q3-report"); }
  if (hits < 3) log_warning("few results", "hits", hits);
  chat(r, "end_turn");
  log_info("request.done", "answer_chars", 240 + hits);
  sl_span_end(agent);
}

static void *worker(void *arg) {
  log_bind("worker", (int)(intptr_t)arg);
  for (;;) {
    pthread_mutex_lock(&queue_lock);
    int i = next_request < REQUESTS ? next_request++ : -1;
    pthread_mutex_unlock(&queue_lock);
    if (i < 0) break;
    /* Each request gets a copy of the worker's context: its bindings end with it. */
    sl_context *req = sl_context_fork();
    sl_context *own = sl_context_swap(req);
    serve(&requests[i]);
    sl_context_swap(own);
    sl_context_free(req);
  }
  return NULL;
}

int main(void) {
  static const char *users[] = {"u_8821", "u_1034", "u_5570"};
  static const char *questions[] = {"Q3 invoices", "overdue payments", "vendor list",
                                    "travel expenses"};
  for (int i = 0; i < REQUESTS; i++) {
    snprintf(requests[i].id, sizeof requests[i].id, "req-%04d", i);
    requests[i].user_id = users[i % 3];
    requests[i].question = questions[i % 4];
  }
  log_info("server.start", "workers", WORKERS, "requests", REQUESTS);
  pthread_t t[WORKERS];
  for (int k = 0; k < WORKERS; k++) pthread_create(&t[k], NULL, worker, (void *)(intptr_t)k);
  for (int k = 0; k < WORKERS; k++) pthread_join(t[k], NULL);
  log_info("server.stop");
  return 0; /* everything queued is written at exit */
}
