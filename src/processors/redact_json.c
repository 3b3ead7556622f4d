/* A one-pass walk over a JSON value that copies it, compacted, and lets the caller
 * replace what its rules name: the value of a member whose key is redacted (whatever its
 * shape: an object under "credentials" goes whole), a hashed member's scalars, strings
 * the scrubbers change. Keys and strings are compared and scrubbed decoded, so an escape
 * ("api\u005fkey", "\n4111...") hides nothing. Depth is limited as the JSON formatter
 * limits it, so what this refuses the formatter would write as a string anyway. */
#include "processors/redact_json.h"

#include <stdint.h>
#include <string.h>

#define MAX_DEPTH 128
#define REDACTED_JSON "\"[REDACTED]\""

/* The drainer's (the only caller, under the drain lock): kept from value to value. */
static sl_buf decoded;

typedef struct walk {
  const unsigned char *p, *end;
  sl_buf *out;
  sl_buf *text; /* a decoded string */
  const sl_json_redactor *r;
  int changed;
} walk;

static void skip_ws(walk *w) {
  while (w->p < w->end && (*w->p == ' ' || *w->p == '\t' || *w->p == '\n' || *w->p == '\r')) w->p++;
}

static int hex_digit(unsigned c) {
  return c - '0' < 10u ? (int)(c - '0') : (c | 32u) - 'a' < 6u ? (int)((c | 32u) - 'a' + 10) : -1;
}

/* The 4 hex digits at p, or -1. */
static long hex4(const unsigned char *p, const unsigned char *end) {
  long v = 0;
  if (end - p < 4) return -1;
  for (int i = 0; i < 4; i++) {
    int d = hex_digit(p[i]);
    if (d < 0) return -1;
    v = v << 4 | d;
  }
  return v;
}

static int put_utf8(sl_buf *b, unsigned long c) {
  unsigned char u[4];
  size_t n;
  if (c < 0x80) u[0] = (unsigned char)c, n = 1;
  else if (c < 0x800) u[0] = (unsigned char)(0xC0 | c >> 6), u[1] = (unsigned char)(0x80 | (c & 63)), n = 2;
  else if (c < 0x10000)
    u[0] = (unsigned char)(0xE0 | c >> 12), u[1] = (unsigned char)(0x80 | (c >> 6 & 63)),
    u[2] = (unsigned char)(0x80 | (c & 63)), n = 3;
  else
    u[0] = (unsigned char)(0xF0 | c >> 18), u[1] = (unsigned char)(0x80 | (c >> 12 & 63)),
    u[2] = (unsigned char)(0x80 | (c >> 6 & 63)), u[3] = (unsigned char)(0x80 | (c & 63)), n = 4;
  return sl_buf_append(b, u, n);
}

/* A \u escape at p (after the backslash and 'u'), with a surrogate pair's second half;
   a lone surrogate becomes U+FFFD, as the formatter writes it. The position after it. */
static const unsigned char *unicode_escape(const unsigned char *p, const unsigned char *end, sl_buf *b) {
  long c = hex4(p, end);
  if (c < 0) return NULL;
  p += 4;
  if (c >= 0xD800 && c < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
    long lo = hex4(p + 2, end);
    if (lo >= 0xDC00 && lo < 0xE000) return put_utf8(b, 0x10000 + ((unsigned long)(c - 0xD800) << 10) + (unsigned long)(lo - 0xDC00)) ? NULL : p + 6;
  }
  if (c >= 0xD800 && c < 0xE000) c = 0xFFFD;
  return put_utf8(b, (unsigned long)c) ? NULL : p;
}

/* Decodes the string token at w->p (its opening quote) into w->text; moves w->p past
   it. 0, or -1 if it is not a JSON string. */
static int decode_string(walk *w) {
  static const char plain[] = "\"\\/bfnrt", meant[] = "\"\\/\b\f\n\r\t";
  const unsigned char *p = w->p + 1;
  w->text->len = 0;
  while (p < w->end && *p != '"') {
    const unsigned char *run = p;
    while (p < w->end && *p != '"' && *p != '\\' && *p >= 0x20) p++;
    if (p > run && sl_buf_append(w->text, run, (size_t)(p - run))) return -1;
    if (p == w->end || *p == '"') break;
    if (*p < 0x20 || p + 1 == w->end) return -1;
    const char *esc = memchr(plain, p[1], sizeof plain - 1);
    if (p[1] == 'u') p = unicode_escape(p + 2, w->end, w->text);
    else if (esc && sl_buf_append(w->text, &meant[esc - plain], 1) == 0) p += 2;
    else p = NULL;
    if (!p) return -1;
  }
  if (p == w->end) return -1;
  w->p = p + 1;
  return 0;
}

static int put(walk *w, const void *p, size_t n) { return sl_buf_append(w->out, p, n); }

static int value(walk *w, int depth, sl_json_rule rule);

/* A string value: scrubbed (or hashed) decoded, else copied as it was written. */
static int string(walk *w, sl_json_rule rule) {
  const unsigned char *start = w->p;
  if (decode_string(w)) return -1;
  int replaced = rule == SL_JSON_HASH ? w->r->hash(w->text->data, w->text->len, w->out)
                                      : w->r->string(w->text->data, w->text->len, w->out);
  if (replaced < 0) return -1;
  w->changed |= replaced;
  return replaced ? 0 : put(w, start, (size_t)(w->p - start));
}

/* A number, true, false or null: checked by the formatter later, copied (or hashed). */
static int scalar(walk *w, sl_json_rule rule) {
  const unsigned char *start = w->p;
  while (w->p < w->end && (*w->p == '+' || *w->p == '-' || *w->p == '.' || (*w->p | 32u) - 'a' < 26u ||
                           (unsigned)(*w->p - '0') < 10u))
    w->p++;
  size_t n = (size_t)(w->p - start);
  if (!n) return -1;
  int null = n == 4 && memcmp(start, "null", 4) == 0;
  int replaced = rule == SL_JSON_HASH && !null ? w->r->hash((const char *)start, n, w->out) : 0;
  if (replaced < 0) return -1;
  w->changed |= replaced;
  return replaced ? 0 : put(w, start, n);
}

/* One member: its key's rule decides what becomes of its value. */
static int member(walk *w, int depth) {
  const unsigned char *key = w->p;
  if (w->p == w->end || *w->p != '"' || decode_string(w)) return -1;
  sl_json_rule rule = w->r->rule(w->text->data, w->text->len);
  if (put(w, key, (size_t)(w->p - key)) || put(w, ":", 1)) return -1;
  skip_ws(w);
  if (w->p == w->end || *w->p++ != ':') return -1;
  if (rule != SL_JSON_REDACT) return value(w, depth, rule);
  size_t mark = w->out->len;
  if (value(w, depth, SL_JSON_KEEP)) return -1;
  w->out->len = mark; /* walked for its end only */
  w->changed = 1;
  return put(w, REDACTED_JSON, sizeof REDACTED_JSON - 1);
}

/* An object or an array; an array's elements keep the rule of its key (hash=ids hashes
   each id of a list). */
static int container(walk *w, int depth, sl_json_rule rule) {
  unsigned char close = *w->p == '{' ? '}' : ']';
  if (depth >= MAX_DEPTH || put(w, w->p++, 1)) return -1;
  skip_ws(w);
  if (w->p < w->end && *w->p == close) return w->p++, put(w, &close, 1);
  for (;;) {
    int rc = close == '}' ? member(w, depth + 1) : value(w, depth + 1, rule);
    skip_ws(w);
    if (rc || w->p == w->end) return -1;
    unsigned char c = *w->p++;
    if (c == close) return put(w, &c, 1);
    if (c != ',' || put(w, &c, 1)) return -1;
    skip_ws(w);
  }
}

static int value(walk *w, int depth, sl_json_rule rule) {
  skip_ws(w);
  if (w->p == w->end) return -1;
  if (*w->p == '{' || *w->p == '[') return container(w, depth, *w->p == '[' ? rule : SL_JSON_KEEP);
  if (*w->p == '"') return string(w, rule);
  return scalar(w, rule);
}

int sl_redact_json(const char *text, size_t len, const sl_json_redactor *r, sl_buf *out) {
  walk w = {(const unsigned char *)text, (const unsigned char *)text + len, out, &decoded, r, 0};
  size_t base = out->len;
  int rc = value(&w, 0, SL_JSON_KEEP);
  skip_ws(&w);
  if (rc || w.p != w.end) rc = -1;
  else rc = w.changed;
  if (rc <= 0) out->len = base;
  return rc;
}
