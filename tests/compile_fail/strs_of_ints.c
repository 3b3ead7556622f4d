/* SL_STRS reads strings. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  const char *tags[] = {"a", "b"};
#else
  int64_t tags[] = {1, 2};
#endif
  log_event("tagged", "tags", SL_STRS(tags, 2));
  return 0;
}
