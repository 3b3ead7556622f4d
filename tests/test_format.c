/* The JSON line format, byte for byte, and what becomes of hostile values. Every line
 * is read back with the strict checker (tests/jsonl.c), which refuses duplicate keys. */
#define SPANLOG_LOGGER "agent"
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"
#include "capture/context.h" /* sl_context_set_span_ids: the span slot, until spans set it */

static sl_capture *cap;

/* 2026-03-14T10:42:13.421337Z */
static uint64_t fixed_clock(void) { return 1773484933ull * 1000000000ull + 421337000ull; }

static void set_span(const char *trace_hex, const char *span_hex) {
  uint8_t t[16], s[8];
  for (int i = 0; i < 16; i++) sscanf(trace_hex + 2 * i, "%2hhx", &t[i]);
  for (int i = 0; i < 8; i++) sscanf(span_hex + 2 * i, "%2hhx", &s[i]);
  sl_context_set_span_ids(sl_context_current(), t, s);
}

static void clear_span(void) { sl_context_set_span_ids(sl_context_current(), NULL, NULL); }

/* The one line logged since the last call. */
static const char *only_line(void) {
  size_t n = sl_capture_count(cap);
  CHECK_INT(n, 1);
  const char *line = n ? sl_capture_line(cap, n - 1) : NULL;
  static char copy[1 << 21];
  snprintf(copy, sizeof copy, "%s", line ? line : "");
  sl_capture_clear(cap);
  return copy;
}

static jl_doc *only_doc(void) { return PARSE(only_line()); }

static void golden_line_matches_the_design(void) {
  log_bind("user_id", "u_8821");
  set_span("8f3c2e1a9b4d50670c8e1f2a3b4c5d6e", "a0b1c2d3e4f50678");
  const char *q = "Q3 invoices";
  log_event("searching", "query", q, "top_k", 5);
  CHECK_STR(only_line(),
            "{\"timestamp\":\"2026-03-14T10:42:13.421337Z\",\"level\":\"info\",\"logger\":\"agent\","
            "\"event\":\"searching\",\"query\":\"Q3 invoices\",\"top_k\":5,\"user_id\":\"u_8821\","
            "\"trace_id\":\"8f3c2e1a9b4d50670c8e1f2a3b4c5d6e\",\"span_id\":\"a0b1c2d3e4f50678\"}");
  clear_span();
  log_clear();
}

static void no_span_means_no_trace_fields(void) {
  log_warning("no span", "n", 1);
  CHECK_STR(only_line(), "{\"timestamp\":\"2026-03-14T10:42:13.421337Z\",\"level\":\"warning\","
                         "\"logger\":\"agent\",\"event\":\"no span\",\"n\":1}");
}

static void levels_render_as_lower_case_words(void) {
  log_info("a");
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "level"), "info");
  jl_free(d);
  log_error("a");
  d = only_doc();
  CHECK_STR(doc_str(d, "level"), "error");
  jl_free(d);
  log_critical("a");
  d = only_doc();
  CHECK_STR(doc_str(d, "level"), "critical");
  jl_free(d);
}

/* Shortest text that reads back as the same double, in Python's repr style. */
static void doubles_render_shortest_round_trip(void) {
  struct {
    double v;
    const char *want;
  } cases[] = {{0.87, "0.87"}, {7.6, "7.6"},     {0.1, "0.1"},       {-0.0, "-0.0"},
               {5.0, "5.0"},   {1e16, "1e+16"},  {1e-5, "1e-05"},    {5e-324, "5e-324"},
               {DBL_MAX, "1.7976931348623157e+308"}, {2.0 / 3, "0.6666666666666666"}};
  char buf[64];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    log_event("d", "v", cases[i].v);
    jl_doc *d = only_doc();
    CHECK_STR(doc_raw(d, "v", buf, sizeof buf), cases[i].want);
    jl_free(d);
  }
  float f = 0.5f;
  log_event("f", "v", f);
  jl_doc *d = only_doc();
  CHECK_STR(doc_raw(d, "v", buf, sizeof buf), "0.5");
  jl_free(d);
}

static void non_finite_doubles_render_as_strings(void) {
  log_event("nf", "nan", NAN, "inf", INFINITY, "ninf", -INFINITY);
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "nan"), "NaN");
  CHECK_STR(doc_str(d, "inf"), "Infinity");
  CHECK_STR(doc_str(d, "ninf"), "-Infinity");
  jl_free(d);
}

static void integers_are_exact_at_their_limits(void) {
  unsigned char uc = 255;
  short s = -32768;
  size_t z = SIZE_MAX;
  log_event("ints", "min", INT64_MIN, "umax", UINT64_MAX, "uc", uc, "s", s, "z", z, "zero", 0);
  jl_doc *d = only_doc();
  char buf[64];
  CHECK_STR(doc_raw(d, "min", buf, sizeof buf), "-9223372036854775808");
  CHECK_STR(doc_raw(d, "umax", buf, sizeof buf), "18446744073709551615");
  CHECK_STR(doc_raw(d, "uc", buf, sizeof buf), "255");
  CHECK_STR(doc_raw(d, "s", buf, sizeof buf), "-32768");
  CHECK_STR(doc_raw(d, "z", buf, sizeof buf), "18446744073709551615");
  CHECK_STR(doc_raw(d, "zero", buf, sizeof buf), "0");
  jl_free(d);
}

static void bools_and_nulls(void) {
  bool yes = true;
  const char *none = NULL;
  log_event("b", "a", SL_BOOL(1), "b", SL_BOOL(0), "c", yes, "s", none, "n", SL_STRN(NULL, 4));
  CHECK_STR(strstr(only_line(), "\"a\""), "\"a\":true,\"b\":false,\"c\":true,\"s\":null,\"n\":null}");
}

/* Every byte value below 0x20, and DEL, quote and backslash, survive as escapes. */
static void control_characters_are_escaped_and_round_trip(void) {
  char all[40];
  size_t n = 0;
  for (int c = 0; c < 0x20; c++) all[n++] = (char)c;
  all[n++] = 0x7f, all[n++] = '"', all[n++] = '\\', all[n++] = '/';
  log_event("ctl", "v", SL_STRN(all, n));
  const char *line = only_line();
  CHECK(strchr(line, '\n') == NULL);
  CHECK(strstr(line, "\\u0000\\u0001") != NULL);
  CHECK(strstr(line, "\\b\\t\\n\\u000b\\f\\r") != NULL);
  jl_doc *d = PARSE(line);
  long i = d ? jl_find(d, "v") : -1;
  size_t len = 0;
  const char *v = i >= 0 ? jl_str(d, (size_t)i, &len) : NULL;
  CHECK_INT(len, n);
  CHECK(v && memcmp(v, all, n) == 0);
  jl_free(d);
}

static void a_newline_and_a_fake_record_stay_one_line(void) {
  const char *evil = "x\n{\"level\":\"error\",\"event\":\"forged\"}\r\n";
  log_event("inject", "v", evil);
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "v"), evil);
  CHECK_STR(doc_str(d, "level"), "info");
  jl_free(d);
}

static void invalid_utf8_becomes_replacement_characters(void) {
  struct {
    const char *in, *want;
  } cases[] = {
      {"a\xC0\xAF" "b", "a\xEF\xBF\xBD\xEF\xBF\xBD" "b"},       /* overlong '/' */
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* UTF-8 encoded surrogate */
      {"end\xF0\x9F\x98", "end\xEF\xBF\xBD"},                   /* truncated 4-byte sequence */
      {"\xC3\x28", "\xEF\xBF\xBD("},                             /* bad continuation */
      {"\xF5\x80", "\xEF\xBF\xBD\xEF\xBF\xBD"},                 /* beyond U+10FFFF */
      {"\x80x", "\xEF\xBF\xBDx"},                               /* lone continuation */
      {"caf\xC3\xA9 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xF0\x9F\x98\x80"}, /* valid stays */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    log_event("utf8", "v", cases[i].in);
    jl_doc *d = only_doc();
    CHECK_STR(doc_str(d, "v"), cases[i].want);
    jl_free(d);
  }
}

/* Strings of every length mixing plain and special bytes at every position: what the
   escaper skips 8 bytes at a time must never include a byte that needed escaping. */
static void random_strings_round_trip(void) {
  static const char *const pieces[] = {"a", "Z", "0", " ", "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xC3\xA9", "/"};
  unsigned seed = 7;
  long bad = 0;
  for (int round = 0; round < 3000; round++) {
    char in[128];
    size_t n = 0;
    seed = seed * 1103515245u + 12345u;
    size_t parts = (seed >> 16) % 40;
    for (size_t i = 0; i < parts; i++) {
      seed = seed * 1103515245u + 12345u;
      /* mostly plain letters, so that clean runs of 8 and more occur */
      const char *piece = (seed >> 16) % 4 ? &"abcdefgh"[(seed >> 20) % 8] : pieces[(seed >> 16) % 12];
      size_t len = strlen(piece);
      if (n + len >= sizeof in) break;
      memcpy(in + n, piece, len);
      n += len;
    }
    log_event("r", "v", SL_STRN(in, n));
    size_t count = sl_capture_count(cap);
    jl_doc *d = count ? PARSE(sl_capture_line(cap, count - 1)) : NULL;
    sl_capture_clear(cap);
    long i = d ? jl_find(d, "v") : -1;
    size_t len = 0;
    const char *v = i >= 0 ? jl_str(d, (size_t)i, &len) : NULL;
    if (!v || len != n || memcmp(v, in, n) != 0) bad++;
    jl_free(d);
  }
  CHECK_INT(bad, 0);
}

static void embedded_nul_renders_as_escape(void) {
  log_event("nul", "v", SL_STRN("a\0b", 3));
  const char *line = only_line();
  CHECK(strstr(line, "\"v\":\"a\\u0000b\"") != NULL);
}

static void raw_json_is_nested_compacted_or_else_quoted(void) {
  log_event("raw", "ok", SL_RAW_JSON("{ \"a\" : [1, 2.5, true, null],\n  \"b\": {\"c\": \"\\u00e9\"} }"),
            "bad", SL_RAW_JSON("{\"a\":"), "nan", SL_RAW_JSON("NaN"), "two", SL_RAW_JSON("1 2"));
  const char *line = only_line();
  CHECK(strstr(line, "\"ok\":{\"a\":[1,2.5,true,null],\"b\":{\"c\":\"\\u00e9\"}}") != NULL);
  jl_doc *d = PARSE(line);
  CHECK_STR(doc_str(d, "bad"), "{\"a\":");
  CHECK_STR(doc_str(d, "nan"), "NaN");
  CHECK_STR(doc_str(d, "two"), "1 2");
  jl_free(d);
  log_event("raw", "js", SL_RAW_JSON("[\"a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\"]"));
  CHECK(strstr(only_line(), "\"js\":[\"a\\u2028b\\u2029c\"]}") != NULL); /* escaped as in strings */
}

/* A user key named like one of the record's own keys is renamed; the real one stays. */
static void reserved_keys_cannot_be_shadowed(void) {
  set_span("00000000000000000000000000000001", "0000000000000002");
  log_bind("trace_id", "bound-fake");
  log_event("real", "level", "fake", "timestamp", 1, "logger", "x", "event", "y", "span_id", "z");
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "level"), "info");
  CHECK_STR(doc_str(d, "event"), "real");
  CHECK_STR(doc_str(d, "logger"), "agent");
  CHECK_STR(doc_str(d, "trace_id"), "00000000000000000000000000000001");
  CHECK_STR(doc_str(d, "span_id"), "0000000000000002");
  CHECK_STR(doc_str(d, "_level"), "fake");
  CHECK_STR(doc_str(d, "_logger"), "x");
  CHECK_STR(doc_str(d, "_event"), "y");
  CHECK_STR(doc_str(d, "_span_id"), "z");
  CHECK_STR(doc_str(d, "_trace_id"), "bound-fake");
  CHECK(doc_has(d, "_timestamp"));
  jl_free(d);
  log_clear();
  clear_span();
}

static void call_site_key_wins_and_no_key_appears_twice(void) {
  log_bind("user_id", "u1", "k", "bound");
  log_event("dup", "user_id", "u2", "a", 1, "a", 2);
  const char *line = only_line();
  jl_doc *d = PARSE(line); /* the strict parser refuses duplicate keys */
  CHECK_STR(doc_str(d, "user_id"), "u2");
  CHECK_STR(doc_str(d, "k"), "bound");
  char buf[16];
  CHECK_STR(doc_raw(d, "a", buf, sizeof buf), "2");
  CHECK_INT(d ? jl_count(d) : 0, 4 + 3);
  jl_free(d);
  log_clear();
}

static void thirty_two_pairs_and_more(void) {
  log_event("many", "k01", 1, "k02", 2, "k03", 3, "k04", 4, "k05", 5, "k06", 6, "k07", 7, "k08", 8,
            "k09", 9, "k10", 10, "k11", 11, "k12", 12, "k13", 13, "k14", 14, "k15", 15, "k16", 16,
            "k17", 17, "k18", 18, "k19", 19, "k20", 20, "k21", 21, "k22", 22, "k23", 23, "k24", 24,
            "k25", 25, "k26", 26, "k27", 27, "k28", 28, "k29", 29, "k30", 30, "k31", 31, "k32", 32,
            "k33", 33, "k34", 34, "k35", 35, "k36", 36, "k37", 37, "k38", 38, "k39", 39, "k40", 40);
  jl_doc *d = only_doc();
  CHECK_INT(d ? jl_count(d) : 0, 4 + 40);
  char buf[16];
  CHECK_STR(doc_raw(d, "k32", buf, sizeof buf), "32");
  CHECK_STR(doc_raw(d, "k40", buf, sizeof buf), "40");
  jl_free(d);
}

static void odd_keys_render_safely(void) {
  log_event("keys", "", "empty", "say \"hi\"", 1, "back\\slash", 2, "new\nline", 3);
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, ""), "empty");
  CHECK(doc_has(d, "say \"hi\""));
  CHECK(doc_has(d, "back\\slash"));
  CHECK(doc_has(d, "new\nline"));
  jl_free(d);
}

static void format_directives_are_printed_literally(void) {
  const char *fmt = "%s%n%x%p";
  log_event(fmt, "v", fmt, fmt, 1);
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "event"), "%s%n%x%p");
  CHECK_STR(doc_str(d, "v"), "%s%n%x%p");
  CHECK(doc_has(d, "%s%n%x%p"));
  jl_free(d);
}

static void a_one_mebibyte_value_arrives_whole(void) {
  size_t n = 1 << 20;
  char *big = malloc(n + 1);
  for (size_t i = 0; i < n; i++) big[i] = (char)('a' + i % 26);
  big[n] = 0;
  log_event("big", "v", big, "after", 1);
  jl_doc *d = only_doc();
  long i = d ? jl_find(d, "v") : -1;
  size_t len = 0;
  const char *v = i >= 0 ? jl_str(d, (size_t)i, &len) : NULL;
  CHECK_INT(len, n);
  CHECK(v && memcmp(v, big, n) == 0);
  CHECK(doc_has(d, "after"));
  jl_free(d);
  free(big);
}

static uint64_t date_clock_ns;
static uint64_t date_clock(void) { return date_clock_ns; }

/* The calendar, computed without the C library's (locking) gmtime: leap days, century
   rules and the epoch itself. */
static void timestamps_follow_the_gregorian_calendar(void) {
  struct {
    uint64_t sec;
    const char *want;
  } cases[] = {{0, "1970-01-01T00:00:00.000000Z"},          {951782400, "2000-02-29T00:00:00.000000Z"},
               {951868800, "2000-03-01T00:00:00.000000Z"},  {1709251199, "2024-02-29T23:59:59.000000Z"},
               {1735689599, "2024-12-31T23:59:59.000000Z"}, {4107542400, "2100-03-01T00:00:00.000000Z"},
               {4107456000, "2100-02-28T00:00:00.000000Z"}};
  sl_set_clock(date_clock);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    date_clock_ns = cases[i].sec * 1000000000ull;
    log_info("date");
    jl_doc *d = only_doc();
    CHECK_STR(doc_str(d, "timestamp"), cases[i].want);
    jl_free(d);
  }
  sl_set_clock(fixed_clock);
}

/* A record refers to literal keys and events where they are, and copies everything else
   at the call: a caller that reuses its buffers at once changes no record already made. */
static void runtime_strings_are_copied_at_the_call(void) {
  enum { N = 300 };
  char event[32], key[32], value[32], raw[32], elem[32];
  int64_t ints[2];
  for (int i = 0; i < N; i++) {
    snprintf(event, sizeof event, "event-%d", i);
    snprintf(key, sizeof key, "key-%d", i);
    snprintf(value, sizeof value, "value-%d", i);
    snprintf(raw, sizeof raw, "{\"n\":%d}", i);
    snprintf(elem, sizeof elem, "elem-%d", i);
    const char *strs[] = {elem, "lit"};
    ints[0] = i, ints[1] = -i;
    log_event(event, key, value, "literal", SL_STRN(value, strlen(value)), "raw", SL_RAW_JSON(raw), "strs",
              SL_STRS(strs, 2), "ints", SL_INTS(ints, 2));
    memset(event, 'X', sizeof event - 1), memset(key, 'X', sizeof key - 1), memset(value, 'X', sizeof value - 1);
    memset(raw, 'X', sizeof raw - 1), memset(elem, 'X', sizeof elem - 1), ints[0] = ints[1] = 7777;
  }
  sl_flush();
  CHECK_INT(sl_capture_count(cap), N);
  for (int i = 0; i < N && (size_t)i < sl_capture_count(cap); i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, (size_t)i));
    char want[64], got[64];
    snprintf(want, sizeof want, "event-%d", i);
    CHECK_STR(doc_str(d, "event"), want);
    snprintf(key, sizeof key, "key-%d", i);
    snprintf(want, sizeof want, "value-%d", i);
    CHECK_STR(doc_str(d, key), want);
    CHECK_STR(doc_str(d, "literal"), want);
    snprintf(want, sizeof want, "{\"n\":%d}", i);
    CHECK_STR(doc_raw(d, "raw", got, sizeof got), want);
    snprintf(want, sizeof want, "[\"elem-%d\",\"lit\"]", i);
    CHECK_STR(doc_raw(d, "strs", got, sizeof got), want);
    snprintf(want, sizeof want, "[%d,%d]", i, -i);
    CHECK_STR(doc_raw(d, "ints", got, sizeof got), want);
    jl_free(d);
  }
  sl_capture_clear(cap);
}

/* A key and an event too large for the queue take the heap, copied like the rest. */
static void a_huge_runtime_key_and_event_arrive_whole(void) {
  size_t n = 200 * 1024;
  char *key = malloc(n + 1), *event = malloc(n + 1);
  for (size_t i = 0; i < n; i++) key[i] = (char)('a' + i % 26), event[i] = (char)('A' + i % 26);
  key[n] = event[n] = 0;
  log_event(event, key, 1, "after", 2);
  memset(key, 'x', n), memset(event, 'x', n); /* reused at once: the record has its copy */
  jl_doc *d = only_doc();
  for (size_t i = 0; i < n; i++) key[i] = (char)('a' + i % 26), event[i] = (char)('A' + i % 26);
  long k = d ? jl_find(d, "event") : -1;
  size_t len = 0;
  const char *v = k >= 0 ? jl_str(d, (size_t)k, &len) : NULL;
  CHECK_INT(len, n);
  CHECK(v && memcmp(v, event, n) == 0);
  char buf[8];
  CHECK_STR(doc_raw(d, key, buf, sizeof buf), "1");
  CHECK_STR(doc_raw(d, "after", buf, sizeof buf), "2");
  jl_free(d);
  free(key), free(event);
}

static void a_null_event_renders_as_null(void) {
  log_event((const char *)NULL, "k", 1);
  CHECK(strstr(only_line(), "\"event\":null,\"k\":1}") != NULL);
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_set_clock(fixed_clock);
  RUN(golden_line_matches_the_design);
  RUN(no_span_means_no_trace_fields);
  RUN(levels_render_as_lower_case_words);
  RUN(doubles_render_shortest_round_trip);
  RUN(non_finite_doubles_render_as_strings);
  RUN(integers_are_exact_at_their_limits);
  RUN(bools_and_nulls);
  RUN(control_characters_are_escaped_and_round_trip);
  RUN(a_newline_and_a_fake_record_stay_one_line);
  RUN(invalid_utf8_becomes_replacement_characters);
  RUN(embedded_nul_renders_as_escape);
  RUN(random_strings_round_trip);
  RUN(raw_json_is_nested_compacted_or_else_quoted);
  RUN(reserved_keys_cannot_be_shadowed);
  RUN(call_site_key_wins_and_no_key_appears_twice);
  RUN(thirty_two_pairs_and_more);
  RUN(odd_keys_render_safely);
  RUN(format_directives_are_printed_literally);
  RUN(a_one_mebibyte_value_arrives_whole);
  RUN(a_null_event_renders_as_null);
  RUN(runtime_strings_are_copied_at_the_call);
  RUN(a_huge_runtime_key_and_event_arrive_whole);
  RUN(timestamps_follow_the_gregorian_calendar);
  sl_capture_stop(cap);
  return check_exit();
}
