/* The logfmt formatter: a record view in, one line of key=value pairs out.
 *
 * A log record has the keys and the order of the JSON line:
 *   timestamp=2026-03-14T10:42:13.421337Z level=info logger=agent event=searching
 *   query="Q3 invoices" top_k=5 score=0.87 user_id=u_8821 trace_id=8f3c…6e span_id=a0b1…78
 * (one line; the record's fields, then trace_id and span_id when a span is current).
 *
 * Values:
 * - strings stand bare when made only of letters, digits and -._:/@+ (ASCII); otherwise,
 *   and when empty or reading `null` (which would read as no value or as null), they are
 *   double-quoted with \" \\ \n \r \t, every other control character (C0, DEL, C1) and
 *   U+2028/U+2029 as \uXXXX (as JSON and go-logfmt readers decode them); invalid UTF-8
 *   becomes U+FFFD. A line never holds a raw control character.
 * - numbers as in JSON (exact integers, the shortest double); NaN, Infinity and -Infinity
 *   bare; bools true / false; null as bare `null`.
 * - arrays and raw JSON: their compact JSON text, written like a string (so arrays and
 *   objects are quoted: tags="[\"a\",\"b\"]"; a raw scalar such as 5 stands bare). Raw
 *   text that is not one JSON value is a plain string, as in the JSON line.
 * Keys are written by the same rule: bare when safe, otherwise quoted (`"my key"=1`,
 * `""=1` for an empty key) — never altered, so no key can turn into another one.
 *
 * A span (the JSON span line's data, less end_time and the resource):
 *   span="chat claude-sonnet-4-5" trace_id=… span_id=… parent_span_id=…|null kind=client
 *   start_time=2026-03-14T10:42:13.421337Z duration_ms=688.1 status=error
 *   status_message="…" <attributes> events="[\"name\",…]" links=1 dropped_…_count=N
 * status_message only for an error with a message; events as the JSON array of their
 * names, links as their count, both only when there are some; dropped counts only when
 * non-zero. An attribute named like one of these keys gets a leading underscore
 * (`_status`), as the record's own keys do, so it cannot pass for the span's own. */
#ifndef SL_LOGFMT_H
#define SL_LOGFMT_H

#include "formatters/json.h"

/* Appends the record as one logfmt line and '\n'. Returns 0, or -1 if memory ran out
   (the buffer is then as it was). */
int sl_logfmt_render(const sl_record_view *v, sl_time_cache *tc, sl_buf *out);
/* Appends an ended span as one logfmt line and '\n'. 0 or -1, as above. */
int sl_logfmt_render_span(const sl_span_view *v, sl_time_cache *tc, sl_buf *out);

#endif
