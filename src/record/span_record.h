/* The SPAN record: an ended span as it travels in a queue, and its decoding.
 *
 * Payload: [rec_span_wire][name][status message][tracestate][attributes][events][links].
 * Encoded lists use the queue's field encoding (record.h). Events and links are alike: a
 * fixed part, a counted string, then [u32 count][fields]. An event is [u64 ns][u32 name
 * length][name][u32 count][fields], a link [16 trace id][8 span id][u8 flags][u32
 * tracestate length][tracestate][u32 count][fields]. The backend decodes the lists into
 * the sl_span_view that processors, formatters and exporters see. */
#ifndef SL_SPAN_RECORD_H
#define SL_SPAN_RECORD_H

#include <stddef.h>
#include <stdint.h>

/* The fixed part, written in place by the capture side (the payload is 8-aligned). */
typedef struct rec_span_wire {
  uint8_t trace_id[16], span_id[8], parent_id[8];
  uint8_t parent, kind, status, trace_flags; /* parent: REC_SPAN_* below; W3C flags */
  uint32_t nattrs, nevents, nlinks, dropped_attrs, dropped_events, dropped_links;
  uint32_t name_len, status_len, attrs_len, events_len, links_len;
  uint32_t trace_state_len; /* the span's W3C tracestate, 0 if none */
  uint64_t start_ns, duration_ns;
} rec_span_wire;

/* The fixed part before the counted string of an event and of a link. */
enum { REC_SPAN_EVENT_HEAD = 8, REC_SPAN_LINK_HEAD = 25 };

/* A span's parent on the wire: none, a span of this process, or one of another. */
enum { REC_SPAN_ROOT = 0, REC_SPAN_LOCAL_PARENT = 1, REC_SPAN_REMOTE_PARENT = 2 };

typedef struct sl_span_record {
  const char *name;
  size_t name_len;
  uint8_t trace_id[16], span_id[8], parent_id[8];
  int has_parent;
  int parent_remote; /* the parent is of another process */
  uint8_t trace_flags;
  const char *trace_state;
  size_t trace_state_len;
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

#endif
