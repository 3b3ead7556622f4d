/* Tests for src/sampler.c: OTEL_TRACES_SAMPLER(_ARG) parsing, the TraceIdRatioBased bound
   against OpenTelemetry Python's round(rate * 2**64), and the ParentBased decision table.
   Standalone: prints each failure and exits non-zero. */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/sampler.h"
#include "check.h"

/* Captures warnings: how many, and the last one. */
static int warnings;
static char last_warning[512];
static void on_warn(const char *msg) {
  warnings++;
  snprintf(last_warning, sizeof last_warning, "%s", msg);
}

/* A fixed-seed splitmix64, so a failure reproduces. */
static uint64_t rng_state = 0x5eed5eed12345678u;
static uint64_t rng(void) { return check_splitmix64(&rng_state); }

static void put_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

/* An id whose high half is `high` and low half (the part the ratio looks at) is `low`. */
static void make_id(uint8_t id[16], uint64_t high, uint64_t low) {
  put_be64(id, high);
  put_be64(id + 8, low);
}

static void random_id(uint8_t id[16]) { make_id(id, rng(), rng()); }

static sl_sampler parse(const char *name, const char *arg) {
  sl_sampler s;
  warnings = 0;
  last_warning[0] = '\0';
  sl_sampler_from_strings(&s, name, arg, on_warn);
  return s;
}

static void test_names(void) {
  static const struct {
    const char *name;
    sl_sampler_kind kind;
  } ok[] = {
      {"always_on", SL_SAMPLER_ALWAYS_ON},
      {"ALWAYS_ON", SL_SAMPLER_ALWAYS_ON},
      {"Always_On", SL_SAMPLER_ALWAYS_ON},
      {"always_off", SL_SAMPLER_ALWAYS_OFF},
      {"ALWAYS_OFF", SL_SAMPLER_ALWAYS_OFF},
      {"traceidratio", SL_SAMPLER_TRACEIDRATIO},
      {"TraceIdRatio", SL_SAMPLER_TRACEIDRATIO},
      {"parentbased_always_on", SL_SAMPLER_PARENT_ALWAYS_ON},
      {"ParentBased_Always_On", SL_SAMPLER_PARENT_ALWAYS_ON},
      {"parentbased_always_off", SL_SAMPLER_PARENT_ALWAYS_OFF},
      {"PARENTBASED_ALWAYS_OFF", SL_SAMPLER_PARENT_ALWAYS_OFF},
      {"parentbased_traceidratio", SL_SAMPLER_PARENT_TRACEIDRATIO},
      {"ParentBased_TraceIdRatio", SL_SAMPLER_PARENT_TRACEIDRATIO},
      {" always_off\t", SL_SAMPLER_ALWAYS_OFF}, /* OWS around the value is ignored */
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    sl_sampler s = parse(ok[i].name, NULL);
    CHECK_MSG(s.kind == ok[i].kind, "\"%s\" gave kind %d, want %d", ok[i].name, (int)s.kind,
              (int)ok[i].kind);
    CHECK_MSG(warnings == 0, "\"%s\" warned: %s", ok[i].name, last_warning);
  }

  /* Unset and empty: the default, silently. */
  const char *unset[] = {NULL, "", "  ", "\t"};
  for (size_t i = 0; i < sizeof unset / sizeof unset[0]; i++) {
    sl_sampler s = parse(unset[i], "0.1");
    CHECK_MSG(s.kind == SL_SAMPLER_PARENT_ALWAYS_ON && s.bound == SL_SAMPLER_BOUND_ALL,
              "unset #%zu gave kind %d", i, (int)s.kind);
    CHECK_MSG(warnings == 0, "unset #%zu warned: %s", i, last_warning);
  }

  /* Known-but-unsupported and unknown names: one warning, then the default. */
  const char *bad[] = {"jaeger_remote", "parentbased_jaeger_remote", "xray", "XRay", "garbage",
                       "always-on", "always_onx", "always_o", "parentbased_", "always on",
                       "always_on,always_off"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sl_sampler s = parse(bad[i], "0.5");
    CHECK_MSG(s.kind == SL_SAMPLER_PARENT_ALWAYS_ON && s.bound == SL_SAMPLER_BOUND_ALL,
              "\"%s\" gave kind %d, want the default", bad[i], (int)s.kind);
    CHECK_MSG(warnings == 1, "\"%s\": %d warnings, want 1", bad[i], warnings);
    CHECK_MSG(strstr(last_warning, "OTEL_TRACES_SAMPLER") && strstr(last_warning, bad[i]),
              "\"%s\": warning does not name the variable and value: %s", bad[i], last_warning);
    CHECK_MSG(!strchr(last_warning, '\n'), "warning has a newline: %s", last_warning);
  }
  parse("xray", NULL);
  CHECK_MSG(strstr(last_warning, "not supported") != NULL, "xray: %s", last_warning);

  /* A NULL callback is allowed. */
  sl_sampler s;
  sl_sampler_from_strings(&s, "garbage", "abc", NULL);
  CHECK_MSG(s.kind == SL_SAMPLER_PARENT_ALWAYS_ON, "NULL warn: kind %d", (int)s.kind);

  /* Control characters in the value must not split the warning line. */
  parse("bad\nname\r", NULL);
  CHECK_MSG(warnings == 1 && !strchr(last_warning, '\n') && !strchr(last_warning, '\r'),
            "control characters leaked into: %s", last_warning);
  char longname[600];
  memset(longname, 'x', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  parse(longname, NULL);
  CHECK_MSG(warnings == 1 && strlen(last_warning) < 300, "long value: %zu chars",
            strlen(last_warning));
}

static void test_args(void) {
  static const struct {
    const char *arg;
    double ratio;
    int warns;
  } cases[] = {
      {"0.25", 0.25, 0},   {"0", 0.0, 0},      {"1", 1.0, 0},         {"1.0", 1.0, 0},
      {" 0.5 ", 0.5, 0},   {".5", 0.5, 0},     {"0.", 0.0, 0},        {"1e-1", 0.1, 0},
      {"2.5E-1", 0.25, 0}, {"+0.75", 0.75, 0}, {"-0", 0.0, 0},        {"1e-400", 0.0, 0},
      {NULL, 1.0, 0},      {"", 1.0, 0},       {"  ", 1.0, 0},
      /* invalid: warn and use 1.0 */
      {"abc", 1.0, 1},     {"-0.1", 1.0, 1},   {"1.5", 1.0, 1},       {"nan", 1.0, 1},
      {"inf", 1.0, 1},     {"0x1p-2", 1.0, 1}, {"0.5x", 1.0, 1},      {"1e400", 1.0, 1},
      {"0,5", 1.0, 1},     {".", 1.0, 1},      {"1e", 1.0, 1},        {"0.5 0.5", 1.0, 1},
      {"--0.5", 1.0, 1},   {"1.0000001", 1.0, 1},
  };
  const char *names[] = {"traceidratio", "parentbased_traceidratio", "TRACEIDRATIO"};
  for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      const char *arg = cases[i].arg;
      sl_sampler s = parse(names[n], arg);
      CHECK_MSG(s.ratio == cases[i].ratio && !signbit(s.ratio), "%s arg \"%s\": ratio %.17g, want %.17g",
                names[n], arg ? arg : "(null)", s.ratio, cases[i].ratio);
      CHECK_MSG(s.bound == sl_sampler_ratio_bound(cases[i].ratio), "%s arg \"%s\": bound %llu",
                names[n], arg ? arg : "(null)", (unsigned long long)s.bound);
      CHECK_MSG(warnings == cases[i].warns, "%s arg \"%s\": %d warnings, want %d (%s)", names[n],
                arg ? arg : "(null)", warnings, cases[i].warns, last_warning);
      if (cases[i].warns)
        CHECK_MSG(strstr(last_warning, "OTEL_TRACES_SAMPLER_ARG") && !strchr(last_warning, '\n'),
                  "warning: %s", last_warning);
    }
  }
  /* The argument belongs to the ratio samplers only: others ignore even a bad one. */
  const char *others[] = {"always_on", "always_off", "parentbased_always_on",
                          "parentbased_always_off"};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    parse(others[i], "abc");
    CHECK_MSG(warnings == 0, "%s with a bad arg warned: %s", others[i], last_warning);
  }
}

/* Expected bounds printed by CPython 3: round(r * 2**64) with r the same double. */
static void test_bounds(void) {
  static const struct {
    const char *arg;
    uint64_t bound;
  } py[] = {
      {"0.25", 4611686018427387904u},     /* 2^62 */
      {"0.5", 9223372036854775808u},      /* 2^63 */
      {"0.1", 1844674407370955264u},      /* 0x1999999999999a00, not the exact 2^64/10 */
      {"1e-9", 18446744074u},             /* 18446744073.709553 rounds up */
      {"0.3", 5534023222112865280u},      /* 0x4ccccccccccccc00 */
      {"0.7", 12912720851596685312u},     /* 0xb333333333333000 */
      {"0.999999", 18446725626965477376u},/* 0xffffef39085f4800 */
      {"5e-20", 1u},                      /* 0.92 rounds up */
      {"0", 0u},
  };
  for (size_t i = 0; i < sizeof py / sizeof py[0]; i++) {
    sl_sampler s = parse("traceidratio", py[i].arg);
    CHECK_MSG(s.bound == py[i].bound, "ratio %s: bound %llu, Python gives %llu", py[i].arg,
              (unsigned long long)s.bound, (unsigned long long)py[i].bound);
  }
  /* Python's round() on a float is round-half-even; x.5 products show it. */
  static const struct {
    double ratio;
    uint64_t bound;
  } half[] = {
      {0x1p-65, 0},    /* 0.5 -> 0 */
      {0x1.8p-64, 2},  /* 1.5 -> 2 */
      {0x1.4p-63, 2},  /* 2.5 -> 2 */
      {0x1.cp-63, 4},  /* 3.5 -> 4 */
      {0x1p-64, 1},    /* 1 */
      {0x1.2p-62, 4},  /* 4.5 -> 4 */
      {0x1.000001p-64, 1},
      {0x1.8000000000001p-64, 2}, /* just above 1.5 */
      {0x1.7ffffffffffffp-64, 1}, /* just below 1.5 */
      {0x1.fffffffffffffp-1, 18446744073709549568u}, /* largest ratio below 1: 2^64 - 2^11 */
      {1.0, SL_SAMPLER_BOUND_ALL},
      {2.0, SL_SAMPLER_BOUND_ALL},
      {-1.0, 0},
      {NAN, 0},
  };
  for (size_t i = 0; i < sizeof half / sizeof half[0]; i++)
    CHECK_MSG(sl_sampler_ratio_bound(half[i].ratio) == half[i].bound, "ratio %a: bound %llu, want %llu",
              half[i].ratio, (unsigned long long)sl_sampler_ratio_bound(half[i].ratio),
              (unsigned long long)half[i].bound);
}

/* Ids right at the bound: only the low 64 bits count, and the comparison is strict. */
static void test_boundaries(void) {
  uint8_t id[16];
  static const struct {
    const char *arg;
    uint64_t bound;
  } b[] = {{"0.25", 1ull << 62}, {"0.5", 1ull << 63}};
  for (size_t i = 0; i < 2; i++) {
    sl_sampler s = parse("traceidratio", b[i].arg);
    const uint64_t highs[] = {0, 0xffffffffffffffffu, 0x0123456789abcdefu};
    for (size_t h = 0; h < 3; h++) {
      make_id(id, highs[h], b[i].bound - 1);
      CHECK_MSG(sl_sampler_ratio_keeps(&s, id), "%s: bound-1 dropped", b[i].arg);
      CHECK_MSG(sl_sampler_should_sample(&s, id, 0, 0, 0), "%s: bound-1 not sampled", b[i].arg);
      make_id(id, highs[h], b[i].bound);
      CHECK_MSG(!sl_sampler_ratio_keeps(&s, id), "%s: bound kept", b[i].arg);
      CHECK_MSG(!sl_sampler_should_sample(&s, id, 0, 0, 0), "%s: bound sampled", b[i].arg);
      make_id(id, highs[h], 0);
      CHECK_MSG(sl_sampler_ratio_keeps(&s, id), "%s: 0 dropped", b[i].arg);
      make_id(id, highs[h], UINT64_MAX);
      CHECK_MSG(!sl_sampler_ratio_keeps(&s, id), "%s: max kept", b[i].arg);
    }
  }
  /* The byte order: low half read big-endian, so byte 8 is the most significant. */
  sl_sampler s = parse("traceidratio", "0.25");
  memset(id, 0, sizeof id);
  id[8] = 0x3f;
  id[15] = 0xff;
  CHECK_MSG(sl_sampler_ratio_keeps(&s, id), "0x3f..ff should be below 2^62");
  id[8] = 0x40;
  id[15] = 0x00;
  CHECK_MSG(!sl_sampler_ratio_keeps(&s, id), "0x40..00 is 2^62");
  memset(id, 0xff, 8); /* high half all ones, low half small */
  memset(id + 8, 0, 8);
  CHECK_MSG(sl_sampler_ratio_keeps(&s, id), "the high half must not count");

  /* Ratio 1 keeps every id, ratio 0 none, including the extremes. */
  sl_sampler all = parse("traceidratio", "1"), none = parse("traceidratio", "0");
  make_id(id, UINT64_MAX, UINT64_MAX);
  CHECK_MSG(sl_sampler_ratio_keeps(&all, id), "ratio 1 dropped the largest id");
  CHECK_MSG(!sl_sampler_ratio_keeps(&none, id), "ratio 0 kept the largest id");
  make_id(id, 0, 0);
  CHECK_MSG(!sl_sampler_ratio_keeps(&none, id), "ratio 0 kept id 0");
  /* The smallest nonzero ratio of these, bound 1: exactly low == 0 passes. */
  sl_sampler tiny = parse("traceidratio", "5e-20");
  make_id(id, 7, 0);
  CHECK_MSG(sl_sampler_ratio_keeps(&tiny, id), "bound 1 dropped low 0");
  make_id(id, 7, 1);
  CHECK_MSG(!sl_sampler_ratio_keeps(&tiny, id), "bound 1 kept low 1");
}

static void test_statistics(void) {
  enum { N = 100000 };
  sl_sampler s = parse("traceidratio", "0.25");
  uint8_t id[16];
  long kept = 0;
  int unstable = 0;
  for (int i = 0; i < N; i++) {
    random_id(id);
    int a = sl_sampler_ratio_keeps(&s, id);
    kept += a;
    /* Deterministic: the same id, asked again (and through should_sample), same answer. */
    if (sl_sampler_ratio_keeps(&s, id) != a || sl_sampler_should_sample(&s, id, 0, 0, 0) != a)
      unstable++;
  }
  /* Binomial(N, 0.25): mean 25000, sigma = sqrt(N p (1-p)) ~ 136.9; allow 5 sigma. */
  double mean = N * 0.25, sigma = sqrt(N * 0.25 * 0.75);
  CHECK_MSG(fabs((double)kept - mean) <= 5 * sigma, "kept %ld of %d, want %.0f +- %.0f", kept, N,
            mean, 5 * sigma);
  CHECK_MSG(unstable == 0, "%d ids changed their decision", unstable);
}

/* A higher ratio samples a superset of a lower one. */
static void test_superset(void) {
  const char *ratios[] = {"0", "1e-9", "0.1", "0.25", "0.3", "0.5", "0.7", "0.999999", "1"};
  enum { R = sizeof ratios / sizeof ratios[0] };
  sl_sampler s[R];
  for (int r = 0; r < R; r++) s[r] = parse("traceidratio", ratios[r]);
  uint8_t id[16];
  int violations = 0;
  for (int i = 0; i < 10000; i++) {
    random_id(id);
    for (int r = 0; r + 1 < R; r++)
      if (sl_sampler_ratio_keeps(&s[r], id) && !sl_sampler_ratio_keeps(&s[r + 1], id)) {
        if (violations++ < 5)
          fprintf(stderr, "  ratio %s keeps an id that %s drops\n", ratios[r], ratios[r + 1]);
      }
  }
  CHECK_MSG(violations == 0, "%d superset violations", violations);
}

/* ParentBased: root, remote sampled/unsampled, local sampled/unsampled, with the default
   delegates; and the non-parentbased samplers ignore the parent. */
static void test_parent_based(void) {
  uint8_t keep_id[16], drop_id[16];
  make_id(keep_id, 0xabcdef, 1);           /* below every nonzero bound */
  make_id(drop_id, 0xabcdef, UINT64_MAX);  /* above every bound below 2^64 */
  static const struct {
    const char *name, *arg;
    int root_keep, root_drop; /* root decision for keep_id and drop_id */
  } v[] = {
      {"parentbased_always_on", NULL, 1, 1},
      {"parentbased_always_off", NULL, 0, 0},
      {"parentbased_traceidratio", "0.5", 1, 0},
      {"parentbased_traceidratio", "0", 0, 0},
      {"parentbased_traceidratio", "1", 1, 1},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    sl_sampler s = parse(v[i].name, v[i].arg);
    const char *a = v[i].arg ? v[i].arg : "";
    for (int k = 0; k < 2; k++) {
      const uint8_t *id = k ? drop_id : keep_id;
      int root = k ? v[i].root_drop : v[i].root_keep;
      /* The remote flag and sampled flag are ignored without a parent. */
      for (int remote = 0; remote < 2; remote++)
        for (int sampled = 0; sampled < 2; sampled++)
          CHECK_MSG(sl_sampler_should_sample(&s, id, 0, remote, sampled) == root,
                    "%s(%s) root id%d: want %d", v[i].name, a, k, root);
      CHECK_MSG(sl_sampler_should_sample(&s, id, 1, 1, 1) == 1, "%s(%s) remote sampled", v[i].name, a);
      CHECK_MSG(sl_sampler_should_sample(&s, id, 1, 1, 0) == 0, "%s(%s) remote unsampled", v[i].name, a);
      CHECK_MSG(sl_sampler_should_sample(&s, id, 1, 0, 1) == 1, "%s(%s) local sampled", v[i].name, a);
      CHECK_MSG(sl_sampler_should_sample(&s, id, 1, 0, 0) == 0, "%s(%s) local unsampled", v[i].name, a);
    }
  }
  /* Not parentbased: the parent does not matter. */
  sl_sampler on = parse("always_on", NULL), off = parse("always_off", NULL),
             ratio = parse("traceidratio", "0.5");
  for (int has = 0; has < 2; has++)
    for (int remote = 0; remote < 2; remote++)
      for (int sampled = 0; sampled < 2; sampled++) {
        CHECK_MSG(sl_sampler_should_sample(&on, drop_id, has, remote, sampled) == 1, "always_on");
        CHECK_MSG(sl_sampler_should_sample(&off, keep_id, has, remote, sampled) == 0, "always_off");
        CHECK_MSG(sl_sampler_should_sample(&ratio, keep_id, has, remote, sampled) == 1,
                  "traceidratio keep_id, parent %d/%d/%d", has, remote, sampled);
        CHECK_MSG(sl_sampler_should_sample(&ratio, drop_id, has, remote, sampled) == 0,
                  "traceidratio drop_id, parent %d/%d/%d", has, remote, sampled);
      }
}

/* A program in a locale whose decimal point is ',' still reads "0.25" (skipped when no such
   locale is installed). */
static void test_locale(void) {
  const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "de_DE"};
  const char *found = NULL;
  for (size_t i = 0; i < sizeof names / sizeof names[0] && !found; i++)
    if (setlocale(LC_NUMERIC, names[i]) && strcmp(localeconv()->decimal_point, ".") != 0)
      found = names[i];
  if (!found) {
    setlocale(LC_NUMERIC, "C");
    printf("test_sampler: no locale with a ',' decimal point; locale test skipped\n");
    return;
  }
  sl_sampler s = parse("traceidratio", "0.25");
  CHECK_MSG(s.ratio == 0.25 && warnings == 0, "locale %s: ratio %g, %d warnings", found, s.ratio,
            warnings);
  parse("traceidratio", "0,25"); /* the spec's syntax is '.', whatever the locale */
  CHECK_MSG(warnings == 1, "locale %s: \"0,25\" accepted", found);
  setlocale(LC_NUMERIC, "C");
}

/* The tracestate a span of a continued trace sends on after the plain probability
   sampler decided: th set or erased, the changed ot member first, the rest in order. */
static void check_after(const sl_sampler *s, int sampled, const char *in, const char *want) {
  char *got = sl_sampler_tracestate_after(s, sampled, in);
  CHECK_MSG(got && strcmp(got, want) == 0, "after(%s, %s) = %s, want %s", sampled ? "sampled" : "dropped",
            in ? in : "NULL", got ? got : "NULL", want);
  free(got);
}

static void test_tracestate_after(void) {
  sl_sampler s = parse("probability", "0.25"); /* th:c */
  check_after(&s, 1, NULL, "ot=th:c");
  check_after(&s, 1, "", "ot=th:c");
  check_after(&s, 1, "congo=t61,rojo=00f0", "ot=th:c,congo=t61,rojo=00f0");
  check_after(&s, 1, "congo=t61,ot=th:8;rv:0123456789abcd,rojo=1", "ot=th:c;rv:0123456789abcd,congo=t61,rojo=1");
  check_after(&s, 1, "ot=rv:0123456789abcd;th:8;x:y", "ot=th:c;rv:0123456789abcd;x:y");
  check_after(&s, 0, "congo=t61,ot=th:8;rv:0123456789abcd", "ot=rv:0123456789abcd,congo=t61");
  check_after(&s, 0, "congo=t61,ot=th:8", "congo=t61");             /* nothing left of ot */
  check_after(&s, 0, "congo=t61,ot=rv:0123456789abcd", "congo=t61,ot=rv:0123456789abcd"); /* unchanged */
  check_after(&s, 0, "congo=t61", "congo=t61");
  check_after(&s, 0, NULL, "");
  check_after(&s, 1, "ot=th:8;Bad;;x:1,a=1", "ot=th:c;x:1,a=1"); /* a rewritten member keeps what is valid */
  check_after(&s, 1, "a=1,ot=rv:0123456789abcd,ot=x:2", "ot=th:c;rv:0123456789abcd,a=1"); /* one ot member */
  check_after(&s, 0, "ot=;;,a=1", "ot=;;,a=1");                                /* no th: left as it came */
  { /* an ot member that th would take past 256 characters keeps th and rv */
    char big[300], x[235];
    memset(x, 'a', 234), x[234] = 0;
    snprintf(big, sizeof big, "ot=rv:0123456789abcd;x:%s,a=1", x); /* a value of 254 */
    check_after(&s, 1, big, "ot=th:c;rv:0123456789abcd,a=1");
  }
  sl_sampler all = parse("probability", "1");
  check_after(&all, 1, "a=1", "ot=th:0,a=1");

  /* A new ot member in a full tracestate: members drop from the right to stay at 32. */
  char full[32 * 8], want[32 * 8];
  size_t n = 0, w = (size_t)snprintf(want, sizeof want, "ot=th:c");
  for (int i = 0; i < 32; i++) {
    n += (size_t)snprintf(full + n, sizeof full - n, "%sk%02d=v", i ? "," : "", i);
    if (i < 31) w += (size_t)snprintf(want + w, sizeof want - w, ",k%02d=v", i);
  }
  check_after(&s, 1, full, want);

  /* ... and to stay within 512 characters. */
  char longs[600], longwant[600];
  memset(longs, 'x', sizeof longs);
  memcpy(longs, "a=", 2), longs[250] = ',', memcpy(longs + 251, "b=", 2), longs[505] = 0; /* 505 chars */
  snprintf(longwant, sizeof longwant, "ot=th:c,%.250s", longs);
  check_after(&s, 1, longs, longwant);
}

int main(void) {
  RUN(test_names);
  RUN(test_args);
  RUN(test_bounds);
  RUN(test_boundaries);
  RUN(test_statistics);
  RUN(test_superset);
  RUN(test_parent_based);
  RUN(test_locale);
  RUN(test_tracestate_after);
  if (!check_failures) printf("test_sampler: all checks passed\n");
  return check_exit();
}
