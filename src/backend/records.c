/* A queued record turned into the view that processors, formatters and exporters see:
 * fields decoded, keys made unique and well-formed, the bound context (redacted once per
 * bind) and the current span's ids joined in, the processors run; then handed on
 * (dispatch.c). Runs with the drain lock held, on the drainer's scratch space. */
#include "backend/records.h"

#include <stdlib.h>
#include <string.h>

#include "backend/dispatch.h"
#include "base/grow.h"
#include "base/process_resource.h"
#include "formatters/json.h"
#include "processors/process.h"
#include "processors/redact.h"
#include "record/queues.h"
#include "record/span_record.h"

/* The drainer's scratch space, reused from record to record. */
static struct {
  sl_field *calls, *out, *tail;
  size_t calls_cap, out_cap, tail_cap;
  sl_field *span_fields; /* a span's attributes, then its events' and links' */
  size_t span_fields_cap;
  sl_span_event *events;
  size_t events_cap;
  sl_span_link *links;
  size_t links_cap;
  sl_arena arena; /* what processors write, for the record at hand */
} d;

static int same_key(const sl_field *a, const sl_field *b) {
  return a->key_len == b->key_len && (!a->key_len || a->key[0] == b->key[0]) &&
         memcmp(a->key, b->key, a->key_len) == 0;
}

static int key_in(const sl_field *f, const sl_field *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (same_key(f, &list[i])) return 1;
  return 0;
}

/* A key's bit of 64, from its length and its first and last bytes: keys of different
   bits differ, so a key is compared only with those that share its bit (few keys,
   mostly none). */
static uint64_t key_bit(const sl_field *f) {
  size_t n = f->key_len;
  uint32_t h = n ? (uint32_t)n ^ (uint32_t)(unsigned char)f->key[0] << 8 ^ (uint32_t)(unsigned char)f->key[n - 1] << 16
                 : 0;
  return (uint64_t)1 << (h * 0x9E3779B1u >> 26);
}

/* Whether two of the n keys may be equal; *bits: the bits of them all. */
static int keys_may_repeat(const sl_field *f, size_t n, uint64_t *bits) {
  uint64_t seen = 0;
  int shared = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t b = key_bit(&f[i]);
    shared |= (seen & b) != 0;
    seen |= b;
  }
  *bits = seen;
  return shared;
}

/* Appends f to d.out[*n] unless its key is among the first `among` there, whose key bits
   are in bits; *seen takes its bit. */
static SL_ALWAYS_INLINE void add_unless_shadowed(const sl_field *f, size_t *n, size_t among, uint64_t bits,
                                                 uint64_t *seen) {
  uint64_t b = key_bit(f);
  if ((bits & b) && key_in(f, d.out, among)) return;
  d.out[(*n)++] = *f;
  *seen |= b;
}

/* The fields of a line: the call's (a key given twice keeps its last value), then the
   bound logger's that no call field shadows (d.calls[ncalls..ncalls+nown)), then the
   context's bound ones that no earlier field shadows; when those may be alike
   (bound_alike), only the first of them. *nhead_p: how many came before the context's.
   Keys are compared as they will be written: renamed and well-formed already. */
static size_t merge_fields(size_t ncalls, size_t nown, const sl_field *bound, size_t nbound, int bound_alike,
                           size_t *nhead_p) {
  size_t n = 0;
  uint64_t seen; /* the bits of the keys in d.out */
  int repeats = keys_may_repeat(d.calls, ncalls, &seen);
  for (size_t i = 0; i < ncalls; i++)
    if (!repeats || !key_in(&d.calls[i], d.calls + i + 1, ncalls - i - 1)) d.out[n++] = d.calls[i];
  for (size_t i = ncalls; i < ncalls + nown; i++) add_unless_shadowed(&d.calls[i], &n, n, seen, &seen);
  size_t nhead = *nhead_p = n;
  uint64_t head = seen;
  for (size_t i = 0; i < nbound; i++)
    add_unless_shadowed(&bound[i], &n, bound_alike ? n : nhead, bound_alike ? seen : head, &seen);
  return n;
}

/* Fields of an encoded list of n, appended to the span's field scratch at *used. */
static const unsigned char *decode_fields(const unsigned char *p, uint32_t n, size_t *used) {
  for (uint32_t i = 0; i < n; i++) p = rec_get_field(p, &d.span_fields[(*used)++]);
  return p;
}

static uint32_t take_u32(const unsigned char **p) {
  uint32_t v = rec_get_u32(*p);
  *p += 4;
  return v;
}

/* What an event and a link end with: [u32 length][text][u32 count][fields]. */
static const unsigned char *take_text_and_fields(const unsigned char *p, const char **text, size_t *len,
                                                 const sl_field **attrs, size_t *nattrs, size_t *used) {
  *len = take_u32(&p);
  *text = (const char *)p;
  p += *len;
  *nattrs = take_u32(&p);
  *attrs = d.span_fields + *used;
  return decode_fields(p, (uint32_t)*nattrs, used);
}

/* Counts the fields of a span record's events or links (each: fixed part, counted
   string, then [u32 count][fields]), so that the scratch is grown once and never moves
   while in use. */
static size_t count_fields(const unsigned char *p, uint32_t n, size_t head) {
  size_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    p += head + 4 + rec_get_u32(p + head); /* the fixed part, the string's length, the string */
    uint32_t k = take_u32(&p);
    total += k;
    for (uint32_t j = 0; j < k; j++) {
      sl_field f;
      p = rec_get_field(p, &f);
    }
  }
  return total;
}

/* The view of a span record: its lists decoded into the drainer's scratch. */
static int view_span(const sl_span_record *r, sl_span_view *v) {
  size_t nfields = r->nattrs + count_fields(r->events, r->nevents, REC_SPAN_EVENT_HEAD) +
                   count_fields(r->links, r->nlinks, REC_SPAN_LINK_HEAD);
  if (sl_grow(&d.span_fields, &d.span_fields_cap, nfields, sizeof *d.span_fields) ||
      sl_grow(&d.events, &d.events_cap, r->nevents, sizeof *d.events) ||
      sl_grow(&d.links, &d.links_cap, r->nlinks, sizeof *d.links))
    return -1;
  size_t used = 0;
  decode_fields(r->attrs, r->nattrs, &used);
  const unsigned char *p = r->events;
  for (uint32_t i = 0; i < r->nevents; i++) {
    sl_span_event *e = &d.events[i];
    memcpy(&e->ts_ns, p, 8);
    p += 8;
    p = take_text_and_fields(p, &e->name, &e->name_len, &e->attrs, &e->nattrs, &used);
  }
  p = r->links;
  for (uint32_t i = 0; i < r->nlinks; i++) {
    sl_span_link *l = &d.links[i];
    memcpy(l->trace_id, p, 16);
    memcpy(l->span_id, p + 16, 8);
    l->flags = p[24];
    p += REC_SPAN_LINK_HEAD; /* ids, flags */
    p = take_text_and_fields(p, &l->trace_state, &l->trace_state_len, &l->attrs, &l->nattrs, &used);
  }
  *v = (sl_span_view){.name = r->name, .name_len = r->name_len, .has_parent = r->has_parent,
                      .parent_remote = r->parent_remote ? SL_PARENT_REMOTE : SL_PARENT_LOCAL,
                      .trace_flags = r->trace_flags, .trace_state = r->trace_state,
                      .trace_state_len = r->trace_state_len, .kind = r->kind,
                      .status = r->status, .status_message = r->status_message, .status_len = r->status_len,
                      .start_ns = r->start_ns, .end_ns = r->end_ns, .duration_ns = r->duration_ns,
                      .attrs = d.span_fields, .nattrs = r->nattrs, .events = d.events, .nevents = r->nevents,
                      .links = d.links, .nlinks = r->nlinks, .dropped_attrs = r->dropped_attrs,
                      .dropped_events = r->dropped_events, .dropped_links = r->dropped_links};
  memcpy(v->trace_id, r->trace_id, 16);
  memcpy(v->span_id, r->span_id, 8);
  memcpy(v->parent_id, r->parent_id, 8);
  v->resource_json = sl_process_resource_json(&v->resource_len);
  return 0;
}

/* Whether the n bytes at k are all ASCII, read a word at a time (the last word, and the
   halves of a short key, overlap rather than read past the key). */
static SL_ALWAYS_INLINE int all_ascii(const char *k, size_t n) {
  uint64_t any = 0, w;
  uint32_t h;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) memcpy(&w, k + i, 8), any |= w;
    memcpy(&w, k + n - 8, 8), any |= w;
  } else if (n >= 4) {
    memcpy(&h, k, 4), any = h;
    memcpy(&h, k + n - 4, 4), any |= h;
  } else if (n) {
    any = (unsigned char)k[0] | (unsigned char)k[n / 2] | (unsigned char)k[n - 1];
  }
  return !(any & 0x8080808080808080u);
}

/* The key made well-formed as the formatters will write it; 1 if it changed. Most keys
   are ASCII, well-formed as they are. */
static SL_ALWAYS_INLINE int make_wellformed(sl_field *f, sl_arena *arena) {
  return all_ascii(f->key, f->key_len) ? 0 : sl_key_make_wellformed(f, arena);
}

/* Keys made well-formed as the formatters will write them, then, if `always` or a key
   changed, of keys that are equal only the last (as a later sl_span_set replaces an
   attribute): a JSON object never holds a key twice. Returns the new count. */
static size_t unique_keys(sl_field *f, size_t n, int always) {
  for (size_t i = 0; i < n; i++) always |= make_wellformed(&f[i], &d.arena);
  uint64_t bits;
  if (!always || !keys_may_repeat(f, n, &bits)) return n;
  size_t out = 0;
  for (size_t i = 0; i < n; i++)
    if (!key_in(&f[i], f + i + 1, n - i - 1)) f[out++] = f[i];
  return out;
}

/* Spans have no level; sinks take them as info. */
void sl_backend_process_span(const unsigned char *rec) {
  sl_span_record r;
  sl_span_view v;
  sl_span_decode(rec + sizeof(rec_hdr), &r);
  if (view_span(&r, &v)) {
    sl_queues_count_lost(1);
    return;
  }
  /* The lists are the drainer's own scratch (the view only reads them as const). An
     event's or a link's attributes come from one call, which may repeat a key. */
  for (size_t i = 0; i < v.nevents; i++) {
    sl_span_event *e = (sl_span_event *)&v.events[i];
    e->nattrs = unique_keys((sl_field *)e->attrs, e->nattrs, 1);
    sl_process_nested((sl_field *)e->attrs, e->nattrs, &d.arena);
  }
  for (size_t i = 0; i < v.nlinks; i++) {
    sl_span_link *l = (sl_span_link *)&v.links[i];
    l->nattrs = unique_keys((sl_field *)l->attrs, l->nattrs, 1);
    sl_process_nested((sl_field *)l->attrs, l->nattrs, &d.arena);
  }
  v.nattrs = unique_keys((sl_field *)v.attrs, v.nattrs, 0);
  sl_redact_text(&v.name, &v.name_len, &d.arena);
  /* cap = n: a processor that adds an attribute moves the list into the arena, away from
     the events' fields that follow it in the scratch */
  sl_record attrs = {1, SL_LEVEL_INFO, v.name, "", v.name_len, 0, (sl_field *)v.attrs, v.nattrs, v.nattrs, &d.arena};
  sl_redact_fields(attrs.fields, attrs.n, &d.arena);
  if (sl_process(&attrs) == SL_KEEP) {
    v.attrs = attrs.fields;
    v.nattrs = attrs.n;
    sl_backend_dispatch(SL_LEVEL_INFO, 1, &v);
    if (sl_backend_has_exporters()) sl_backend_export_span(&v);
  }
  sl_arena_reset(&d.arena);
}

/* Where the log statement is, when records show it: OpenTelemetry's code.* names. */
#define CALLSITE_FIELDS 3

/* While records show their call site, code.file.path, code.line.number and
   code.function.name are the record's own keys: a user key of one of those names is
   renamed with a leading underscore, as sl_rename_reserved does for the others. */
static void rename_location_key(sl_field *f) {
  static const char *const renamed[CALLSITE_FIELDS] = {"_code.file.path", "_code.line.number",
                                                       "_code.function.name"};
  if (f->key_len < 14 || memcmp(f->key, "code.", 5) != 0) return;
  for (int i = 0; i < CALLSITE_FIELDS; i++) {
    if (f->key_len + 1 == strlen(renamed[i]) && memcmp(f->key, renamed[i] + 1, f->key_len) == 0) {
      f->key = renamed[i];
      f->key_len++;
      return;
    }
  }
}

/* The bound fields with location keys renamed: a copy in d.tail (bound_json, its other
   user, is not called for a record that shows its call site). NULL without memory. */
static const sl_field *located_bound(const sl_field *bound, size_t n) {
  if (sl_grow(&d.tail, &d.tail_cap, n, sizeof *d.tail)) return NULL;
  memcpy(d.tail, bound, n * sizeof *d.tail);
  for (size_t i = 0; i < n; i++) rename_location_key(&d.tail[i]);
  return d.tail;
}

static size_t add_location(sl_field *f, size_t n, const sl__location *loc) {
  f[n++] = (sl_field){.key = "code.file.path", .key_len = 14, .type = SL__T_STRN, .str = loc->file,
                      .len = strlen(loc->file)};
  f[n] = (sl_field){.key = "code.line.number", .key_len = 16, .type = SL__T_I64};
  f[n++].v.i = loc->line;
  f[n++] = (sl_field){.key = "code.function.name", .key_len = 18, .type = SL__T_STRN, .str = loc->func,
                      .len = strlen(loc->func)};
  return n;
}

/* Bound fields are redacted once per frame (and again when the settings change), not per
   record: they are the same on every record until the next bind. */
static const sl_field *redacted_bound(sl_ring_consumer *c) {
  uint64_t gen = sl_redact_generation();
  if (c->redacted != gen) {
    sl_arena_reset(&c->arena);
    if (c->nbound) memcpy(c->bound, c->raw, c->nbound * sizeof *c->bound);
    c->bound_alike = 0;
    for (size_t i = 0; i < c->nbound; i++) {
      sl_key_make_wellformed(&c->bound[i], &c->arena);
      sl_rename_reserved(&c->bound[i]);
      c->bound_alike |= key_in(&c->bound[i], c->bound, i);
    }
    sl_redact_fields(c->bound, c->nbound, &c->arena);
    c->redacted = gen;
    c->bound_version++;
  }
  return c->bound;
}

/* The bound fields as the JSON formatter writes them (truncated as sl_process would),
   rendered once per change of them or of the truncation limit. NULL without memory. */
static const sl_buf *bound_json(sl_ring_consumer *c) {
  size_t limit = sl_process_limit();
  if (c->json_version && c->json_version == c->bound_version && c->json_limit == limit) return &c->bound_json;
  c->json_version = 0;
  c->bound_json.len = 0;
  if (sl_grow(&d.tail, &d.tail_cap, c->nbound, sizeof *d.tail)) return NULL;
  memcpy(d.tail, c->bound, c->nbound * sizeof *d.tail);
  sl_process_truncate(d.tail, c->nbound, &c->arena);
  for (size_t i = 0; i < c->nbound; i++)
    if (sl_json_put_key(&c->bound_json, d.tail[i].key, d.tail[i].key_len, 0) ||
        sl_json_put_value(&c->bound_json, &d.tail[i]))
      return NULL;
  c->json_version = c->bound_version;
  c->json_limit = limit;
  return &c->bound_json;
}

void sl_backend_process_log(sl_ring_consumer *c, const unsigned char *rec) {
  rec_hdr h;
  memcpy(&h, rec, sizeof h);
  const unsigned char *p = rec + sizeof h;
  sl_record_view v;
  v.ts_ns = h.ts_ns;
  v.level = h.level;
  v.logger = h.logger ? h.logger->name : "app";
  v.logger_len = h.logger ? h.logger->name_len : 3;
  v.has_span = c->has_span;
  v.internal = 0;
  if (v.has_span) {
    memcpy(v.trace_id, c->trace_id, 16);
    memcpy(v.span_id, c->span_id, 8);
    v.trace_flags = c->trace_flags;
  }
  const char *literal_event;
  memcpy(&literal_event, p, sizeof literal_event);
  p += sizeof literal_event;
  /* Through a bound logger: its fields, decoded after the call's, at the tail's end. */
  uint32_t nown = 0;
  if (h.flags & REC_HAS_BOUND) nown = rec_get_u32(p), p += REC_BOUND_HEAD;
  size_t nfields = (size_t)h.nfields + nown;
  const rec_slot *slots = (const rec_slot *)(const void *)p;
  const unsigned char *tail = (const unsigned char *)(slots + h.nfields);
  int has_event = h.event_len != UINT32_MAX;
  v.event = !has_event ? NULL : h.flags & REC_EVENT_LITERAL ? literal_event : (const char *)tail;
  v.event_len = has_event ? h.event_len : 0;
  if (has_event && !(h.flags & REC_EVENT_LITERAL)) tail += h.event_len;
  if (sl_grow(&d.calls, &d.calls_cap, nfields, sizeof *d.calls) ||
      sl_grow(&d.out, &d.out_cap, nfields + c->nbound + CALLSITE_FIELDS, sizeof *d.out)) {
    sl_queues_count_lost(1);
    return;
  }
  for (uint32_t i = 0; i < h.nfields; i++) rec_get_arg(&slots[i], &tail, &d.calls[i]);
  for (size_t i = h.nfields; i < nfields; i++) tail = rec_get_field(tail, &d.calls[i]);
  for (size_t i = 0; i < nfields; i++) {
    make_wellformed(&d.calls[i], &d.arena);
    sl_rename_reserved(&d.calls[i]);
    if (h.loc) rename_location_key(&d.calls[i]);
  }
  sl_redact_fields(d.calls, nfields, &d.arena);
  size_t nhead; /* the call's fields and the bound logger's */
  const sl_field *bound = redacted_bound(c);
  if (h.loc && c->nbound && !(bound = located_bound(bound, c->nbound))) {
    sl_queues_count_lost(1);
    return;
  }
  sl_record r = {0, v.level, v.event, v.logger, v.event_len, v.logger_len, d.out,
                 merge_fields(h.nfields, nown, bound, c->nbound, c->bound_alike || h.loc, &nhead), d.out_cap,
                 &d.arena};
  /* Every bound field there, last, and no processor to change them: their JSON is the
     same as the last record's. */
  int whole_bound = c->nbound && r.n == nhead + c->nbound && !h.loc && sl_process_is_plain();
  if (h.loc) r.n = add_location(d.out, r.n, h.loc);
  sl_redact_text(&v.event, &v.event_len, &d.arena);
  r.event = v.event, r.event_len = v.event_len;
  if (sl_process(&r) == SL_KEEP) {
    v.fields = r.fields;
    v.nfields = r.n;
    const sl_buf *bound = whole_bound ? bound_json(c) : NULL;
    v.ntail = bound ? c->nbound : 0;
    v.tail_json = bound ? bound->data : NULL;
    v.tail_json_len = bound ? bound->len : 0;
    sl_backend_dispatch(v.level, 0, &v);
    if (sl_backend_has_exporters()) sl_backend_export_log(&v);
  }
  sl_arena_reset(&d.arena);
}

/* A REPLAY record: redacted and processed like a log record, then handed to the
   exporters alone (the replay recorder takes it; sinks never print tool I/O). */
void sl_backend_process_replay(const unsigned char *rec) {
  static const char *const events[] = {"replay.input", "replay.call", "replay.output"};
  rec_hdr h;
  memcpy(&h, rec, sizeof h);
  const unsigned char *p = rec + sizeof h;
  uint32_t what = rec_get_u32(p + 24), n = rec_get_u32(p + 28);
  if (!sl_backend_has_exporters() || what < REC_REPLAY_INPUT || what > REC_REPLAY_OUTPUT) return;
  if (sl_grow(&d.calls, &d.calls_cap, n, sizeof *d.calls)) {
    sl_queues_count_lost(1);
    return;
  }
  sl_record_view v = {.ts_ns = h.ts_ns, .level = SL_LEVEL_INFO, .logger = "spanlog.replay", .logger_len = 14,
                      .event = events[what - 1], .event_len = strlen(events[what - 1]), .has_span = 1,
                      .internal = 1};
  memcpy(v.trace_id, p, 16);
  memcpy(v.span_id, p + 16, 8);
  p += REC_REPLAY_HEAD;
  for (uint32_t i = 0; i < n; i++) p = rec_get_field(p, &d.calls[i]);
  sl_redact_fields(d.calls, n, &d.arena);
  sl_record r = {0, v.level, v.event, v.logger, v.event_len, v.logger_len, d.calls, n, d.calls_cap, &d.arena};
  if (sl_process(&r) == SL_KEEP) {
    v.fields = r.fields;
    v.nfields = r.n;
    sl_backend_export_log(&v);
  }
  sl_arena_reset(&d.arena);
}

/* An IDS record: the span ids of the records that follow on this queue, if any. */
void sl_backend_apply_ids(sl_ring_consumer *c, const unsigned char *rec) {
  rec_hdr h;
  memcpy(&h, rec, sizeof h);
  c->has_span = h.flags & REC_HAS_SPAN;
  if (c->has_span) {
    memcpy(c->trace_id, rec + sizeof h, 16);
    memcpy(c->span_id, rec + sizeof h + 16, 8);
    c->trace_flags = h.reserved;
  }
}

/* A FRAME record: the bound fields of the records that follow on this queue. */
void sl_backend_apply_frame(sl_ring_consumer *c, const unsigned char *rec) {
  rec_hdr h;
  memcpy(&h, rec, sizeof h);
  size_t data = h.size - sizeof h - 8; /* may include padding: only nfields are read */
  size_t cap = c->bound_cap;
  c->frame.len = 0;
  c->nbound = 0;
  c->redacted = 0;
  if (sl_buf_append(&c->frame, rec + sizeof h + 8, data) ||
      sl_grow(&c->raw, &cap, h.nfields, sizeof *c->raw) ||
      sl_grow(&c->bound, &c->bound_cap, h.nfields, sizeof *c->bound)) {
    sl_diag("spanlog: out of memory; records lose their bound fields until the next bind");
    return;
  }
  const unsigned char *p = (const unsigned char *)c->frame.data;
  for (uint32_t i = 0; i < h.nfields; i++) p = rec_get_field(p, &c->raw[i]);
  c->nbound = h.nfields;
}
