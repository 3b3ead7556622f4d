/* Integers and doubles as decimal text; see numfmt.h.
 *
 * Doubles use the Schubfach method (Raffaello Giulietti, "The Schubfach way
 * to render doubles", 2020), implemented here from the paper's description:
 *
 * A positive double is c * 2^q. Every real number in its rounding interval R
 * (halfway to each neighbouring double) reads back as that double, so the
 * answer is the decimal in R with the fewest digits, the closest to c * 2^q
 * among those. Scaling R by 10^-k, with k chosen so that R becomes between 1
 * and 10 units long, leaves only a few candidates: the multiple of 10 just
 * below or just above the scaled value (at most one of them fits, since R is
 * shorter than 10), else the integer just below or just above it. One 64x128
 * bit multiply each gives 4 times the scaled value and bounds, rounded to odd
 * (the last bit tells whether anything was cut off), which is all the
 * comparisons with those candidates need to come out exact;
 * build-aux/gen-pow10-table.py proves the table precise enough for every double.
 *
 * Python's repr then takes the digits and decimal exponent: scientific
 * notation when the exponent of the first digit is below -4 or at least 16,
 * otherwise positional with ".0" for whole numbers. */
#include "base/numfmt.h"
#include "base/numfmt_pow10.h"

#include <string.h>

/* gcc and clang on 64-bit targets; __extension__ keeps -Wpedantic quiet. */
__extension__ typedef unsigned __int128 u128;

static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* 10^i, except that entry 0 is 0 so that digits10(0) counts one digit. */
static const uint64_t pow10_u64[20] = {
    0,
    10,
    100,
    1000,
    10000,
    100000,
    1000000,
    10000000,
    100000000,
    1000000000,
    10000000000,
    100000000000,
    1000000000000,
    10000000000000,
    100000000000000,
    1000000000000000,
    10000000000000000,
    100000000000000000,
    1000000000000000000,
    10000000000000000000u,
};

/* Number of decimal digits of v. The bit length times log10(2) (1233/4096)
   gives t with the answer t or t + 1; one comparison decides. */
static int digits10(uint64_t v)
{
    int t = (64 - __builtin_clzll(v | 1)) * 1233 >> 12;
    return t + (v >= pow10_u64[t]);
}

/* Writes the n = digits10(v) digits of v at p, two at a time from the end. */
static void write_digits(char *p, uint64_t v, int n)
{
    p += n;
    while (v >= 100) {
        p -= 2;
        memcpy(p, digit_pairs + v % 100 * 2, 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(p - 2, digit_pairs + v * 2, 2);
    else
        p[-1] = (char)('0' + v);
}

size_t sl_fmt_u64(uint64_t v, char *buf)
{
    int n = digits10(v);
    write_digits(buf, v, n);
    buf[n] = '\0';
    return (size_t)n;
}

size_t sl_fmt_i64(int64_t v, char *buf)
{
    if (v >= 0)
        return sl_fmt_u64((uint64_t)v, buf);
    buf[0] = '-';
    /* Negating in unsigned arithmetic is exact for INT64_MIN too. */
    return 1 + sl_fmt_u64(0 - (uint64_t)v, buf + 1);
}

/* floor(q * log10(2)), floor(log10(3/4 * 2^q)) and floor(e * log2(10)), exact
   for every exponent used (>> of a negative int floors in gcc and clang). */
static int flog10_pow2(int q) { return q * 315653 >> 20; }
static int flog10_three_quarters_pow2(int q) { return (q * 315653 - 131008) >> 20; }
static int flog2_pow10(int e) { return e * 1741647 >> 19; }

#define Q_MIN (-1074)             /* exponent of the subnormals and smallest normals */
#define C_MIN ((uint64_t)1 << 52) /* smallest normal significand */

/* cp * g / 2^128 (4 times a scaled value) rounded down, then made odd if a
   fraction was cut off ("round to odd"): compared with an even integer, that
   gives the same answer as the exact value. The fraction test looks at its
   top 64 bits only: g is rounded up, so an exact product leaves a fraction far
   below 2^-64, and the generator checks that no inexact one that matters is
   that small. */
static uint64_t mul_round_to_odd(const uint64_t g[2], uint64_t cp)
{
    u128 lo = (u128)g[1] * cp;
    u128 hi = (u128)g[0] * cp + (uint64_t)(lo >> 64);
    return (uint64_t)(hi >> 64) | ((uint64_t)hi != 0);
}

/* The shortest decimal f * 10^*exp10 that reads back as c * 2^q (c > 0);
   f may end in zeros. */
static uint64_t shortest(uint64_t c, int q, int *exp10)
{
    /* R in quarter units: c*4 +- 2, but the gap below the smallest normal
       significand of an exponent is half as wide (the exponent below has the
       finer spacing). strtod rounds ties to even, so R includes its ends
       exactly when c is even. */
    uint64_t open = c & 1;
    uint64_t cb = c << 2;
    uint64_t cbl = cb - 2;
    int k = flog10_pow2(q);
    if (c == C_MIN && q != Q_MIN) {
        cbl = cb - 1;
        k = flog10_three_quarters_pow2(q);
    }
    /* Scaled by 10^-k via g ~ 10^-k * 2^(127 - floor(log2 10^-k)); the shift h
       (1 to 4) supplies the remaining power of two. */
    const uint64_t *g = pow10_g[-k - POW10_E_MIN];
    int h = q + flog2_pow10(-k) + 1;
    uint64_t vb = mul_round_to_odd(g, cb << h);
    uint64_t lo = mul_round_to_odd(g, cbl << h) + open;   /* u in R iff lo <= 4u */
    uint64_t hi = mul_round_to_odd(g, (cb + 2) << h) - open; /* and 4u <= hi */
    uint64_t s = vb >> 2;

    *exp10 = k;
    /* A shorter decimal is a multiple of 10 in R. s10 <= v < s10 + 10 (v the
       scaled value), so only R's lower end can exclude s10 and only its upper
       end s10 + 10; R is shorter than 10, so at most one of them fits. */
    uint64_t s10 = s / 10 * 10;
    if (lo <= s10 << 2)
        return s10;
    if ((s10 + 10) << 2 <= hi)
        return s10 + 10;
    /* R is at least 1 long, so it holds s or s + 1. If both, the closer to v
       wins; an exact tie (vb halfway) goes to the even one, as in Python. */
    int s_in = lo <= s << 2;
    int t_in = (s + 1) << 2 <= hi;
    if (s_in && t_in) {
        uint64_t mid = (s << 2) + 2;
        return vb < mid || (vb == mid && (s & 1) == 0) ? s : s + 1;
    }
    return s_in ? s : s + 1;
}

/* f * 10^*e10 with f's trailing zeros moved into the exponent: whole blocks of 8 (at
   most two), then 4, 2, 1. */
static uint64_t strip_zeros(uint64_t f, int *e10)
{
    while (f % 100000000 == 0) {
        f /= 100000000;
        *e10 += 8;
    }
    static const struct { uint64_t div; int digits; } steps[] = {{10000, 4}, {100, 2}, {10, 1}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (f % steps[i].div == 0) {
            f /= steps[i].div;
            *e10 += steps[i].digits;
        }
    }
    return f;
}

/* The n digits of f as d.ddde+XX (x, the exponent of the first digit): digits one place
   right, then the first one moves left over the point. Returns the length. */
static int put_exponent_form(char *p, uint64_t f, int n, int x)
{
    write_digits(p + 1, f, n);
    p[0] = p[1];
    int len = 1;
    if (n > 1) {
        p[1] = '.';
        len = n + 1;
    }
    p[len++] = 'e';
    p[len++] = x < 0 ? '-' : '+';
    unsigned ax = (unsigned)(x < 0 ? -x : x);
    if (ax >= 100) {
        p[len++] = (char)('0' + ax / 100);
        ax %= 100;
    }
    memcpy(p + len, digit_pairs + ax * 2, 2);
    return len + 2;
}

/* f * 10^e10 in positional notation, as Python's repr spells it below 10^16 and from
   10^-4: a whole number with ".0", the point inside the digits, or "0.000ddd". */
static int put_positional(char *p, uint64_t f, int n, int e10)
{
    int x = n - 1 + e10;
    if (e10 >= 0) {
        write_digits(p, f, n);
        memset(p + n, '0', (size_t)e10);
        memcpy(p + n + e10, ".0", 2);
        return n + e10 + 2;
    }
    if (x >= 0) { /* shift the integer part left over the point */
        write_digits(p + 1, f, n);
        memmove(p, p + 1, (size_t)x + 1);
        p[x + 1] = '.';
        return n + 1;
    }
    int zeros = -x - 1;
    memcpy(p, "0.", 2);
    memset(p + 2, '0', (size_t)zeros);
    write_digits(p + 2 + zeros, f, n);
    return 2 + zeros + n;
}

size_t sl_fmt_double(double d, char *buf)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    char *p = buf;
    if (bits >> 63)
        *p++ = '-';
    uint64_t frac = bits & (C_MIN - 1);
    int biased = (int)(bits >> 52 & 0x7ff);
    if (biased == 0 && frac == 0) {
        memcpy(p, "0.0", 4);
        return (size_t)(p - buf) + 3;
    }
    int e10;
    uint64_t f = biased ? shortest(frac | C_MIN, biased - 1075, &e10) : shortest(frac, Q_MIN, &e10);
    f = strip_zeros(f, &e10);
    int n = digits10(f);
    int x = n - 1 + e10; /* exponent of the first digit: d.ddd * 10^x */
    int len = x < -4 || x >= 16 ? put_exponent_form(p, f, n, x) : put_positional(p, f, n, e10);
    p[len] = '\0';
    return (size_t)(p - buf + len);
}
