/* span_error_records_exception_event: sl_span_error(span, type, message) records what
 * OpenTelemetry's record_exception does, an "exception" event with exception.type and
 * exception.message, sets error.type and the error status with the message; a NULL type
 * or message is left out of the event (error.type then is _OTHER). */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static const char *str(const sl_value *v, const char *key) { return sl_value_string(sl_value_get(v, key), NULL); }

static const sl_value *only_event(const sl_value *span) {
  const sl_value *events = sl_value_get(span, "events");
  CHECK_INT(sl_value_count(events), 1);
  return sl_value_at(events, 0, NULL);
}

int main(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_span *s = sl_span_start("fetch");
  sl_span_error(s, "TimeoutError", "upstream took 30 s");
  sl_span_end(s);
  sl_span *bare = sl_span_start("bare");
  sl_span_error(bare, NULL, NULL);
  sl_span_end(bare);

  check_current = "type and message";
  const sl_value *span = sl_capture_span(cap, 0);
  CHECK_STR(str(sl_value_get(span, "status"), "code"), "error");
  CHECK_STR(str(sl_value_get(span, "status"), "message"), "upstream took 30 s");
  CHECK_STR(str(sl_value_get(span, "attributes"), "error.type"), "TimeoutError");
  const sl_value *event = only_event(span);
  CHECK_STR(str(event, "name"), "exception");
  const sl_value *attrs = sl_value_get(event, "attributes");
  CHECK_INT(sl_value_count(attrs), 2);
  CHECK_STR(str(attrs, "exception.type"), "TimeoutError");
  CHECK_STR(str(attrs, "exception.message"), "upstream took 30 s");
  CHECK(str(event, "timestamp") != NULL);

  check_current = "neither type nor message";
  span = sl_capture_span(cap, 1);
  CHECK_STR(str(sl_value_get(span, "attributes"), "error.type"), "_OTHER");
  CHECK_STR(str(sl_value_get(span, "status"), "code"), "error");
  CHECK_INT(sl_value_count(sl_value_get(only_event(span), "attributes")), 0);
  sl_capture_stop(cap);
  return check_failures != 0;
}
