/* Every public function that takes a handle accepts NULL: a sink that failed to open, a
 * logger or a capture that could not be allocated, a span that was never started. Each
 * call below would crash the program if one of them dereferenced its handle; the name is
 * printed first so that a crash says which call it was. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

#define CALL(expr)                                                                        \
  do {                                                                                    \
    fprintf(stderr, "calling %s\n", #expr);                                               \
    expr;                                                                                 \
  } while (0)

static void sinks_accept_null(void) {
  sl_sink *bad = sl_sink_add_file("/nonexistent-dir/spanlog-test/x.log", SL_LEVEL_INFO);
  CHECK(bad == NULL);
  CALL(sl_sink_set_level(bad, SL_LEVEL_DEBUG));
  CALL(sl_sink_set_format(bad, SL_FORMAT_JSON));
  CALL(sl_sink_remove(bad));
  CHECK(sl_sink_reopen(bad) < 0);
  CHECK(sl_sink_add_file(NULL, SL_LEVEL_INFO) == NULL);
}

static void loggers_accept_null(void) {
  CALL(sl_logger_set_level(NULL, SL_LEVEL_DEBUG));
  CHECK_INT(sl_logger_level(NULL), SL_LEVEL_OFF);
  CHECK(sl_logger_name(NULL) == NULL);
  CHECK(!sl_logger_enabled(NULL, SL_LEVEL_CRITICAL));
  CALL(sl_log(NULL, SL_LEVEL_CRITICAL, "nowhere", "k", 1));
  CHECK(sl_set_levels(NULL) < 0);
  CHECK(sl_level_parse(NULL) < 0);
}

static void captures_accept_null(void) {
  size_t len = 7;
  CHECK_INT(sl_capture_count(NULL), 0);
  CHECK(sl_capture_line(NULL, 0) == NULL);
  CHECK(sl_capture_field(NULL, 0, "k", &len) == NULL);
  CHECK(sl_capture_field(NULL, 0, "k", NULL) == NULL);
  CALL(sl_capture_clear(NULL));
  CALL(sl_capture_stop(NULL));
}

static void spans_accept_null(void) {
  char tid[33], sid[17], tp[56];
  CALL(sl_span_set(NULL, "k", 1));
  CALL(sl_span_event(NULL, "e", "k", 1));
  CALL(sl_span_link(NULL, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k", 1));
  CALL(sl_span_error(NULL, "timeout", "m"));
  CALL(sl_span_set_status(NULL, SL_STATUS_OK, NULL));
  CALL(sl_span_set_kind(NULL, SL_SPAN_CLIENT));
  CALL(sl_span_end(NULL));
  CHECK(!sl_span_is_sampled(NULL));
  CHECK(sl_span_ids(NULL, tid, sid) < 0);
  CHECK_INT(sl_traceparent_format(NULL, tp), 0); /* no current span */
  CHECK(sl_trace_continue(NULL, NULL) < 0);
  CALL(sl_trace_environ_free(NULL));
  CALL(sl_genai_response(NULL, "m", "id", NULL, 0));
  CALL(sl_genai_usage(NULL, 1, 2));
  CALL(sl_genai_usage_detail(NULL, 1, 2, 3));
  CHECK(!sl_genai_capturing(NULL));
  CALL(sl_genai_add_message(NULL, SL_GENAI_INPUT, "user", "hi", NULL));
  CALL(sl_genai_set_content_json(NULL, SL_GENAI_INPUT, "[]"));
}

static void contexts_and_records_accept_null(void) {
  size_t len = 7;
  CALL(sl_context_free(NULL));
  CALL(sl_context_swap(sl_context_swap(NULL)));
  CHECK(sl_processor_add(NULL, NULL) < 0);
  CHECK(sl_processor_remove(NULL, NULL) < 0);
  CHECK(sl_redact(NULL) < 0);
  CHECK(!sl_record_is_span(NULL));
  CHECK_INT(sl_record_level(NULL), SL_LEVEL_OFF);
  CHECK(sl_record_event(NULL, &len) == NULL && len == 0);
  CHECK(sl_record_logger(NULL, &len) == NULL && len == 0);
  CHECK_INT(sl_record_count(NULL), 0);
  CHECK(sl_record_key(NULL, 0, &len) == NULL);
  CHECK_INT(sl_record_type(NULL, 0), SL_VALUE_NULL);
  CHECK(sl_record_string(NULL, 0, &len) == NULL);
  CHECK_INT(sl_record_int(NULL, 0), 0);
  CHECK(sl_record_uint(NULL, 0) == 0);
  CHECK(sl_record_double(NULL, 0) == 0.0);
  CHECK_INT(sl_record_bool(NULL, 0), 0);
  CHECK_INT(sl_record_find(NULL, "k"), -1);
  CHECK(sl_record_set(NULL, "k", 1) < 0);
  CALL(sl_record_remove(NULL, 0));
}

int main(void) {
  RUN(sinks_accept_null);
  RUN(loggers_accept_null);
  RUN(captures_accept_null);
  RUN(spans_accept_null);
  RUN(contexts_and_records_accept_null);
  return check_exit();
}
