/* log_bind takes pairs too. */
#include <spanlog.h>
int main(void) {
#ifdef CONTROL
  log_bind("user_id", "u1");
#else
  log_bind("user_id");
#endif
  return 0;
}
