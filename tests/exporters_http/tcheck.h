/* Assertions for the exporter transport tests: each failure prints where and both sides;
 * the program exits non-zero at the end. */
#ifndef TCHECK_H
#define TCHECK_H

#include <stdio.h>
#include <string.h>

static int tc_failures;
static const char *tc_case = "";

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      fprintf(stderr, "%s:%d: [%s] CHECK(%s) failed\n", __FILE__, __LINE__, tc_case,     \
              #cond);                                                                    \
      tc_failures++;                                                                     \
    }                                                                                    \
  } while (0)

#define CHECK_INT(a, b)                                                                  \
  do {                                                                                   \
    long long tc_a = (long long)(a), tc_b = (long long)(b);                              \
    if (tc_a != tc_b) {                                                                  \
      fprintf(stderr, "%s:%d: [%s] %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, \
              tc_case, #a, #b, tc_a, tc_b);                                              \
      tc_failures++;                                                                     \
    }                                                                                    \
  } while (0)

#define CHECK_STR(a, b)                                                                  \
  do {                                                                                   \
    const char *tc_a = (a), *tc_b = (b);                                                 \
    if (!tc_a || !tc_b || strcmp(tc_a, tc_b) != 0) {                                     \
      fprintf(stderr, "%s:%d: [%s] %s == %s failed:\n  got:  %s\n  want: %s\n", __FILE__, \
              __LINE__, tc_case, #a, #b, tc_a ? tc_a : "(null)", tc_b ? tc_b : "(null)");  \
      tc_failures++;                                                                     \
    }                                                                                    \
  } while (0)

/* The text contains the piece (NULL piece: nothing to check). */
#define CHECK_HAS(text, piece)                                                           \
  do {                                                                                   \
    const char *tc_t = (text), *tc_p = (piece);                                          \
    if (tc_p && (!tc_t || !strstr(tc_t, tc_p))) {                                        \
      fprintf(stderr, "%s:%d: [%s] \"%s\" not in:\n  %s\n", __FILE__, __LINE__, tc_case,  \
              tc_p, tc_t ? tc_t : "(null)");                                             \
      tc_failures++;                                                                     \
    }                                                                                    \
  } while (0)

#define RUN(test)                                                                        \
  do {                                                                                   \
    tc_case = #test;                                                                     \
    test();                                                                              \
  } while (0)

static inline int tc_exit(void) {
  if (tc_failures) fprintf(stderr, "%d check(s) failed\n", tc_failures);
  return tc_failures ? 1 : 0;
}

#endif
