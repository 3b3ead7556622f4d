/* JSON text from arbitrary bytes and numbers. */
#include "base/json_text.h"

#include <math.h>
#include <stdint.h>

#include "base/numfmt.h"
#include "base/utf8.h"

/* What a byte needs: 0 nothing (copied as is), 1 an escape, 2 UTF-8 decoding. */
static const uint8_t byte_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static const char hex[] = "0123456789abcdef";

/* Whether 8 bytes need nothing: no control character, quote, backslash, DEL or non-ASCII
   byte. Clean runs, most of a line, go 8 bytes per step instead of 1. */
static int clean_word(uint64_t v) {
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  uint64_t control = (v - 0x20 * ones) & ~v;             /* high bit where a byte < 0x20 */
  uint64_t quote = ((v ^ 0x22 * ones) - ones) & ~(v ^ 0x22 * ones);
  uint64_t backslash = ((v ^ 0x5c * ones) - ones) & ~(v ^ 0x5c * ones);
  uint64_t high = v | (v + ones);                        /* high bit for >= 0x80 or 0x7f */
  return ((control | quote | backslash | high) & highs) == 0;
}

static int clean8(const unsigned char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return clean_word(v);
}

/* A clean string of 4 to 16 bytes (keys, names, most short values) at o, with its closing
   quote, checked and copied as two overlapping words; NULL if it is not clean. */
static inline char *put_short_clean(char *o, const unsigned char *p, size_t n) {
  if (n >= 8) {
    if (!clean8(p) || !clean8(p + n - 8)) return NULL;
    memcpy(o, p, 8), memcpy(o + n - 8, p + n - 8, 8);
  } else {
    uint32_t a, b;
    memcpy(&a, p, 4), memcpy(&b, p + n - 4, 4);
    if (!clean_word((uint64_t)a | (uint64_t)b << 32)) return NULL;
    memcpy(o, &a, 4), memcpy(o + n - 4, &b, 4);
  }
  o[n] = '"';
  return o + n + 1;
}

static char *put_escape(char *o, unsigned c) {
  *o++ = '\\';
  switch (c) {
  case '"': *o++ = '"'; return o;
  case '\\': *o++ = '\\'; return o;
  case '\b': *o++ = 'b'; return o;
  case '\f': *o++ = 'f'; return o;
  case '\n': *o++ = 'n'; return o;
  case '\r': *o++ = 'r'; return o;
  case '\t': *o++ = 't'; return o;
  }
  *o++ = 'u';
  *o++ = hex[(c >> 12) & 15];
  *o++ = hex[(c >> 8) & 15];
  *o++ = hex[(c >> 4) & 15];
  *o++ = hex[c & 15];
  return o;
}

/* put_string_at's long way: any bytes. */
static __attribute__((noinline)) char *put_string_any(char *o, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  *o++ = '"';
  while (p < end) {
    /* Clean bytes are copied as they are checked: no second pass, no call. */
    for (; end - p >= 8 && clean8(p); p += 8, o += 8) memcpy(o, p, 8);
    /* A tail shorter than a word, in a string of at least one: if the last 8 bytes are
       clean, those before the tail were clean too and went out as themselves, just before
       o, so one overlapping word finishes the string. */
    if (p < end && end - p < 8 && n >= 8 && clean8(end - 8)) {
      memcpy(o + (end - p) - 8, end - 8, 8);
      o += end - p;
      break;
    }
    while (p < end && byte_class[*p] == 0) *o++ = (char)*p++;
    if (p == end) break;
    if (byte_class[*p] == 1) {
      o = put_escape(o, *p++);
      continue;
    }
    size_t bad;
    size_t len = sl_utf8_sequence(p, (size_t)(end - p), &bad);
    if (len == 0) {
      memcpy(o, SL_UTF8_REPLACEMENT, 3); /* one U+FFFD per maximal invalid subpart */
      o += 3, p += bad;
    } else if (len == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
      /* U+2028 and U+2029 are valid JSON but end lines in JavaScript: escape them. */
      o = put_escape(o, 0x2028u + (p[2] - 0xA8u));
      p += 3;
    } else {
      memcpy(o, p, len);
      o += len, p += len;
    }
  }
  *o++ = '"';
  return o;
}

/* Writes the string literal at o, which has room for 6 * n + 2 bytes (every byte a
   six-byte \u escape); returns the end. A short clean string, most of what a line holds,
   is written here without the long way's call. */
static inline char *put_string_at(char *o, const char *s, size_t n) {
  if (n >= 4 && n <= 16) {
    char *done = put_short_clean(o + 1, (const unsigned char *)s, n);
    if (done) return *o = '"', done;
  }
  return put_string_any(o, s, n);
}

int sl_json_put_string(sl_buf *b, const char *s, size_t n) {
  if (n > (SIZE_MAX - 2) / 6 || sl_buf_reserve(b, 6 * n + 2)) return -1;
  b->len = (size_t)(put_string_at(b->data + b->len, s, n) - b->data);
  return 0;
}

int sl_json_put_key(sl_buf *b, const char *key, size_t n, int first) {
  if (n > (SIZE_MAX - 4) / 6 || sl_buf_reserve(b, 6 * n + 4)) return -1;
  char *o = b->data + b->len;
  if (!first) *o++ = ',';
  o = put_string_at(o, key, n);
  *o++ = ':';
  b->len = (size_t)(o - b->data);
  return 0;
}

/* Non-finite doubles have no JSON number: they become strings. Room reserved. */
void sl_json_put_double(sl_buf *b, double d) {
  if (isnan(d)) sl_buf_put(b, "\"NaN\"", 5);
  else if (isinf(d)) d > 0 ? sl_buf_put(b, "\"Infinity\"", 10) : sl_buf_put(b, "\"-Infinity\"", 11);
  else b->len += sl_fmt_double(d, b->data + b->len);
}
