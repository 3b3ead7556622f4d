/* A full queue: 4 KiB queues and a pipe whose reader is slow (BLOCK: the producer waits,
 * nothing is lost) or absent for a while (DROP: records are dropped, counted, and the
 * count is written as spanlog.dropped records that add up to sl_dropped_total()). */
#define SPANLOG_LOGGER "flood"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spanlog.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "testfiles.h"

#define QUEUE_BYTES 4096
#define PIPE_BYTES 4096

/* A pipe of PIPE_BYTES whose write end becomes a sink. */
static int small_pipe(int p[2]) {
  if (pipe2(p, O_CLOEXEC) != 0) return -1;
  if (fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES) < 0) return -1;
  return 0;
}

/* Reads a pipe to its end, sleeping between reads of at most PIPE_BYTES. */
typedef struct reader {
  int fd;
  long pause_us;
  _Atomic int held; /* set: the reader stops reading (after the read under way) */
  text got; /* what it read */
  long reads;
} reader;

static void *read_to_end(void *arg) {
  reader *r = arg;
  char chunk[PIPE_BYTES];
  for (;;) {
    while (atomic_load(&r->held)) nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    ssize_t n = read(r->fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text_add(&r->got, chunk, (size_t)n);
    r->reads++;
    if (r->pause_us) nanosleep(&(struct timespec){0, r->pause_us * 1000}, NULL);
  }
  return NULL;
}

/* What a stream holds: the producer's records and the drop reports. */
typedef struct tally {
  long lines, records, bad_lines, out_of_order, big_wrong;
  long reports, bad_reports;
  uint64_t reported;
  long last_seq;
} tally;

static tally count_stream(char *data, size_t len, const char *event, size_t big_len) {
  tally t = {0};
  t.last_seq = -1;
  char *p = data, *end = data + len;
  while (p < end) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) { /* a torn last line */
      t.bad_lines++;
      break;
    }
    *nl = 0;
    t.lines++;
    jl_doc *d = PARSE(p);
    const char *ev = doc_str(d, "event");
    if (!d || !ev) {
      t.bad_lines++;
    } else if (strcmp(ev, "spanlog.dropped") == 0) {
      t.reports++;
      char buf[32];
      const char *count = doc_raw(d, "count", buf, sizeof buf);
      const char *lv = doc_str(d, "level"), *lg = doc_str(d, "logger");
      int is_number = count && count[0] >= '1' && count[0] <= '9' && strspn(count, "0123456789") == strlen(count);
      if (!is_number || !lv || strcmp(lv, "warning") != 0 || !lg || strcmp(lg, "spanlog") != 0) {
        if (t.bad_reports++ < 3) fprintf(stderr, "bad drop report: %s\n", p);
      }
      if (is_number) t.reported += strtoull(count, NULL, 10);
    } else if (strcmp(ev, event) == 0) {
      long seq = doc_long(d, "seq");
      if (seq <= t.last_seq) t.out_of_order++;
      t.last_seq = seq;
      t.records++;
      long i = jl_find(d, "pad");
      size_t n = 0;
      if (big_len && seq % 50 == 0 ? i < 0 || !jl_str(d, (size_t)i, &n) || n != big_len : i >= 0)
        t.big_wrong++;
    } else {
      t.bad_lines++;
    }
    jl_free(d);
    p = nl + 1;
  }
  return t;
}

typedef struct producer {
  const char *event;
  long first, count;
  const char *pad; /* on every 50th record, if set */
  double ms;
} producer;

static void *produce(void *arg) {
  producer *pr = arg;
  double t0 = now_ms();
  for (long i = pr->first; i < pr->first + pr->count; i++) {
    if (pr->pad && i % 50 == 0) log_info(pr->event, "seq", i, "pad", pr->pad);
    else log_info(pr->event, "seq", i);
  }
  pr->ms = now_ms() - t0;
  return NULL;
}

/* BLOCK: the producer outpaces a reader that pauses 1 ms between reads of 4 KiB; it is
   held back, and every record arrives, in order, records too large for the queue (which
   go through the heap) included. */
static void block_loses_nothing_behind_a_slow_reader(void) {
  int p[2];
  CHECK_INT(small_pipe(p), 0);
  sl_sink *s = sl_sink_add_fd(p[1], SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  reader r = {.fd = p[0], .pause_us = 1000};
  pthread_t rt, pt;
  pthread_create(&rt, NULL, read_to_end, &r);

  static char pad[1501];
  memset(pad, 'p', sizeof pad - 1); /* more than a quarter of the queue */
  producer pr = {.event = "block", .count = 4000, .pad = pad};
  pthread_create(&pt, NULL, produce, &pr);
  pthread_join(pt, NULL);
  sl_flush();
  sl_sink_remove(s);
  close(p[1]);
  pthread_join(rt, NULL);
  close(p[0]);

  tally t = count_stream(r.got.data, r.got.len, "block", sizeof pad - 1);
  CHECK_INT(t.records, pr.count);
  CHECK_INT(t.lines, pr.count);
  CHECK_INT(t.bad_lines, 0);
  CHECK_INT(t.out_of_order, 0);
  CHECK_INT(t.big_wrong, 0);
  CHECK_INT(t.reports, 0);
  CHECK_INT(sl_dropped_total(), 0);
  /* The producer was really held back: what neither the pipe, the sink's batch (64 KiB),
     the queue nor the heap records in it could hold passed a reader that takes 4 KiB
     per millisecond at most. */
  double floor_ms = ((double)r.got.len - 96 * 1024) / PIPE_BYTES;
  if (pr.ms < floor_ms / 2) {
    fprintf(stderr, "producer took %.1f ms for %zu bytes; the reader needs >= %.1f ms\n", pr.ms,
            r.got.len, floor_ms);
    CHECK(pr.ms >= floor_ms / 2);
  }
  text_free(&r.got);
}

/* Runs a producer that must not wait; fails the test (instead of hanging it) if it has
   not finished within 5 s, a producer stuck waiting for room that nobody will make. */
static int produce_without_waiting(producer *pr, pthread_t *pt_out) {
  pthread_t pt;
  pthread_create(&pt, NULL, produce, pr);
  *pt_out = pt;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 5;
  int rc = pthread_timedjoin_np(pt, NULL, &deadline);
  if (rc != 0) fprintf(stderr, "%s:%d: [%s] the producer is still waiting after 5 s\n", __FILE__, __LINE__, check_current);
  CHECK_INT(rc, 0);
  return rc ? -1 : 0;
}

/* DROP: nobody reads the pipe while the producer runs, so the backend is stuck in
   write(2) and the 4 KiB queue overflows; the producer does not wait. Then the reader
   drains everything; this twice, so that there are several reports. Every record is
   either delivered, in order, or counted; the reports add up to sl_dropped_total(). */
static void drop_counts_and_reports_every_lost_record(void) {
  sl_set_overflow(SL_OVERFLOW_DROP);
  uint64_t before = sl_dropped_total();
  int p[2];
  CHECK_INT(small_pipe(p), 0);
  sl_sink *s = sl_sink_add_fd(p[1], SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  reader r = {.fd = p[0]};
  atomic_store(&r.held, 1);
  pthread_t rt;
  pthread_create(&rt, NULL, read_to_end, &r);

  const long per_round = 10000;
  uint64_t after_round[2];
  producer pr[2];
  pthread_t pt[2];
  int stuck[2] = {0, 0};
  for (int round = 0; round < 2; round++) {
    pr[round] = (producer){.event = "drop", .first = round * per_round, .count = per_round};
    stuck[round] = produce_without_waiting(&pr[round], &pt[round]);
    after_round[round] = sl_dropped_total() - before;
    atomic_store(&r.held, 0); /* lets the backend write, and its next pass report */
    if (!stuck[round]) sl_flush();
    atomic_store(&r.held, 1);
  }
  CHECK(after_round[0] > 0);
  CHECK(after_round[1] > after_round[0]);
  atomic_store(&r.held, 0);
  for (int round = 0; round < 2; round++) /* with the reader on, a stuck one finishes */
    if (stuck[round]) pthread_join(pt[round], NULL);
  sl_flush();
  sl_sink_remove(s);
  close(p[1]);
  pthread_join(rt, NULL);
  close(p[0]);
  uint64_t dropped = sl_dropped_total() - before;
  CHECK_INT(dropped, after_round[1]); /* nothing is dropped once the producers are done */

  tally t = count_stream(r.got.data, r.got.len, "drop", 0);
  CHECK_INT(t.bad_lines, 0);
  CHECK_INT(t.bad_reports, 0);
  CHECK_INT(t.out_of_order, 0);
  CHECK(t.reports >= 2);
  CHECK(t.records > 0);
  CHECK_INT(t.reported, dropped);
  CHECK_INT((uint64_t)t.records + dropped, 2 * per_round);
  CHECK_INT(t.lines, t.records + t.reports);
  text_free(&r.got);
  sl_set_overflow(SL_OVERFLOW_BLOCK);
}

int main(void) {
  sl_set_queue_bytes(QUEUE_BYTES);
  sl_set_overflow(SL_OVERFLOW_BLOCK);
  RUN(block_loses_nothing_behind_a_slow_reader);
  RUN(drop_counts_and_reports_every_lost_record);
  return check_exit();
}
