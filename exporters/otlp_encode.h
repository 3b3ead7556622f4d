/* OTLP encoders: one span or one log record at a time, in protobuf or OTLP/JSON, then a
 * batch of them wrapped into an export request body.
 *
 * The split follows the pipeline: the backend encodes each item once while its view is
 * alive (the view's memory is reused right after); the exporter thread later wraps a
 * batch of encoded items into one ExportTraceServiceRequest / ExportLogsServiceRequest.
 * Pure functions: no state, no locks, nothing but the output buffer is written.
 *
 * Field numbers and the JSON rules: SPEC-NOTES §3 (PROTO trace.proto, logs.proto,
 * common.proto; docs/specification.md "JSON Protobuf Encoding").
 *
 * Value mapping (sl_field type → AnyValue):
 *   I64 → int_value; U64 → int_value up to INT64_MAX, above it string_value with the
 *   decimal digits (int_value is int64; a string keeps the value exact, as the Go log
 *   bridges do); F64 → double_value (JSON: NaN, Infinity, -Infinity as strings, as
 *   proto3 JSON spells them); BOOL → bool_value; STR, STRN → string_value, invalid UTF-8
 *   replaced by U+FFFD per maximal invalid subpart; NULL → an AnyValue with no member;
 *   STRS/INTS/DOUBLES/BOOLS → array_value (a NULL string element: an empty AnyValue);
 *   RAW (and jansson values, which arrive as RAW) → parsed: object → kvlist_value, array
 *   → array_value, string → string_value, true/false → bool_value, null → empty, a number
 *   without fraction or exponent that fits int64 → int_value, any other number →
 *   double_value. Text that is not exactly one JSON value (RFC 8259, nesting up to 128)
 *   becomes string_value of the text itself. */
#ifndef SL_OTLP_ENCODE_H
#define SL_OTLP_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/resource.h"
#include "record/record.h"

typedef enum sl_otlp_format { SL_OTLP_PROTOBUF = 0, SL_OTLP_JSON = 1 } sl_otlp_format;

/* What a log record needs that sl_record_view does not carry. NULL means all unknown. */
typedef struct sl_otlp_log_extra {
  uint64_t observed_ns; /* when the pipeline saw the record; 0: the record's time */
  int trace_flags;      /* W3C trace flags of the record's span, or -1 unknown (omitted) */
  const char *event_name; /* makes the record an Event (e.g. gen_ai.evaluation.result); NULL: none */
  size_t event_name_len;
} sl_otlp_log_extra;

/* Appends one OTLP Span: protobuf, the bytes of a `Span` message (no tag, no length);
   JSON, one `{…}` object. Span.flags is the view's W3C trace flags with sampled set (an
   exported span is sampled), plus 0x100 when the parent's remoteness is known and 0x200
   when it is remote; a link's flags are its W3C flags (none when 0). The kind is OTLP's,
   spanlog's + 1; the status message only when there is one.
   Returns 0, or -1 when memory ran out (out is then as it was). */
int sl_otlp_encode_span(const sl_span_view *v, sl_otlp_format fmt, sl_buf *out);

/* Appends one OTLP LogRecord: time and observed time, severity number (debug 5, info 9,
   warning 13, error 17, critical 21; other levels by range) and text ("debug" …
   "critical", spanlog's names), body = the event as string_value (none without an
   event), attributes = every field of the view (tail_json is ignored), trace and span
   ids when the record has a span, flags and event_name from extra.
   The logger name is not in the item: it is the instrumentation scope (see
   sl_otlp_item), as OpenTelemetry's log bridges make it. 0 or -1. */
int sl_otlp_encode_log(const sl_record_view *v, const sl_otlp_log_extra *extra, sl_otlp_format fmt, sl_buf *out);

/* One encoded item of a batch, in the format of the request it goes into. */
typedef struct sl_otlp_item {
  const void *data; /* what sl_otlp_encode_span/_log appended */
  size_t len;
  /* The InstrumentationScope name of the item: a log record's logger name. NULL or
     empty: the request's default scope. Items of the same scope share one ScopeSpans /
     ScopeLogs, in the order of their first item; items keep their order within it. */
  const char *scope;
  size_t scope_len;
} sl_otlp_item;

/* The request's default scope, e.g. {"spanlog", SPANLOG_VERSION_STRING}; version may be
   NULL. Scopes named by items have no version. */
typedef struct sl_otlp_scope {
  const char *name;
  const char *version;
} sl_otlp_scope;

/* Appends an ExportTraceServiceRequest (protobuf bytes or one OTLP/JSON object, no
   newline) with one ResourceSpans of resource (NULL: none) holding the n items.
   Protobuf lengths are computed, not patched: the items are copied once.
   0, or -1 when memory ran out or n is 0 (senders SHOULD NOT send empty requests);
   out is then as it was. */
int sl_otlp_traces_request(const sl_resource *resource, const sl_otlp_scope *scope, const sl_otlp_item *items,
                           size_t n, sl_otlp_format fmt, sl_buf *out);
/* The same for log records: an ExportLogsServiceRequest. */
int sl_otlp_logs_request(const sl_resource *resource, const sl_otlp_scope *scope, const sl_otlp_item *items,
                         size_t n, sl_otlp_format fmt, sl_buf *out);

/* Appends one AnyValue for the field's value (the mapping above): protobuf, the bytes
   of an `AnyValue` message; JSON, its `{…}` object. For tests and the fuzz target. 0 or -1. */
int sl_otlp_encode_value(const sl_field *f, sl_otlp_format fmt, sl_buf *out);

#endif
