#!/usr/bin/env python3
"""Writes src/base/numfmt_pow10.h, the table of scaled powers of ten that
sl_fmt_double (numfmt.c) multiplies by, with exact integer arithmetic:

    g(e) = floor(10^e * 2^(127 - floor(log2 10^e))) + 1,   e in [-292, 324]

as {high, low} 64-bit halves. Run from the project root:
    python3 src/base/gen_pow10_table.py > src/base/numfmt_pow10.h
tests/meson.build runs it with --check, so the committed table and this
definition cannot drift apart."""

import sys

E_MIN, E_MAX = -292, 324


def floor_log2_pow10(e):
    """floor(log2(10^e)), exactly: for e < 0, 10^-e is never a power of two, so
    floor(-log2(10^-e)) = -ceil(log2(10^-e)) = -bit_length(10^-e)."""
    return (10 ** e).bit_length() - 1 if e >= 0 else -(10 ** -e).bit_length()


def g(e):
    s = 127 - floor_log2_pow10(e)
    if e >= 0:
        v = (10 ** e) << s if s >= 0 else (10 ** e) >> -s
    else:
        v = (1 << s) // (10 ** -e)
    return v + 1


def table():
    out = ["/* The scaled powers of ten of sl_fmt_double (numfmt.c), written by",
           "   src/base/gen_pow10_table.py: g(e) = floor(10^e * 2^(127 - floor(log2 10^e))) + 1",
           "   as {high, low} halves, for e in [POW10_E_MIN, POW10_E_MIN + 616]. */",
           "#ifndef SL_NUMFMT_POW10_H",
           "#define SL_NUMFMT_POW10_H",
           "",
           "#include <stdint.h>",
           "",
           "#define POW10_E_MIN (%d)" % E_MIN,
           "",
           "static const uint64_t pow10_g[%d][2] = {" % (E_MAX - E_MIN + 1)]
    for e in range(E_MIN, E_MAX + 1):
        v = g(e)
        assert v >> 128 == 0 and v >> 127 == 1, e
        out.append("    {0x%016x, 0x%016x}, /* 1e%d */" % (v >> 64, v & (2 ** 64 - 1), e))
    out += ["};", "", "#endif", ""]
    return "\n".join(out)


if __name__ == "__main__":
    text = table()
    if sys.argv[1:2] == ["--check"]:
        with open(sys.argv[2]) as f:
            if f.read() != text:
                sys.exit("%s differs from what gen_pow10_table.py writes" % sys.argv[2])
        print("%s: %d powers of ten, all as defined" % (sys.argv[2], E_MAX - E_MIN + 1))
    else:
        sys.stdout.write(text)
