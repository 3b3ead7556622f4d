#include "lifecycle/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "base/parse.h"
#include "spanlog/output.h"

/* The smallest queue SPANLOG_QUEUE_BYTES may ask for (sl_set_queue_bytes's floor too). */
#define SL_MIN_QUEUE_BYTES 4096

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
  /* A queue smaller than a few records would make every producer wait on every record:
     surely a typo (a missing k), so it is refused rather than rounded up. */
  if (sl_parse_bytes(v, &n) == 0 && n >= SL_MIN_QUEUE_BYTES) sl_set_queue_bytes((size_t)n);
  else
    sl_diag("spanlog: ignoring SPANLOG_QUEUE_BYTES=%s (expected a byte count of at least %d, such as 262144 or 256k)",
            v, SL_MIN_QUEUE_BYTES);
}

static void callsite_from_env(void) {
  const char *v = getenv("SPANLOG_CALLSITE");
  if (!v || !*v) return;
  int on = sl_parse_bool(v, strlen(v));
  if (on >= 0) sl_set_callsite(on);
  else sl_diag("spanlog: ignoring SPANLOG_CALLSITE=%s (expected 1, true, yes, on, or 0, false, no, off)", v);
}

void sl_config_from_env(void) {
  callsite_from_env();
  overflow_from_env();
  queue_from_env();
}
