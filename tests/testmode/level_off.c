/* level_off_silences_span_lines (SPANLOG_LEVEL=off, set by the test): no log record and no
 * span line reaches a sink; a traces exporter still gets every span (here the otlp_file
 * one); span lines come back when the level does, and "spanlog.spans" names them in a
 * level specification. */
#include <spanlog.h>
#include <spanlog/export.h>
#include <spanlog/testing.h>

#include "check.h"
#include "testfiles.h"

static int lines_holding(const char *path, const char *piece) {
  text t = read_text(path);
  int n = 0;
  for (size_t i = 0; i < t.n; i++) n += strstr(t.line[i], piece) != NULL;
  text_free(&t);
  return n;
}

int main(void) {
  if (!tmpdir_make("testmode-level-off")) return perror("mkdtemp"), 1;
  char path[128], setting[160];
  in_dir(path, sizeof path, "otlp.jsonl");
  snprintf(setting, sizeof setting, "SPANLOG_OTLP_FILE=%s", path);
  const char *settings[] = {"OTEL_TRACES_EXPORTER=otlp_file", "OTEL_BSP_SCHEDULE_DELAY=50", setting, NULL};
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);

  check_current = "off: neither logs nor span lines";
  SL_SPAN("before.export") log_critical("not even this");
  CHECK_INT(sl_capture_count(cap), 0);

  check_current = "off, with a traces exporter";
  CHECK_INT(sl_export_start(settings), 0);
  SL_SPAN("exported") log_info("not this either");
  sl_flush();
  CHECK_INT(sl_capture_count(cap), 0);
  CHECK_INT(lines_holding(path, "\"exported\""), 1);

  check_current = "the level back";
  CHECK_INT(sl_set_levels("info"), 0);
  SL_SPAN("visible") log_info("seen");
  CHECK_INT(sl_capture_count(cap), 2);
  CHECK_INT(sl_capture_span_count(cap), 1);

  check_current = "span lines named in the specification";
  sl_capture_clear(cap);
  CHECK_INT(sl_set_levels("off,spanlog.spans=info"), 0);
  SL_SPAN("named") log_info("silent");
  CHECK_INT(sl_capture_count(cap), 1);
  CHECK_INT(sl_capture_span_count(cap), 1);
  sl_flush();
  CHECK_INT(lines_holding(path, "\"named\""), 1);
  sl_capture_stop(cap);
  return tmpdir_done(check_exit());
}
