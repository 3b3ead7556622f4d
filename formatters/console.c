/* Console lines for a developer's terminal, structlog's ConsoleRenderer style (see
 * console.h). Whatever the values hold, the only escape sequences in a line are the
 * colours below, and only when asked for. */
#include "formatters/console.h"

#include <math.h>
#include <stdint.h>

#include "base/numfmt.h"
#include "spanlog/span.h" /* SL_STATUS_* */
#include "base/utf8.h"
#include "base/levels.h"

#define RESET "\x1b[0m"
#define BOLD "\x1b[1m"
#define DIM "\x1b[2m"
#define RED "\x1b[31m"
#define GREEN "\x1b[32m"
#define YELLOW "\x1b[33m"
#define BLUE "\x1b[34m"
#define MAGENTA "\x1b[35m"
#define BOLD_RED "\x1b[1;31m"

enum { LEVEL_WIDTH = 9, EVENT_WIDTH = 30, ID_BYTES = 4 };

static const char hex[] = "0123456789abcdef";
static const char *const kind_names[] = {"internal", "server", "client", "producer", "consumer"};

/* The span line's own keys: an attribute of the same name is shown as _name. */
static const char *const span_keys[] = {
    "kind", "status_message", "events", "links", "dropped_attributes_count", "dropped_events_count",
    "dropped_links_count", "trace_id", "span_id", "parent_span_id"};

static int lit(sl_buf *b, const char *s) { return sl_buf_append(b, s, strlen(s)); }

/* A colour: nothing at all when colours are off. */
static int style(sl_buf *b, int color, const char *code) { return color ? lit(b, code) : 0; }

static const char *level_color(int level) {
  switch (level) {
  case SL_LEVEL_DEBUG:
  case SL_LEVEL_INFO: return GREEN;
  case SL_LEVEL_WARNING: return YELLOW;
  case SL_LEVEL_ERROR: return RED;
  case SL_LEVEL_CRITICAL: return BOLD_RED;
  default: return RESET;
  }
}

static char *put_escape(char *o, char kind, unsigned c, int digits) {
  *o++ = '\\';
  *o++ = kind;
  for (int i = digits - 1; i >= 0; i--) *o++ = hex[(c >> (4 * i)) & 15];
  return o;
}

/* s[0..n) made harmless for a terminal (see console.h). In JSON text (json != 0) a
   backslash already starts an escape and is kept as is. At most 4 bytes out per byte in
   (\x1b for one byte, \u0085 for two). */
static int put_text(sl_buf *b, const char *s, size_t n, int json) {
  if (n == 0) return 0; /* s may be NULL */
  if (n > SIZE_MAX / 4 || sl_buf_reserve(b, 4 * n)) return -1;
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  char *o = b->data + b->len;
  while (p < end) {
    unsigned c = *p;
    size_t len = 1, bad = 1;
    if (c >= 0x80 && (len = sl_utf8_sequence(p, (size_t)(end - p), &bad)) == 0) {
      memcpy(o, SL_UTF8_REPLACEMENT, 3); /* one U+FFFD per maximal invalid subpart */
      o += 3, p += bad;
      continue;
    }
    if (c == '\\' && !json) *o++ = '\\', *o++ = '\\';
    else if (c == '\n') *o++ = '\\', *o++ = 'n';
    else if (c == '\r') *o++ = '\\', *o++ = 'r';
    else if (c == '\t') *o++ = '\\', *o++ = 't';
    else if (c < 0x20 || c == 0x7f) o = put_escape(o, 'x', c, 2);
    else if (c == 0xC2 && p[1] < 0xA0) o = put_escape(o, 'u', p[1], 4); /* C1 */
    else if (c == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xA8 && p[2] <= 0xAE) ||
                           (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)))
      o = put_escape(o, 'u', 0x2000u + ((p[1] & 0x3Fu) << 6) + (p[2] & 0x3Fu), 4);
    else memcpy(o, p, len), o += len;
    p += len;
  }
  b->len = (size_t)(o - b->data);
  return 0;
}

/* Characters (not bytes) from b->data[from] on: the text there is valid UTF-8. */
static size_t columns(const sl_buf *b, size_t from) {
  size_t n = 0;
  for (size_t i = from; i < b->len; i++) n += ((unsigned char)b->data[i] & 0xC0) != 0x80;
  return n;
}

static int spaces(sl_buf *b, size_t n) {
  if (sl_buf_reserve(b, n)) return -1;
  memset(b->data + b->len, ' ', n);
  b->len += n;
  return 0;
}

/* The separator before the next item: *gap spaces (the event's padding, or one). */
static int gap(sl_buf *b, size_t *gap) {
  size_t n = *gap;
  *gap = 1;
  return spaces(b, n);
}

static int put_json_text(sl_buf *b, const char *s, size_t n) { return put_text(b, s, n, 1); }

/* Replaces the JSON text just rendered from b->data[from] on by its put_text form, in
   place: a C1 or bidi control in a JSON string is still raw there. */
static int rewrite_json(sl_buf *b, size_t from) { return sl_buf_rewrite_tail(b, from, 4, 0, put_json_text); }

/* Arrays and raw JSON as their compact JSON text, as in the JSON line; text that is not
   one JSON value is a string, as there too. */
static int put_json(sl_buf *b, const sl_field *f) {
  size_t from = b->len;
  int rc = sl_json_put_compact(b, f);
  if (rc == 1) return put_text(b, f->str, f->len, 0);
  return rc ? -1 : rewrite_json(b, from);
}

static int put_double(sl_buf *b, double d) {
  if (isnan(d)) return lit(b, "NaN");
  if (isinf(d)) return lit(b, d > 0 ? "Infinity" : "-Infinity");
  if (sl_buf_reserve(b, SL_FMT_DOUBLE_MAX)) return -1;
  b->len += sl_fmt_double(d, b->data + b->len);
  return 0;
}

static int put_value(sl_buf *b, const sl_field *f) {
  char num[SL_FMT_INT_MAX];
  switch (f->type) {
  case SL__T_STR:
  case SL__T_STRN: return put_text(b, f->str, f->len, 0);
  case SL__T_I64: return sl_buf_append(b, num, sl_fmt_i64(f->v.i, num));
  case SL__T_U64: return sl_buf_append(b, num, sl_fmt_u64(f->v.u, num));
  case SL__T_F64: return put_double(b, f->v.d);
  case SL__T_BOOL: return lit(b, f->v.b ? "true" : "false");
  case SL__T_NULL: return lit(b, "null");
  default: return put_json(b, f);
  }
}

/* key=value with the key dim; prefix ("" or "_") goes before the key. */
static int put_pair(sl_buf *b, int color, size_t *sep, const char *prefix, const sl_field *f) {
  return gap(b, sep) || style(b, color, DIM) || lit(b, prefix) || put_text(b, f->key, f->key_len, 0) ||
         lit(b, "=") || style(b, color, RESET) || put_value(b, f);
}

/* A shortened id, dim: key=<first 8 hex digits>. */
static int put_id(sl_buf *b, int color, size_t *sep, const char *key, const uint8_t *id) {
  if (gap(b, sep) || style(b, color, DIM) || lit(b, key) || sl_buf_reserve(b, 2 * ID_BYTES)) return -1;
  for (int i = 0; i < ID_BYTES; i++) {
    sl_buf_putc(b, hex[id[i] >> 4]);
    sl_buf_putc(b, hex[id[i] & 15]);
  }
  return style(b, color, RESET);
}

/* "2026-03-14T10:42:13.421Z" (dim): sl_json_put_time's text cut to milliseconds. */
static int put_time(sl_buf *b, int color, uint64_t ts_ns, sl_time_cache *tc) {
  if (style(b, color, DIM)) return -1;
  size_t at = b->len;
  if (sl_json_put_time(b, ts_ns, tc)) return -1;
  memmove(b->data + at, b->data + at + 1, 23); /* drop the quote, keep up to the ms */
  b->data[at + 23] = 'Z';
  b->len = at + 24;
  return style(b, color, RESET);
}

/* " [info     ]": the tag padded inside the brackets, in its colour. */
static int put_tag(sl_buf *b, int color, const char *code, const char *tag) {
  size_t n = strlen(tag);
  return lit(b, " [") || style(b, color, code) || lit(b, tag) ||
         spaces(b, n < LEVEL_WIDTH ? LEVEL_WIDTH - n : 0) || style(b, color, RESET) || lit(b, "]");
}

/* " <title>" in bold; *sep receives the spaces due before the next item, which pad the
   title to EVENT_WIDTH characters (not bytes), so that a line never ends in spaces. */
static int put_title(sl_buf *b, int color, const char *s, size_t n, size_t *sep) {
  if (lit(b, " ") || style(b, color, BOLD)) return -1;
  size_t from = b->len;
  if (put_text(b, s, n, 0)) return -1;
  size_t cols = columns(b, from);
  *sep = (cols < EVENT_WIDTH ? EVENT_WIDTH - cols : 0) + 1;
  return style(b, color, RESET);
}

static int render(const sl_record_view *v, sl_time_cache *tc, int color, sl_buf *b) {
  size_t sep;
  if (put_time(b, color, v->ts_ns, tc) ||
      put_tag(b, color, level_color(v->level), sl_level_name((sl_level)v->level)) ||
      put_title(b, color, v->event, v->event_len, &sep))
    return -1;
  if (v->logger_len && (gap(b, &sep) || style(b, color, BLUE) || lit(b, "[") ||
                        put_text(b, v->logger, v->logger_len, 0) || lit(b, "]") || style(b, color, RESET)))
    return -1;
  for (size_t i = 0; i < v->nfields; i++)
    if (put_pair(b, color, &sep, "", &v->fields[i])) return -1;
  if (v->has_span &&
      (put_id(b, color, &sep, "trace_id=", v->trace_id) || put_id(b, color, &sep, "span_id=", v->span_id)))
    return -1;
  return lit(b, "\n");
}

int sl_console_render(const sl_record_view *v, sl_time_cache *tc, int color, sl_buf *out) {
  size_t start = out->len;
  if (render(v, tc, color, out) == 0) return 0;
  out->len = start;
  return -1;
}

static const char *attr_prefix(const sl_field *f) {
  for (size_t i = 0; i < sizeof span_keys / sizeof *span_keys; i++)
    if (f->key_len == strlen(span_keys[i]) && memcmp(f->key, span_keys[i], f->key_len) == 0) return "_";
  return "";
}

/* events=["name",…]: the JSON array of the event names. */
static int put_event_names(sl_buf *b, int color, size_t *sep, const sl_span_event *e, size_t n) {
  if (n == 0) return 0;
  if (gap(b, sep) || style(b, color, DIM) || lit(b, "events=") || style(b, color, RESET)) return -1;
  size_t from = b->len;
  if (lit(b, "[")) return -1;
  for (size_t i = 0; i < n; i++)
    if ((i && lit(b, ",")) || sl_json_put_string(b, e[i].name, e[i].name_len)) return -1;
  return lit(b, "]") || rewrite_json(b, from);
}

/* The span's own key=value pairs go through put_pair as fields, escaped like any other. */
static int put_str_pair(sl_buf *b, int color, size_t *sep, const char *key, const char *s, size_t n) {
  sl_field f = {.key = key, .key_len = strlen(key), .type = SL__T_STR, .str = s, .len = n};
  return put_pair(b, color, sep, "", &f);
}

static int put_count(sl_buf *b, int color, size_t *sep, const char *key, uint64_t n) {
  sl_field f = {.key = key, .key_len = strlen(key), .type = SL__T_U64, .v.u = n};
  return n ? put_pair(b, color, sep, "", &f) : 0;
}

static int render_span(const sl_span_view *v, sl_time_cache *tc, int color, sl_buf *b) {
  int kind = v->kind >= 0 && v->kind <= 4 ? v->kind : 0;
  size_t sep;
  if (put_time(b, color, v->start_ns, tc) || put_tag(b, color, MAGENTA, "span") ||
      put_title(b, color, v->name, v->name_len, &sep) || gap(b, &sep) ||
      put_double(b, (double)(v->duration_ns / 1000) / 1000.0) || lit(b, " ms"))
    return -1;
  if (v->status == SL_STATUS_OK || v->status == SL_STATUS_ERROR) {
    int ok = v->status == SL_STATUS_OK;
    if (gap(b, &sep) || style(b, color, ok ? GREEN : RED) || lit(b, ok ? "ok" : "error") ||
        style(b, color, RESET))
      return -1;
  }
  if ((kind && put_str_pair(b, color, &sep, "kind", kind_names[kind], strlen(kind_names[kind]))) ||
      (v->status == SL_STATUS_ERROR && v->status_len &&
       put_str_pair(b, color, &sep, "status_message", v->status_message, v->status_len)))
    return -1;
  for (size_t i = 0; i < v->nattrs; i++)
    if (put_pair(b, color, &sep, attr_prefix(&v->attrs[i]), &v->attrs[i])) return -1;
  if (put_event_names(b, color, &sep, v->events, v->nevents) ||
      put_count(b, color, &sep, "links", v->nlinks) ||
      put_count(b, color, &sep, "dropped_attributes_count", v->dropped_attrs) ||
      put_count(b, color, &sep, "dropped_events_count", v->dropped_events) ||
      put_count(b, color, &sep, "dropped_links_count", v->dropped_links) ||
      put_id(b, color, &sep, "trace_id=", v->trace_id) || put_id(b, color, &sep, "span_id=", v->span_id) ||
      (v->has_parent && put_id(b, color, &sep, "parent_span_id=", v->parent_id)))
    return -1;
  return lit(b, "\n");
}

int sl_console_render_span(const sl_span_view *v, sl_time_cache *tc, int color, sl_buf *out) {
  size_t start = out->len;
  if (render_span(v, tc, color, out) == 0) return 0;
  out->len = start;
  return -1;
}
