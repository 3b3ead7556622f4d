/* The strict JSON parser: recursive descent over a byte range, bounded depth. */
#include "json.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for any OTLP kvlist a real program writes, shallow enough for the C stack. */
#define MAX_DEPTH 128

/* ---- arena: blocks freed together; a reset keeps one block as large as the last line needed */

typedef struct block {
  struct block *next;
  size_t cap, used;
  _Alignas(max_align_t) unsigned char data[];
} block;

struct arena {
  block *head;
  size_t total; /* bytes handed out since the last reset */
};

static block *block_new(size_t cap) {
  block *b = malloc(sizeof *b + cap);
  if (!b) return NULL;
  b->next = NULL;
  b->cap = cap;
  b->used = 0;
  return b;
}

static void arena_reset(arena *a) {
  if (a->head && a->head->next) {
    /* the last line needed more than one block: replace them all by one that fits */
    size_t want = a->total + a->total / 2;
    for (block *b = a->head, *n; b; b = n) {
      n = b->next;
      free(b);
    }
    a->head = block_new(want);
  } else if (a->head) {
    a->head->used = 0;
  }
  a->total = 0;
}

static void *arena_alloc(arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!a->head || a->head->cap - a->head->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    block *b = block_new(cap);
    if (!b) return NULL;
    b->next = a->head;
    a->head = b;
  }
  void *p = a->head->data + a->head->used;
  a->head->used += n;
  a->total += n;
  return p;
}

void jparser_init(jparser *p) {
  memset(p, 0, sizeof *p);
  p->mem = calloc(1, sizeof *p->mem);
}

void jparser_free(jparser *p) {
  if (p->mem) {
    for (block *b = p->mem->head, *n; b; b = n) {
      n = b->next;
      free(b);
    }
    free(p->mem);
  }
  free(p->vstack);
  free(p->mstack);
  memset(p, 0, sizeof *p);
}

void *jalloc(jparser *p, size_t n) { return p->mem ? arena_alloc(p->mem, n) : NULL; }

/* ---- the parser proper */

typedef struct {
  jparser *jp;
  const unsigned char *p, *end;
  int depth;
} cursor;

static void skip_ws(cursor *c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

/* Length of the UTF-8 sequence at s (at most end - s bytes), 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s, const unsigned char *end) {
  unsigned char c = s[0];
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if ((size_t)(end - s) < n) return 0;
  if (c == 0xE0) lo = 0xA0;      /* overlong */
  else if (c == 0xED) hi = 0x9F; /* surrogates */
  else if (c == 0xF0) lo = 0x90; /* overlong */
  else if (c == 0xF4) hi = 0x8F; /* past U+10FFFF */
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return n;
}

static int hex4(const unsigned char *s, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    unsigned char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

static size_t put_utf8(unsigned char *o, unsigned cp) {
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* One escape after the backslash at *sp; writes the decoded bytes to o. */
static size_t decode_escape(const unsigned char **sp, const unsigned char *end, unsigned char *o) {
  const unsigned char *s = *sp + 1;
  unsigned cp, lo;
  if (s >= end) return 0;
  switch (*s) {
  case '"': case '\\': case '/': o[0] = *s; *sp = s + 1; return 1;
  case 'b': o[0] = '\b'; *sp = s + 1; return 1;
  case 'f': o[0] = '\f'; *sp = s + 1; return 1;
  case 'n': o[0] = '\n'; *sp = s + 1; return 1;
  case 'r': o[0] = '\r'; *sp = s + 1; return 1;
  case 't': o[0] = '\t'; *sp = s + 1; return 1;
  case 'u': break;
  default: return 0;
  }
  if (end - s < 5 || hex4(s + 1, &cp)) return 0;
  s += 5;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return 0; /* a low surrogate alone */
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (end - s < 6 || s[0] != '\\' || s[1] != 'u' || hex4(s + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
      return 0;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    s += 6;
  }
  *sp = s;
  return put_utf8(o, cp);
}

/* Printable ASCII other than '"' and '\\': bytes a string's scan can pass without a look. */
static const bool plain_byte[256] = {
#define ROW16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
    ROW16(0), ROW16(0), /* controls */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x22 '"' */
    ROW16(1), ROW16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x5C '\\' */
    ROW16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x7F is allowed unescaped by RFC 8259 */
    ROW16(0), ROW16(0), ROW16(0), ROW16(0), ROW16(0), ROW16(0), ROW16(0), ROW16(0), /* UTF-8: checked */
#undef ROW16
};

/* A string at the opening quote. Without escapes it points into the input. */
static int parse_string(cursor *c, const char **out, uint32_t *outn) {
  const unsigned char *start = ++c->p, *s = start;
  bool escaped = false;
  for (;;) {
    while (s < c->end && plain_byte[*s]) s++; /* the common case: printable ASCII */
    if (s >= c->end || *s == '"') break;
    if (*s == '\\') {
      escaped = true;
      s += 2;
    } else if (*s < 0x20) {
      return -1;
    } else if (*s < 0x80) {
      s++;
    } else {
      size_t n = utf8_seq(s, c->end);
      if (!n) return -1;
      s += n;
    }
  }
  if (s >= c->end || (size_t)(s - start) > UINT32_MAX) return -1;
  c->p = s + 1;
  if (!escaped) {
    *out = (const char *)start;
    *outn = (uint32_t)(s - start);
    return 0;
  }
  /* decoded text is never longer than the escaped text */
  unsigned char *o = jalloc(c->jp, (size_t)(s - start) + 1), *w = o;
  if (!o) return -1;
  for (const unsigned char *r = start; r < s;) {
    if (*r == '\\') {
      size_t n = decode_escape(&r, s, w);
      if (!n) return -1;
      w += n;
    } else {
      *w++ = *r++;
    }
  }
  *out = (const char *)o;
  *outn = (uint32_t)(w - o);
  return 0;
}

static bool is_digit(unsigned char ch) { return ch >= '0' && ch <= '9'; }

static int parse_number(cursor *c, jval *v) {
  const unsigned char *s = c->p;
  if (s < c->end && *s == '-') s++;
  if (s >= c->end) return -1;
  if (*s == '0') s++;
  else if (is_digit(*s)) while (s < c->end && is_digit(*s)) s++;
  else return -1;
  if (s < c->end && *s == '.') {
    if (++s >= c->end || !is_digit(*s)) return -1;
    while (s < c->end && is_digit(*s)) s++;
  }
  if (s < c->end && (*s == 'e' || *s == 'E')) {
    s++;
    if (s < c->end && (*s == '+' || *s == '-')) s++;
    if (s >= c->end || !is_digit(*s)) return -1;
    while (s < c->end && is_digit(*s)) s++;
  }
  if ((size_t)(s - c->p) > UINT32_MAX) return -1;
  v->type = J_NUM;
  v->u.s = (const char *)c->p;
  v->n = (uint32_t)(s - c->p);
  c->p = s;
  return 0;
}

static int literal(cursor *c, const char *word, jtype t, jval *v) {
  size_t n = strlen(word);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0) return -1;
  c->p += n;
  v->type = t;
  return 0;
}

static int push_val(jparser *jp, const jval *v) {
  if (jp->vlen == jp->vcap) {
    size_t cap = jp->vcap ? jp->vcap * 2 : 256;
    jval *n = realloc(jp->vstack, cap * sizeof *n);
    if (!n) return -1;
    jp->vstack = n;
    jp->vcap = cap;
  }
  jp->vstack[jp->vlen++] = *v;
  return 0;
}

static int push_member(jparser *jp, const jmember *m) {
  if (jp->mlen == jp->mcap) {
    size_t cap = jp->mcap ? jp->mcap * 2 : 256;
    jmember *n = realloc(jp->mstack, cap * sizeof *n);
    if (!n) return -1;
    jp->mstack = n;
    jp->mcap = cap;
  }
  jp->mstack[jp->mlen++] = *m;
  return 0;
}

static int parse_value(cursor *c, jval *v);

/* Elements gather on the scratch stack (nested containers above them) and move to the
 * arena when the container closes, so each container is one contiguous array. */
static int parse_array(cursor *c, jval *v) {
  jparser *jp = c->jp;
  size_t base = jp->vlen;
  c->p++;
  skip_ws(c);
  if (c->p < c->end && *c->p == ']') {
    c->p++;
  } else {
    for (;;) {
      jval item;
      if (parse_value(c, &item) || push_val(jp, &item)) return -1;
      skip_ws(c);
      if (c->p >= c->end) return -1;
      if (*c->p == ']') { c->p++; break; }
      if (*c->p++ != ',') return -1;
    }
  }
  size_t n = jp->vlen - base;
  v->type = J_ARR;
  v->n = (uint32_t)n;
  v->u.items = NULL;
  if (n) {
    if (!(v->u.items = jalloc(jp, n * sizeof(jval)))) return -1;
    memcpy(v->u.items, jp->vstack + base, n * sizeof(jval));
  }
  jp->vlen = base;
  return 0;
}

static int parse_member(cursor *c, jmember *m) {
  skip_ws(c);
  if (c->p >= c->end || *c->p != '"' || parse_string(c, &m->key, &m->klen)) return -1;
  skip_ws(c);
  if (c->p >= c->end || *c->p++ != ':') return -1;
  return parse_value(c, &m->val);
}

static int parse_object(cursor *c, jval *v) {
  jparser *jp = c->jp;
  size_t base = jp->mlen;
  c->p++;
  skip_ws(c);
  if (c->p < c->end && *c->p == '}') {
    c->p++;
  } else {
    for (;;) {
      jmember m;
      if (parse_member(c, &m) || push_member(jp, &m)) return -1;
      skip_ws(c);
      if (c->p >= c->end) return -1;
      if (*c->p == '}') { c->p++; break; }
      if (*c->p++ != ',') return -1;
    }
  }
  size_t n = jp->mlen - base;
  v->type = J_OBJ;
  v->n = (uint32_t)n;
  v->u.members = NULL;
  if (n) {
    if (!(v->u.members = jalloc(jp, n * sizeof(jmember)))) return -1;
    memcpy(v->u.members, jp->mstack + base, n * sizeof(jmember));
  }
  jp->mlen = base;
  return 0;
}

static int parse_value(cursor *c, jval *v) {
  skip_ws(c);
  if (c->p >= c->end) return -1;
  v->n = 0;
  v->u.s = NULL;
  switch (*c->p) {
  case '{': case '[': {
    if (++c->depth > MAX_DEPTH) return -1;
    int r = *c->p == '{' ? parse_object(c, v) : parse_array(c, v);
    c->depth--;
    return r;
  }
  case '"': v->type = J_STR; return parse_string(c, &v->u.s, &v->n);
  case 't': return literal(c, "true", J_TRUE, v);
  case 'f': return literal(c, "false", J_FALSE, v);
  case 'n': return literal(c, "null", J_NULL, v);
  default: return parse_number(c, v);
  }
}

const jval *json_parse(jparser *jp, const char *text, size_t len) {
  if (!jp->mem) return NULL;
  arena_reset(jp->mem);
  jp->vlen = jp->mlen = 0;
  cursor c = {jp, (const unsigned char *)text, (const unsigned char *)text + len, 0};
  jval *root = jalloc(jp, sizeof *root);
  if (!root || parse_value(&c, root)) return NULL;
  skip_ws(&c);
  return c.p == c.end ? root : NULL;
}

/* ---- lookups */

const jval *jget(const jval *obj, const char *key) {
  if (!obj || obj->type != J_OBJ) return NULL;
  size_t kl = strlen(key);
  for (uint32_t i = 0; i < obj->n; i++) {
    const jmember *m = &obj->u.members[i];
    if (m->klen == kl && memcmp(m->key, key, kl) == 0) return &m->val;
  }
  return NULL;
}

bool jstr(const jval *v, const char **s, size_t *n) {
  if (!v || v->type != J_STR) return false;
  *s = v->u.s;
  *n = v->n;
  return true;
}

bool jstr_eq(const jval *v, const char *lit) {
  size_t n = strlen(lit);
  return v && v->type == J_STR && v->n == n && memcmp(v->u.s, lit, n) == 0;
}

/* Number text is short and bounded by the grammar; copy it to terminate it for strtod. */
bool jnum(const jval *v, double *out) {
  char tmp[64];
  if (!v || v->type != J_NUM) return false;
  if (v->n >= sizeof tmp) {
    *out = strtod(v->u.s, NULL); /* a number token is followed by a non-number byte */
    return true;
  }
  memcpy(tmp, v->u.s, v->n);
  tmp[v->n] = 0;
  *out = strtod(tmp, NULL);
  return true;
}

static bool parse_i64(const char *s, size_t n, int64_t *out) {
  bool neg = n && s[0] == '-';
  size_t i = neg ? 1 : 0;
  uint64_t acc = 0;
  if (i == n || n - i > 19) return false;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    acc = acc * 10 + (uint64_t)(s[i] - '0');
  }
  if (acc > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) return false;
  *out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
  return true;
}

bool jint(const jval *v, int64_t *out) {
  if (!v) return false;
  if (v->type == J_STR) return parse_i64(v->u.s, v->n, out);
  if (v->type != J_NUM) return false;
  if (parse_i64(v->u.s, v->n, out)) return true;
  double d;
  if (!jnum(v, &d) || !(d >= -9.2e18 && d <= 9.2e18)) return false;
  *out = (int64_t)d;
  return true;
}
