/* spanlog version and symbol visibility.
 *
 * The macros are the version of the headers a program was compiled with; sl_version() is
 * the version of the library it runs with (a shared library may have been updated since). */
#ifndef SPANLOG_VERSION_H
#define SPANLOG_VERSION_H

#define SPANLOG_VERSION_MAJOR 0
#define SPANLOG_VERSION_MINOR 1
#define SPANLOG_VERSION_PATCH 0
#define SPANLOG_VERSION_STRING "0.1.0"
#define SPANLOG_VERSION_HEX                                                       \
  ((SPANLOG_VERSION_MAJOR << 16) | (SPANLOG_VERSION_MINOR << 8) | SPANLOG_VERSION_PATCH)

#if defined(__GNUC__) || defined(__clang__)
#define SL_API __attribute__((visibility("default")))
#else
#define SL_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH" as in SPANLOG_VERSION_STRING: a static string. */
SL_API const char *sl_version(void);

#ifdef __cplusplus
}
#endif

#endif
