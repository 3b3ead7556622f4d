/* A strict JSON reader: recursive descent over the input, one node per value. */
#include "base/json_read.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_text.h"
#include "base/utf8.h"

typedef struct cursor {
  const char *p, *end;
  int depth;
  const char *error;
} cursor;

static int fail(cursor *c, const char *why) {
  if (!c->error) c->error = why;
  return -1;
}

static void skip_ws(cursor *c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char ch = p[i];
    int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
          : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
    if (d < 0) return -1;
    v = v * 16 + (unsigned)d;
  }
  *out = v;
  return 0;
}

/* A \u escape at p (after the backslash and 'u'), with its low surrogate if it is a high
   one; *cp receives the code point. Returns the bytes read, or 0 if invalid. */
static size_t read_u_escape(const char *p, const char *end, unsigned *cp) {
  unsigned hi, lo;
  if (end - p < 4 || hex4(p, &hi)) return 0;
  if (hi >= 0xDC00 && hi <= 0xDFFF) return 0; /* a lone low surrogate */
  if (hi < 0xD800 || hi > 0xDBFF) return *cp = hi, 4;
  if (end - p < 10 || p[4] != '\\' || p[5] != 'u' || hex4(p + 6, &lo) || lo < 0xDC00 || lo > 0xDFFF) return 0;
  *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
  return 10;
}

static size_t put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) return o[0] = (char)cp, 1;
  if (cp < 0x800) return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 63)), 2;
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 63)), o[2] = (char)(0x80 | (cp & 63));
    return 3;
  }
  o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | (cp >> 12 & 63));
  o[2] = (char)(0x80 | (cp >> 6 & 63)), o[3] = (char)(0x80 | (cp & 63));
  return 4;
}

/* Checks a string literal at c->p (the opening quote); leaves c->p after it. */
static int check_string(cursor *c) {
  const char *p = c->p + 1;
  while (p < c->end) {
    unsigned char ch = (unsigned char)*p;
    if (ch == '"') return c->p = p + 1, 0;
    if (ch < 0x20) return fail(c, "a control character in a string");
    if (ch == '\\') {
      unsigned cp;
      if (p + 1 >= c->end) break;
      char e = p[1];
      if (e == 'u') {
        size_t n = read_u_escape(p + 2, c->end, &cp);
        if (!n) return fail(c, "an invalid \\u escape");
        p += 2 + n;
      } else if (strchr("\"\\/bfnrt", e) && e) {
        p += 2;
      } else {
        return fail(c, "an invalid escape");
      }
      continue;
    }
    size_t bad, n = sl_utf8_sequence((const unsigned char *)p, (size_t)(c->end - p), &bad);
    if (!n) return fail(c, "invalid UTF-8 in a string");
    p += n;
  }
  return fail(c, "an unterminated string");
}

size_t sl_json_unescape(const char *s, size_t n, char *out) {
  const char *end = s + n;
  size_t o = 0;
  while (s < end) {
    if (*s != '\\') {
      out[o++] = *s++;
      continue;
    }
    char e = s[1];
    if (e == 'u') {
      unsigned cp = 0xFFFD;
      size_t used = read_u_escape(s + 2, end, &cp);
      o += put_utf8(out + o, cp);
      s += 2 + (used ? used : 4);
      continue;
    }
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = strchr(from, e);
    out[o++] = k && e ? to[k - from] : e;
    s += 2;
  }
  return o;
}

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static int check_number(cursor *c) {
  const char *p = c->p;
  if (p < c->end && *p == '-') p++;
  if (p >= c->end || !is_digit(*p)) return fail(c, "an invalid number");
  if (*p == '0') p++;
  else
    while (p < c->end && is_digit(*p)) p++;
  if (p < c->end && *p == '.') {
    if (++p >= c->end || !is_digit(*p)) return fail(c, "an invalid number");
    while (p < c->end && is_digit(*p)) p++;
  }
  if (p < c->end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < c->end && (*p == '+' || *p == '-')) p++;
    if (p >= c->end || !is_digit(*p)) return fail(c, "an invalid number");
    while (p < c->end && is_digit(*p)) p++;
  }
  if (p < c->end && is_digit(*p)) return fail(c, "a number with a leading zero");
  c->p = p;
  return 0;
}

static int check_word(cursor *c, const char *word, sl_json_type *type, sl_json_type t) {
  size_t n = strlen(word);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0) return fail(c, "an unexpected character");
  c->p += n;
  *type = t;
  return 0;
}

/* ---- building ---- */

static int parse_value(cursor *c, sl_json *v);

static char *decode_string(const char *lit, size_t lit_len, size_t *len) {
  char *s = malloc(lit_len + 1); /* decoding never grows (lit_len >= 2: the quotes) */
  if (!s) return NULL;
  *len = sl_json_unescape(lit + 1, lit_len - 2, s);
  s[*len] = 0;
  return s;
}

static int push_item(sl_json *v, size_t *cap) {
  if (v->n < *cap) return 0;
  size_t n = *cap ? *cap * 2 : 4;
  sl_json *items = realloc(v->items, n * sizeof *items);
  if (!items) return -1;
  v->items = items;
  *cap = n;
  return 0;
}

/* The items of an array or object at c->p (after its opening bracket). */
static int parse_items(cursor *c, sl_json *v, char close) {
  size_t cap = 0;
  skip_ws(c);
  if (c->p < c->end && *c->p == close) return c->p++, 0;
  for (;;) {
    if (push_item(v, &cap)) return fail(c, "out of memory");
    sl_json *item = &v->items[v->n];
    memset(item, 0, sizeof *item);
    v->n++;
    skip_ws(c);
    if (close == '}') {
      const char *key = c->p;
      if (c->p >= c->end || *c->p != '"') return fail(c, "a member without a string key");
      if (check_string(c)) return -1;
      if (!(item->key = decode_string(key, (size_t)(c->p - key), &item->key_len))) return fail(c, "out of memory");
      skip_ws(c);
      if (c->p >= c->end || *c->p != ':') return fail(c, "a member without ':'");
      c->p++;
    }
    if (parse_value(c, item)) return -1;
    skip_ws(c);
    if (c->p < c->end && *c->p == ',') {
      c->p++;
      continue;
    }
    if (c->p < c->end && *c->p == close) return c->p++, 0;
    return fail(c, c->p >= c->end ? "unexpected end of input" : "a missing ',' or closing bracket");
  }
}

static int parse_value(cursor *c, sl_json *v) {
  skip_ws(c);
  if (c->p >= c->end) return fail(c, "unexpected end of input");
  const char *start = c->p;
  int rc = 0;
  switch (*c->p) {
  case '{':
  case '[':
    if (++c->depth > SL_JSON_MAX_DEPTH) return fail(c, "nested too deeply");
    v->type = *c->p == '{' ? SL_JSON_OBJECT : SL_JSON_ARRAY;
    c->p++;
    rc = parse_items(c, v, v->type == SL_JSON_OBJECT ? '}' : ']');
    c->depth--;
    break;
  case '"':
    v->type = SL_JSON_STRING;
    if ((rc = check_string(c)) == 0 && !(v->str = decode_string(start, (size_t)(c->p - start), &v->len)))
      rc = fail(c, "out of memory");
    break;
  case 't': rc = check_word(c, "true", &v->type, SL_JSON_TRUE); break;
  case 'f': rc = check_word(c, "false", &v->type, SL_JSON_FALSE); break;
  case 'n': rc = check_word(c, "null", &v->type, SL_JSON_NULL); break;
  default:
    v->type = SL_JSON_NUMBER;
    if ((rc = check_number(c)) == 0) {
      v->len = (size_t)(c->p - start);
      if (!(v->str = malloc(v->len + 1))) return fail(c, "out of memory");
      memcpy(v->str, start, v->len);
      v->str[v->len] = 0;
    }
  }
  v->text = start;
  v->text_len = (size_t)(c->p - start);
  return rc;
}

static void free_members(sl_json *v) {
  for (size_t i = 0; i < v->n; i++) free_members(&v->items[i]);
  free(v->items);
  free(v->str);
  free(v->key);
}

void sl_json_free(sl_json *v) {
  if (!v) return;
  free_members(v);
  free(v);
}

sl_json *sl_json_parse(const char *text, size_t len, const char **error) {
  cursor c = {text, text + len, 0, NULL};
  sl_json *v = calloc(1, sizeof *v);
  if (!v) {
    if (error) *error = "out of memory";
    return NULL;
  }
  if (parse_value(&c, v) == 0) {
    skip_ws(&c);
    if (c.p == c.end) return v;
    fail(&c, "text after the value");
  }
  if (error) *error = c.error;
  sl_json_free(v);
  return NULL;
}

const sl_json *sl_json_member(const sl_json *v, const char *key) {
  if (!v || v->type != SL_JSON_OBJECT) return NULL;
  size_t n = strlen(key);
  for (size_t i = 0; i < v->n; i++)
    if (v->items[i].key_len == n && memcmp(v->items[i].key, key, n) == 0) return &v->items[i];
  return NULL;
}

/* ---- checking without building ---- */

static int skip_value(cursor *c);

static int skip_items(cursor *c, char close) {
  skip_ws(c);
  if (c->p < c->end && *c->p == close) return c->p++, 0;
  for (;;) {
    skip_ws(c);
    if (close == '}') {
      if (c->p >= c->end || *c->p != '"' || check_string(c)) return fail(c, "a member without a string key");
      skip_ws(c);
      if (c->p >= c->end || *c->p != ':') return fail(c, "a member without ':'");
      c->p++;
    }
    if (skip_value(c)) return -1;
    skip_ws(c);
    if (c->p < c->end && *c->p == ',') {
      c->p++;
      continue;
    }
    if (c->p < c->end && *c->p == close) return c->p++, 0;
    return fail(c, "a missing ',' or closing bracket");
  }
}

static int skip_value(cursor *c) {
  sl_json_type t;
  skip_ws(c);
  if (c->p >= c->end) return fail(c, "unexpected end of input");
  switch (*c->p) {
  case '{':
  case '[': {
    char close = *c->p == '{' ? '}' : ']';
    if (++c->depth > SL_JSON_MAX_DEPTH) return fail(c, "nested too deeply");
    c->p++;
    int rc = skip_items(c, close);
    c->depth--;
    return rc;
  }
  case '"': return check_string(c);
  case 't': return check_word(c, "true", &t, SL_JSON_TRUE);
  case 'f': return check_word(c, "false", &t, SL_JSON_FALSE);
  case 'n': return check_word(c, "null", &t, SL_JSON_NULL);
  default: return check_number(c);
  }
}

const char *sl_json_skip(const char *p, const char *end) {
  cursor c = {p, end, 0, NULL};
  return skip_value(&c) ? NULL : c.p;
}

/* ---- writing and comparing ---- */

static int write_value(const sl_json *v, sl_buf *out, int sorted);

static int cmp_members(const void *a, const void *b) {
  const sl_json *x = *(const sl_json *const *)a, *y = *(const sl_json *const *)b;
  size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
  int d = memcmp(x->key, y->key, n);
  return d ? d : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

static int write_object(const sl_json *v, sl_buf *out, int sorted) {
  const sl_json **order = malloc((v->n ? v->n : 1) * sizeof *order);
  if (!order) return -1;
  for (size_t i = 0; i < v->n; i++) order[i] = &v->items[i];
  if (sorted) qsort(order, v->n, sizeof *order, cmp_members);
  int rc = sl_buf_lit(out, "{");
  for (size_t i = 0; i < v->n && !rc; i++)
    rc = sl_json_put_key(out, order[i]->key, order[i]->key_len, i == 0) || write_value(order[i], out, sorted);
  free(order);
  return rc || sl_buf_lit(out, "}") ? -1 : 0;
}

static int write_value(const sl_json *v, sl_buf *out, int sorted) {
  switch (v->type) {
  case SL_JSON_NULL: return sl_buf_lit(out, "null");
  case SL_JSON_FALSE: return sl_buf_lit(out, "false");
  case SL_JSON_TRUE: return sl_buf_lit(out, "true");
  case SL_JSON_NUMBER: return sl_buf_append(out, v->str, v->len);
  case SL_JSON_STRING: return sl_json_put_string(out, v->str, v->len);
  case SL_JSON_ARRAY: {
    int rc = sl_buf_lit(out, "[");
    for (size_t i = 0; i < v->n && !rc; i++)
      rc = (i && sl_buf_lit(out, ",")) || write_value(&v->items[i], out, sorted);
    return rc || sl_buf_lit(out, "]") ? -1 : 0;
  }
  case SL_JSON_OBJECT: return write_object(v, out, sorted);
  }
  return -1;
}

int sl_json_write_compact(const sl_json *v, sl_buf *out) { return write_value(v, out, 0); }
int sl_json_write_canonical(const sl_json *v, sl_buf *out) { return write_value(v, out, 1); }

static int bytes_eq(const char *a, size_t an, const char *b, size_t bn) {
  return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static int objects_equal(const sl_json *a, const sl_json *b, const char *wildcard) {
  if (a->n != b->n) return 0;
  for (size_t i = 0; i < b->n; i++) {
    const sl_json *m = NULL;
    for (size_t j = 0; j < a->n && !m; j++)
      if (bytes_eq(a->items[j].key, a->items[j].key_len, b->items[i].key, b->items[i].key_len)) m = &a->items[j];
    if (!m || !sl_json_equal(m, &b->items[i], wildcard)) return 0;
  }
  return 1;
}

int sl_json_equal(const sl_json *a, const sl_json *b, const char *wildcard) {
  if (wildcard && b->type == SL_JSON_STRING && strcmp(b->str, wildcard) == 0) return 1;
  if (a->type != b->type) return 0;
  switch (a->type) {
  case SL_JSON_NUMBER:
  case SL_JSON_STRING: return bytes_eq(a->str, a->len, b->str, b->len);
  case SL_JSON_ARRAY:
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++)
      if (!sl_json_equal(&a->items[i], &b->items[i], wildcard)) return 0;
    return 1;
  case SL_JSON_OBJECT: return objects_equal(a, b, wildcard);
  default: return 1;
  }
}
