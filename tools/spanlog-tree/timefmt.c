/* Civil-date arithmetic on the proleptic Gregorian calendar, no libc time zone state. */
#include <stdint.h>
#include "timefmt.h"

#include <stdio.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static bool digits(const char *s, size_t n, unsigned *out) {
  unsigned v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  *out = v;
  return true;
}

static bool parse_offset(const char *s, size_t n, int64_t *secs) {
  unsigned hh, mm;
  if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
    *secs = 0;
    return true;
  }
  if (n != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || !digits(s + 1, 2, &hh) ||
      !digits(s + 4, 2, &mm) || hh > 23 || mm > 59)
    return false;
  *secs = (int64_t)(hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
  return true;
}

bool time_parse_iso(const char *s, size_t n, int64_t *ns) {
  unsigned y, mo, d, h, mi, se, frac = 0;
  size_t i = 19, fd = 0;
  int64_t off;
  if (n < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
      !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s + 11, 2, &h) ||
      s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  if (s[i] == '.') {
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, fd++)
      if (fd < 9) frac = frac * 10 + (unsigned)(s[i] - '0');
    if (!fd) return false;
    for (size_t k = fd; k < 9; k++) frac *= 10;
  }
  if (!parse_offset(s + i, n - i, &off)) return false;
  int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
  /* Nanoseconds in 64 bits reach the years 1677 to 2262: a time outside is not one a
     trace holds, and the line is refused rather than wrapped around. */
  if (secs > INT64_MAX / 1000000000 - 1 || secs < INT64_MIN / 1000000000 + 1) return false;
  *ns = secs * 1000000000 + frac;
  return true;
}

static void split(int64_t ns, int64_t *days, unsigned *sod, unsigned *us) {
  int64_t secs = ns >= 0 ? ns / 1000000000 : -((-ns + 999999999) / 1000000000);
  int64_t rem = ns - secs * 1000000000;
  *days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  *sod = (unsigned)(secs - *days * 86400);
  *us = (unsigned)(rem / 1000);
}

void time_format_iso(int64_t ns, char out[40]) {
  int64_t days;
  unsigned sod, us, m, d;
  int y;
  split(ns, &days, &sod, &us);
  civil_from_days(days, &y, &m, &d);
  snprintf(out, 40, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ", (unsigned)(y < 0 ? 0 : y % 10000), m % 100, d % 100, sod / 3600,
           sod / 60 % 60, sod % 60, us % 1000000);
}

void time_format_clock(int64_t ns, char out[24]) {
  int64_t days;
  unsigned sod, us;
  split(ns, &days, &sod, &us);
  snprintf(out, 24, "%02u:%02u:%02u.%06u", sod / 3600, sod / 60 % 60, sod % 60, us % 1000000);
}

double time_ns_between(int64_t from, int64_t to) {
  int64_t d;
  return __builtin_sub_overflow(to, from, &d) ? (double)to - (double)from : (double)d;
}

double time_ms_between(int64_t from, int64_t to) {
  int64_t d;
  if (__builtin_sub_overflow(to, from, &d)) return time_ns_between(from, to) / 1e6;
  return (double)(d / 1000) / 1000.0;
}

int64_t time_plus_ms(int64_t t, double ms) {
  double ns = ms * 1e6;
  int64_t sum;
  if (!(ns < 9e18) || __builtin_add_overflow(t, (int64_t)ns, &sum)) return INT64_MAX;
  return sum;
}
