/* Helpers for testing a program that logs with spanlog.
 *
 * A capture sink keeps the rendered lines in memory so that a test can assert on
 * its own program's records, as JSON text or parsed (typed fields; spans as spans).
 * The clock hook and a seed for ids make a run reproducible byte for byte. */
#ifndef SPANLOG_TESTING_H
#define SPANLOG_TESTING_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "processor.h"

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

/* ---- Parsed values (structlog's capture_logs) ----
   Record i of a capture parsed with spanlog's own JSON reader: its fields as (key, type,
   value). A pointer returned below (key, string, sl_value) belongs to the capture and is
   valid until sl_capture_clear or sl_capture_stop; the caller frees nothing. */

/* Types are processor.h's sl_value_type: SL_VALUE_INT for an integer that fits int64_t,
   SL_VALUE_UINT for a larger one, SL_VALUE_DOUBLE for any other number (NaN and the
   infinities are written as strings), SL_VALUE_STRING, SL_VALUE_BOOL, SL_VALUE_NULL,
   SL_VALUE_ARRAY, and SL_VALUE_JSON for an object. */

/* A parsed JSON value inside a capture (a record, a field, an element). */
typedef struct sl_value sl_value;

/* Flushes, then returns record i parsed (an object), or NULL past the end. */
SL_API const sl_value *sl_capture_parsed(sl_capture *cap, size_t i);
/* Flushes, then returns how many fields record i has (0 past the end). */
SL_API size_t sl_capture_field_count(sl_capture *cap, size_t i);
/* Field j of record i in line order: its key (owned by the capture), its type in *type
   (if not NULL); NULL past the end (*type untouched then). */
SL_API const char *sl_capture_field_at(sl_capture *cap, size_t i, size_t j, sl_value_type *type);
/* Record i's field key (owned by the capture), or NULL if it has none. */
SL_API const sl_value *sl_capture_get(sl_capture *cap, size_t i, const char *key);
/* Record i's field key as an integer in *out: 0, or -1 if it is not one that fits. */
SL_API int sl_capture_int(sl_capture *cap, size_t i, const char *key, int64_t *out);
/* Record i's field key as a double in *out (an INT converts): 0, or -1 if not a number. */
SL_API int sl_capture_double(sl_capture *cap, size_t i, const char *key, double *out);
/* Record i's field key as a bool in *out (1 or 0): 0, or -1 if it is not SL_VALUE_BOOL. */
SL_API int sl_capture_bool(sl_capture *cap, size_t i, const char *key, int *out);
/* Record i's field key as a string: its decoded bytes, NUL-terminated, the length in
   *len (if not NULL; the bytes may hold NULs); owned by the capture; NULL if no string. */
SL_API const char *sl_capture_string(sl_capture *cap, size_t i, const char *key, size_t *len);
/* Whether record i's field key is JSON null (1) or not (0: another value, or absent). */
SL_API int sl_capture_is_null(sl_capture *cap, size_t i, const char *key);

/* The same on any value: a record, a field (sl_value_get), a span's attributes. A NULL
   value (a field that is not there) fails every typed read and has no members.
   v's type; SL_VALUE_NULL for JSON null and for a NULL v. */
SL_API sl_value_type sl_value_type_of(const sl_value *v);
/* An object's member count or an array's length; 0 otherwise. */
SL_API size_t sl_value_count(const sl_value *v);
/* An object's member j (its key in *key, owned by the capture, if key is not NULL) or an
   array's element j (*key set to NULL); NULL past the end. */
SL_API const sl_value *sl_value_at(const sl_value *v, size_t j, const char **key);
/* An object's member named key, or NULL. */
SL_API const sl_value *sl_value_get(const sl_value *v, const char *key);
/* Typed reads, as the sl_capture_* ones: 0, or -1 if v is not of that type. An integer
   past int64_t fails sl_value_int and is read by sl_value_uint. */
SL_API int sl_value_int(const sl_value *v, int64_t *out);
SL_API int sl_value_uint(const sl_value *v, uint64_t *out);
SL_API int sl_value_double(const sl_value *v, double *out);
SL_API int sl_value_bool(const sl_value *v, int *out);
/* A string's decoded bytes (owned by the capture; length in *len if not NULL), or NULL. */
SL_API const char *sl_value_string(const sl_value *v, size_t *len);
/* v's JSON text as spanlog wrote it, not NUL-terminated (owned by the capture; length in
   *len), or NULL. */
SL_API const char *sl_value_json(const sl_value *v, size_t *len);

/* ---- Spans captured as spans (OpenTelemetry's InMemorySpanExporter) ----
   A capture holds log records and span lines in the order they were written; these
   count and return only the span lines (those with start_time and no event), parsed.
   A span is an object with the keys of a span line, among them name, trace_id, span_id,
   parent_span_id (null for a root), kind, start_time, end_time, duration_ms, status
   ({"code", "message"}), attributes, events ([{name, timestamp, attributes}]), links. */

/* Flushes, then returns how many spans the capture holds. */
SL_API size_t sl_capture_span_count(sl_capture *cap);
/* Span k, in the order spans ended (owned by the capture), or NULL past the end. */
SL_API const sl_value *sl_capture_span(sl_capture *cap, size_t k);
/* The span whose span_id is span_id (lower-case hex), or NULL. */
SL_API const sl_value *sl_capture_span_by_id(sl_capture *cap, const char *span_id);
/* Whether record i is a span line (1) or a log record (0; also past the end). */
SL_API int sl_capture_is_span(sl_capture *cap, size_t i);

/* ---- Deterministic runs (test mode) ---- */

/* Replaces the wall clock: now_ns returns nanoseconds since the Unix epoch. It drives
   record timestamps, span event timestamps, and span start, end and duration (set it
   before the spans it should time start). NULL restores the system clocks. */
SL_API void sl_set_clock(uint64_t (*now_ns)(void));
/* Makes trace and span ids a fixed sequence of seed, from its start, as
   SPANLOG_ID_SEED=<decimal> does from the start of the process (this call wins over
   the variable). Ids stay non-zero; a forked child continues on a sequence of its own,
   reproducible too. The sequence counts the ids of every thread in the order they are
   made: only a program that makes them in a fixed order gets the same ids every run. */
SL_API void sl_set_id_seed(uint64_t seed);
/* Back to random ids (the default). */
SL_API void sl_set_random_ids(void);

#ifdef __cplusplus
}
#endif

#endif
