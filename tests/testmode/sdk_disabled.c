/* sdk_disabled_makes_no_spans: with OTEL_SDK_DISABLED=true (set by the test), spans are
 * no-ops: sl_span_start returns NULL, calls on it do nothing, no span line is written and
 * records carry no span of ours; log records are still written (they are spanlog's log,
 * not the OpenTelemetry SDK's), and a trace continued from a traceparent still
 * propagates unchanged, as the specification keeps propagators working. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

int main(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  check_current = "no spans";
  sl_span *s = sl_span_start("work", "k", 1);
  CHECK(s == NULL);
  sl_span_set(s, "k", 2);
  sl_span_event(s, "e");
  sl_span_error(s, "E", "m");
  int ran = 0;
  SL_SPAN("block") {
    ran = 1;
    log_info("inside");
    CHECK(sl_span_current() == NULL);
  }
  CHECK(ran);
  sl_span_end(s);
  CHECK_INT(sl_capture_span_count(cap), 0);
  CHECK_INT(sl_capture_count(cap), 1);
  CHECK_STR(sl_capture_string(cap, 0, "event", NULL), "inside");
  CHECK(sl_capture_get(cap, 0, "trace_id") == NULL);

  check_current = "propagation unchanged";
  static const char incoming[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  CHECK_INT(sl_trace_continue(incoming, NULL), 0);
  SL_SPAN("handler") {
    char out[56];
    CHECK_INT(sl_traceparent_format(NULL, out), 55);
    CHECK_STR(out, incoming);
    log_info("handled");
  }
  CHECK_INT(sl_capture_span_count(cap), 0);
  CHECK_STR(sl_capture_string(cap, 1, "trace_id", NULL), "4bf92f3577b34da6a3ce929d0e0e4736");
  sl_capture_stop(cap);
  return check_failures != 0;
}
