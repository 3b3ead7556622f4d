/* The replay recorder. On the backend thread it renders each REPLAY record into the
 * recording of its trace, held in memory (bounded) until the trace's request span ends;
 * then it decides, from the span's status and the trace id, whether the recording is
 * written, and hands it to a thread of its own that writes <dir>/<trace_id>.jsonl (a
 * temporary file renamed into place, so a reader never sees half a recording). */
#include "exporters/replay_recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fd_write.h"
#include "base/buf.h"
#include "base/common.h"
#include "base/ids.h"
#include "base/json_read.h"
#include "base/json_text.h"
#include "base/numfmt.h"
#include "base/thread.h"
#include "record/record.h"
#include "spanlog/span.h"

/* ---- a trace's recording, while its request span runs ---- */

typedef struct open_trace {
  uint8_t trace_id[16], root[8]; /* root: the span current when the input was recorded */
  int has_root, dropped;
  uint64_t last_ns; /* the last record's time: the idle one goes first when too many are open */
  sl_buf head, output, calls; /* the first line's parts, and the call lines */
  struct open_trace *next;
} open_trace;

#define NBUCKETS 1024

/* Recordings that wait for the writer thread. */
typedef struct job {
  char *dir;
  char id[33];
  sl_buf data;
  struct job *next;
} job;

typedef struct recorder {
  sl_exporter base; /* first: the backend's handle is the recorder */
  sl_replay_settings_fn settings;
  /* the backend thread's (drain lock) */
  open_trace *buckets[NBUCKETS];
  size_t open, buffered;
  /* shared with the writer thread (lock) */
  pthread_mutex_t lock;
  pthread_cond_t work, idle; /* idle: on the monotonic clock, for flush deadlines */
  job *head, **tail;
  size_t pending;
  int busy, started;
  pthread_t thread;
} recorder;

static void say_once(_Atomic int *said, const char *what, const char *id) {
  if (!atomic_exchange(said, 1)) sl_diag("spanlog: replay: %s (trace %s; said once)", what, id);
}

static void hex_id(const uint8_t *id, char out[33]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) out[2 * i] = digits[id[i] >> 4], out[2 * i + 1] = digits[id[i] & 15];
  out[32] = 0;
}

static size_t trace_bytes(const open_trace *t) { return t->head.len + t->output.len + t->calls.len; }

static void free_trace(recorder *r, open_trace *t) {
  r->buffered -= trace_bytes(t);
  sl_buf_free(&t->head), sl_buf_free(&t->output), sl_buf_free(&t->calls);
  free(t);
}

static open_trace **slot_of(recorder *r, const uint8_t id[16]) {
  uint64_t h;
  memcpy(&h, id + 8, 8); /* random bits */
  open_trace **p = &r->buckets[h % NBUCKETS];
  while (*p && memcmp((*p)->trace_id, id, 16) != 0) p = &(*p)->next;
  return p;
}

/* Removes t from the table; the caller frees it. */
static void unlink_trace(recorder *r, open_trace *t) {
  open_trace **p = slot_of(r, t->trace_id);
  if (*p == t) *p = t->next, r->open--;
}

/* Too many open traces (request spans that never end, or never reach us): the one idle
   longest is given up. */
static void evict_idlest(recorder *r) {
  static _Atomic int said;
  open_trace *idlest = NULL;
  for (size_t i = 0; i < NBUCKETS; i++)
    for (open_trace *t = r->buckets[i]; t; t = t->next)
      if (!idlest || t->last_ns < idlest->last_ns) idlest = t;
  if (!idlest) return;
  char id[33];
  hex_id(idlest->trace_id, id);
  say_once(&said, "too many traces open at once; the longest idle is not recorded", id);
  unlink_trace(r, idlest);
  free_trace(r, idlest);
}

static open_trace *find_or_add(recorder *r, const uint8_t id[16]) {
  open_trace **p = slot_of(r, id);
  if (*p) return *p;
  if (r->open >= SL_REPLAY_OPEN_MAX) {
    evict_idlest(r);
    p = slot_of(r, id);
  }
  open_trace *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  memcpy(t->trace_id, id, 16);
  *p = t;
  r->open++;
  return t;
}

/* ---- rendering the records' fields ---- */

/* Raw JSON compacted; text that does not parse (a scrubber may have changed it) as a
   string. */
static int put_raw(sl_buf *b, const char *s, size_t n) {
  sl_json *v = sl_json_parse(s, n, NULL);
  int rc = v ? sl_json_write_compact(v, b) : sl_json_put_string(b, s, n);
  sl_json_free(v);
  return rc;
}

static int put_value(sl_buf *b, const sl_field *f) {
  char num[32];
  switch (f->type) {
  case SL__T_STR:
  case SL__T_STRN: return sl_json_put_string(b, f->str, f->len);
  case SL__T_RAW: return put_raw(b, f->str, f->len);
  case SL__T_I64: return sl_buf_append(b, num, sl_fmt_i64(f->v.i, num));
  case SL__T_U64: return sl_buf_append(b, num, sl_fmt_u64(f->v.u, num));
  case SL__T_F64:
    if (sl_buf_reserve(b, SL_JSON_SMALL)) return -1;
    sl_json_put_double(b, f->v.d);
    return 0;
  case SL__T_BOOL: return f->v.b ? sl_buf_lit(b, "true") : sl_buf_lit(b, "false");
  default: return sl_buf_lit(b, "null");
  }
}

static const sl_field *field(const sl_record_view *v, const char *key) {
  size_t n = strlen(key);
  for (size_t i = 0; i < v->nfields; i++)
    if (v->fields[i].key_len == n && memcmp(v->fields[i].key, key, n) == 0) return &v->fields[i];
  return NULL;
}

/* The value under `prefix`: whole, or (its field holding {}) an object of the members
   that travelled as fields "prefix.member" (capture/replay_record.c). */
static int put_composite(sl_buf *b, const sl_record_view *v, const char *prefix) {
  const sl_field *marker = field(v, prefix);
  if (!marker) return sl_buf_lit(b, "null");
  if (marker->type != SL__T_RAW || marker->len != 2 || memcmp(marker->str, "{}", 2) != 0) return put_value(b, marker);
  size_t plen = strlen(prefix);
  int first = 1, rc = sl_buf_lit(b, "{");
  for (size_t i = 0; i < v->nfields && !rc; i++) {
    const sl_field *f = &v->fields[i];
    if (f->key_len <= plen + 1 || memcmp(f->key, prefix, plen) != 0 || f->key[plen] != '.') continue;
    rc = sl_json_put_key(b, f->key + plen + 1, f->key_len - plen - 1, first) || put_value(b, f);
    first = 0;
  }
  return rc || sl_buf_lit(b, "}");
}

static int render_head(open_trace *t, const sl_record_view *v) {
  char id[33];
  hex_id(t->trace_id, id);
  t->head.len = 0;
  return sl_buf_lit(&t->head, "{\"trace_id\":") || sl_json_put_string(&t->head, id, 32) ||
         sl_buf_lit(&t->head, ",\"input\":") || put_composite(&t->head, v, "input");
}

static int render_output(open_trace *t, const sl_record_view *v) {
  t->output.len = 0;
  return sl_buf_lit(&t->output, ",\"output\":") || put_composite(&t->output, v, "output");
}

static int render_call(open_trace *t, const sl_record_view *v) {
  sl_buf *b = &t->calls;
  const sl_field *error = field(v, "error");
  int rc = sl_buf_lit(b, "{\"call_id\":") || put_composite(b, v, "call_id") || sl_buf_lit(b, ",\"tool\":") ||
           put_composite(b, v, "tool") || sl_buf_lit(b, ",\"args\":") || put_composite(b, v, "args");
  if (error) rc = rc || sl_buf_lit(b, ",\"error\":") || put_value(b, error);
  else rc = rc || sl_buf_lit(b, ",\"result\":") || put_composite(b, v, "result");
  return rc || sl_buf_lit(b, "}\n");
}

/* Past a bound, a trace is not recorded: its records are freed now and the rest ignored. */
static void drop_trace(recorder *r, open_trace *t, const char *why) {
  static _Atomic int said;
  char id[33];
  hex_id(t->trace_id, id);
  say_once(&said, why, id);
  r->buffered -= trace_bytes(t);
  sl_buf_free(&t->head), sl_buf_free(&t->output), sl_buf_free(&t->calls);
  t->dropped = 1;
}

static int event_is(const sl_record_view *v, const char *name) {
  return v->event_len == strlen(name) && memcmp(v->event, name, v->event_len) == 0;
}

static void take_log(sl_exporter *e, const sl_record_view *v) {
  recorder *r = (recorder *)e;
  if (!v->internal || !v->has_span) return;
  open_trace *t = find_or_add(r, v->trace_id);
  if (!t || t->dropped) return;
  size_t before = trace_bytes(t);
  int rc = 0;
  if (event_is(v, "replay.input")) {
    memcpy(t->root, v->span_id, 8);
    t->has_root = 1;
    rc = render_head(t, v);
  } else if (event_is(v, "replay.call")) {
    rc = render_call(t, v);
  } else if (event_is(v, "replay.output")) {
    rc = render_output(t, v);
  }
  t->last_ns = v->ts_ns;
  r->buffered = r->buffered - before + trace_bytes(t);
  if (rc) drop_trace(r, t, "out of memory; a trace is not recorded");
  else if (trace_bytes(t) > SL_REPLAY_TRACE_MAX) drop_trace(r, t, "a trace's tool I/O passed 4 MiB; it is not recorded");
  else if (r->buffered > SL_REPLAY_TOTAL_MAX) drop_trace(r, t, "64 MiB of tool I/O held for open traces; a trace is not recorded");
}

/* ---- the writer thread ---- */

/* mkdir -p */
static int make_dirs(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    int rc = mkdir(path, 0755);
    *p = '/';
    if (rc && errno != EEXIST) return -1;
  }
  return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

static void write_job(const job *j) {
  static _Atomic int said;
  size_t n = strlen(j->dir) + 48;
  char *path = malloc(n), *tmp = malloc(n);
  int ok = path && tmp;
  if (ok) {
    snprintf(path, n, "%s/%s.jsonl", j->dir, j->id);
    snprintf(tmp, n, "%s/.%s.jsonl.tmp", j->dir, j->id);
    char *dir = strdup(j->dir);
    ok = dir && make_dirs(dir) == 0;
    free(dir);
    int fd = ok ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
    ok = fd >= 0 && sl_write_all(fd, j->data.data, j->data.len, NULL) == 0;
    if (fd >= 0 && close(fd)) ok = 0;
    ok = ok && rename(tmp, path) == 0;
    if (!ok && fd >= 0) unlink(tmp);
  }
  if (!ok) {
    char what[256];
    snprintf(what, sizeof what, "cannot write a recording in %s: %s", j->dir, strerror(errno));
    say_once(&said, what, j->id);
  }
  free(path), free(tmp);
}

static void free_job(job *j) {
  free(j->dir);
  sl_buf_free(&j->data);
  free(j);
}

static void *writer_main(void *arg) {
  recorder *r = arg;
  sl_thread_enter("spanlog-replay");
  pthread_mutex_lock(&r->lock);
  for (;;) {
    while (!r->head) pthread_cond_wait(&r->work, &r->lock);
    job *j = r->head;
    if (!(r->head = j->next)) r->tail = &r->head;
    r->busy = 1;
    pthread_mutex_unlock(&r->lock);
    write_job(j);
    pthread_mutex_lock(&r->lock);
    r->pending -= j->data.len;
    r->busy = 0;
    free_job(j);
    if (!r->head) pthread_cond_broadcast(&r->idle);
  }
  return NULL;
}

/* Hands a recording to the writer thread (started on the first), or drops it past the
   bound of what may wait. */
static void enqueue(recorder *r, job *j) {
  static _Atomic int said;
  pthread_mutex_lock(&r->lock);
  if (!r->started) r->started = sl_thread_spawn(&r->thread, writer_main, r) == 0;
  int full = r->pending + j->data.len > SL_REPLAY_PENDING_MAX;
  if (r->started && !full) {
    *r->tail = j, r->tail = &j->next;
    r->pending += j->data.len;
    pthread_cond_signal(&r->work);
  }
  pthread_mutex_unlock(&r->lock);
  if (r->started && !full) return;
  say_once(&said, full ? "64 MiB of recordings wait to be written; a recording is dropped"
                       : "cannot start the writer thread; a recording is dropped", j->id);
  free_job(j);
}

/* ---- closing a trace ---- */

static int keep(const uint8_t id[16], int error, double sample) {
  return error || sample >= 1 || (sample > 0 && sl_trace_id_fraction(id) < sample);
}

static job *make_job(open_trace *t, const char *dir) {
  job *j = calloc(1, sizeof *j);
  if (!j || !(j->dir = strdup(dir))) return free(j), NULL;
  hex_id(t->trace_id, j->id);
  /* the head's buffer becomes the file: the first line, then the calls */
  j->data = t->head;
  t->head = (sl_buf){0};
  if (sl_buf_append(&j->data, t->output.data, t->output.len) || sl_buf_lit(&j->data, "}\n") ||
      sl_buf_append(&j->data, t->calls.data, t->calls.len)) {
    free_job(j);
    return NULL;
  }
  return j;
}

static void close_trace(recorder *r, open_trace *t, int error) {
  char dir[4096];
  double sample = 1;
  r->settings(dir, sizeof dir, &sample);
  unlink_trace(r, t);
  r->buffered -= trace_bytes(t);
  job *j = !t->dropped && keep(t->trace_id, error, sample) ? make_job(t, dir) : NULL;
  if (j) enqueue(r, j);
  sl_buf_free(&t->head), sl_buf_free(&t->output), sl_buf_free(&t->calls);
  free(t);
}

static void take_span(sl_exporter *e, const sl_span_view *v) {
  recorder *r = (recorder *)e;
  if (!r->open) return;
  open_trace *t = *slot_of(r, v->trace_id);
  if (t && t->has_root && memcmp(t->root, v->span_id, 8) == 0) close_trace(r, t, v->status == SL_STATUS_ERROR);
}

/* ---- flush and fork ---- */

static uint64_t mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define FLUSH_TIMEOUT_NS 5000000000u

static void flush(sl_exporter *e, uint64_t deadline_ns) {
  recorder *r = (recorder *)e;
  if (!deadline_ns) deadline_ns = mono_now() + FLUSH_TIMEOUT_NS;
  struct timespec until = {(time_t)(deadline_ns / 1000000000u), (long)(deadline_ns % 1000000000u)};
  pthread_mutex_lock(&r->lock);
  while ((r->head || r->busy) && pthread_cond_timedwait(&r->idle, &r->lock, &until) != ETIMEDOUT) {
  }
  pthread_mutex_unlock(&r->lock);
}

static void init_sync(recorder *r) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->work, NULL);
  pthread_cond_init(&r->idle, &attr);
  pthread_condattr_destroy(&attr);
}

/* The child has no writer thread; what waits for it, and the open traces, are the
   parent's to write. */
static void fork_child(sl_exporter *e) {
  recorder *r = (recorder *)e;
  init_sync(r);
  for (job *j = r->head, *next; j; j = next) next = j->next, free_job(j);
  r->head = NULL, r->tail = &r->head;
  r->pending = 0, r->busy = 0, r->started = 0;
  for (size_t i = 0; i < NBUCKETS; i++)
    for (open_trace *t = r->buckets[i], *next; t; t = next) next = t->next, free_trace(r, t);
  memset(r->buckets, 0, sizeof r->buckets);
  r->open = 0;
}

sl_exporter *sl_replay_recorder(sl_replay_settings_fn settings) {
  static recorder *one;
  if (one) return &one->base;
  recorder *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->base = (sl_exporter){.name = "replay", .take_log = take_log, .take_span = take_span, .flush = flush,
                          .fork_child = fork_child};
  r->settings = settings;
  r->tail = &r->head;
  init_sync(r);
  return &(one = r)->base;
}
