/* Keys are strings. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  log_event("e", "k", 1);
#else
  log_event("e", 42, 1);
#endif
  return 0;
}
