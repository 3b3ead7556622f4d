/* The capture sink: keeps rendered JSON lines in memory, for a program's own tests. The
 * public API (spanlog/testing.h) is lifecycle/testing.c; everything here runs with the
 * drain lock held. */
#ifndef SL_MEMORY_SINK_H
#define SL_MEMORY_SINK_H

#include <stddef.h>

#include "base/json_read.h"
#include "sinks/sink.h"
#include "spanlog/testing.h"

struct sl_capture {
  sl_sink *sink;
  char **lines; /* NUL-terminated copies, without the newline */
  size_t *lens;
  size_t n, cap;
  sl_json **parsed; /* line i parsed, when asked for (else NULL); cap entries */
  size_t *spans;    /* the indexes of the span lines among lines [0, scanned) */
  size_t nspans, spans_cap, scanned;
};

/* A capture and its sink (cap->sink, not linked yet), or NULL with errno set. */
sl_capture *sl_memory_capture_new(int min_level);
/* Line i's value of key as JSON text (not NUL-terminated, its length in *len), or NULL. */
const char *sl_memory_capture_field(const sl_capture *cap, size_t i, const char *key, size_t *len);
/* Line i parsed (kept until cleared), or NULL past the end, without memory, or if the
   line is not JSON. */
const sl_json *sl_memory_capture_parsed(sl_capture *cap, size_t i);
/* Whether a parsed line is a span's: it has start_time and no event. */
int sl_memory_capture_is_span(const sl_json *line);
/* How many span lines the capture holds, their indexes in cap->spans: 0.., or -1 without
   memory. */
long sl_memory_capture_find_spans(sl_capture *cap);
/* Forgets every line kept. */
void sl_memory_capture_clear(sl_capture *cap);
/* Frees the capture (its sink is freed by sl_sink_unlink_free). */
void sl_memory_capture_free(sl_capture *cap);

#endif
