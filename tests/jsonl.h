/* A strict RFC 8259 checker for one JSON-lines record: one line holding one
 * object. It exists so the test suite judges spanlog's output with code that
 * shares nothing with the formatters.
 *
 * Stricter than RFC 8259 where a log line should be: the line must start with
 * '{' and end with its matching '}' (no surrounding whitespace), must not
 * contain a raw newline, and no object at any depth may repeat a key.
 * Nesting is limited to JL_MAX_DEPTH levels, the top-level object included. */
#ifndef JSONL_H
#define JSONL_H

#include <stddef.h>

#define JL_MAX_DEPTH 64

/* Value types; 0 is never a type, jl_type returns it for a bad index. */
enum { JL_STRING = 1, JL_NUMBER, JL_TRUE, JL_FALSE, JL_NULL, JL_OBJECT, JL_ARRAY };

typedef struct jl_doc jl_doc; /* a parsed line; keeps its own copy of it */

/* Parses line[0..len) (without its '\n'). Returns NULL if it is not exactly one
 * valid object, writing "at byte N: reason" into err (if errlen > 0). */
jl_doc *jl_parse(const char *line, size_t len, char *err, size_t errlen);
void jl_free(jl_doc *d);

/* Top-level members in line order; i must be < jl_count (else NULL/0). */
size_t jl_count(const jl_doc *d);
/* Decoded key, NUL-terminated (a key holding \u0000 reads as truncated). */
const char *jl_key(const jl_doc *d, size_t i);
int jl_type(const jl_doc *d, size_t i);
/* The value's text exactly as in the line; not NUL-terminated. */
const char *jl_raw(const jl_doc *d, size_t i, size_t *len);
/* Decoded UTF-8 string value (may hold NUL bytes; also NUL-terminated), or
 * NULL if the value is not a string. */
const char *jl_str(const jl_doc *d, size_t i, size_t *len);
/* Index of the member whose whole key equals key, or -1. */
long jl_find(const jl_doc *d, const char *key);

#endif
