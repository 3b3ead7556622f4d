/* No key appears twice in a line, ever. Every line here is judged by the strict parser
 * (and jansson's with JSON_REJECT_DUPLICATES), which refuse a duplicate key. The cases:
 * a user key named like a call-site field while call sites are on (renamed with a
 * leading underscore, as the record's own keys are), and keys that differ only in
 * invalid UTF-8, which every formatter renders as the same U+FFFD, and objects of
 * pre-rendered JSON that hold a key twice. */
#include <unistd.h>

#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

#define FFFD "\xEF\xBF\xBD"

/* The only line of the capture, parsed (NULL, and a failure, if there is not one). */
static jl_doc *only_line(sl_capture *cap) {
  CHECK_INT(sl_capture_count(cap), 1);
  return PARSE(sl_capture_line(cap, 0));
}

static void user_callsite_key_is_renamed_when_call_sites_are_on(void) {
  sl_set_callsite(1);
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  int line = __LINE__ + 1;
  log_event("e", "code.line.number", 7, "code.file.path", "mine.c", "code.function.name", "mine");
  jl_doc *d = only_line(cap);
  if (!doc_has(d, "code.line.number")) FAIL("%s", sl_capture_line(cap, 0));
  CHECK_INT(doc_long(d, "code.line.number"), line);
  CHECK_INT(doc_long(d, "_code.line.number"), 7);
  CHECK_STR(doc_str(d, "_code.file.path"), "mine.c");
  CHECK_STR(doc_str(d, "_code.function.name"), "mine");
  CHECK_STR(doc_str(d, "code.function.name"), __func__);
  jl_free(d);
  sl_capture_stop(cap);
  sl_set_callsite(0);
}

static void bound_callsite_key_is_renamed_when_call_sites_are_on(void) {
  sl_set_callsite(1);
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  log_bind("code.line.number", 7, "_code.line.number", 8);
  log_event("e");
  log_clear();
  jl_doc *d = only_line(cap); /* the two bound keys now collide: one stays */
  CHECK(doc_long(d, "code.line.number") > 0 && doc_long(d, "code.line.number") != 7);
  CHECK(doc_has(d, "_code.line.number"));
  jl_free(d);
  sl_capture_stop(cap);
  sl_set_callsite(0);
}

static void renamed_key_meets_its_own_name(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  log_event("e", "level", 1, "_level", 2);
  jl_doc *d = only_line(cap);
  CHECK_INT(doc_long(d, "_level"), 2); /* a key given twice keeps its last value */
  jl_free(d);
  sl_capture_stop(cap);
}

static void invalid_utf8_keys_that_render_alike_appear_once(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  log_event("e", "\xff", 1, "\xfe", 2, FFFD, 3, "a\xc0", 4, "a\xff", 5);
  jl_doc *d = only_line(cap);
  CHECK_INT(doc_long(d, FFFD), 3);
  CHECK_INT(doc_long(d, "a" FFFD), 5);
  jl_free(d);
  sl_capture_stop(cap);
}

static void invalid_utf8_bound_keys_appear_once(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  log_bind("\xff", 1, "\xfe", 2, "k\x80", 3);
  log_event("e", "k\xc1", 4); /* the call's key wins over the bound one */
  log_clear();
  jl_doc *d = only_line(cap);
  CHECK(doc_long(d, FFFD) == 1 || doc_long(d, FFFD) == 2);
  CHECK_INT(doc_long(d, "k" FFFD), 4);
  jl_free(d);
  sl_capture_stop(cap);
}

/* The raw JSON of key's value in d, copied into buf (NULL if absent). */
static const char *raw(const jl_doc *d, const char *key, char *buf, size_t size) {
  return doc_raw(d, key, buf, size);
}

/* Pre-rendered JSON whose object holds a key twice (also written with an escape) is not
   written as JSON: the value becomes a string, and the line stays valid. */
static void a_raw_json_value_with_a_key_twice_is_written_as_a_string(void) {
  static const char *const twice[] = {"{\"a\":1,\"a\":2}", "{\"x\":{\"a\":1,\"\\u0061\":2}}"};
  for (size_t i = 0; i < sizeof twice / sizeof twice[0]; i++) {
    sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
    log_event("e", "v", SL_RAW_JSON(twice[i]), "fine", SL_RAW_JSON("[{\"a\":1},{\"a\":1}]"));
    jl_doc *d = only_line(cap);
    CHECK_STR(doc_str(d, "v"), twice[i]);
    char raw[64];
    CHECK_STR(doc_raw(d, "fine", raw, sizeof raw), "[{\"a\":1},{\"a\":1}]");
    jl_free(d);
    sl_capture_stop(cap);
  }
}

static void span_attribute_keys_appear_once(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_span *s = sl_span_start("x", "\xff", 1);
  sl_span_set(s, "\xfe", 2);
  sl_span_event(s, "ev", "a", 1, "a", 2);
  sl_span_link(s, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "l\xff", 1, "l\xfe", 2);
  sl_span_end(s);
  jl_doc *d = only_line(cap); /* parsing refuses a repeated key at any depth */
  char buf[512];
  CHECK_STR(raw(d, "attributes", buf, sizeof buf), "{\"" FFFD "\":2}");
  CHECK(strstr(raw(d, "events", buf, sizeof buf), "\"attributes\":{\"a\":2}"));
  CHECK(strstr(raw(d, "links", buf, sizeof buf), "\"attributes\":{\"l" FFFD "\":2}"));
  jl_free(d);
  sl_capture_stop(cap);
}

static void invalid_utf8_keys_in_logfmt_and_console_too(void) {
  /* The capture renders JSON; the same keys through a logfmt file sink must not repeat
     either: the key is made well-formed before any formatter sees it. */
  char path[] = "/tmp/spanlog-unique-keys-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  sl_sink *s = sl_sink_add_fd(fd, SL_LEVEL_DEBUG);
  sl_sink_set_format(s, SL_FORMAT_LOGFMT);
  log_event("e", "\xff", 1, "\xfe", 2);
  sl_flush();
  sl_sink_remove(s);
  char buf[512] = {0};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  CHECK(n > 0);
  const char *first = strstr(buf, FFFD);
  CHECK_MSG(first && !strstr(first + 1, FFFD), "%s", buf);
  close(fd);
  unlink(path);
}

int main(void) {
  RUN(user_callsite_key_is_renamed_when_call_sites_are_on);
  RUN(bound_callsite_key_is_renamed_when_call_sites_are_on);
  RUN(renamed_key_meets_its_own_name);
  RUN(invalid_utf8_keys_that_render_alike_appear_once);
  RUN(invalid_utf8_bound_keys_appear_once);
  RUN(span_attribute_keys_appear_once);
  RUN(a_raw_json_value_with_a_key_twice_is_written_as_a_string);
  RUN(invalid_utf8_keys_in_logfmt_and_console_too); /* last: adds a sink from code */
  return check_exit();
}
