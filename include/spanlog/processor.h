/* Processors: functions that see each record on the backend thread before it is
 * rendered, and may read, add, change or remove its fields, or drop the record — the
 * processor chain of structlog, in C.
 *
 * The chain, in this order, for log records and for span attributes alike:
 *   1. redaction (spanlog/redact.h): key rules, value scrubbers, hashing of identifiers;
 *   2. user processors, in the order they were added;
 *   3. truncation of long values (SPANLOG_MAX_VALUE_BYTES, sl_set_max_value_bytes).
 * Processors run on spanlog's background thread, never on the caller's: they cost the
 * application's threads nothing, and must not block for long or log themselves. */
#ifndef SPANLOG_PROCESSOR_H
#define SPANLOG_PROCESSOR_H

#include <stddef.h>
#include <stdint.h>

#include "fields.h"
#include "log.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A record on its way to the sinks; valid during the processor call only. */
typedef struct sl_record sl_record;

typedef enum sl_verdict { SL_KEEP = 0, SL_DROP = 1 } sl_verdict;
typedef sl_verdict (*sl_processor_fn)(sl_record *rec, void *user);

/* Adds a processor at the end of the user part of the chain; user is passed back to it.
   Returns 0, or -1 without memory. */
SL_API int sl_processor_add(sl_processor_fn fn, void *user);
/* Removes the processor added with this fn and user; records already queued may still
   see it until sl_flush returns. Returns 0, or -1 if there is none. */
SL_API int sl_processor_remove(sl_processor_fn fn, void *user);

/* Cuts string values longer than this many bytes (0: no limit, the default unless
   SPANLOG_MAX_VALUE_BYTES says otherwise), on a UTF-8 character boundary, with a marker
   saying how many bytes were cut: "…[cut 1234 bytes]". */
SL_API void sl_set_max_value_bytes(size_t bytes);

/* ---- reading a record ---- */

typedef enum sl_value_type {
  SL_VALUE_NULL = 0,
  SL_VALUE_INT = 1,    /* int64_t */
  SL_VALUE_UINT = 2,   /* uint64_t */
  SL_VALUE_DOUBLE = 3,
  SL_VALUE_STRING = 4, /* UTF-8 or any bytes; may hold NUL */
  SL_VALUE_BOOL = 5,
  SL_VALUE_JSON = 6,   /* pre-rendered JSON text */
  SL_VALUE_ARRAY = 7   /* read through the formatters only */
} sl_value_type;

/* A span's attributes are its fields; sl_record_event gives the span's name. */
SL_API int sl_record_is_span(const sl_record *r);
SL_API sl_level sl_record_level(const sl_record *r);
SL_API const char *sl_record_event(const sl_record *r, size_t *len);
SL_API const char *sl_record_logger(const sl_record *r, size_t *len);
SL_API size_t sl_record_count(const sl_record *r);
SL_API const char *sl_record_key(const sl_record *r, size_t i, size_t *len);
SL_API sl_value_type sl_record_type(const sl_record *r, size_t i);
/* The value of field i; for the wrong type: NULL, 0, 0.0. */
SL_API const char *sl_record_string(const sl_record *r, size_t i, size_t *len);
SL_API int64_t sl_record_int(const sl_record *r, size_t i);
SL_API uint64_t sl_record_uint(const sl_record *r, size_t i);
SL_API double sl_record_double(const sl_record *r, size_t i);
SL_API int sl_record_bool(const sl_record *r, size_t i);
/* The index of the field with this key, or -1. */
SL_API long sl_record_find(const sl_record *r, const char *key);

/* ---- changing a record (keys and values are copied) ---- */

/* sl_record_set(rec, key, value): sets a field, typed like log fields; an existing key
   takes the new value in place, a new key goes last. Returns 0, or -1 without memory. */
#define sl_record_set(rec, key, value) sl__record_set((rec), SL__ARG(key, value))
SL_API int sl__record_set(sl_record *r, sl_arg value);
/* Removes field i (later fields move up by one). */
SL_API void sl_record_remove(sl_record *r, size_t i);

#ifdef __cplusplus
}
#endif

#endif
