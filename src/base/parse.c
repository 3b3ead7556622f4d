#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strtod_l, newlocale */
#endif
#include "base/parse.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int sl_word_eq(const char *text, size_t len, const char *word) {
  size_t n = strlen(word);
  if (n != len) return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)text[i]) != word[i]) return 0;
  return 1;
}

int sl_parse_bytes(const char *text, uint64_t *out) {
  char *end;
  /* strtoull alone would take leading spaces and a sign, and negate: " -1" is 2^64-1. */
  if (!isdigit((unsigned char)text[0])) return -1;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno) return -1;
  uint64_t scale = 1;
  if (*end == 'k' || *end == 'K') scale = 1024, end++;
  else if (*end == 'm' || *end == 'M') scale = 1024 * 1024, end++;
  if (*end || v > UINT64_MAX / scale) return -1;
  *out = v * scale;
  return 0;
}

int sl_parse_bool(const char *text, size_t len) {
  static const char *const yes[] = {"1", "true", "yes", "on"}, *const no[] = {"0", "false", "no", "off"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    if (sl_word_eq(text, len, yes[i])) return 1;
    if (sl_word_eq(text, len, no[i])) return 0;
  }
  return -1;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

double sl_parse_c_double(const char *text) {
  pthread_once(&c_locale_once, make_c_locale);
  return c_locale ? strtod_l(text, NULL, c_locale) : strtod(text, NULL);
}
