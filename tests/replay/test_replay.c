/* Tool I/O replay: matching by call id and by canonical arguments, divergence flagged on
 * the span, state-changing tools stubbed, concurrent replays isolated, and clear errors
 * for missing, truncated and damaged recordings. Recordings are written by hand here;
 * test_record.c checks what the library writes. */
#define _GNU_SOURCE
#include <pthread.h>
#include <spanlog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json_read.h"
#include "../check.h"

static char dir[256], spans_path[300];

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  return strdup(buf);
}

#define TRACE "4bf92f3577b34da6a3ce929d0e0e4736"
static const char recording[] =
    "{\"trace_id\":\"" TRACE "\",\"input\":{\"message\":\"Q3 invoices\"},\"output\":\"done\"}\n"
    "{\"call_id\":\"c1\",\"tool\":\"search_docs\",\"args\":{\"query\":\"invoices\",\"quarter\":\"Q3\"},"
    "\"result\":{\"quarter\":\"Q1\",\"total\":12400}}\n"
    "{\"call_id\":\"c2\",\"tool\":\"fetch_doc\",\"args\":{\"id\":7},\"error\":\"timeout\"}\n"
    "{\"call_id\":\"c3\",\"tool\":\"fetch_doc\",\"args\":{\"id\":7},\"result\":{\"text\":\"second\"}}\n"
    "{\"call_id\":\"c4\",\"tool\":\"send_email\",\"args\":{\"to\":\"a@example.com\",\"api_key\":\"[REDACTED]\"},"
    "\"result\":{\"status\":\"sent\"}}\n";

/* The span line of the last execute_tool span with this call id, parsed (caller frees). */
static sl_json *tool_span(const char *call_id) {
  char *text = slurp(spans_path);
  sl_json *found = NULL;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    sl_json *v = sl_json_parse(line, strlen(line), NULL);
    const sl_json *id = sl_json_member(sl_json_member(v, "attributes"), "gen_ai.tool.call.id");
    if (id && id->type == SL_JSON_STRING && strcmp(id->str, call_id) == 0) sl_json_free(found), found = v;
    else sl_json_free(v);
  }
  free(text);
  return found;
}

static void check_span_flag(const char *call_id, int matched, const char *how) {
  sl_json *s = tool_span(call_id);
  const sl_json *attrs = sl_json_member(s, "attributes");
  const sl_json *m = sl_json_member(attrs, "replay.matched"), *h = sl_json_member(attrs, "replay.match");
  CHECK(m && m->type == (matched ? SL_JSON_TRUE : SL_JSON_FALSE));
  CHECK(h && h->type == SL_JSON_STRING && strcmp(h->str, how) == 0);
  if (!s) fprintf(stderr, "no span for call %s\n", call_id);
  sl_json_free(s);
}

/* One tool call through the replay, in its execute_tool span. */
static sl_replay_outcome call(sl_replay *r, const char *id, const char *tool, const char *args, int flags,
                              sl_replay_result *res) {
  sl_span *s = sl_genai_execute_tool(tool, id, "function");
  sl_replay_outcome how = sl_replay_tool(r, s, id, tool, args, flags, res);
  sl_span_end(s);
  return how;
}

static sl_replay *open_fixture(const char *name, const char *text) {
  char path[400], error[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  write_file(path, text);
  sl_replay *r = sl_replay_open(path, error, sizeof error);
  if (!r) fprintf(stderr, "open %s: %s\n", path, error);
  return r;
}

static void recorded_results_by_call_id(void) {
  sl_replay *r = open_fixture(TRACE ".jsonl", recording);
  CHECK(r);
  if (!r) return;
  CHECK_STR(sl_replay_trace_id(r), TRACE);
  CHECK_STR(sl_replay_input(r), "{\"message\":\"Q3 invoices\"}");
  CHECK_STR(sl_replay_output(r), "\"done\"");
  CHECK_INT(sl_replay_call_count(r), 4);
  sl_replay_result res;
  /* same id, same arguments in another order and spacing */
  CHECK_INT(call(r, "c1", "search_docs", "{ \"quarter\" : \"Q3\", \"query\":\"invoices\" }", 0, &res),
            SL_REPLAY_RECORDED);
  CHECK(res.matched);
  CHECK_STR(res.match, "call_id");
  CHECK_STR(res.result_json, "{\"quarter\":\"Q1\",\"total\":12400}");
  CHECK(res.error == NULL);
  /* a recorded error comes back as the error */
  CHECK_INT(call(r, "c2", "fetch_doc", "{\"id\":7}", 0, &res), SL_REPLAY_RECORDED);
  CHECK_STR(res.error, "timeout");
  CHECK(res.result_json == NULL);
  CHECK_INT(sl_replay_unused_count(r), 2);
  sl_flush();
  check_span_flag("c1", 1, "call_id");
  check_span_flag("c2", 1, "call_id");
  sl_replay_close(r);
}

static void new_ids_fall_back_to_arguments(void) {
  sl_replay *r = open_fixture("ids.jsonl", recording);
  sl_replay_result res;
  /* a re-run model makes new ids: the same tool and arguments match, in recorded order */
  CHECK_INT(call(r, "n1", "fetch_doc", "{\"id\":7}", 0, &res), SL_REPLAY_RECORDED);
  CHECK_STR(res.match, "arguments");
  CHECK_STR(res.call_id, "c2");
  CHECK_STR(res.error, "timeout");
  CHECK_INT(call(r, "n2", "fetch_doc", "{\"id\" :7}", 0, &res), SL_REPLAY_RECORDED);
  CHECK_STR(res.call_id, "c3");
  CHECK_STR(res.result_json, "{\"text\":\"second\"}");
  /* both used: a third identical call no longer matches */
  CHECK_INT(call(r, "n3", "fetch_doc", "{\"id\":7}", 0, &res), SL_REPLAY_EXECUTE);
  sl_flush();
  check_span_flag("n1", 1, "arguments");
  check_span_flag("n3", 0, "none");
  sl_replay_close(r);
}

static void diverging_call_is_flagged(void) {
  sl_replay *r = open_fixture("diverge.jsonl", recording);
  sl_replay_result res;
  /* same id, other arguments: the run diverged, the recorded result is not used */
  CHECK_INT(call(r, "c1", "search_docs", "{\"query\":\"invoices\",\"quarter\":\"Q1\"}", 0, &res),
            SL_REPLAY_EXECUTE);
  CHECK(!res.matched);
  CHECK_STR(res.match, "none");
  CHECK(res.result_json == NULL);
  /* a tool that was never called */
  CHECK_INT(call(r, "x9", "calculator", "{}", 0, &res), SL_REPLAY_EXECUTE);
  CHECK_INT(sl_replay_unused_count(r), 4);
  sl_flush();
  check_span_flag("c1", 0, "none");
  check_span_flag("x9", 0, "none");
  sl_replay_close(r);
}

static void state_changing_tools_are_stubbed(void) {
  sl_replay *r = open_fixture("stub.jsonl", recording);
  sl_replay_result res;
  /* matched: the recorded result; the recorded [REDACTED] stands for the live key */
  CHECK_INT(call(r, "c4", "send_email", "{\"to\":\"a@example.com\",\"api_key\":\"sk-live-1\"}",
                 SL_TOOL_STATE_CHANGING, &res),
            SL_REPLAY_RECORDED);
  CHECK_STR(res.result_json, "{\"status\":\"sent\"}");
  /* not matched: never run, a stub error instead */
  CHECK_INT(call(r, "c5", "send_email", "{\"to\":\"b@example.com\"}", SL_TOOL_STATE_CHANGING, &res),
            SL_REPLAY_STUBBED);
  CHECK(!res.matched);
  CHECK(res.error && strstr(res.error, "send_email") && strstr(res.error, "not executed"));
  sl_flush();
  check_span_flag("c5", 0, "none");
  sl_replay_close(r);
}

static void expect_open_error(const char *name, const char *text, const char *want) {
  char path[400], error[512] = "";
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (text) write_file(path, text);
  sl_replay *r = sl_replay_open(path, error, sizeof error);
  CHECK(r == NULL);
  if (!strstr(error, want) || !strstr(error, name)) {
    fprintf(stderr, "%s: error \"%s\" does not say \"%s\"\n", name, error, want);
    check_failures++;
  }
  sl_replay_close(r);
}

static void bad_recordings_give_clear_errors(void) {
  char error[512] = "";
  CHECK(sl_replay_open("0123456789abcdef0123456789abcdef", error, sizeof error) == NULL);
  CHECK(strstr(error, "0123456789abcdef0123456789abcdef.jsonl") && strstr(error, "no such recording"));
  expect_open_error("missing.jsonl", NULL, "no such recording");
  expect_open_error("empty.jsonl", "", "empty recording");
  /* cut in the middle of the last line */
  char cut[sizeof recording];
  memcpy(cut, recording, sizeof recording);
  cut[sizeof recording - 40] = 0;
  expect_open_error("cut.jsonl", cut, "truncated");
  expect_open_error("damaged.jsonl", "{\"trace_id\":\"a\",\"input\":1}\n{\"call_id\":\"c1\",\"tool\":\n", ":2: ");
  expect_open_error("header.jsonl", "{\"call_id\":\"c1\"}\n", "not a recording");
  expect_open_error("call.jsonl", "{\"trace_id\":\"a\",\"input\":1}\n{\"call_id\":\"c1\",\"tool\":\"t\"}\n",
                    "not a tool call");
}

/* Two replays of recordings with the same call ids but other results, each replayed by a
   thread of its own, many times over: each gets its own results only. */
typedef struct job {
  const char *name, *want;
  int wrong;
} job;

static void *replay_thread(void *arg) {
  job *j = arg;
  char text[512];
  for (int round = 0; round < 200; round++) {
    snprintf(text, sizeof text,
             "{\"trace_id\":\"%s\",\"input\":null}\n"
             "{\"call_id\":\"c1\",\"tool\":\"t\",\"args\":{},\"result\":\"%s\"}\n"
             "{\"call_id\":\"c2\",\"tool\":\"t\",\"args\":{},\"result\":\"%s\"}\n",
             j->name, j->want, j->want);
    char path[400], error[256];
    snprintf(path, sizeof path, "%s/%s-%d.jsonl", dir, j->name, round % 2);
    if (round < 2) write_file(path, text);
    sl_replay *r = sl_replay_open(path, error, sizeof error);
    sl_replay_result res;
    char want[64];
    snprintf(want, sizeof want, "\"%s\"", j->want);
    for (int k = 0; k < 2; k++) {
      sl_replay_tool(r, NULL, k ? "c2" : "c1", "t", "{}", 0, &res);
      j->wrong += !res.result_json || strcmp(res.result_json, want) != 0;
    }
    j->wrong += sl_replay_unused_count(r) != 0;
    sl_replay_close(r);
  }
  return NULL;
}

static void concurrent_replays_stay_isolated(void) {
  job a = {"alpha", "from-alpha", 0}, b = {"beta", "from-beta", 0};
  pthread_t ta, tb;
  pthread_create(&ta, NULL, replay_thread, &a);
  pthread_create(&tb, NULL, replay_thread, &b);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  CHECK_INT(a.wrong, 0);
  CHECK_INT(b.wrong, 0);
}

/* One replay shared by threads (a request's tools on a pool): each recorded call is handed
   out once. */
static void *shared_thread(void *arg) {
  sl_replay *r = arg;
  sl_replay_result res;
  for (int i = 0; i < 50; i++) sl_replay_tool(r, NULL, "other", "t", "{\"n\":1}", 0, &res);
  return NULL;
}

static void one_replay_shared_by_threads(void) {
  char text[100 * 80] = "{\"trace_id\":\"s\",\"input\":null}\n";
  for (int i = 0; i < 100; i++)
    snprintf(text + strlen(text), sizeof text - strlen(text),
             "{\"call_id\":\"c%d\",\"tool\":\"t\",\"args\":{\"n\":1},\"result\":%d}\n", i, i);
  sl_replay *r = open_fixture("shared.jsonl", text);
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, shared_thread, r);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  CHECK_INT(sl_replay_unused_count(r), 0); /* 200 calls, 100 recorded: all used once */
  sl_replay_close(r);
}

int main(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/spanlog-replay-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  snprintf(spans_path, sizeof spans_path, "%s/spans.jsonl", dir);
  sl_sink_add_file(spans_path, SL_LEVEL_DEBUG);
  recorded_results_by_call_id();
  new_ids_fall_back_to_arguments();
  diverging_call_is_flagged();
  state_changing_tools_are_stubbed();
  bad_recordings_give_clear_errors();
  concurrent_replays_stay_isolated();
  one_replay_shared_by_threads();
  return check_exit();
}
