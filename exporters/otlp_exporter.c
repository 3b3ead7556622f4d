/* The batching OTLP exporter (otlp_exporter.h): the queue the backend fills, the thread
 * that empties it, and what a flush and a fork do to both.
 *
 * Locking: one mutex per exporter guards the queue and the flush state. The backend
 * holds it only to push an item (or, with the block policy, to wait for room); the
 * exporter thread holds it only to take a batch out. Encoding happens before the lock,
 * the request is built and sent after it. */
#include "exporters/otlp_exporter.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fd_write.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/common.h"
#include "base/process_resource.h"
#include "base/thread.h"
#include "exporters/gzip.h"
#include "exporters/http.h"
#include "exporters/otlp_encode.h"
#include "exporters/otlp_exporter_profile.h"
#include "exporters/retry.h"
#include "spanlog/export.h"
#include "spanlog/version.h"

#define MAX_REQUEST_BYTES ((size_t)64 << 20) /* before compression (SPEC-NOTES §3.1) */
/* What a request adds around its items, at most: resource, scopes, framing. */
#define REQUEST_OVERHEAD ((size_t)64 << 10)
#define ITEM_OVERHEAD 16
#define FLUSH_GRACE_NS 200000000u

/* ---- counts, per signal (sl_export_stats) ---- */

enum { C_QUEUED, C_EXPORTED, C_REJECTED, C_DROPPED, C_FAILED, C_REQUESTS, C_RETRIES, C_QUEUE, C_N };
static _Atomic uint64_t counts[2][C_N];
/* Items lost and not yet reported by the backend (sl_otlp_take_lost). */
static _Atomic uint64_t unreported_full[2], unreported_failed[2];

static void count(int sig, int what, uint64_t n) { atomic_fetch_add_explicit(&counts[sig][what], n, memory_order_relaxed); }

static void count_lost(int sig, int full, uint64_t n) {
  if (!n) return;
  count(sig, full ? C_DROPPED : C_FAILED, n);
  atomic_fetch_add_explicit(full ? &unreported_full[sig] : &unreported_failed[sig], n, memory_order_relaxed);
}

SL_API void sl_export_stats(sl_export_signal signal, sl_export_counts *out) {
  int s = signal == SL_EXPORT_LOGS;
  uint64_t v[C_N];
  for (int i = 0; i < C_N; i++) v[i] = atomic_load_explicit(&counts[s][i], memory_order_relaxed);
  *out = (sl_export_counts){v[C_QUEUED], v[C_EXPORTED], v[C_REJECTED], v[C_DROPPED],
                            v[C_FAILED], v[C_REQUESTS], v[C_RETRIES], v[C_QUEUE]};
}

void sl_otlp_take_lost(sl_otlp_signal signal, uint64_t *queue_full, uint64_t *failed) {
  int s = signal == SL_OTLP_LOGS;
  *queue_full = atomic_exchange_explicit(&unreported_full[s], 0, memory_order_relaxed);
  *failed = atomic_exchange_explicit(&unreported_failed[s], 0, memory_order_relaxed);
}

/* ---- the exporter ---- */

/* An encoded span or log record; a log record's scope (its logger name) follows data in
   the same allocation. */
typedef struct item {
  char *data;
  size_t len;
  const char *scope;
  size_t scope_len;
} item;

/* What went wrong last, so that each kind of failure is written to stderr once until an
   export succeeds again. */
enum { REPORT_NONE, REPORT_PERMANENT, REPORT_RETRIES, REPORT_PARTIAL, REPORT_WRITE };

typedef struct otlp_exp {
  sl_exporter base; /* first: the backend's handle is this exporter */
  int sig;
  sl_otlp_format fmt;
  sl_otlp_batch batch;
  uint32_t timeout_ms;
  int gzip;
  sl_otlp_queue_full queue_full;
  sl_otlp_profile profile;
  int fd;
  size_t max_request;
  char *target; /* the endpoint or name, for messages */
  sl_http_header *headers;
  size_t nheaders;

  /* ---- under lock ---- */
  pthread_mutex_t lock;
  pthread_cond_t wake; /* to the thread: items, a flush */
  pthread_cond_t room; /* from the thread: a batch taken or settled */
  item *ring;
  size_t cap, head, n;
  uint64_t pushed;        /* items ever pushed: the sequence number of the next one */
  uint64_t inflight_from; /* the first sequence number of the batch being sent */
  int inflight;
  uint64_t flush_target, flush_deadline; /* settle every item before target by deadline */
  uint64_t next_due;      /* monotonic ns: when the schedule delay has passed */
  int started;            /* the thread runs (or could not be started) */
  int gave_up_waiting;    /* block policy: a wait for room timed out (see push) */

  /* ---- the exporter thread's own ---- */
  sl_http_client *client;
  item *out;           /* the batch being sent */
  sl_otlp_item *items; /* ... as the request builder takes it */
  sl_buf body, gz;
  uint64_t rng;
  int reported;

  /* ---- the backend thread's own ---- */
  sl_buf enc;
  sl_otlp_profile_scratch scratch;
} otlp_exp;

static uint64_t mono_ns(void) { return sl_mono_syscall_ns(); }

static const char *signal_name(int sig) { return sig ? "logs" : "traces"; }
static const char *items_name(int sig) { return sig ? "log records" : "spans"; }

/* The first sequence number whose fate is not settled (sent, given up or dropped). */
static uint64_t unsettled(const otlp_exp *x) { return x->inflight ? x->inflight_from : x->pushed - x->n; }

static void free_item(item *it) {
  free(it->data);
  it->data = NULL;
}

/* Locked: the oldest item makes room for a new one. */
static void drop_oldest(otlp_exp *x) {
  free_item(&x->ring[x->head]);
  x->head = (x->head + 1) % x->cap;
  x->n--;
  count(x->sig, C_QUEUE, (uint64_t)-1);
  count_lost(x->sig, 1, 1);
}

static void timed_wait(pthread_cond_t *c, pthread_mutex_t *m, uint64_t until_ns) {
  struct timespec ts = {(time_t)(until_ns / 1000000000u), (long)(until_ns % 1000000000u)};
  pthread_cond_timedwait(c, m, &ts);
}

static void *thread_main(void *arg);

/* Locked, on the first item (and the first in a forked child). The thread is detached:
   it lives as long as the process and is never joined. */
static int ensure_thread(otlp_exp *x) {
  if (x->started) return x->started > 0 ? 0 : -1;
  pthread_t t;
  int rc = sl_thread_spawn(&t, thread_main, x);
  if (rc) {
    sl_diag("spanlog: cannot start the OTLP %s exporter's thread (%s); its %s are dropped",
            signal_name(x->sig), strerror(rc), items_name(x->sig));
    x->started = -1;
    return -1;
  }
  pthread_detach(t);
  x->started = 1;
  return 0;
}

/* Locked, queue full, SPANLOG_OTLP_QUEUE_FULL=block: waits for the thread to make room,
   at most the export timeout. A wait that timed out means the receiver is not keeping
   up: until the queue has drained to half, items are dropped without waiting again, so
   a dead collector costs one timeout, not one per item. */
static void wait_for_room(otlp_exp *x) {
  if (x->gave_up_waiting) return;
  uint32_t ms = x->batch.export_timeout_ms ? x->batch.export_timeout_ms : 30000;
  uint64_t until = mono_ns() + (uint64_t)ms * 1000000u;
  pthread_cond_signal(&x->wake);
  while (x->n == x->cap && mono_ns() < until) timed_wait(&x->room, &x->lock, until);
  if (x->n == x->cap) x->gave_up_waiting = 1;
}

/* Backend thread: queues a copy of data (and the scope name after it). */
static void push(otlp_exp *x, const char *data, size_t len, const char *scope, size_t scope_len) {
  char *copy = malloc(len + scope_len + 1);
  if (!copy) {
    count_lost(x->sig, 0, 1);
    return;
  }
  memcpy(copy, data, len);
  if (scope_len) memcpy(copy + len, scope, scope_len);
  pthread_mutex_lock(&x->lock);
  if (ensure_thread(x)) {
    pthread_mutex_unlock(&x->lock);
    free(copy);
    count_lost(x->sig, 0, 1);
    return;
  }
  if (x->n == x->cap && x->queue_full == SL_OTLP_QUEUE_BLOCK) wait_for_room(x);
  if (x->n == x->cap) drop_oldest(x);
  x->ring[(x->head + x->n) % x->cap] = (item){copy, len, scope_len ? copy + len : NULL, scope_len};
  x->n++;
  x->pushed++;
  count(x->sig, C_QUEUED, 1);
  count(x->sig, C_QUEUE, 1);
  /* The thread sleeps until the schedule delay passes: wake it when there is a batch,
     or when the first item gives it a reason to set its timer. */
  if (x->n == 1) {
    /* After a quiet spell the first item waits out the schedule delay too, so that it
       goes with those that follow it rather than alone. */
    uint64_t now = mono_ns();
    if (x->next_due < now) x->next_due = now + (uint64_t)x->batch.schedule_delay_ms * 1000000u;
  }
  if (x->n == 1 || x->n == x->batch.max_export_batch_size) pthread_cond_signal(&x->wake);
  pthread_mutex_unlock(&x->lock);
}

static void take_span(sl_exporter *e, const sl_span_view *v) {
  otlp_exp *x = (otlp_exp *)e;
  sl_span_view with;
  if (x->profile && sl_otlp_profile_apply(x->profile, v, &with, &x->scratch) == 0) v = &with;
  x->enc.len = 0;
  if (sl_otlp_encode_span(v, x->fmt, &x->enc)) {
    count_lost(x->sig, 0, 1);
    return;
  }
  push(x, x->enc.data, x->enc.len, NULL, 0);
}

/* A log record is an OpenTelemetry Event (event_name set) when its event reads like an
   event class: dotted lowercase words, e.g. "gen_ai.evaluation.result". A message such as
   "user logged in" stays a plain log record with it as the body. */
static int event_like(const char *s, size_t n) {
  int dot = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '.' && i && i + 1 < n && s[i - 1] != '.') dot = 1;
    else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return 0;
  }
  return dot;
}

static void take_log(sl_exporter *e, const sl_record_view *v) {
  otlp_exp *x = (otlp_exp *)e;
  if (v->internal) return; /* the replay recorder's tool I/O */
  sl_otlp_log_extra extra = {sl_record_ns(), v->has_span ? v->trace_flags : -1, NULL, 0};
  if (v->event && event_like(v->event, v->event_len)) extra.event_name = v->event, extra.event_name_len = v->event_len;
  x->enc.len = 0;
  if (sl_otlp_encode_log(v, &extra, x->fmt, &x->enc)) {
    count_lost(x->sig, 0, 1);
    return;
  }
  push(x, x->enc.data, x->enc.len, v->logger, v->logger_len);
}

/* ---- the exporter thread: waiting and taking a batch ---- */

/* Locked: whether the thread has a batch to send now. */
static int due(const otlp_exp *x, uint64_t now) {
  if (!x->n) return 0;
  return x->n >= x->batch.max_export_batch_size || now >= x->next_due || x->flush_target > x->pushed - x->n;
}

static void wait_for_batch(otlp_exp *x) {
  for (;;) {
    uint64_t now = mono_ns();
    if (due(x, now)) return;
    if (x->n) timed_wait(&x->wake, &x->lock, x->next_due);
    else pthread_cond_wait(&x->wake, &x->lock);
  }
}

/* Locked: moves up to a batch of items out of the queue. */
static size_t take_batch(otlp_exp *x) {
  size_t k = x->n < x->batch.max_export_batch_size ? x->n : x->batch.max_export_batch_size;
  x->inflight_from = x->pushed - x->n;
  x->inflight = 1;
  for (size_t i = 0; i < k; i++) x->out[i] = x->ring[(x->head + i) % x->cap];
  x->head = (x->head + k) % x->cap;
  x->n -= k;
  if (x->n <= x->cap / 2) x->gave_up_waiting = 0;
  pthread_cond_broadcast(&x->room);
  return k;
}

/* ---- reporting ---- */

/* Writes a failure to stderr unless one of its kind was written since the last success. */
static void report(otlp_exp *x, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(otlp_exp *x, int kind, const char *fmt, ...) {
  if (x->reported == kind) return;
  x->reported = kind;
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sl_diag("spanlog: OTLP %s export to %s: %s", signal_name(x->sig), x->target, msg);
}

/* ---- partial_success in a 2xx answer ---- */

typedef struct partial {
  int64_t rejected;
  char message[256];
} partial;

static int pb_varint(const unsigned char **p, const unsigned char *end, uint64_t *v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    unsigned char b = *(*p)++;
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return 0;
  }
  return -1;
}

/* Export*ServiceResponse{1: partial_success{1: rejected int64, 2: error_message}}. */
static void partial_from_pb(const unsigned char *p, const unsigned char *end, int depth, partial *out) {
  while (p < end) {
    uint64_t key, v;
    if (pb_varint(&p, end, &key)) return;
    unsigned field = (unsigned)(key >> 3), wire = (unsigned)(key & 7);
    if (wire == 0) {
      if (pb_varint(&p, end, &v)) return;
      if (depth == 1 && field == 1) out->rejected = (int64_t)v;
    } else if (wire == 2) {
      if (pb_varint(&p, end, &v) || v > (uint64_t)(end - p)) return;
      if (depth == 0 && field == 1) partial_from_pb(p, p + v, 1, out);
      if (depth == 1 && field == 2) sl_otlp_status_message("text/plain", p, (size_t)v, out->message, sizeof out->message);
      p += v;
    } else if (wire == 1 || wire == 5) {
      size_t skip = wire == 1 ? 8 : 4;
      if ((size_t)(end - p) < skip) return;
      p += skip;
    } else {
      return;
    }
  }
}

/* The value after "key": in a JSON text, as a number (quoted or not). */
static int64_t json_number_after(const char *s, size_t n, const char *key) {
  size_t kl = strlen(key);
  for (size_t i = 0; i + kl <= n; i++) {
    if (memcmp(s + i, key, kl) != 0) continue;
    size_t j = i + kl;
    while (j < n && (s[j] == ' ' || s[j] == ':' || s[j] == '"' || s[j] == '\t')) j++;
    int64_t v = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9' && v < INT64_MAX / 10) v = v * 10 + (s[j++] - '0');
    return v;
  }
  return 0;
}

/* The errorMessage string of a JSON answer, escapes left as they are (it is only shown). */
static void json_message(const char *s, size_t n, partial *out) {
  const char *key = "\"errorMessage\"";
  size_t kl = strlen(key);
  for (size_t i = 0; i + kl <= n; i++) {
    if (memcmp(s + i, key, kl) != 0) continue;
    size_t j = i + kl;
    while (j < n && s[j] != '"') j++;
    size_t start = ++j;
    while (j < n && !(s[j] == '"' && s[j - 1] != '\\')) j++;
    if (j <= n && start <= j) sl_otlp_status_message("text/plain", s + start, j - start, out->message, sizeof out->message);
    return;
  }
}

static void partial_of(const sl_http_result *r, int sig, partial *out) {
  const char *b = r->body.data;
  size_t n = r->body.len;
  memset(out, 0, sizeof *out);
  if (!n) return;
  if (strncmp(r->content_type, "application/json", 16) == 0 || b[0] == '{') {
    out->rejected = json_number_after(b, n, sig ? "\"rejectedLogRecords\"" : "\"rejectedSpans\"");
    json_message(b, n, out);
  } else {
    partial_from_pb((const unsigned char *)b, (const unsigned char *)b + n, 0, out);
  }
}

/* ---- sending ---- */

static void delivered(otlp_exp *x, const sl_http_result *r, size_t n) {
  partial p;
  partial_of(r, x->sig, &p);
  uint64_t rejected = p.rejected > 0 ? ((uint64_t)p.rejected < n ? (uint64_t)p.rejected : n) : 0;
  count(x->sig, C_EXPORTED, n - rejected);
  count(x->sig, C_REJECTED, rejected);
  if (rejected || p.message[0])
    report(x, REPORT_PARTIAL, "partial success: %llu of %zu %s rejected%s%s", (unsigned long long)rejected, n,
           items_name(x->sig), p.message[0] ? ": " : "", p.message);
  else
    x->reported = REPORT_NONE;
}

static void refused(otlp_exp *x, const sl_http_result *r, size_t n) {
  char msg[512] = "";
  if (r->error == SL_HTTP_OK)
    sl_otlp_status_message(r->content_type, r->body.data, r->body.len, msg, sizeof msg);
  if (r->error == SL_HTTP_OK)
    report(x, REPORT_PERMANENT, "HTTP %d%s%s; %zu %s dropped, not retried%s", r->status, msg[0] ? ": " : "", msg, n,
           items_name(x->sig), r->body_truncated ? " (answer over 4 MiB)" : "");
  else
    report(x, REPORT_PERMANENT, "%s; %zu %s dropped", sl_http_error_name(r->error), n, items_name(x->sig));
  count_lost(x->sig, 0, n);
}

static void gave_up(otlp_exp *x, const sl_http_result *r, size_t n, int flushing) {
  char what[64];
  if (r->error == SL_HTTP_OK) snprintf(what, sizeof what, "HTTP %d", r->status);
  else snprintf(what, sizeof what, "%s", sl_http_error_name(r->error));
  report(x, REPORT_RETRIES, "%s; %s within the export timeout; dropping %s until it answers (counted, see "
         "sl_export_stats)", what, flushing ? "no time left to retry" : "retries ran out", items_name(x->sig));
  count_lost(x->sig, 0, n);
}

/* Sleeps until until_ns, unless a flush needs the thread to be done sooner, or comes
   while nobody is listening (as a flush does not retry a failed connection): 0 slept
   fully, -1 cut short (the batch is then given up). */
static int backoff(otlp_exp *x, uint64_t until_ns, int no_connection) {
  pthread_mutex_lock(&x->lock);
  int cut = 0;
  while (!cut && mono_ns() < until_ns) {
    cut = x->flush_target > x->inflight_from && (no_connection || x->flush_deadline < until_ns);
    if (!cut) timed_wait(&x->wake, &x->lock, until_ns);
  }
  pthread_mutex_unlock(&x->lock);
  return cut ? -1 : 0;
}

static uint64_t rng(void *ctx) { return sl_retry_splitmix(ctx); }

/* POSTs the body with retries, within the export timeout and, for a flush, its
   deadline. A flush does not retry a failed connection: nobody listening is not worth
   delaying exit for; a receiver that asks for a retry (429, 502, 503, 504) gets one
   while the deadline allows. */
static void post(otlp_exp *x, size_t n, uint64_t deadline, int flushing) {
  static const sl_retry_policy policy = SL_RETRY_POLICY_DEFAULT;
  uint64_t start = mono_ns();
  int64_t budget = x->timeout_ms;
  if (deadline) {
    int64_t left = deadline > start ? (int64_t)((deadline - start) / 1000000u) : 0;
    budget = budget && budget < left ? budget : (left ? left : 1);
  }
  int compressed = x->gzip && x->gz.len;
  sl_http_request rq = {x->fmt == SL_OTLP_JSON ? "application/json" : "application/x-protobuf",
                        compressed ? "gzip" : NULL, x->headers, x->nheaders,
                        compressed ? x->gz.data : x->body.data, compressed ? x->gz.len : x->body.len, 0};
  for (int attempt = 1;; attempt++) {
    int64_t elapsed = (int64_t)((mono_ns() - start) / 1000000u);
    rq.timeout_ms = budget ? (budget > elapsed ? budget - elapsed : 1) : 0;
    sl_http_result r;
    count(x->sig, C_REQUESTS, 1);
    sl_http_post(x->client, &rq, &r);
    sl_retry_class cls = sl_retry_classify(r.error, r.status, r.body_truncated);
    int64_t delay = -1;
    if (cls == SL_RETRY_SUCCESS) delivered(x, &r, n);
    else if (cls == SL_RETRY_PERMANENT) refused(x, &r, n);
    else if (!flushing || r.error == SL_HTTP_OK) delay = sl_retry_delay(&policy, attempt, r.retry_after_ms,
                                               (int64_t)((mono_ns() - start) / 1000000u), budget, rng, &x->rng);
    if (cls == SL_RETRY_RETRYABLE && (delay < 0 || backoff(x, mono_ns() + (uint64_t)delay * 1000000u, r.error != SL_HTTP_OK))) {
      gave_up(x, &r, n, flushing || delay >= 0);
      cls = SL_RETRY_PERMANENT;
    }
    sl_http_result_free(&r);
    if (cls != SL_RETRY_RETRYABLE) return;
    count(x->sig, C_RETRIES, 1);
  }
}

/* console / otlp_file: the request as one line. */
static void write_line(otlp_exp *x, size_t n) {
  if (sl_buf_append(&x->body, "\n", 1)) {
    count_lost(x->sig, 0, n);
    return;
  }
  int err = sl_write_all(x->fd, x->body.data, x->body.len, NULL);
  if (err) {
    report(x, REPORT_WRITE, "cannot write (%s); %zu %s dropped", strerror(err), n, items_name(x->sig));
    count_lost(x->sig, 0, n);
    return;
  }
  x->reported = REPORT_NONE;
  count(x->sig, C_EXPORTED, n);
}

/* The request of out[from, to) in body (and gz). 0, or -1 without memory. */
static int build(otlp_exp *x, size_t from, size_t to) {
  static const sl_otlp_scope scope = {"spanlog", SPANLOG_VERSION_STRING};
  for (size_t i = from; i < to; i++)
    x->items[i - from] = (sl_otlp_item){x->out[i].data, x->out[i].len, x->out[i].scope, x->out[i].scope_len};
  x->body.len = x->gz.len = 0;
  int rc = x->sig ? sl_otlp_logs_request(sl_process_resource(), &scope, x->items, to - from, x->fmt, &x->body)
                  : sl_otlp_traces_request(sl_process_resource(), &scope, x->items, to - from, x->fmt, &x->body);
  if (!rc && x->gzip && x->fd < 0) rc = sl_gzip(x->body.data, x->body.len, &x->gz);
  return rc;
}

/* How many items from `from` fit one request of at most max_request bytes. */
static size_t fit(const otlp_exp *x, size_t from, size_t k) {
  size_t total = REQUEST_OVERHEAD, i = from;
  while (i < k && total + x->out[i].len + x->out[i].scope_len + ITEM_OVERHEAD <= x->max_request)
    total += x->out[i].len + x->out[i].scope_len + ITEM_OVERHEAD, i++;
  return i;
}

static void send_batch(otlp_exp *x, size_t k, uint64_t deadline, int flushing) {
  for (size_t i = 0; i < k;) {
    size_t j = fit(x, i, k);
    if (j == i) { /* one item alone is over the limit: the spec says not to send it */
      report(x, REPORT_PERMANENT, "a %s of %zu bytes is over the request limit; dropped", flushing ? "span" : "item",
             x->out[i].len);
      count_lost(x->sig, 0, 1);
      count(x->sig, C_QUEUE, (uint64_t)-1);
      i++;
      continue;
    }
    if (build(x, i, j)) count_lost(x->sig, 0, j - i);
    else if (x->fd >= 0) write_line(x, j - i);
    else post(x, j - i, deadline, flushing);
    count(x->sig, C_QUEUE, (uint64_t)0 - (j - i)); /* settled: no longer waiting */
    i = j;
  }
  for (size_t i = 0; i < k; i++) free_item(&x->out[i]);
}

static void *thread_main(void *arg) {
  otlp_exp *x = arg;
  sl_thread_enter(x->sig ? "spanlog-otlp-l" : "spanlog-otlp-t");
  pthread_mutex_lock(&x->lock);
  for (;;) {
    wait_for_batch(x);
    size_t k = take_batch(x);
    int flushing = x->flush_target > x->inflight_from;
    uint64_t deadline = flushing ? x->flush_deadline : 0;
    pthread_mutex_unlock(&x->lock);
    send_batch(x, k, deadline, flushing);
    pthread_mutex_lock(&x->lock);
    x->inflight = 0;
    x->next_due = mono_ns() + (uint64_t)x->batch.schedule_delay_ms * 1000000u;
    pthread_cond_broadcast(&x->room);
  }
  return NULL;
}

/* ---- flush and fork ---- */

/* The application's thread (sl_flush, exit): waits until everything pushed so far is
   settled, or the deadline. */
static void flush(sl_exporter *e, uint64_t deadline_ns) {
  otlp_exp *x = (otlp_exp *)e;
  pthread_mutex_lock(&x->lock);
  uint64_t target = x->pushed;
  if (x->started <= 0 || unsettled(x) >= target) {
    pthread_mutex_unlock(&x->lock);
    return;
  }
  uint64_t budget_ms = x->timeout_ms ? x->timeout_ms : x->batch.export_timeout_ms;
  if (!deadline_ns) deadline_ns = budget_ms ? mono_ns() + budget_ms * 1000000u : UINT64_MAX;
  if (target > x->flush_target) x->flush_target = target;
  x->flush_deadline = deadline_ns;
  pthread_cond_signal(&x->wake);
  /* The thread gives up by the deadline; a moment more lets it say why on stderr. */
  uint64_t until = deadline_ns < UINT64_MAX - FLUSH_GRACE_NS ? deadline_ns + FLUSH_GRACE_NS : UINT64_MAX;
  while (unsettled(x) < target && mono_ns() < until) timed_wait(&x->room, &x->lock, until);
  pthread_mutex_unlock(&x->lock);
}

/* In a forked child, the only thread: the queue is the parent's to deliver. If the
   parent's exporter thread held the lock at fork, the queue may be half-moved: its items
   are then left as they are (a copy-on-write page of the parent's) rather than freed. */
static void fork_child(sl_exporter *e) {
  otlp_exp *x = (otlp_exp *)e;
  if (pthread_mutex_trylock(&x->lock) == 0) {
    for (size_t i = 0; i < x->n; i++) free_item(&x->ring[(x->head + i) % x->cap]);
    pthread_mutex_unlock(&x->lock);
  }
  pthread_mutex_init(&x->lock, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&x->wake, &ca);
  pthread_cond_init(&x->room, &ca);
  pthread_condattr_destroy(&ca);
  x->head = x->n = 0;
  x->pushed = x->inflight_from = x->flush_target = x->flush_deadline = x->next_due = 0;
  x->inflight = x->started = x->gave_up_waiting = x->reported = 0;
  /* The connection is the parent's: the child opens its own. The parent's thread may
     have been using the client's buffers, so they are left, not freed. */
  if (x->client) {
    sl_http_client_close(x->client);
    x->client = sl_http_client_new(x->target, NULL, 0);
  }
  x->body = x->gz = (sl_buf){0};
  x->rng ^= (uint64_t)getpid() * 0x9E3779B97F4A7C15u;
  for (int i = 0; i < C_N; i++) atomic_store(&counts[x->sig][i], 0);
  atomic_store(&unreported_full[x->sig], 0);
  atomic_store(&unreported_failed[x->sig], 0);
}

/* ---- making one ---- */

static int copy_headers(otlp_exp *x, const sl_otlp_headers *h) {
  if (!h->n) return 0;
  x->headers = calloc(h->n, sizeof *x->headers);
  if (!x->headers) return -1;
  for (size_t i = 0; i < h->n; i++) {
    char *name = strdup(h->v[i].name), *value = strdup(h->v[i].value);
    x->headers[x->nheaders++] = (sl_http_header){name, value};
    if (!name || !value) return -1;
  }
  return 0;
}

static void destroy(otlp_exp *x) {
  for (size_t i = 0; i < x->nheaders; i++) {
    free((char *)x->headers[i].name);
    free((char *)x->headers[i].value);
  }
  free(x->headers);
  free(x->ring);
  free(x->out);
  free(x->items);
  free(x->target);
  sl_http_client_free(x->client);
  free(x);
}

static int init_sync(otlp_exp *x) {
  pthread_condattr_t ca;
  if (pthread_condattr_init(&ca)) return -1;
  int rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) || pthread_cond_init(&x->wake, &ca) ||
           pthread_cond_init(&x->room, &ca) || pthread_mutex_init(&x->lock, NULL);
  pthread_condattr_destroy(&ca);
  return rc ? -1 : 0;
}

static otlp_exp *alloc_exporter(const sl_otlp_exporter_config *c) {
  otlp_exp *x = calloc(1, sizeof *x);
  if (!x) return NULL;
  const sl_otlp_signal_config *s = c->settings;
  x->sig = c->signal == SL_OTLP_LOGS;
  x->batch = s->batch;
  if (!x->batch.max_queue_size) x->batch.max_queue_size = 2048;
  if (!x->batch.max_export_batch_size || x->batch.max_export_batch_size > x->batch.max_queue_size)
    x->batch.max_export_batch_size = x->batch.max_queue_size < 512 ? x->batch.max_queue_size : 512;
  if (!x->batch.schedule_delay_ms) x->batch.schedule_delay_ms = 1;
  x->cap = x->batch.max_queue_size;
  x->ring = calloc(x->cap, sizeof *x->ring);
  x->out = calloc(x->batch.max_export_batch_size, sizeof *x->out);
  x->items = calloc(x->batch.max_export_batch_size, sizeof *x->items);
  x->fd = c->fd;
  x->fmt = c->fd >= 0 || s->protocol == SL_OTLP_HTTP_JSON ? SL_OTLP_JSON : SL_OTLP_PROTOBUF;
  x->timeout_ms = s->timeout_ms;
  x->gzip = c->fd < 0 && s->compression == SL_OTLP_COMPRESS_GZIP;
  x->queue_full = c->queue_full;
  x->profile = c->signal == SL_OTLP_TRACES ? c->profile : SL_OTLP_PROFILE_NONE;
  x->max_request = c->max_request_bytes ? c->max_request_bytes : MAX_REQUEST_BYTES;
  x->target = strdup(c->name ? c->name : s->endpoint ? s->endpoint : "?");
  x->rng = mono_ns() ^ (uint64_t)getpid() << 32 ^ (uintptr_t)x;
  if (!x->ring || !x->out || !x->items || !x->target || init_sync(x)) {
    destroy(x);
    return NULL;
  }
  return x;
}

sl_exporter *sl_otlp_exporter_new(const sl_otlp_exporter_config *c, char *why, size_t why_len) {
  otlp_exp *x = alloc_exporter(c);
  if (!x) {
    if (why) snprintf(why, why_len, "out of memory");
    return NULL;
  }
  if (c->fd < 0 && (copy_headers(x, &c->settings->headers) ||
                    !(x->client = sl_http_client_new(c->settings->endpoint ? c->settings->endpoint : "", why, why_len)))) {
    destroy(x);
    return NULL;
  }
  x->base = (sl_exporter){.name = x->sig ? "otlp logs" : "otlp traces", .take_log = x->sig ? take_log : NULL,
                          .take_span = x->sig ? NULL : take_span, .flush = flush, .fork_child = fork_child};
  return &x->base;
}

/* ---- from the settings ---- */

static int add_one(const sl_otlp_exporter_config *c, void (*add)(sl_exporter *)) {
  char why[256] = "";
  sl_exporter *e = sl_otlp_exporter_new(c, why, sizeof why);
  if (!e) {
    sl_diag("spanlog: OTLP %s export to %s is off: %s", signal_name(c->signal == SL_OTLP_LOGS),
            c->name ? c->name : c->settings->endpoint ? c->settings->endpoint : "?", why);
    if (c->own_fd) close(c->fd);
    return 0;
  }
  add(e);
  return 1;
}

static int open_file(const char *path, int sig) {
  if (!path || !*path) {
    sl_diag("spanlog: OTEL_%s_EXPORTER has otlp_file but SPANLOG_OTLP_FILE (the file to write) is not set; "
            "that exporter is off", sig ? "LOGS" : "TRACES");
    return -1;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) sl_diag("spanlog: cannot open SPANLOG_OTLP_FILE=%s (%s); that exporter is off", path, strerror(errno));
  return fd;
}

int sl_otlp_exporters_from_config(const sl_otlp_config *c, const char *file_path, void (*add)(sl_exporter *)) {
  int made = 0;
  for (int sig = 0; sig < 2 && !c->sdk_disabled; sig++) {
    const sl_otlp_signal_config *s = &c->signal[sig];
    sl_otlp_exporter_config ec = {(sl_otlp_signal)sig, s, c->queue_full, c->profile, -1, 0, NULL, 0};
    if (s->otlp_on) made += add_one(&ec, add);
    if (s->exporters & (SL_EXPORTER_CONSOLE | SL_EXPORTER_OTLP_STDOUT)) {
      ec.fd = STDOUT_FILENO, ec.name = "stdout";
      made += add_one(&ec, add);
    }
    if (s->exporters & SL_EXPORTER_OTLP_FILE) {
      ec.fd = open_file(file_path, sig), ec.own_fd = 1, ec.name = file_path;
      if (ec.fd >= 0) made += add_one(&ec, add);
    }
  }
  return made;
}
