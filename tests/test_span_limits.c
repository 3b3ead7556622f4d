/* Span limits from the environment (set by tests/meson.build):
 *   OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT=4, OTEL_SPAN_EVENT_COUNT_LIMIT=2,
 *   OTEL_SPAN_LINK_COUNT_LIMIT=1, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT=5.
 * What is dropped is counted in dropped_*_count; string values are cut to 5 characters
 * (not bytes) on UTF-8 boundaries, each string of an array on its own; numbers are never
 * cut; raw JSON that is cut becomes a string. Every line is read back with the strict
 * parser. */
#define SPANLOG_LOGGER "limits"
#include <spanlog.h>
#include <spanlog/testing.h>

#include "spanlines.h"

static sl_capture *cap;
static doc_list lines;

/* Reads what the capture holds; every line must parse. */
static void collect(void) {
  docs_free(&lines);
  size_t n = sl_capture_count(cap);
  for (size_t i = 0; i < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    if (d) docs_push(&lines, d);
  }
  sl_capture_clear(cap);
}

/* Checks that key in obj is the string want (want_len bytes, NUL bytes allowed). */
#define CHECK_STRING_VALUE(obj, key, want, want_len) check_string_value((obj), (key), (want), (want_len), __LINE__)
static void check_string_value(const jl_doc *obj, const char *key, const char *want, size_t want_len, int line) {
  size_t len = 0;
  const char *got = doc_strn(obj, key, &len);
  if (!got) {
    char raw[256];
    FAIL("line %d: %s is not a string: %s", line, key, doc_raw(obj, key, raw, sizeof raw) ? raw : "(absent)");
    return;
  }
  size_t chars;
  if (!utf8_valid(got, len, &chars)) FAIL("line %d: %s is not valid UTF-8", line, key);
  if (len != want_len || memcmp(got, want, len) != 0)
    FAIL("line %d: %s is \"%.*s\" (%zu bytes), want \"%.*s\" (%zu bytes)", line, key, (int)len, got, len,
         (int)want_len, want, want_len);
}
#define WANT(obj, key, lit) CHECK_STRING_VALUE(obj, key, lit, sizeof(lit) - 1)

/* Checks that key's raw JSON text in obj is want exactly. */
static void check_raw(const jl_doc *obj, const char *key, const char *want) {
  char raw[512];
  const char *got = doc_raw(obj, key, raw, sizeof raw);
  if (!got || strcmp(got, want) != 0) FAIL("%s is %s, want %s", key, got ? got : "(absent)", want);
}

/* ---- counts ---- */

static void extra_attributes_are_dropped_and_counted(void) {
  sl_span *s = sl_span_start("attrs", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5); /* e: over the limit */
  sl_span_set(s, "f", 6);     /* over the limit */
  sl_span_set(s, "a", 10);    /* replaces: not a drop */
  sl_span_set(s, "b", "bee"); /* replaces with another type: not a drop */
  sl_span_set(s, "g", 7, "c", 30); /* g dropped, c replaced */
  sl_span_end(s);
  collect();
  const jl_doc *d = span_named("attrs");
  jl_doc *attrs = sub_object(d, "attributes");
  CHECK(attrs != NULL);
  CHECK_INT(jl_count(attrs), 4);
  check_raw(attrs, "a", "10");
  check_raw(attrs, "b", "\"bee\"");
  check_raw(attrs, "c", "30");
  check_raw(attrs, "d", "4");
  CHECK(!doc_has(attrs, "e") && !doc_has(attrs, "f") && !doc_has(attrs, "g"));
  CHECK_INT(doc_long(d, "dropped_attributes_count"), 3);
  CHECK(!doc_has(d, "dropped_events_count") && !doc_has(d, "dropped_links_count"));
  jl_free(attrs);
}

/* Up to every limit, nothing is dropped and no count is written. */
static void at_the_limits_nothing_is_counted(void) {
  char tp[56];
  sl_span *other = sl_span_start("other");
  CHECK_INT(sl_traceparent_format(other, tp), 55);
  sl_span_end(other);
  sl_span *s = sl_span_start("full", "a", 1, "b", 2, "c", 3, "d", 4);
  sl_span_set(s, "a", 5, "b", 6, "c", 7, "d", 8); /* all replaced */
  sl_span_event(s, "e1");
  sl_span_event(s, "e2");
  sl_span_link(s, tp);
  sl_span_end(s);
  collect();
  const jl_doc *d = span_named("full");
  jl_doc *attrs = sub_object(d, "attributes");
  CHECK_INT(jl_count(attrs), 4);
  check_raw(attrs, "a", "5");
  check_raw(attrs, "d", "8");
  jl_free(attrs);
  const char *elem[8];
  size_t elen[8];
  CHECK_INT(doc_array(d, "events", elem, elen, 8), 2);
  CHECK_INT(doc_array(d, "links", elem, elen, 8), 1);
  CHECK(!doc_has(d, "dropped_attributes_count"));
  CHECK(!doc_has(d, "dropped_events_count"));
  CHECK(!doc_has(d, "dropped_links_count"));
}

static void extra_events_and_links_are_dropped_and_counted(void) {
  char tp1[56], tp2[56];
  sl_span *a = sl_span_start("link.a");
  sl_span *b = sl_span_start("link.b");
  CHECK_INT(sl_traceparent_format(a, tp1), 55);
  CHECK_INT(sl_traceparent_format(b, tp2), 55);
  sl_span_end(b);
  sl_span_end(a);
  sl_span *s = sl_span_start("busy");
  sl_span_event(s, "e1", "n", 1);
  sl_span_event(s, "e2", "n", 2);
  sl_span_event(s, "e3", "n", 3);
  sl_span_event(s, "e4", "n", 4);
  sl_span_link(s, tp1, "which", 1);
  sl_span_link(s, tp2, "which", 2);
  sl_span *live = sl_span_start("live");
  sl_span_link_span(s, live);
  sl_span_end(live);
  sl_span_end(s);
  collect();
  const jl_doc *d = span_named("busy");
  const char *elem[8];
  size_t elen[8];
  long n = doc_array(d, "events", elem, elen, 8);
  CHECK_INT(n, 2);
  char names[2][8] = {"", ""};
  for (long i = 0; i < n && i < 2; i++) {
    jl_doc *ev = jl_parse(elem[i], elen[i], NULL, 0);
    CHECK(ev != NULL);
    const char *name = doc_str(ev, "name");
    CHECK(name && (strcmp(name, "e1") == 0 || strcmp(name, "e2") == 0 || strcmp(name, "e3") == 0 ||
                   strcmp(name, "e4") == 0));
    snprintf(names[i], sizeof names[i], "%s", name ? name : "");
    jl_free(ev);
  }
  CHECK(strcmp(names[0], names[1]) != 0);
  CHECK_INT(doc_long(d, "dropped_events_count"), 2);
  CHECK_INT(doc_array(d, "links", elem, elen, 8), 1);
  CHECK_INT(doc_long(d, "dropped_links_count"), 2);
  CHECK(!doc_has(d, "dropped_attributes_count"));
}

/* ---- value length ---- */

static void strings_are_cut_to_five_characters(void) {
  sl_span *s = sl_span_start("cut.utf8", "latin", "h\xc3\xa9llo w\xc3\xb6rld",           /* 2-byte é, ö */
                             "cjk", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88", /* 3-byte */
                             "emoji", "\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82\xf0\x9f\xa4\xa3\xf0\x9f\x98\x83\xf0\x9f\x98\x84",
                             "mixed", "a\xf0\x9f\x98\x80\xc3\xa9\xe6\x97\xa5" "b!");
  sl_span_end(s);
  s = sl_span_start("cut.ascii", "exact", "abcde", "short", "ab", "long", "abcdefgh");
  sl_span_set(s, "strn", SL_STRN("ab\0cdefg", 8));
  sl_span_end(s);
  collect();
  jl_doc *attrs = sub_object(span_named("cut.utf8"), "attributes");
  WANT(attrs, "latin", "h\xc3\xa9llo");
  WANT(attrs, "cjk", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad");
  WANT(attrs, "emoji", "\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82\xf0\x9f\xa4\xa3\xf0\x9f\x98\x83");
  WANT(attrs, "mixed", "a\xf0\x9f\x98\x80\xc3\xa9\xe6\x97\xa5" "b");
  jl_free(attrs);
  attrs = sub_object(span_named("cut.ascii"), "attributes");
  WANT(attrs, "exact", "abcde");
  WANT(attrs, "short", "ab");
  WANT(attrs, "long", "abcde");
  WANT(attrs, "strn", "ab\0cd");
  jl_free(attrs);
}

static void arrays_are_cut_per_element_and_numbers_never(void) {
  const char *strs[] = {"h\xc3\xa9llo w\xc3\xb6rld", "ab", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9",
                        "\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82\xf0\x9f\xa4\xa3\xf0\x9f\x98\x83\xf0\x9f\x98\x84", "abcdefghij"};
  int64_t ints[] = {1234567890123, -7654321};
  sl_span *s = sl_span_start("cut.arrays", "strs", SL_STRS(strs, 5), "ints", SL_INTS(ints, 2),
                             "a.long.attribute.key", (int64_t)1234567890123, "dbl", 3.14159265358979);
  sl_span_end(s);
  collect();
  const jl_doc *d = span_named("cut.arrays");
  jl_doc *attrs = sub_object(d, "attributes");
  const char *elem[8];
  size_t elen[8];
  static const char *const want[] = {"h\xc3\xa9llo", "ab", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad",
                                     "\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82\xf0\x9f\xa4\xa3\xf0\x9f\x98\x83",
                                     "abcde"};
  long n = doc_array(attrs, "strs", elem, elen, 8);
  CHECK_INT(n, 5);
  for (long i = 0; i < n && i < 5; i++) {
    jl_doc *v = value_doc(elem[i], elen[i]);
    CHECK_STR(doc_str(v, "v"), want[i]);
    jl_free(v);
  }
  check_raw(attrs, "ints", "[1234567890123,-7654321]");
  check_raw(attrs, "a.long.attribute.key", "1234567890123"); /* neither the key nor the number cut */
  check_raw(attrs, "dbl", "3.14159265358979");
  CHECK(!doc_has(d, "dropped_attributes_count"));
  jl_free(attrs);
}

static void cut_raw_json_becomes_a_string(void) {
  sl_span *s = sl_span_start("cut.raw", "rawcut", SL_RAW_JSON("{\"key\":12345}"), "rawfits", SL_RAW_JSON("[1,2]"),
                             "rawarr", SL_RAW_JSON("[\"abcdefgh\"]"), "flag", SL_BOOL(1));
  sl_span_end(s);
  collect();
  jl_doc *attrs = sub_object(span_named("cut.raw"), "attributes");
  WANT(attrs, "rawcut", "{\"key");     /* the first 5 characters, as a string */
  check_raw(attrs, "rawfits", "[1,2]"); /* 5 characters: kept as JSON */
  WANT(attrs, "rawarr", "[\"abc");
  check_raw(attrs, "flag", "true");
  jl_free(attrs);
}

/* The value length limit applies to event and link attributes as well. */
static void event_and_link_attributes_are_cut(void) {
  char tp[56];
  sl_span *other = sl_span_start("cut.other");
  CHECK_INT(sl_traceparent_format(other, tp), 55);
  sl_span_end(other);
  sl_span *s = sl_span_start("cut.event");
  sl_span_event(s, "ev", "msg", "h\xc3\xa9llo w\xc3\xb6rld", "n", 123456789);
  sl_span_link(s, tp, "why", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9");
  sl_span_end(s);
  collect();
  const jl_doc *d = span_named("cut.event");
  const char *elem[4];
  size_t elen[4];
  if (doc_array(d, "events", elem, elen, 4) == 1) {
    jl_doc *ev = jl_parse(elem[0], elen[0], NULL, 0);
    CHECK_STR(doc_str(ev, "name"), "ev"); /* an event's name is no attribute: not cut */
    jl_doc *attrs = sub_object(ev, "attributes");
    WANT(attrs, "msg", "h\xc3\xa9llo");
    check_raw(attrs, "n", "123456789");
    jl_free(attrs);
    jl_free(ev);
  } else {
    FAIL("want one event");
  }
  if (doc_array(d, "links", elem, elen, 4) == 1) {
    jl_doc *link = jl_parse(elem[0], elen[0], NULL, 0);
    jl_doc *attrs = sub_object(link, "attributes");
    WANT(attrs, "why", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad");
    jl_free(attrs);
    jl_free(link);
  } else {
    FAIL("want one link");
  }
}

/* Bytes that are not UTF-8: the value still becomes valid JSON of at most 5 characters,
   whatever the bytes (a run of stray continuation bytes included). */
static void invalid_utf8_is_cut_too(void) {
  static char stray[1001];
  memset(stray, 0x80, 1000);
  sl_span *s = sl_span_start("cut.invalid", "bad", "\xff\xfe\xfd\xfc\xfb\xfa\xf9", "truncated", "abcd\xe6\x97",
                             "stray", stray, "lead", "\x80\x80\x80" "abcdefg");
  sl_span_end(s);
  collect();
  jl_doc *attrs = sub_object(span_named("cut.invalid"), "attributes");
  static const char *const keys[] = {"bad", "truncated", "stray", "lead"};
  for (size_t k = 0; k < 4; k++) {
    size_t len = 0, chars = 0;
    const char *v = doc_strn(attrs, keys[k], &len);
    if (!v) {
      FAIL("%s: not a string", keys[k]);
      continue;
    }
    CHECK_MSG(utf8_valid(v, len, &chars), "%s", keys[k]);
    CHECK_MSG(chars >= 1 && chars <= 5, "%s: %zu characters (%zu bytes) written, the limit is 5", keys[k], chars, len);
  }
  jl_free(attrs);
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(extra_attributes_are_dropped_and_counted);
  RUN(at_the_limits_nothing_is_counted);
  RUN(extra_events_and_links_are_dropped_and_counted);
  RUN(strings_are_cut_to_five_characters);
  RUN(arrays_are_cut_per_element_and_numbers_never);
  RUN(cut_raw_json_becomes_a_string);
  RUN(event_and_link_attributes_are_cut);
  RUN(invalid_utf8_is_cut_too);
  docs_free(&lines);
  sl_capture_stop(cap);
  return check_exit();
}
