#include "lifecycle/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "base/parse.h"
#include "spanlog/output.h"

static void overflow_from_env(void) {
  const char *v = getenv("SPANLOG_OVERFLOW");
  if (!v || !*v) return;
  if (sl_word_eq(v, strlen(v), "block")) sl_set_overflow(SL_OVERFLOW_BLOCK);
  else if (sl_word_eq(v, strlen(v), "drop")) sl_set_overflow(SL_OVERFLOW_DROP);
  else sl_diag("spanlog: ignoring SPANLOG_OVERFLOW=%s (expected block or drop)", v);
}

static void queue_from_env(void) {
  const char *v = getenv("SPANLOG_QUEUE_BYTES");
  uint64_t n;
  if (!v || !*v) return;
  if (sl_parse_bytes(v, &n) == 0) sl_set_queue_bytes((size_t)n);
  else sl_diag("spanlog: ignoring SPANLOG_QUEUE_BYTES=%s (expected a byte count such as 262144 or 256k)", v);
}

static void callsite_from_env(void) {
  const char *v = getenv("SPANLOG_CALLSITE");
  if (!v || !*v) return;
  size_t n = strlen(v);
  if (sl_word_eq(v, n, "1") || sl_word_eq(v, n, "true")) sl_set_callsite(1);
  else if (!sl_word_eq(v, n, "0") && !sl_word_eq(v, n, "false"))
    sl_diag("spanlog: ignoring SPANLOG_CALLSITE=%s (expected 1 or 0)", v);
}

void sl_config_from_env(void) {
  callsite_from_env();
  overflow_from_env();
  queue_from_env();
}
