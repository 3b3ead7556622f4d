/* Spans inside the library: what the backend reads of an ended span, and the hooks the
 * runtime calls. */
#ifndef SL_SPAN_INTERNAL_H
#define SL_SPAN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "spanlog/span.h"

/* The trace id of a live span; 0, or -1 if there is none. */
int sl_span_trace_id(const sl_span *h, uint8_t out[16]);
/* Appends one element (JSON text) to the raw-JSON array attribute key of a live span,
   creating the array if the span has none. */
void sl_span_append_json(sl_span *h, const char *key, const char *element, size_t len);

/* Reads the span settings from the environment (limits, sampler, resource, TRACEPARENT). */
void sl_spans_init(void);
/* The calling thread ends: its cached free spans go back to the pool. */
void sl_span_thread_exit(void);
/* Around fork(), called by the runtime's handlers (the pool's lock). */
void sl_spans_fork_prepare(void);
void sl_spans_fork_parent(void);
void sl_spans_fork_child(void);

#endif
