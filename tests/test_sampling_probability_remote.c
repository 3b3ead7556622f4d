/* The plain probability sampler (OTEL_TRACES_SAMPLER=probability, 0.25, set by the test)
 * under a parent of another process decides for itself, and its spans say so in the
 * tracestate they send on and export: th set to its threshold (c) when it samples, erased
 * when it does not; the changed ot member first, rv and the other members kept. The remote
 * parent itself, current before a span starts, still sends on what came in. */
#include <spanlog.h>
#include <spanlog/export.h>

#include "check.h"
#include "testfiles.h"

/* Trace ids whose randomness (last 7 bytes) samples at 25 % or not. */
#define TP_HIGH "00-4bf92f3577b34da6a3ffffffffffffff-00f067aa0ba902b7-01"
#define TP_LOW "00-4bf92f3577b34da6a300000000000000-00f067aa0ba902b7-01"

static int occurrences(const char *path, const char *piece) {
  text t = read_text(path);
  int n = 0;
  for (size_t i = 0; i < t.n; i++)
    for (const char *p = strstr(t.line[i], piece); p; p = strstr(p + 1, piece)) n++;
  text_free(&t);
  return n;
}

static int sampled_flag(void) {
  char tp[56];
  return sl_traceparent_format(NULL, tp) == 55 ? tp[54] == '1' || tp[54] == '3' : -1;
}

/* Continues tp/ts, starts a span and its child, and checks what each sends on. */
static void continue_and_check(const char *tp, const char *ts, const char *local, int sampled) {
  CHECK_INT(sl_trace_continue(tp, ts), 0);
  CHECK_STR(sl_tracestate_current() ? sl_tracestate_current() : "(none)", ts); /* the remote parent's */
  sl_span *a = sl_span_start("a");
  CHECK_STR(sl_tracestate_current() ? sl_tracestate_current() : "(none)", local);
  CHECK_INT(sampled_flag(), sampled);
  sl_span *b = sl_span_start("b");
  CHECK_STR(sl_tracestate_current() ? sl_tracestate_current() : "(none)", local);
  CHECK_INT(sampled_flag(), sampled);
  sl_span_end(b);
  sl_span_end(a);
  CHECK_STR(sl_tracestate_current() ? sl_tracestate_current() : "(none)", ts);
}

int main(void) {
  if (!tmpdir_make("probability-remote")) return perror("mkdtemp"), 1;
  char path[128], setting[160];
  in_dir(path, sizeof path, "otlp.jsonl");
  snprintf(setting, sizeof setting, "SPANLOG_OTLP_FILE=%s", path);
  const char *settings[] = {"OTEL_TRACES_EXPORTER=otlp_file", setting, NULL};
  CHECK_INT(sl_export_start(settings), 0);

  static const struct {
    const char *what, *traceparent, *incoming, *local;
    int sampled;
  } cases[] = {
      {"sampled: th set, moved first", TP_HIGH, "congo=t61,ot=th:8", "ot=th:c,congo=t61", 1},
      {"sampled: rv and the other sub-keys kept", TP_HIGH, "congo=t61,ot=rv:ffffffffffffff;x:1",
       "ot=th:c;rv:ffffffffffffff;x:1,congo=t61", 1},
      {"sampled by rv, the id's randomness low", TP_LOW, "ot=rv:ffffffffffffff", "ot=th:c;rv:ffffffffffffff", 1},
      {"not sampled (the remote parent was): th erased", TP_LOW, "congo=t61,ot=th:0", "congo=t61", 0},
      {"not sampled by rv: th erased, rv kept", TP_HIGH, "ot=th:0;rv:00000000000000,congo=t61",
       "ot=rv:00000000000000,congo=t61", 0},
      {"not sampled, nothing to erase: sent on unchanged", TP_LOW, "congo=t61,ot=rv:00000000000000",
       "congo=t61,ot=rv:00000000000000", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    check_current = cases[i].what;
    continue_and_check(cases[i].traceparent, cases[i].incoming, cases[i].local, cases[i].sampled);
  }

  check_current = "the exported spans carry it";
  sl_flush();
  CHECK_INT(occurrences(path, "\"traceState\":\"ot=th:c,congo=t61\""), 2);
  CHECK_INT(occurrences(path, "\"traceState\":\"ot=th:c;rv:ffffffffffffff;x:1,congo=t61\""), 2);
  CHECK_INT(occurrences(path, "\"traceState\":\"ot=th:c;rv:ffffffffffffff\""), 2);
  CHECK_INT(occurrences(path, "\"name\":\"a\""), 3); /* the unsampled are not exported */
  sl_shutdown();
  return tmpdir_done(check_exit());
}
