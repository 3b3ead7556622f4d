/* The strict JSON reader of recordings: what it accepts, what it refuses, canonical and
 * compact text, and equality with the "[REDACTED]" wildcard. */
#include <stdlib.h>
#include <string.h>

#include "base/json_read.h"
#include "../check.h"

static char *canonical(const char *text) {
  sl_json *v = sl_json_parse(text, strlen(text), NULL);
  sl_buf b = {0};
  if (!v || sl_json_write_canonical(v, &b) || sl_buf_append(&b, "", 1)) {
    sl_json_free(v);
    sl_buf_free(&b);
    return NULL;
  }
  sl_json_free(v);
  return b.data;
}

static void accepts(void) {
  static const char *const good[] = {"0", "-0.5e+10", "\"\\u00e9\\ud83d\\ude00\"", "[]", "{}", " [1, {\"a\":null}] ",
                                     "true", "\"caf\xc3\xa9\""};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    sl_json *v = sl_json_parse(good[i], strlen(good[i]), NULL);
    if (!v) fprintf(stderr, "refused: %s\n", good[i]);
    CHECK(v != NULL);
    CHECK(sl_json_skip(good[i], good[i] + strlen(good[i])) != NULL);
    sl_json_free(v);
  }
}

static void refuses(void) {
  static const char *const bad[] = {"",       "01",       "[1,]",         "{\"a\":1,}", "\"\x01\"", "\"\\x\"",
                                    "\"\\ud800\"", "\"\xff\"", "{\"a\" 1}",    "[1] 2",      "nul",     "1.",
                                    "-",      "{1:2}",    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *why = NULL;
    sl_json *v = sl_json_parse(bad[i], strlen(bad[i]), &why);
    if (v) fprintf(stderr, "accepted: %s\n", bad[i]);
    CHECK(v == NULL && why != NULL);
    sl_json_free(v);
  }
}

static void canonical_text(void) {
  char *c = canonical(" { \"b\" : [ 1 , 2 ], \"a\" : { \"y\":1, \"x\":\"\\u0041\" } } ");
  CHECK_STR(c, "{\"a\":{\"x\":\"A\",\"y\":1},\"b\":[1,2]}");
  free(c);
}

static void equality(void) {
  sl_json *a = sl_json_parse("{\"k\":\"sk-1\",\"n\":[1,2]}", 22, NULL);
  sl_json *b = sl_json_parse("{\"n\":[1,2],\"k\":\"[REDACTED]\"}", 28, NULL);
  sl_json *c = sl_json_parse("{\"n\":[2,1],\"k\":\"sk-1\"}", 22, NULL);
  CHECK(sl_json_equal(a, b, "[REDACTED]"));
  CHECK(!sl_json_equal(a, b, NULL));
  CHECK(!sl_json_equal(a, c, "[REDACTED]"));
  sl_json_free(a), sl_json_free(b), sl_json_free(c);
}

int main(void) {
  accepts();
  refuses();
  canonical_text();
  equality();
  return check_exit();
}
