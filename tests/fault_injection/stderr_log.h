/* spanlog's reports on stderr, for the fault-injection tests: stderr goes into a file
 * while the cases run, and the loss counts spanlog reports are read back from it (when
 * a sink works again, "N records were lost", and when a failing sink is removed). */
#ifndef STDERR_LOG_H
#define STDERR_LOG_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testfiles.h"

static char stderr_log_path[512];
static int stderr_log_saved = -1;
static size_t stderr_log_seen;

/* From now on, stderr goes to a file in the temporary directory: 0, or -1. */
static inline int stderr_log_start(void) {
  in_dir(stderr_log_path, sizeof stderr_log_path, "stderr");
  int fd = open(stderr_log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  stderr_log_saved = dup(2);
  if (fd < 0 || stderr_log_saved < 0 || dup2(fd, 2) < 0) return -1;
  close(fd);
  return 0;
}

/* Lines written to stderr since the last call that hold `piece`; *lost (may be NULL):
   the records they report lost ("... N records were lost"). */
static inline long stderr_log_lines(const char *piece, long *lost) {
  text t = read_text(stderr_log_path);
  long n = 0;
  if (lost) *lost = 0;
  for (size_t i = stderr_log_seen; i < t.n; i++) {
    if (!strstr(t.line[i], piece)) continue;
    n++;
    const char *p = strstr(t.line[i], " records were lost");
    if (lost && p) {
      while (p > t.line[i] && p[-1] >= '0' && p[-1] <= '9') p--;
      *lost += strtol(p, NULL, 10);
    }
  }
  stderr_log_seen = t.n;
  text_free(&t);
  return n;
}

/* Back to the real stderr, with what went to the file copied there (for the test log). */
static inline void stderr_log_stop(void) {
  dup2(stderr_log_saved, 2);
  text e = read_text(stderr_log_path);
  for (size_t i = 0; i < e.n; i++) fprintf(stderr, "%s\n", e.line[i]);
  text_free(&e);
}

#endif
