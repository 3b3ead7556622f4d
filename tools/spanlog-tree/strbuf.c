/* The buffer and its escapings. */
#include "strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
  fputs("spanlog-tree: out of memory\n", stderr);
  exit(1);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) out_of_memory();
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) out_of_memory();
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) out_of_memory();
  return p;
}

char *xstrndup(const char *s, size_t n) {
  char *d = xmalloc(n + 1);
  if (n) memcpy(d, s, n);
  d[n] = 0;
  return d;
}

void sb_reserve(strbuf *b, size_t more) {
  if (b->cap - b->len > more) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len <= more) cap *= 2;
  b->p = xrealloc(b->p, cap);
  b->cap = cap;
}

void sb_put(strbuf *b, const char *s, size_t n) {
  sb_reserve(b, n);
  if (n) memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

void sb_puts(strbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

void sb_putc(strbuf *b, char c) {
  sb_reserve(b, 1);
  b->p[b->len++] = c;
  b->p[b->len] = 0;
}

/* Most writes are short: format on the stack first, and again in place only when longer. */
void sb_printf(strbuf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    sb_put(b, tmp, (size_t)n);
    return;
  }
  sb_reserve(b, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void sb_free(strbuf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

char *sb_strdup(const strbuf *b) { return xstrndup(b->p ? b->p : "", b->len); }

/* Code points that can reorder or hide text on a terminal or a page. */
static unsigned hidden_codepoint(const unsigned char *s, size_t left) {
  if (left < 3) return 0;
  if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F || (s[2] >= 0xA8 && s[2] <= 0xAE)))
    return 0x2000u + (unsigned)(s[2] - 0x80);
  if (s[0] == 0xE2 && s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9) return 0x2040u + (unsigned)(s[2] - 0x80);
  return 0;
}

static void put_u_escape(strbuf *b, unsigned cp) { sb_printf(b, "\\u%04x", cp); }

/* Shared by the JSON and terminal escapings; quote decides whether '"' and '\' are escaped. */
static void escape_text(strbuf *b, const char *s, size_t n, int quote) {
  const unsigned char *u = (const unsigned char *)s;
  size_t run = 0;
  sb_reserve(b, n + 2);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = u[i];
    unsigned cp = 0;
    const char *rep = NULL;
    if (c >= 0x20 && c != 0x7F && c != '"' && c != '\\' && c != 0xE2) continue;
    if (c == 0xE2 && !(cp = hidden_codepoint(u + i, n - i))) continue;
    if ((c == '"' || c == '\\') && !quote) continue;
    sb_put(b, s + run, i - run);
    if (c == '"') rep = "\\\"";
    else if (c == '\\') rep = "\\\\";
    else if (c == '\n') rep = "\\n";
    else if (c == '\t') rep = "\\t";
    else if (c == '\r') rep = "\\r";
    if (rep) sb_puts(b, rep);
    else put_u_escape(b, cp ? cp : c);
    if (cp) i += 2;
    run = i + 1;
  }
  sb_put(b, s + run, n - run);
}

void sb_json_str(strbuf *b, const char *s, size_t n) {
  sb_putc(b, '"');
  escape_text(b, s, n, 1);
  sb_putc(b, '"');
}

void sb_safe(strbuf *b, const char *s, size_t n) { escape_text(b, s, n, 0); }

void sb_json_double(strbuf *b, double d) {
  char tmp[40];
  if (!isfinite(d)) {
    sb_puts(b, "null");
    return;
  }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, d);
    if (strtod(tmp, NULL) == d) break;
  }
  sb_puts(b, tmp);
}

void sb_json_val(strbuf *b, const jval *v) {
  switch (v->type) {
  case J_NULL: sb_puts(b, "null"); break;
  case J_TRUE: sb_puts(b, "true"); break;
  case J_FALSE: sb_puts(b, "false"); break;
  case J_NUM: sb_put(b, v->u.s, v->n); break;
  case J_STR: sb_json_str(b, v->u.s, v->n); break;
  case J_ARR:
    sb_putc(b, '[');
    for (uint32_t i = 0; i < v->n; i++) {
      if (i) sb_putc(b, ',');
      sb_json_val(b, &v->u.items[i]);
    }
    sb_putc(b, ']');
    break;
  case J_OBJ:
    sb_putc(b, '{');
    for (uint32_t i = 0; i < v->n; i++) {
      if (i) sb_putc(b, ',');
      sb_json_str(b, v->u.members[i].key, v->u.members[i].klen);
      sb_putc(b, ':');
      sb_json_val(b, &v->u.members[i].val);
    }
    sb_putc(b, '}');
    break;
  }
}

void sb_html(strbuf *b, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep;
    switch (s[i]) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: continue;
    }
    sb_put(b, s + run, i - run);
    sb_puts(b, rep);
    run = i + 1;
  }
  sb_put(b, s + run, n - run);
}
