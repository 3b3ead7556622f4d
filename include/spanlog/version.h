/* spanlog version and symbol visibility. */
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

#endif
