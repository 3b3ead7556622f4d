/* W3C Trace Context values and the environment carrier (see propagation.h). */
#include "capture/propagation.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* traceparent field offsets: "vv-" then 32 hex "-" then 16 hex "-" then 2 hex. */
enum { TP_TRACE = 3, TP_SPAN = 36, TP_FLAGS = 53 };

/* The flag bits this library understands (Level 2); the spec says to zero the rest. */
#define KNOWN_FLAGS 0x03u

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* Lowercase hex only: the spec rejects uppercase digits, so no tolower() here. */
static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Decodes n bytes from 2n hex characters. Returns -1 on a bad character, else 1 if any
   byte is non-zero and 0 if all are zero (the all-zero ids are the spec's invalid ones). */
static int hex_decode(const char *s, uint8_t *out, size_t n) {
  int nonzero = 0;
  for (size_t i = 0; i < n; i++) {
    int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i] = (uint8_t)(hi << 4 | lo);
    nonzero |= out[i] != 0;
  }
  return nonzero;
}

int sl_span_ref_parse(const char *value, sl_span_ref *out) {
  if (!value || !out) return -1;
  /* Surrounding OWS is tolerated (test_traceparent_ows_handling); inner spaces are not. */
  while (is_ows(*value)) value++;
  size_t len = strlen(value);
  while (len > 0 && is_ows(value[len - 1])) len--;

  /* Every version needs at least the version 00 fields, so check the length first: the
     fixed offsets below are then all inside the string. */
  if (len < SL_TRACEPARENT_LEN) return -1;
  uint8_t version;
  if (hex_decode(value, &version, 1) < 0 || version == 0xff) return -1;
  if (value[2] != '-' || value[TP_SPAN - 1] != '-' || value[TP_FLAGS - 1] != '-') return -1;
  /* Version 00 is exactly 55 characters. A later version may append fields, each after a
     '-', which we ignore; anything else glued to the flags (".x", "1") is invalid. */
  if (version == 0 ? len != SL_TRACEPARENT_LEN
                   : len > SL_TRACEPARENT_LEN && value[SL_TRACEPARENT_LEN] != '-')
    return -1;

  sl_span_ref ref; /* filled locally so *out stays untouched on failure */
  uint8_t flags;
  if (hex_decode(value + TP_TRACE, ref.trace_id, sizeof ref.trace_id) != 1) return -1;
  if (hex_decode(value + TP_SPAN, ref.span_id, sizeof ref.span_id) != 1) return -1;
  if (hex_decode(value + TP_FLAGS, &flags, 1) < 0) return -1;
  ref.flags = (uint8_t)(flags & KNOWN_FLAGS); /* flags is a bitfield: keep known bits only */
  *out = ref;
  return 0;
}

static char *hex_encode(char *p, const uint8_t *in, size_t n) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    *p++ = digits[in[i] >> 4];
    *p++ = digits[in[i] & 0x0f];
  }
  return p;
}

size_t sl_span_ref_format(const sl_span_ref *ref, char out[56]) {
  uint8_t flags = (uint8_t)(ref->flags & KNOWN_FLAGS);
  char *p = out;
  *p++ = '0'; /* we only speak version 00, and re-emit other versions as 00 (rule 6) */
  *p++ = '0';
  *p++ = '-';
  p = hex_encode(p, ref->trace_id, sizeof ref->trace_id);
  *p++ = '-';
  p = hex_encode(p, ref->span_id, sizeof ref->span_id);
  *p++ = '-';
  p = hex_encode(p, &flags, 1);
  *p = '\0';
  return (size_t)(p - out);
}

/* tracestate limits (SPEC-NOTES 4.2). */
enum { TS_MAX_MEMBERS = 32, TS_MAX_KEY = 256, TS_MAX_VALUE = 256 };

static int is_key_first(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static int is_key_char(char c) {
  return is_key_first(c) || c == '_' || c == '-' || c == '*' || c == '/' || c == '@';
}
/* chr = %x20-7E without ',' and '='. */
static int is_value_char(char c) { return c >= 0x20 && c <= 0x7e && c != ',' && c != '='; }

/* One list member, [b, e), the text between two commas. Returns -1 if invalid, 0 if empty
   (whitespace only), 1 for a key=value pair. */
static int tracestate_member(const char *b, const char *e) {
  while (b < e && is_ows(*b)) b++;
  /* Trailing spaces/tabs are OWS, not part of the value (the spec says so for spaces), so
     a value can never end in a space once they are stripped; only an all-space value can. */
  while (e > b && is_ows(e[-1])) e--;
  if (b == e) return 0;

  /* Key: (lcalpha / DIGIT) then keychars, at most 256 in all. '@' is a keychar, which
     covers "tenant@system"; a leading '@' fails the first-character rule. */
  const char *k = b;
  if (!is_key_first(*k)) return -1;
  while (k < e && is_key_char(*k)) k++;
  if (k - b > TS_MAX_KEY || k == e || *k != '=') return -1; /* also rejects "foo =1" */

  /* Value: 1..256 chars; leading spaces belong to it, so none are skipped here. */
  const char *v = k + 1;
  if (v == e || e - v > TS_MAX_VALUE) return -1;
  for (const char *p = v; p < e; p++)
    if (!is_value_char(*p)) return -1;
  return 1;
}

int sl_tracestate_valid(const char *value) {
  if (!value) return 0;
  int members = 0;
  for (const char *b = value;;) {
    const char *e = b;
    while (*e && *e != ',') e++;
    int r = tracestate_member(b, e);
    if (r < 0) return 0;
    /* Only key=value pairs count toward the 32: empty members are what joining several
       header lines (some of them empty) produces, and the spec says to accept them. */
    members += r;
    if (members > TS_MAX_MEMBERS) return 0; /* a 33-member header is discarded whole */
    if (!*e) return 1;
    b = e + 1;
  }
}

char *sl_tracestate_normalize(const char *value) {
  if (!sl_tracestate_valid(value)) return NULL;
  char *out = malloc(strlen(value) + 1), *o = out;
  if (!out) return NULL;
  for (const char *b = value;;) {
    const char *e = b;
    while (*e && *e != ',') e++;
    /* The member without the OWS around it, as tracestate_member reads it. */
    const char *mb = b, *me = e;
    while (mb < me && is_ows(*mb)) mb++;
    while (me > mb && is_ows(me[-1])) me--;
    if (mb < me) {
      if (o > out) *o++ = ',';
      memcpy(o, mb, (size_t)(me - mb));
      o += me - mb;
    }
    if (!*e) break;
    b = e + 1;
  }
  *o = '\0';
  if (o == out) { /* only empty members: nothing to send */
    free(out);
    return NULL;
  }
  return out;
}

/* The environment carrier. */

/* A variable to set (value) or to remove (value NULL). */
typedef struct env_var {
  const char *name, *value;
  int put; /* written already */
} env_var;

/* An entry is the variable `name` if it reads "name=..." (or just "name", which is
   malformed but still the same variable to a reader, so it must not survive either). */
static int is_var(const char *entry, const char *name) {
  size_t n = strlen(name);
  return strncmp(entry, name, n) == 0 && (entry[n] == '=' || !entry[n]);
}

/* The variable of vars that entry is, or NULL. */
static env_var *var_of(const char *entry, env_var *vars, size_t nvars) {
  for (size_t i = 0; i < nvars; i++)
    if (is_var(entry, vars[i].name)) return &vars[i];
  return NULL;
}

/* Adds n to *total; 0 if that would overflow size_t. */
static int add_size(size_t *total, size_t n) {
  if (n > SIZE_MAX - *total) return 0;
  *total += n;
  return 1;
}

/* The output being built: the pointer array, its next slot and the next free string byte. */
typedef struct env_out {
  char **env;
  size_t n;
  char *p;
} env_out;

/* Appends the entry "name=value" (or just name when value is NULL). */
static void env_put(env_out *o, const char *name, const char *value) {
  size_t n = strlen(name) + 1;
  o->env[o->n++] = o->p;
  memcpy(o->p, name, n);
  o->p += n;
  if (!value) return;
  o->p[-1] = '=';
  n = strlen(value) + 1;
  memcpy(o->p, value, n);
  o->p += n;
}

/* A copy of envp with each of vars set where it stands (later duplicates dropped) or
   appended, or removed when its value is NULL; every other entry kept in order. */
static char **env_with(char *const *envp, env_var *vars, size_t nvars) {
  /* One allocation holds the pointer array and every string after it: the copy does not
     depend on envp, there is no partial-failure cleanup, and sl_env_free is one free(). */
  size_t count = 0, bytes = 0;
  for (size_t i = 0; envp && envp[i]; i++) {
    if (var_of(envp[i], vars, nvars)) continue;
    count++;
    if (!add_size(&bytes, strlen(envp[i]) + 1)) return NULL;
  }
  for (size_t i = 0; i < nvars; i++) {
    if (!vars[i].value) continue;
    count++;
    if (!add_size(&bytes, strlen(vars[i].name) + strlen(vars[i].value) + 2)) return NULL;
  }
  if (!add_size(&bytes, (count + 1) * sizeof(char *))) return NULL;

  env_out o = {malloc(bytes), 0, NULL};
  if (!o.env) return NULL;
  o.p = (char *)(o.env + count + 1);
  for (size_t i = 0; envp && envp[i]; i++) {
    env_var *v = var_of(envp[i], vars, nvars);
    /* Replace in place so a reader that scans in order finds the new value where the old
       one was; drop any later duplicate so exactly one value can be seen. */
    if (!v) env_put(&o, envp[i], NULL);
    else if (v->value && !v->put) env_put(&o, v->name, v->value);
    if (v) v->put = 1;
  }
  for (size_t i = 0; i < nvars; i++)
    if (vars[i].value && !vars[i].put) env_put(&o, vars[i].name, vars[i].value);
  o.env[o.n] = NULL;
  return o.env;
}

char **sl_env_with_trace_baggage(char *const *envp, const sl_span_ref *ref, const char *tracestate,
                                 const char *baggage) {
  char tp[SL_TRACEPARENT_LEN + 1];
  if (ref) sl_span_ref_format(ref, tp);
  env_var vars[3] = {{"TRACEPARENT", ref ? tp : NULL, 0},
                     /* tracestate needs a traceparent */
                     {"TRACESTATE", ref && tracestate && *tracestate ? tracestate : NULL, 0},
                     {"BAGGAGE", baggage && *baggage ? baggage : NULL, 0}};
  return env_with(envp, vars, baggage ? 3 : 2);
}

char **sl_env_with_trace(char *const *envp, const sl_span_ref *ref, const char *tracestate) {
  return sl_env_with_trace_baggage(envp, ref, tracestate, NULL);
}

void sl_env_free(char **env) { free(env); }
