/* Assertions of the exporter tests: each failure prints where and what, and the program
 * exits non-zero at the end (EXPECT_DONE). No framework, one main per file. */
#ifndef EXPECT_H
#define EXPECT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int expect_failures;

#define EXPECT(cond)                                                                      \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      fprintf(stderr, "%s:%d: EXPECT(%s) failed\n", __FILE__, __LINE__, #cond);           \
      expect_failures++;                                                                  \
    }                                                                                     \
  } while (0)

/* Bytes as hex, for messages: into a static buffer, shortened past 200 bytes. */
static inline const char *expect_hex(const void *p, size_t n) {
  static char text[2][512];
  static int which;
  char *o = text[which ^= 1];
  size_t k = n > 200 ? 200 : n;
  for (size_t i = 0; i < k; i++) snprintf(o + 2 * i, 3, "%02x", ((const unsigned char *)p)[i]);
  if (k < n) strcpy(o + 2 * k, "...");
  return o;
}

#define EXPECT_BYTES(got, got_len, want, want_len)                                        \
  do {                                                                                    \
    size_t expect_gl = (got_len), expect_wl = (want_len);                                 \
    if (expect_gl != expect_wl || memcmp((got), (want), expect_wl) != 0) {                \
      fprintf(stderr, "%s:%d: bytes differ\n  got:  %s\n  want: %s\n", __FILE__, __LINE__, \
              expect_hex((got), expect_gl), expect_hex((want), expect_wl));               \
      expect_failures++;                                                                  \
    }                                                                                     \
  } while (0)

#define EXPECT_TEXT(got, got_len, want)                                                   \
  do {                                                                                    \
    size_t expect_gl = (got_len);                                                         \
    const char *expect_w = (want);                                                        \
    if (expect_gl != strlen(expect_w) || memcmp((got), expect_w, expect_gl) != 0) {       \
      fprintf(stderr, "%s:%d: text differs\n  got:  %.*s\n  want: %s\n", __FILE__, __LINE__, \
              (int)expect_gl, (const char *)(got), expect_w);                             \
      expect_failures++;                                                                  \
    }                                                                                     \
  } while (0)

#define EXPECT_DONE()                                                                     \
  do {                                                                                    \
    if (expect_failures) fprintf(stderr, "%d failure(s)\n", expect_failures);             \
    return expect_failures ? 1 : 0;                                                       \
  } while (0)

#endif
