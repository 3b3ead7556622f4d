/* The library's version: the header's macros, as built into the library. meson.build refuses
   to configure when they differ from the project's version. */
#include "spanlog/version.h"

const char *sl_version(void) { return SPANLOG_VERSION_STRING; }
