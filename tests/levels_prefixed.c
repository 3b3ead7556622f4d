/* A code base with its own log_error: SPANLOG_NO_SHORT_NAMES keeps spanlog out of the
   way and the sl_-prefixed twins do the work. */
#define SPANLOG_NO_SHORT_NAMES
#include <spanlog.h>

int log_error(const char *msg);
void prefixed_calls(void);

int log_error(const char *msg) { return msg != 0; }

void prefixed_calls(void) {
  sl_log_bind("prefixed", 1);
  sl_log_warning("prefixed warning", "own_log_error", log_error("x"));
  sl_log_unbind("prefixed");
  sl_log_error("prefixed error");
  sl_log_clear();
}
