/* OTLP encoders (otlp_encode.h). One writer, `enc`, carries the output and the format:
 * values, attribute lists and messages are written by the same functions for protobuf
 * and OTLP/JSON, branching where the two differ, so that the mappings cannot drift apart.
 *
 * Protobuf sub-messages whose size is known before writing (ids, scalar attributes, the
 * request's envelope) get their length written directly; the others (arrays, parsed raw
 * JSON, span events) use pb_begin/pb_end. */
#include "exporters/otlp_encode.h"

#include <math.h>
#include <stdlib.h>

#include "base/levels.h"
#include "base/json_text.h"
#include "base/numfmt.h"
#include "base/parse.h"
#include "base/utf8.h"
#include "exporters/protobuf.h"

/* ---- field numbers (SPEC-NOTES §3.3) ---- */
enum { KV_KEY = 1, KV_VALUE = 2 };
enum { AV_STRING = 1, AV_BOOL = 2, AV_INT = 3, AV_DOUBLE = 4, AV_ARRAY = 5, AV_KVLIST = 6 };
enum { LIST_VALUES = 1 }; /* ArrayValue.values and KeyValueList.values */
enum {
  SPAN_TRACE_ID = 1, SPAN_SPAN_ID = 2, SPAN_TRACE_STATE = 3, SPAN_PARENT = 4, SPAN_NAME = 5, SPAN_KIND = 6, SPAN_START = 7,
  SPAN_END = 8, SPAN_ATTRS = 9, SPAN_DROPPED_ATTRS = 10, SPAN_EVENTS = 11, SPAN_DROPPED_EVENTS = 12,
  SPAN_LINKS = 13, SPAN_DROPPED_LINKS = 14, SPAN_STATUS = 15, SPAN_FLAGS = 16
};
enum { EVENT_TIME = 1, EVENT_NAME = 2, EVENT_ATTRS = 3 };
enum { LINK_TRACE_ID = 1, LINK_SPAN_ID = 2, LINK_TRACE_STATE = 3, LINK_ATTRS = 4, LINK_FLAGS = 6 };
enum { STATUS_MESSAGE = 2, STATUS_CODE = 3 };
enum {
  LOG_TIME = 1, LOG_SEVERITY = 2, LOG_SEVERITY_TEXT = 3, LOG_BODY = 5, LOG_ATTRS = 6, LOG_FLAGS = 8,
  LOG_TRACE_ID = 9, LOG_SPAN_ID = 10, LOG_OBSERVED = 11, LOG_EVENT_NAME = 12
};
/* Request envelopes: the same numbers for traces and logs. */
enum { REQ_RESOURCE_X = 1, RX_RESOURCE = 1, RX_SCOPE_X = 2, SX_SCOPE = 1, SX_ITEMS = 2 };
enum { RESOURCE_ATTRS = 1, SCOPE_NAME = 1, SCOPE_VERSION = 2 };

/* Containers nested in a raw JSON value, at most. Each costs up to three levels of
   protobuf nesting (AnyValue, KeyValueList, KeyValue) below the seven of a span event's
   attribute in a request; protobuf decoders refuse more than 100 levels by default
   (Python's upb, C++, Java), and 7 + 3 * 30 stays under that. */
#define RAW_MAX_DEPTH 30

typedef struct enc {
  sl_buf *b;
  int json;
  sl_buf scratch; /* a raw JSON string's unescaped bytes */
} enc;

/* ================= UTF-8 ================= */

static int ascii8(const unsigned char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return (v & 0x8080808080808080u) == 0;
}

/* Bytes of s once each maximal invalid subpart is one U+FFFD; *valid: whether s is
   valid as it is (a 3-byte invalid subpart leaves the length unchanged: the length alone
   cannot tell). */
static size_t clean_len(const char *s, size_t n, int *valid) {
  *valid = 1;
  if (!n) return 0; /* s may be NULL */
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  size_t out = n;
  while (p < end) {
    while (end - p >= 8 && ascii8(p)) p += 8;
    if (p == end) break;
    if (*p < 0x80) {
      p++;
      continue;
    }
    size_t bad, len = sl_utf8_sequence(p, (size_t)(end - p), &bad);
    if (len) p += len;
    else out += 3 - bad, p += bad, *valid = 0; /* bad is 1 to 3 bytes; U+FFFD takes 3 */
  }
  return out;
}

/* Writes s at o with the replacements clean_len counted; returns the end. */
static char *clean_copy(char *o, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    size_t bad, len = *p < 0x80 ? 1 : sl_utf8_sequence(p, (size_t)(end - p), &bad);
    if (len) {
      memcpy(o, p, len);
      o += len, p += len;
    } else {
      memcpy(o, SL_UTF8_REPLACEMENT, 3);
      o += 3, p += bad;
    }
  }
  return o;
}

/* ================= protobuf pieces ================= */

/* Bytes of a length-delimited field of n bytes. */
static size_t pb_ld_size(uint32_t field, size_t n) {
  return pb_varint_size(pb_key(field, PB_LEN)) + pb_varint_size(n) + n;
}

/* Bytes of a string field whose text takes n bytes once cleaned. */
static size_t pb_text_size(uint32_t field, const char *s, size_t n) {
  int valid;
  return pb_ld_size(field, clean_len(s, n, &valid));
}

/* A string field, always written (callers skip empty proto3 strings themselves). */
static int pb_text(sl_buf *b, uint32_t field, const char *s, size_t n) {
  int valid;
  size_t m = clean_len(s, n, &valid);
  if (valid) return pb_bytes(b, field, s, n);
  if (pb_len_prefix(b, field, m) || sl_buf_reserve(b, m)) return -1;
  b->len = (size_t)(clean_copy(b->data + b->len, s, n) - b->data);
  return 0;
}

/* ================= JSON pieces ================= */

static int js_lit(sl_buf *b, const char *s) { return sl_buf_append(b, s, strlen(s)); }

/* Escaped, invalid UTF-8 replaced by U+FFFD (base/json_text.c, shared with the formatters). */
static int js_string(sl_buf *b, const char *s, size_t n) { return sl_json_put_string(b, n ? s : "", n); }

/* "key": written as a literal, with a comma before it unless first. */
static int js_key(sl_buf *b, const char *key, int first) { return (!first && js_lit(b, ",")) || js_lit(b, key); }

static int js_hex(sl_buf *b, const uint8_t *bytes, size_t n) {
  if (sl_buf_reserve(b, 2 * n + 2)) return -1;
  sl_json_put_hex(b, bytes, n);
  return 0;
}

/* 64-bit integers are strings in OTLP/JSON; 32-bit ones and enums are numbers. */
static int js_u64_string(sl_buf *b, uint64_t v) {
  if (sl_buf_reserve(b, SL_FMT_INT_MAX + 2)) return -1;
  b->data[b->len++] = '"';
  b->len += sl_fmt_u64(v, b->data + b->len);
  b->data[b->len++] = '"';
  return 0;
}
static int js_i64_string(sl_buf *b, int64_t v) {
  if (sl_buf_reserve(b, SL_FMT_INT_MAX + 2)) return -1;
  b->data[b->len++] = '"';
  b->len += sl_fmt_i64(v, b->data + b->len);
  b->data[b->len++] = '"';
  return 0;
}
static int js_number(sl_buf *b, uint64_t v) {
  if (sl_buf_reserve(b, SL_FMT_INT_MAX)) return -1;
  b->len += sl_fmt_u64(v, b->data + b->len);
  return 0;
}
/* A number, or "NaN", "Infinity", "-Infinity" as proto3 JSON spells the others. */
static int js_double(sl_buf *b, double d) {
  if (sl_buf_reserve(b, SL_JSON_SMALL)) return -1;
  sl_json_put_double(b, d);
  return 0;
}

/* ================= AnyValue members =================
 * An AnyValue is opened by its container (av_open: a length-delimited field in
 * protobuf, '{' in JSON); these write its one member; av_close ends it. A null writes
 * no member. */

static size_t av_open(enc *e, uint32_t field) {
  if (e->json) return sl_buf_lit(e->b, "{") ? SIZE_MAX : 0;
  return pb_begin(e->b, field);
}
static int av_close(enc *e, size_t mark) {
  if (e->json) return mark == SIZE_MAX || sl_buf_lit(e->b, "}");
  return pb_end(e->b, mark);
}

static int av_string(enc *e, const char *s, size_t n) {
  if (e->json) return js_lit(e->b, "\"stringValue\":") || js_string(e->b, s, n);
  return pb_text(e->b, AV_STRING, s, n);
}
static int av_int(enc *e, int64_t v) {
  if (e->json) return js_lit(e->b, "\"intValue\":") || js_i64_string(e->b, v);
  return pb_int64(e->b, AV_INT, v);
}
static int av_double(enc *e, double d) {
  if (e->json) return js_lit(e->b, "\"doubleValue\":") || js_double(e->b, d);
  return pb_double(e->b, AV_DOUBLE, d);
}
static int av_bool(enc *e, int v) {
  if (e->json) return js_lit(e->b, v ? "\"boolValue\":true" : "\"boolValue\":false");
  return pb_uint(e->b, AV_BOOL, v != 0);
}
/* uint64: int_value while it fits int64, else the exact decimal digits as a string. */
static int av_uint(enc *e, uint64_t v) {
  char digits[SL_FMT_INT_MAX];
  if (v <= INT64_MAX) return av_int(e, (int64_t)v);
  return av_string(e, digits, sl_fmt_u64(v, digits));
}

/* A list (ArrayValue or KeyValueList) inside an AnyValue: its member field, then the
   repeated values. */
static size_t list_open(enc *e, int kvlist) {
  const char *open = kvlist ? "\"kvlistValue\":{\"values\":[" : "\"arrayValue\":{\"values\":[";
  if (e->json) return js_lit(e->b, open) ? SIZE_MAX : 0;
  return pb_begin(e->b, kvlist ? AV_KVLIST : AV_ARRAY);
}
static int list_close(enc *e, size_t mark) {
  if (e->json) return mark == SIZE_MAX || js_lit(e->b, "]}");
  return pb_end(e->b, mark);
}
/* The separator before the i-th element of a JSON list. */
static int list_sep(enc *e, size_t i) { return e->json && i && sl_buf_lit(e->b, ","); }

/* A KeyValue's start inside a list, up to its value's AnyValue being open: *kv gets the
   KeyValue's mark, the return value is the AnyValue's. */
static size_t kv_open(enc *e, uint32_t field, const char *key, size_t n, size_t *kv) {
  if (e->json) {
    *kv = 0;
    if (js_lit(e->b, "{\"key\":") || js_string(e->b, key, n) || js_lit(e->b, ",\"value\":")) return SIZE_MAX;
    return av_open(e, 0);
  }
  *kv = pb_begin(e->b, field);
  if (*kv == SIZE_MAX || pb_text(e->b, KV_KEY, key, n)) return SIZE_MAX;
  return av_open(e, KV_VALUE);
}
static int kv_close(enc *e, size_t value, size_t kv) {
  if (av_close(e, value)) return -1;
  if (e->json) return kv == SIZE_MAX || js_lit(e->b, "}");
  return pb_end(e->b, kv);
}

/* ================= raw JSON → AnyValue =================
 * A strict RFC 8259 parser that writes as it reads. Returns 0, 1 when the text is not
 * one JSON value (the caller rolls back and writes the text as a string), -1 when
 * memory ran out. */

typedef struct rawp {
  const unsigned char *p, *end;
  enc *e;
} rawp;

enum { RAW_OK = 0, RAW_BAD = 1, RAW_NOMEM = -1 };

static void raw_ws(rawp *r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

static int hex4(const unsigned char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    unsigned c = p[i], d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if ((c | 32) >= 'a' && (c | 32) <= 'f') d = (c | 32) - 'a' + 10;
    else return -1;
    v = v * 16 + d;
  }
  *out = v;
  return 0;
}

static char *put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) {
    *o++ = (char)cp;
  } else if (cp < 0x800) {
    *o++ = (char)(0xC0 | cp >> 6), *o++ = (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = (char)(0xE0 | cp >> 12), *o++ = (char)(0x80 | (cp >> 6 & 0x3F)), *o++ = (char)(0x80 | (cp & 0x3F));
  } else {
    *o++ = (char)(0xF0 | cp >> 18), *o++ = (char)(0x80 | (cp >> 12 & 0x3F));
    *o++ = (char)(0x80 | (cp >> 6 & 0x3F)), *o++ = (char)(0x80 | (cp & 0x3F));
  }
  return o;
}

/* A \u escape at p (p[0] == '\\', p[1] == 'u'), a surrogate pair taking two; lone
   surrogates are refused (they have no UTF-8). Writes the code point at *o. */
static int raw_unicode(rawp *r, char **o) {
  unsigned hi, lo;
  if (r->end - r->p < 6 || hex4(r->p + 2, &hi) || (hi >= 0xDC00 && hi <= 0xDFFF)) return RAW_BAD;
  r->p += 6;
  if (hi >= 0xD800 && hi <= 0xDBFF) {
    if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || hex4(r->p + 2, &lo) || lo < 0xDC00 ||
        lo > 0xDFFF)
      return RAW_BAD;
    r->p += 6;
    hi = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
  }
  *o = put_utf8(*o, hi);
  return RAW_OK;
}

static int raw_escape(rawp *r, char **o) {
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  if (r->end - r->p < 2) return RAW_BAD;
  if (r->p[1] == 'u') return raw_unicode(r, o);
  const char *k = r->p[1] ? strchr(from, r->p[1]) : NULL;
  if (!k) return RAW_BAD;
  *(*o)++ = to[k - from];
  r->p += 2;
  return RAW_OK;
}

/* The string at r->p (its opening quote) unescaped: *s, *n point either into the input
   (no escape in it) or into the scratch buffer. Its bytes are valid UTF-8. */
static int raw_string(rawp *r, const char **s, size_t *n) {
  const unsigned char *start = ++r->p;
  while (r->p < r->end && *r->p != '"' && *r->p != '\\' && *r->p >= 0x20 && *r->p < 0x80) r->p++;
  if (r->p < r->end && *r->p == '"') {
    *s = (const char *)start, *n = (size_t)(r->p++ - start);
    return RAW_OK;
  }
  /* The slow way: unescaping never makes the text longer, the input bounds the room. */
  sl_buf *t = &r->e->scratch;
  t->len = 0;
  if (sl_buf_reserve(t, (size_t)(r->end - start) + 4)) return RAW_NOMEM;
  char *o = t->data;
  r->p = start;
  for (;;) {
    if (r->p >= r->end || *r->p < 0x20) return RAW_BAD;
    unsigned c = *r->p;
    if (c == '"') break;
    if (c == '\\') {
      if (raw_escape(r, &o)) return RAW_BAD;
      continue;
    }
    size_t bad, len = c < 0x80 ? 1 : sl_utf8_sequence(r->p, (size_t)(r->end - r->p), &bad);
    if (!len) return RAW_BAD;
    memcpy(o, r->p, len);
    o += len, r->p += len;
  }
  r->p++;
  *s = t->data, *n = (size_t)(o - t->data);
  return RAW_OK;
}

static int raw_digits(rawp *r) {
  const unsigned char *start = r->p;
  while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
  return r->p > start ? RAW_OK : RAW_BAD;
}

static double parse_double(const char *s, size_t n) {
  char small[64];
  char *text = n < sizeof small ? small : malloc(n + 1);
  if (!text) return NAN; /* unreachable in practice: the caller checked the grammar */
  memcpy(text, s, n);
  text[n] = 0;
  double d = sl_parse_c_double(text);
  if (text != small) free(text);
  return d;
}

/* Digits of an integer token into int64; 0, or -1 when it does not fit. */
static int to_int64(const unsigned char *p, const unsigned char *end, int64_t *out) {
  int neg = *p == '-';
  uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (p += neg; p < end; p++) {
    unsigned d = *p - '0';
    if (v > (limit - d) / 10) return -1;
    v = v * 10 + d;
  }
  *out = neg ? (int64_t)(0 - v) : (int64_t)v; /* 0 - v wraps to INT64_MIN's bits for 2^63 */
  return 0;
}

static int raw_number(rawp *r) {
  const unsigned char *start = r->p;
  int integer = 1;
  if (*r->p == '-') r->p++;
  if (r->p < r->end && *r->p == '0') r->p++;
  else if (raw_digits(r)) return RAW_BAD;
  if (r->p < r->end && *r->p == '.') {
    r->p++, integer = 0;
    if (raw_digits(r)) return RAW_BAD;
  }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
    r->p++, integer = 0;
    if (r->p < r->end && (*r->p == '+' || *r->p == '-')) r->p++;
    if (raw_digits(r)) return RAW_BAD;
  }
  int64_t i;
  if (integer && to_int64(start, r->p, &i) == 0) return av_int(r->e, i) ? RAW_NOMEM : RAW_OK;
  return av_double(r->e, parse_double((const char *)start, (size_t)(r->p - start))) ? RAW_NOMEM : RAW_OK;
}

static int raw_word(rawp *r, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) return RAW_BAD;
  r->p += n;
  return RAW_OK;
}

static int raw_member(rawp *r, int depth);

/* One element of an array or object (its key read first), as an AnyValue of the list. */
static int raw_element(rawp *r, int object, int depth) {
  size_t kv = 0, value;
  int rc;
  if (object) {
    const char *key;
    size_t n;
    if (r->p >= r->end || *r->p != '"') return RAW_BAD;
    if ((rc = raw_string(r, &key, &n))) return rc;
    raw_ws(r);
    if (r->p >= r->end || *r->p++ != ':') return RAW_BAD;
    raw_ws(r);
    value = kv_open(r->e, LIST_VALUES, key, n, &kv);
  } else {
    value = av_open(r->e, LIST_VALUES);
  }
  if (value == SIZE_MAX) return RAW_NOMEM;
  if ((rc = raw_member(r, depth))) return rc;
  if (object ? kv_close(r->e, value, kv) : av_close(r->e, value)) return RAW_NOMEM;
  return RAW_OK;
}

/* An object (kvlist_value) or an array (array_value). */
static int raw_container(rawp *r, int depth) {
  int object = *r->p == '{', rc;
  unsigned close = object ? '}' : ']';
  if (depth >= RAW_MAX_DEPTH) return RAW_BAD;
  r->p++;
  size_t mark = list_open(r->e, object);
  if (mark == SIZE_MAX) return RAW_NOMEM;
  raw_ws(r);
  if (r->p < r->end && *r->p == close) {
    r->p++;
    return list_close(r->e, mark) ? RAW_NOMEM : RAW_OK;
  }
  for (size_t i = 0;; i++) {
    if (list_sep(r->e, i)) return RAW_NOMEM;
    if ((rc = raw_element(r, object, depth + 1))) return rc;
    raw_ws(r);
    if (r->p >= r->end) return RAW_BAD;
    if (*r->p == close) break;
    if (*r->p++ != ',') return RAW_BAD;
    raw_ws(r);
  }
  r->p++;
  return list_close(r->e, mark) ? RAW_NOMEM : RAW_OK;
}

/* One JSON value as the member of the open AnyValue. */
static int raw_member(rawp *r, int depth) {
  const char *s;
  size_t n;
  int rc;
  if (r->p >= r->end) return RAW_BAD;
  switch (*r->p) {
  case '{':
  case '[': return raw_container(r, depth);
  case '"':
    if ((rc = raw_string(r, &s, &n))) return rc;
    return av_string(r->e, s, n) ? RAW_NOMEM : RAW_OK;
  case 't': return raw_word(r, "true") ? RAW_BAD : av_bool(r->e, 1) ? RAW_NOMEM : RAW_OK;
  case 'f': return raw_word(r, "false") ? RAW_BAD : av_bool(r->e, 0) ? RAW_NOMEM : RAW_OK;
  case 'n': return raw_word(r, "null");
  default: return *r->p == '-' || (*r->p >= '0' && *r->p <= '9') ? raw_number(r) : RAW_BAD;
  }
}

/* Raw JSON text as the open AnyValue's member; text that does not parse as exactly one
   value becomes a string member instead. */
static int av_raw(enc *e, const char *text, size_t n) {
  size_t start = e->b->len;
  rawp r = {(const unsigned char *)text, (const unsigned char *)text + n, e};
  raw_ws(&r);
  int rc = raw_member(&r, 0);
  raw_ws(&r);
  if (rc == RAW_OK && r.p != r.end) rc = RAW_BAD;
  if (rc == RAW_NOMEM) return -1;
  if (rc == RAW_OK) return 0;
  e->b->len = start;
  return av_string(e, text, n);
}

/* ================= sl_field values ================= */

/* One element of an encoded array field at *p, as the member of the open AnyValue. */
static int av_element(enc *e, int type, const unsigned char **p) {
  union {
    int64_t i;
    double d;
  } v;
  if (type == SL__T_STRS) {
    uint32_t n = rec_get_u32(*p);
    *p += 4;
    if (n == UINT32_MAX) return 0; /* a NULL string: an empty AnyValue */
    *p += n;
    return av_string(e, (const char *)*p - n, n);
  }
  if (type == SL__T_BOOLS) return av_bool(e, *(*p)++ != 0);
  memcpy(&v, *p, 8);
  *p += 8;
  return type == SL__T_INTS ? av_int(e, v.i) : av_double(e, v.d);
}

static int av_array(enc *e, const sl_field *f) {
  const unsigned char *p = (const unsigned char *)f->str;
  size_t mark = list_open(e, 0);
  if (mark == SIZE_MAX) return -1;
  for (size_t i = 0; i < f->len; i++) {
    size_t value;
    if (list_sep(e, i) || (value = av_open(e, LIST_VALUES)) == SIZE_MAX || av_element(e, f->type, &p) ||
        av_close(e, value))
      return -1;
  }
  return list_close(e, mark);
}

/* The field's value as the member of the open AnyValue. */
static int av_field(enc *e, const sl_field *f) {
  switch (f->type) {
  case SL__T_I64: return av_int(e, f->v.i);
  case SL__T_U64: return av_uint(e, f->v.u);
  case SL__T_F64: return av_double(e, f->v.d);
  case SL__T_BOOL: return av_bool(e, f->v.b);
  case SL__T_STR:
  case SL__T_STRN: return av_string(e, f->str ? f->str : "", f->str ? f->len : 0);
  case SL__T_RAW: return f->str ? av_raw(e, f->str, f->len) : 0;
  case SL__T_STRS:
  case SL__T_INTS:
  case SL__T_DOUBLES:
  case SL__T_BOOLS: return f->str || !f->len ? av_array(e, f) : 0;
  default: return 0; /* NULL and anything unknown: no member */
  }
}

/* Bytes of the protobuf AnyValue member of a scalar field, or SIZE_MAX for the others
   (lists, raw JSON), whose size is only known once written. */
static size_t av_scalar_size(const sl_field *f) {
  switch (f->type) {
  case SL__T_I64: return 1 + pb_varint_size(f->v.u);
  case SL__T_U64:
    if (f->v.u <= INT64_MAX) return 1 + pb_varint_size(f->v.u);
    return pb_ld_size(AV_STRING, f->v.u >= 10000000000000000000u ? 20 : 19); /* its digits */
  case SL__T_F64: return 1 + 8;
  case SL__T_BOOL: return 1 + 1;
  case SL__T_STR:
  case SL__T_STRN: return pb_text_size(AV_STRING, f->str, f->str ? f->len : 0);
  case SL__T_NULL: return 0;
  default: return SIZE_MAX;
  }
}

/* One attribute (a KeyValue in field `field` of the current message). */
static int attr(enc *e, uint32_t field, const sl_field *f) {
  size_t member = e->json ? SIZE_MAX : av_scalar_size(f);
  if (member != SIZE_MAX) {
    /* A scalar: every length is known, nothing moves. */
    size_t value = pb_ld_size(KV_VALUE, member);
    size_t kv = pb_text_size(KV_KEY, f->key, f->key_len) + value;
    if (pb_len_prefix(e->b, field, kv) || pb_text(e->b, KV_KEY, f->key, f->key_len) ||
        pb_len_prefix(e->b, KV_VALUE, member))
      return -1;
    return av_field(e, f);
  }
  size_t kv, value = kv_open(e, field, f->key, f->key_len, &kv);
  return value == SIZE_MAX || av_field(e, f) || kv_close(e, value, kv);
}

/* An attribute list: repeated field `field` in protobuf, "name":[…] in JSON (left out
   when empty). first: no comma before the JSON key. */
static int attrs(enc *e, uint32_t field, const char *json_key, const sl_field *f, size_t n, int first) {
  if (!n) return 0;
  if (e->json && (js_key(e->b, json_key, first) || js_lit(e->b, "["))) return -1;
  for (size_t i = 0; i < n; i++)
    if (list_sep(e, i) || attr(e, field, &f[i])) return -1;
  return e->json && js_lit(e->b, "]");
}

/* ================= common message parts ================= */

static int id_field(enc *e, uint32_t field, const char *json_key, const uint8_t *id, size_t n, int first) {
  if (e->json) return js_key(e->b, json_key, first) || js_hex(e->b, id, n);
  return pb_bytes(e->b, field, id, n);
}
static int time_field(enc *e, uint32_t field, const char *json_key, uint64_t ns, int first) {
  if (e->json) return js_key(e->b, json_key, first) || js_u64_string(e->b, ns);
  return pb_fixed64(e->b, field, ns);
}
static int text_field(enc *e, uint32_t field, const char *json_key, const char *s, size_t n, int first) {
  if (e->json) return js_key(e->b, json_key, first) || js_string(e->b, s, n);
  return pb_text(e->b, field, s, n);
}
/* enums and uint32 counts: numbers in JSON */
static int uint_field(enc *e, uint32_t field, const char *json_key, uint64_t v, int first) {
  if (e->json) return js_key(e->b, json_key, first) || js_number(e->b, v);
  return pb_uint(e->b, field, v);
}
static int fixed32_field(enc *e, uint32_t field, const char *json_key, uint32_t v, int first) {
  if (e->json) return js_key(e->b, json_key, first) || js_number(e->b, v);
  return pb_fixed32(e->b, field, v);
}
/* A sub-message field: its mark, or SIZE_MAX. JSON: "key":{ */
static size_t msg_open(enc *e, uint32_t field, const char *json_key, int first) {
  if (e->json) return js_key(e->b, json_key, first) || js_lit(e->b, "{") ? SIZE_MAX : 0;
  return pb_begin(e->b, field);
}
static int msg_close(enc *e, size_t mark) {
  if (e->json) return mark == SIZE_MAX || js_lit(e->b, "}");
  return pb_end(e->b, mark);
}
/* The JSON list around repeated sub-messages ("events":[ … ]); nothing in protobuf. */
static int js_list_open(enc *e, const char *json_key) {
  return e->json && (js_key(e->b, json_key, 0) || js_lit(e->b, "["));
}
static int js_list_close(enc *e) { return e->json && js_lit(e->b, "]"); }

/* Runs an encoder into out; on failure out is as it was. */
static int finish(enc *e, size_t start, int rc) {
  sl_buf_free(&e->scratch);
  if (rc) e->b->len = start;
  return rc ? -1 : 0;
}

/* ================= spans ================= */

static int span_event(enc *e, const sl_span_event *ev, size_t i) {
  size_t m = e->json ? (list_sep(e, i) || js_lit(e->b, "{") ? SIZE_MAX : 0) : pb_begin(e->b, SPAN_EVENTS);
  if (m == SIZE_MAX || time_field(e, EVENT_TIME, "\"timeUnixNano\":", ev->ts_ns, 1)) return -1;
  if (ev->name && ev->name_len && text_field(e, EVENT_NAME, "\"name\":", ev->name, ev->name_len, 0)) return -1;
  return attrs(e, EVENT_ATTRS, "\"attributes\":", ev->attrs, ev->nattrs, 0) || msg_close(e, m);
}

static int span_link(enc *e, const sl_span_link *l, size_t i) {
  size_t m = e->json ? (list_sep(e, i) || js_lit(e->b, "{") ? SIZE_MAX : 0) : pb_begin(e->b, SPAN_LINKS);
  return m == SIZE_MAX || id_field(e, LINK_TRACE_ID, "\"traceId\":", l->trace_id, 16, 1) ||
         id_field(e, LINK_SPAN_ID, "\"spanId\":", l->span_id, 8, 0) ||
         (l->trace_state_len && text_field(e, LINK_TRACE_STATE, "\"traceState\":", l->trace_state, l->trace_state_len, 0)) ||
         attrs(e, LINK_ATTRS, "\"attributes\":", l->attrs, l->nattrs, 0) ||
         (l->flags && fixed32_field(e, LINK_FLAGS, "\"flags\":", l->flags, 0)) || msg_close(e, m);
}

static int span_events_links(enc *e, const sl_span_view *v) {
  if (v->nevents && js_list_open(e, "\"events\":")) return -1;
  for (size_t i = 0; i < v->nevents; i++)
    if (span_event(e, &v->events[i], i)) return -1;
  if ((v->nevents && js_list_close(e)) || (v->dropped_events &&
      uint_field(e, SPAN_DROPPED_EVENTS, "\"droppedEventsCount\":", v->dropped_events, 0)))
    return -1;
  if (v->nlinks && js_list_open(e, "\"links\":")) return -1;
  for (size_t i = 0; i < v->nlinks; i++)
    if (span_link(e, &v->links[i], i)) return -1;
  return (v->nlinks && js_list_close(e)) ||
         (v->dropped_links && uint_field(e, SPAN_DROPPED_LINKS, "\"droppedLinksCount\":", v->dropped_links, 0));
}

/* Status{message, code}: in protobuf only when not all default; in JSON always, as
   receivers and viewers show it. The message goes with an error only (spanlog keeps
   none otherwise). */
static int span_status(enc *e, const sl_span_view *v) {
  int code = v->status >= 0 && v->status <= 2 ? v->status : 0;
  int message = code == 2 && v->status_message && v->status_len;
  if (!e->json && !code && !message) return 0;
  size_t m = msg_open(e, SPAN_STATUS, "\"status\":", 0);
  if (m == SIZE_MAX || (message && text_field(e, STATUS_MESSAGE, "\"message\":", v->status_message, v->status_len, 1)))
    return -1;
  return (code && uint_field(e, STATUS_CODE, "\"code\":", (uint64_t)code, !message)) || msg_close(e, m);
}

/* The low byte: W3C trace flags, sampled always (an exported span is a sampled one); bit 8
   says whether the parent's remoteness is known, bit 9 that it is remote. */
static uint32_t span_flags(const sl_span_view *v) {
  uint32_t f = (uint32_t)v->trace_flags | 1u;
  if (v->parent_remote == SL_PARENT_LOCAL) f |= 0x100;
  if (v->parent_remote == SL_PARENT_REMOTE) f |= 0x300;
  return f;
}

static int span(enc *e, const sl_span_view *v) {
  int kind = v->kind >= 0 && v->kind <= 4 ? v->kind + 1 : 1; /* OTLP's enum is spanlog's + 1 */
  if ((e->json && js_lit(e->b, "{")) || id_field(e, SPAN_TRACE_ID, "\"traceId\":", v->trace_id, 16, 1) ||
      id_field(e, SPAN_SPAN_ID, "\"spanId\":", v->span_id, 8, 0) ||
      /* the W3C tracestate of the span's trace; empty (the proto3 default) when it has none */
      (v->trace_state_len && text_field(e, SPAN_TRACE_STATE, "\"traceState\":", v->trace_state, v->trace_state_len, 0)) ||
      (v->has_parent && id_field(e, SPAN_PARENT, "\"parentSpanId\":", v->parent_id, 8, 0)) ||
      (v->name && v->name_len && text_field(e, SPAN_NAME, "\"name\":", v->name, v->name_len, 0)) ||
      uint_field(e, SPAN_KIND, "\"kind\":", (uint64_t)kind, 0) ||
      time_field(e, SPAN_START, "\"startTimeUnixNano\":", v->start_ns, 0) ||
      time_field(e, SPAN_END, "\"endTimeUnixNano\":", v->end_ns, 0) ||
      attrs(e, SPAN_ATTRS, "\"attributes\":", v->attrs, v->nattrs, 0) ||
      (v->dropped_attrs && uint_field(e, SPAN_DROPPED_ATTRS, "\"droppedAttributesCount\":", v->dropped_attrs, 0)))
    return -1;
  return span_events_links(e, v) || span_status(e, v) || fixed32_field(e, SPAN_FLAGS, "\"flags\":", span_flags(v), 0) ||
         (e->json && js_lit(e->b, "}"));
}

int sl_otlp_encode_span(const sl_span_view *v, sl_otlp_format fmt, sl_buf *out) {
  enc e = {out, fmt == SL_OTLP_JSON, {0}};
  size_t start = out->len;
  return finish(&e, start, span(&e, v));
}

/* ================= log records ================= */

/* SeverityNumber: the smallest of the level's range (SPEC-NOTES §2); levels between
   spanlog's own fall in the range of the one below. */
static unsigned severity_number(int level) {
  if (level < SL_LEVEL_DEBUG) return 1;    /* TRACE */
  if (level < SL_LEVEL_INFO) return 5;     /* DEBUG */
  if (level < SL_LEVEL_WARNING) return 9;  /* INFO */
  if (level < SL_LEVEL_ERROR) return 13;   /* WARN */
  if (level < SL_LEVEL_CRITICAL) return 17; /* ERROR */
  return 21;                               /* FATAL */
}

/* spanlog's own level names; none for a level between them. */
static const char *severity_text(int level) {
  if (level < SL_LEVEL_DEBUG || level > SL_LEVEL_CRITICAL) return NULL;
  const char *name = sl_level_name((sl_level)level);
  return strcmp(name, "unknown") == 0 ? NULL : name;
}

static int log_body(enc *e, const sl_record_view *v) {
  if (!v->event) return 0;
  size_t m;
  if (e->json) m = js_key(e->b, "\"body\":", 0) ? SIZE_MAX : av_open(e, 0);
  else m = av_open(e, LOG_BODY);
  return m == SIZE_MAX || av_string(e, v->event, v->event_len) || av_close(e, m);
}

static int log_record(enc *e, const sl_record_view *v, const sl_otlp_log_extra *x) {
  const char *text = severity_text(v->level);
  uint64_t observed = x && x->observed_ns ? x->observed_ns : v->ts_ns;
  /* in field number order, as protobuf's own serializers write them */
  if ((e->json && js_lit(e->b, "{")) || time_field(e, LOG_TIME, "\"timeUnixNano\":", v->ts_ns, 1) ||
      uint_field(e, LOG_SEVERITY, "\"severityNumber\":", severity_number(v->level), 0) ||
      (text && text_field(e, LOG_SEVERITY_TEXT, "\"severityText\":", text, strlen(text), 0)) || log_body(e, v) ||
      attrs(e, LOG_ATTRS, "\"attributes\":", v->fields, v->nfields, 0))
    return -1;
  if (v->has_span && ((x && x->trace_flags >= 0 &&
                       fixed32_field(e, LOG_FLAGS, "\"flags\":", (uint32_t)x->trace_flags & 0xFF, 0)) ||
                      id_field(e, LOG_TRACE_ID, "\"traceId\":", v->trace_id, 16, 0) ||
                      id_field(e, LOG_SPAN_ID, "\"spanId\":", v->span_id, 8, 0)))
    return -1;
  if (time_field(e, LOG_OBSERVED, "\"observedTimeUnixNano\":", observed, 0)) return -1;
  if (x && x->event_name && x->event_name_len &&
      text_field(e, LOG_EVENT_NAME, "\"eventName\":", x->event_name, x->event_name_len, 0))
    return -1;
  return e->json && js_lit(e->b, "}");
}

int sl_otlp_encode_log(const sl_record_view *v, const sl_otlp_log_extra *extra, sl_otlp_format fmt, sl_buf *out) {
  enc e = {out, fmt == SL_OTLP_JSON, {0}};
  size_t start = out->len;
  return finish(&e, start, log_record(&e, v, extra));
}

int sl_otlp_encode_value(const sl_field *f, sl_otlp_format fmt, sl_buf *out) {
  enc e = {out, fmt == SL_OTLP_JSON, {0}};
  size_t start = out->len;
  int rc = e.json && js_lit(out, "{");
  rc = rc || av_field(&e, f) || (e.json && js_lit(out, "}"));
  return finish(&e, start, rc);
}

/* ================= requests ================= */

/* The items grouped by scope: group[i] is item i's group; first[g] the first item of
   group g (whose scope names the group). Groups are few (loggers), items many. */
typedef struct groups {
  size_t *group, *first, n;
} groups;

static int same_scope(const sl_otlp_item *a, const sl_otlp_item *b) {
  size_t na = a->scope ? a->scope_len : 0, nb = b->scope ? b->scope_len : 0;
  return na == nb && (na == 0 || memcmp(a->scope, b->scope, na) == 0);
}

static int group_items(const sl_otlp_item *items, size_t n, groups *g) {
  g->group = malloc(2 * n * sizeof *g->group);
  if (!g->group) return -1;
  g->first = g->group + n;
  g->n = 0;
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;
    while (k < g->n && !same_scope(&items[g->first[k]], &items[i])) k++;
    if (k == g->n) g->first[g->n++] = i;
    g->group[i] = k;
  }
  return 0;
}

/* The scope a group names: the item's, or the request's default. */
static sl_otlp_scope group_scope(const sl_otlp_item *it, const sl_otlp_scope *dflt, size_t *name_len) {
  sl_otlp_scope s = {"", NULL};
  if (it->scope && it->scope_len) {
    s.name = it->scope;
    *name_len = it->scope_len;
    return s;
  }
  if (dflt) s = *dflt;
  if (!s.name) s.name = "";
  *name_len = strlen(s.name);
  return s;
}

/* ---- protobuf: every length computed first, then one pass that copies ---- */

static size_t pb_scope_size(sl_otlp_scope s, size_t name_len) {
  size_t n = name_len ? pb_text_size(SCOPE_NAME, s.name, name_len) : 0;
  if (s.version && *s.version) n += pb_text_size(SCOPE_VERSION, s.version, strlen(s.version));
  return n;
}
static int pb_scope(sl_buf *b, sl_otlp_scope s, size_t name_len) {
  if (pb_len_prefix(b, SX_SCOPE, pb_scope_size(s, name_len))) return -1;
  if (name_len && pb_text(b, SCOPE_NAME, s.name, name_len)) return -1;
  return s.version && *s.version && pb_text(b, SCOPE_VERSION, s.version, strlen(s.version));
}

static size_t pb_res_kv_size(const sl_resource *r, size_t i) {
  size_t value = pb_text_size(AV_STRING, r->values[i], strlen(r->values[i]));
  return pb_text_size(KV_KEY, r->keys[i], strlen(r->keys[i])) + pb_ld_size(KV_VALUE, value);
}
static size_t pb_resource_size(const sl_resource *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->n; i++) n += pb_ld_size(RESOURCE_ATTRS, pb_res_kv_size(r, i));
  return n;
}
static int pb_resource(sl_buf *b, const sl_resource *r) {
  if (pb_len_prefix(b, RX_RESOURCE, pb_resource_size(r))) return -1;
  for (size_t i = 0; i < r->n; i++) {
    const char *v = r->values[i];
    if (pb_len_prefix(b, RESOURCE_ATTRS, pb_res_kv_size(r, i)) || pb_text(b, KV_KEY, r->keys[i], strlen(r->keys[i])) ||
        pb_len_prefix(b, KV_VALUE, pb_text_size(AV_STRING, v, strlen(v))) || pb_text(b, AV_STRING, v, strlen(v)))
      return -1;
  }
  return 0;
}

/* Bytes of ScopeX message k's body. */
static size_t pb_group_size(const sl_otlp_item *items, size_t n, const groups *g, size_t k, const sl_otlp_scope *dflt) {
  size_t name_len;
  sl_otlp_scope s = group_scope(&items[g->first[k]], dflt, &name_len);
  size_t size = pb_ld_size(SX_SCOPE, pb_scope_size(s, name_len));
  for (size_t i = g->first[k]; i < n; i++)
    if (g->group[i] == k) size += pb_ld_size(SX_ITEMS, items[i].len);
  return size;
}

static int pb_request(const sl_resource *res, const sl_otlp_scope *dflt, const sl_otlp_item *items, size_t n,
                      const groups *g, sl_buf *b) {
  size_t rx = res ? pb_ld_size(RX_RESOURCE, pb_resource_size(res)) : 0;
  for (size_t k = 0; k < g->n; k++) rx += pb_ld_size(RX_SCOPE_X, pb_group_size(items, n, g, k, dflt));
  if (sl_buf_reserve(b, pb_ld_size(REQ_RESOURCE_X, rx)) || pb_len_prefix(b, REQ_RESOURCE_X, rx) ||
      (res && pb_resource(b, res)))
    return -1;
  for (size_t k = 0; k < g->n; k++) {
    size_t name_len;
    sl_otlp_scope s = group_scope(&items[g->first[k]], dflt, &name_len);
    if (pb_len_prefix(b, RX_SCOPE_X, pb_group_size(items, n, g, k, dflt)) || pb_scope(b, s, name_len)) return -1;
    for (size_t i = g->first[k]; i < n; i++)
      if (g->group[i] == k && pb_bytes(b, SX_ITEMS, items[i].data, items[i].len)) return -1;
  }
  return 0;
}

/* ---- JSON ---- */

typedef struct json_names {
  const char *resource_x, *scope_x, *items;
} json_names;

static int js_resource(sl_buf *b, const sl_resource *r) {
  if (js_lit(b, "\"resource\":{\"attributes\":[")) return -1;
  for (size_t i = 0; i < r->n; i++)
    if ((i && js_lit(b, ",")) || js_lit(b, "{\"key\":") || js_string(b, r->keys[i], strlen(r->keys[i])) ||
        js_lit(b, ",\"value\":{\"stringValue\":") || js_string(b, r->values[i], strlen(r->values[i])) ||
        js_lit(b, "}}"))
      return -1;
  return js_lit(b, "]},");
}

static int js_scope(sl_buf *b, sl_otlp_scope s, size_t name_len) {
  if (js_lit(b, "{\"scope\":{\"name\":") || js_string(b, s.name, name_len)) return -1;
  if (s.version && *s.version && (js_lit(b, ",\"version\":") || js_string(b, s.version, strlen(s.version)))) return -1;
  return js_lit(b, "},");
}

static int js_request(const sl_resource *res, const sl_otlp_scope *dflt, const sl_otlp_item *items, size_t n,
                      const groups *g, const json_names *names, sl_buf *b) {
  if (js_lit(b, "{") || js_lit(b, names->resource_x) || js_lit(b, ":[{") || (res && js_resource(b, res)) ||
      js_lit(b, names->scope_x) || js_lit(b, ":["))
    return -1;
  for (size_t k = 0; k < g->n; k++) {
    size_t name_len, count = 0;
    sl_otlp_scope s = group_scope(&items[g->first[k]], dflt, &name_len);
    if ((k && js_lit(b, ",")) || js_scope(b, s, name_len) || js_lit(b, names->items) || js_lit(b, ":["))
      return -1;
    for (size_t i = g->first[k]; i < n; i++)
      if (g->group[i] == k && ((count++ && js_lit(b, ",")) || sl_buf_append(b, items[i].data, items[i].len)))
        return -1;
    if (js_lit(b, "]}")) return -1;
  }
  return js_lit(b, "]}]}");
}

static int request(const sl_resource *res, const sl_otlp_scope *scope, const sl_otlp_item *items, size_t n,
                   sl_otlp_format fmt, const json_names *names, sl_buf *out) {
  groups g;
  size_t start = out->len;
  if (!n || group_items(items, n, &g)) return -1;
  int rc = fmt == SL_OTLP_JSON ? js_request(res, scope, items, n, &g, names, out)
                               : pb_request(res, scope, items, n, &g, out);
  free(g.group);
  if (rc) out->len = start;
  return rc ? -1 : 0;
}

int sl_otlp_traces_request(const sl_resource *resource, const sl_otlp_scope *scope, const sl_otlp_item *items,
                           size_t n, sl_otlp_format fmt, sl_buf *out) {
  static const json_names names = {"\"resourceSpans\"", "\"scopeSpans\"", "\"spans\""};
  return request(resource, scope, items, n, fmt, &names, out);
}

int sl_otlp_logs_request(const sl_resource *resource, const sl_otlp_scope *scope, const sl_otlp_item *items,
                         size_t n, sl_otlp_format fmt, sl_buf *out) {
  static const json_names names = {"\"resourceLogs\"", "\"scopeLogs\"", "\"logRecords\""};
  return request(resource, scope, items, n, fmt, &names, out);
}
