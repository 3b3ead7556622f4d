/* W3C Baggage: the entry list and its header (see baggage.h). */
#include "capture/baggage.h"

#include <stdlib.h>
#include <string.h>

/* ---- the grammar (W3C Baggage, "Header Content") ---- */

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* tchar of RFC 9110: a token is what a key is. */
static int is_tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* baggage-octet: printable ASCII but space, '"', ',', ';' and '\'. */
static int is_value_octet(unsigned char c) {
  return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int sl_bag_key_valid(const char *key) {
  if (!key || !*key) return 0;
  for (const char *p = key; *p; p++)
    if (!is_tchar(*p)) return 0;
  return 1;
}

/* [b, e) without the OWS around it. */
static void trim(const char **b, const char **e) {
  while (*b < *e && is_ows(**b)) (*b)++;
  while (*e > *b && is_ows((*e)[-1])) (*e)--;
}

static const char *token_end(const char *p, const char *e) {
  while (p < e && is_tchar(*p)) p++;
  return p;
}

/* A percent-decoded copy of the value [b, e); NULL if a character is not a baggage-octet,
   an escape is not %XX, it would decode to NUL, or no memory. */
static char *decode_value(const char *b, const char *e) {
  char *out = malloc((size_t)(e - b) + 1), *o = out;
  if (!out) return NULL;
  for (const char *p = b; p < e; p++) {
    if (!is_value_octet((unsigned char)*p)) goto bad;
    if (*p != '%') {
      *o++ = *p;
      continue;
    }
    int hi = e - p > 2 ? hex_value(p[1]) : -1, lo = hi >= 0 ? hex_value(p[2]) : -1;
    if (lo < 0 || (hi | lo) == 0) goto bad; /* %00 would end the C string */
    *o++ = (char)(hi << 4 | lo);
    p += 2;
  }
  *o = '\0';
  return out;
bad:
  free(out);
  return NULL;
}

/* property = key OWS "=" OWS value / key: [b, e) without the OWS around it. Appends it to
   o without OWS and returns the new end, or NULL if it is not a property. */
static char *put_property(char *o, const char *b, const char *e) {
  const char *k = token_end(b, e), *v = k;
  if (k == b) return NULL;
  while (v < e && is_ows(*v)) v++;
  if (v < e && *v++ != '=') return NULL;
  memcpy(o, b, (size_t)(k - b));
  o += k - b;
  if (v == k) return o; /* a key alone */
  while (v < e && is_ows(*v)) v++;
  *o++ = '=';
  for (; v < e; v++) {
    if (!is_value_octet((unsigned char)*v)) return NULL;
    *o++ = *v;
  }
  return o;
}

/* The properties [b, e) (after the member's first ';'), each valid, in the form they are
   sent on: without optional whitespace. NULL if there are none; *bad on a bad one. */
static char *copy_props(const char *b, const char *e, int *bad) {
  char *out = malloc((size_t)(e - b) + 1), *o = out;
  if (!out) return *bad = 1, NULL;
  for (const char *p = b; p <= e;) {
    const char *q = memchr(p, ';', (size_t)(e - p));
    if (!q) q = e;
    const char *pb = p, *pe = q;
    trim(&pb, &pe);
    if (pb < pe) {
      if (o > out) *o++ = ';';
      o = put_property(o, pb, pe);
      if (!o) {
        free(out);
        return *bad = 1, NULL;
      }
    }
    p = q + 1;
  }
  *o = '\0';
  if (o == out) return free(out), NULL;
  return out;
}

/* One list-member, [b, e): key OWS "=" OWS value *(OWS ";" OWS property). Added to bag
   if valid; 0, or -1 on out-of-memory. */
static int parse_member(sl_bag *bag, const char *b, const char *e) {
  trim(&b, &e);
  const char *semi = memchr(b, ';', (size_t)(e - b));
  const char *ve = semi ? semi : e, *k = token_end(b, ve);
  const char *eq = k;
  while (eq < ve && is_ows(*eq)) eq++;
  if (k == b || eq == ve || *eq != '=') return 0; /* no key, or no '=' */
  const char *vb = eq + 1;
  trim(&vb, &ve);
  int bad = 0;
  char *props = semi ? copy_props(semi + 1, e, &bad) : NULL;
  char *value = bad ? NULL : decode_value(vb, ve);
  char *key = value ? strndup(b, (size_t)(k - b)) : NULL;
  int rc = key ? sl_bag_put(bag, key, value, props) : 0;
  free(key);
  free(value);
  free(props);
  /* A bad member is skipped; only a full list is an error here (a 181st entry is simply
     not taken). */
  return rc && bag->n < SL_BAGGAGE_MAX_MEMBERS ? -1 : 0;
}

int sl_bag_parse(const char *header, sl_bag **out) {
  *out = NULL;
  if (!header || strlen(header) > SL_BAGGAGE_MAX_BYTES) return -1;
  sl_bag *bag = calloc(1, sizeof *bag);
  if (!bag) return -1;
  size_t members = 0;
  for (const char *b = header;; members++) {
    const char *e = strchr(b, ',');
    if (!e) e = b + strlen(b);
    /* The first 180 members are read; the rest are beyond what must be propagated. */
    if (members < SL_BAGGAGE_MAX_MEMBERS && parse_member(bag, b, e)) {
      sl_bag_free(bag);
      return -1;
    }
    if (!*e) break;
    b = e + 1;
  }
  if (!bag->n) {
    sl_bag_free(bag);
    return 0;
  }
  *out = bag;
  return (int)bag->n;
}

/* ---- the list ---- */

static void entry_free(sl_bag_entry *x) {
  free(x->key);
  free(x->value);
  free(x->props);
}

void sl_bag_free(sl_bag *b) {
  if (!b) return;
  for (size_t i = 0; i < b->n; i++) entry_free(&b->e[i]);
  free(b->e);
  free(b);
}

static char *dup_or_null(const char *s, int *oom) {
  if (!s) return NULL;
  char *c = strdup(s);
  if (!c) *oom = 1;
  return c;
}

sl_bag *sl_bag_copy(const sl_bag *b) {
  sl_bag *c = b ? calloc(1, sizeof *c) : NULL;
  if (!c) return NULL;
  c->e = b->n ? calloc(b->n, sizeof *c->e) : NULL;
  if (b->n && !c->e) return free(c), NULL;
  c->cap = b->n;
  int oom = 0;
  for (; c->n < b->n; c->n++) {
    const sl_bag_entry *x = &b->e[c->n];
    c->e[c->n] = (sl_bag_entry){dup_or_null(x->key, &oom), dup_or_null(x->value, &oom), dup_or_null(x->props, &oom)};
  }
  if (oom) return sl_bag_free(c), NULL;
  return c;
}

static long find(const sl_bag *b, const char *key) {
  for (size_t i = 0; b && key && i < b->n; i++)
    if (strcmp(b->e[i].key, key) == 0) return (long)i;
  return -1;
}

const char *sl_bag_find(const sl_bag *b, const char *key) {
  long i = find(b, key);
  return i < 0 ? NULL : b->e[i].value;
}

int sl_bag_put(sl_bag *b, const char *key, const char *value, const char *props) {
  if (!b || !sl_bag_key_valid(key) || !value) return -1;
  long at = find(b, key);
  if (at < 0 && b->n >= SL_BAGGAGE_MAX_MEMBERS) return -1;
  int oom = 0;
  sl_bag_entry x = {dup_or_null(key, &oom), dup_or_null(value, &oom), dup_or_null(props, &oom)};
  if (!oom && at < 0 && b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 8;
    sl_bag_entry *e = realloc(b->e, cap * sizeof *e);
    if (e) b->e = e, b->cap = cap;
    else oom = 1;
  }
  if (oom) {
    entry_free(&x);
    return -1;
  }
  if (at >= 0) {
    entry_free(&b->e[at]);
    b->e[at] = x;
  } else {
    b->e[b->n++] = x;
  }
  return 0;
}

int sl_bag_remove(sl_bag *b, const char *key) {
  long at = find(b, key);
  if (at < 0) return -1;
  entry_free(&b->e[at]);
  memmove(b->e + at, b->e + at + 1, (b->n - (size_t)at - 1) * sizeof *b->e);
  b->n--;
  return 0;
}

/* ---- the header ---- */

/* One member as sent: key=value with the value percent-encoded, then ";props". Writes
   the bytes that fit in o[0..room) and returns the member's whole length. */
static size_t member_text(const sl_bag_entry *x, char *o, size_t room) {
  static const char digits[] = "0123456789ABCDEF";
  size_t n = 0;
#define PUT(c) (n < room ? (void)(o[n] = (char)(c)) : (void)0, n++)
  for (const char *k = x->key; *k; k++) PUT(*k);
  PUT('=');
  for (const unsigned char *p = (const unsigned char *)x->value; *p; p++) {
    if (is_value_octet(*p) && *p != '%') {
      PUT(*p);
    } else {
      PUT('%');
      PUT(digits[*p >> 4]);
      PUT(digits[*p & 15]);
    }
  }
  if (x->props) {
    PUT(';');
    for (const char *q = x->props; *q; q++) PUT(*q);
  }
#undef PUT
  return n;
}

size_t sl_bag_format(const sl_bag *b, char *buf, size_t size) {
  size_t len = 0;
  for (size_t i = 0; b && i < b->n; i++) {
    size_t sep = len > 0, n = member_text(&b->e[i], NULL, 0);
    if (len + sep + n > SL_BAGGAGE_MAX_BYTES) continue; /* a receiver may drop the whole header */
    if (sep && len < size) buf[len] = ',';
    len += sep;
    member_text(&b->e[i], len < size ? buf + len : NULL, len < size ? size - len : 0);
    len += n;
  }
  if (size) buf[len < size ? len : size - 1] = '\0';
  return len;
}

char *sl_bag_format_dup(const sl_bag *b) {
  size_t n = sl_bag_format(b, NULL, 0);
  char *s = n ? malloc(n + 1) : NULL;
  if (s) sl_bag_format(b, s, n + 1);
  return s;
}
