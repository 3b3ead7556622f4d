/* SL_DOUBLES reads double elements: a float array would be read as the wrong type. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  double scores[] = {0.5, 0.25};
#else
  float scores[] = {0.5f, 0.25f};
#endif
  log_event("ranked", "scores", SL_DOUBLES(scores, 2));
  return 0;
}
