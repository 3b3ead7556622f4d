/* The test suite's assertions: each failure prints where and both sides, and the
 * program exits non-zero at the end. No framework: one main per file. */
#ifndef CHECK_H
#define CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#ifdef SL_TEST_JANSSON
#include <jansson.h>
#endif

/* CHECK_SANITIZED: built with a sanitizer (which replaces malloc, and whose allocator is
   not fork-safe in the compilers of this machine). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CHECK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define CHECK_SANITIZED 1
#endif
#endif

static int check_failures;
static const char *check_current = "";

#define CHECK(cond)                                                                       \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      fprintf(stderr, "%s:%d: [%s] CHECK(%s) failed\n", __FILE__, __LINE__, check_current, #cond); \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

#define CHECK_INT(a, b)                                                                   \
  do {                                                                                    \
    long long check_a = (long long)(a), check_b = (long long)(b);                         \
    if (check_a != check_b) {                                                             \
      fprintf(stderr, "%s:%d: [%s] %s == %s failed: %lld != %lld\n", __FILE__, __LINE__,  \
              check_current, #a, #b, check_a, check_b);                                   \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

#define CHECK_STR(a, b)                                                                   \
  do {                                                                                    \
    const char *check_a = (a), *check_b = (b);                                            \
    if (!check_a || !check_b || strcmp(check_a, check_b) != 0) {                          \
      fprintf(stderr, "%s:%d: [%s] %s == %s failed:\n  got:  %s\n  want: %s\n", __FILE__, \
              __LINE__, check_current, #a, #b, check_a ? check_a : "(null)",              \
              check_b ? check_b : "(null)");                                              \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

/* The text contains the piece (NULL piece: nothing to check). */
#define CHECK_HAS(text, piece)                                                            \
  do {                                                                                    \
    const char *check_t = (text), *check_p = (piece);                                     \
    if (check_p && (!check_t || !strstr(check_t, check_p))) {                             \
      fprintf(stderr, "%s:%d: [%s] \"%s\" not in:\n  %s\n", __FILE__, __LINE__,           \
              check_current, check_p, check_t ? check_t : "(null)");                      \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

/* CHECK with a message after it: printf-style arguments, e.g. the input that failed. */
#define CHECK_MSG(cond, ...)                                                              \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      fprintf(stderr, "%s:%d: [%s] CHECK(%s) failed: ", __FILE__, __LINE__, check_current, #cond); \
      fprintf(stderr, __VA_ARGS__);                                                       \
      fputc('\n', stderr);                                                                \
      check_failures++;                                                                   \
    }                                                                                     \
  } while (0)

/* A failure the caller has found itself: printf-style arguments say what it is. */
#define FAIL(...)                                                                         \
  do {                                                                                    \
    fprintf(stderr, "%s:%d: [%s] ", __FILE__, __LINE__, check_current);                   \
    fprintf(stderr, __VA_ARGS__);                                                         \
    fputc('\n', stderr);                                                                  \
    check_failures++;                                                                     \
  } while (0)

#define RUN(test)                                                                         \
  do {                                                                                    \
    check_current = #test;                                                                \
    test();                                                                               \
  } while (0)

static inline int check_exit(void) {
  if (check_failures) fprintf(stderr, "%d check(s) failed\n", check_failures);
  return check_failures ? 1 : 0;
}

/* Parses a line with the strict checker; a line that does not parse fails the test. */
static inline jl_doc *check_parse(const char *line, const char *where, int lineno) {
  char err[128];
  jl_doc *d = line ? jl_parse(line, strlen(line), err, sizeof err) : NULL;
  if (!d) {
    fprintf(stderr, "%s:%d: [%s] invalid JSON line (%s): %s\n", where, lineno, check_current,
            line ? err : "no line", line ? line : "");
    check_failures++;
  }
#ifdef SL_TEST_JANSSON
  /* A second, independent judge: jansson's strict parser. */
  json_error_t jerr;
  json_t *j = line ? json_loadb(line, strlen(line), JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr) : NULL;
  if (line && (!j || !json_is_object(j))) {
    fprintf(stderr, "%s:%d: [%s] jansson refuses the line (%s): %s\n", where, lineno, check_current,
            j ? "not an object" : jerr.text, line);
    check_failures++;
  }
  json_decref(j);
#endif
  return d;
}
#define PARSE(line) check_parse((line), __FILE__, __LINE__)

/* The decoded string value of key in d, or NULL (absent or not a string). */
static inline const char *doc_str(const jl_doc *d, const char *key) {
  long i = d ? jl_find(d, key) : -1;
  return i < 0 ? NULL : jl_str(d, (size_t)i, NULL);
}

/* The raw JSON text of key's value as a NUL-terminated copy in buf, or NULL. */
static inline const char *doc_raw(const jl_doc *d, const char *key, char *buf, size_t size) {
  long i = d ? jl_find(d, key) : -1;
  size_t n;
  const char *raw = i < 0 ? NULL : jl_raw(d, (size_t)i, &n);
  if (!raw || n >= size) return NULL;
  memcpy(buf, raw, n);
  buf[n] = 0;
  return buf;
}

/* key's value read as a whole number (strtol on its raw text), or -1 if it is absent
   (or its text longer than 31 characters). */
static inline long doc_long(const jl_doc *d, const char *key) {
  char buf[32];
  const char *raw = doc_raw(d, key, buf, sizeof buf);
  return raw ? strtol(raw, NULL, 10) : -1;
}

/* How many top-level members of d have this key (the strict parser refuses duplicates,
   so this is 0 or 1 for a line that parsed). */
static inline int doc_has(const jl_doc *d, const char *key) { return d && jl_find(d, key) >= 0; }

/* splitmix64: random test input from a fixed seed (in *state), so that a failure
   reproduces. */
static inline uint64_t check_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

#endif
