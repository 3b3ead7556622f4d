/* JSON string literals from arbitrary bytes. */
#include <stdint.h>

#include "json.h"
#include "utf8.h"

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

int sl_json_put_string(sl_buf *b, const char *s, size_t n) {
  /* Worst case: every byte becomes a six-byte \u escape. */
  if (n > (SIZE_MAX - 2) / 6 || sl_buf_reserve(b, 6 * n + 2)) return -1;
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  char *o = b->data + b->len;
  *o++ = '"';
  while (p < end) {
    const unsigned char *run = p;
    while (p < end && byte_class[*p] == 0) p++;
    memcpy(o, run, (size_t)(p - run));
    o += p - run;
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
  b->len = (size_t)(o - b->data);
  return 0;
}
