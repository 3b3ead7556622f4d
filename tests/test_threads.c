/* Many threads at once: 8 threads x 10,000 records to one file, each thread with its own
 * bound user_id and its own trace and span ids. Every line must parse, the count must be
 * exact, and every record must carry its own thread's values. */
#define SPANLOG_LOGGER "agent"
#include <pthread.h>
#include <spanlog.h>
#include <unistd.h>

#include "check.h"
#include "capture/context.h"

#define THREADS 8
#define PER_THREAD 10000

typedef struct expect {
  char user_id[16];
  char trace_hex[33], span_hex[17];
  long seen;
  long last_seq;
  int out_of_order;
} expect;

static expect want[THREADS];

static void to_hex(const uint8_t *b, size_t n, char *out) {
  static const char hx[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) out[2 * i] = hx[b[i] >> 4], out[2 * i + 1] = hx[b[i] & 15];
  out[2 * n] = 0;
}

static pthread_barrier_t start;

static void *producer(void *arg) {
  int k = (int)(intptr_t)arg;
  uint8_t trace[16], span[8];
  for (int i = 0; i < 16; i++) trace[i] = (uint8_t)(k * 16 + i + 1);
  for (int i = 0; i < 8; i++) span[i] = (uint8_t)(0xa0 + k * 8 + i);
  to_hex(trace, 16, want[k].trace_hex);
  to_hex(span, 8, want[k].span_hex);
  snprintf(want[k].user_id, sizeof want[k].user_id, "u_%d", k);
  log_bind("user_id", want[k].user_id, "agent", "research-assistant");
  sl_context_set_span_ids(sl_context_current(), trace, span);
  pthread_barrier_wait(&start);
  for (int i = 0; i < PER_THREAD; i++)
    log_event("searching", "query", "Q3 invoices", "top_k", 5, "score", 0.87, "thread", k, "seq", i);
  return NULL;
}

int main(void) {
  char dir[] = "/tmp/spanlog-threads-XXXXXX";
  if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
  char path[64];
  snprintf(path, sizeof path, "%s/out.jsonl", dir);
  CHECK(sl_sink_add_file(path, SL_LEVEL_DEBUG) != NULL);

  pthread_barrier_init(&start, NULL, THREADS);
  pthread_t t[THREADS];
  for (int k = 0; k < THREADS; k++) pthread_create(&t[k], NULL, producer, (void *)(intptr_t)k);
  for (int k = 0; k < THREADS; k++) pthread_join(t[k], NULL);
  sl_flush();

  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  long lines = 0, bad = 0;
  for (int k = 0; k < THREADS; k++) want[k].last_seq = -1;
  while (f && (len = getline(&line, &cap, f)) > 0) {
    lines++;
    CHECK(line[len - 1] == '\n');
    char err[128];
    jl_doc *d = jl_parse(line, (size_t)len - 1, err, sizeof err);
    if (!d) {
      if (bad++ < 3) fprintf(stderr, "line %ld: %s: %s", lines, err, line);
      continue;
    }
    char buf[32];
    int k = atoi(doc_raw(d, "thread", buf, sizeof buf) ? buf : "-1");
    long seq = atol(doc_raw(d, "seq", buf, sizeof buf) ? buf : "-1");
    if (k < 0 || k >= THREADS) {
      bad++;
    } else {
      const char *u = doc_str(d, "user_id"), *tr = doc_str(d, "trace_id"), *sp = doc_str(d, "span_id");
      if (!u || strcmp(u, want[k].user_id) || !tr || strcmp(tr, want[k].trace_hex) || !sp ||
          strcmp(sp, want[k].span_hex))
        bad++;
      if (seq != want[k].last_seq + 1) want[k].out_of_order++;
      want[k].last_seq = seq;
      want[k].seen++;
    }
    jl_free(d);
  }
  free(line);
  if (f) fclose(f);
  CHECK_INT(lines, THREADS * PER_THREAD);
  CHECK_INT(bad, 0);
  for (int k = 0; k < THREADS; k++) {
    CHECK_INT(want[k].seen, PER_THREAD);
    CHECK_INT(want[k].out_of_order, 0); /* each thread's records in the order it made them */
  }
  unlink(path);
  rmdir(dir);
  return check_exit();
}
