/* W3C Trace Context: traceparent parse/format (incl. the W3C test-suite cases listed in
 * SPEC-NOTES 4.1), tracestate validation (4.2) and the environment carrier (4.3).
 * Standalone: needs only src/propagation.c (and check.h). Every failure prints the input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "capture/propagation.h"

/* The suite's well-formed ids, reused to build the invalid variants. */
#define TID "12345678901234567890123456789012"
#define PID "1234567890123456"

static void hex(const uint8_t *b, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", b[i]);
}

/* Expects value to parse into these ids and flags. */
#define ACCEPT(value, tid, pid, flags) accept_(__LINE__, value, tid, pid, flags)
static void accept_(int line, const char *value, const char *tid, const char *pid, int flags) {
  sl_span_ref r;
  memset(&r, 0, sizeof r);
  if (sl_span_ref_parse(value, &r) != 0) {
    fprintf(stderr, "%s:%d: traceparent rejected, want accepted: \"%s\"\n", __FILE__, line, value);
    check_failures++;
    return;
  }
  char t[33], p[17];
  hex(r.trace_id, 16, t);
  hex(r.span_id, 8, p);
  if (strcmp(t, tid) || strcmp(p, pid) || r.flags != flags) {
    fprintf(stderr, "%s:%d: \"%s\" parsed as %s %s %02x, want %s %s %02x\n", __FILE__, line,
            value, t, p, r.flags, tid, pid, flags);
    check_failures++;
  }
}

/* Expects value to be rejected, with the output left untouched. */
#define REJECT(value) reject_(__LINE__, value)
static void reject_(int line, const char *value) {
  sl_span_ref r, before;
  memset(&r, 0xa5, sizeof r);
  before = r;
  int rc = sl_span_ref_parse(value, &r);
  if (rc != -1 || memcmp(&r, &before, sizeof r) != 0) {
    fprintf(stderr, "%s:%d: traceparent %s, want rejected (-1, out untouched): \"%s\"\n",
            __FILE__, line, rc == -1 ? "rejected but out modified" : "accepted",
            value ? value : "(NULL)");
    check_failures++;
  }
}

static void traceparent_valid(void) {
  ACCEPT("00-" TID "-" PID "-01", TID, PID, 1);
  ACCEPT("00-" TID "-" PID "-00", TID, PID, 0);
  ACCEPT("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
         "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1);
  ACCEPT("00-" TID "-" PID "-03", TID, PID, 3);  /* sampled + random (Level 2) */
  ACCEPT("00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-01",
         "ffffffffffffffffffffffffffffffff", "ffffffffffffffff", 1);
  /* Flags is a bitfield: unknown bits are dropped, never a reason to reject. */
  ACCEPT("00-" TID "-" PID "-09", TID, PID, 1);
  ACCEPT("00-" TID "-" PID "-ff", TID, PID, 3);
  ACCEPT("00-" TID "-" PID "-fc", TID, PID, 0);
  /* Ids with only one non-zero digit are fine; only all-zero is invalid. */
  ACCEPT("00-00000000000000000000000000000001-0000000000000001-00",
         "00000000000000000000000000000001", "0000000000000001", 0);
}

static void traceparent_versions(void) {
  REJECT("ff-" TID "-" PID "-01");
  /* Future versions: >= 55 chars, first fields used, trailing "-..." fields ignored. */
  ACCEPT("cc-" TID "-" PID "-01", TID, PID, 1);
  ACCEPT("cc-" TID "-" PID "-01-what-the-future-will-be-like", TID, PID, 1);
  ACCEPT("01-" TID "-" PID "-00-", TID, PID, 0);
  ACCEPT("fe-" TID "-" PID "-02-x", TID, PID, 2);
  REJECT("cc-" TID "-" PID "-01.what-the-future-will-be-like"); /* not a "-" field */
  REJECT("cc-" TID "-" PID "-012");
  REJECT("cc-" TID "-" PID "-0");  /* too short */
  REJECT("cc-" TID "-" PID);
  /* Version 00 is exactly 55 characters. */
  REJECT("00-" TID "-" PID "-01-extra");
  REJECT("00-" TID "-" PID "-01.");
  REJECT("00-" TID "-" PID "-01-");
  REJECT("00-" TID "-" PID "-001"); /* flags too long */
  REJECT("00-" TID "-" PID "-1");   /* flags too short */
  /* The version itself must be two lowercase hex digits followed by '-'. */
  REJECT("0-" TID "-" PID "-01");
  REJECT("000-" TID "-" PID "-01");
  REJECT("0A-" TID "-" PID "-01");
  REJECT("CC-" TID "-" PID "-01");
  REJECT("g0-" TID "-" PID "-01");
}

static void traceparent_invalid(void) {
  REJECT(NULL);
  REJECT("");
  REJECT("   \t ");
  /* Uppercase hex in each field. */
  REJECT("00-1234567890123456789012345678901A-" PID "-01");
  REJECT("00-ABCDEF78901234567890123456789012-" PID "-01");
  REJECT("00-" TID "-123456789012345A-01");
  REJECT("00-" TID "-" PID "-0A");
  /* All-zero ids. */
  REJECT("00-00000000000000000000000000000000-" PID "-01");
  REJECT("00-" TID "-0000000000000000-01");
  /* Lengths. */
  REJECT("00-" TID "-" PID "-01" "0");
  REJECT("00-1234567890123456789012345678901-" PID "-01");   /* trace id 31 */
  REJECT("00-123456789012345678901234567890123-" PID "-01"); /* trace id 33 */
  REJECT("00-" TID "-123456789012345-01");                   /* parent id 15 */
  REJECT("00-" TID "-12345678901234567-01");                 /* parent id 17 */
  /* Non-hex characters. */
  REJECT("00-1234567890123456789012345678901g-" PID "-01");
  REJECT("00-" TID "-123456789012345.-01");
  REJECT("00-" TID "-" PID "-0g");
  REJECT("00-" TID "-" PID "-.0");
  REJECT("00-12345678901234567890123456789 12-" PID "-01");
  /* Wrong separators. */
  REJECT("00_" TID "-" PID "-01");
  REJECT("00-" TID "_" PID "-01");
  REJECT("00-" TID "-" PID "_01");
  REJECT("00 " TID " " PID " 01");
  REJECT("00." TID "." PID ".01");
  REJECT("00-" TID "-" PID "\t01");
}

static void traceparent_ows(void) {
  ACCEPT(" 00-" TID "-" PID "-01", TID, PID, 1);
  ACCEPT("\t00-" TID "-" PID "-01", TID, PID, 1);
  ACCEPT("00-" TID "-" PID "-01 ", TID, PID, 1);
  ACCEPT("00-" TID "-" PID "-01\t", TID, PID, 1);
  ACCEPT("\t 00-" TID "-" PID "-01 \t", TID, PID, 1);
  ACCEPT("  cc-" TID "-" PID "-01-future\t", TID, PID, 1);
  /* Only spaces and tabs are OWS. */
  REJECT("\n00-" TID "-" PID "-01");
  REJECT("00-" TID "-" PID "-01\r\n");
}

static void traceparent_format(void) {
  sl_span_ref r;
  char out[56];
  /* A poisoned buffer shows that exactly 55 characters plus the NUL are written. */
  for (int flags = 0; flags < 256; flags++) {
    memset(&r, 0, sizeof r);
    for (int i = 0; i < 16; i++) r.trace_id[i] = (uint8_t)(i * 17);
    for (int i = 0; i < 8; i++) r.span_id[i] = (uint8_t)(0xf0 - i * 16);
    r.flags = (uint8_t)flags;
    memset(out, 'X', sizeof out);
    size_t n = sl_span_ref_format(&r, out);
    char want[56];
    snprintf(want, sizeof want, "00-00112233445566778899aabbccddeeff-f0e0d0c0b0a09080-%02x",
             flags & 3);
    if (n != SL_TRACEPARENT_LEN || out[55] != '\0' || strcmp(out, want) != 0)
      FAIL("format flags=%02x: got \"%.56s\" (%zu), want \"%s\"", flags, out, n, want);
  }
  /* A higher version is re-emitted as version 00 with the same fields. */
  if (sl_span_ref_parse("cc-" TID "-" PID "-ff-more", &r) != 0)
    FAIL("parse cc-...-ff-more failed");
  sl_span_ref_format(&r, out);
  if (strcmp(out, "00-" TID "-" PID "-03") != 0) FAIL("downgrade: got \"%s\"", out);
}

/* splitmix64: a fixed seed keeps any failure reproducible. */
static uint64_t rng_state = 0x5eed5eed12345678u;
static uint64_t rng(void) { return check_splitmix64(&rng_state); }

static void traceparent_round_trip(void) {
  for (int i = 0; i < 100000; i++) {
    sl_span_ref r, back;
    uint64_t a = rng(), b = rng(), c = rng();
    memcpy(r.trace_id, &a, 8);
    memcpy(r.trace_id + 8, &b, 8);
    memcpy(r.span_id, &c, 8);
    r.flags = (uint8_t)(rng() & 0xff);
    /* Also cover ids that are zero except one byte (all-zero is invalid by design). */
    if (i % 97 == 0) {
      memset(r.trace_id, 0, 16);
      r.trace_id[i % 16] = 1;
      memset(r.span_id, 0, 8);
      r.span_id[i % 8] = 0x80;
    }
    char out[56];
    sl_span_ref_format(&r, out);
    if (sl_span_ref_parse(out, &back) != 0) {
      FAIL("round trip #%d: \"%s\" rejected", i, out);
      continue;
    }
    if (memcmp(back.trace_id, r.trace_id, 16) || memcmp(back.span_id, r.span_id, 8) ||
        back.flags != (r.flags & 3))
      FAIL("round trip #%d: \"%s\" came back different (flags %02x -> %02x)", i, out, r.flags,
           back.flags);
  }
}

/* tracestate */

#define TS(value, want) ts_(__LINE__, value, want)
static void ts_(int line, const char *value, int want) {
  int got = sl_tracestate_valid(value);
  if (got != want) {
    fprintf(stderr, "%s:%d: tracestate valid=%d, want %d: \"%s\"\n", __FILE__, line, got, want,
            value ? value : "(NULL)");
    check_failures++;
  }
}

/* "m01=01,m02=02,..." with n members, each separated by sep. */
static char *members(int n, const char *sep) {
  char *s = malloc((size_t)n * (8 + strlen(sep)) + 1), *p = s;
  if (!s) abort();
  *p = '\0';
  for (int i = 1; i <= n; i++) p += sprintf(p, "%sm%02d=%02d", i > 1 ? sep : "", i, i);
  return s;
}

static char *repeat(char c, size_t n, const char *suffix) {
  char *s = malloc(n + strlen(suffix) + 1);
  if (!s) abort();
  memset(s, c, n);
  strcpy(s + n, suffix);
  return s;
}

static void tracestate_valid_lists(void) {
  TS(NULL, 0);
  TS("", 1); /* empty headers must be accepted */
  TS("rojo=00f067aa0ba902b7", 1);
  TS("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", 1);
  TS("foo=1,bar=2", 1);
  TS("ot=th:8;rv:0123456789abcd", 1);
  TS("0vendor=x", 1); /* a key may start with a digit */
  TS("a_b-c*d/e@f=1", 1);
  TS("tenant@system=1", 1);
  TS("fw529a3039@dt=0-1-2", 1);
  TS("foo=1,foo=2", 1); /* duplicates: the test suite accepts keeping them */
  TS("foo= leading spaces are value", 1);
  TS("foo=a b", 1);
  /* Every legal key character and every legal value character (test_tracestate_all_allowed). */
  TS("abcdefghijklmnopqrstuvwxyz0123456789_-*/@a-z0-9_-*/= !\"#$%&'()*+-./0123456789:;<>?@"
     "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
     1);
}

static void tracestate_ows_and_empty(void) {
  TS("foo=1 \t , \t bar=2, \t baz=3", 1);
  TS("foo=1\t \t,\t \tbar=2,\t \tbaz=3", 1);
  TS(" foo=1", 1);
  TS("\tfoo=1", 1);
  TS("foo=1 ", 1); /* trailing spaces are OWS, not part of the value */
  TS("foo=1\t", 1);
  TS("\t foo=1 \t", 1);
  TS(",", 1);
  TS(" , ,\t,", 1);
  TS("foo=1,,bar=2", 1);
  TS(",foo=1", 1);
  TS("foo=1,", 1);
  TS("foo=1, ,bar=2", 1);
  TS("   ", 1);
}

/* The form a tracestate is sent on: no OWS around members, no empty members. */
#define TS_NORM(value, want) ts_norm_(__LINE__, value, want)
static void ts_norm_(int line, const char *value, const char *want) {
  char *got = sl_tracestate_normalize(value);
  if (want ? !got || strcmp(got, want) != 0 : got != NULL) {
    fprintf(stderr, "%s:%d: sl_tracestate_normalize(\"%s\") = \"%s\", want \"%s\"\n", __FILE__, line,
            value ? value : "(null)", got ? got : "(null)", want ? want : "(null)");
    check_failures++;
  }
  free(got);
}

static void tracestate_normalized(void) {
  TS_NORM("foo=1,bar=2", "foo=1,bar=2");
  TS_NORM("foo=1 \t , \t bar=2, \t baz=3", "foo=1,bar=2,baz=3");
  TS_NORM("\t foo=1 \t", "foo=1");
  TS_NORM("foo=1 ", "foo=1"); /* trailing spaces are OWS: they may be left out */
  TS_NORM("foo=1,,bar=2, ,", "foo=1,bar=2");
  TS_NORM(",foo=1", "foo=1");
  TS_NORM("foo=  x,bar=2", "foo=  x,bar=2"); /* a value's leading spaces are its own */
  TS_NORM("", NULL);
  TS_NORM(" , ,\t,", NULL);
  TS_NORM(NULL, NULL);
  TS_NORM("FOO=1", NULL);
  TS_NORM("foo=1,@bar=2", NULL);
}

static void tracestate_count(void) {
  char *s = members(32, ",");
  TS(s, 1);
  free(s);
  s = members(33, ",");
  TS(s, 0);
  free(s);
  s = members(32, " , ");
  TS(s, 1);
  free(s);
  /* Empty members are not list entries, so they don't count toward the 32. */
  s = members(32, ",,");
  TS(s, 1);
  free(s);
  s = members(33, ",,");
  TS(s, 0);
  free(s);
}

static void tracestate_bad_keys(void) {
  TS("FOO=1", 0);
  TS("Foo=1", 0);
  TS("fOo=1", 0);
  TS("foo=1,BAR=2", 0); /* one bad member discards the whole header */
  TS("@foo=1,bar=2", 0);
  TS("_foo=1", 0);
  TS("-foo=1", 0);
  TS("foo.bar=1", 0);
  TS("foo =1", 0);
  TS("foo\t=1", 0);
  TS("fo o=1", 0);
  TS("=1", 0);
  TS("foo", 0);
  TS("foo,bar=1", 0);
  TS("\xc3\xa9=1", 0);
  char *k = repeat('z', 256, "=1");
  TS(k, 1);
  free(k);
  k = repeat('z', 257, "=1");
  TS(k, 0);
  free(k);
  k = repeat('t', 241, "@vvvvvvvvvvvvvv=1"); /* 256 with a tenant */
  TS(k, 1);
  free(k);
  k = repeat('t', 242, "@vvvvvvvvvvvvvv=1"); /* 257 */
  TS(k, 0);
  free(k);
}

static void tracestate_bad_values(void) {
  TS("foo=", 0);
  TS("foo=,bar=3", 0);
  TS("foo=bar=baz", 0);
  TS("foo==", 0);
  TS("foo=a=b,bar=2", 0);
  /* A value must end in a non-space; with trailing spaces counted as OWS, a value of only
     spaces is the one that fails. */
  TS("foo= ", 0);
  TS("foo=   ,bar=2", 0);
  /* Only 0x20-0x7e: no tabs, control characters or bytes >= 0x80 inside a value. */
  TS("foo=a\tb", 0);
  TS("foo=\tb", 0);
  TS("foo=a\nb", 0);
  TS("foo=a\x7f", 0);
  TS("foo=caf\xc3\xa9", 0);
  char *v = repeat('v', 256, "");
  char *s = malloc(strlen(v) + 6); /* "foo=" + v + "v" + NUL */
  if (!s) abort();
  sprintf(s, "foo=%s", v);
  TS(s, 1);
  sprintf(s, "foo=%sv", v); /* 257 */
  TS(s, 0);
  free(s);
  free(v);
}

/* Environment carrier */

static int env_count(char **env) {
  int n = 0;
  while (env[n]) n++;
  return n;
}

/* Checks env against a NULL-terminated list of expected entries, in order. */
#define ENV_IS(env, ...) env_is_(__LINE__, env, (const char *[]){__VA_ARGS__, NULL})
static void env_is_(int line, char **env, const char **want) {
  if (!env) {
    fprintf(stderr, "%s:%d: sl_env_with_trace returned NULL\n", __FILE__, line);
    check_failures++;
    return;
  }
  int i = 0;
  for (; want[i] && env[i]; i++)
    if (strcmp(env[i], want[i]) != 0) break;
  if (want[i] || env[i]) {
    fprintf(stderr, "%s:%d: environment differs at entry %d\n  got: ", __FILE__, line, i);
    for (int j = 0; env[j]; j++) fprintf(stderr, "\"%s\" ", env[j]);
    fprintf(stderr, "\n  want:");
    for (int j = 0; want[j]; j++) fprintf(stderr, " \"%s\"", want[j]);
    fputc('\n', stderr);
    check_failures++;
  }
}

#define TP_ENV "TRACEPARENT=00-" TID "-" PID "-01"

static void env_carrier(void) {
  sl_span_ref r;
  if (sl_span_ref_parse("00-" TID "-" PID "-01", &r) != 0) FAIL("setup parse failed");

  char *base[] = {"PATH=/bin", "HOME=/root", "LANG=C", NULL};
  char **env = sl_env_with_trace(base, &r, "foo=1,bar=2");
  ENV_IS(env, "PATH=/bin", "HOME=/root", "LANG=C", TP_ENV, "TRACESTATE=foo=1,bar=2");
  sl_env_free(env);

  /* Present: replaced where they stand, never duplicated (later copies dropped). */
  char *old[] = {"A=1",
                 "TRACESTATE=old=1",
                 "B=2",
                 "TRACEPARENT=00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-00",
                 "TRACEPARENT=dup",
                 "TRACESTATE",
                 "C=3",
                 NULL};
  env = sl_env_with_trace(old, &r, "new=2");
  ENV_IS(env, "A=1", "TRACESTATE=new=2", "B=2", TP_ENV, "C=3");
  sl_env_free(env);

  /* No tracestate: TRACESTATE removed, whether NULL or empty. */
  env = sl_env_with_trace(old, &r, NULL);
  ENV_IS(env, "A=1", "B=2", TP_ENV, "C=3");
  sl_env_free(env);
  env = sl_env_with_trace(old, &r, "");
  ENV_IS(env, "A=1", "B=2", TP_ENV, "C=3");
  sl_env_free(env);

  /* Names are exact and case-sensitive: look-alikes are other variables. */
  char *alike[] = {"TRACEPARENTS=x", "traceparent=y", "XTRACESTATE=z", "TRACE=w", NULL};
  env = sl_env_with_trace(alike, &r, NULL);
  ENV_IS(env, "TRACEPARENTS=x", "traceparent=y", "XTRACESTATE=z", "TRACE=w", TP_ENV);
  sl_env_free(env);

  /* Flags are masked as in any formatted traceparent. */
  sl_span_ref f = r;
  f.flags = 0xfe;
  env = sl_env_with_trace(NULL, &f, NULL);
  ENV_IS(env, "TRACEPARENT=00-" TID "-" PID "-02");
  sl_env_free(env);

  /* NULL envp is an empty environment. */
  env = sl_env_with_trace(NULL, &r, "k=v");
  ENV_IS(env, TP_ENV, "TRACESTATE=k=v");
  sl_env_free(env);
  char *empty[] = {NULL};
  env = sl_env_with_trace(empty, &r, NULL);
  ENV_IS(env, TP_ENV);
  sl_env_free(env);

  /* NULL ref: both variables removed (a tracestate is meaningless without traceparent). */
  env = sl_env_with_trace(old, NULL, "k=v");
  ENV_IS(env, "A=1", "B=2", "C=3");
  sl_env_free(env);
  env = sl_env_with_trace(NULL, NULL, NULL);
  if (!env || env_count(env) != 0) FAIL("NULL envp, NULL ref: want an empty list");
  sl_env_free(env);

  /* The copy is independent: the input is unchanged and the copy outlives it. */
  char buf[] = "MUTABLE=1";
  char *mut[] = {buf, NULL};
  env = sl_env_with_trace(mut, &r, NULL);
  buf[0] = 'X';
  ENV_IS(env, "MUTABLE=1", TP_ENV);
  if (strcmp(old[1], "TRACESTATE=old=1") != 0 || strcmp(old[4], "TRACEPARENT=dup") != 0)
    FAIL("input environment was modified");
  sl_env_free(env);
  sl_env_free(NULL); /* like free() */
}

int main(void) {
  RUN(traceparent_valid);
  RUN(traceparent_versions);
  RUN(traceparent_invalid);
  RUN(traceparent_ows);
  RUN(traceparent_format);
  RUN(traceparent_round_trip);
  RUN(tracestate_valid_lists);
  RUN(tracestate_ows_and_empty);
  RUN(tracestate_normalized);
  RUN(tracestate_count);
  RUN(tracestate_bad_keys);
  RUN(tracestate_bad_values);
  RUN(env_carrier);
  if (!check_failures) printf("test_propagation: all checks passed\n");
  return check_exit();
}
