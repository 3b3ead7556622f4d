/* libFuzzer target: the strict JSON reader (src/base/json_read.c) that reads tool I/O
 * recordings back for replay, files that may have been edited or damaged by hand.
 *
 * Checked: the parser and the validator without a tree (sl_json_skip) agree on what is one
 * JSON value; a parsed value written compact parses again to the same compact text, equal
 * to the first by sl_json_equal (but see round_trip), with the same canonical text; every decoded string and
 * key is well-formed UTF-8 (lone surrogates refused); and the tree is freed whole (ASan). A
 * violation aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_read.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what) {
  if (ok) return;
  fprintf(stderr, "json_read_fuzz: %s\n", what);
  abort();
}

static int utf8_ok(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    size_t bad, len = sl_utf8_sequence(u + i, n - i, &bad);
    if (!len) return 0;
    i += len;
  }
  return 1;
}

static void check_strings(const sl_json *v, int depth) {
  check(depth <= SL_JSON_MAX_DEPTH + 1, "nesting within the limit");
  if (v->type == SL_JSON_STRING) check(utf8_ok(v->str, v->len), "strings are well-formed UTF-8");
  if (v->key) check(utf8_ok(v->key, v->key_len), "keys are well-formed UTF-8");
  for (size_t i = 0; i < v->n; i++) check_strings(&v->items[i], depth + 1);
}

/* Whether an object at any depth holds a key twice. */
static int has_duplicate_key(const sl_json *v) {
  for (size_t i = 0; i < v->n; i++) {
    if (has_duplicate_key(&v->items[i])) return 1;
    const sl_json *a = &v->items[i];
    for (size_t k = 0; v->type == SL_JSON_OBJECT && k < i; k++)
      if (v->items[k].key_len == a->key_len && memcmp(v->items[k].key, a->key, a->key_len) == 0) return 1;
  }
  return 0;
}

static int only_space(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p == end;
}

static void round_trip(const sl_json *v) {
  sl_buf a = {0}, b = {0}, ca = {0}, cb = {0};
  check(sl_json_write_compact(v, &a) == 0 && sl_json_write_canonical(v, &ca) == 0, "writes");
  sl_json *w = sl_json_parse(a.data, a.len, NULL);
  check(w != NULL, "what is written parses");
  check(sl_json_write_compact(w, &b) == 0 && sl_json_write_canonical(w, &cb) == 0, "writes again");
  check(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "compact text is stable");
  check(ca.len == cb.len && memcmp(ca.data, cb.data, ca.len) == 0, "canonical text is stable");
  /* sl_json_equal compares objects as sets of members by their first occurrence, so an
     object that holds a key twice is not even equal to itself (reported, not yet
     decided): such values are left out of this check until it is. */
  if (!has_duplicate_key(v)) check(sl_json_equal(v, w, NULL) && sl_json_equal(w, v, NULL), "equal to what it was");
  sl_json_free(w);
  sl_buf_free(&a), sl_buf_free(&b), sl_buf_free(&ca), sl_buf_free(&cb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data, *error = NULL;
  sl_json *v = sl_json_parse(text, size, &error);
  const char *end = sl_json_skip(text, text + size);
  check((v != NULL) == (end != NULL && only_space(end, text + size)), "the parser and the validator agree");
  check(v != NULL || error != NULL, "a refusal says why");
  if (!v) return 0;
  check_strings(v, 0);
  round_trip(v);
  sl_json_free(v);
  return 0;
}
