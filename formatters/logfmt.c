/* logfmt lines: key=value pairs with the keys and order of the JSON line (see logfmt.h). */
#include "formatters/logfmt.h"

#include <math.h>
#include <stdint.h>

#include "base/numfmt.h"
#include "base/utf8.h"
#include "base/levels.h"

static const char hex[] = "0123456789abcdef";
static const char *const kind_names[] = {"internal", "server", "client", "producer", "consumer"};
static const char *const status_names[] = {"unset", "ok", "error"};

/* The span line's own keys: an attribute of the same name is written as _name. */
static const char *const span_keys[] = {
    "span", "trace_id", "span_id", "parent_span_id", "kind", "start_time", "duration_ms", "status",
    "status_message", "events", "links", "dropped_attributes_count", "dropped_events_count",
    "dropped_links_count"};

static int lit(sl_buf *b, const char *s) { return sl_buf_append(b, s, strlen(s)); }

/* Letters, digits and -._:/@+: what logfmt readers (and eyes) take as one bare token. */
static int is_safe(unsigned c) {
  return (c | 32) - 'a' < 26u || c - '0' < 10u || (c && strchr("-._:/@+", (int)c));
}

static char *put_u(char *o, unsigned c) {
  o[0] = '\\';
  o[1] = 'u';
  for (int i = 0; i < 4; i++) o[2 + i] = hex[(c >> (12 - 4 * i)) & 15];
  return o + 6;
}

/* s[0..n) in double quotes. Control characters other than \n \r \t (C0, DEL, C1) and
   U+2028/U+2029, which some readers take as line ends, become \uXXXX: one record stays
   one line whatever the bytes. At most 6 bytes out per byte in. */
static int put_quoted(sl_buf *b, const char *s, size_t n) {
  if (n == 0) return lit(b, "\"\""); /* s may be NULL */
  if (n > (SIZE_MAX - 2) / 6 || sl_buf_reserve(b, 6 * n + 2)) return -1;
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  char *o = b->data + b->len;
  *o++ = '"';
  while (p < end) {
    unsigned c = *p;
    size_t len = 1, bad = 1;
    if (c >= 0x80 && (len = sl_utf8_sequence(p, (size_t)(end - p), &bad)) == 0) {
      memcpy(o, SL_UTF8_REPLACEMENT, 3); /* one U+FFFD per maximal invalid subpart */
      o += 3, p += bad;
      continue;
    }
    if (c == '"' || c == '\\') *o++ = '\\', *o++ = (char)c;
    else if (c == '\n') *o++ = '\\', *o++ = 'n';
    else if (c == '\r') *o++ = '\\', *o++ = 'r';
    else if (c == '\t') *o++ = '\\', *o++ = 't';
    else if (c < 0x20 || c == 0x7f) o = put_u(o, c);
    else if (c == 0xC2 && p[1] < 0xA0) o = put_u(o, p[1]); /* C1: U+0080..U+009F */
    else if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
      o = put_u(o, 0x2000u + p[2] - 0x80u);
    else memcpy(o, p, len), o += len;
    p += len;
  }
  *o++ = '"';
  b->len = (size_t)(o - b->data);
  return 0;
}

/* Bare when every byte is safe and quote is 0; quoted otherwise (always when empty). */
static int put_text(sl_buf *b, const char *s, size_t n, int quote) {
  for (size_t i = 0; !quote && i < n; i++)
    if (!is_safe((unsigned char)s[i])) quote = 1;
  return quote || n == 0 ? put_quoted(b, s, n) : sl_buf_append(b, s, n);
}

/* A string value: "null" quoted, so that it stays apart from a null value. */
static int put_string(sl_buf *b, const char *s, size_t n) {
  return put_text(b, s, n, n == 4 && memcmp(s, "null", 4) == 0);
}

static int put_plain_text(sl_buf *b, const char *s, size_t n) { return put_text(b, s, n, 0); }

/* Replaces the text just rendered from b->data[from] on by its logfmt form, in place. */
static int requote(sl_buf *b, size_t from) { return sl_buf_rewrite_tail(b, from, 6, 2, put_plain_text); }

/* Arrays and raw JSON as their compact JSON text, as in the JSON line; text that is not
   one JSON value is a string, as there too. */
static int put_json(sl_buf *b, const sl_field *f) {
  size_t from = b->len;
  int rc = sl_json_put_compact(b, f);
  if (rc == 1) return put_string(b, f->str, f->len);
  return rc ? -1 : requote(b, from);
}

static int put_value(sl_buf *b, const sl_field *f) {
  if (f->type == SL__T_STR || f->type == SL__T_STRN) return put_string(b, f->str, f->len);
  if (f->type == SL__T_RAW || (f->type >= SL__T_STRS && f->type <= SL__T_BOOLS)) return put_json(b, f);
  if (sl_buf_reserve(b, SL_JSON_SMALL)) return -1;
  char *o = b->data + b->len;
  switch (f->type) {
  case SL__T_I64: b->len += sl_fmt_i64(f->v.i, o); return 0;
  case SL__T_U64: b->len += sl_fmt_u64(f->v.u, o); return 0;
  case SL__T_F64:
    if (isnan(f->v.d)) return lit(b, "NaN");
    if (isinf(f->v.d)) return lit(b, f->v.d > 0 ? "Infinity" : "-Infinity");
    b->len += sl_fmt_double(f->v.d, o);
    return 0;
  case SL__T_BOOL: return lit(b, f->v.b ? "true" : "false");
  default: return lit(b, "null");
  }
}

/* " key=value"; prefix (NULL or "_") goes before the key. */
static int put_pair(sl_buf *b, const sl_field *f, const char *prefix) {
  if (lit(b, " ")) return -1;
  if (prefix) {
    /* Quoted or bare as the whole key would be. */
    size_t from = b->len;
    if (lit(b, prefix) || sl_buf_append(b, f->key, f->key_len) || requote(b, from)) return -1;
  } else if (put_text(b, f->key, f->key_len, 0)) {
    return -1;
  }
  return lit(b, "=") || put_value(b, f);
}

/* The timestamp bare: sl_json_put_time's text without its quotes. */
static int put_time(sl_buf *b, uint64_t ts_ns, sl_time_cache *tc) {
  size_t at = b->len;
  if (sl_json_put_time(b, ts_ns, tc)) return -1;
  memmove(b->data + at, b->data + at + 1, b->len - at - 2);
  b->len -= 2;
  return 0;
}

static int put_hex(sl_buf *b, const char *key, const uint8_t *bytes, size_t n) {
  if (lit(b, key) || sl_buf_reserve(b, 2 * n)) return -1;
  for (size_t i = 0; i < n; i++) {
    sl_buf_putc(b, hex[bytes[i] >> 4]);
    sl_buf_putc(b, hex[bytes[i] & 15]);
  }
  return 0;
}

static int put_count(sl_buf *b, const char *key, uint64_t n) {
  char num[SL_FMT_INT_MAX];
  return lit(b, key) || sl_buf_append(b, num, sl_fmt_u64(n, num));
}

static int render(const sl_record_view *v, sl_time_cache *tc, sl_buf *b) {
  if (lit(b, "timestamp=") || put_time(b, v->ts_ns, tc) || lit(b, " level=") ||
      lit(b, sl_level_name((sl_level)v->level)) || lit(b, " logger=") ||
      put_string(b, v->logger, v->logger_len) || lit(b, " event=") ||
      (v->event ? put_string(b, v->event, v->event_len) : lit(b, "null")))
    return -1;
  for (size_t i = 0; i < v->nfields; i++)
    if (put_pair(b, &v->fields[i], NULL)) return -1;
  if (v->has_span && (put_hex(b, " trace_id=", v->trace_id, 16) || put_hex(b, " span_id=", v->span_id, 8)))
    return -1;
  return lit(b, "\n");
}

int sl_logfmt_render(const sl_record_view *v, sl_time_cache *tc, sl_buf *out) {
  size_t start = out->len;
  if (render(v, tc, out) == 0) return 0;
  out->len = start;
  return -1;
}

static const char *attr_prefix(const sl_field *f) {
  for (size_t i = 0; i < sizeof span_keys / sizeof *span_keys; i++)
    if (f->key_len == strlen(span_keys[i]) && memcmp(f->key, span_keys[i], f->key_len) == 0) return "_";
  return NULL;
}

/* events="[\"name\",…]": the JSON array of the event names. */
static int put_event_names(sl_buf *b, const sl_span_event *e, size_t n) {
  if (n == 0) return 0;
  if (lit(b, " events=")) return -1;
  size_t from = b->len;
  if (lit(b, "[")) return -1;
  for (size_t i = 0; i < n; i++)
    if ((i && lit(b, ",")) || sl_json_put_string(b, e[i].name, e[i].name_len)) return -1;
  return lit(b, "]") || requote(b, from);
}

static int render_span(const sl_span_view *v, sl_time_cache *tc, sl_buf *b) {
  int kind = v->kind >= 0 && v->kind <= 4 ? v->kind : 0;
  int code = v->status >= 0 && v->status <= 2 ? v->status : 0;
  if (lit(b, "span=") || put_string(b, v->name, v->name_len) || put_hex(b, " trace_id=", v->trace_id, 16) ||
      put_hex(b, " span_id=", v->span_id, 8) ||
      (v->has_parent ? put_hex(b, " parent_span_id=", v->parent_id, 8) : lit(b, " parent_span_id=null")) ||
      lit(b, " kind=") || lit(b, kind_names[kind]) || lit(b, " start_time=") ||
      put_time(b, v->start_ns, tc) || lit(b, " duration_ms=") || sl_buf_reserve(b, SL_JSON_SMALL))
    return -1;
  /* milliseconds with microsecond resolution, as in the JSON line */
  sl_json_put_double(b, (double)(v->duration_ns / 1000) / 1000.0);
  if (lit(b, " status=") || lit(b, status_names[code])) return -1;
  if (code == 2 && v->status_len &&
      (lit(b, " status_message=") || put_string(b, v->status_message, v->status_len)))
    return -1;
  for (size_t i = 0; i < v->nattrs; i++)
    if (put_pair(b, &v->attrs[i], attr_prefix(&v->attrs[i]))) return -1;
  if (put_event_names(b, v->events, v->nevents) || (v->nlinks && put_count(b, " links=", v->nlinks)) ||
      (v->dropped_attrs && put_count(b, " dropped_attributes_count=", v->dropped_attrs)) ||
      (v->dropped_events && put_count(b, " dropped_events_count=", v->dropped_events)) ||
      (v->dropped_links && put_count(b, " dropped_links_count=", v->dropped_links)))
    return -1;
  return lit(b, "\n");
}

int sl_logfmt_render_span(const sl_span_view *v, sl_time_cache *tc, sl_buf *out) {
  size_t start = out->len;
  if (render_span(v, tc, out) == 0) return 0;
  out->len = start;
  return -1;
}
