/* Deriving a bound logger takes pairs too. */
#include <spanlog.h>
int main(void) {
  sl_bound *log = log_with("request_id", "r1");
#ifdef CONTROL
  sl_bound *child = sl_bound_with(log, "tool", "search");
#else
  sl_bound *child = sl_bound_with(log, "tool");
#endif
  sl_bound_free(child);
  sl_bound_free(log);
  return 0;
}
