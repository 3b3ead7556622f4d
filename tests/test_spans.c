/* Spans: an agent run read back as a tree, the lifecycle's edge cases, concurrent
 * requests on threads and on context objects, and W3C traceparent in and out. */
#define SPANLOG_LOGGER "agent"
#include <pthread.h>
#include <spanlog.h>
#include <spanlog/testing.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static sl_capture *cap;

/* ---- reading spans back ---- */

typedef struct span_rec {
  char name[96], trace[33], span[17], parent[17], kind[16], status[16];
  char start[40], end[40];
  jl_doc *doc;
} span_rec;

#define MAX_RECS 4096
static span_rec spans[MAX_RECS];
static size_t nspans;
static jl_doc *logs[MAX_RECS];
static size_t nlogs;

static void copy_str(char *dst, size_t size, const jl_doc *d, const char *key) {
  const char *v = doc_str(d, key);
  snprintf(dst, size, "%s", v ? v : "");
}

static void forget(void) {
  for (size_t i = 0; i < nspans; i++) jl_free(spans[i].doc);
  for (size_t i = 0; i < nlogs; i++) jl_free(logs[i]);
  nspans = nlogs = 0;
}

/* Splits what the capture holds into spans (they have start_time) and log records. */
static void collect(void) {
  forget();
  size_t n = sl_capture_count(cap);
  for (size_t i = 0; i < n && nspans < MAX_RECS && nlogs < MAX_RECS; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    if (!d) continue;
    if (!doc_has(d, "start_time")) {
      logs[nlogs++] = d;
      continue;
    }
    span_rec *s = &spans[nspans++];
    s->doc = d;
    copy_str(s->name, sizeof s->name, d, "name");
    copy_str(s->trace, sizeof s->trace, d, "trace_id");
    copy_str(s->span, sizeof s->span, d, "span_id");
    copy_str(s->parent, sizeof s->parent, d, "parent_span_id");
    copy_str(s->kind, sizeof s->kind, d, "kind");
    copy_str(s->start, sizeof s->start, d, "start_time");
    copy_str(s->end, sizeof s->end, d, "end_time");
    char raw[256];
    const char *status = doc_raw(d, "status", raw, sizeof raw);
    snprintf(s->status, sizeof s->status, "%s",
             !status ? "" : strstr(status, "\"error\"") ? "error" : strstr(status, "\"ok\"") ? "ok" : "unset");
  }
  sl_capture_clear(cap);
}

static span_rec *find_span(const char *name) {
  for (size_t i = 0; i < nspans; i++)
    if (strcmp(spans[i].name, name) == 0) return &spans[i];
  return NULL;
}

static span_rec *span_by_id(const char *id) {
  for (size_t i = 0; i < nspans; i++)
    if (strcmp(spans[i].span, id) == 0) return &spans[i];
  return NULL;
}

/* The attribute's raw JSON text in a span line. */
static const char *attr(const span_rec *s, const char *key, char *buf, size_t size) {
  char all[4096];
  if (!doc_raw(s->doc, "attributes", all, sizeof all)) return NULL;
  char pattern[128];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char *p = strstr(all, pattern);
  if (!p) return NULL;
  p += strlen(pattern);
  size_t n = 0;
  int depth = 0, in_str = 0;
  for (; p[n] && (in_str || depth || (p[n] != ',' && p[n] != '}')); n++) {
    if (in_str) {
      if (p[n] == '\\') n++;
      else if (p[n] == '"') in_str = 0;
    } else if (p[n] == '"') in_str = 1;
    else if (p[n] == '[' || p[n] == '{') depth++;
    else if (p[n] == ']' || p[n] == '}') depth--;
  }
  if (n >= size) return NULL;
  memcpy(buf, p, n);
  buf[n] = 0;
  return buf;
}

/* child starts no earlier and ends no later than its parent (same clock, fixed width). */
static int within(const span_rec *child, const span_rec *parent) {
  return strcmp(child->start, parent->start) >= 0 && strcmp(child->end, parent->end) <= 0;
}

/* ---- an agent run ---- */

static void tool_call(const char *name, const char *call_id, const char *query) {
  sl_span *tool = sl_genai_execute_tool(name, call_id, "function");
  sl_span_set(tool, "query", query);
  log_event("searching", "query", query, "top_k", 5);
  sl_span_set(tool, "result.chunks", 5);
  sl_span_end(tool);
}

static void agent_run(const char *user) {
  sl_span *agent = sl_genai_invoke_agent("research-assistant", "conv-1");
  sl_span_set(agent, "user.id", user);
  log_info("request.start");
  sl_span *chat = sl_genai_chat("anthropic", "claude-sonnet-4-5");
  const char *tool_use[] = {"tool_use"};
  sl_genai_response(chat, "claude-sonnet-4-5-20250929", "msg_01", tool_use, 1);
  sl_genai_usage(chat, 2341, 412);
  sl_genai_usage_detail(chat, 1024, -1, 100);
  log_info("model.called");
  tool_call("search_docs", "call_1", "Q3 invoices");
  tool_call("search_docs", "call_2", "Q3 2025");
  sl_span_end(chat);
  sl_span *synth = sl_genai_chat("anthropic", "claude-sonnet-4-5");
  const char *stop[] = {"end_turn"};
  sl_genai_response(synth, NULL, "msg_02", stop, 1);
  sl_genai_usage(synth, 2753, 200);
  sl_span_end(synth);
  sl_span_set_status(agent, SL_STATUS_OK, NULL);
  sl_span_end(agent);
}

static void an_agent_run_reads_back_as_a_tree(void) {
  agent_run("u_8821");
  collect();
  CHECK_INT(nspans, 5);
  span_rec *agent = find_span("invoke_agent research-assistant");
  CHECK(agent != NULL);
  if (!agent) return;
  CHECK_STR(agent->parent, ""); /* null: a root */
  CHECK_STR(agent->kind, "internal");
  CHECK_STR(agent->status, "ok");
  char buf[256];
  CHECK_STR(attr(agent, "gen_ai.operation.name", buf, sizeof buf), "\"invoke_agent\"");
  CHECK_STR(attr(agent, "gen_ai.agent.name", buf, sizeof buf), "\"research-assistant\"");
  CHECK_STR(attr(agent, "gen_ai.conversation.id", buf, sizeof buf), "\"conv-1\"");

  int chats = 0, tools = 0;
  for (size_t i = 0; i < nspans; i++) {
    span_rec *s = &spans[i];
    CHECK_STR(s->trace, agent->trace);
    if (s == agent) continue;
    span_rec *parent = span_by_id(s->parent);
    CHECK(parent != NULL);
    if (parent) CHECK(within(s, parent));
    if (strcmp(s->name, "chat claude-sonnet-4-5") == 0) {
      chats++;
      CHECK_STR(s->parent, agent->span);
      CHECK_STR(s->kind, "client");
      CHECK_STR(attr(s, "gen_ai.operation.name", buf, sizeof buf), "\"chat\"");
      CHECK_STR(attr(s, "gen_ai.provider.name", buf, sizeof buf), "\"anthropic\"");
      CHECK_STR(attr(s, "gen_ai.request.model", buf, sizeof buf), "\"claude-sonnet-4-5\"");
      CHECK(attr(s, "gen_ai.usage.input_tokens", buf, sizeof buf) != NULL);
    } else if (strcmp(s->name, "execute_tool search_docs") == 0) {
      tools++;
      CHECK_STR(s->kind, "internal");
      CHECK_STR(parent ? parent->name : "", "chat claude-sonnet-4-5");
      CHECK_STR(attr(s, "gen_ai.operation.name", buf, sizeof buf), "\"execute_tool\"");
      CHECK_STR(attr(s, "gen_ai.tool.name", buf, sizeof buf), "\"search_docs\"");
      CHECK_STR(attr(s, "gen_ai.tool.type", buf, sizeof buf), "\"function\"");
      CHECK_STR(attr(s, "result.chunks", buf, sizeof buf), "5");
    } else {
      CHECK(!"unexpected span");
    }
  }
  CHECK_INT(chats, 2);
  CHECK_INT(tools, 2);
  span_rec *first_chat = NULL;
  for (size_t i = 0; i < nspans; i++)
    if (attr(&spans[i], "gen_ai.response.id", buf, sizeof buf) && strcmp(buf, "\"msg_01\"") == 0) first_chat = &spans[i];
  CHECK(first_chat != NULL);
  if (first_chat) {
    CHECK_STR(attr(first_chat, "gen_ai.usage.input_tokens", buf, sizeof buf), "2341");
    CHECK_STR(attr(first_chat, "gen_ai.usage.output_tokens", buf, sizeof buf), "412");
    CHECK_STR(attr(first_chat, "gen_ai.usage.cache_read.input_tokens", buf, sizeof buf), "1024");
    CHECK(attr(first_chat, "gen_ai.usage.cache_creation.input_tokens", buf, sizeof buf) == NULL);
    CHECK_STR(attr(first_chat, "gen_ai.usage.reasoning.output_tokens", buf, sizeof buf), "100");
    CHECK_STR(attr(first_chat, "gen_ai.response.finish_reasons", buf, sizeof buf), "[\"tool_use\"]");
    CHECK_STR(attr(first_chat, "gen_ai.response.model", buf, sizeof buf), "\"claude-sonnet-4-5-20250929\"");
  }

  /* each log record carries the ids of the span it was made in */
  CHECK_INT(nlogs, 4);
  for (size_t i = 0; i < nlogs; i++) {
    const char *event = doc_str(logs[i], "event"), *span_id = doc_str(logs[i], "span_id");
    span_rec *s = span_id ? span_by_id(span_id) : NULL;
    CHECK(s != NULL);
    CHECK_STR(doc_str(logs[i], "trace_id"), agent->trace);
    if (!s || !event) continue;
    if (strcmp(event, "request.start") == 0) CHECK(s == agent);
    else if (strcmp(event, "model.called") == 0) CHECK_STR(s->name, "chat claude-sonnet-4-5");
    else CHECK_STR(s->name, "execute_tool search_docs");
  }
  CHECK(sl_span_current() == NULL); /* everything ended: no span is current */
}

/* ---- lifecycle edge cases ---- */

static int leave_by_return(void) {
  SL_SPAN("returns early") { return 1; }
  return 0;
}

static void ending_twice_and_late_calls_are_harmless(void) {
  sl_span *s = sl_span_start("twice", "k", 1);
  CHECK(sl_span_current() == s);
  sl_span_end(s);
  CHECK(sl_span_current() == NULL);
  sl_span_end(s); /* no second line */
  sl_span_set(s, "late", 1);
  sl_span_event(s, "late event");
  sl_span_error(s, "late", "late");
  char t[33], id[17];
  CHECK_INT(sl_span_ids(s, t, id), -1);
  sl_span_end(NULL);
  sl_span_set(NULL, "k", 1);
  collect();
  CHECK_INT(nspans, 1);
  char buf[64];
  CHECK(nspans && attr(&spans[0], "late", buf, sizeof buf) == NULL);
  CHECK(nspans && attr(&spans[0], "error.type", buf, sizeof buf) == NULL);
}

/* A handle of an ended span, even once its memory serves a new span, stays inert. */
static void a_stale_handle_does_not_reach_a_new_span(void) {
  sl_span *old = sl_span_start("old");
  sl_span_end(old);
  sl_flush(); /* the backend has released it: its memory may be reused */
  for (int i = 0; i < 300; i++) {
    sl_span *fresh = sl_span_start("fresh");
    sl_span_end(old); /* must not end `fresh` */
    sl_span_set(old, "leak", 1);
    CHECK(sl_span_current() == fresh);
    sl_span_end(fresh);
  }
  collect();
  char buf[16];
  for (size_t i = 0; i < nspans; i++) CHECK(attr(&spans[i], "leak", buf, sizeof buf) == NULL);
  CHECK_INT(nspans, 301);
}

/* Ending restores what was current when the span started, as OpenTelemetry's context
   detach does: after out-of-order ends that may be an ended span, whose ids still
   correlate what follows. */
static void out_of_order_ends_are_defined(void) {
  sl_context *ctx = sl_context_new();
  sl_context *prev = sl_context_swap(ctx);
  sl_span *a = sl_span_start("a");
  sl_span *b = sl_span_start("b");
  sl_span_end(a); /* not current: the current span stays b */
  CHECK(sl_span_current() == b);
  sl_span_end(b); /* back to a, which has ended: no live span is current */
  CHECK(sl_span_current() == NULL);
  sl_span *c = sl_span_start("c"); /* still in a's trace, as a child of a */
  sl_span_end(c);
  sl_context_swap(prev);
  sl_context_free(ctx);
  collect();
  CHECK_INT(nspans, 3);
  span_rec *ra = find_span("a"), *rb = find_span("b"), *rc = find_span("c");
  CHECK(ra && rb && rc);
  if (!ra || !rb || !rc) return;
  CHECK_STR(rb->parent, ra->span);
  CHECK_STR(rc->parent, ra->span);
  CHECK_STR(rc->trace, ra->trace);
}

static void sl_span_ends_its_span_however_the_block_is_left(void) {
  SL_SPAN("block", "n", 1) {
    CHECK(sl_span_current() != NULL);
    log_info("inside");
  }
  CHECK(sl_span_current() == NULL);
  CHECK_INT(leave_by_return(), 1);
  CHECK(sl_span_current() == NULL);
  for (int i = 0; i < 2; i++) {
    SL_SPAN("loop") {
      if (i == 0) continue;
      break;
    }
  }
  CHECK(sl_span_current() == NULL);
  collect();
  CHECK_INT(nspans, 4);
  CHECK_INT(nlogs, 1);
  span_rec *block = find_span("block");
  CHECK(block && nlogs && strcmp(doc_str(logs[0], "span_id"), block->span) == 0);
}

/* SL_SPAN_HERE in a loop's body: a span per iteration, ended before the next; continue
   and break act on the loop. */
static void span_here_lets_break_and_continue_reach_the_loop(void) {
  sl_span *outer = sl_span_start("outer");
  int iterations = 0;
  for (int i = 0; i < 5; i++) {
    CHECK(sl_span_current() == outer); /* the last iteration's span has ended */
    SL_SPAN_HERE("step", "i", i);
    CHECK(sl_span_current() != outer);
    iterations++;
    if (i == 1) continue;
    log_info("in step");
    if (i == 3) break;
  }
  CHECK(sl_span_current() == outer);
  sl_span_end(outer);
  CHECK_INT(iterations, 4);
  collect();
  CHECK_INT(nspans, 5); /* four steps and the outer span */
  CHECK_INT(nlogs, 3);
  span_rec *o = find_span("outer");
  size_t steps = 0;
  for (size_t i = 0; i < nspans && o; i++) {
    if (strcmp(spans[i].name, "step")) continue;
    steps++;
    CHECK_STR(spans[i].parent, o->span);
    CHECK(within(&spans[i], o));
  }
  CHECK_INT(steps, 4);
  for (size_t i = 0; i < nlogs; i++) { /* each record in its own step's span */
    const char *id = doc_str(logs[i], "span_id");
    span_rec *s = id ? span_by_id(id) : NULL;
    CHECK(s && strcmp(s->name, "step") == 0);
    for (size_t j = 0; j < i && id; j++) CHECK(!doc_str(logs[j], "span_id") || strcmp(id, doc_str(logs[j], "span_id")) != 0);
  }
}

static void errors_events_links_and_kinds(void) {
  sl_span *other = sl_span_start("other");
  char tp[56];
  CHECK_INT(sl_traceparent_format(other, tp), 55);
  sl_span_end(other);
  sl_span *s = sl_span_start_kind(SL_SPAN_SERVER, "handler", "http.method", "GET");
  sl_span_event(s, "retry", "attempt", 2, "why", "timeout");
  sl_span_link(s, tp, "link.kind", "follows");
  sl_span_link(s, "not a traceparent");
  sl_span_error(s, "timeout", "upstream took 30 s");
  sl_span_set_status(s, SL_STATUS_OK, NULL); /* OK after error: the app says it recovered */
  sl_span_end(s);
  collect();
  span_rec *h = find_span("handler"), *o = find_span("other");
  CHECK(h && o);
  if (!h || !o) return;
  CHECK_STR(h->kind, "server");
  CHECK_STR(h->status, "ok");
  char buf[512];
  CHECK_STR(attr(h, "error.type", buf, sizeof buf), "\"timeout\"");
  CHECK(doc_raw(h->doc, "events", buf, sizeof buf) && strstr(buf, "{\"name\":\"retry\",\"timestamp\":\"") &&
        strstr(buf, "\"attributes\":{\"attempt\":2,\"why\":\"timeout\"}"));
  char want[256];
  snprintf(want, sizeof want, "[{\"trace_id\":\"%s\",\"span_id\":\"%s\",\"attributes\":{\"link.kind\":\"follows\"}}]",
           o->trace, o->span);
  CHECK_STR(doc_raw(h->doc, "links", buf, sizeof buf), want);
}

static void an_error_status_carries_its_message(void) {
  sl_span *s = sl_span_start("fails");
  sl_span_error(s, "ENOENT", "no such file");
  sl_span_end(s);
  collect();
  char buf[128];
  CHECK(nspans == 1 && doc_raw(spans[0].doc, "status", buf, sizeof buf) &&
        strcmp(buf, "{\"code\":\"error\",\"message\":\"no such file\"}") == 0);
}

/* ---- concurrency ---- */

#define THREADS 4
#define RUNS 25

static void *serve_requests(void *arg) {
  char user[16];
  snprintf(user, sizeof user, "u_%d", (int)(intptr_t)arg);
  log_bind("user_id", user);
  for (int i = 0; i < RUNS; i++) agent_run(user);
  return NULL;
}

/* Trees must be disjoint and whole: each trace holds exactly one run's five spans. */
static void check_runs_are_whole_trees(size_t runs) {
  CHECK_INT(nspans, 5 * runs);
  size_t roots = 0;
  for (size_t i = 0; i < nspans; i++) {
    span_rec *s = &spans[i];
    if (!s->parent[0]) {
      roots++;
      size_t members = 0;
      for (size_t j = 0; j < nspans; j++) members += strcmp(spans[j].trace, s->trace) == 0;
      CHECK_INT(members, 5);
      continue;
    }
    span_rec *p = span_by_id(s->parent);
    CHECK(p && strcmp(p->trace, s->trace) == 0);
  }
  CHECK_INT(roots, runs);
}

static void concurrent_requests_on_threads_give_disjoint_trees(void) {
  pthread_t t[THREADS];
  for (int k = 0; k < THREADS; k++) pthread_create(&t[k], NULL, serve_requests, (void *)(intptr_t)k);
  for (int k = 0; k < THREADS; k++) pthread_join(t[k], NULL);
  collect();
  check_runs_are_whole_trees(THREADS * RUNS);
  /* every log line belongs to a span of its own thread's user */
  for (size_t i = 0; i < nlogs; i++) {
    span_rec *s = span_by_id(doc_str(logs[i], "span_id") ? doc_str(logs[i], "span_id") : "");
    CHECK(s != NULL);
    if (!s) continue;
    span_rec *root = s;
    while (root && root->parent[0]) root = span_by_id(root->parent);
    char buf[32];
    char want[32];
    snprintf(want, sizeof want, "\"%s\"", doc_str(logs[i], "user_id") ? doc_str(logs[i], "user_id") : "");
    CHECK(root && attr(root, "user.id", buf, sizeof buf) && strcmp(buf, want) == 0);
  }
}

/* Context objects interleaved on one thread (coroutines): spans follow their context. */
static void spans_follow_context_objects(void) {
  enum { TASKS = 8 };
  sl_context *task[TASKS];
  sl_span *root[TASKS], *child[TASKS];
  for (int i = 0; i < TASKS; i++) task[i] = sl_context_new();
  for (int i = 0; i < TASKS; i++) { /* each task starts its run */
    sl_context *prev = sl_context_swap(task[i]);
    root[i] = sl_genai_invoke_agent("research-assistant", NULL);
    sl_context_swap(prev);
  }
  for (int i = TASKS - 1; i >= 0; i--) { /* resumed in another order: a chat each */
    sl_context *prev = sl_context_swap(task[i]);
    child[i] = sl_genai_chat("openai", "gpt-4o");
    log_info("in chat", "task", i);
    sl_context_swap(prev);
  }
  CHECK(sl_span_current() == NULL); /* the thread's own context saw none of it */
  for (int i = 0; i < TASKS; i++) {
    sl_context *prev = sl_context_swap(task[i]);
    sl_span_end(child[i]);
    CHECK(sl_span_current() == root[i]);
    sl_span_end(root[i]);
    sl_context_swap(prev);
    sl_context_free(task[i]);
  }
  collect();
  CHECK_INT(nspans, 2 * TASKS);
  for (size_t i = 0; i < nspans; i++) {
    if (strcmp(spans[i].name, "chat gpt-4o") != 0) continue;
    span_rec *p = span_by_id(spans[i].parent);
    CHECK(p && strcmp(p->name, "invoke_agent research-assistant") == 0 && strcmp(p->trace, spans[i].trace) == 0);
  }
  for (size_t i = 0; i < nlogs; i++) {
    span_rec *s = span_by_id(doc_str(logs[i], "span_id") ? doc_str(logs[i], "span_id") : "");
    CHECK(s && strcmp(s->name, "chat gpt-4o") == 0);
  }
}

/* A queue sends a thread's span ids once per change: every record still shows the span
   current at its call, through starts, ends, context switches and back to none. */
static const char *log_span_id(size_t i) {
  const char *id = i < nlogs ? doc_str(logs[i], "span_id") : NULL;
  return id ? id : "";
}

static void records_follow_the_current_span_as_it_changes(void) {
  log_info("before");
  sl_span *outer = sl_span_start("outer");
  log_info("in outer");
  sl_span *inner = sl_span_start("inner");
  log_info("in inner");
  log_info("in inner again");
  sl_span_end(inner);
  log_info("in outer again");
  sl_context *other = sl_context_new();
  sl_context *prev = sl_context_swap(other);
  log_info("in another context");
  sl_span *elsewhere = sl_span_start("elsewhere");
  log_info("in elsewhere");
  sl_context_swap(prev);
  log_info("back in outer");
  sl_span_end(outer);
  log_info("after");
  prev = sl_context_swap(other);
  sl_span_end(elsewhere);
  sl_context_swap(prev);
  sl_context_free(other);
  collect();
  const char *want[] = {"", "outer", "inner", "inner", "outer", "", "elsewhere", "outer", ""};
  CHECK_INT(nlogs, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < nlogs && i < sizeof want / sizeof want[0]; i++) {
    span_rec *s = span_by_id(log_span_id(i));
    CHECK_STR(s ? s->name : "", want[i]);
    CHECK(doc_has(logs[i], "trace_id") == (want[i][0] != 0));
  }
}

static void *log_in_a_span_and_end(void *unused) {
  (void)unused;
  sl_span *s = sl_span_start("ended thread");
  log_info("in the ended thread's span");
  sl_span_end(s);
  sl_span_start("left open"); /* a thread may end with its span open */
  log_info("in the span left open");
  return NULL;
}

static void *log_without_a_span(void *unused) {
  (void)unused;
  log_info("no span here");
  return NULL;
}

/* A thread that ends hands its queue back; the next thread to get it starts with no span. */
static void a_new_thread_does_not_inherit_an_ended_threads_span(void) {
  for (int round = 0; round < 4; round++) {
    pthread_t t;
    pthread_create(&t, NULL, log_in_a_span_and_end, NULL);
    pthread_join(t, NULL);
    sl_flush();
    pthread_create(&t, NULL, log_without_a_span, NULL);
    pthread_join(t, NULL);
  }
  collect();
  CHECK_INT(nlogs, 4 * 3);
  for (size_t i = 0; i < nlogs; i++) {
    const char *event = doc_str(logs[i], "event");
    int in_span = event && strcmp(event, "no span here") != 0;
    CHECK(doc_has(logs[i], "span_id") == in_span);
  }
}

/* ---- propagation ---- */

static void a_valid_traceparent_is_continued(void) {
  sl_context *req = sl_context_new();
  sl_context *prev = sl_context_swap(req);
  CHECK_INT(sl_trace_continue("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "congo=t61rcWkgMzE"), 0);
  CHECK_STR(sl_tracestate_current(), "congo=t61rcWkgMzE");
  sl_span *s = sl_span_start_kind(SL_SPAN_SERVER, "GET /search");
  char tp[56];
  CHECK_INT(sl_traceparent_format(s, tp), 55);
  CHECK(strncmp(tp, "00-4bf92f3577b34da6a3ce929d0e0e4736-", 36) == 0 && strcmp(tp + 52, "-01") == 0);
  sl_span_end(s);
  sl_context_swap(prev);
  sl_context_free(req);
  collect();
  CHECK_INT(nspans, 1);
  if (nspans) {
    CHECK_STR(spans[0].trace, "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK_STR(spans[0].parent, "00f067aa0ba902b7");
  }
}

static void invalid_traceparents_start_new_traces(void) {
  const char *bad[] = {
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", /* version ff */
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", /* upper case */
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", /* zero trace id */
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", /* zero parent id */
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",  /* too short */
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", /* too long for 00 */
      "",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sl_context *req = sl_context_new();
    sl_context *prev = sl_context_swap(req);
    CHECK_INT(sl_trace_continue(bad[i], NULL), -1);
    sl_span *s = sl_span_start("fresh");
    sl_span_end(s);
    sl_context_swap(prev);
    sl_context_free(req);
  }
  CHECK_INT(sl_trace_continue(NULL, NULL), -1);
  collect();
  CHECK_INT(nspans, 7);
  for (size_t i = 0; i < nspans; i++) {
    CHECK_STR(spans[i].parent, "");
    CHECK(strcmp(spans[i].trace, "4bf92f3577b34da6a3ce929d0e0e4736") != 0);
  }
}

/* One thread serving requests one after another, as the README's propagation pattern
   does: a request whose traceparent is rejected (or absent) starts a new trace and takes
   nothing from the request before (issue 14, defect 4). */
static void a_rejected_traceparent_after_a_valid_one_starts_a_new_trace(void) {
  CHECK_INT(sl_trace_continue("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02", "congo=t61rcWkgMzE"), 0);
  sl_span *first = sl_span_start_kind(SL_SPAN_SERVER, "first");
  char tp[56];
  CHECK_INT(sl_traceparent_format(first, tp), 55);
  CHECK_STR(tp + 52, "-02"); /* the caller's random flag is kept, sampled or not */
  sl_span_end(first);
  const char *bad[] = {"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "", NULL};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_INT(sl_trace_continue(bad[i], "rojo=00f067aa0ba902b7"), -1);
    CHECK(sl_span_current() == NULL);
    CHECK(sl_tracestate_current() == NULL);
    sl_span *next = sl_span_start_kind(SL_SPAN_SERVER, "next");
    char trace[33], span[17];
    CHECK_INT(sl_span_ids(next, trace, span), 0);
    CHECK(strcmp(trace, "4bf92f3577b34da6a3ce929d0e0e4736") != 0);
    CHECK_INT(sl_traceparent_format(next, tp), 55);
    CHECK_STR(tp + 52, "-03"); /* sampled, and random: a trace id made here */
    sl_span_end(next);
    CHECK_INT(sl_trace_continue("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", " a=1 ,, b=2\t"), 0);
    CHECK_STR(sl_tracestate_current(), "a=1,b=2"); /* sent on without OWS and empty members */
  }
  CHECK_INT(sl_trace_continue(NULL, NULL), -1); /* leave the thread's context as it was */
  collect();
  CHECK_INT(nspans, 3); /* "first" is not sampled (its caller's flags: 02) */
  for (size_t i = 0; i < nspans; i++) CHECK_STR(spans[i].parent, "");
}

static void a_future_version_is_continued_with_its_known_fields(void) {
  sl_context *req = sl_context_new();
  sl_context *prev = sl_context_swap(req);
  CHECK_INT(sl_trace_continue("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like", NULL), 0);
  char tp[56];
  CHECK_INT(sl_traceparent_format(NULL, tp), 55);
  CHECK_STR(tp, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  sl_context_swap(prev);
  sl_context_free(req);
}

/* ---- a child process continues the trace (re-executes this program) ---- */

static int child_main(void) {
  sl_span *s = sl_span_start("child.work");
  log_info("child.log");
  sl_span_end(s);
  return 0;
}

static void a_child_process_continues_the_trace(const char *self) {
  sl_span *parent = sl_span_start("parent.spawn");
  char trace[33], span[17];
  sl_span_ids(parent, trace, span);
  char **env = sl_trace_environ(NULL);
  CHECK(env != NULL);
  int fds[2];
  if (!env || pipe(fds)) return;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    char *argv[] = {(char *)self, "--child", NULL};
    execve(self, argv, env);
    _exit(127);
  }
  close(fds[1]);
  sl_trace_environ_free(env);
  char out[8192];
  size_t n = 0;
  ssize_t r;
  while (n < sizeof out - 1 && (r = read(fds[0], out + n, sizeof out - 1 - n)) > 0) n += (size_t)r;
  out[n] = 0;
  close(fds[0]);
  int status;
  waitpid(pid, &status, 0);
  sl_span_end(parent);
  int found_span = 0, found_log = 0;
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    jl_doc *d = PARSE(line);
    const char *t = doc_str(d, "trace_id");
    CHECK_STR(t, trace);
    if (doc_has(d, "start_time")) {
      found_span++;
      CHECK_STR(doc_str(d, "parent_span_id"), span);
    } else {
      found_log++;
    }
    jl_free(d);
  }
  CHECK_INT(found_span, 1);
  CHECK_INT(found_log, 1);
  collect();
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--child") == 0) return child_main();
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(an_agent_run_reads_back_as_a_tree);
  RUN(ending_twice_and_late_calls_are_harmless);
  RUN(a_stale_handle_does_not_reach_a_new_span);
  RUN(out_of_order_ends_are_defined);
  RUN(sl_span_ends_its_span_however_the_block_is_left);
  RUN(span_here_lets_break_and_continue_reach_the_loop);
  RUN(errors_events_links_and_kinds);
  RUN(an_error_status_carries_its_message);
  RUN(concurrent_requests_on_threads_give_disjoint_trees);
  RUN(spans_follow_context_objects);
  RUN(records_follow_the_current_span_as_it_changes);
  RUN(a_new_thread_does_not_inherit_an_ended_threads_span);
  RUN(a_valid_traceparent_is_continued);
  RUN(invalid_traceparents_start_new_traces);
  RUN(a_rejected_traceparent_after_a_valid_one_starts_a_new_trace);
  RUN(a_future_version_is_continued_with_its_known_fields);
  check_current = "a_child_process_continues_the_trace";
  a_child_process_continues_the_trace(argv[0]);
  forget();
  sl_capture_stop(cap);
  return check_exit();
}
