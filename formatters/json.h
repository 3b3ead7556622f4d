/* The JSON lines formatter: a record view in, one line of bytes out. Also the JSON
 * building blocks other formatters and encoders share. */
#ifndef SL_JSON_H
#define SL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json_text.h"
#include "record/record.h"

/* The rendered "YYYY-MM-DDTHH:MM:SS" of the last second seen: records come in bursts
   within one second, so the calendar arithmetic runs once per second. */
typedef struct sl_time_cache {
  int64_t sec;
  int valid;
  char text[32];
} sl_time_cache;

/* Appends the record as one JSON object and '\n'. Returns 0, or -1 if memory ran out
   (the buffer is then as it was). */
int sl_json_render(const sl_record_view *v, sl_time_cache *tc, sl_buf *out);
/* Appends an ended span as one JSON object and '\n' (json_span.c). 0 or -1. */
int sl_json_render_span(const sl_span_view *v, sl_time_cache *tc, sl_buf *out);

/* Appends the timestamp as "2026-03-14T10:42:13.421337Z" (with the quotes). */
int sl_json_put_time(sl_buf *b, uint64_t ts_ns, sl_time_cache *tc);
/* Appends a field's value as JSON text (raw JSON compacted, or a string if invalid). */
int sl_json_put_value(sl_buf *b, const sl_field *f);
/* Appends an array or raw JSON field as compact JSON text; 1 (nothing appended) if the
   raw text is not one JSON value, -1 without memory. */
int sl_json_put_compact(sl_buf *b, const sl_field *f);
/* Appends fields as a JSON object {"key":value,...}. */
int sl_json_put_object(sl_buf *b, const sl_field *fields, size_t n);
/* Appends raw JSON text compacted to one line if it is exactly one valid JSON value;
   otherwise appends nothing and returns 1 (the caller renders it as a string). */
int sl_json_put_raw(sl_buf *b, const char *text, size_t n);

#endif
