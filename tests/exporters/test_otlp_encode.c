/* The OTLP encoders. Without arguments: exact checks of small outputs worked out by
 * hand (each value type in both encodings, raw JSON, the request envelopes). With a
 * directory: also writes the fixtures' encodings there, NAME.pb and NAME.json, for
 * check_otlp.py to read back with the OpenTelemetry protobuf classes and Python's json
 * (the expectations there are written independently of this file). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "exporters/otlp_encode.h"
#include "expect.h"
#include "fixtures.h"

static sl_buf out;

/* ---- exact checks ---- */

static void value_is(sl_field f, const char *json, const unsigned char *pb, size_t pb_len) {
  out.len = 0;
  EXPECT(sl_otlp_encode_value(&f, SL_OTLP_JSON, &out) == 0);
  EXPECT_TEXT(out.data, out.len, json);
  if (!pb) return;
  out.len = 0;
  EXPECT(sl_otlp_encode_value(&f, SL_OTLP_PROTOBUF, &out) == 0);
  EXPECT_BYTES(out.data, out.len, pb, pb_len);
}
#define PB(...) ((const unsigned char[]){__VA_ARGS__}), sizeof((const unsigned char[]){__VA_ARGS__})
#define NO_PB NULL, 0
#define EMPTY_PB (const unsigned char *)"", 0

static void scalar_values(void) {
  value_is(fx_i64("k", 10), "{\"intValue\":\"10\"}", PB(0x18, 0x0a));
  value_is(fx_i64("k", 0), "{\"intValue\":\"0\"}", PB(0x18, 0x00)); /* a oneof keeps its 0 */
  value_is(fx_i64("k", -1), "{\"intValue\":\"-1\"}",
           PB(0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
  value_is(fx_u64("k", INT64_MAX), "{\"intValue\":\"9223372036854775807\"}", NO_PB);
  value_is(fx_u64("k", UINT64_MAX), "{\"stringValue\":\"18446744073709551615\"}",
           PB(0x0a, 20, '1', '8', '4', '4', '6', '7', '4', '4', '0', '7', '3', '7', '0', '9', '5', '5', '1', '6',
              '1', '5'));
  value_is(fx_f64("k", 1.0), "{\"doubleValue\":1.0}", PB(0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f));
  value_is(fx_f64("k", NAN), "{\"doubleValue\":\"NaN\"}", NO_PB);
  value_is(fx_f64("k", INFINITY), "{\"doubleValue\":\"Infinity\"}", PB(0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f));
  value_is(fx_f64("k", -INFINITY), "{\"doubleValue\":\"-Infinity\"}", NO_PB);
  value_is(fx_bool("k", 1), "{\"boolValue\":true}", PB(0x10, 0x01));
  value_is(fx_bool("k", 0), "{\"boolValue\":false}", PB(0x10, 0x00));
  value_is(fx_str("k", ""), "{\"stringValue\":\"\"}", PB(0x0a, 0x00));
  value_is(fx_str("k", "hi"), "{\"stringValue\":\"hi\"}", PB(0x0a, 0x02, 'h', 'i'));
  /* invalid UTF-8: one U+FFFD per maximal invalid subpart, in both encodings */
  value_is(fx_str("k", "a\xff" "b\xe2\x82"), "{\"stringValue\":\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"}",
           PB(0x0a, 0x08, 'a', 0xef, 0xbf, 0xbd, 'b', 0xef, 0xbf, 0xbd));
  /* three bytes of a four-byte sequence: one U+FFFD of the same length, still replaced */
  value_is(fx_str("k", "\xf1\x90\x90!"), "{\"stringValue\":\"\xef\xbf\xbd!\"}", PB(0x0a, 0x04, 0xef, 0xbf, 0xbd, '!'));
  value_is(fx_strn("k", SL__T_STRN, "a\0b", 3), "{\"stringValue\":\"a\\u0000b\"}", PB(0x0a, 0x03, 'a', 0, 'b'));
  value_is(fx_field("k", SL__T_NULL), "{}", EMPTY_PB);
}

static void array_values(void) {
  static const char *const strs[] = {"a", NULL, ""};
  unsigned char buf[64];
  fx_encode_strs(buf, strs, 3);
  value_is(fx_array("k", SL__T_STRS, buf, 3),
           "{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},{},{\"stringValue\":\"\"}]}}",
           PB(0x2a, 0x0b, 0x0a, 0x03, 0x0a, 0x01, 'a', 0x0a, 0x00, 0x0a, 0x02, 0x0a, 0x00));
  int64_t ints[2] = {1, -2};
  value_is(fx_array("k", SL__T_INTS, ints, 2),
           "{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"},{\"intValue\":\"-2\"}]}}", NO_PB);
  double doubles[2] = {0.5, NAN};
  value_is(fx_array("k", SL__T_DOUBLES, doubles, 2),
           "{\"arrayValue\":{\"values\":[{\"doubleValue\":0.5},{\"doubleValue\":\"NaN\"}]}}", NO_PB);
  unsigned char bools[2] = {1, 0};
  value_is(fx_array("k", SL__T_BOOLS, bools, 2),
           "{\"arrayValue\":{\"values\":[{\"boolValue\":true},{\"boolValue\":false}]}}",
           PB(0x2a, 0x08, 0x0a, 0x02, 0x10, 0x01, 0x0a, 0x02, 0x10, 0x00));
  value_is(fx_array("k", SL__T_INTS, NULL, 0), "{\"arrayValue\":{\"values\":[]}}", PB(0x2a, 0x00));
}

static void raw_values(void) {
  value_is(fx_raw("k", "{\"a\":1}"), "{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":{\"intValue\":\"1\"}}]}}",
           PB(0x32, 0x09, 0x0a, 0x07, 0x0a, 0x01, 'a', 0x12, 0x02, 0x18, 0x01));
  value_is(fx_raw("k", " [ true , null , \"x\" ] "),
           "{\"arrayValue\":{\"values\":[{\"boolValue\":true},{},{\"stringValue\":\"x\"}]}}", NO_PB);
  value_is(fx_raw("k", "[1, 2.0, -0, 1e2, 12345678901234567890, -9223372036854775808]"),
           "{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"},{\"doubleValue\":2.0},{\"intValue\":\"0\"},"
           "{\"doubleValue\":100.0},{\"doubleValue\":1.2345678901234567e+19},"
           "{\"intValue\":\"-9223372036854775808\"}]}}",
           NO_PB);
  value_is(fx_raw("k", "\"\\u00e9\\ud83d\\ude00\\n\\/\""), "{\"stringValue\":\"\xc3\xa9\xf0\x9f\x98\x80\\n/\"}", NO_PB);
  value_is(fx_raw("k", "null"), "{}", EMPTY_PB);
  value_is(fx_raw("k", "{}"), "{\"kvlistValue\":{\"values\":[]}}", PB(0x32, 0x00));
  /* not exactly one JSON value: the text itself, as a string */
  static const char *const bad[] = {"",        " ",      "{\"a\":}",  "1 2",        "[1,]",   "{\"a\" 1}",
                                    "\"\\ud800\"", "01",  "1.",       "-",          "tru",    "nul",
                                    "\"a\x01\"", "\"\xff\"", "[\"\\x\"]", "{1:2}",      "1e",     "\"abc"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sl_field f = fx_raw("k", bad[i]);
    out.len = 0;
    EXPECT(sl_otlp_encode_value(&f, SL_OTLP_PROTOBUF, &out) == 0);
    size_t n = strlen(bad[i]);
    int ok = out.len >= 2 && (unsigned char)out.data[0] == 0x0a;
    if (n < 128 && !strchr(bad[i], '\xff')) ok = ok && out.len == 2 + n && memcmp(out.data + 2, bad[i], n) == 0;
    if (!ok) fprintf(stderr, "raw text %s: not kept as a string: %s\n", bad[i], expect_hex(out.data, out.len));
    EXPECT(ok);
  }
}

/* Nesting up to 30 levels parses; deeper text is kept as a string. */
static void raw_depth(void) {
  char text[2 * 200 + 1];
  for (int depth = 29; depth <= 31; depth++) {
    memset(text, '[', (size_t)depth);
    memset(text + depth, ']', (size_t)depth);
    text[2 * depth] = 0;
    sl_field f = fx_raw("k", text);
    out.len = 0;
    EXPECT(sl_otlp_encode_value(&f, SL_OTLP_JSON, &out) == 0);
    int as_string = out.len > 15 && memcmp(out.data, "{\"stringValue\":", 15) == 0;
    EXPECT(as_string == (depth > 30));
  }
}

/* ---- the fixtures written out for check_otlp.py ---- */

typedef struct fixture_span {
  sl_field attrs[40];
  sl_field ev_attrs[3], link_attrs[1];
  char deep_kv[30 * 5 + 1 + 30 + 1];
  sl_span_event events[2];
  sl_span_link links[1];
  unsigned char strs[128];
  char long_text[300];
  int64_t ints[3];
  double doubles[3];
  unsigned char bools[2];
  char raw_obj[160];
} fixture_span;

static void full_span(fixture_span *s, sl_span_view *v) {
  static const char *const strs[] = {"a", NULL, "", "\xc3\xa9"};
  size_t n = 0;
  fx_encode_strs(s->strs, strs, 4);
  memset(s->long_text, 'x', sizeof s->long_text);
  s->ints[0] = 1, s->ints[1] = -1, s->ints[2] = INT64_MAX;
  s->doubles[0] = 1.5, s->doubles[1] = NAN, s->doubles[2] = -INFINITY;
  s->bools[0] = 1, s->bools[1] = 0;
  strcpy(s->raw_obj, "{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{\"d\":-2.5e3},\"e\":\"\\u00e9\\ud83d\\ude00\\n\"}");
  sl_field *a = s->attrs;
  a[n++] = fx_str("gen_ai.operation.name", "chat");
  a[n++] = fx_i64("i64.neg", -42);
  a[n++] = fx_i64("i64.min", INT64_MIN);
  a[n++] = fx_i64("i64.zero", 0);
  a[n++] = fx_u64("u64.small", 7);
  a[n++] = fx_u64("u64.max63", INT64_MAX);
  a[n++] = fx_u64("u64.big", UINT64_MAX);
  a[n++] = fx_u64("u64.2e63", (uint64_t)1 << 63);
  a[n++] = fx_f64("f64", 0.5);
  a[n++] = fx_f64("f64.nan", NAN);
  a[n++] = fx_f64("f64.inf", INFINITY);
  a[n++] = fx_f64("f64.ninf", -INFINITY);
  a[n++] = fx_f64("f64.negzero", -0.0);
  a[n++] = fx_f64("f64.tiny", 5e-324);
  a[n++] = fx_bool("bool.t", 1);
  a[n++] = fx_bool("bool.f", 0);
  a[n++] = fx_str("str.empty", "");
  a[n++] = fx_str("str.utf8", "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80");
  a[n++] = fx_str("str.bad", "a\xff" "b\xe2\x82");
  a[n++] = fx_strn("strn.nul", SL__T_STRN, "a\0b", 3);
  a[n++] = fx_str("str.ctl", "tab\tnl\n\"q\"\\");
  a[n++] = fx_field("null", SL__T_NULL);
  a[n++] = fx_array("strs", SL__T_STRS, s->strs, 4);
  a[n++] = fx_array("ints", SL__T_INTS, s->ints, 3);
  a[n++] = fx_array("doubles", SL__T_DOUBLES, s->doubles, 3);
  a[n++] = fx_array("bools", SL__T_BOOLS, s->bools, 2);
  a[n++] = fx_array("ints.empty", SL__T_INTS, NULL, 0);
  a[n++] = fx_str("k\xff", "bad key");
  a[n++] = fx_strn("str.long", SL__T_STR, s->long_text, sizeof s->long_text);
  a[n++] = fx_raw("raw.obj", s->raw_obj);
  s->ev_attrs[0] = fx_i64("index", 0);
  s->ev_attrs[1] = fx_str("finish_reason", "stop");
  /* the deepest value there is: 30 objects in an event's attribute in a request */
  char *o = s->deep_kv;
  for (int i = 0; i < 30; i++) memcpy(o, "{\"a\":", 5), o += 5;
  *o++ = '1';
  memset(o, '}', 30), o[30] = 0;
  s->ev_attrs[2] = fx_raw("raw.deep", s->deep_kv);
  s->events[0] = (sl_span_event){FX_T0 + 1000, "gen_ai.choice", 13, s->ev_attrs, 3};
  s->events[1] = (sl_span_event){FX_T0 + 2000, "exception", 9, NULL, 0};
  s->link_attrs[0] = fx_str("link.kind", "follows");
  memcpy(s->links[0].trace_id, fx_trace_id, 16);
  s->links[0].trace_id[0] = 0xaa;
  memcpy(s->links[0].span_id, fx_parent_id, 8);
  s->links[0].span_id[0] = 0xbb;
  s->links[0].attrs = s->link_attrs;
  s->links[0].nattrs = 1;
  memset(v, 0, sizeof *v);
  v->name = "chat claude-sonnet-4-5";
  v->name_len = strlen(v->name);
  memcpy(v->trace_id, fx_trace_id, 16);
  memcpy(v->span_id, fx_span_id, 8);
  memcpy(v->parent_id, fx_parent_id, 8);
  v->has_parent = 1;
  v->kind = 2; /* client */
  v->status = 2;
  v->status_message = "rate limited \xe2\x9c\x93 \xff";
  v->status_len = strlen(v->status_message);
  v->start_ns = FX_T0;
  v->end_ns = FX_T0 + 1500000000;
  v->attrs = a;
  v->nattrs = n;
  v->events = s->events;
  v->nevents = 2;
  v->links = s->links;
  v->nlinks = 1;
  v->dropped_attrs = 3, v->dropped_events = 1;
}

static void root_span(sl_span_view *v, const char *name, int kind, int status) {
  memset(v, 0, sizeof *v);
  v->name = name;
  v->name_len = strlen(name);
  memcpy(v->trace_id, fx_trace_id, 16);
  memcpy(v->span_id, fx_parent_id, 8);
  v->kind = kind;
  v->status = status;
  v->start_ns = FX_T0 - 5000;
  v->end_ns = FX_T0 + 2000000000;
}

typedef struct fixture_log {
  sl_field fields[24];
  char deep_ok[2 * 30 + 1], deep_bad[2 * 31 + 1];
} fixture_log;

static void full_log(fixture_log *l, sl_record_view *v) {
  size_t n = 0;
  sl_field *f = l->fields;
  memset(l->deep_ok, '[', 30), memset(l->deep_ok + 30, ']', 30), l->deep_ok[60] = 0;
  memset(l->deep_bad, '[', 31), memset(l->deep_bad + 31, ']', 31), l->deep_bad[62] = 0;
  f[n++] = fx_str("user_id", "u-1");
  f[n++] = fx_raw("raw.arr", "[1, 2.0, -0, 1e2, 12345678901234567890, \"s\", false, null, [], {}]");
  f[n++] = fx_raw("raw.bad", "{\"a\":}");
  f[n++] = fx_raw("raw.trailing", "1 2");
  f[n++] = fx_raw("raw.lone", "\"\\ud800\"");
  f[n++] = fx_raw("raw.ws", "  {\"k\" : \"v\"}  ");
  f[n++] = fx_raw("raw.deep_ok", l->deep_ok);
  f[n++] = fx_raw("raw.deep_bad", l->deep_bad);
  f[n++] = fx_raw("raw.int_min", "-9223372036854775808");
  f[n++] = fx_raw("raw.int_over", "9223372036854775808");
  f[n++] = fx_raw("raw.str", "\"plain\"");
  f[n++] = fx_raw("raw.true", "true");
  f[n++] = fx_raw("raw.null", "null");
  f[n++] = fx_raw("raw.escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\"");
  f[n++] = fx_raw("raw.dupkeys", "{\"a\":1,\"a\":2}");
  f[n++] = fx_raw("raw.empty", "");
  f[n++] = fx_raw("raw.nested", "{\"msgs\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]}");
  f[n++] = fx_i64("attempt", 3);
  memset(v, 0, sizeof *v);
  v->ts_ns = FX_T0;
  v->level = SL_LEVEL_WARNING;
  v->logger = "agent";
  v->logger_len = 5;
  v->event = "tool failed \xe2\x9c\x93";
  v->event_len = strlen(v->event);
  v->fields = f;
  v->nfields = n;
  v->ntail = 1; /* ignored by the encoder: every field is an attribute */
  v->tail_json = ",\"attempt\":3";
  v->tail_json_len = strlen(v->tail_json);
  v->has_span = 1;
  memcpy(v->trace_id, fx_trace_id, 16);
  memcpy(v->span_id, fx_span_id, 8);
}

static void small_log(sl_record_view *v, int level, const char *event, uint64_t ts) {
  memset(v, 0, sizeof *v);
  v->ts_ns = ts;
  v->level = level;
  v->event = event;
  v->event_len = event ? strlen(event) : 0;
}

static int write_file(const char *dir, const char *name, const char *ext, const sl_buf *b) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
  FILE *fp = fopen(path, "wb");
  if (!fp || fwrite(b->data, 1, b->len, fp) != b->len || fclose(fp) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

typedef struct item_set {
  sl_buf pb[8], json[8];
  sl_otlp_item items_pb[8], items_json[8];
  size_t n;
} item_set;

/* Encodes a span or a log (one is NULL) both ways, writes NAME.pb and NAME.json, keeps
   them as items of a request. */
static void emit(const char *dir, item_set *set, const char *name, const sl_span_view *span,
                 const sl_record_view *log, const sl_otlp_log_extra *x, const char *scope) {
  size_t i = set->n++;
  for (int fmt = 0; fmt < 2; fmt++) {
    sl_buf *b = fmt ? &set->json[i] : &set->pb[i];
    sl_otlp_format f = (sl_otlp_format)fmt;
    int rc = span ? sl_otlp_encode_span(span, f, b) : sl_otlp_encode_log(log, x, f, b);
    EXPECT(rc == 0);
    if (dir) EXPECT(write_file(dir, name, fmt ? "json" : "pb", b) == 0);
    sl_otlp_item it = {b->data, b->len, scope, scope ? strlen(scope) : 0};
    if (fmt) set->items_json[i] = it;
    else set->items_pb[i] = it;
  }
}

static void free_set(item_set *set) {
  for (size_t i = 0; i < set->n; i++) sl_buf_free(&set->pb[i]), sl_buf_free(&set->json[i]);
}

static sl_resource resource(void) {
  static char *keys[] = {"service.name", "team", "bad", "telemetry.sdk.name"};
  static char *values[] = {"checkout", "agents,ml", "\xff", "spanlog"};
  sl_resource r = {4, keys, values};
  return r;
}

static void requests(const char *dir, item_set *spans, item_set *logs) {
  sl_resource res = resource();
  sl_otlp_scope scope = {"spanlog", "0.1.0"};
  for (int fmt = 0; fmt < 2; fmt++) {
    sl_buf b = {0};
    const char *ext = fmt ? "json" : "pb";
    sl_otlp_format f = (sl_otlp_format)fmt;
    EXPECT(sl_otlp_traces_request(&res, &scope, fmt ? spans->items_json : spans->items_pb, spans->n, f, &b) == 0);
    if (dir) EXPECT(write_file(dir, "traces", ext, &b) == 0);
    b.len = 0;
    EXPECT(sl_otlp_logs_request(&res, &scope, fmt ? logs->items_json : logs->items_pb, logs->n, f, &b) == 0);
    if (dir) EXPECT(write_file(dir, "logs", ext, &b) == 0);
    /* an empty batch is refused, the buffer left alone */
    b.len = 3;
    EXPECT(sl_otlp_logs_request(&res, &scope, logs->items_pb, 0, (sl_otlp_format)fmt, &b) == -1 && b.len == 3);
    sl_buf_free(&b);
  }
}

/* The smallest traces request, byte for byte: no resource, one empty Span. */
static void tiny_request(void) {
  sl_otlp_item it = {"", 0, NULL, 0};
  sl_otlp_scope scope = {"s", NULL};
  out.len = 0;
  EXPECT(sl_otlp_traces_request(NULL, &scope, &it, 1, SL_OTLP_PROTOBUF, &out) == 0);
  /* Request{1: ResourceSpans{2: ScopeSpans{1: Scope{1: "s"}, 2: Span{}}}} */
  static const unsigned char want[] = {0x0a, 0x09, 0x12, 0x07, 0x0a, 0x03, 0x0a, 0x01, 's', 0x12, 0x00};
  EXPECT_BYTES(out.data, out.len, want, sizeof want);
  out.len = 0;
  it.data = "{}", it.len = 2;
  EXPECT(sl_otlp_traces_request(NULL, &scope, &it, 1, SL_OTLP_JSON, &out) == 0);
  EXPECT_TEXT(out.data, out.len,
              "{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},\"spans\":[{}]}]}]}");
}

static void fixtures(const char *dir) {
  static fixture_span fs;
  static fixture_log fl;
  sl_span_view full, root, ok, odd;
  sl_record_view lfull, lmin, ldebug, lcrit;
  item_set spans = {0}, logs = {0};
  full_span(&fs, &full);
  root_span(&root, "root", 0, 0);
  root_span(&ok, "consume", 4, 1);
  root_span(&odd, "", 99, 7); /* out-of-range kind and status, no name */
  emit(dir, &spans, "span_full", &full, NULL, NULL, NULL);
  emit(dir, &spans, "span_root", &root, NULL, NULL, NULL);
  emit(dir, &spans, "span_ok", &ok, NULL, NULL, NULL);
  emit(dir, &spans, "span_odd", &odd, NULL, NULL, NULL);
  full_log(&fl, &lfull);
  sl_otlp_log_extra x = {FX_T0 + 5000, 1, "gen_ai.evaluation.result", 24};
  small_log(&lmin, 25, NULL, FX_T0 + 1);
  small_log(&ldebug, SL_LEVEL_DEBUG, "", FX_T0 + 2);
  small_log(&lcrit, SL_LEVEL_CRITICAL, "down", FX_T0 + 3);
  emit(dir, &logs, "log_full", NULL, &lfull, &x, "agent");
  emit(dir, &logs, "log_min", NULL, &lmin, NULL, NULL);
  emit(dir, &logs, "log_debug", NULL, &ldebug, NULL, "agent.tools");
  emit(dir, &logs, "log_crit", NULL, &lcrit, NULL, "agent");
  requests(dir, &spans, &logs);
  free_set(&spans);
  free_set(&logs);
}

int main(int argc, char **argv) {
  scalar_values();
  array_values();
  raw_values();
  raw_depth();
  tiny_request();
  fixtures(argc > 1 ? argv[1] : NULL);
  sl_buf_free(&out);
  EXPECT_DONE();
}
