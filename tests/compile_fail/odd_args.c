/* A key without a value must not build. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  log_event("searching", "query", "q", "top_k", 5);
#else
  log_event("searching", "query", "q", "top_k");
#endif
  return 0;
}
