/* Pre-rendered JSON (SL_RAW_JSON) checked and compacted to one line. Text that is not
   exactly one valid JSON value is refused, and the caller writes it as a string, so a
   line is valid JSON whatever the application passed. */
#include <string.h>

#include "formatters/json.h"
#include "base/utf8.h"

#define MAX_DEPTH 128

typedef struct raw {
  const unsigned char *p, *end;
  char *o; /* output, room reserved for the whole input */
} raw;

static void skip_ws(raw *r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

static int copy_if(raw *r, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) return -1;
  memcpy(r->o, word, n);
  r->o += n, r->p += n;
  return 0;
}

static int is_hex(unsigned c) { return (c - '0' < 10u) || ((c | 32) - 'a' < 6u); }

static unsigned hex4(const unsigned char *p) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) v = v * 16 + (p[i] <= '9' ? p[i] - '0' : (p[i] | 32) - 'a' + 10);
  return v;
}

/* A \u escape, or a surrogate pair of two; lone surrogates are refused. */
static int unicode_escape(raw *r) {
  if (r->end - r->p < 6) return -1;
  for (int i = 2; i < 6; i++)
    if (!is_hex(r->p[i])) return -1;
  unsigned u = hex4(r->p + 2);
  size_t len = 6;
  if (u >= 0xDC00 && u <= 0xDFFF) return -1;
  if (u >= 0xD800 && u <= 0xDBFF) {
    if (r->end - r->p < 12 || r->p[6] != '\\' || r->p[7] != 'u') return -1;
    for (int i = 8; i < 12; i++)
      if (!is_hex(r->p[i])) return -1;
    unsigned lo = hex4(r->p + 8);
    if (lo < 0xDC00 || lo > 0xDFFF) return -1;
    len = 12;
  }
  memcpy(r->o, r->p, len);
  r->o += len, r->p += len;
  return 0;
}

static int string(raw *r) {
  *r->o++ = *r->p++; /* opening quote */
  while (r->p < r->end) {
    unsigned c = *r->p;
    if (c == '"') return *r->o++ = *r->p++, 0;
    if (c < 0x20) return -1;
    if (c == '\\') {
      if (r->end - r->p < 2) return -1;
      if (r->p[1] == 'u') {
        if (unicode_escape(r)) return -1;
        continue;
      }
      if (!strchr("\"\\/bfnrt", r->p[1]) || !r->p[1]) return -1;
      *r->o++ = *r->p++;
      *r->o++ = *r->p++;
      continue;
    }
    size_t bad, len = sl_utf8_sequence(r->p, (size_t)(r->end - r->p), &bad);
    if (!len) return -1;
    if (len == 3 && r->p[0] == 0xE2 && r->p[1] == 0x80 && (r->p[2] == 0xA8 || r->p[2] == 0xA9)) {
      /* U+2028 and U+2029 end lines in JavaScript: escaped, as in every other string */
      memcpy(r->o, r->p[2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
      r->o += 6, r->p += 3;
      continue;
    }
    memcpy(r->o, r->p, len);
    r->o += len, r->p += len;
  }
  return -1;
}

static int digits(raw *r) {
  const unsigned char *start = r->p;
  while (r->p < r->end && *r->p >= '0' && *r->p <= '9') *r->o++ = (char)*r->p++;
  return r->p > start ? 0 : -1;
}

static int number(raw *r) {
  if (*r->p == '-') *r->o++ = (char)*r->p++;
  if (r->p < r->end && *r->p == '0') {
    *r->o++ = (char)*r->p++;
  } else if (digits(r)) {
    return -1;
  }
  if (r->p < r->end && *r->p == '.') {
    *r->o++ = (char)*r->p++;
    if (digits(r)) return -1;
  }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
    *r->o++ = (char)*r->p++;
    if (r->p < r->end && (*r->p == '+' || *r->p == '-')) *r->o++ = (char)*r->p++;
    if (digits(r)) return -1;
  }
  return 0;
}

static int value(raw *r, int depth);

/* An object or an array: members separated by commas, whitespace dropped. */
static int container(raw *r, int depth) {
  if (depth >= MAX_DEPTH) return -1;
  unsigned close = *r->p == '{' ? '}' : ']';
  int object = close == '}';
  *r->o++ = (char)*r->p++;
  skip_ws(r);
  if (r->p < r->end && *r->p == close) return *r->o++ = (char)*r->p++, 0;
  for (;;) {
    if (object) {
      if (r->p >= r->end || *r->p != '"' || string(r)) return -1;
      skip_ws(r);
      if (r->p >= r->end || *r->p != ':') return -1;
      *r->o++ = (char)*r->p++;
      skip_ws(r);
    }
    if (value(r, depth + 1)) return -1;
    skip_ws(r);
    if (r->p >= r->end) return -1;
    if (*r->p == close) return *r->o++ = (char)*r->p++, 0;
    if (*r->p != ',') return -1;
    *r->o++ = (char)*r->p++;
    skip_ws(r);
  }
}

static int value(raw *r, int depth) {
  if (r->p >= r->end) return -1;
  switch (*r->p) {
  case '{':
  case '[': return container(r, depth);
  case '"': return string(r);
  case 't': return copy_if(r, "true");
  case 'f': return copy_if(r, "false");
  case 'n': return copy_if(r, "null");
  default: return (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) ? number(r) : -1;
  }
}

int sl_json_put_raw(sl_buf *b, const char *text, size_t n) {
  /* Compacting only shrinks the text; escaping U+2028 and U+2029 makes 3 bytes 6. */
  if (n > SIZE_MAX / 2 || sl_buf_reserve(b, 2 * n)) return -1;
  raw r = {(const unsigned char *)text, (const unsigned char *)text + n, b->data + b->len};
  skip_ws(&r);
  if (value(&r, 0)) return 1;
  skip_ws(&r);
  if (r.p != r.end) return 1;
  b->len = (size_t)(r.o - b->data);
  return 0;
}
