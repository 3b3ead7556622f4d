/* jansson values (built when jansson is found): a json_t * is a value like any other,
 * rendered as nested JSON, in log fields, bound fields and span attributes; it is read
 * when the call is made, so the application may change or free it right after. */
#include <jansson.h>
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static void json_values_render_nested(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  json_t *args = json_pack("{s:s, s:i, s:[b,n]}", "query", "Q3 \"invoices\"", "top_k", 5, "flags", 1);
  json_t *none = NULL;
  log_bind("request", args);
  log_event("tool.call", "args", args, "none", none);
  json_object_set_new(args, "later", json_string("not in the record"));
  sl_span *s = sl_span_start("execute_tool", "gen_ai.tool.call.arguments", args);
  sl_span_end(s);
  json_decref(args); /* already captured */
  log_clear();

  CHECK_INT(sl_capture_count(cap), 2);
  size_t len;
  const char *v = sl_capture_field(cap, 0, "args", &len);
  const char *want = "{\"query\":\"Q3 \\\"invoices\\\"\",\"top_k\":5,\"flags\":[true,null]}";
  CHECK(v && len == strlen(want) && memcmp(v, want, len) == 0);
  v = sl_capture_field(cap, 0, "request", &len);
  CHECK(v && memcmp(v, "{\"query\"", 8) == 0 && !memmem(v, len, "later", 5));
  v = sl_capture_field(cap, 0, "none", &len);
  CHECK(v && len == 4 && memcmp(v, "null", 4) == 0);
  v = sl_capture_field(cap, 1, "attributes", &len);
  CHECK(v && memmem(v, len, "\"later\":\"not in the record\"", 27) != NULL);
  for (size_t i = 0; i < 2; i++) jl_free(PARSE(sl_capture_line(cap, i)));
  sl_capture_stop(cap);
}

int main(void) {
  RUN(json_values_render_nested);
  return check_exit();
}
