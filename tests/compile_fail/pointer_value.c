/* A pointer other than a string is not a value (its address would be logged). */
#include <spanlog.h>
int main(void) {
  int n = 3;
  int *p = &n;
#ifdef CONTROL
  log_event("count", "n", *p);
#else
  log_event("count", "n", p);
#endif
  return 0;
}
