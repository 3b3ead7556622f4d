/* UTF-8 validation by the table of well-formed byte sequences (Unicode 15, table 3-7). */
#ifndef SL_UTF8_H
#define SL_UTF8_H

#include <stddef.h>

#define SL_UTF8_REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Length (1 to 4) of the well-formed sequence at p, or 0 if there is none; then *bad
   is the length of the maximal subpart to replace by one U+FFFD (at least 1). */
static inline size_t sl_utf8_sequence(const unsigned char *p, size_t n, size_t *bad) {
  unsigned c = p[0];
  if (c < 0x80) return 1;
  size_t need;
  unsigned lo = 0x80, hi = 0xBF; /* the range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) need = 2;
  else if (c == 0xE0) need = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC) need = 3;
  else if (c == 0xED) need = 3, hi = 0x9F; /* no surrogates */
  else if (c == 0xEE || c == 0xEF) need = 3;
  else if (c == 0xF0) need = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) need = 4;
  else if (c == 0xF4) need = 4, hi = 0x8F; /* nothing above U+10FFFF */
  else return *bad = 1, 0;
  size_t i = 1;
  if (i < n && p[i] >= lo && p[i] <= hi) {
    for (i = 2; i < need && i < n && (p[i] & 0xC0) == 0x80;) i++;
  }
  if (i == need) return need;
  *bad = i;
  return 0;
}

#endif
