/* A strict JSON-lines checker; see jsonl.h for what it accepts.
 *
 * A recursive-descent parser over a private copy of the line. Every read goes
 * through peek() or an explicit length check, because the input is arbitrary
 * bytes (the tests fuzz it). Decoded strings land in one arena sized from the
 * line, so parsing a string never allocates. */
#include "jsonl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *key; /* decoded, in the arena */
  size_t keylen;
  int type;
  size_t raw, rawlen; /* the value's span in the line copy */
  const char *str;    /* decoded string value, or NULL */
  size_t slen;
} member;

struct jl_doc {
  char *line;  /* a copy: the caller's buffer may not outlive the document */
  char *arena; /* separate from line, so sanitizers see reads past the line */
  member *m;
  size_t n;
};

/* A key of an object still open, kept until it closes to find duplicates. */
typedef struct {
  const char *s;
  size_t len;
  size_t at; /* offset of its opening quote, for the error */
} seen_key;

typedef struct {
  const unsigned char *s;
  size_t len, pos;
  char *arena;
  size_t used;
  int depth;
  seen_key *keys; /* keys of all open objects, innermost last */
  size_t nkeys, capkeys;
  jl_doc *doc;
  size_t capm;
  char *err;
  size_t errlen;
} parser;

/* Records the error (the first is the only one: parsing stops there). */
#ifdef __GNUC__
__attribute__((format(printf, 3, 4)))
#endif
static int fail(parser *p, size_t at, const char *fmt, ...) {
  if (p->errlen == 0) return -1;
  int n = snprintf(p->err, p->errlen, "at byte %zu: ", at);
  if (n >= 0 && (size_t)n < p->errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
  }
  return -1;
}

static int peek(const parser *p) { return p->pos < p->len ? p->s[p->pos] : -1; }

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static int expected(parser *p, const char *what) {
  int c = peek(p);
  if (c < 0) return fail(p, p->pos, "expected %s, found end of line", what);
  if (c > 0x20 && c < 0x7f) return fail(p, p->pos, "expected %s, found '%c'", what, c);
  return fail(p, p->pos, "expected %s, found byte 0x%02x", what, (unsigned)c);
}

/* RFC 8259 whitespace minus '\n': a raw newline would split the record. */
static void skip_ws(parser *p) {
  while (peek(p) == ' ' || peek(p) == '\t' || peek(p) == '\r') p->pos++;
}

/* Doubles a vector's capacity; returns the moved vector, or NULL. */
static void *grow(void *v, size_t *cap, size_t size) {
  size_t c = *cap ? *cap * 2 : 16;
  if (c > SIZE_MAX / size) return NULL;
  v = realloc(v, c * size);
  if (v) *cap = c;
  return v;
}

/* Length of the valid UTF-8 sequence at s[0..n) (s[0] >= 0x80), or 0.
 * Per Unicode table 3-7, the second byte's range is what excludes overlong
 * forms (after E0, F0), UTF-16 surrogates (after ED) and code points past
 * U+10FFFF (after F4); C0, C1 and F5..FF never lead. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  size_t len;
  unsigned lo = 0x80, hi = 0xbf;
  if (s[0] >= 0xc2 && s[0] <= 0xdf) {
    len = 2;
  } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
    len = 3;
    if (s[0] == 0xe0) lo = 0xa0;
    if (s[0] == 0xed) hi = 0x9f;
  } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    len = 4;
    if (s[0] == 0xf0) lo = 0x90;
    if (s[0] == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xbf) return 0;
  return len;
}

/* The four hex digits at s[0..n), or -1. */
static long hex4(const unsigned char *s, size_t n) {
  if (n < 4) return -1;
  long v = 0;
  for (int i = 0; i < 4; i++) {
    int c = s[i], l = c | 0x20; /* folds 'A'..'F' onto 'a'..'f' */
    if (is_digit(c)) v = v * 16 + (c - '0');
    else if (l >= 'a' && l <= 'f') v = v * 16 + (l - 'a' + 10);
    else return -1;
  }
  return v;
}

static size_t put_utf8(char *o, long cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xc0 | cp >> 6);
    o[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xe0 | cp >> 12);
    o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    o[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  o[0] = (char)(0xf0 | cp >> 18);
  o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
  o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
  o[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* Decodes the \u escape at pos (on its '\\'), with its low half if it is a
 * high surrogate: UTF-16 halves are only meaningful as an ordered pair. */
static int unicode_escape(parser *p, char **o) {
  size_t at = p->pos;
  long cp = hex4(p->s + at + 2, p->len - at - 2);
  if (cp < 0) return fail(p, at, "\\u needs four hex digits");
  p->pos = at + 6;
  if (cp >= 0xdc00 && cp <= 0xdfff) return fail(p, at, "lone low surrogate escape");
  if (cp >= 0xd800 && cp <= 0xdbff) {
    long lo = -1;
    if (peek(p) == '\\' && p->len - p->pos > 1 && p->s[p->pos + 1] == 'u')
      lo = hex4(p->s + p->pos + 2, p->len - p->pos - 2);
    if (lo < 0xdc00 || lo > 0xdfff)
      return fail(p, at, "high surrogate escape not followed by a low surrogate escape");
    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    p->pos += 6;
  }
  *o += put_utf8(*o, cp);
  return 0;
}

/* Decodes the escape at pos (on its '\\') to *o. */
static int escape(parser *p, char **o) {
  char c;
  switch (p->pos + 1 < p->len ? p->s[p->pos + 1] : -1) {
  case '"': c = '"'; break;
  case '\\': c = '\\'; break;
  case '/': c = '/'; break;
  case 'b': c = '\b'; break;
  case 'f': c = '\f'; break;
  case 'n': c = '\n'; break;
  case 'r': c = '\r'; break;
  case 't': c = '\t'; break;
  case 'u': return unicode_escape(p, o);
  default: return fail(p, p->pos, "invalid escape sequence");
  }
  *(*o)++ = c;
  p->pos += 2;
  return 0;
}

/* Decodes the string at pos (on its '"') into the arena, NUL-terminated. */
static int parse_string(parser *p, const char **out, size_t *outlen) {
  size_t start = p->pos++;
  char *o0 = p->arena + p->used, *o = o0;
  for (;;) {
    int c = peek(p);
    if (c < 0) return fail(p, start, "unterminated string");
    if (c == '"') break;
    if (c < 0x20) return fail(p, p->pos, "raw control character 0x%02x in string", (unsigned)c);
    if (c == '\\') {
      if (escape(p, &o)) return -1;
    } else if (c < 0x80) {
      *o++ = (char)c;
      p->pos++;
    } else {
      size_t n = utf8_len(p->s + p->pos, p->len - p->pos);
      if (!n) return fail(p, p->pos, "invalid UTF-8 sequence");
      memcpy(o, p->s + p->pos, n);
      o += n;
      p->pos += n;
    }
  }
  p->pos++;
  *o = '\0';
  *out = o0;
  *outlen = (size_t)(o - o0);
  p->used += *outlen + 1;
  return 0;
}

/* Skips digits; returns whether there was at least one. */
static int digits(parser *p) {
  size_t start = p->pos;
  while (is_digit(peek(p))) p->pos++;
  return p->pos > start;
}

static int parse_number(parser *p) {
  if (peek(p) == '-') p->pos++;
  if (peek(p) == '0') {
    p->pos++;
    if (is_digit(peek(p))) return fail(p, p->pos - 1, "leading zero in number");
  } else if (!digits(p)) {
    return expected(p, "a digit");
  }
  if (peek(p) == '.') {
    p->pos++;
    if (!digits(p)) return expected(p, "a digit after '.'");
  }
  if (peek(p) == 'e' || peek(p) == 'E') {
    p->pos++;
    if (peek(p) == '+' || peek(p) == '-') p->pos++;
    if (!digits(p)) return expected(p, "a digit in the exponent");
  }
  return 0;
}

static int literal(parser *p, const char *word) {
  size_t n = strlen(word);
  if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n)) return expected(p, "a value");
  p->pos += n;
  return 0;
}

/* Counts a level of nesting; the limit keeps the recursion bounded. */
static int enter(parser *p) {
  if (++p->depth > JL_MAX_DEPTH) return fail(p, p->pos, "nesting deeper than %d levels", JL_MAX_DEPTH);
  return 0;
}

static int parse_value(parser *p, int *type, const char **str, size_t *slen);

static int parse_array(parser *p) {
  if (enter(p)) return -1;
  p->pos++;
  skip_ws(p);
  if (peek(p) != ']') {
    for (;;) {
      int type;
      const char *s;
      size_t n;
      if (parse_value(p, &type, &s, &n)) return -1;
      skip_ws(p);
      if (peek(p) == ']') break;
      if (peek(p) != ',') return expected(p, "',' or ']'");
      p->pos++;
      skip_ws(p);
      if (peek(p) == ']') return fail(p, p->pos, "trailing comma");
    }
  }
  p->pos++;
  p->depth--;
  return 0;
}

static int cmp_key(const void *a, const void *b) {
  const seen_key *x = a, *y = b;
  int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
  if (c) return c;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at;
}

/* Rejects a repeated key among the object's keys, keys[base..nkeys).
 * Sorting (not pairwise comparison) keeps huge objects fast; it puts equal
 * keys next to each other in line order, and of all repeats the one earliest
 * in the line is reported, as a sequential reader would. */
static int check_dups(parser *p, size_t base) {
  size_t n = p->nkeys - base;
  if (n < 2) return 0; /* also spares qsort a NULL keys vector */
  seen_key *k = p->keys + base;
  const seen_key *dup = NULL;
  qsort(k, n, sizeof *k, cmp_key);
  for (size_t i = 1; i < n; i++)
    if (k[i].len == k[i - 1].len && !memcmp(k[i].s, k[i - 1].s, k[i].len) && (!dup || k[i].at < dup->at))
      dup = &k[i];
  if (!dup) return 0;
  /* Shown as printable ASCII so the message itself is always a safe line. */
  char shown[64];
  size_t o = 0, i;
  for (i = 0; i < dup->len && o + 5 < sizeof shown; i++) {
    unsigned char c = (unsigned char)dup->s[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') shown[o++] = (char)c;
    else o += (size_t)snprintf(shown + o, sizeof shown - o, "\\x%02x", c);
  }
  shown[o] = '\0';
  return fail(p, dup->at, "duplicate key \"%s\"%s", shown, i < dup->len ? "..." : "");
}

/* Parses the object at pos; the top-level one also records its members. */
static int parse_object(parser *p) {
  int top = p->depth == 0;
  size_t base = p->nkeys;
  if (enter(p)) return -1;
  p->pos++;
  skip_ws(p);
  if (peek(p) != '}') {
    for (;;) {
      if (peek(p) != '"') return expected(p, "a string key");
      if (p->nkeys == p->capkeys) {
        seen_key *keys = grow(p->keys, &p->capkeys, sizeof *keys);
        if (!keys) return fail(p, p->pos, "out of memory");
        p->keys = keys;
      }
      seen_key *k = &p->keys[p->nkeys];
      k->at = p->pos;
      if (parse_string(p, &k->s, &k->len)) return -1;
      p->nkeys++;
      skip_ws(p);
      if (peek(p) != ':') return expected(p, "':'");
      p->pos++;
      skip_ws(p);
      /* k dies here: a nested object's keys may move the vector */
      member m = {k->s, k->len, 0, p->pos, 0, NULL, 0};
      if (parse_value(p, &m.type, &m.str, &m.slen)) return -1;
      if (top) {
        jl_doc *d = p->doc;
        if (d->n == p->capm) {
          member *mm = grow(d->m, &p->capm, sizeof *mm);
          if (!mm) return fail(p, m.raw, "out of memory");
          d->m = mm;
        }
        m.rawlen = p->pos - m.raw;
        d->m[d->n++] = m;
      }
      skip_ws(p);
      if (peek(p) == '}') break;
      if (peek(p) != ',') return expected(p, "',' or '}'");
      p->pos++;
      skip_ws(p);
      if (peek(p) == '}') return fail(p, p->pos, "trailing comma");
    }
  }
  p->pos++;
  if (check_dups(p, base)) return -1;
  p->nkeys = base;
  p->depth--;
  return 0;
}

/* Parses the value at pos; a string's decoded form goes to *str, *slen. */
static int parse_value(parser *p, int *type, const char **str, size_t *slen) {
  int c = peek(p);
  switch (c) {
  case '{': *type = JL_OBJECT; return parse_object(p);
  case '[': *type = JL_ARRAY; return parse_array(p);
  case '"': *type = JL_STRING; return parse_string(p, str, slen);
  case 't': *type = JL_TRUE; return literal(p, "true");
  case 'f': *type = JL_FALSE; return literal(p, "false");
  case 'n': *type = JL_NULL; return literal(p, "null");
  }
  if (c != '-' && !is_digit(c)) return expected(p, "a value");
  *type = JL_NUMBER;
  return parse_number(p);
}

jl_doc *jl_parse(const char *line, size_t len, char *err, size_t errlen) {
  parser p = {0};
  p.err = err;
  p.errlen = err ? errlen : 0;
  jl_doc *d = calloc(1, sizeof *d);
  /* A string's decoded form plus its NUL never outgrows its quoted text
   * (escapes only shrink), so an arena of len bytes holds every string.
   * "+ !len" because malloc(0) may return NULL. */
  if (!d || !(d->line = malloc(len + !len)) || !(d->arena = malloc(len + !len))) {
    fail(&p, 0, "out of memory");
    jl_free(d);
    return NULL;
  }
  if (len) memcpy(d->line, line, len);
  p.s = (const unsigned char *)d->line;
  p.len = len;
  p.arena = d->arena;
  p.doc = d;
  int r;
  if (peek(&p) != '{') r = expected(&p, "'{'");
  else if (!(r = parse_object(&p)) && p.pos < p.len) r = fail(&p, p.pos, "trailing data after the object");
  free(p.keys);
  if (r) {
    jl_free(d);
    return NULL;
  }
  return d;
}

void jl_free(jl_doc *d) {
  if (!d) return;
  free(d->line);
  free(d->arena);
  free(d->m);
  free(d);
}

size_t jl_count(const jl_doc *d) { return d->n; }

const char *jl_key(const jl_doc *d, size_t i) { return i < d->n ? d->m[i].key : NULL; }

int jl_type(const jl_doc *d, size_t i) { return i < d->n ? d->m[i].type : 0; }

const char *jl_raw(const jl_doc *d, size_t i, size_t *len) {
  if (len) *len = i < d->n ? d->m[i].rawlen : 0;
  return i < d->n ? d->line + d->m[i].raw : NULL;
}

const char *jl_str(const jl_doc *d, size_t i, size_t *len) {
  const char *s = i < d->n ? d->m[i].str : NULL;
  if (len) *len = s ? d->m[i].slen : 0;
  return s;
}

long jl_find(const jl_doc *d, const char *key) {
  size_t n = strlen(key);
  for (size_t i = 0; i < d->n; i++)
    if (d->m[i].keylen == n && !memcmp(d->m[i].key, key, n)) return (long)i;
  return -1;
}
