#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "spanlog/output.h"

int sl_word_eq(const char *text, size_t len, const char *word) {
  size_t n = strlen(word);
  if (n != len) return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)text[i]) != word[i]) return 0;
  return 1;
}

int sl_parse_bytes(const char *text, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || end == text || text[0] == '-') return -1;
  uint64_t scale = 1;
  if (*end == 'k' || *end == 'K') scale = 1024, end++;
  else if (*end == 'm' || *end == 'M') scale = 1024 * 1024, end++;
  if (*end || v > UINT64_MAX / scale) return -1;
  *out = v * scale;
  return 0;
}

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
