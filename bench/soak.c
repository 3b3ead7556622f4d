/* The soak test's two halves (bench/soak.sh runs them, one piped into the other):
 *
 *   soak run -s SECONDS -r RSS_FILE -e EXPECTED_FILE [-p RATE] [-c SLOTS]   JSON lines on stdout
 *   soak check -r RSS_FILE -e EXPECTED_FILE                        the lines on stdin
 *
 * run: for SECONDS, two producer threads log RATE records a second each (default 3000),
 * every 50 inside a span with a child span per 10 (span churn), while SLOTS (default 2) churn slots each
 * start a thread that logs 50 records over about 25 ms and ends, then start the next
 * (thread churn: a new queue per thread, left behind at its end). Every record carries its
 * stream (a thread of its own) and its sequence number in that stream. The main thread
 * writes the process' resident set size to RSS_FILE every second; at the end, after
 * sl_shutdown, EXPECTED_FILE gets each stream's record count and the number of spans.
 *
 * check: reads the lines, each judged by the strict parser of tests/jsonl.c, and checks
 * that every stream's records are all there, in order; then prints one line: the counts,
 * the RSS of the middle and last thirds of the run, and the verdict. The RSS plateaus if the
 * last third's mean is within 5% of the middle third's. Exits 0 on PASS. */
#include <pthread.h>
#include <spanlog.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/jsonl.h"
#include "tests/rss.h"

enum { PRODUCERS = 2, MAX_CHURN_SLOTS = 8, CHURN_RECORDS = 50, SPAN_RECORDS = 50, STEP_RECORDS = 10 };
#define PLATEAU_SHARE 0.05

static atomic_int stopping;
static int churn_slots = 2;
static atomic_long spans_ended;

static void sleep_ns(long ns) {
  struct timespec ts = {ns / 1000000000L, ns % 1000000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- run ---- */

/* One record of stream `stream`, number `seq`, and its payload: a bit of every kind. */
static void log_one(long stream, long seq) {
  log_event("soak.record", "stream", stream, "seq", seq, "payload", "the quick brown fox \xE2\x9C\x93",
            "ratio", (double)seq / 7.0, "ok", seq % 2 == 0);
}

/* count records of one stream, inside spans; pace_ns between groups of STEP_RECORDS. */
static long log_stream(long stream, long seq, long count, long pace_ns) {
  while (count > 0) {
    sl_span *op = sl_span_start("soak.op", "stream", stream);
    for (int step = 0; step < SPAN_RECORDS / STEP_RECORDS && count > 0; step++) {
      sl_span *s = sl_span_start("soak.step", "first_seq", seq);
      for (int i = 0; i < STEP_RECORDS && count > 0; i++, count--) log_one(stream, seq++);
      sl_span_end(s);
      atomic_fetch_add(&spans_ended, 1);
      if (pace_ns) sleep_ns(pace_ns);
    }
    sl_span_end(op);
    atomic_fetch_add(&spans_ended, 1);
  }
  return seq;
}

typedef struct producer {
  pthread_t thread;
  long stream, rate, count;
} producer;

static void *produce(void *arg) {
  producer *p = arg;
  log_bind("role", "producer");
  long pace = 1000000000L / (p->rate / STEP_RECORDS > 0 ? p->rate / STEP_RECORDS : 1);
  while (!atomic_load(&stopping)) p->count = log_stream(p->stream, p->count, SPAN_RECORDS, pace);
  return NULL;
}

/* A churn slot's threads, one after the other: streams first_stream, first_stream + step,
   ... of which the first `ended` have run. Counted, not listed: a list that grows with the
   run would show in the RSS the soak watches. */
typedef struct churn {
  pthread_t thread;
  long first_stream, step, ended;
} churn;

static void *churn_worker(void *arg) {
  long stream = (long)(intptr_t)arg;
  log_bind("role", "churn");
  log_stream(stream, 0, CHURN_RECORDS, 2500000); /* 5 steps, 2.5 ms apart */
  return NULL;
}

static void *churn_slot(void *arg) {
  churn *c = arg;
  while (!atomic_load(&stopping)) {
    pthread_t t;
    long stream = c->first_stream + c->ended * c->step;
    if (pthread_create(&t, NULL, churn_worker, (void *)(intptr_t)stream) != 0) {
      sleep_ns(1000000); /* the same stream again, once a thread can be had */
      continue;
    }
    pthread_join(t, NULL);
    c->ended++;
  }
  return NULL;
}

static void sample_rss(const char *path, double seconds) {
  FILE *f = fopen(path, "w");
  if (!f) perror(path), exit(2);
  double start = now_s(), next = start + 1;
  for (;;) {
    double t = now_s();
    if (t >= start + seconds) break;
    if (t < next) {
      sleep_ns((long)((next - t) * 1e9));
      continue;
    }
    fprintf(f, "%.0f %ld\n", next - start, rss_kb());
    fflush(f);
    next += 1;
  }
  fclose(f);
}

static void write_expected(const char *path, producer *p, churn *c) {
  FILE *f = fopen(path, "w");
  if (!f) perror(path), exit(2);
  fprintf(f, "spans %ld dropped %llu\n", atomic_load(&spans_ended), (unsigned long long)sl_dropped_total());
  for (int i = 0; i < PRODUCERS; i++) fprintf(f, "%ld %ld\n", p[i].stream, p[i].count);
  for (int s = 0; s < churn_slots; s++)
    for (long i = 0; i < c[s].ended; i++) fprintf(f, "%ld %d\n", c[s].first_stream + i * c[s].step, CHURN_RECORDS);
  fclose(f);
}

static int run(double seconds, long rate, const char *rss_path, const char *expected_path) {
  producer p[PRODUCERS];
  churn c[MAX_CHURN_SLOTS];
  sl_sink *out = sl_sink_add_fd(STDOUT_FILENO, SL_LEVEL_DEBUG);
  if (!out) return perror("soak: sink"), 2;
  sl_sink_set_format(out, SL_FORMAT_JSON);
  for (int i = 0; i < PRODUCERS; i++) {
    p[i] = (producer){.stream = i, .rate = rate};
    if (pthread_create(&p[i].thread, NULL, produce, &p[i])) return 2;
  }
  for (int s = 0; s < churn_slots; s++) {
    c[s] = (churn){.first_stream = PRODUCERS + s, .step = churn_slots};
    if (pthread_create(&c[s].thread, NULL, churn_slot, &c[s])) return 2;
  }
  sample_rss(rss_path, seconds);
  atomic_store(&stopping, 1);
  for (int i = 0; i < PRODUCERS; i++) pthread_join(p[i].thread, NULL);
  for (int s = 0; s < churn_slots; s++) pthread_join(c[s].thread, NULL);
  sl_shutdown(); /* every record written before the counts are */
  write_expected(expected_path, p, c);
  return 0;
}

/* ---- check ---- */

typedef struct stream_state {
  long next_seq, count; /* the sequence number expected next; records seen */
} stream_state;

typedef struct tally {
  stream_state *streams;
  size_t nstreams;
  long records, spans, bad_lines, out_of_order, other;
} tally;

static stream_state *stream_slot(tally *t, long stream) {
  if (stream < 0 || stream > 100000000L) return NULL;
  if ((size_t)stream >= t->nstreams) {
    size_t n = (size_t)stream * 2 + 16;
    stream_state *more = realloc(t->streams, n * sizeof *more);
    if (!more) abort();
    memset(more + t->nstreams, 0, (n - t->nstreams) * sizeof *more);
    t->streams = more, t->nstreams = n;
  }
  return &t->streams[stream];
}

static long member_long(const jl_doc *d, const char *key) {
  long i = jl_find(d, key);
  size_t len;
  const char *raw = i < 0 ? NULL : jl_raw(d, (size_t)i, &len);
  return raw && jl_type(d, (size_t)i) == JL_NUMBER ? strtol(raw, NULL, 10) : -1;
}

static void judge_line(tally *t, const char *line, size_t len) {
  char err[128];
  jl_doc *d = jl_parse(line, len, err, sizeof err);
  if (!d) {
    if (t->bad_lines++ < 5) fprintf(stderr, "soak: bad line (%s): %.*s\n", err, (int)(len > 200 ? 200 : len), line);
    return;
  }
  long ev = jl_find(d, "event");
  size_t n;
  const char *event = ev < 0 ? NULL : jl_str(d, (size_t)ev, &n);
  if (event && strcmp(event, "soak.record") == 0) {
    stream_state *st = stream_slot(t, member_long(d, "stream"));
    long seq = member_long(d, "seq");
    if (!st || seq != st->next_seq) t->out_of_order++;
    if (st && seq >= st->next_seq) st->next_seq = seq + 1;
    if (st) st->count++;
    t->records++;
  } else if (jl_find(d, "start_time") >= 0) {
    t->spans++;
  } else {
    t->other++;
  }
  jl_free(d);
}

/* The first RSS sample, and the means of the middle and the last third of them. */
static int rss_thirds(const char *path, double *first, double *middle, double *last, long *samples) {
  long t, kb, *v = NULL;
  size_t n = 0, cap = 0;
  FILE *f = fopen(path, "r");
  *samples = 0;
  if (!f) return -1;
  while (fscanf(f, "%ld %ld", &t, &kb) == 2) {
    if (n == cap && !(v = realloc(v, (cap = cap ? 2 * cap : 1024) * sizeof *v))) abort();
    v[n++] = kb;
  }
  fclose(f);
  *samples = (long)n;
  if (n < 3) return free(v), -1;
  double m = 0, l = 0;
  for (size_t i = n / 3; i < 2 * n / 3; i++) m += (double)v[i];
  for (size_t i = 2 * n / 3; i < n; i++) l += (double)v[i];
  *first = (double)v[0], *middle = m / (double)(2 * n / 3 - n / 3), *last = l / (double)(n - 2 * n / 3);
  free(v);
  return 0;
}

/* Compares the tally with the counts run wrote; returns the records missing. */
static long missing_records(tally *t, const char *expected_path, long *want_records, long *want_spans,
                            long *streams, long *dropped) {
  FILE *f = fopen(expected_path, "r");
  long stream, count, missing = 0;
  *want_records = 0, *streams = 0, *want_spans = -1, *dropped = -1;
  if (!f || fscanf(f, "spans %ld dropped %ld", want_spans, dropped) != 2) return f ? fclose(f), -1 : -1;
  while (fscanf(f, "%ld %ld", &stream, &count) == 2) {
    stream_state *st = stream_slot(t, stream);
    long got = st ? st->count : 0;
    if (got < count) missing += count - got;
    *want_records += count, (*streams)++;
  }
  fclose(f);
  return missing;
}

/* The RSS part of the verdict: "plateau", "GROWING" or "TOO FEW SAMPLES"; 1 if plateau. */
static int judge_rss(const char *rss_path, long *samples) {
  double first = 0, middle = 0, last = 0;
  int ok = rss_thirds(rss_path, &first, &middle, &last, samples) == 0;
  int plateau = ok && last - middle <= PLATEAU_SHARE * middle;
  printf("RSS first %.1f MiB, middle third %.1f MiB, last third %.1f MiB (%+.1f%%): %s", first / 1024,
         middle / 1024, last / 1024, ok ? 100 * (last - middle) / middle : 0.0,
         !ok ? "TOO FEW SAMPLES" : plateau ? "plateau" : "GROWING");
  return plateau;
}

static int check(const char *rss_path, const char *expected_path) {
  tally t = {0};
  char *line = NULL;
  size_t cap = 0;
  for (ssize_t n; (n = getline(&line, &cap, stdin)) > 0;) judge_line(&t, line, (size_t)n - (line[n - 1] == '\n'));
  free(line);
  long want, want_spans, streams, samples, dropped;
  long missing = missing_records(&t, expected_path, &want, &want_spans, &streams, &dropped);
  int complete = missing == 0 && dropped == 0 && t.records == want && t.out_of_order == 0 && t.bad_lines == 0 &&
                 t.spans == want_spans;
  printf("soak: records %ld/%ld in %ld streams (missing %ld, out of order %ld, bad lines %ld, other %ld), "
         "spans %ld/%ld, dropped %ld; ",
         t.records, want, streams, missing, t.out_of_order, t.bad_lines, t.other, t.spans, want_spans, dropped);
  int plateau = judge_rss(rss_path, &samples);
  printf(" over %ld s; %s: %s\n", samples, complete ? "complete" : "INCOMPLETE", plateau && complete ? "PASS" : "FAIL");
  free(t.streams);
  return plateau && complete ? 0 : 1;
}

static int usage(void) {
  fprintf(stderr, "usage: soak run -s SECONDS -r RSS_FILE -e EXPECTED_FILE [-p RATE] [-c CHURN_SLOTS]\n"
                  "       soak check -r RSS_FILE -e EXPECTED_FILE\n");
  return 2;
}

int main(int argc, char **argv) {
  const char *rss = NULL, *expected = NULL;
  double seconds = 600;
  long rate = 3000;
  if (argc < 2) return usage();
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "-s")) seconds = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "-r")) rss = argv[i + 1];
    else if (!strcmp(argv[i], "-e")) expected = argv[i + 1];
    else if (!strcmp(argv[i], "-p")) rate = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "-c")) churn_slots = atoi(argv[i + 1]);
    else return usage();
  }
  if (!rss || !expected || seconds <= 0 || rate <= 0 || churn_slots < 0 || churn_slots > MAX_CHURN_SLOTS)
    return usage();
  if (!strcmp(argv[1], "run")) return run(seconds, rate, rss, expected);
  if (!strcmp(argv[1], "check")) return check(rss, expected);
  return usage();
}
