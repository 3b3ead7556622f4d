/* A small strict JSON parser (RFC 8259) for one line at a time.
 *
 * The parser builds a read-only tree in an arena that the caller resets between lines.
 * It never trusts its input: strings must be valid UTF-8 (no overlong forms, no
 * surrogates, nothing past U+10FFFF), \u escapes must pair their surrogates, control
 * characters must be escaped, nesting is bounded, and nothing may follow the value. */
#ifndef TREE_JSON_H
#define TREE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jmember jmember;
typedef struct jval jval;

struct jval {
  jtype type;
  uint32_t n;           /* bytes of a string or number text, items of an array or object */
  union {
    const char *s;      /* string (decoded, not NUL-terminated) or number text */
    jval *items;        /* array */
    jmember *members;   /* object, in input order */
  } u;
};

struct jmember {
  const char *key;
  uint32_t klen;
  jval val;
};

typedef struct arena arena;

/* The parser's memory: an arena for the tree and scratch stacks for containers. */
typedef struct jparser {
  arena *mem;
  jval *vstack;
  size_t vlen, vcap;
  jmember *mstack;
  size_t mlen, mcap;
} jparser;

void jparser_init(jparser *p);
void jparser_free(jparser *p);
/* Parses text[0..len) as one JSON value; text[len] must be readable (any byte).
 * Returns the root, or NULL when the text is not strict JSON. The tree lives until
 * the next call. */
const jval *json_parse(jparser *p, const char *text, size_t len);

/* Lookups that treat a missing key and a value of another type alike (NULL / false). */
const jval *jget(const jval *obj, const char *key);
bool jstr(const jval *v, const char **s, size_t *n);
bool jstr_eq(const jval *v, const char *lit);
bool jnum(const jval *v, double *out);
/* An integer given as a JSON number or as a decimal string (OTLP writes int64 as strings). */
bool jint(const jval *v, int64_t *out);

/* Allocation from the parser's arena, for values derived while a line is handled. */
void *jalloc(jparser *p, size_t n);

#endif
