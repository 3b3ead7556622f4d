/* A span needs a name. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  sl_span *s = sl_span_start("work");
#else
  sl_span *s = sl_span_start();
#endif
  sl_span_end(s);
  return 0;
}
