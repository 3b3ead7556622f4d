/* The cost of each stage of a record's way, one stage at a time, on the workload record:
 *
 *   bench_stages [ROUNDS]
 *
 * Prints one table (Markdown): per stage, the median over ROUNDS rounds of ns per record
 * (min-max) and the records/s that makes. The stages are run round by round (round 1 of
 * every stage, then round 2, ...), so that a slow moment of the machine spreads over all.
 *
 *   capture    log_event() of the workload record (sl__emit: the clock, the context,
 *              encoding into this thread's queue), in batches of CAPTURE_BATCH calls. The
 *              backend is kept from draining while a batch is timed by holding its
 *              drain lock (it takes that lock for every pass), and the queue is large enough
 *              for the batch, so the producer never waits; the backend writes the batch
 *              (untimed) between batches. This times the real call, not a copy of the
 *              encoder (the encoding functions of capture.c are static).
 *   hand-off   an sl_ring between two threads: the producer reserves, copies the queued
 *              workload record (its bytes taken from stage 1) and commits; the consumer
 *              reads what is committed, checks each record and gives the room back every
 *              256 records and whenever it has caught up, as the backend does. No
 *              decoding, rendering or writing: the transfer alone, ring of the default
 *              queue size.
 *   render     sl_json_render / sl_logfmt_render / sl_console_render (no colour) of a
 *              prepared record view (three call fields, two bound fields, span ids) into a
 *              reused sl_buf, timestamps a few ns apart as in a burst; JSON also with the
 *              bound fields' JSON made once per bind and copied, as the backend renders
 *              the records of an unchanged bind.
 *   write      rendered JSON lines in 64 KiB batches (whole lines, as the sinks batch
 *              them) with write(2) to /dev/null and to a file in /tmp (O_APPEND, as file
 *              sinks open theirs; unlinked once open, emptied untimed before each round).
 *   redact     sl_redact_fields on the three decoded call fields with the default
 *              settings (the bound fields are redacted once per bind, not per record), and
 *              sl_redact_text on the event, as the backend does per record; an arena reset
 *              after each. */
#define SPANLOG_LOGGER "agent"
#include <spanlog.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "formatters/console.h"
#include "capture/context.h"
#include "formatters/json.h"
#include "formatters/logfmt.h"
#include "record/record.h"
#include "processors/redact.h"
#include "record/ring.h"
#include "base/locks.h"

#define MAX_ROUNDS 100
#define CAPTURE_BATCH 1000     /* calls timed at once: 144 KB of queue */
#define CAPTURE_BATCHES 200    /* per round */
#define CAPTURE_QUEUE (1 << 20) /* the fast path takes up to half of it */
#define HANDOFF_N 2000000
#define HANDOFF_RING (256 * 1024) /* the default queue size */
#define RENDER_N 200000
#define WRITE_N 1000000
#define WRITE_BATCH (64 * 1024)
#define REDACT_N 1000000

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "bench_stages: %s\n", what);
  exit(1);
}

/* ---- 1. capture ---- */

static void log_workload(void) { log_event("searching", "query", "Q3 invoices", "top_k", 5, "score", 0.87); }

static double capture(void) {
  uint64_t spent = 0;
  for (int b = 0; b < CAPTURE_BATCHES; b++) {
    sl_drain_lock(); /* no drain pass can start */
    uint64_t t0 = now_ns();
    for (int i = 0; i < CAPTURE_BATCH; i++) log_workload();
    spent += now_ns() - t0;
    sl_drain_unlock();
    sl_flush();
  }
  return (double)spent / (CAPTURE_BATCHES * CAPTURE_BATCH);
}

/* One call, its record read back from this thread's queue: the bytes that stage 2 moves. */
static unsigned char queued[512];
static uint32_t queued_size;

static void take_queued_record(void) {
  sl_ring *r = sl_tls.ring;
  uint64_t off = r->wpos & (r->cap - 1);
  log_workload();
  if (r->buf[off + 4] == REC_PAD) off = 0; /* it went to the start of the ring */
  memcpy(&queued_size, r->buf + off, 4);
  if (r->buf[off + 4] != REC_LOG || queued_size > sizeof queued) die("unexpected queued record");
  memcpy(queued, r->buf + off, queued_size);
  sl_flush();
}

/* ---- 2. queue hand-off ---- */

static uint64_t checksum(const unsigned char *p, uint32_t size) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < size; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    sum ^= w + i;
  }
  return sum;
}

static void *consume(void *arg) {
  sl_ring *r = arg;
  uint64_t pos = 0, expect = checksum(queued, queued_size);
  long seen = 0;
  while (seen < HANDOFF_N) {
    uint64_t limit = atomic_load_explicit(&r->committed, memory_order_acquire);
    while (pos < limit) {
      const unsigned char *rec = r->buf + (pos & (r->cap - 1));
      uint32_t size;
      memcpy(&size, rec, 4);
      if (rec[4] == REC_LOG) {
        if (checksum(rec, size) != expect) die("hand-off: a record arrived damaged");
        if (++seen % 256 == 0) atomic_store_explicit(&r->rpos, pos + size, memory_order_release);
      }
      pos += size;
    }
    atomic_store_explicit(&r->rpos, pos, memory_order_release);
  }
  return NULL;
}

static double handoff(void) {
  sl_ring *r = sl_ring_new(HANDOFF_RING);
  pthread_t consumer;
  if (!r || pthread_create(&consumer, NULL, consume, r)) die("hand-off: no ring or thread");
  uint64_t t0 = now_ns();
  for (long i = 0; i < HANDOFF_N; i++) {
    unsigned char *p = sl_ring_try_reserve(r, queued_size);
    while (!p) p = sl_ring_reserve_refresh(r, queued_size, 8);
    memcpy(p, queued, queued_size);
    sl_ring_commit(r, queued_size);
  }
  pthread_join(consumer, NULL);
  double ns = (double)(now_ns() - t0) / HANDOFF_N;
  sl_ring_free(r);
  return ns;
}

/* ---- 3. render ---- */

static sl_field fstr(const char *k, const char *s) {
  return (sl_field){.key = k, .key_len = strlen(k), .type = SL__T_STR, .str = s, .len = strlen(s)};
}

/* Call fields, then the bound ones: the order process_log gives the formatters. */
static sl_field fields[5];
static sl_record_view view;

static void prepare_view(void) {
  fields[0] = fstr("query", "Q3 invoices");
  fields[1] = (sl_field){.key = "top_k", .key_len = 5, .type = SL__T_I64, .v.i = 5};
  fields[2] = (sl_field){.key = "score", .key_len = 5, .type = SL__T_F64, .v.d = 0.87};
  fields[3] = fstr("user_id", "u_8821");
  fields[4] = fstr("agent", "research-assistant");
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  view = (sl_record_view){.ts_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec,
                          .level = SL_LEVEL_INFO, .logger = "agent", .logger_len = 5,
                          .event = "searching", .event_len = 9, .fields = fields, .nfields = 5,
                          .has_span = 1};
  const sl_span_slot *span = &sl_context_current()->span; /* the span open around the loop */
  memcpy(view.trace_id, span->trace_id, 16);
  memcpy(view.span_id, span->span_id, 8);
}

/* The bound fields as the backend renders them once per bind (process_log). */
static const char bound_json[] = ",\"user_id\":\"u_8821\",\"agent\":\"research-assistant\"";

enum { JSON, LOGFMT, CONSOLE, JSON_BOUND_ONCE };
static size_t line_len[4];

static int render_one(int format, sl_record_view *v, sl_time_cache *tc, sl_buf *out) {
  switch (format) {
  case JSON:
  case JSON_BOUND_ONCE: return sl_json_render(v, tc, out);
  case LOGFMT: return sl_logfmt_render(v, tc, out);
  default: return sl_console_render(v, tc, 0, out);
  }
}

static double render(int format) {
  static sl_buf out;
  sl_time_cache tc = {0};
  sl_record_view v = view;
  if (format == JSON_BOUND_ONCE) v.ntail = 2, v.tail_json = bound_json, v.tail_json_len = sizeof bound_json - 1;
  uint64_t t0 = now_ns();
  for (int i = 0; i < RENDER_N; i++) {
    out.len = 0;
    v.ts_ns += 50;
    if (render_one(format, &v, &tc, &out)) die("render: out of memory");
  }
  double ns = (double)(now_ns() - t0) / RENDER_N;
  line_len[format] = out.len;
  return ns;
}

static double render_json(void) { return render(JSON); }
static double render_json_bound_once(void) { return render(JSON_BOUND_ONCE); }
static double render_logfmt(void) { return render(LOGFMT); }
static double render_console(void) { return render(CONSOLE); }

/* ---- 4. write ---- */

static char batch[WRITE_BATCH];
static size_t batch_len, batch_lines;
static int null_fd = -1, file_fd = -1;

static void prepare_writes(void) {
  sl_buf line = {0};
  sl_time_cache tc = {0};
  if (sl_json_render(&view, &tc, &line)) die("write: out of memory");
  for (batch_lines = 0; batch_len + line.len <= sizeof batch; batch_lines++, batch_len += line.len)
    memcpy(batch + batch_len, line.data, line.len);
  sl_buf_free(&line);
  char path[] = "/tmp/bench_stages.XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) die("write: cannot create a file in /tmp");
  close(fd);
  file_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
  unlink(path); /* gone when closed, even if the run is interrupted */
  null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (file_fd < 0 || null_fd < 0) die("write: cannot open the outputs");
}

static double write_to(int fd) {
  if (fd == file_fd && ftruncate(fd, 0)) die("write: ftruncate");
  long batches = (WRITE_N + (long)batch_lines - 1) / (long)batch_lines;
  uint64_t t0 = now_ns();
  for (long b = 0; b < batches; b++)
    for (size_t off = 0; off < batch_len;) {
      ssize_t w = write(fd, batch + off, batch_len - off);
      if (w < 0) die("write: write(2) failed");
      off += (size_t)w;
    }
  return (double)(now_ns() - t0) / (double)(batches * (long)batch_lines);
}

static double write_null(void) { return write_to(null_fd); }
static double write_file(void) { return write_to(file_fd); }

/* ---- 5. redaction ---- */

static double redact(int event) {
  sl_arena arena = {0};
  sl_field work[3];
  sl_drain_lock(); /* the redaction state is the drainer's */
  uint64_t t0 = now_ns();
  for (int i = 0; i < REDACT_N; i++) {
    if (event) {
      const char *text = view.event;
      size_t len = view.event_len;
      sl_redact_text(&text, &len, &arena);
    } else {
      memcpy(work, fields, sizeof work); /* fresh decoded call fields */
      sl_redact_fields(work, 3, &arena);
    }
    sl_arena_reset(&arena);
  }
  double ns = (double)(now_ns() - t0) / REDACT_N;
  sl_drain_unlock();
  sl_arena_free(&arena);
  return ns;
}

static double redact_fields(void) { return redact(0); }
static double redact_event(void) { return redact(1); }

/* ---- the table ---- */

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  if (rounds < 1 || rounds > MAX_ROUNDS) rounds = 5;
  if (getenv("SPANLOG_REDACT")) fprintf(stderr, "bench_stages: SPANLOG_REDACT is set: redaction is not the default\n");
  sl_set_queue_bytes(CAPTURE_QUEUE);
  if (!sl_sink_add_file("/dev/null", SL_LEVEL_DEBUG)) die("cannot add a sink");
  sl_set_levels("info");
  log_bind("user_id", "u_8821", "agent", "research-assistant");
  sl_span *around = sl_span_start("invoke_agent research-assistant");
  log_workload(); /* the thread's queue and its bound context */
  sl_flush();
  take_queued_record();
  prepare_view();
  prepare_writes();

  struct {
    const char *name;
    double (*run)(void);
    double ns[MAX_ROUNDS];
  } stages[] = {
      {"capture (log call into the queue)", capture, {0}},
      {"queue hand-off (sl_ring, 2 threads)", handoff, {0}},
      {"render JSON", render_json, {0}},
      {"render JSON, bound fields rendered once per bind", render_json_bound_once, {0}},
      {"render logfmt", render_logfmt, {0}},
      {"render console", render_console, {0}},
      {"write 64 KiB batches, /dev/null", write_null, {0}},
      {"write 64 KiB batches, file in /tmp", write_file, {0}},
      {"redaction, 3 call fields", redact_fields, {0}},
      {"redaction, event text", redact_event, {0}},
  };
  size_t nstages = sizeof stages / sizeof stages[0];
  for (size_t s = 0; s < nstages; s++) stages[s].run(); /* warm up */
  for (int r = 0; r < rounds; r++)
    for (size_t s = 0; s < nstages; s++) stages[s].ns[r] = stages[s].run();
  sl_span_end(around);

  printf("record: %u bytes queued; lines: JSON %zu, logfmt %zu, console %zu bytes; %zu lines per write\n\n",
         queued_size, line_len[JSON], line_len[LOGFMT], line_len[CONSOLE], batch_lines);
  printf("| stage | ns/record | M records/s |\n|---|---:|---:|\n");
  for (size_t s = 0; s < nstages; s++) {
    double *ns = stages[s].ns;
    qsort(ns, (size_t)rounds, sizeof(double), cmp);
    double med = ns[rounds / 2], lo = ns[0], hi = ns[rounds - 1];
    printf("| %s | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) |\n", stages[s].name, med, lo, hi, 1e3 / med, 1e3 / hi,
           1e3 / lo);
  }
  close(file_fd);
  close(null_fd);
  return 0;
}
