/* libFuzzer target: the W3C baggage header (src/capture/baggage.c).
 *
 * Input: a baggage header value (up to the first NUL byte). Checked:
 *   - parse refuses the whole header exactly when it is over 8192 bytes; what it keeps is
 *     at most 180 entries, each key a token, no key twice;
 *   - format writes at most 8192 bytes, the same text into a buffer of any size (cut, and
 *     NUL-terminated), and what it writes parses back to the same entries and formats to
 *     the same text (when no entry was left out for the size limit);
 *   - a copy has the same entries; removing every key leaves none.
 * A violation aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/baggage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what) {
  if (ok) return;
  fprintf(stderr, "baggage_fuzz: %s\n", what);
  abort();
}

static int same_text(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

static int same_entries(const sl_bag *a, const sl_bag *b) {
  size_t na = a ? a->n : 0, nb = b ? b->n : 0;
  if (na != nb) return 0;
  for (size_t i = 0; i < na; i++)
    if (!same_text(a->e[i].key, b->e[i].key) || !same_text(a->e[i].value, b->e[i].value) ||
        !same_text(a->e[i].props, b->e[i].props))
      return 0;
  return 1;
}

static void check_entries(const sl_bag *b) {
  check(b->n > 0 && b->n <= SL_BAGGAGE_MAX_MEMBERS, "1 to 180 entries");
  for (size_t i = 0; i < b->n; i++) {
    check(sl_bag_key_valid(b->e[i].key), "every key is a token");
    check(sl_bag_find(b, b->e[i].key) == b->e[i].value, "no key twice");
  }
}

/* Format into buffers of several sizes: the same length, the same prefix. */
static void check_format(const sl_bag *b, const char *full, size_t len) {
  char small[64];
  for (size_t size = 0; size <= sizeof small; size += 7) {
    check(sl_bag_format(b, size ? small : NULL, size) == len, "the same length whatever the buffer");
    if (!size) continue;
    size_t kept = len < size ? len : size - 1;
    check(strlen(small) == kept && memcmp(small, full, kept) == 0, "a short buffer holds the start");
  }
}

static void round_trip(const sl_bag *b) {
  char *text = sl_bag_format_dup(b);
  size_t len = sl_bag_format(b, NULL, 0);
  check(len <= SL_BAGGAGE_MAX_BYTES, "at most 8192 bytes out");
  check(text ? strlen(text) == len : len == 0, "format_dup writes what format measures");
  if (!text) return;
  check_format(b, text, len);
  sl_bag *back = NULL;
  check(sl_bag_parse(text, &back) >= 0, "what format writes parses");
  int all_sent = back && back->n == b->n;
  if (all_sent) check(same_entries(b, back), "parse(format(x)) == x");
  char *again = sl_bag_format_dup(back);
  check(same_text(again, text), "formatting is idempotent");
  free(again);
  sl_bag_free(back);
  free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) return 0;
  if (size) memcpy(text, data, size);
  text[size] = 0;
  sl_bag *b = NULL;
  int n = sl_bag_parse(text, &b);
  check((n < 0) == (strlen(text) > SL_BAGGAGE_MAX_BYTES), "refused exactly when over 8192 bytes");
  check(n <= 0 ? b == NULL : b && (size_t)n == b->n, "the count is the entries'");
  if (b) {
    check_entries(b);
    round_trip(b);
    sl_bag *copy = sl_bag_copy(b);
    check(copy && same_entries(b, copy), "a copy has the same entries");
    while (copy && copy->n) check(sl_bag_remove(copy, copy->e[copy->n - 1].key) == 0, "remove finds the key");
    sl_bag_free(copy);
  }
  sl_bag_free(b);
  free(text);
  return 0;
}
