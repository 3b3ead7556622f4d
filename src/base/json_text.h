/* JSON text: string literals from arbitrary bytes, keys, numbers and hex ids. What the
 * formatters, the span attributes, the GenAI helpers and the OTLP/JSON encoder share. */
#ifndef SL_JSON_TEXT_H
#define SL_JSON_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Appends s[0..n) as a JSON string literal: control characters escaped, invalid UTF-8
   replaced by U+FFFD, never a raw newline. 0 or -1 (no memory). */
int sl_json_put_string(sl_buf *b, const char *s, size_t n);
/* Appends "key": (after a comma unless first), as one step. 0 or -1. */
int sl_json_put_key(sl_buf *b, const char *key, size_t n, int first);
/* Appends a finite double in its shortest form, a non-finite one as a string ("NaN",
   "Infinity", "-Infinity"); room for SL_JSON_SMALL bytes reserved. */
void sl_json_put_double(sl_buf *b, double d);
/* Appends bytes as a quoted lower-case hex string; room for 2n+2 bytes reserved. Inline:
   every record with a span writes two of them. */
static inline void sl_json_put_hex(sl_buf *b, const uint8_t *bytes, size_t n) {
  static const char digits[] = "0123456789abcdef";
  char *o = b->data + b->len;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    *o++ = digits[bytes[i] >> 4];
    *o++ = digits[bytes[i] & 15];
  }
  *o++ = '"';
  b->len = (size_t)(o - b->data);
}
/* Room that the two above need at most (with n <= 16). */
#define SL_JSON_SMALL 64

#endif
