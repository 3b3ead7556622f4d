/* A record through a bound logger takes pairs after its event. */
#include <spanlog.h>
int main(void) {
  sl_bound *log = log_with("request_id", "r1");
#ifdef CONTROL
  sl_bound_info(log, "searching", "query", "q");
#else
  sl_bound_info(log, "searching", "query");
#endif
  sl_bound_free(log);
  return 0;
}
