/* A log call needs an event. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  log_event("started");
#else
  log_event();
#endif
  return 0;
}
