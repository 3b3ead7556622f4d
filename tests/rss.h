/* The resident set size of the calling process, in KiB (VmRSS of /proc/self/status); -1
 * where it cannot be read. For the soak run, the export benchmark and the export test,
 * which watch memory over time. */
#ifndef SL_TESTS_RSS_H
#define SL_TESTS_RSS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline long rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0) kb = strtol(line + 6, NULL, 10);
  if (f) fclose(f);
  return kb;
}

#endif
