/* The console formatter: a readable line for a developer's terminal, in the manner of
 * structlog's ConsoleRenderer. Not meant to be parsed back: use JSON or logfmt for that.
 *
 *   2026-03-14T10:42:13.421Z [info     ] searching                      [agent] query=Q3 invoices top_k=5 user_id=u_8821 trace_id=8f3c2e1a span_id=a0b1c2d3
 *
 * - the time in UTC with milliseconds; the level in brackets, padded to 9 characters;
 *   the event padded to 30 characters (structlog's widths), so that what follows lines up;
 *   the logger in brackets; the record's fields as key=value in their order.
 * - values: strings as they are (no quotes); numbers as in JSON (NaN, Infinity and
 *   -Infinity bare); true / false; null; arrays and raw JSON as their compact JSON text
 *   (raw text that is not one JSON value as a plain string, as in the JSON line).
 * - trace_id and span_id come last, cut to their first 8 hex digits: a prefix of the full
 *   id, enough to tell traces apart on a screen and to grep the JSON or logfmt logs by.
 * - nothing from the application can reach the terminal as a control: in keys, values,
 *   the event, the logger and span names, every control character is shown escaped — \n
 *   \r \t, the other C0 characters and DEL as \xNN (ESC as \x1b), C1 (U+0080..U+009F) as
 *   \u0080..\u009f — as are U+2028/U+2029 (line ends to some programs) and the bidi
 *   embedding, override and isolate controls (U+202A..U+202E, U+2066..U+2069, which
 *   reorder what follows them on screen); a backslash is shown as \\ so that an escape
 *   cannot be faked; invalid UTF-8 becomes U+FFFD. One record is one line.
 *
 * Spans, one line each, at the span's start time:
 *   2026-03-14T10:42:13.421Z [span     ] chat claude-sonnet-4-5         688.1 ms ok kind=client gen_ai.usage.input_tokens=2341 events=["retry"] links=1 trace_id=8f3c2e1a span_id=a0b1c2d3 parent_span_id=0f1e2d3c
 * the name padded like an event; the duration; the status (ok, error, nothing when
 * unset); kind= unless internal; status_message= for an error; the attributes; events as
 * the JSON array of their names and links as their count, when there are any; dropped
 * counts when non-zero; the ids last. An attribute named like one of these keys is shown
 * as _name.
 *
 * With color non-zero: the time dim, the level coloured as structlog does (debug and info
 * green, warning yellow, error red, critical bold red; spans magenta), the event bold, the
 * logger blue, keys dim, the ids dim, the status green (ok) or red (error). With color
 * zero the line holds no escape sequence at all. Whether to colour (a terminal, NO_COLOR)
 * is the caller's decision. */
#ifndef SL_CONSOLE_H
#define SL_CONSOLE_H

#include "formatters/json.h"

/* Appends the record as one console line and '\n'. Returns 0, or -1 if memory ran out
   (the buffer is then as it was). */
int sl_console_render(const sl_record_view *v, sl_time_cache *tc, int color, sl_buf *out);
/* Appends an ended span as one console line and '\n'. 0 or -1, as above. */
int sl_console_render_span(const sl_span_view *v, sl_time_cache *tc, int color, sl_buf *out);

#endif
