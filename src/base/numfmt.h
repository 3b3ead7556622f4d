/* Numbers as JSON text: exact decimal integers, and finite doubles as the
 * shortest decimal that reads back to the same double, spelled exactly as
 * Python's repr(float) spells it ("5.0", "0.0001", "1e-05", "1e+16", "-0.0").
 * No locale, no allocation, no libc formatting.
 *
 * Every function writes its text followed by a NUL into buf, which must have
 * room for the matching *_MAX bytes, and returns the length without the NUL. */
#ifndef SPANLOG_NUMFMT_H
#define SPANLOG_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

/* Longest double text is 24 characters ("-2.2250738585072014e-308"), plus NUL. */
#define SL_FMT_DOUBLE_MAX 32
/* Longest integer text is 20 characters ("-9223372036854775808"), plus NUL. */
#define SL_FMT_INT_MAX 21

size_t sl_fmt_i64(int64_t v, char *buf);
size_t sl_fmt_u64(uint64_t v, char *buf);
/* d must be finite (the caller renders NaN and infinities). */
size_t sl_fmt_double(double d, char *buf);

#endif
