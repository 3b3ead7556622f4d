#include "capture/sampler.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_NAME "parentbased_always_on"

/* Spaces and tabs around an environment value carry no meaning; [*b, *e) is what is left. */
static void trim(const char **b, const char **e) {
  while (*b < *e && (**b == ' ' || **b == '\t')) (*b)++;
  while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t')) (*e)--;
}

/* Case-insensitive match of [b, e) against a lowercase ASCII word. Done by hand rather than
   with tolower() so the current locale cannot change the answer. */
static int word_eq(const char *b, const char *e, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(e - b) != n) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = b[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != word[i]) return 0;
  }
  return 1;
}

/* Formats one warning line. The quoted value comes from the environment, so control characters
   (a newline would break "one line") become '?' and long values are cut. */
static void warn_value(void (*warn)(const char *), const char *what, const char *b, const char *e,
                       const char *why) {
  char val[80];
  size_t n = 0;
  if (!warn) return;
  for (const char *p = b; p < e && n < sizeof val - 4; p++)
    val[n++] = ((unsigned char)*p < 0x20 || *p == 0x7f) ? '?' : *p;
  if (b + n < e) { /* cut: mark it */
    memcpy(val + n, "...", 3);
    n += 3;
  }
  val[n] = '\0';
  char msg[256];
  snprintf(msg, sizeof msg, "spanlog: ignoring %s=\"%s\" (%s)", what, val, why);
  warn(msg);
}

/* Accepts exactly the decimal syntax [+-]digits[.digits][(e|E)[+-]digits] with at least one
   digit in the mantissa. strtod alone would also take "inf", "nan" and hex floats, which Python's
   float() (the reference) rejects or which make no sense as a ratio. */
static int decimal_syntax(const char *b, const char *e) {
  const char *p = b;
  int digits = 0;
  if (p < e && (*p == '+' || *p == '-')) p++;
  for (; p < e && *p >= '0' && *p <= '9'; p++) digits++;
  if (p < e && *p == '.')
    for (p++; p < e && *p >= '0' && *p <= '9'; p++) digits++;
  if (!digits) return 0;
  if (p < e && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < e && (*p == '+' || *p == '-')) p++;
    if (p == e || *p < '0' || *p > '9') return 0;
    while (p < e && *p >= '0' && *p <= '9') p++;
  }
  return p == e;
}

/* Converts a checked decimal [b, e) to double with strtod's correct rounding. strtod follows
   LC_NUMERIC, and a program may have switched to a locale whose decimal point is ','; then the
   '.' is swapped for the locale's own point in a copy. Returns 0 or -1 (also when that copy
   cannot be allocated; the caller then falls back to 1.0 as for any unusable value). */
static int parse_double(const char *b, const char *e, double *out) {
  const char *point = localeconv()->decimal_point;
  char *end;
  if (!point || !*point || strcmp(point, ".") == 0) {
    /* The usual case: the syntax is already checked, so strtod must stop exactly at e. */
    *out = strtod(b, &end);
    return end == e ? 0 : -1;
  }
  size_t plen = strlen(point), n = (size_t)(e - b);
  char *buf = malloc(n + plen + 1); /* the checked syntax has at most one point */
  if (!buf) return -1;
  size_t k = 0;
  for (const char *p = b; p < e; p++) {
    if (*p == '.') {
      memcpy(buf + k, point, plen);
      k += plen;
    } else {
      buf[k++] = *p;
    }
  }
  buf[k] = '\0';
  *out = strtod(buf, &end);
  int ok = end == buf + k;
  free(buf);
  return ok ? 0 : -1;
}

uint64_t sl_sampler_ratio_bound(double ratio) {
  if (!(ratio > 0.0)) return 0; /* also NaN and -0.0 */
  if (ratio >= 1.0) return SL_SAMPLER_BOUND_ALL;
  /* Python: round(rate * 2**64). The int 2**64 converts exactly to double and multiplying by a
     power of two is exact, so x is the double product Python rounds; x < 2^64 here. */
  double x = ratio * 18446744073709551616.0;
  uint64_t whole = (uint64_t)x; /* truncation = floor for x >= 0 */
  double frac = x - (double)whole; /* exact: for x >= 2^52 it is 0, below that both fit */
  /* round() on a float rounds half to even (banker's rounding). */
  if (frac > 0.5 || (frac == 0.5 && (whole & 1))) whole++;
  return whole;
}

/* e with x = m * 2^e, m in [0.5, 1), for 0 < x < 1 (frexp's, without libm): scaling by
   two is exact. */
static int binary_exponent(double x) {
  int e = 0;
  while (x < 0.5) x *= 2, e--;
  return e;
}

uint64_t sl_sampler_threshold(double p) {
  const double two56 = 72057594037927936.0;
  if (!(p > 0.0)) return SL_SAMPLER_THRESHOLD_NONE; /* also NaN */
  if (p >= 1.0) return 0;
  /* 4 significant hex digits, more for a tiny p or a p just below 1 (whose T starts
     with f's), so that both keep their precision. */
  int ep = binary_exponent(p), eq = binary_exponent(1.0 - p), digits = 4;
  digits += -ep / 4 > -eq / 4 ? -ep / 4 : -eq / 4;
  if (digits > 14) digits = 14;
  uint64_t kept = (uint64_t)(p * two56 + 0.5);
  uint64_t t = ((uint64_t)1 << 56) - kept;
  int shift = 4 * (14 - digits);
  if (shift) t = (t + ((uint64_t)1 << (shift - 1))) >> shift << shift;
  return t > SL_SAMPLER_THRESHOLD_NONE - 1 ? SL_SAMPLER_THRESHOLD_NONE - 1 : t;
}

void sl_sampler_th_format(uint64_t threshold, char out[15]) {
  static const char hex[] = "0123456789abcdef";
  int n = 14;
  for (int i = 0; i < 14; i++) out[i] = hex[threshold >> (4 * (13 - i)) & 15];
  while (n > 1 && out[n - 1] == '0') n--;
  out[n] = 0;
}

/* The value of key k (one letter pair, e.g. "rv") in the ot=... member of tracestate. */
static const char *ot_value(const char *ts, const char *k, size_t *len) {
  for (const char *m = ts; m && *m;) {
    while (*m == ' ' || *m == '\t' || *m == ',') m++;
    size_t mlen = strcspn(m, ",");
    if (mlen > 3 && memcmp(m, "ot=", 3) == 0) {
      for (const char *p = m + 3, *end = m + mlen; p < end;) {
        size_t plen = strcspn(p, ";,");
        if (plen > 3 && p[0] == k[0] && p[1] == k[1] && p[2] == ':') return *len = plen - 3, p + 3;
        p += plen + (p + plen < end);
      }
    }
    m += mlen;
  }
  return NULL;
}

uint64_t sl_sampler_randomness(const uint8_t trace_id[16], const char *tracestate) {
  size_t len = 0;
  const char *rv = ot_value(tracestate, "rv", &len);
  uint64_t r = 0;
  int ok = rv && len == 14;
  for (size_t i = 0; ok && i < 14; i++) {
    char c = rv[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    ok = d >= 0;
    r = r << 4 | (uint64_t)(d & 15);
  }
  if (ok) return r;
  r = 0;
  for (int i = 9; i < 16; i++) r = r << 8 | trace_id[i];
  return r;
}

/* ---- the tracestate after a decision ---- */

#define TRACESTATE_MAX_CHARS 512
#define TRACESTATE_MAX_MEMBERS 32
#define OT_MAX_CHARS 256

/* An ot sub-key as OpenTelemetry defines them: [a-z][a-z0-9]*:[A-Za-z0-9._-]*. */
static int valid_subkey(const char *p, size_t n) {
  size_t i = 0;
  if (!n || !(p[0] >= 'a' && p[0] <= 'z')) return 0;
  while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9'))) i++;
  if (i == n || p[i++] != ':') return 0;
  for (; i < n; i++) {
    char c = p[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-'))
      return 0;
  }
  return 1;
}

/* The valid ot sub-keys of value [v, v + n) other than th, joined by ';' after prefix (the
   new th, or nothing), into out; its length. *had_th: whether there was a th. A member
   rewritten keeps only what OpenTelemetry's grammar allows in it. */
static size_t ot_without_th(const char *v, size_t n, const char *prefix, char *out, int *had_th) {
  size_t len = strlen(prefix);
  memcpy(out, prefix, len);
  *had_th = 0;
  for (const char *p = v, *end = v + n; p < end;) {
    size_t plen = strcspn(p, ";");
    if (p + plen > end) plen = (size_t)(end - p);
    int th = plen >= 3 && p[0] == 't' && p[1] == 'h' && p[2] == ':';
    *had_th |= th;
    if (!th && valid_subkey(p, plen)) {
      if (len) out[len++] = ';';
      memcpy(out + len, p, plen);
      len += plen;
    }
    p += plen + 1;
  }
  return len;
}

static int is_ot_member(const char *m, size_t len) { return len >= 3 && memcmp(m, "ot=", 3) == 0; }

/* The ot member of in, or NULL; *n its length. */
static const char *ot_member(const char *in, size_t *n) {
  for (const char *m = in; *m;) {
    size_t mlen = strcspn(m, ",");
    if (is_ot_member(m, mlen)) return *n = mlen, m;
    m += mlen + (m[mlen] == ',');
  }
  return NULL;
}

/* Appends the members of in other than ot ones (the new ot member is out's first; a
   repeated key is not W3C's) to out[len], each after a ',' unless out is empty, while they
   fit the limits (members: how many out has). */
static size_t append_others(char *out, size_t len, unsigned members, const char *in) {
  for (const char *m = in; *m;) {
    size_t mlen = strcspn(m, ",");
    if (mlen && !is_ot_member(m, mlen)) {
      if (members >= TRACESTATE_MAX_MEMBERS || len + (len > 0) + mlen > TRACESTATE_MAX_CHARS) break;
      if (len) out[len++] = ',';
      memcpy(out + len, m, mlen);
      len += mlen;
      members++;
    }
    m += mlen + (m[mlen] == ',');
  }
  out[len] = 0;
  return len;
}

char *sl_sampler_tracestate_after(const sl_sampler *s, int sampled, const char *in) {
  if (!in) in = "";
  size_t ot_len = 0;
  const char *ot = ot_member(in, &ot_len);
  const char *old_value = ot ? ot + 3 : "";
  size_t value_len = ot ? ot_len - 3 : 0;
  char th[15 + 3] = "";
  if (sampled) {
    memcpy(th, "th:", 3);
    sl_sampler_th_format(s->threshold, th + 3);
  }
  /* The new ot value: th first, then the other sub-keys. */
  char *value = malloc(value_len + sizeof th + 1);
  char *out = malloc(strlen(in) + 3 + sizeof th + 2);
  if (!value || !out) return free(value), free(out), NULL;
  int had_th;
  size_t n = ot_without_th(old_value, value_len, th, value, &had_th);
  if (!sampled && !had_th) { /* no th to erase: nothing changes, nothing moves */
    free(value);
    memcpy(out, in, strlen(in) + 1);
    return out;
  }
  if (n > OT_MAX_CHARS) { /* past the limit with th added: th and rv, which samplers decide by */
    size_t rv_len = 0;
    const char *rv = ot_value(in, "rv", &rv_len);
    n = (size_t)snprintf(value, value_len + sizeof th + 1, rv && rv_len == 14 ? "%s;rv:%.14s" : "%s", th, rv);
  }
  size_t len = 0;
  if (n) {
    memcpy(out, "ot=", 3);
    memcpy(out + 3, value, n);
    len = 3 + n;
  }
  free(value);
  append_others(out, len, len > 0, in);
  return out;
}

static void set(sl_sampler *s, sl_sampler_kind kind, double ratio) {
  s->kind = kind;
  s->ratio = ratio;
  s->bound = sl_sampler_ratio_bound(ratio);
  s->threshold = sl_sampler_threshold(ratio);
  char th[15];
  sl_sampler_th_format(s->threshold, th);
  snprintf(s->tracestate, sizeof s->tracestate, "ot=th:%s", th);
}

static double ratio_arg(const char *arg, void (*warn)(const char *)) {
  const char *b = arg, *e = arg ? arg + strlen(arg) : NULL;
  double r;
  if (!arg) return 1.0;
  trim(&b, &e);
  if (b == e) return 1.0; /* empty is unset: the default ratio, nothing to report */
  if (!decimal_syntax(b, e) || parse_double(b, e, &r) != 0) {
    warn_value(warn, "OTEL_TRACES_SAMPLER_ARG", b, e, "not a number; using ratio 1.0");
    return 1.0;
  }
  if (!(r >= 0.0 && r <= 1.0)) {
    warn_value(warn, "OTEL_TRACES_SAMPLER_ARG", b, e, "ratio outside [0,1]; using 1.0");
    return 1.0;
  }
  return r == 0.0 ? 0.0 : r; /* "-0" becomes a plain 0 */
}

void sl_sampler_from_strings(sl_sampler *s, const char *sampler, const char *arg,
                             void (*warn)(const char *msg)) {
  const char *b = sampler, *e = sampler ? sampler + strlen(sampler) : NULL;
  set(s, SL_SAMPLER_PARENT_ALWAYS_ON, 1.0);
  if (!sampler) return;
  trim(&b, &e);
  if (b == e) return;
  if (word_eq(b, e, "always_on")) set(s, SL_SAMPLER_ALWAYS_ON, 1.0);
  else if (word_eq(b, e, "always_off")) set(s, SL_SAMPLER_ALWAYS_OFF, 0.0);
  else if (word_eq(b, e, "traceidratio")) set(s, SL_SAMPLER_TRACEIDRATIO, ratio_arg(arg, warn));
  else if (word_eq(b, e, "parentbased_always_on")) set(s, SL_SAMPLER_PARENT_ALWAYS_ON, 1.0);
  else if (word_eq(b, e, "parentbased_always_off")) set(s, SL_SAMPLER_PARENT_ALWAYS_OFF, 0.0);
  else if (word_eq(b, e, "parentbased_traceidratio"))
    set(s, SL_SAMPLER_PARENT_TRACEIDRATIO, ratio_arg(arg, warn));
  else if (word_eq(b, e, "probability")) set(s, SL_SAMPLER_PROBABILITY, ratio_arg(arg, warn));
  else if (word_eq(b, e, "parentbased_probability")) set(s, SL_SAMPLER_PARENT_PROBABILITY, ratio_arg(arg, warn));
  else if (word_eq(b, e, "jaeger_remote") || word_eq(b, e, "parentbased_jaeger_remote") ||
           word_eq(b, e, "xray"))
    warn_value(warn, "OTEL_TRACES_SAMPLER", b, e, "not supported; using " DEFAULT_NAME);
  else
    warn_value(warn, "OTEL_TRACES_SAMPLER", b, e, "unknown sampler; using " DEFAULT_NAME);
}

int sl_sampler_ratio_keeps(const sl_sampler *s, const uint8_t trace_id[16]) {
  if (s->bound == SL_SAMPLER_BOUND_ALL) return 1;
  uint64_t low = 0;
  for (int i = 8; i < 16; i++) low = low << 8 | trace_id[i];
  return low < s->bound;
}

int sl_sampler_decide(const sl_sampler *s, const uint8_t trace_id[16], uint64_t randomness, int has_parent,
                      int parent_remote, int parent_sampled) {
  /* With the default delegates remote and local parents are treated alike; the flag stays in
     the interface so non-default delegates can be added without changing callers. */
  (void)parent_remote;
  switch (s->kind) {
  case SL_SAMPLER_ALWAYS_ON: return 1;
  case SL_SAMPLER_ALWAYS_OFF: return 0;
  case SL_SAMPLER_TRACEIDRATIO: return sl_sampler_ratio_keeps(s, trace_id);
  case SL_SAMPLER_PROBABILITY: return randomness >= s->threshold;
  case SL_SAMPLER_PARENT_ALWAYS_ON:
  case SL_SAMPLER_PARENT_ALWAYS_OFF:
  case SL_SAMPLER_PARENT_TRACEIDRATIO:
  case SL_SAMPLER_PARENT_PROBABILITY: break;
  }
  if (has_parent) return parent_sampled != 0;
  if (s->kind == SL_SAMPLER_PARENT_ALWAYS_ON) return 1;
  if (s->kind == SL_SAMPLER_PARENT_ALWAYS_OFF) return 0;
  if (s->kind == SL_SAMPLER_PARENT_PROBABILITY) return randomness >= s->threshold;
  return sl_sampler_ratio_keeps(s, trace_id);
}

int sl_sampler_should_sample(const sl_sampler *s, const uint8_t trace_id[16], int has_parent,
                             int parent_remote, int parent_sampled) {
  return sl_sampler_decide(s, trace_id, sl_sampler_randomness(trace_id, NULL), has_parent, parent_remote,
                           parent_sampled);
}
