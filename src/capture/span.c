/* Spans: lifecycle, attributes, events, links, sampling and W3C propagation.
 *
 * A span lives in a pool of span objects that are reused, never freed. The handle given
 * to the application is not a pointer but (generation << 32 | index + 1): a handle whose
 * span has ended and been reused no longer matches its generation, so calls on it are
 * safe no-ops. An ended, sampled span goes to the backend through the calling thread's
 * queue; the backend renders it and puts it back into the pool. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "capture/baggage_context.h"
#include "capture/capture.h"
#include "base/clock.h"
#include "base/parse.h"
#include "capture/context.h"
#include "base/ids.h"
#include "base/common.h"
#include "base/json_text.h"
#include "capture/propagation.h"
#include "record/record.h"
#include "record/span_record.h"
#include "base/process_resource.h"
#include "capture/sampler.h"
#include "capture/span_internal.h"
#include "base/utf8.h"

enum { SPAN_FREE = 0, SPAN_LIVE = 1 };

typedef struct sl_span_obj {
  _Atomic uint32_t gen;
  uint32_t index;
  atomic_flag lock;
  uint8_t state, kind, status, sampled, trace_flags, has_parent, parent_remote;
  uint8_t trace_id[16], span_id[8], parent_id[8];
  uint64_t start_ns, start_mono, duration_ns;
  sl_span_slot saved; /* the context's current span before this one */
  sl_buf name, status_message, attrs, events, links;
  sl_buf trace_state; /* W3C tracestate of the span's trace, as it is at the span's start */
  sl_buf key_hashes; /* uint32_t per attribute, in the order of attrs */
  uint32_t nattrs, nevents, nlinks;
  uint32_t dropped_attrs, dropped_events, dropped_links;
  struct sl_span_obj *next_free;
} span;

/* ---- settings, from the environment once ---- */

#define NO_LIMIT SIZE_MAX

static struct {
  size_t attr_count, event_count, link_count, event_attr_count, link_attr_count;
  size_t value_length; /* characters */
  sl_sampler sampler;
  int sdk_disabled; /* OTEL_SDK_DISABLED=true: no span is made */
  sl_span_slot env_parent; /* TRACEPARENT of this process, if valid */
  char *env_tracestate;
  char *env_tracestate_local; /* ... as this process's spans send it on (local_tracestate) */
} cfg;

static sl_once init_once = SL_ONCE_INIT;

/* The sampler formats whole messages, "spanlog: " included. */
static void warn(const char *msg) { sl_diag("%s", msg); }

/* An OTEL_* limit: a non-negative integer, the first variable set wins. */
static size_t limit_from_env(const char *name, const char *fallback, size_t dflt) {
  const char *v = getenv(name);
  if ((!v || !*v) && fallback) name = fallback, v = getenv(fallback);
  if (!v || !*v) return dflt;
  uint64_t n;
  if (sl_parse_bytes(v, &n) == 0 && strspn(v, "0123456789") == strlen(v)) return (size_t)n;
  sl_diag("spanlog: ignoring %s=%s (expected a non-negative integer)", name, v);
  return dflt;
}

/* The tracestate that this process's spans in a trace continued from `ref` send on,
   where the sampler decides for them itself rather than following the remote parent: the
   plain probability sampler, which sets its th (or erases it) in the ot member. NULL
   where they send on `tracestate` unchanged (or without memory). */
static char *local_tracestate(const sl_span_ref *ref, const char *tracestate) {
  if (cfg.sampler.kind != SL_SAMPLER_PROBABILITY) return NULL;
  int sampled = sl_sampler_decide(&cfg.sampler, ref->trace_id, sl_sampler_randomness(ref->trace_id, tracestate), 1, 1,
                                  ref->flags & SL_TRACE_FLAG_SAMPLED);
  return sl_sampler_tracestate_after(&cfg.sampler, sampled, tracestate);
}

static void parent_from_env(void) {
  const char *tp = getenv("TRACEPARENT");
  sl_span_ref ref;
  if (!tp || !*tp) return;
  if (sl_span_ref_parse(tp, &ref)) {
    sl_diag("spanlog: ignoring TRACEPARENT=%s (not a valid W3C traceparent); starting new traces", tp);
    return;
  }
  memcpy(cfg.env_parent.trace_id, ref.trace_id, 16);
  memcpy(cfg.env_parent.span_id, ref.span_id, 8);
  cfg.env_parent.trace_flags = ref.flags;
  cfg.env_parent.valid = cfg.env_parent.remote = 1;
  cfg.env_tracestate = sl_tracestate_normalize(getenv("TRACESTATE"));
  cfg.env_tracestate_local = local_tracestate(&ref, cfg.env_tracestate);
}

static void init_fn(void) {
  cfg.attr_count = limit_from_env("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT", 128);
  cfg.event_count = limit_from_env("OTEL_SPAN_EVENT_COUNT_LIMIT", NULL, 128);
  cfg.link_count = limit_from_env("OTEL_SPAN_LINK_COUNT_LIMIT", NULL, 128);
  cfg.event_attr_count = limit_from_env("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", NULL, 128);
  cfg.link_attr_count = limit_from_env("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", NULL, 128);
  cfg.value_length = limit_from_env("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
                                    "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", NO_LIMIT);
  sl_sampler_from_strings(&cfg.sampler, getenv("OTEL_TRACES_SAMPLER"), getenv("OTEL_TRACES_SAMPLER_ARG"), warn);
  parent_from_env();
  const char *off = getenv("OTEL_SDK_DISABLED");
  cfg.sdk_disabled = off && sl_word_eq(off, strlen(off), "true"); /* the exporters warn about other values */
  sl_process_resource(); /* its warnings, at start as those above */
}

void sl_spans_init(void) { sl_call_once(&init_once, init_fn); }

/* ---- the pool ---- */

#define CHUNK 256
#define MAX_CHUNKS 65536 /* 16 M spans alive at once */
#define CACHE_MAX 64

static span *chunks[MAX_CHUNKS];
static _Atomic uint32_t nchunks;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static span *pool_free;

/* Each thread keeps a few free spans, so starting one takes no lock. */
static _Thread_local struct {
  span *head;
  int n;
} cache __attribute__((tls_model("initial-exec")));

static int add_chunk(void) {
  uint32_t c = atomic_load(&nchunks);
  if (c == MAX_CHUNKS) return -1;
  span *chunk = calloc(CHUNK, sizeof *chunk);
  if (!chunk) return -1;
  for (uint32_t i = 0; i < CHUNK; i++) {
    chunk[i].index = c * CHUNK + i;
    atomic_init(&chunk[i].gen, 1);
    atomic_flag_clear(&chunk[i].lock);
    chunk[i].next_free = i + 1 < CHUNK ? &chunk[i + 1] : pool_free;
  }
  pool_free = chunk;
  chunks[c] = chunk;
  atomic_store_explicit(&nchunks, c + 1, memory_order_release);
  return 0;
}

static span *alloc_span(void) {
  if (!cache.head) {
    pthread_mutex_lock(&pool_lock);
    if (!pool_free) add_chunk();
    for (; pool_free && cache.n < CACHE_MAX / 2; cache.n++) {
      span *s = pool_free;
      pool_free = s->next_free;
      s->next_free = cache.head;
      cache.head = s;
    }
    pthread_mutex_unlock(&pool_lock);
    if (!cache.head) return NULL;
  }
  span *s = cache.head;
  cache.head = s->next_free;
  cache.n--;
  return s;
}

static void give_back(span *s) {
  pthread_mutex_lock(&pool_lock);
  s->next_free = pool_free;
  pool_free = s;
  pthread_mutex_unlock(&pool_lock);
}

static void lock(span *s) {
  while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire)) sched_yield();
}
static void unlock(span *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

/* Back into this thread's cache, where it stays in this core's cache lines. */
static void cache_push(span *s) {
  if (cache.n >= CACHE_MAX) {
    give_back(s);
    return;
  }
  s->next_free = cache.head;
  cache.head = s;
  cache.n++;
}

void sl_span_thread_exit(void) {
  while (cache.head) {
    span *s = cache.head;
    cache.head = s->next_free;
    give_back(s);
  }
  cache.n = 0;
}

void sl_spans_fork_prepare(void) { pthread_mutex_lock(&pool_lock); }
void sl_spans_fork_parent(void) { pthread_mutex_unlock(&pool_lock); }
void sl_spans_fork_child(void) { pthread_mutex_init(&pool_lock, NULL); }

static sl_span *handle_of(const span *s) {
  uint64_t gen = atomic_load_explicit(&((span *)s)->gen, memory_order_relaxed);
  return (sl_span *)(uintptr_t)(gen << 32 | (uint64_t)(s->index + 1));
}

static span *lookup(const sl_span *h) {
  uint64_t v = (uint64_t)(uintptr_t)h;
  uint32_t index = (uint32_t)v - 1, gen = (uint32_t)(v >> 32);
  if (!h || (uint32_t)v == 0 || index / CHUNK >= atomic_load_explicit(&nchunks, memory_order_acquire))
    return NULL;
  span *s = &chunks[index / CHUNK][index % CHUNK];
  return atomic_load_explicit(&s->gen, memory_order_acquire) == gen ? s : NULL;
}

/* The span of a handle, locked, if it is still live; NULL otherwise. */
static span *acquire_live(const sl_span *h) {
  span *s = lookup(h);
  if (!s) return NULL;
  lock(s);
  if (s->state == SPAN_LIVE && (uint64_t)(uintptr_t)handle_of(s) == (uint64_t)(uintptr_t)h) return s;
  unlock(s);
  return NULL;
}

/* ---- encoding attributes ---- */

/* Bytes of the first max_chars characters of s[0..len), cutting only between them. A
   character is what the JSON writer makes one character of: a well-formed sequence, or
   an invalid run that becomes one U+FFFD, so invalid UTF-8 cannot get past the limit. */
static size_t utf8_prefix(const char *s, size_t len, size_t max_chars) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  for (size_t chars = 0; i < len && chars < max_chars; chars++) {
    size_t bad, n = sl_utf8_sequence(p + i, len - i, &bad);
    i += n ? n : bad;
  }
  return i;
}

/* Appends the field. */
static inline int put_field(sl_buf *b, const sl_arg *a) {
  uint32_t vlen = 0;
  size_t n = rec_field_size(a, &vlen);
  if (sl_buf_reserve(b, n)) return -1;
  b->len = (size_t)((char *)rec_put_field((unsigned char *)b->data + b->len, a, vlen) - b->data);
  return 0;
}

/* An array of strings with each element cut: copies, since the encoding reads
   NUL-terminated strings. */
static SL_COLD int put_cut_strings(sl_buf *b, const sl_arg *a) {
  const char *const *v = (const char *const *)a->v.p;
  const char **cut = calloc(a->len, sizeof *cut);
  if (!cut) return -1;
  for (size_t i = 0; i < a->len; i++)
    cut[i] = v[i] ? strndup(v[i], utf8_prefix(v[i], strlen(v[i]), cfg.value_length)) : NULL;
  sl_arg t = *a;
  t.v.p = cut;
  int rc = put_field(b, &t);
  for (size_t i = 0; i < a->len; i++) free((char *)cut[i]);
  free(cut);
  return rc;
}

/* Appends the pair with its strings cut to the value length limit. */
static SL_COLD int put_cut(sl_buf *b, const sl_arg *a) {
  if (a->type == SL__T_STRS && a->len) return put_cut_strings(b, a);
  sl_arg t = *a;
  if (t.type == SL__T_STR || t.type == SL__T_STRN || t.type == SL__T_RAW) {
    size_t len = rec_str_len(&t);
    size_t cut = utf8_prefix(t.v.s, len, cfg.value_length);
    if (cut < len) t.type = SL__T_STRN, t.len = cut; /* cut raw JSON is no JSON: a string */
  }
  return put_field(b, &t);
}

/* Appends the pair, strings cut to the value length limit (characters, whole ones). */
static inline int put_limited(sl_buf *b, const sl_arg *a) {
  return SL_LIKELY(cfg.value_length == NO_LIMIT) ? put_field(b, a) : put_cut(b, a);
}

/* A hash of a key from its length and three of its bytes, with its length: attributes
   are told apart by hash before any comparison of bytes, and the hash costs the same for
   long dotted keys ("gen_ai.usage.input_tokens") as for short ones. */
static uint32_t key_hash(const char *key, size_t n) {
  const unsigned char *k = (const unsigned char *)key;
  uint32_t h = n ? (uint32_t)k[0] | (uint32_t)k[n / 2] << 8 | (uint32_t)k[n - 1] << 16 : 0;
  return (h ^ (uint32_t)n << 24) * 2654435761u;
}

/* Whether attribute i has this key; if so, where its encoded field starts and its size. */
static SL_COLD int key_at(const span *s, uint32_t i, const char *key, size_t klen, size_t *off, size_t *size) {
  const unsigned char *p = (const unsigned char *)s->attrs.data, *start = p;
  sl_field f;
  for (uint32_t j = 0; j <= i; j++) start = p, p = rec_get_field(p, &f);
  if (f.key_len != klen || memcmp(f.key, key, klen) != 0) return 0;
  *off = (size_t)(start - (const unsigned char *)s->attrs.data);
  *size = (size_t)(p - start);
  return 1;
}

/* The index of the attribute with this key (-1 if none), where its encoded field starts
   and its size. Keys are told apart by hash: the bytes are compared on a match only. */
static inline long find_key(const span *s, const char *key, uint32_t hash, size_t klen, size_t *off, size_t *size) {
  const uint32_t *hashes = (const uint32_t *)s->key_hashes.data;
  for (uint32_t i = 0; i < s->nattrs; i++)
    if (SL_UNLIKELY(hashes[i] == hash) && key_at(s, i, key, klen, off, size)) return (long)i;
  return -1;
}

static void remove_attr(span *s, long index, size_t off, size_t size) {
  memmove(s->attrs.data + off, s->attrs.data + off + size, s->attrs.len - off - size);
  s->attrs.len -= size;
  uint32_t *hashes = (uint32_t *)s->key_hashes.data;
  memmove(hashes + index, hashes + index + 1, (s->nattrs - (size_t)index - 1) * sizeof *hashes);
  s->key_hashes.len -= sizeof *hashes;
  s->nattrs--;
}

/* Sets attributes: a key set again takes the new value (moved to the end); past the
   count limit, new keys are dropped and counted. Span locked. */
static void set_attrs(span *s, const sl_arg *args, int nargs) {
  if (nargs > 0 && sl_buf_reserve(&s->key_hashes, (size_t)nargs * sizeof(uint32_t))) {
    s->dropped_attrs += (uint32_t)nargs; /* no memory: lost, and counted */
    return;
  }
  for (int i = 0; i < nargs; i++) {
    size_t off, size, klen = args[i].key_len;
    const char *key = args[i].key ? args[i].key : "";
    uint32_t hash = key_hash(key, klen);
    long at = find_key(s, key, hash, klen, &off, &size);
    if (at >= 0) {
      remove_attr(s, at, off, size);
    } else if (s->nattrs >= cfg.attr_count) {
      s->dropped_attrs++;
      continue;
    }
    if (put_limited(&s->attrs, &args[i]) == 0) {
      sl_buf_put(&s->key_hashes, &hash, sizeof hash);
      s->nattrs++;
    } else {
      s->dropped_attrs++;
    }
  }
}

/* [u32 count][fields], at most `limit` of them. */
static int put_attr_list(sl_buf *b, const sl_arg *args, int nargs, size_t limit) {
  size_t count_at = b->len;
  uint32_t count = 0;
  if (sl_buf_append(b, &count, 4)) return -1;
  for (int i = 0; i < nargs && count < limit; i++) {
    if (put_limited(b, &args[i])) return -1;
    count++;
  }
  memcpy(b->data + count_at, &count, 4);
  return 0;
}

/* ---- the queued record of an ended span (record/span_record.h) ----
 * A copy, so that the span object goes straight back to its thread's pool and the
 * backend never touches it. */


static size_t record_size(const span *s) {
  return sizeof(rec_span_wire) + s->name.len + s->status_message.len + s->trace_state.len + s->attrs.len +
         s->events.len + s->links.len;
}

static unsigned char *put_bytes(unsigned char *o, const sl_buf *b) {
  rec_copy(o, b->data, b->len);
  return o + b->len;
}

/* The wire part is written in place, field by field (the payload is 8-aligned): built on
   the stack and copied, its narrow stores would be read back in wide loads, which stall. */
static void fill_record(unsigned char *o, const void *item) {
  const span *s = item;
  rec_span_wire *w = (rec_span_wire *)(void *)o;
  memcpy(w->trace_id, s->trace_id, 16);
  memcpy(w->span_id, s->span_id, 8);
  memcpy(w->parent_id, s->parent_id, 8);
  w->parent = !s->has_parent ? REC_SPAN_ROOT : s->parent_remote ? REC_SPAN_REMOTE_PARENT : REC_SPAN_LOCAL_PARENT;
  w->kind = s->kind, w->status = s->status, w->trace_flags = s->trace_flags;
  w->nattrs = s->nattrs, w->nevents = s->nevents, w->nlinks = s->nlinks;
  w->dropped_attrs = s->dropped_attrs, w->dropped_events = s->dropped_events, w->dropped_links = s->dropped_links;
  w->name_len = (uint32_t)s->name.len, w->status_len = (uint32_t)s->status_message.len;
  w->attrs_len = (uint32_t)s->attrs.len, w->events_len = (uint32_t)s->events.len;
  w->links_len = (uint32_t)s->links.len, w->trace_state_len = (uint32_t)s->trace_state.len;
  w->start_ns = s->start_ns, w->duration_ns = s->duration_ns;
  o += sizeof *w;
  o = put_bytes(o, &s->name);
  o = put_bytes(o, &s->status_message);
  o = put_bytes(o, &s->trace_state);
  o = put_bytes(o, &s->attrs);
  o = put_bytes(o, &s->events);
  put_bytes(o, &s->links);
}

/* ---- lifecycle ---- */

/* The parent of a new span: the context's current span, else this process' TRACEPARENT. */
static const sl_span_slot *parent_slot(const sl_context *ctx) {
  if (ctx->span.valid) return &ctx->span;
  return cfg.env_parent.valid ? &cfg.env_parent : NULL;
}

static int probability_sampler(void) {
  return cfg.sampler.kind == SL_SAMPLER_PROBABILITY || cfg.sampler.kind == SL_SAMPLER_PARENT_PROBABILITY;
}

/* The trace's randomness for the probability samplers: the trace id's, unless the trace's
   tracestate (a remote parent's) gives ot=rv. The other samplers do not read it. */
static uint64_t trace_randomness(const uint8_t trace_id[16], const sl_span_slot *parent) {
  return sl_sampler_randomness(trace_id, parent && probability_sampler() ? sl_tracestate_current() : NULL);
}

static const char *non_empty(const char *s) { return s && *s ? s : NULL; }

/* The tracestate of the trace of `cur` (the span current in ctx, or one about to be),
   or NULL. */
static const char *trace_state_of(const sl_context *ctx, const sl_span_slot *cur) {
  /* A span of this process in a continued trace sends on what its sampler made of the
     incoming tracestate; the remote parent itself, what came in. */
  int local = cur->valid && !cur->remote;
  /* "": a trace continued from a request without tracestate. */
  if (ctx->tracestate) return non_empty(local && ctx->tracestate_local ? ctx->tracestate_local : ctx->tracestate);
  /* The trace this process was started in keeps its tracestate. */
  int env_trace = cur->valid && cfg.env_parent.valid && memcmp(cur->trace_id, cfg.env_parent.trace_id, 16) == 0;
  if (!cur->valid || env_trace)
    return non_empty(local && cfg.env_tracestate_local ? cfg.env_tracestate_local : cfg.env_tracestate);
  /* A sampled trace started here by a probability sampler carries its threshold (and a
     child re-deciding with the same threshold and randomness decides alike). */
  if (cur->valid && !env_trace && (cur->trace_flags & SL_TRACE_FLAG_SAMPLED) && probability_sampler())
    return cfg.sampler.tracestate;
  return NULL;
}

/* The span's tracestate, for its record. Without memory it has none. Span locked. */
static void keep_trace_state(span *s, const char *ts) {
  s->trace_state.len = 0;
  if (ts && sl_buf_append(&s->trace_state, ts, strlen(ts))) s->trace_state.len = 0;
}

/* Appends [u32 length][bytes] of s (NULL: length 0). */
static int put_counted(sl_buf *b, const char *s) {
  uint32_t n = s ? (uint32_t)strlen(s) : 0;
  return sl_buf_append(b, &n, 4) || sl_buf_append(b, s, n);
}

static void reset(span *s) {
  s->name.len = s->status_message.len = s->attrs.len = s->events.len = s->links.len = s->trace_state.len = 0;
  s->key_hashes.len = 0;
  s->nattrs = s->nevents = s->nlinks = 0;
  s->dropped_attrs = s->dropped_events = s->dropped_links = 0;
  s->status = SL_STATUS_UNSET;
}


sl_span *sl__span_start(int kind, sl__text name, const sl_arg *args, int nargs) {
  sl_spans_init();
  if (cfg.sdk_disabled) return NULL; /* a no-op span: every call on it does nothing */
  span *s = alloc_span();
  if (!s) return NULL;
  sl_context *ctx = sl_context_current();
  const sl_span_slot *parent = parent_slot(ctx);
  /* Under the slot's lock like every other write to it: a call on a stale handle of the
     slot's last span may have passed the generation check just before that span ended,
     and reads the slot under the lock until it sees the handle is stale. */
  lock(s);
  reset(s);
  s->kind = (uint8_t)(kind >= SL_SPAN_INTERNAL && kind <= SL_SPAN_CONSUMER ? kind : SL_SPAN_INTERNAL);
  s->has_parent = parent != NULL;
  s->parent_remote = parent && parent->remote;
  if (parent) {
    memcpy(s->trace_id, parent->trace_id, 16);
    memcpy(s->parent_id, parent->span_id, 8);
  } else {
    sl_new_trace_id(s->trace_id);
  }
  sl_new_span_id(s->span_id);
  s->sampled = (uint8_t)sl_sampler_decide(&cfg.sampler, s->trace_id, trace_randomness(s->trace_id, parent),
                                          parent != NULL, parent && parent->remote,
                                          parent && (parent->trace_flags & SL_TRACE_FLAG_SAMPLED));
  /* The random flag belongs to the trace id: a child keeps its parent's (W3C Level 2: set
     in, set out; unset in, unset out), and a new trace id, random in all 16 bytes
     (sl_new_trace_id), has it set. */
  uint8_t random = parent ? (uint8_t)(parent->trace_flags & SL_TRACE_FLAG_RANDOM) : SL_TRACE_FLAG_RANDOM;
  s->trace_flags = (uint8_t)((s->sampled ? SL_TRACE_FLAG_SAMPLED : 0) | random);
  s->start_mono = sl_span_clock_ns(&s->start_ns);
  size_t name_len = name.len == UINT32_MAX ? 0 : name.len; /* NULL: an empty name */
  if (sl_buf_reserve(&s->name, name_len)) name_len = 0;
  rec_copy((unsigned char *)s->name.data, name.ptr, name_len);
  s->name.len = name_len;
  set_attrs(s, args, nargs);
  s->saved = ctx->span;
  s->state = SPAN_LIVE;
  sl_span *h = handle_of(s);
  sl_span_slot now = {{0}, {0}, 1, s->trace_flags, 0, h, sl_span_stamp_new()};
  memcpy(now.trace_id, s->trace_id, 16);
  memcpy(now.span_id, s->span_id, 8);
  keep_trace_state(s, trace_state_of(ctx, &now));
  unlock(s);
  ctx->span = now;
  return h;
}

void sl__span_set(sl_span *h, const char *unused, const sl_arg *args, int nargs) {
  (void)unused;
  span *s = acquire_live(h);
  if (!s) return;
  set_attrs(s, args, nargs);
  unlock(s);
}

void sl__span_event(sl_span *h, const char *name, const sl_arg *args, int nargs) {
  span *s = acquire_live(h);
  if (!s) return;
  if (s->nevents >= cfg.event_count) {
    s->dropped_events++;
    unlock(s);
    return;
  }
  size_t start = s->events.len;
  uint64_t ts = sl_record_ns();
  uint32_t nlen = name ? (uint32_t)strlen(name) : 0;
  if (sl_buf_append(&s->events, &ts, 8) || sl_buf_append(&s->events, &nlen, 4) ||
      sl_buf_append(&s->events, name, nlen) ||
      put_attr_list(&s->events, args, nargs, cfg.event_attr_count)) {
    s->events.len = start;
    s->dropped_events++;
  } else {
    s->nevents++;
  }
  unlock(s);
}

/* A link's tracestate may be NULL (none). */
static void add_link(sl_span *h, const sl_span_ref *to, const char *tracestate, const sl_arg *args, int nargs) {
  span *s = acquire_live(h);
  if (!s) return;
  if (s->nlinks >= cfg.link_count) {
    s->dropped_links++;
    unlock(s);
    return;
  }
  size_t start = s->links.len;
  if (sl_buf_append(&s->links, to->trace_id, 16) || sl_buf_append(&s->links, to->span_id, 8) ||
      sl_buf_append(&s->links, &to->flags, 1) || put_counted(&s->links, tracestate) ||
      put_attr_list(&s->links, args, nargs, cfg.link_attr_count)) {
    s->links.len = start;
    s->dropped_links++;
  } else {
    s->nlinks++;
  }
  unlock(s);
}

void sl__span_link(sl_span *h, const char *traceparent, const sl_arg *args, int nargs) {
  sl__span_link_tracestate(h, NULL, traceparent, args, nargs);
}

void sl__span_link_tracestate(sl_span *h, const char *tracestate, const char *traceparent, const sl_arg *args,
                              int nargs) {
  sl_span_ref to;
  if (sl_span_ref_parse(traceparent, &to)) return;
  /* Kept as it is sent on: without OWS and empty members; none if not valid. */
  char *ts = sl_tracestate_normalize(tracestate);
  add_link(h, &to, ts, args, nargs);
  free(ts);
}

void sl__span_link_span(sl_span *h, const sl_span *other, const sl_arg *args, int nargs) {
  span *o = acquire_live(other);
  sl_span_ref to;
  if (!o) {
    /* An ended span of ours keeps no ids we can read safely: nothing to link. */
    return;
  }
  memcpy(to.trace_id, o->trace_id, 16);
  memcpy(to.span_id, o->span_id, 8);
  to.flags = o->trace_flags;
  /* Copied before the lock goes: the other span may end and be reused at once. */
  char *ts = o->trace_state.len ? strndup(o->trace_state.data, o->trace_state.len) : NULL;
  unlock(o);
  add_link(h, &to, ts, args, nargs);
  free(ts);
}

void sl_span_set_status(sl_span *h, sl_span_status code, const char *message) {
  span *s = acquire_live(h);
  if (!s) return;
  if (s->status != SL_STATUS_OK && code >= SL_STATUS_UNSET && code <= SL_STATUS_ERROR) {
    s->status = (uint8_t)code;
    s->status_message.len = 0;
    if (code == SL_STATUS_ERROR && message && sl_buf_append(&s->status_message, message, strlen(message)))
      s->status_message.len = 0;
  }
  unlock(s);
}

/* OpenTelemetry's record_exception: an "exception" event with what is known of it. */
static void add_exception_event(sl_span *h, const char *error_type, const char *message) {
  sl_arg attrs[2];
  int n = 0;
  if (error_type) attrs[n++] = sl__a_str("exception.type", error_type);
  if (message) attrs[n++] = sl__a_str("exception.message", message);
  sl__span_event(h, "exception", attrs, n);
}

void sl_span_error(sl_span *h, const char *error_type, const char *message) {
  sl_arg type = sl__a_str("error.type", error_type ? error_type : "_OTHER");
  sl__span_set(h, "", &type, 1);
  add_exception_event(h, error_type, message);
  span *s = acquire_live(h);
  if (!s) return;
  /* An error overrides OK here: the application says the operation failed after all. */
  s->status = SL_STATUS_ERROR;
  s->status_message.len = 0;
  if (message && sl_buf_append(&s->status_message, message, strlen(message))) s->status_message.len = 0;
  unlock(s);
}

void sl_span_set_kind(sl_span *h, sl_span_kind kind) {
  span *s = acquire_live(h);
  if (!s) return;
  if (kind >= SL_SPAN_INTERNAL && kind <= SL_SPAN_CONSUMER) s->kind = (uint8_t)kind;
  unlock(s);
}

void sl_span_end(sl_span *h) {
  span *s = acquire_live(h);
  if (!s) return;
  /* From the monotonic clock: a wall clock stepped back cannot make it negative (nor
     can the TSC scale's renewal, a few nanoseconds either way). */
  uint64_t end = sl_span_clock_ns(NULL);
  s->duration_ns = end > s->start_mono ? end - s->start_mono : 0;
  sl_context *ctx = sl_context_current();
  if (ctx->span.span == h) ctx->span = s->saved;
  if (s->sampled) sl_capture_record(REC_SPAN, s->start_ns + s->duration_ns, record_size(s), fill_record, s);
  /* Ended and free in one step under the lock: the generation moves on, so the handle
     is stale before any other thread can see the span again. */
  atomic_store_explicit(&s->gen, atomic_load_explicit(&s->gen, memory_order_relaxed) + 1, memory_order_release);
  s->state = SPAN_FREE;
  unlock(s);
  cache_push(s);
}

void sl__span_scope_end(sl_span **h) { sl_span_end(*h); }

sl_span *sl_span_current(void) {
  sl_span *h = sl_context_current()->span.span;
  span *s = acquire_live(h);
  if (!s) return NULL;
  unlock(s);
  return h;
}

int sl_span_is_sampled(const sl_span *h) {
  span *s = acquire_live(h);
  if (!s) return 0;
  int sampled = s->sampled;
  unlock(s);
  return sampled;
}

static void hex(const uint8_t *b, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) out[2 * i] = digits[b[i] >> 4], out[2 * i + 1] = digits[b[i] & 15];
  out[2 * n] = 0;
}

int sl_span_ids(const sl_span *h, char trace_id[33], char span_id[17]) {
  span *s = acquire_live(h);
  if (!s) return -1;
  hex(s->trace_id, 16, trace_id);
  hex(s->span_id, 8, span_id);
  unlock(s);
  return 0;
}

int sl_span_trace_id(const sl_span *h, uint8_t out[16]) {
  span *s = acquire_live(h);
  if (!s) return -1;
  memcpy(out, s->trace_id, 16);
  unlock(s);
  return 0;
}

void sl_span_append_json(sl_span *h, const char *key, const char *element, size_t len) {
  span *s = acquire_live(h);
  if (!s) return;
  sl_buf array = {0};
  size_t off, size, klen = strlen(key);
  uint32_t hash = key_hash(key, klen);
  int rc;
  if (find_key(s, key, hash, klen, &off, &size) >= 0) {
    sl_field f;
    rec_get_field((const unsigned char *)s->attrs.data + off, &f);
    /* [a,b] becomes [a,b,element]: everything before the closing bracket, then ours */
    rc = f.type != SL__T_RAW || f.len < 2 || sl_buf_append(&array, f.str, f.len - 1) ||
         (f.len > 2 && sl_buf_lit(&array, ","));
  } else {
    rc = sl_buf_lit(&array, "[");
  }
  /* "]" with its NUL: SL_RAW_JSON takes a C string */
  if (!rc && !sl_buf_append(&array, element, len) && !sl_buf_append(&array, "]", 2)) {
    sl_arg a = sl__a_raw(key, SL_RAW_JSON(array.data));
    set_attrs(s, &a, 1);
  }
  unlock(s);
  sl_buf_free(&array);
}

/* ---- propagation ---- */

/* The span that goes out: s, or the current context's current span (local or remote). */
static int outgoing(const sl_span *h, sl_span_ref *ref) {
  if (h) {
    span *s = acquire_live(h);
    if (!s) return -1;
    memcpy(ref->trace_id, s->trace_id, 16);
    memcpy(ref->span_id, s->span_id, 8);
    ref->flags = s->trace_flags;
    unlock(s);
    return 0;
  }
  const sl_span_slot *cur = &sl_context_current()->span;
  if (!cur->valid) return -1;
  memcpy(ref->trace_id, cur->trace_id, 16);
  memcpy(ref->span_id, cur->span_id, 8);
  ref->flags = cur->trace_flags;
  return 0;
}

size_t sl_traceparent_format(const sl_span *h, char out[56]) {
  sl_span_ref ref;
  if (outgoing(h, &ref)) {
    if (out) out[0] = 0;
    return 0;
  }
  return sl_span_ref_format(&ref, out);
}

const char *sl_tracestate_current(void) {
  sl_spans_init();
  const sl_context *ctx = sl_context_current();
  return trace_state_of(ctx, &ctx->span);
}

int sl_trace_continue(const char *traceparent, const char *tracestate) {
  sl_spans_init(); /* the sampler */
  sl_span_ref ref;
  sl_context *ctx = sl_context_current();
  if (sl_span_ref_parse(traceparent, &ref)) {
    /* No valid traceparent: this request starts a new trace (W3C processing model: a new
       traceparent, the tracestate deleted). Nothing of a trace continued before in this
       context may stay: a thread that serves one request after another would otherwise
       carry the last request's remote parent and tracestate into this one. */
    free(ctx->tracestate);
    free(ctx->tracestate_local);
    ctx->tracestate = ctx->tracestate_local = NULL;
    memset(&ctx->span, 0, sizeof ctx->span); /* no current span, as sl_context_set_span_ids(NULL) */
    return -1;
  }
  /* Kept as it will be sent on: without OWS and empty members; NULL if invalid or empty. */
  char *ts = sl_tracestate_normalize(tracestate);
  free(ctx->tracestate);
  /* "" (not NULL) when there is none: the trace is not one started here, whose tracestate
     sl_tracestate_current would make. */
  ctx->tracestate = ts ? ts : strdup("");
  free(ctx->tracestate_local);
  ctx->tracestate_local = local_tracestate(&ref, ts);
  sl_span_slot remote = {{0}, {0}, 1, ref.flags, 1, NULL, sl_span_stamp_new()};
  memcpy(remote.trace_id, ref.trace_id, 16);
  memcpy(remote.span_id, ref.span_id, 8);
  ctx->span = remote;
  return 0;
}

char **sl_trace_environ(char *const *envp) {
  extern char **environ;
  sl_span_ref ref;
  if (outgoing(NULL, &ref)) return NULL;
  char *baggage = sl_baggage_current_header(); /* NULL when none: BAGGAGE removed */
  char **env = sl_env_with_trace_baggage(envp ? envp : environ, &ref, sl_tracestate_current(), baggage ? baggage : "");
  free(baggage);
  return env;
}

void sl_trace_environ_free(char **env) { sl_env_free(env); }

