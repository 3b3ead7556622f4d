/* capture_fields_typed: a captured record read back as typed fields, in line order:
 * integers (past int64_t too), doubles, strings decoded from their escapes (a NUL byte
 * and non-ASCII included), booleans, null, raw JSON as arrays and objects; wrong-type
 * reads and absent keys fail without touching the output. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static void fields_come_back_typed(sl_capture *cap) {
  check_current = "typed fields";
  const char *nothing = NULL;
  log_event("typed", "n", -42, "big", (uint64_t)18446744073709551615u, "ratio", 0.5, "name", "tab\there \"q\" é",
            "bytes", SL_STRN("a\0b", 3), "ok", SL_BOOL(1), "missing", nothing, "list", SL_RAW_JSON("[1,\"two\"]"),
            "obj", SL_RAW_JSON("{\"k\":{\"deep\":true}}"));
  CHECK_INT(sl_capture_count(cap), 1);

  static const char *const keys[] = {"timestamp", "level", "logger", "event", "n", "big", "ratio",
                                     "name", "bytes", "ok", "missing", "list", "obj"};
  static const sl_value_type types[] = {SL_VALUE_STRING, SL_VALUE_STRING, SL_VALUE_STRING, SL_VALUE_STRING,
                                        SL_VALUE_INT, SL_VALUE_UINT, SL_VALUE_DOUBLE, SL_VALUE_STRING,
                                        SL_VALUE_STRING, SL_VALUE_BOOL, SL_VALUE_NULL, SL_VALUE_ARRAY,
                                        SL_VALUE_JSON};
  size_t n = sizeof keys / sizeof *keys;
  CHECK_INT(sl_capture_field_count(cap, 0), n);
  for (size_t j = 0; j < n; j++) {
    sl_value_type t = (sl_value_type)-1;
    CHECK_STR(sl_capture_field_at(cap, 0, j, &t), keys[j]);
    CHECK_INT(t, types[j]);
  }
  sl_value_type untouched = SL_VALUE_BOOL;
  CHECK(sl_capture_field_at(cap, 0, n, &untouched) == NULL && untouched == SL_VALUE_BOOL);

  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  int b = 0;
  size_t len = 0;
  CHECK(sl_capture_int(cap, 0, "n", &i) == 0 && i == -42);
  CHECK(sl_capture_int(cap, 0, "big", &i) == -1);
  CHECK(sl_value_uint(sl_capture_get(cap, 0, "big"), &u) == 0 && u == UINT64_MAX);
  CHECK(sl_capture_double(cap, 0, "ratio", &d) == 0 && d == 0.5);
  CHECK(sl_capture_double(cap, 0, "n", &d) == 0 && d == -42.0);
  CHECK_STR(sl_capture_string(cap, 0, "name", &len), "tab\there \"q\" é");
  CHECK_INT(len, strlen("tab\there \"q\" é"));
  const char *bytes = sl_capture_string(cap, 0, "bytes", &len);
  CHECK(bytes && len == 3 && memcmp(bytes, "a\0b", 3) == 0);
  CHECK(sl_capture_bool(cap, 0, "ok", &b) == 0 && b == 1);
  CHECK(sl_capture_is_null(cap, 0, "missing"));
  CHECK(!sl_capture_is_null(cap, 0, "ok"));
  CHECK(!sl_capture_is_null(cap, 0, "no such key"));

  const sl_value *list = sl_capture_get(cap, 0, "list");
  CHECK_INT(sl_value_count(list), 2);
  const char *key = "set";
  CHECK(sl_value_int(sl_value_at(list, 0, &key), &i) == 0 && i == 1 && key == NULL);
  CHECK_STR(sl_value_string(sl_value_at(list, 1, NULL), NULL), "two");
  const sl_value *deep = sl_value_get(sl_value_get(sl_capture_get(cap, 0, "obj"), "k"), "deep");
  CHECK(sl_value_bool(deep, &b) == 0 && b == 1);
  size_t jlen = 0;
  const char *json = sl_value_json(sl_capture_get(cap, 0, "obj"), &jlen);
  CHECK(json && jlen == strlen("{\"k\":{\"deep\":true}}") && memcmp(json, "{\"k\":{\"deep\":true}}", jlen) == 0);
}

static void wrong_types_and_absent_keys_fail(sl_capture *cap) {
  check_current = "wrong types";
  int64_t i = 7;
  double d = 7;
  int b = 7;
  CHECK(sl_capture_int(cap, 0, "ratio", &i) == -1 && i == 7);
  CHECK(sl_capture_int(cap, 0, "name", &i) == -1 && i == 7);
  CHECK(sl_capture_double(cap, 0, "ok", &d) == -1 && d == 7);
  CHECK(sl_capture_bool(cap, 0, "n", &b) == -1 && b == 7);
  CHECK(sl_capture_string(cap, 0, "n", NULL) == NULL);
  CHECK(sl_capture_get(cap, 0, "absent") == NULL);
  CHECK(sl_capture_int(cap, 0, "absent", &i) == -1);
  CHECK(sl_capture_parsed(cap, 1) == NULL);
  CHECK_INT(sl_capture_field_count(cap, 1), 0);
  CHECK(sl_capture_string(NULL, 0, "event", NULL) == NULL);
}

static void clear_forgets_parsed_records(sl_capture *cap) {
  check_current = "clear";
  sl_capture_clear(cap);
  CHECK(sl_capture_parsed(cap, 0) == NULL);
  log_info("second", "n", 2);
  int64_t i = 0;
  CHECK(sl_capture_int(cap, 0, "n", &i) == 0 && i == 2);
  CHECK_STR(sl_capture_string(cap, 0, "event", NULL), "second");
}

int main(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  fields_come_back_typed(cap);
  wrong_types_and_absent_keys_fail(cap);
  clear_forgets_parsed_records(cap);
  sl_capture_stop(cap);
  return check_failures != 0;
}
