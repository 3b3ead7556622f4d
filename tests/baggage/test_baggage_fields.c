/* SPANLOG_BAGGAGE_FIELDS=1 (set by meson.build): the entries of the current context's
 * baggage are bound as "baggage.<key>", so that its records carry them. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static sl_capture *cap;

/* The value of key in the only record the capture holds, or NULL; clears the capture. */
static char value[256];
static const char *field(const char *key) {
  CHECK_INT(sl_capture_count(cap), 1);
  size_t len = 0;
  const char *v = sl_capture_field(cap, 0, key, &len);
  if (v) snprintf(value, sizeof value, "%.*s", (int)len, v);
  sl_capture_clear(cap);
  return v ? value : NULL;
}

static void set_entries_are_fields_of_records(void) {
  sl_baggage_set("user", "u1");
  log_info("one");
  CHECK_STR(field("baggage.user"), "\"u1\"");
  sl_baggage_set("user", "u2");
  log_info("two");
  CHECK_STR(field("baggage.user"), "\"u2\"");
  sl_baggage_remove("user");
  log_info("three");
  CHECK(field("baggage.user") == NULL);
}

static void continue_replaces_the_fields_too(void) {
  sl_baggage_continue("a=1,b=x%20y");
  log_info("one");
  CHECK_STR(field("baggage.b"), "\"x y\"");
  sl_baggage_continue("c=3");
  log_info("two");
  CHECK_INT(sl_capture_count(cap), 1);
  CHECK(sl_capture_field(cap, 0, "baggage.a", NULL) == NULL);
  CHECK(sl_capture_field(cap, 0, "baggage.b", NULL) == NULL);
  CHECK_STR(field("baggage.c"), "\"3\"");
  sl_baggage_clear();
  log_info("three");
  CHECK(field("baggage.c") == NULL);
}

static void a_context_object_has_the_fields_of_its_baggage(void) {
  sl_baggage_set("request", "r1");
  sl_context *fresh = sl_context_new();
  sl_context *prev = sl_context_swap(fresh);
  log_info("in the new context");
  CHECK(field("baggage.request") == NULL);
  sl_baggage_set("task", "t1");
  log_info("with its own");
  CHECK_STR(field("baggage.task"), "\"t1\"");
  sl_context_swap(prev);
  log_info("back");
  CHECK_STR(field("baggage.request"), "\"r1\"");
  sl_context_free(fresh);
  sl_baggage_clear();
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(set_entries_are_fields_of_records);
  RUN(continue_replaces_the_fields_too);
  RUN(a_context_object_has_the_fields_of_its_baggage);
  sl_capture_stop(cap);
  return check_exit();
}
