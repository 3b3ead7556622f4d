/* A value of a type spanlog cannot render must not build. */
#include <spanlog.h>
struct point {
  int x, y;
};
int main(void) {
  struct point p = {1, 2};
#ifdef CONTROL
  log_event("moved", "x", p.x);
#else
  log_event("moved", "p", p);
#endif
  return 0;
}
