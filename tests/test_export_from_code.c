/* Exporters switched on from code (sl_export_start) with the names of the environment
 * variables: the spans and log records made after it reach the exporter (here the
 * otlp_file one: OTLP/JSON export requests, one a line), with their ids; a second call
 * is refused, since exporters run already. */
#define SPANLOG_LOGGER "code"
#include <spanlog.h>
#include <string.h>

#include "check.h"
#include "testfiles.h"

/* Whether some line of the file holds every one of the pieces. */
static int some_line_has(const char *path, const char *a, const char *b) {
  text t = read_text(path);
  int found = 0;
  for (size_t i = 0; i < t.n && !found; i++) found = strstr(t.line[i], a) && strstr(t.line[i], b);
  text_free(&t);
  return found;
}

static void records_after_sl_export_start_are_exported(void) {
  char path[128], setting[160];
  in_dir(path, sizeof path, "otlp.jsonl");
  snprintf(setting, sizeof setting, "SPANLOG_OTLP_FILE=%s", path);
  const char *settings[] = {"OTEL_TRACES_EXPORTER=otlp_file", "OTEL_LOGS_EXPORTER=otlp_file",
                            "OTEL_BSP_SCHEDULE_DELAY=50", "OTEL_BLRP_SCHEDULE_DELAY=50", setting, NULL};
  CHECK_INT(sl_export_start(settings), 0);
  sl_span *s = sl_span_start("export.me", "answer", 42);
  char trace[33], span[17];
  CHECK_INT(sl_span_ids(s, trace, span), 0);
  log_info("inside.the.span", "k", "v");
  sl_span_end(s);
  sl_flush(); /* the exporters get one bounded attempt */
  CHECK(some_line_has(path, "\"resourceSpans\"", "\"export.me\""));
  CHECK(some_line_has(path, "\"resourceSpans\"", trace));
  CHECK(some_line_has(path, "\"resourceLogs\"", "inside.the.span"));
  CHECK(some_line_has(path, "\"resourceLogs\"", span));
  sl_export_counts counts;
  sl_export_stats(SL_EXPORT_TRACES, &counts);
  CHECK_INT(counts.exported, 1);
  CHECK_INT(sl_export_start(settings), -1); /* exporters run already */
}

int main(void) {
  if (!tmpdir_make("export-from-code")) return perror("mkdtemp"), 1;
  RUN(records_after_sl_export_start_are_exported);
  return tmpdir_done(check_exit());
}
