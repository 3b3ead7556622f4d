/* Helpers for testing a program that logs with spanlog.
 *
 * A capture sink keeps the rendered lines in memory so that a test can assert on
 * its own program's records. The clock hook makes timestamps reproducible. */
#ifndef SPANLOG_TESTING_H
#define SPANLOG_TESTING_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_capture sl_capture;

/* Adds a sink that keeps every record of min_level or above. Owned by spanlog until
   sl_capture_stop. While a capture runs, the default sink (stdout or SPANLOG_OUTPUT) is
   suspended; when the last capture stops it comes back, unless the application added a
   sink of its own (which stays the only output). */
SL_API sl_capture *sl_capture_start(sl_level min_level);
/* Flushes, then returns how many records the capture holds. */
SL_API size_t sl_capture_count(sl_capture *cap);
/* Flushes, then returns record i as its JSON line (no newline), or NULL past the end.
   Valid until sl_capture_clear or sl_capture_stop. */
SL_API const char *sl_capture_line(sl_capture *cap, size_t i);
/* The value of key in record i as JSON text (a string keeps its quotes and escapes),
   with its length in *len; NULL if record i has no such key. */
SL_API const char *sl_capture_field(sl_capture *cap, size_t i, const char *key, size_t *len);
/* Forgets the records held so far. */
SL_API void sl_capture_clear(sl_capture *cap);
/* Removes the sink and frees it with its records. */
SL_API void sl_capture_stop(sl_capture *cap);

/* Replaces the wall clock of record timestamps: now_ns returns nanoseconds since the
   Unix epoch. NULL restores the system clock. */
SL_API void sl_set_clock(uint64_t (*now_ns)(void));

#ifdef __cplusplus
}
#endif

#endif
