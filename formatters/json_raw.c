/* Pre-rendered JSON (SL_RAW_JSON) checked and compacted to one line. Text that is not
   exactly one valid JSON value is refused, and the caller writes it as a string, so a
   line is valid JSON whatever the application passed. */
#include <stdint.h>
#include <stdlib.h>
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

/* ---- no key twice in an object ----
 * Keys are compared as a strict parser reads them, escapes decoded ("a" and "\u0061" are
 * one key): each key's decoded bytes are hashed, the hashes sorted, and equal neighbours
 * compared byte for byte. An object with a key twice is not written as JSON (the caller
 * writes the whole value as a string). */

typedef struct key_span {
  uint64_t hash;
  const char *text; /* the key as written, quotes included */
  size_t len;
} key_span;

typedef struct key_list {
  key_span local[16], *keys;
  size_t n, cap;
} key_list;

/* The decoded bytes of a JSON string literal (already checked), one at a time. */
typedef struct key_reader {
  const unsigned char *p, *end;
  unsigned char pending[4];
  int npending, next;
} key_reader;

static void put_utf8(key_reader *k, unsigned u) {
  unsigned char *o = k->pending;
  if (u < 0x80) o[0] = (unsigned char)u, k->npending = 1;
  else if (u < 0x800) o[0] = (unsigned char)(0xC0 | u >> 6), o[1] = (unsigned char)(0x80 | (u & 63)), k->npending = 2;
  else if (u < 0x10000)
    o[0] = (unsigned char)(0xE0 | u >> 12), o[1] = (unsigned char)(0x80 | ((u >> 6) & 63)),
    o[2] = (unsigned char)(0x80 | (u & 63)), k->npending = 3;
  else
    o[0] = (unsigned char)(0xF0 | u >> 18), o[1] = (unsigned char)(0x80 | ((u >> 12) & 63)),
    o[2] = (unsigned char)(0x80 | ((u >> 6) & 63)), o[3] = (unsigned char)(0x80 | (u & 63)), k->npending = 4;
  k->next = 0;
}

/* The next decoded byte, or -1 at the end. */
static int key_byte(key_reader *k) {
  if (k->next < k->npending) return k->pending[k->next++];
  if (k->p >= k->end) return -1;
  if (*k->p != '\\') return *k->p++;
  unsigned c = k->p[1];
  k->p += 2;
  if (c != 'u') {
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    return (unsigned char)to[strchr(from, (int)c) - from];
  }
  unsigned u = hex4(k->p);
  k->p += 4;
  if (u >= 0xD800 && u <= 0xDBFF) { /* a pair: checked when the string was copied */
    u = 0x10000 + ((u - 0xD800) << 10) + (hex4(k->p + 2) - 0xDC00);
    k->p += 6;
  }
  put_utf8(k, u);
  return key_byte(k);
}

static key_reader reader_of(const key_span *s) {
  key_reader k = {(const unsigned char *)s->text + 1, (const unsigned char *)s->text + s->len - 1, {0}, 0, 0};
  return k;
}

static uint64_t key_hash(const key_span *s) {
  key_reader k = reader_of(s);
  uint64_t h = 1469598103934665603u;
  for (int c; (c = key_byte(&k)) >= 0;) h = (h ^ (unsigned)c) * 1099511628211u;
  return h;
}

static int same_key(const key_span *a, const key_span *b) {
  key_reader x = reader_of(a), y = reader_of(b);
  for (;;) {
    int c = key_byte(&x), d = key_byte(&y);
    if (c != d) return 0;
    if (c < 0) return 1;
  }
}

static int add_key(key_list *l, const char *text, size_t len) {
  if (l->n == l->cap) {
    size_t cap = l->cap * 2;
    key_span *grown = l->keys == l->local ? malloc(cap * sizeof *grown) : realloc(l->keys, cap * sizeof *grown);
    if (!grown) return -1;
    if (l->keys == l->local) memcpy(grown, l->local, sizeof l->local);
    l->keys = grown, l->cap = cap;
  }
  key_span *s = &l->keys[l->n++];
  s->text = text, s->len = len;
  s->hash = key_hash(s);
  return 0;
}

static int by_hash(const void *a, const void *b) {
  uint64_t x = ((const key_span *)a)->hash, y = ((const key_span *)b)->hash;
  return x < y ? -1 : x > y;
}

static int has_duplicate(key_list *l) {
  if (l->n < 2) return 0;
  qsort(l->keys, l->n, sizeof *l->keys, by_hash);
  for (size_t i = 1; i < l->n; i++)
    for (size_t j = i; j > 0 && l->keys[j - 1].hash == l->keys[i].hash; j--)
      if (same_key(&l->keys[j - 1], &l->keys[i])) return 1;
  return 0;
}

static void free_keys(key_list *l) {
  if (l->keys != l->local) free(l->keys);
}

/* The members of an object or an array, separated by commas, whitespace dropped; an
   object's keys go into keys. */
static int members(raw *r, int depth, unsigned close, key_list *keys) {
  for (;;) {
    if (keys) {
      char *key = r->o;
      if (r->p >= r->end || *r->p != '"' || string(r) || add_key(keys, key, (size_t)(r->o - key))) return -1;
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

static int container(raw *r, int depth) {
  if (depth >= MAX_DEPTH) return -1;
  unsigned close = *r->p == '{' ? '}' : ']';
  *r->o++ = (char)*r->p++;
  skip_ws(r);
  if (r->p < r->end && *r->p == close) return *r->o++ = (char)*r->p++, 0;
  if (close == ']') return members(r, depth, close, NULL);
  key_list keys = {.n = 0, .cap = 16};
  keys.keys = keys.local;
  int rc = members(r, depth, close, &keys) || has_duplicate(&keys) ? -1 : 0;
  free_keys(&keys);
  return rc;
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
