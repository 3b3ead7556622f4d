/* The logfmt and console formatters, byte for byte, on record and span views built by
 * hand (no logger runs). Every line rendered is also checked to be exactly one line,
 * valid UTF-8, free of raw control characters, and (console) free of any escape
 * sequence but the formatter's own colours, and only when colours were asked for. */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "formatters/console.h"
#include "formatters/logfmt.h"
#include "spanlog/span.h" /* SL_SPAN_*, SL_STATUS_* */
#include "base/utf8.h"

/* 2026-03-14T10:42:13.421337Z */
#define TS 1773484933421337000ull

static const uint8_t trace_id[16] = {0x8f, 0x3c, 0x2e, 0x1a, 0x9b, 0x4d, 0x50, 0x67,
                                     0x0c, 0x8e, 0x1f, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e};
static const uint8_t span_id[8] = {0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5, 0x06, 0x78};
static const uint8_t parent_id[8] = {0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78};

/* The escape sequences the console formatter emits (console.c); no other may appear. */
static const char *const own_sequences[] = {"\x1b[0m",  "\x1b[1m",  "\x1b[2m",  "\x1b[31m", "\x1b[32m",
                                            "\x1b[33m", "\x1b[34m", "\x1b[35m", "\x1b[1;31m"};

/* ---- fields, built as the backend decodes them ---- */

static sl_field fstr(const char *k, const char *s) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_STR, .str = s, .len = strlen(s)};
}
static sl_field fstrn(const char *k, const char *s, size_t n) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_STRN, .str = s, .len = n};
}
static sl_field fraw(const char *k, const char *s) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_RAW, .str = s, .len = strlen(s)};
}
static sl_field fi64(const char *k, int64_t v) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_I64, .v.i = v};
}
static sl_field fu64(const char *k, uint64_t v) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_U64, .v.u = v};
}
static sl_field ff64(const char *k, double v) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_F64, .v.d = v};
}
static sl_field fbool(const char *k, int v) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_BOOL, .v.b = v};
}
static sl_field fnull(const char *k) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_NULL};
}

/* An array field, its elements encoded by the queue's own encoder (record.h). */
static sl_field farray(const char *k, int type, const void *elems, size_t n) {
  static unsigned char pool[4096];
  static size_t used;
  sl_arg a = {.key = k, .type = type, .len = n, .v.p = elems};
  unsigned char *start = pool + used, *end = rec_put_array(start, &a);
  used += (size_t)(end - start);
  return (sl_field){.key = k, .key_len = strlen(k), .type = type, .str = (const char *)start + 4, .len = n};
}

/* ---- rendering, with the checks every line must pass ---- */

/* Fails unless line[0..n) is one line: '\n' at its end only, valid UTF-8, no control
   character (C0, DEL, C1), no U+2028/U+2029; with color, ESC only as own_sequences. */
static void check_one_line(const char *line, size_t n, int color) {
  const unsigned char *p = (const unsigned char *)line, *end = p + n;
  if (n == 0 || line[n - 1] != '\n') FAIL("the line does not end in a newline");
  end = n ? end - 1 : end;
  while (p < end) {
    if (*p == 0x1b && color) {
      size_t i = 0, nseq = sizeof own_sequences / sizeof *own_sequences;
      while (i < nseq && !((size_t)(end - p) >= strlen(own_sequences[i]) &&
                           memcmp(p, own_sequences[i], strlen(own_sequences[i])) == 0))
        i++;
      if (i == nseq) {
        FAIL("an escape sequence not the formatter's at %zu: %s", (size_t)(p - (const unsigned char *)line),
             line);
        return;
      }
      p += strlen(own_sequences[i]);
      continue;
    }
    size_t bad, len = sl_utf8_sequence(p, (size_t)(end - p), &bad);
    if (len == 0) {
      FAIL("invalid UTF-8 at %zu: %s", (size_t)(p - (const unsigned char *)line), line);
      return;
    }
    if (*p < 0x20 || *p == 0x7f || (p[0] == 0xC2 && p[1] < 0xA0) ||
        (len == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))) {
      FAIL("a raw control character at %zu: %s", (size_t)(p - (const unsigned char *)line), line);
      return;
    }
    p += len;
  }
}

enum { LOGFMT, CONSOLE, CONSOLE_COLOR };

/* Renders a record (span NULL) or a span after some bytes already in the buffer, checks
   that they stay and that the line is one line, and returns the line (static). */
static const char *render(int how, const sl_record_view *rec, const sl_span_view *span) {
  static char copy[1 << 16];
  sl_buf b = {0};
  sl_time_cache tc = {0};
  int rc = -1;
  if (sl_buf_lit(&b, "before")) abort();
  if (how == LOGFMT) rc = rec ? sl_logfmt_render(rec, &tc, &b) : sl_logfmt_render_span(span, &tc, &b);
  else rc = rec ? sl_console_render(rec, &tc, how == CONSOLE_COLOR, &b)
                : sl_console_render_span(span, &tc, how == CONSOLE_COLOR, &b);
  CHECK_INT(rc, 0);
  CHECK(b.len >= 6 && memcmp(b.data, "before", 6) == 0);
  size_t n = b.len - 6;
  check_one_line(b.data + 6, n, how == CONSOLE_COLOR);
  if (how != CONSOLE_COLOR) CHECK(memchr(b.data + 6, 0x1b, n) == NULL);
  if (n >= sizeof copy) n = sizeof copy - 1;
  memcpy(copy, b.data + 6, n);
  copy[n] = 0;
  sl_buf_free(&b);
  return copy;
}

static const char *logfmt(const sl_record_view *v) { return render(LOGFMT, v, NULL); }
static const char *console(const sl_record_view *v, int color) {
  return render(color ? CONSOLE_COLOR : CONSOLE, v, NULL);
}
static const char *logfmt_span(const sl_span_view *v) { return render(LOGFMT, NULL, v); }
static const char *console_span(const sl_span_view *v, int color) {
  return render(color ? CONSOLE_COLOR : CONSOLE, NULL, v);
}

static sl_record_view record(int level, const char *logger, const char *event, const sl_field *f, size_t n) {
  sl_record_view v = {.ts_ns = TS, .level = level, .logger = logger, .logger_len = strlen(logger),
                      .event = event, .event_len = event ? strlen(event) : 0, .fields = f, .nfields = n};
  return v;
}

/* ---- the design line ---- */

static const sl_field design_fields[] = {
    {.key = "query", .key_len = 5, .type = SL__T_STR, .str = "Q3 invoices", .len = 11},
    {.key = "top_k", .key_len = 5, .type = SL__T_I64, .v.i = 5},
    {.key = "score", .key_len = 5, .type = SL__T_F64, .v.d = 0.87},
    {.key = "user_id", .key_len = 7, .type = SL__T_STR, .str = "u_8821", .len = 6},
};

static sl_record_view design_record(void) {
  sl_record_view v = record(SL_LEVEL_INFO, "agent", "searching", design_fields, 4);
  v.has_span = 1;
  memcpy(v.trace_id, trace_id, 16);
  memcpy(v.span_id, span_id, 8);
  return v;
}

static void logfmt_design_line(void) {
  sl_record_view v = design_record();
  CHECK_STR(logfmt(&v), "timestamp=2026-03-14T10:42:13.421337Z level=info logger=agent event=searching "
                        "query=\"Q3 invoices\" top_k=5 score=0.87 user_id=u_8821 "
                        "trace_id=8f3c2e1a9b4d50670c8e1f2a3b4c5d6e span_id=a0b1c2d3e4f50678\n");
}

static void console_design_line(void) {
  sl_record_view v = design_record();
  CHECK_STR(console(&v, 0),
            "2026-03-14T10:42:13.421Z [info     ] searching                      [agent] "
            "query=Q3 invoices top_k=5 score=0.87 user_id=u_8821 trace_id=8f3c2e1a span_id=a0b1c2d3\n");
  CHECK_STR(console(&v, 1),
            "\x1b[2m2026-03-14T10:42:13.421Z\x1b[0m [\x1b[32minfo     \x1b[0m] "
            "\x1b[1msearching\x1b[0m                      \x1b[34m[agent]\x1b[0m "
            "\x1b[2mquery=\x1b[0mQ3 invoices \x1b[2mtop_k=\x1b[0m5 \x1b[2mscore=\x1b[0m0.87 "
            "\x1b[2muser_id=\x1b[0mu_8821 \x1b[2mtrace_id=8f3c2e1a\x1b[0m \x1b[2mspan_id=a0b1c2d3\x1b[0m\n");
}

/* ---- every value type ---- */

static sl_field type_fields[32];
static size_t ntype_fields;

static void make_type_fields(void) {
  static const char *const strs[] = {"a", "b c", NULL, ""};
  static const int64_t ints[] = {1, -2, INT64_MIN};
  static double doubles[3];
  static const bool bools[] = {true, false};
  doubles[0] = 0.5, doubles[1] = NAN, doubles[2] = -INFINITY;
  sl_field f[] = {
      fi64("i", INT64_MIN),
      fu64("u", UINT64_MAX),
      ff64("d", 5.0),
      ff64("tiny", 1e-05),
      ff64("negz", -0.0),
      ff64("nan", NAN),
      ff64("inf", INFINITY),
      ff64("ninf", -INFINITY),
      fbool("t", 1),
      fbool("f", 0),
      fnull("nil"),
      fstr("empty", ""),
      fstr("word", "null"),
      fstr("path", "/srv/app-1.2_x:8080@host+v"),
      fstr("utf8", "caf\xc3\xa9"),
      farray("strs", SL__T_STRS, strs, 4),
      farray("ints", SL__T_INTS, ints, 3),
      farray("doubles", SL__T_DOUBLES, doubles, 3),
      farray("bools", SL__T_BOOLS, bools, 2),
      farray("none", SL__T_INTS, NULL, 0),
      fraw("raw", " { \"a\" : [1, 2] ,\n \"b\" : \"x\" } "),
      fraw("raw_num", "42"),
      fraw("raw_bad", "{oops"),
  };
  memcpy(type_fields, f, sizeof f);
  ntype_fields = sizeof f / sizeof *f;
}

static void logfmt_value_types(void) {
  sl_record_view v = record(SL_LEVEL_DEBUG, "db", "types", type_fields, ntype_fields);
  CHECK_STR(logfmt(&v),
            "timestamp=2026-03-14T10:42:13.421337Z level=debug logger=db event=types "
            "i=-9223372036854775808 u=18446744073709551615 d=5.0 tiny=1e-05 negz=-0.0 nan=NaN inf=Infinity "
            "ninf=-Infinity t=true f=false nil=null empty=\"\" word=\"null\" path=/srv/app-1.2_x:8080@host+v "
            "utf8=\"caf\xc3\xa9\" strs=\"[\\\"a\\\",\\\"b c\\\",null,\\\"\\\"]\" "
            "ints=\"[1,-2,-9223372036854775808]\" "
            "doubles=\"[0.5,\\\"NaN\\\",\\\"-Infinity\\\"]\" bools=\"[true,false]\" none=\"[]\" "
            "raw=\"{\\\"a\\\":[1,2],\\\"b\\\":\\\"x\\\"}\" raw_num=42 raw_bad=\"{oops\"\n");
  /* A null event, as the JSON line writes it. */
  sl_record_view n = record(SL_LEVEL_WARNING, "db", NULL, NULL, 0);
  CHECK_STR(logfmt(&n), "timestamp=2026-03-14T10:42:13.421337Z level=warning logger=db event=null\n");
}

static void console_value_types(void) {
  sl_record_view v = record(SL_LEVEL_DEBUG, "db", "types", type_fields, ntype_fields);
  CHECK_STR(console(&v, 0),
            "2026-03-14T10:42:13.421Z [debug    ] types                          [db] "
            "i=-9223372036854775808 u=18446744073709551615 d=5.0 tiny=1e-05 negz=-0.0 nan=NaN inf=Infinity "
            "ninf=-Infinity t=true f=false nil=null empty= word=null path=/srv/app-1.2_x:8080@host+v "
            "utf8=caf\xc3\xa9 strs=[\"a\",\"b c\",null,\"\"] ints=[1,-2,-9223372036854775808] "
            "doubles=[0.5,\"NaN\",\"-Infinity\"] bools=[true,false] none=[] "
            "raw={\"a\":[1,2],\"b\":\"x\"} raw_num=42 raw_bad={oops\n");
  /* Padding counts characters, not bytes; a long event gets one space; no event pads. */
  sl_record_view c = record(SL_LEVEL_WARNING, "db", "caf\xc3\xa9", type_fields + 8, 1);
  CHECK_STR(console(&c, 0),
            "2026-03-14T10:42:13.421Z [warning  ] caf\xc3\xa9                           [db] t=true\n");
  const char *long_event = "an event name well over thirty characters";
  sl_record_view l = record(SL_LEVEL_CRITICAL, "db", long_event, type_fields + 8, 1);
  CHECK_STR(console(&l, 0),
            "2026-03-14T10:42:13.421Z [critical ] an event name well over thirty characters [db] t=true\n");
  CHECK_STR(console(&l, 1), "\x1b[2m2026-03-14T10:42:13.421Z\x1b[0m [\x1b[1;31mcritical \x1b[0m] "
                            "\x1b[1man event name well over thirty characters\x1b[0m \x1b[34m[db]\x1b[0m "
                            "\x1b[2mt=\x1b[0mtrue\n");
  sl_record_view n = record(SL_LEVEL_ERROR, "", NULL, NULL, 0);
  CHECK_STR(console(&n, 0), "2026-03-14T10:42:13.421Z [error    ] \n");
}

/* ---- hostile values ---- */

static const char bad_utf8[] = "a\xff" "b\xc3(\xed\xa0\x80z\xe2\x82";
static sl_field hostile_fields[16];
static size_t nhostile;

static void make_hostile_fields(void) {
  sl_field f[] = {
      fstr("msg", "ok\ntimestamp=2026-01-01T00:00:00Z level=critical event=forged"),
      fstr("esc", "\x1b[31mred\x1b[0m"),
      fstr("c1", "\xc2\x9b" "31m\xc2\x85" "end"),
      fstr("bad", bad_utf8),
      fstr("quote", "say \"hi\" \\ C:\\path"),
      fstr("ctl", "\x7f\t\r\x01"),
      fstr("seps", "a\xe2\x80\xa8" "b\xe2\x80\xae" "c\xe2\x81\xa6" "d"),
      fstrn("nul", "a\0b", 3),
      fraw("raw", "[\"\xc2\x9b\",\"\\u001b\"]"),
      fi64("", 1),
      fi64("my key", 2),
      fi64("a=b", 3),
      fi64("k\n", 4),
      fi64("\xc3\xbc" "ber", 5),
  };
  memcpy(hostile_fields, f, sizeof f);
  nhostile = sizeof f / sizeof *f;
}

static void logfmt_hostile_values(void) {
  sl_record_view v = record(SL_LEVEL_ERROR, "agent", "evt\x1b]0;title\x07", hostile_fields, nhostile);
  CHECK_STR(logfmt(&v),
            "timestamp=2026-03-14T10:42:13.421337Z level=error logger=agent "
            "event=\"evt\\u001b]0;title\\u0007\" "
            "msg=\"ok\\ntimestamp=2026-01-01T00:00:00Z level=critical event=forged\" "
            "esc=\"\\u001b[31mred\\u001b[0m\" c1=\"\\u009b31m\\u0085end\" "
            "bad=\"a\xef\xbf\xbd" "b\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz\xef\xbf\xbd\" "
            "quote=\"say \\\"hi\\\" \\\\ C:\\\\path\" ctl=\"\\u007f\\t\\r\\u0001\" "
            "seps=\"a\\u2028" "b\xe2\x80\xae" "c\xe2\x81\xa6" "d\" nul=\"a\\u0000b\" "
            "raw=\"[\\\"\\u009b\\\",\\\"\\\\u001b\\\"]\" "
            "\"\"=1 \"my key\"=2 \"a=b\"=3 \"k\\n\"=4 \"\xc3\xbc" "ber\"=5\n");
}

static void console_hostile_values(void) {
  sl_record_view v = record(SL_LEVEL_ERROR, "agent", "evt\x1b]0;title\x07", hostile_fields, nhostile);
  const char *want =
      "2026-03-14T10:42:13.421Z [error    ] evt\\x1b]0;title\\x07            [agent] "
      "msg=ok\\ntimestamp=2026-01-01T00:00:00Z level=critical event=forged "
      "esc=\\x1b[31mred\\x1b[0m c1=\\u009b31m\\u0085end "
      "bad=a\xef\xbf\xbd" "b\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz\xef\xbf\xbd "
      "quote=say \"hi\" \\\\ C:\\\\path ctl=\\x7f\\t\\r\\x01 "
      "seps=a\\u2028b\\u202ec\\u2066d nul=a\\x00b raw=[\"\\u009b\",\"\\u001b\"] "
      "=1 my key=2 a=b=3 k\\n=4 \xc3\xbc" "ber=5\n";
  CHECK_STR(console(&v, 0), want);
  /* With colours: the same text between the formatter's own sequences. */
  const char *colored = console(&v, 1);
  char plain[4096];
  size_t n = 0;
  for (const char *p = colored; *p && n + 1 < sizeof plain;) {
    size_t i = 0, nseq = sizeof own_sequences / sizeof *own_sequences;
    while (i < nseq && strncmp(p, own_sequences[i], strlen(own_sequences[i])) != 0) i++;
    if (i < nseq) p += strlen(own_sequences[i]);
    else plain[n++] = *p++;
  }
  plain[n] = 0;
  CHECK_STR(plain, want);
}

/* Every byte value alone, every C1 character and every invalid lead byte: one line. */
static void console_every_byte(void) {
  for (int how = LOGFMT; how <= CONSOLE_COLOR; how++) {
    for (unsigned c = 0; c < 256; c++) {
      char s[3] = {(char)c, 'x', 0};
      sl_field f[2] = {fstrn("v", s, 2), fstrn(s, s, 1)};
      sl_record_view v = record(SL_LEVEL_INFO, "l", s, f, 2);
      render(how, &v, NULL);
      char u[4] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)), 'x', 0}; /* U+0000..U+00FF as UTF-8 */
      f[0] = fstrn("v", u, 3);
      render(how, &v, NULL);
    }
  }
}

/* ---- spans ---- */

static sl_field span_attrs[8];
static sl_field event_attrs[1];
static sl_span_event span_events[2];
static sl_span_link span_links[1];

static sl_span_view error_span(void) {
  static const char *const reasons[] = {"stop"};
  event_attrs[0] = fi64("attempt", 2);
  span_attrs[0] = fstr("gen_ai.operation.name", "chat");
  span_attrs[1] = fi64("gen_ai.usage.input_tokens", 2341);
  span_attrs[2] = farray("gen_ai.response.finish_reasons", SL__T_STRS, reasons, 1);
  span_attrs[3] = fstr("status", "shadow");
  span_attrs[4] = fstr("kind", "x");
  span_events[0] =
      (sl_span_event){.ts_ns = TS + 1000, .name = "retry", .name_len = 5, .attrs = event_attrs, .nattrs = 1};
  span_events[1] = (sl_span_event){.ts_ns = TS + 2000, .name = "cache\nmiss", .name_len = 10};
  memcpy(span_links[0].trace_id, trace_id, 16);
  memcpy(span_links[0].span_id, parent_id, 8);
  sl_span_view v = {.name = "chat claude-sonnet-4-5", .name_len = 22, .has_parent = 1, .kind = SL_SPAN_CLIENT,
                    .status = SL_STATUS_ERROR, .status_message = "index did not answer", .status_len = 20,
                    .start_ns = TS, .end_ns = TS + 688100123, .duration_ns = 688100123,
                    .attrs = span_attrs, .nattrs = 5, .events = span_events, .nevents = 2,
                    .links = span_links, .nlinks = 1, .dropped_attrs = 2,
                    .resource_json = "{\"service.name\":\"x\"}", .resource_len = 20};
  memcpy(v.trace_id, trace_id, 16);
  memcpy(v.span_id, span_id, 8);
  memcpy(v.parent_id, parent_id, 8);
  return v;
}

static sl_span_view root_span(int status) {
  sl_span_view v = {.name = "root", .name_len = 4, .kind = SL_SPAN_INTERNAL, .status = status,
                    .start_ns = TS, .end_ns = TS + 999, .duration_ns = 999};
  memcpy(v.trace_id, trace_id, 16);
  memcpy(v.span_id, span_id, 8);
  return v;
}

static void logfmt_spans(void) {
  sl_span_view v = error_span();
  CHECK_STR(logfmt_span(&v),
            "span=\"chat claude-sonnet-4-5\" trace_id=8f3c2e1a9b4d50670c8e1f2a3b4c5d6e "
            "span_id=a0b1c2d3e4f50678 parent_span_id=0f1e2d3c4b5a6978 kind=client "
            "start_time=2026-03-14T10:42:13.421337Z duration_ms=688.1 status=error "
            "status_message=\"index did not answer\" gen_ai.operation.name=chat "
            "gen_ai.usage.input_tokens=2341 "
            "gen_ai.response.finish_reasons=\"[\\\"stop\\\"]\" _status=shadow _kind=x "
            "events=\"[\\\"retry\\\",\\\"cache\\\\nmiss\\\"]\" links=1 dropped_attributes_count=2\n");
  sl_span_view r = root_span(SL_STATUS_UNSET);
  CHECK_STR(logfmt_span(&r), "span=root trace_id=8f3c2e1a9b4d50670c8e1f2a3b4c5d6e span_id=a0b1c2d3e4f50678 "
                             "parent_span_id=null kind=internal start_time=2026-03-14T10:42:13.421337Z "
                             "duration_ms=0.0 status=unset\n");
}

static void console_spans(void) {
  sl_span_view v = error_span();
  CHECK_STR(console_span(&v, 0),
            "2026-03-14T10:42:13.421Z [span     ] chat claude-sonnet-4-5         688.1 ms error kind=client "
            "status_message=index did not answer gen_ai.operation.name=chat gen_ai.usage.input_tokens=2341 "
            "gen_ai.response.finish_reasons=[\"stop\"] status=shadow _kind=x "
            "events=[\"retry\",\"cache\\nmiss\"] links=1 dropped_attributes_count=2 "
            "trace_id=8f3c2e1a span_id=a0b1c2d3 parent_span_id=0f1e2d3c\n");
  CHECK_STR(console_span(&v, 1),
            "\x1b[2m2026-03-14T10:42:13.421Z\x1b[0m [\x1b[35mspan     \x1b[0m] "
            "\x1b[1mchat claude-sonnet-4-5\x1b[0m         688.1 ms \x1b[31merror\x1b[0m "
            "\x1b[2mkind=\x1b[0mclient \x1b[2mstatus_message=\x1b[0mindex did not answer "
            "\x1b[2mgen_ai.operation.name=\x1b[0mchat \x1b[2mgen_ai.usage.input_tokens=\x1b[0m2341 "
            "\x1b[2mgen_ai.response.finish_reasons=\x1b[0m[\"stop\"] \x1b[2mstatus=\x1b[0mshadow "
            "\x1b[2m_kind=\x1b[0mx \x1b[2mevents=\x1b[0m[\"retry\",\"cache\\nmiss\"] \x1b[2mlinks=\x1b[0m1 "
            "\x1b[2mdropped_attributes_count=\x1b[0m2 \x1b[2mtrace_id=8f3c2e1a\x1b[0m "
            "\x1b[2mspan_id=a0b1c2d3\x1b[0m \x1b[2mparent_span_id=0f1e2d3c\x1b[0m\n");
  sl_span_view r = root_span(SL_STATUS_UNSET);
  CHECK_STR(console_span(&r, 0), "2026-03-14T10:42:13.421Z [span     ] root                           0.0 ms "
                                 "trace_id=8f3c2e1a span_id=a0b1c2d3\n");
  r = root_span(SL_STATUS_OK);
  CHECK_STR(console_span(&r, 1), "\x1b[2m2026-03-14T10:42:13.421Z\x1b[0m [\x1b[35mspan     \x1b[0m] "
                                 "\x1b[1mroot\x1b[0m                           0.0 ms \x1b[32mok\x1b[0m "
                                 "\x1b[2mtrace_id=8f3c2e1a\x1b[0m \x1b[2mspan_id=a0b1c2d3\x1b[0m\n");
  /* A hostile span name and status message stay on the line, escaped. */
  v.name = "x\x1b[2J\ny";
  v.name_len = 7;
  v.status_message = "\r\xc2\x9b";
  v.status_len = 3;
  const char *line = console_span(&v, 0), *head = "2026-03-14T10:42:13.421Z [span     ] x\\x1b[2J\\ny ";
  CHECK_MSG(strncmp(line, head, strlen(head)) == 0, "%s", line);
  CHECK(strstr(line, " status_message=\\r\\u009b ") != NULL);
  CHECK(strstr(logfmt_span(&v), "span=\"x\\u001b[2J\\ny\" ") != NULL);
}

/* ---- out of memory: -1 and the buffer as it was ---- */

static void failure_leaves_the_buffer(void) {
  /* A length no buffer can hold; "a b" makes logfmt quote it before reading further. */
  sl_field f[2] = {fi64("n", 1), fstrn("huge", "a b", SIZE_MAX / 3)};
  sl_record_view v = record(SL_LEVEL_INFO, "agent", "e", f, 2);
  sl_span_view s = root_span(SL_STATUS_OK);
  s.attrs = f;
  s.nattrs = 2;
  sl_time_cache tc = {0};
  sl_buf b = {0};
  if (sl_buf_lit(&b, "kept")) abort();
  CHECK_INT(sl_logfmt_render(&v, &tc, &b), -1);
  CHECK_INT(sl_logfmt_render_span(&s, &tc, &b), -1);
  CHECK_INT(sl_console_render(&v, &tc, 0, &b), -1);
  CHECK_INT(sl_console_render_span(&s, &tc, 1, &b), -1);
  CHECK_INT(b.len, 4);
  CHECK(memcmp(b.data, "kept", 4) == 0);
  sl_buf_free(&b);
}

int main(void) {
  make_type_fields();
  make_hostile_fields();
  RUN(logfmt_design_line);
  RUN(console_design_line);
  RUN(logfmt_value_types);
  RUN(console_value_types);
  RUN(logfmt_hostile_values);
  RUN(console_hostile_values);
  RUN(console_every_byte);
  RUN(logfmt_spans);
  RUN(console_spans);
  RUN(failure_leaves_the_buffer);
  return check_exit();
}
