#include "lifecycle/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "base/common.h"
#include "base/parse.h"
#include "spanlog/log.h"
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

/* The logger whose level decides whether span lines are written: one no level rule
   names (unless a user names it), so it has the default level of SPANLOG_LEVEL. */
#define SPAN_LINES_LOGGER "spanlog.spans"
static sl_logger *span_lines_logger;

/* SPANLOG_LEVEL=off silences span lines as it silences log records; the exporters still
   get the spans. Asked on the backend's thread for each span: one atomic load. */
static int span_lines_wanted(void) {
  return !span_lines_logger || sl_logger_level(span_lines_logger) != SL_LEVEL_OFF;
}

void sl_config_from_env(void) {
  span_lines_logger = sl_logger_get(SPAN_LINES_LOGGER);
  sl_backend_set_span_lines(span_lines_wanted);
  callsite_from_env();
  overflow_from_env();
  queue_from_env();
}
