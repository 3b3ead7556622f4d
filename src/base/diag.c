#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "base/common.h"

void sl_diag(const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n > sizeof msg - 2) n = (int)sizeof msg - 2;
  msg[n++] = '\n';
  ssize_t w = write(2, msg, (size_t)n);
  (void)w; /* nowhere left to report a failing stderr */
}
