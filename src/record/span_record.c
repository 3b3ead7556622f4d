#include "record/span_record.h"

#include <string.h>

void sl_span_decode(const unsigned char *p, sl_span_record *v) {
  rec_span_wire w;
  memcpy(&w, p, sizeof w);
  p += sizeof w;
  memcpy(v->trace_id, w.trace_id, 16);
  memcpy(v->span_id, w.span_id, 8);
  memcpy(v->parent_id, w.parent_id, 8);
  v->has_parent = w.parent != REC_SPAN_ROOT;
  v->parent_remote = w.parent == REC_SPAN_REMOTE_PARENT;
  v->trace_flags = w.trace_flags;
  v->kind = w.kind;
  v->status = w.status;
  v->start_ns = w.start_ns;
  v->duration_ns = w.duration_ns;
  v->end_ns = w.start_ns + w.duration_ns;
  v->nattrs = w.nattrs, v->nevents = w.nevents, v->nlinks = w.nlinks;
  v->dropped_attrs = w.dropped_attrs, v->dropped_events = w.dropped_events, v->dropped_links = w.dropped_links;
  v->name = (const char *)p, v->name_len = w.name_len, p += w.name_len;
  v->status_message = (const char *)p, v->status_len = w.status_len, p += w.status_len;
  v->trace_state = (const char *)p, v->trace_state_len = w.trace_state_len, p += w.trace_state_len;
  v->attrs = p, p += w.attrs_len;
  v->events = p, p += w.events_len;
  v->links = p;
}
