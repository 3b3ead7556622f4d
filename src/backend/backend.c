/* The backend: drains every thread's queue in timestamp order, turns each record into a
 * view with unique keys, renders it and hands the bytes to the sinks. One drainer at a
 * time (the drain lock): the backend thread, or after shutdown a producer. */
#include "backend/backend.h"

#include <linux/membarrier.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/locks.h"
#include "base/process_resource.h"
#include "base/thread.h"
#include "exporters/exporter.h"
#include "exporters/otlp_exporter.h"
#include "formatters/console.h"
#include "formatters/json.h"
#include "formatters/logfmt.h"
#include "processors/process.h"
#include "processors/redact.h"
#include "record/queues.h"
#include "record/span_record.h"
#include "sinks/sink.h"
#include "sinks/writer.h"

/* What the drainer knows of one queue. */
typedef struct sl_ring_consumer {
  uint64_t pos;   /* next record to read */
  uint64_t limit; /* committed when the pass began */
  sl_buf frame;   /* the bound fields announced last, encoded */
  sl_field *raw;   /* ... decoded, pointing into frame */
  sl_field *bound; /* ... and redacted: what records get */
  size_t nbound, bound_cap;
  sl_arena arena;  /* the redacted values */
  uint64_t redacted; /* the redaction generation of `bound`; 0: to do */
  uint64_t bound_version; /* counts the changes of `bound` */
  int bound_alike;        /* two keys of `bound` came out equal (renamed, bad UTF-8 made good) */
  sl_buf bound_json;      /* `bound` as the JSON formatter writes it, ",\"k\":v..." */
  uint64_t json_version;  /* the bound_version it was rendered from; 0: none */
  size_t json_limit;      /* ... and the truncation limit */
  int has_span;           /* the span ids announced last (an IDS record), if any */
  uint8_t trace_id[16], span_id[8], trace_flags;
} sl_ring_consumer;

/* The drainer's scratch space, reused from record to record. */
static struct {
  sl_ring **rings;
  size_t rings_cap;
  size_t attached; /* queues with a consumer state: d.rings has room for all of them */
  sl_field *calls, *out, *tail;
  size_t calls_cap, out_cap, tail_cap;
  sl_field *span_fields; /* a span's attributes, then its events' and links' */
  size_t span_fields_cap;
  sl_span_event *events;
  size_t events_cap;
  sl_span_link *links;
  size_t links_cap;
  sl_buf lines[8]; /* a record rendered per (format, colour) */
  sl_arena arena; /* what processors write, for the record at hand */
  sl_time_cache time;
  uint64_t dropped_reported;
} d;

static int grow(void *arrayp, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : 16;
  while (n < need) n *= 2;
  void *p = realloc(*(void **)arrayp, n * elem);
  if (!p) return -1;
  *(void **)arrayp = p;
  *cap = n;
  return 0;
}

static int same_key(const sl_field *a, const sl_field *b) {
  return a->key_len == b->key_len && (!a->key_len || a->key[0] == b->key[0]) &&
         memcmp(a->key, b->key, a->key_len) == 0;
}

static int key_in(const sl_field *f, const sl_field *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (same_key(f, &list[i])) return 1;
  return 0;
}

/* The fields of a line: the call's (a key given twice keeps its last value), then the
   bound ones that no call field shadows; when bound keys may be alike (bound_alike),
   only the first of those. *ncall_out: how many of the call's. Keys are compared as
   they will be written: renamed and well-formed already. */
static size_t merge_fields(size_t ncalls, const sl_field *bound, size_t nbound, int bound_alike,
                           size_t *ncall_out_p) {
  size_t n = 0;
  for (size_t i = 0; i < ncalls; i++)
    if (!key_in(&d.calls[i], d.calls + i + 1, ncalls - i - 1)) d.out[n++] = d.calls[i];
  size_t ncall_out = *ncall_out_p = n;
  for (size_t i = 0; i < nbound; i++)
    if (!key_in(&bound[i], d.out, bound_alike ? n : ncall_out)) d.out[n++] = bound[i];
  return n;
}

/* The formatters, by sink format and kind of record. */
typedef int (*render_fn)(const void *item, int color, sl_time_cache *tc, sl_buf *out);

static int json_log(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  (void)color;
  return sl_json_render(v, tc, out);
}
static int json_span(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  (void)color;
  return sl_json_render_span(v, tc, out);
}
static int logfmt_log(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  (void)color;
  return sl_logfmt_render(v, tc, out);
}
static int logfmt_span(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  (void)color;
  return sl_logfmt_render_span(v, tc, out);
}
static int console_log(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  return sl_console_render(v, tc, color, out);
}
static int console_span(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  return sl_console_render_span(v, tc, color, out);
}

/* [format][0 log, 1 span] */
static const render_fn renderers[4][2] = {{json_log, json_span},
                                          {json_log, json_span},
                                          {logfmt_log, logfmt_span},
                                          {console_log, console_span}};

/* Renders a record once per format (and colour) that a sink wants, and hands the lines
   to the sinks that take its level. The first sink of a format gets the line rendered
   straight into its batch; the others copy it from there. */
static void dispatch(int level, int is_span, const void *item) {
  int done = 0; /* bit (format * 2 + color): rendered, at line[...] */
  const char *line[8];
  size_t len[8];
  uint64_t lost = 0;
  for (sl_sink *s = sl_sinks; s; s = s->next) {
    if (level < s->min_level) continue;
    int slot = (s->format & 3) * 2 + (s->color != 0);
    if (done & 1 << slot) {
      lost += sl_sink_put(s, line[slot], len[slot]);
      continue;
    }
    sl_buf *batch = sl_sink_line_buffer(s), *out = batch ? batch : &d.lines[slot];
    if (!batch) out->len = 0;
    size_t start = out->len;
    if (renderers[s->format & 3][is_span](item, s->color, &d.time, out)) {
      lost++;
      continue;
    }
    line[slot] = out->data + start;
    len[slot] = out->len - start;
    done |= 1 << slot;
    /* A batch handed over stays intact until SL_WRITER_DEPTH more are: line[] holds. */
    if (batch) sl_sink_line_added(s);
    else lost += sl_sink_put(s, line[slot], len[slot]);
  }
  if (lost) sl_queues_count_lost(lost);
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

/* Counts the fields of a span record's events or links (each: fixed part, then
   [u32 count][fields]), so that the scratch is grown once and never moves while in use. */
static size_t count_fields(const unsigned char *p, uint32_t n, size_t head) {
  size_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (head == 8) p += 8 + 4 + rec_get_u32(p + 8); /* ts, name length, name */
    else p += head;
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
  size_t nfields = r->nattrs + count_fields(r->events, r->nevents, 8) + count_fields(r->links, r->nlinks, 25);
  if (grow(&d.span_fields, &d.span_fields_cap, nfields, sizeof *d.span_fields) ||
      grow(&d.events, &d.events_cap, r->nevents, sizeof *d.events) ||
      grow(&d.links, &d.links_cap, r->nlinks, sizeof *d.links))
    return -1;
  size_t used = 0;
  decode_fields(r->attrs, r->nattrs, &used);
  const unsigned char *p = r->events;
  for (uint32_t i = 0; i < r->nevents; i++) {
    sl_span_event *e = &d.events[i];
    memcpy(&e->ts_ns, p, 8);
    p += 8;
    e->name_len = take_u32(&p);
    e->name = (const char *)p;
    p += e->name_len;
    e->nattrs = take_u32(&p);
    e->attrs = d.span_fields + used;
    p = decode_fields(p, (uint32_t)e->nattrs, &used);
  }
  p = r->links;
  for (uint32_t i = 0; i < r->nlinks; i++) {
    sl_span_link *l = &d.links[i];
    memcpy(l->trace_id, p, 16);
    memcpy(l->span_id, p + 16, 8);
    l->flags = p[24];
    p += 25; /* ids, flags */
    l->nattrs = take_u32(&p);
    l->attrs = d.span_fields + used;
    p = decode_fields(p, (uint32_t)l->nattrs, &used);
  }
  *v = (sl_span_view){.name = r->name, .name_len = r->name_len, .has_parent = r->has_parent,
                      .parent_remote = r->parent_remote ? SL_PARENT_REMOTE : SL_PARENT_LOCAL,
                      .trace_flags = r->trace_flags, .kind = r->kind,
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

/* ---- exporters ---- */

static sl_exporter *exporters;

void sl_backend_add_exporter(sl_exporter *e) {
  sl_exporter **p = &exporters;
  while (*p) p = &(*p)->next;
  e->next = NULL;
  *p = e;
}

sl_exporter *sl_backend_exporters(void) { return exporters; }

static void export_span(const sl_span_view *v) {
  for (sl_exporter *e = exporters; e; e = e->next)
    if (e->take_span) e->take_span(e, v);
}

static void export_log(const sl_record_view *v) {
  for (sl_exporter *e = exporters; e; e = e->next)
    if (e->take_log) e->take_log(e, v);
}

/* Keys made well-formed as the formatters will write them, then, if `always` or a key
   changed, of keys that are equal only the last (as a later sl_span_set replaces an
   attribute): a JSON object never holds a key twice. Returns the new count. */
static size_t unique_keys(sl_field *f, size_t n, int always) {
  for (size_t i = 0; i < n; i++) always |= sl_key_make_wellformed(&f[i], &d.arena);
  size_t out = 0;
  for (size_t i = 0; always && i < n; i++)
    if (!key_in(&f[i], f + i + 1, n - i - 1)) f[out++] = f[i];
  return always ? out : n;
}

/* Spans have no level; sinks take them as info. */
static void process_span(const unsigned char *rec) {
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
    dispatch(SL_LEVEL_INFO, 1, &v);
    if (exporters) export_span(&v);
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
  if (grow(&d.tail, &d.tail_cap, n, sizeof *d.tail)) return NULL;
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

static const sl_field *redacted_bound(sl_ring_consumer *c);
static const sl_buf *bound_json(sl_ring_consumer *c);

static void process_log(sl_ring_consumer *c, const unsigned char *rec) {
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
  const rec_slot *slots = (const rec_slot *)(const void *)(p + sizeof literal_event);
  const unsigned char *tail = (const unsigned char *)(slots + h.nfields);
  int has_event = h.event_len != UINT32_MAX;
  v.event = !has_event ? NULL : h.flags & REC_EVENT_LITERAL ? literal_event : (const char *)tail;
  v.event_len = has_event ? h.event_len : 0;
  if (has_event && !(h.flags & REC_EVENT_LITERAL)) tail += h.event_len;
  if (grow(&d.calls, &d.calls_cap, h.nfields, sizeof *d.calls) ||
      grow(&d.out, &d.out_cap, (size_t)h.nfields + c->nbound + CALLSITE_FIELDS, sizeof *d.out)) {
    sl_queues_count_lost(1);
    return;
  }
  for (uint32_t i = 0; i < h.nfields; i++) {
    rec_get_arg(&slots[i], &tail, &d.calls[i]);
    sl_key_make_wellformed(&d.calls[i], &d.arena);
    sl_rename_reserved(&d.calls[i]);
    if (h.loc) rename_location_key(&d.calls[i]);
  }
  sl_redact_fields(d.calls, h.nfields, &d.arena);
  size_t ncall_out;
  const sl_field *bound = redacted_bound(c);
  if (h.loc && c->nbound && !(bound = located_bound(bound, c->nbound))) {
    sl_queues_count_lost(1);
    return;
  }
  sl_record r = {0, v.level, v.event, v.logger, v.event_len, v.logger_len, d.out,
                 merge_fields(h.nfields, bound, c->nbound, c->bound_alike || h.loc, &ncall_out), d.out_cap,
                 &d.arena};
  /* Every bound field there, last, and no processor to change them: their JSON is the
     same as the last record's. */
  int whole_bound = c->nbound && r.n == ncall_out + c->nbound && !h.loc && sl_process_is_plain();
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
    dispatch(v.level, 0, &v);
    if (exporters) export_log(&v);
  }
  sl_arena_reset(&d.arena);
}

/* A REPLAY record: redacted and processed like a log record, then handed to the
   exporters alone (the replay recorder takes it; sinks never print tool I/O). */
static void process_replay(const unsigned char *rec) {
  static const char *const events[] = {"replay.input", "replay.call", "replay.output"};
  rec_hdr h;
  memcpy(&h, rec, sizeof h);
  const unsigned char *p = rec + sizeof h;
  uint32_t what = rec_get_u32(p + 24), n = rec_get_u32(p + 28);
  if (!exporters || what < REC_REPLAY_INPUT || what > REC_REPLAY_OUTPUT) return;
  if (grow(&d.calls, &d.calls_cap, n, sizeof *d.calls)) {
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
    export_log(&v);
  }
  sl_arena_reset(&d.arena);
}

/* An IDS record: the span ids of the records that follow on this queue, if any. */
static void apply_ids(sl_ring_consumer *c, const unsigned char *rec) {
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
static void apply_frame(sl_ring_consumer *c, const unsigned char *rec) {
  rec_hdr h;
  memcpy(&h, rec, sizeof h);
  size_t data = h.size - sizeof h - 8; /* may include padding: only nfields are read */
  size_t cap = c->bound_cap;
  c->frame.len = 0;
  c->nbound = 0;
  c->redacted = 0;
  if (sl_buf_append(&c->frame, rec + sizeof h + 8, data) ||
      grow(&c->raw, &cap, h.nfields, sizeof *c->raw) ||
      grow(&c->bound, &c->bound_cap, h.nfields, sizeof *c->bound)) {
    sl_diag("spanlog: out of memory; records lose their bound fields until the next bind");
    return;
  }
  const unsigned char *p = (const unsigned char *)c->frame.data;
  for (uint32_t i = 0; i < h.nfields; i++) p = rec_get_field(p, &c->raw[i]);
  c->nbound = h.nfields;
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
  if (grow(&d.tail, &d.tail_cap, c->nbound, sizeof *d.tail)) return NULL;
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

static const unsigned char *big_inner(const unsigned char *rec) {
  unsigned char *inner;
  memcpy(&inner, rec + sizeof(rec_hdr), sizeof inner);
  return inner;
}

/* The next LOG or SPAN record of r (or BIG around a LOG), handling the control records
   before it on the way; NULL when the queue has nothing more in this pass. */
static const unsigned char *next_log(sl_ring *r, sl_ring_consumer *c) {
  while (c->pos < c->limit) {
    const unsigned char *rec = r->buf + (c->pos & (r->cap - 1));
    uint32_t size;
    memcpy(&size, rec, 4);
    switch (rec[4]) {
    case REC_LOG:
    case REC_SPAN:
    case REC_REPLAY:
      return rec;
    case REC_BIG:
      if (big_inner(rec)[4] != REC_FRAME) return rec;
      apply_frame(c, big_inner(rec));
      free((void *)big_inner(rec));
      break;
    case REC_FRAME:
      apply_frame(c, rec);
      break;
    case REC_IDS:
      apply_ids(c, rec);
      break;
    default: /* PAD */
      break;
    }
    c->pos += size;
  }
  return NULL;
}

static uint64_t rec_ts(const unsigned char *rec) {
  rec_hdr h;
  memcpy(&h, rec, sizeof h);
  return h.ts_ns;
}

static void consume(sl_ring_consumer *c, const unsigned char *rec) {
  uint32_t size;
  memcpy(&size, rec, 4);
  const unsigned char *inner = rec[4] == REC_BIG ? big_inner(rec) : rec;
  if (inner[4] == REC_SPAN) process_span(inner);
  else if (inner[4] == REC_REPLAY) process_replay(inner);
  else process_log(c, inner);
  if (inner != rec) free((void *)inner);
  c->pos += size;
}

/* Gives producers their room back; wakes those waiting for it once their queue is at
   most half full, or at the end of a pass. */
static void publish(size_t nrings, int pass_end) {
  int wake = pass_end;
  for (size_t i = 0; i < nrings; i++) wake |= sl_queues_publish(d.rings[i], d.rings[i]->consumer->pos);
  if (wake) sl_queues_wake_producers();
}

/* Every queue in the registry has its state and a place in d.rings (sl_backend_attach_ring). */
static void add_ring(sl_ring *r, void *count) {
  size_t *n = count;
  if (r->consumer && *n < d.rings_cap) d.rings[(*n)++] = r;
}

/* The queues to drain this pass, each with its consumer state. */
static size_t snapshot_rings(void) {
  size_t n = 0;
  sl_queues_each(add_ring, &n);
  return n;
}

/* Each queue's limit: what was committed when the pass began, so that a pass ends even
   while producers go on. */
static void read_limits(size_t nrings) {
  for (size_t i = 0; i < nrings; i++) {
    sl_ring_consumer *c = d.rings[i]->consumer;
    c->pos = atomic_load_explicit(&d.rings[i]->rpos, memory_order_relaxed);
    c->limit = atomic_load_explicit(&d.rings[i]->committed, memory_order_acquire);
  }
}

/* Records dropped since the last report become a record of their own. */
static void report_drops(void) {
  uint64_t total = sl_queues_lost_total();
  if (total == d.dropped_reported) return;
  sl_field count = {.key = "count", .key_len = 5, .type = SL__T_U64};
  count.v.u = total - d.dropped_reported;
  d.dropped_reported = total;
  sl_record_view v = {.ts_ns = sl_record_ns(), .level = SL_LEVEL_WARNING, .logger = "spanlog",
                      .logger_len = 7, .event = "spanlog.dropped", .event_len = 15,
                      .fields = &count, .nfields = 1};
  dispatch(v.level, 0, &v);
}

/* What the OTLP exporters lost since the last report, as records of their own (to the
   sinks only: the local log is where an operator looks when the collector is down). */
static void report_export_drops(void) {
  static const char *const reasons[2] = {"queue_full", "export_failed"};
  for (int sig = 0; sig < 2; sig++) {
    uint64_t lost[2];
    sl_otlp_take_lost((sl_otlp_signal)sig, &lost[0], &lost[1]);
    for (int why = 0; why < 2; why++) {
      if (!lost[why]) continue;
      sl_field f[3] = {{.key = "count", .key_len = 5, .type = SL__T_U64},
                       {.key = "signal", .key_len = 6, .type = SL__T_STRN, .str = sig ? "logs" : "traces",
                        .len = sig ? 4 : 6},
                       {.key = "reason", .key_len = 6, .type = SL__T_STRN, .str = reasons[why],
                        .len = strlen(reasons[why])}};
      f[0].v.u = lost[why];
      sl_record_view v = {.ts_ns = sl_record_ns(), .level = SL_LEVEL_WARNING, .logger = "spanlog",
                          .logger_len = 7, .event = "spanlog.export.dropped", .event_len = 22,
                          .fields = f, .nfields = 3};
      dispatch(v.level, 0, &v);
    }
  }
}

/* ---- timestamp order across queues ----
 *
 * Each queue is in order; the drain merges the queues by timestamp. A record can still
 * reach its queue after a later one of another thread was written, if its producer read
 * the clock and was then delayed before committing. So an ordered pass only writes
 * records stamped before a horizon taken at its start, and first waits for producers
 * caught between their clock reading and their commit. membarrier(2) makes every thread
 * of the process pass a full fence, so a producer's "stamping" flag set before a clock
 * reading that precedes the horizon is visible here, and producers need no fence of
 * their own. */

static int membarrier_ok = -1;

static int full_barrier(void) {
  if (membarrier_ok < 0)
    membarrier_ok = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
  return membarrier_ok && syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0;
}

static uint64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Waits for records being stamped: a few hundred nanoseconds, unless the producer was
   preempted in between; past MAX_STAMP_WAIT_MS the pass goes on without them. */
#define MAX_STAMP_WAIT_MS 10
static void wait_for_stamping(sl_ring *r, uint64_t deadline_ms) {
  while (atomic_load_explicit(&r->stamping, memory_order_acquire) && mono_ms() < deadline_ms) sched_yield();
}

/* The horizon of a pass: UINT64_MAX for none (one queue, a flush, or no membarrier). */
static uint64_t horizon(size_t nrings, int ordered) {
  if (!ordered || nrings < 2) return UINT64_MAX;
  uint64_t h = sl_record_ns();
  if (!full_barrier()) return UINT64_MAX;
  uint64_t deadline = mono_ms() + MAX_STAMP_WAIT_MS;
  for (size_t i = 0; i < nrings; i++) wait_for_stamping(d.rings[i], deadline);
  return h;
}

/* Set when a pass left records beyond its horizon and wrote nothing: the clock went back
   (or a test clock stands still), so the next pass must not wait for it. */
static int stalled;

size_t sl_backend_drain(int ordered) {
  size_t nrings = snapshot_rings(), done = 0, deferred = 0;
  uint64_t limit = horizon(nrings, ordered && !stalled);
  read_limits(nrings);
  for (;;) {
    sl_ring *best = NULL;
    const unsigned char *best_rec = NULL;
    uint64_t best_ts = 0;
    for (size_t i = 0; i < nrings; i++) {
      const unsigned char *rec = next_log(d.rings[i], d.rings[i]->consumer);
      if (!rec) continue;
      uint64_t ts = rec_ts(rec[4] == REC_BIG ? big_inner(rec) : rec);
      if (!best || ts < best_ts) best = d.rings[i], best_rec = rec, best_ts = ts;
    }
    if (!best) break;
    if (best_ts > limit) {
      deferred = 1;
      break;
    }
    consume(best->consumer, best_rec);
    /* Give producers their room back as we go, not only at the end of a long pass. */
    if (++done % 256 == 0) publish(nrings, 0);
  }
  stalled = deferred && done == 0;
  publish(nrings, 1);
  report_drops();
  if (exporters) report_export_drops();
  sl_queues_retire_closed();
  return done + deferred;
}


/* A queue gets its state when its producer's first record comes, and its place in the
   drain's list with it, so that a pass never meets a queue it cannot read (its records
   would be lost uncounted). Growing the list takes the drain lock, unless this thread is
   the drainer (a user processor that logs). */
int sl_backend_attach_ring(sl_ring *r) {
  sl_ring_consumer *c = calloc(1, sizeof *c);
  if (!c) return -1;
  int held = sl_drain_lock_held();
  if (!held) sl_drain_lock();
  int rc = grow(&d.rings, &d.rings_cap, d.attached + 1, sizeof *d.rings);
  if (rc == 0) d.attached++;
  if (!held) sl_drain_unlock();
  if (rc) {
    free(c);
    return -1;
  }
  r->consumer = c;
  return 0;
}

void sl_backend_forget_ring(sl_ring *r) {
  sl_ring_consumer *c = r->consumer;
  if (!c) return;
  d.attached--;
  sl_buf_free(&c->frame);
  sl_buf_free(&c->bound_json);
  sl_arena_free(&c->arena);
  free(c->raw);
  free(c->bound);
  free(c);
  r->consumer = NULL;
}

/* ---- the backend thread ---- */

static struct {
  pthread_t thread;
  int running; /* under the settings lock (lifecycle) */
  _Atomic int stopping;
  _Atomic uint64_t flush_requested, flush_done;
  int released; /* shut down: flushers stop waiting (under flush_lock) */
  pthread_mutex_t flush_lock;
  pthread_cond_t flush_cond;
} bt = {.flush_lock = PTHREAD_MUTEX_INITIALIZER, .flush_cond = PTHREAD_COND_INITIALIZER};

/* Work that must not wait for the next timed wake-up. Read under the queues' wake lock, so
   that a request made after the check wakes the thread. */
static int has_work(void) {
  return atomic_load(&bt.flush_requested) != atomic_load(&bt.flush_done) || atomic_load(&bt.stopping) ||
         sl_sinks_reopen_pending();
}

static void finish_flush(uint64_t flush) {
  pthread_mutex_lock(&bt.flush_lock);
  atomic_store(&bt.flush_done, flush);
  pthread_cond_broadcast(&bt.flush_cond);
  pthread_mutex_unlock(&bt.flush_lock);
}

/* How long an idle backend sleeps: 1 ms after activity, doubling to MAX_SLEEP_MS, so a
   lone record reaches its sink within that time and an idle process stays idle. */
#define MAX_SLEEP_MS 50

static void *backend_main(void *arg) {
  (void)arg;
  sl_thread_enter("spanlog");
  if (sl_writer_start()) sl_diag("spanlog: cannot start the writer thread; the background thread writes itself");
  long sleep_ms = 1;
  for (;;) {
    uint64_t flush = atomic_load(&bt.flush_requested);
    int flushing = flush != atomic_load(&bt.flush_done);
    int stopping = atomic_load(&bt.stopping);
    sl_drain_lock();
    sl_sinks_reopen_if_requested();
    sl_clock_calibrate();
    size_t n = sl_backend_drain(!flushing && !stopping);
    if (n == 0 || flushing || stopping) sl_sinks_write_out();
    sl_drain_unlock();
    if (flushing) finish_flush(flush);
    if (stopping) {
      sl_writer_stop(); /* idle: the last pass wrote everything out */
      return NULL;
    }
    if (n > 0) {
      sleep_ms = 1;
      continue;
    }
    sl_queues_consumer_sleep(sleep_ms, has_work);
    if (sleep_ms < MAX_SLEEP_MS) sleep_ms = sleep_ms * 2 < MAX_SLEEP_MS ? sleep_ms * 2 : MAX_SLEEP_MS;
  }
}

int sl_backend_start(void) {
  atomic_store(&bt.stopping, 0);
  bt.released = 0;
  int rc = sl_thread_spawn(&bt.thread, backend_main, NULL);
  bt.running = rc == 0;
  return rc;
}

void sl_backend_stop(void) {
  if (!bt.running) return;
  atomic_store(&bt.stopping, 1);
  sl_queues_wake_consumer();
  pthread_join(bt.thread, NULL);
  bt.running = 0;
}

void sl_backend_release_flushers(void) {
  pthread_mutex_lock(&bt.flush_lock);
  bt.released = 1;
  pthread_cond_broadcast(&bt.flush_cond);
  pthread_mutex_unlock(&bt.flush_lock);
}

void sl_backend_flush(void) {
  pthread_mutex_lock(&bt.flush_lock);
  uint64_t mine = atomic_fetch_add(&bt.flush_requested, 1) + 1;
  sl_queues_wake_consumer();
  while (atomic_load(&bt.flush_done) < mine && !bt.released) pthread_cond_wait(&bt.flush_cond, &bt.flush_lock);
  pthread_mutex_unlock(&bt.flush_lock);
}

void sl_backend_drain_here(void) {
  sl_drain_lock();
  sl_sinks_reopen_if_requested();
  sl_backend_drain(0);
  sl_sinks_write_out();
  sl_drain_unlock();
}

/* In a forked child no backend thread runs, and the parent reports its own drops. */
void sl_backend_fork_child(void) {
  d.dropped_reported = 0;
  pthread_mutex_init(&bt.flush_lock, NULL);
  pthread_cond_init(&bt.flush_cond, NULL);
  atomic_store(&bt.flush_requested, 0);
  atomic_store(&bt.flush_done, 0);
  bt.running = 0;
}
