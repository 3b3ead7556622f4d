/* Parsers of the small values that settings are made of. */
#ifndef SL_PARSE_H
#define SL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parses a byte count such as "65536", "64k", "1M": decimal digits first (no space, no
   sign), then an optional k or M; returns 0, or -1 for anything else or past 2^64-1. */
int sl_parse_bytes(const char *text, uint64_t *out);

/* Case-insensitive comparison of text[0..len) with the NUL-terminated word. */
int sl_word_eq(const char *text, size_t len, const char *word);

/* A switch's value, case-insensitive: 1 for 1/true/yes/on, 0 for 0/false/no/off, else -1. */
int sl_parse_bool(const char *text, size_t len);

/* A number as JSON writes it ('.' as the decimal point whatever the program's locale),
   read by strtod in the C locale; text ends at its NUL. */
double sl_parse_c_double(const char *text);

#endif
