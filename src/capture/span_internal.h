/* Spans inside the library: what the backend reads of an ended span, and the hooks the
 * runtime calls. */
#ifndef SL_SPAN_INTERNAL_H
#define SL_SPAN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "spanlog/span.h"

/* A queued SPAN record's payload, read in place. Encoded lists use the queue's field
   encoding (record.h); an event is [u64 ns][u32 name length][name][u32 count][fields], a
   link [16 trace id][8 span id][u8 flags][u32 count][fields]. The backend decodes the
   lists into the sl_span_view that processors and formatters see. */
typedef struct sl_span_record {
  const char *name;
  size_t name_len;
  uint8_t trace_id[16], span_id[8], parent_id[8];
  int has_parent;
  int kind;
  int status;
  const char *status_message;
  size_t status_len;
  uint64_t start_ns, end_ns, duration_ns;
  const unsigned char *attrs, *events, *links;
  uint32_t nattrs, nevents, nlinks;
  uint32_t dropped_attrs, dropped_events, dropped_links;
} sl_span_record;

void sl_span_decode(const unsigned char *payload, sl_span_record *r);
/* The resource of span lines, rendered once: {"service.name":...}. */
const char *sl_span_resource_json(size_t *len);

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
