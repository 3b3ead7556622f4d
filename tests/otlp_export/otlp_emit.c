/* The program the OTLP export tests drive: it makes spans and log records through the
 * public API, with the exporters configured by the environment the driver sets, and
 * says what it made. Modes:
 *
 *   otlp_emit agent MANIFEST   a known agent run (every attribute type, events, a link,
 *                              an error, GenAI spans, log records in and out of spans,
 *                              bound fields); MANIFEST gets its ids as JSON; then sl_flush
 *   otlp_emit spans N          N spans (start + 4 attributes + end), then sl_flush
 *   otlp_emit wait N MS        N spans, then waits up to MS for N to be exported
 *   otlp_emit burst N          N spans as fast as it can, then sl_flush; reports VmRSS
 *   otlp_emit exit N           N spans and return from main: no flush, no shutdown
 *   otlp_emit fork N           N spans left queued (no flush), fork; each makes N more
 *                              and flushes
 *   otlp_emit outage N S FILE  N spans over S seconds, then once FILE exists (the
 *                              receiver is back) 1000 spans named "after", and waits up
 *                              to 20 s until they are exported
 *
 * The last line on stderr is "STATS {json}": the export counts of both signals, the
 * resident set before and after (kB) and the wall time (ms). */
#include <spanlog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../forkchild.h"
#include "../rss.h"

/* ASan keeps freed memory in quarantine: RSS says nothing of spanlog's bound there. */
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void print_stats(long rss0, long rss1, double ms) {
  sl_export_counts t, l;
  sl_export_stats(SL_EXPORT_TRACES, &t);
  sl_export_stats(SL_EXPORT_LOGS, &l);
  fprintf(stderr,
          "STATS {\"sanitized\":%d,\"pid\":%d,\"rss_before_kb\":%ld,\"rss_after_kb\":%ld,\"ms\":%.1f,"
          "\"traces\":{\"queued\":%llu,\"exported\":%llu,\"rejected\":%llu,\"dropped\":%llu,\"failed\":%llu,"
          "\"requests\":%llu,\"retries\":%llu,\"queue_length\":%llu},"
          "\"logs\":{\"queued\":%llu,\"exported\":%llu,\"rejected\":%llu,\"dropped\":%llu,\"failed\":%llu,"
          "\"requests\":%llu,\"retries\":%llu,\"queue_length\":%llu}}\n",
          SANITIZED, (int)getpid(), rss0, rss1, ms, (unsigned long long)t.queued, (unsigned long long)t.exported,
          (unsigned long long)t.rejected, (unsigned long long)t.dropped, (unsigned long long)t.failed,
          (unsigned long long)t.requests, (unsigned long long)t.retries, (unsigned long long)t.queue_length,
          (unsigned long long)l.queued, (unsigned long long)l.exported, (unsigned long long)l.rejected,
          (unsigned long long)l.dropped, (unsigned long long)l.failed, (unsigned long long)l.requests,
          (unsigned long long)l.retries, (unsigned long long)l.queue_length);
}

static void one_span(long i) {
  sl_span *s = sl_span_start("work", "i", i, "kind", "unit", "ratio", 0.5, "ok", SL_BOOL(i % 2));
  sl_span_end(s);
}

static void make_spans(long n) {
  for (long i = 0; i < n; i++) one_span(i);
}

/* ---- the agent run ---- */

typedef struct ids {
  char trace[33], span[17];
} ids;

static void ids_of(sl_span *s, ids *out) { sl_span_ids(s, out->trace, out->span); }

static void put_span(FILE *m, const char *name, const ids *self, const ids *parent, int last) {
  fprintf(m, "{\"name\":\"%s\",\"trace_id\":\"%s\",\"span_id\":\"%s\",\"parent\":\"%s\"}%s\n", name, self->trace,
          self->span, parent ? parent->span : "", last ? "" : ",");
}

static void chat(sl_span *agent, ids *out) {
  sl_span *c = sl_genai_chat("anthropic", "claude-sonnet-4-5");
  static const char *const reasons[] = {"stop"};
  sl_genai_response(c, "claude-sonnet-4-5-20250929", "msg_01", reasons, 1);
  sl_genai_usage(c, 1200, 345);
  sl_span_set(c, "gen_ai.request.temperature", 0.25, "gen_ai.conversation.id", "conv-7");
  sl_span_event(c, "gen_ai.choice", "index", 0, "finish", "stop");
  sl_log_info("model answered", "tokens", 345, "cached", SL_BOOL(0));
  ids_of(c, out);
  (void)agent;
  sl_span_end(c);
}

static void tool(const ids *chat_ids, ids *out, ids *http) {
  sl_span *t = sl_genai_execute_tool("search", "call_1", "function");
  char tp[56];
  snprintf(tp, sizeof tp, "00-%s-%s-01", chat_ids->trace, chat_ids->span);
  sl_span_link(t, tp, "link.reason", "answer of");
  sl_span *h = sl_span_start_kind(SL_SPAN_CLIENT, "GET /search", "http.request.method", "GET",
                                  "http.response.status_code", 503, "server.port", 443);
  sl_log_warning("upstream slow", "latency_ms", 812.5, "retry", SL_BOOL(1));
  ids_of(h, http);
  sl_span_set_status(h, SL_STATUS_ERROR, "HTTP 503");
  sl_span_end(h);
  sl_span_error(t, "TimeoutError", "search timed out");
  sl_log_error("tool failed", "tool", "search", "attempts", 3);
  ids_of(t, out);
  sl_span_end(t);
}

static int agent(const char *manifest) {
  static const char *const tags[] = {"alpha", "beta"};
  static const int64_t ints[] = {1, -2, 3000000000LL};
  static const double dbls[] = {0.5, -1.25};
  static const bool bools[] = {true, false};
  sl_log_bind("request_id", "req-42", "user.id", "u-1");
  sl_log_info("request received", "path", "/ask");
  sl_span *root = sl_genai_invoke_agent("planner", "conv-7");
  sl_span_set(root, "str", "text", "int", -42, "big", (uint64_t)18446744073709551615ULL, "dbl", 3.5,
              "bool", SL_BOOL(1), "strs", SL_STRS(tags, 2), "ints", SL_INTS(ints, 3), "dbls",
              SL_DOUBLES(dbls, 2), "bools", SL_BOOLS(bools, 2), "obj", SL_RAW_JSON("{\"a\":[1,\"x\",null],\"b\":true}"));
  ids r, c, t, h;
  ids_of(root, &r);
  chat(root, &c);
  tool(&c, &t, &h);
  sl_span_event(root, "agent.done", "steps", 2);
  sl_span_end(root);
  sl_log_bind("phase", "done");
  sl_log_info("gen_ai.evaluation.result", "gen_ai.evaluation.name", "relevance", "score", 0.9);
  sl_flush();
  FILE *m = fopen(manifest, "w");
  if (!m) return 1;
  fprintf(m, "{\"trace_id\":\"%s\",\"spans\":[\n", r.trace);
  put_span(m, "invoke_agent planner", &r, NULL, 0);
  put_span(m, "chat claude-sonnet-4-5", &c, &r, 0);
  put_span(m, "execute_tool search", &t, &r, 0);
  put_span(m, "GET /search", &h, &t, 1);
  fprintf(m, "]}\n");
  return fclose(m) != 0;
}

/* ---- main ---- */

static int wait_exported(long n, long ms) {
  double until = now_ms() + (double)ms;
  sl_export_counts t;
  do {
    sl_export_stats(SL_EXPORT_TRACES, &t);
    if (t.exported >= (uint64_t)n) return 0;
    usleep(20000);
  } while (now_ms() < until);
  return 1;
}

static int run_fork(long n) {
  make_spans(n);
  usleep(300000); /* the backend has handed them to the exporter, which holds them */
  pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) in_fork_child = 1;
  make_spans(n);
  sl_flush();
  print_stats(-1, -1, 0);
  if (pid == 0) _exit(0);
  int st;
  return waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st);
}

static int outage(long n, long secs, const char *marker) {
  long rss0 = rss_kb(), steps = secs * 20;
  double t0 = now_ms();
  for (long i = 0; i < steps; i++) {
    make_spans(n / steps);
    usleep(50000);
  }
  double made = now_ms() - t0;
  long rss1 = rss_kb();
  while (access(marker, F_OK) != 0) usleep(50000);
  sl_export_counts before, t;
  sl_export_stats(SL_EXPORT_TRACES, &before);
  for (int i = 0; i < 1000; i++) {
    sl_span_end(sl_span_start("after", "i", i));
    if (i % 100 == 99) usleep(20000);
  }
  double until = now_ms() + 20000;
  do {
    usleep(50000);
    sl_export_stats(SL_EXPORT_TRACES, &t);
  } while (t.exported < before.exported + 1000 && now_ms() < until);
  print_stats(rss0, rss1, made);
  return t.exported < before.exported + 1000;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: otlp_emit agent MANIFEST | spans|wait|burst|exit|fork N [MS]\n");
    return 2;
  }
  const char *mode = argv[1];
  long n = strtol(argv[2], NULL, 10), rss0 = rss_kb();
  double t0 = now_ms();
  int rc = 0;
  if (strcmp(mode, "agent") == 0) rc = agent(argv[2]);
  else if (strcmp(mode, "fork") == 0) return run_fork(n);
  else if (strcmp(mode, "outage") == 0 && argc > 4) return outage(n, strtol(argv[3], NULL, 10), argv[4]);
  else make_spans(n);
  if (strcmp(mode, "exit") == 0) return 0;
  double made = now_ms() - t0;
  long rss1 = rss_kb();
  if (strcmp(mode, "wait") == 0) rc = wait_exported(n, argc > 3 ? strtol(argv[3], NULL, 10) : 10000);
  else sl_flush();
  print_stats(rss0, rss1, made);
  return rc;
}
