/* SL_BOOLS reads bool elements. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  bool seen[] = {true, false};
#else
  int seen[] = {1, 0};
#endif
  log_event("seen", "flags", SL_BOOLS(seen, 2));
  return 0;
}
