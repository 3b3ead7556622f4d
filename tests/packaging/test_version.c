/* sl_version(), the version macros and the project's version (meson.build, passed in as
   PROJECT_VERSION) are one version. */
#include <stdio.h>

#include <spanlog.h>

#include "check.h"

int main(void) {
  char from_numbers[32];
  snprintf(from_numbers, sizeof from_numbers, "%d.%d.%d", SPANLOG_VERSION_MAJOR,
           SPANLOG_VERSION_MINOR, SPANLOG_VERSION_PATCH);
  CHECK_STR(sl_version(), PROJECT_VERSION);
  CHECK_STR(SPANLOG_VERSION_STRING, PROJECT_VERSION);
  CHECK_STR(from_numbers, PROJECT_VERSION);
  CHECK_INT(SPANLOG_VERSION_HEX,
            (SPANLOG_VERSION_MAJOR << 16) | (SPANLOG_VERSION_MINOR << 8) | SPANLOG_VERSION_PATCH);
  return check_exit();
}
