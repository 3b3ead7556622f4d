/* Tests formatters/numfmt.c: fixed vectors, then millions of generated values
 * checked against the C library (strtod and snprintf in the "C" locale).
 *
 * Build and run from the project root:
 *   cc -std=c11 -O2 -Iformatters tests/test_numfmt.c formatters/numfmt.c -o test_numfmt
 *   ./test_numfmt [seed]
 * Prints each failure (the first 50) with both values; exits nonzero if any. */
#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"

#define GUARD 8 /* bytes after the output that must stay untouched */

static long failures, checked_doubles, checked_ints, lopsided;

static void fail(const char *what, const char *input, const char *got, const char *want)
{
    if (++failures <= 50)
        fprintf(stderr, "FAIL %s: input %s: got \"%s\", want \"%s\"\n", what, input, got,
                want);
}

/* splitmix64: reproducible pseudo-random bits from a seed. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t bits_of(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static double double_of(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* Whether sl_fmt_* wrote exactly len characters and a NUL into buf (filled with
   0x7f beforehand), and nothing after them. */
static int well_terminated(const char *buf, size_t len, size_t max)
{
    if (len >= max || strlen(buf) != len)
        return 0;
    for (size_t i = len + 1; i < max + GUARD; i++)
        if (buf[i] != 0x7f)
            return 0;
    return 1;
}

/* ---- doubles ---- */

/* Python's repr spelling of -dig * 10^exp or dig * 10^exp (dig > 0), written
   separately from numfmt.c: scientific when the first digit's exponent x is
   below -4 or at least 16, with a sign and at least two exponent digits;
   otherwise positional, whole numbers ending in ".0". */
static void spell(int neg, uint64_t dig, int exp, char *out)
{
    while (dig % 10 == 0) {
        dig /= 10;
        exp++;
    }
    char ds[24];
    int n = snprintf(ds, sizeof ds, "%" PRIu64, dig);
    int x = n - 1 + exp;
    char *p = out;
    if (neg)
        *p++ = '-';
    if (x < -4 || x >= 16) {
        *p++ = ds[0];
        if (n > 1)
            p += sprintf(p, ".%s", ds + 1);
        sprintf(p, "e%c%02d", x < 0 ? '-' : '+', abs(x));
    } else if (exp >= 0) {
        p += sprintf(p, "%s", ds);
        memset(p, '0', (size_t)exp);
        strcpy(p + exp, ".0");
    } else if (x >= 0) {
        sprintf(p, "%.*s.%s", x + 1, ds, ds + x + 1);
    } else {
        p += sprintf(p, "0.");
        memset(p, '0', (size_t)(-x - 1));
        strcpy(p + (-x - 1), ds);
    }
}

/* The p-digit decimal nearest to a > 0, as m * 10^*exp, from "%.*e"; returns
   the double it reads back as. */
static double nearest_decimal(double a, int p, uint64_t *m, int *exp)
{
    char s[40];
    snprintf(s, sizeof s, "%.*e", p - 1, a);
    const char *c = s;
    for (*m = 0; *c != 'e'; c++) /* "d.ddde+XX" */
        if (*c != '.')
            *m = *m * 10 + (uint64_t)(*c - '0');
    *exp = atoi(c + 1) - (p - 1);
    return strtod(s, NULL);
}

/* Python's repr(d) from the C library, and in *plain_p the smallest precision
   p (1..17) for which snprintf("%.*e", p - 1, d) reads back as d. */
static void ref_repr(double d, char *out, int *plain_p)
{
    double a = fabs(d);
    int neg = signbit(d) != 0;
    uint64_t m;
    int exp;
    if (a == 0) {
        strcpy(out, neg ? "-0.0" : "0.0");
        *plain_p = 1;
        return;
    }
    uint64_t b = bits_of(a);
    if ((b & (((uint64_t)1 << 52) - 1)) != 0 || b >> 52 <= 1) {
        /* The doubles reading back as d lie symmetrically around it, so if
           the nearest p-digit decimal is among them, so is the nearest
           (p+1)-digit one: binary search for the smallest p. */
        int lo = 1, hi = 17;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (nearest_decimal(a, mid, &m, &exp) == a)
                hi = mid;
            else
                lo = mid + 1;
        }
        nearest_decimal(a, lo, &m, &exp);
        spell(neg, m, exp, out);
        *plain_p = lo;
        return;
    }
    /* Significand 2^52: the gap below d is half the gap above, so the nearest
       p-digit decimal can fall outside while the next one towards d fits.
       Walk p up, trying both; repr wants the shortest, then the closest. */
    int found = 0;
    for (int p = 1;; p++) {
        double r = nearest_decimal(a, p, &m, &exp);
        if (r == a) {
            if (!found)
                spell(neg, m, exp, out);
            *plain_p = p;
            return;
        }
        if (!found) {
            char s[40];
            m = r > a ? m - 1 : m + 1;
            snprintf(s, sizeof s, "%" PRIu64 "e%d", m, exp);
            if (strtod(s, NULL) == a) {
                spell(neg, m, exp, out);
                found = 1;
            }
        }
    }
}

/* Significant digits in a decimal: those of the part before any 'e', without
   leading and trailing zeros (at least 1). */
static int significant_digits(const char *s)
{
    int first = -1, last = -1, i = 0;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (*s != '0') {
            if (first < 0)
                first = i;
            last = i;
        }
        i++;
    }
    return first < 0 ? 1 : last - first + 1;
}

static void check_double(double d)
{
    char got[SL_FMT_DOUBLE_MAX + GUARD], want[48], in[64], back_s[96];
    memset(got, 0x7f, sizeof got);
    size_t len = sl_fmt_double(d, got);
    snprintf(in, sizeof in, "%a (%.17g)", d, d);
    checked_doubles++;
    if (!well_terminated(got, len, SL_FMT_DOUBLE_MAX)) {
        got[SL_FMT_DOUBLE_MAX - 1] = '\0';
        fail("length/NUL/overrun", in, got, "len == strlen, nothing written after the NUL");
        return;
    }

    char *end;
    double back = strtod(got, &end);
    if (*end != '\0' || bits_of(back) != bits_of(d)) {
        snprintf(back_s, sizeof back_s, "text reading back as %a, not %a", back, d);
        fail("round trip", in, got, back_s);
    }

    int plain_p;
    ref_repr(d, want, &plain_p);
    int n = significant_digits(got);
    if (n > plain_p) {
        snprintf(back_s, sizeof back_s, "%d digits (%%.%de reads back)", plain_p, plain_p - 1);
        fail("not shortest", in, got, back_s);
    }
    lopsided += n < plain_p;
    if (strcmp(got, want) != 0)
        fail("repr", in, got, want);
}

static void check_double_is(double d, const char *want)
{
    char got[SL_FMT_DOUBLE_MAX], in[64];
    sl_fmt_double(d, got);
    if (strcmp(got, want) != 0) {
        snprintf(in, sizeof in, "%a (%.17g)", d, d);
        fail("vector", in, got, want);
    }
    check_double(d);
}

static void test_double_vectors(void)
{
    static const struct {
        double d;
        const char *want;
    } v[] = {
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {1.0, "1.0"},
        {-1.0, "-1.0"},
        {5.0, "5.0"},
        {100.0, "100.0"},
        {0.87, "0.87"},
        {0.1, "0.1"},
        {0.3, "0.3"},
        {0.1 + 0.2, "0.30000000000000004"},
        {7.6, "7.6"},
        {4.35, "4.35"},
        {-1.5, "-1.5"},
        {123.456, "123.456"},
        {2.0 / 3.0, "0.6666666666666666"},
        {1.0 / 3.0, "0.3333333333333333"},
        {-2.0 / 3.0, "-0.6666666666666666"},
        {0x1.fffffffffffffp-1, "0.9999999999999999"},
        {0x1.0000000000001p+0, "1.0000000000000002"},
        /* around the switch to scientific below 1e-4 */
        {1e-05, "1e-05"},
        {1.5e-05, "1.5e-05"},
        {1.234e-05, "1.234e-05"},
        {9.999e-05, "9.999e-05"},
        {9.9999e-05, "9.9999e-05"},
        {0.0001, "0.0001"},
        {0.00015, "0.00015"},
        {0.0001234, "0.0001234"},
        {1e-07, "1e-07"},
        /* around the switch to scientific at 1e16 */
        {1e15, "1000000000000000.0"},
        {1000000000000000.5, "1000000000000000.5"},
        {1234567890123456.7, "1234567890123456.8"},
        {9999999999999998.0, "9999999999999998.0"},
        {1e16, "1e+16"},
        {-1e16, "-1e+16"},
        {1e17, "1e+17"},
        {1e17 + 16, "1.0000000000000002e+17"},
        {123456789012345680.0, "1.2345678901234568e+17"},
        {0x1p53, "9007199254740992.0"},
        {0x1p53 + 2, "9007199254740994.0"},
        {0x1p63, "9.223372036854776e+18"},
        {1e21, "1e+21"},
        {1e22, "1e+22"},
        {1e23, "1e+23"},
        {1e100, "1e+100"},
        {1e-100, "1e-100"},
        {1e300, "1e+300"},
        {DBL_MAX, "1.7976931348623157e+308"},
        {-DBL_MAX, "-1.7976931348623157e+308"},
        {DBL_MIN, "2.2250738585072014e-308"},
        /* subnormals */
        {0x0.fffffffffffffp-1022, "2.225073858507201e-308"},
        {0x1p-1074, "5e-324"},
        {-0x1p-1074, "-5e-324"},
        {0x1p-1073, "1e-323"},
        {0x3p-1074, "1.5e-323"},
        /* exact ties between two shortest candidates go to the even digit */
        {2199023255552.03125, "2199023255552.0312"},
        {2199023255552.09375, "2199023255552.0938"},
        /* lopsided intervals: the shortest is not the nearest 16-digit decimal */
        {0x1p-1017, "7.120236347223045e-307"},
        {0x1p89, "6.189700196426902e+26"},
        {0x1p976, "6.386688990511104e+293"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check_double_is(v[i].d, v[i].want);
}

/* Every power of ten and its neighbours, and every binary exponent with the
   smallest, second smallest and largest significand (all lopsided intervals,
   subnormal limits, DBL_MIN, DBL_MAX), both signs. */
static void test_double_edges(void)
{
    for (int e = -323; e <= 308; e++) {
        char s[16];
        snprintf(s, sizeof s, "1e%d", e);
        double d = strtod(s, NULL);
        check_double(d);
        check_double(nextafter(d, 0));
        check_double(nextafter(d, INFINITY));
    }
    for (uint64_t biased = 0; biased < 2047; biased++) {
        const uint64_t fracs[] = {0, 1, ((uint64_t)1 << 52) - 1};
        for (int i = 0; i < 3; i++)
            for (uint64_t sign = 0; sign < 2; sign++)
                check_double(double_of(sign << 63 | biased << 52 | fracs[i]));
    }
}

static void test_double_random(long count)
{
    for (long i = 0; i < count; i++) {
        double d;
        switch (i % 4) {
        case 0:
        case 1: /* any finite bit pattern */
            do
                d = double_of(rnd());
            while (!isfinite(d));
            break;
        case 2: /* hundredths, as prices and percentages come */
            d = (double)(rnd() % 1000000000) / 100.0;
            break;
        default: { /* up to 7 digits at a random scale, parsed from text */
            char s[40];
            snprintf(s, sizeof s, "%" PRIu64 "e%d", rnd() % 10000000, (int)(rnd() % 61) - 30);
            d = strtod(s, NULL);
        }
        }
        check_double(d);
    }
}

/* ---- integers ---- */

static void check_u64(uint64_t v)
{
    char got[SL_FMT_INT_MAX + GUARD], want[32];
    memset(got, 0x7f, sizeof got);
    size_t len = sl_fmt_u64(v, got);
    snprintf(want, sizeof want, "%" PRIu64, v);
    checked_ints++;
    if (!well_terminated(got, len, SL_FMT_INT_MAX)) {
        got[SL_FMT_INT_MAX - 1] = '\0';
        fail("u64 length/NUL/overrun", want, got, want);
    } else if (strcmp(got, want) != 0) {
        fail("u64", want, got, want);
    }
}

static void check_i64(int64_t v)
{
    char got[SL_FMT_INT_MAX + GUARD], want[32];
    memset(got, 0x7f, sizeof got);
    size_t len = sl_fmt_i64(v, got);
    snprintf(want, sizeof want, "%" PRId64, v);
    checked_ints++;
    if (!well_terminated(got, len, SL_FMT_INT_MAX)) {
        got[SL_FMT_INT_MAX - 1] = '\0';
        fail("i64 length/NUL/overrun", want, got, want);
    } else if (strcmp(got, want) != 0) {
        fail("i64", want, got, want);
    }
}

static void test_integers(long count)
{
    const int64_t fixed[] = {0, 1, -1, 9, -9, 10, -10, 99, 100, INT64_MIN, INT64_MIN + 1,
                             INT64_MAX};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        check_i64(fixed[i]);
        check_u64((uint64_t)fixed[i]);
    }
    check_u64(UINT64_MAX);
    /* Digit-count boundaries: 10^n - 1, 10^n, 2^n - 1, 2^n. */
    uint64_t p10 = 1;
    for (int n = 0; n < 20; n++, p10 *= 10) {
        check_u64(p10 - 1);
        check_u64(p10);
        if (n < 19) {
            check_i64(-(int64_t)p10 + 1);
            check_i64(-(int64_t)p10);
        }
    }
    for (int n = 0; n < 64; n++) {
        check_u64(((uint64_t)1 << n) - 1);
        check_u64((uint64_t)1 << n);
    }
    for (long i = 0; i < count; i++) {
        uint64_t u = rnd() >> (rnd() % 64); /* every magnitude */
        check_u64(u);
        int64_t v = (int64_t)(u >> 1);
        check_i64(rnd() & 1 ? -v - 1 : v);
    }
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C");
    rng_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 20240601;

    test_double_vectors();
    test_double_edges();
    test_double_random(2000000);
    test_integers(1000000);

    printf("numfmt: %ld doubles (%ld shorter than %%.*e finds), %ld integers, %ld failures\n",
           checked_doubles, lopsided, checked_ints, failures);
    return failures != 0;
}
