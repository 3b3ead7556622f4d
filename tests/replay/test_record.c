/* Tool I/O recording: the file's format (DESIGN.md), redaction of recorded arguments, and
 * the policy: a trace ending in error is always written, the others by the sample share,
 * decided from the trace id (so the same trace gets the same answer everywhere). */
#define _GNU_SOURCE
#include <spanlog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ids.h"
#include "base/json_read.h"
#include "../check.h"

static char dir[256];

static char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  char *buf = malloc(1 << 16);
  size_t n = fread(buf, 1, (1 << 16) - 1, f);
  fclose(f);
  buf[n] = 0;
  return buf;
}

static void trace_of(sl_span *s, char hex[33], uint8_t bin[16]) {
  char tp[56];
  sl_traceparent_format(s, tp);
  memcpy(hex, tp + 3, 32);
  hex[32] = 0;
  for (int i = 0; i < 16; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    bin[i] = (uint8_t)v;
  }
}

static char *recording_of(const char *id) {
  char path[400];
  snprintf(path, sizeof path, "%s/%s.jsonl", dir, id);
  return slurp(path);
}

/* A request: input, two tool calls (one with a secret argument, one failing), output. */
static void one_request(int fails, char id[33], uint8_t bin[16]) {
  sl_span *root = sl_genai_invoke_agent("test-agent", NULL);
  trace_of(root, id, bin);
  CHECK_INT(sl_replay_record_input("{\"user_id\":\"u_1\",\"message\":\"hi\"}"), 0);
  sl_span *tool = sl_genai_execute_tool("send_email", "c1", "function");
  CHECK_INT(sl_replay_record_call("c1", "send_email",
                                  "{\"to\":\"a@example.com\", \"api_key\":\"sk-live-123\",\"n\":[1, 2]}",
                                  "{\"status\":\"sent\"}", NULL),
            0);
  sl_span_end(tool);
  CHECK_INT(sl_replay_record_call("c2", "fetch_doc", "{\"id\":7}", NULL, "timeout after 100 ms"), 0);
  CHECK_INT(sl_replay_record_output("\"done\""), 0);
  if (fails) sl_span_error(root, "tool_error", "gave up");
  sl_span_end(root);
}

static void format_and_redaction(void) {
  char id[33];
  uint8_t bin[16];
  sl_replay_set_sample(1);
  one_request(0, id, bin);
  sl_flush();
  char *text = recording_of(id), want[1024];
  snprintf(want, sizeof want,
           "{\"trace_id\":\"%s\",\"input\":{\"user_id\":\"u_1\",\"message\":\"hi\"},\"output\":\"done\"}\n"
           "{\"call_id\":\"c1\",\"tool\":\"send_email\",\"args\":{\"to\":\"a@example.com\",\"api_key\":\"[REDACTED]\","
           "\"n\":[1,2]},\"result\":{\"status\":\"sent\"}}\n"
           "{\"call_id\":\"c2\",\"tool\":\"fetch_doc\",\"args\":{\"id\":7},\"error\":\"timeout after 100 ms\"}\n",
           id);
  CHECK_STR(text, want);
  CHECK(!text || !strstr(text, "sk-live-123"));
  free(text);
}

static void bad_calls_are_refused(void) {
  /* outside any span: nothing to attach the call to */
  CHECK_INT(sl_replay_record_call("c1", "t", "{}", "1", NULL), -1);
  sl_span *root = sl_span_start("request");
  CHECK_INT(sl_replay_record_call("c1", "t", "[1,2]", "1", NULL), -1); /* args not an object */
  CHECK_INT(sl_replay_record_call("c1", "t", "{\"a\":}", "1", NULL), -1);
  CHECK_INT(sl_replay_record_call("c1", "t", "{}", "{oops", NULL), -1);
  CHECK_INT(sl_replay_record_input("not json"), -1);
  CHECK_INT(sl_replay_record_call("c1", "t", NULL, NULL, NULL), 0); /* {} and null */
  sl_span_end(root);
}

/* Sample 0: error traces only. */
static void error_traces_are_always_written(void) {
  char ok_id[33], err_id[33];
  uint8_t bin[16];
  sl_replay_set_sample(0);
  one_request(0, ok_id, bin);
  one_request(1, err_id, bin);
  sl_flush();
  char *ok = recording_of(ok_id), *err = recording_of(err_id);
  CHECK(ok == NULL);
  CHECK(err != NULL);
  sl_json *first = err ? sl_json_parse(err, strcspn(err, "\n"), NULL) : NULL;
  const sl_json *tid = sl_json_member(first, "trace_id");
  CHECK(tid && strcmp(tid->str, err_id) == 0);
  sl_json_free(first);
  free(ok), free(err);
}

/* Sample 0.5: written exactly when the trace id's fraction is below it, for any trace. */
static void sample_share_by_trace_id(void) {
  int written = 0, agree = 0, n = 64;
  sl_replay_set_sample(0.5);
  char ids[64][33];
  uint8_t bins[64][16];
  for (int i = 0; i < n; i++) one_request(0, ids[i], bins[i]);
  sl_flush();
  for (int i = 0; i < n; i++) {
    char *t = recording_of(ids[i]);
    int want = sl_trace_id_fraction(bins[i]) < 0.5;
    written += t != NULL;
    agree += (t != NULL) == want;
    free(t);
  }
  CHECK_INT(agree, n);
  CHECK(written > 8 && written < n - 8); /* a share, not all or none */
}

int main(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/spanlog-record-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  sl_replay_set_dir(dir);
  char devnull[] = "/dev/null";
  sl_sink_add_file(devnull, SL_LEVEL_DEBUG);
  format_and_redaction();
  bad_calls_are_refused();
  error_traces_are_always_written();
  sample_share_by_trace_id();
  return check_exit();
}
