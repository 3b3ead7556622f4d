/* SL_INTS reads int64_t elements: an int array would be read as the wrong type. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  int64_t ids[] = {1, 2, 3};
#else
  int ids[] = {1, 2, 3};
#endif
  log_event("batch", "ids", SL_INTS(ids, 3));
  return 0;
}
