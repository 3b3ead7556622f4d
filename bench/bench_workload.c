/* The benchmark record of the workload: one "searching" event with three call-site
 * fields, two bound fields and the current trace/span ids, N times, to a file.
 *
 *   bench_workload -n N -t THREADS -o PATH [-b BURST]
 *
 * With -b, each thread logs in bursts of BURST records and waits for the backend to write
 * them (sl_flush) between bursts, untimed: call_ns is then the caller's cost when its
 * queue has room, without the time spent waiting for the backend to make room.
 *
 * Prints one line:
 *   peer=spanlog threads=T n=N call_ns=X call_ns_max=Y e2e_s=Z e2e_rps=R user0=.. trace0=..
 * call_ns: per thread (last call returned - first call started) / its records, averaged
 * over threads; e2e: from the first call until the output is complete (sl_shutdown
 * returned, so every record is written). */
#define SPANLOG_LOGGER "agent"
#include <pthread.h>
#include <spanlog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#define MAX_THREADS 8

typedef struct producer {
  pthread_t thread;
  int index;
  long count;
  uint64_t t0, t1;
  char user_id[16];
  char trace_hex[33];
} producer;

static pthread_barrier_t start;
static int nthreads = 1;
static long burst;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* t1 - t0 is then the time spent in calls only. */
static void *produce_in_bursts(producer *p) {
  uint64_t spent = 0;
  p->t0 = now_ns();
  for (long done = 0; done < p->count;) {
    long b = p->count - done < burst ? p->count - done : burst;
    uint64_t t = now_ns();
    for (long i = 0; i < b; i++)
      log_event("searching", "query", "Q3 invoices", "top_k", 5, "score", 0.87);
    spent += now_ns() - t;
    done += b;
    sl_flush();
  }
  p->t1 = p->t0 + spent;
  return NULL;
}

static void *produce(void *arg) {
  producer *p = arg;
  if (nthreads == 1) snprintf(p->user_id, sizeof p->user_id, "u_8821");
  else snprintf(p->user_id, sizeof p->user_id, "u_%d", p->index + 1);
  log_bind("user_id", p->user_id, "agent", "research-assistant");
  sl_span *around = sl_span_start("invoke_agent research-assistant"); /* one span around the loop */
  char span_hex[17];
  sl_span_ids(around, p->trace_hex, span_hex);
  pthread_barrier_wait(&start);
  if (burst) {
    produce_in_bursts(p);
    sl_span_end(around);
    return NULL;
  }
  p->t0 = now_ns();
  for (long i = 0; i < p->count; i++)
    log_event("searching", "query", "Q3 invoices", "top_k", 5, "score", 0.87);
  p->t1 = now_ns();
  sl_span_end(around);
  return NULL;
}

int main(int argc, char **argv) {
  long n = 1000000;
  const char *out = "/dev/null";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "-n")) n = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "-t")) nthreads = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "-o")) out = argv[i + 1];
    else if (!strcmp(argv[i], "-b")) burst = atol(argv[i + 1]);
  }
  if (nthreads < 1 || nthreads > MAX_THREADS || n < nthreads) {
    fprintf(stderr, "usage: %s -n N -t THREADS(1-%d) -o PATH\n", argv[0], MAX_THREADS);
    return 2;
  }
  if (strcmp(out, "/dev/null") != 0) remove(out); /* a fresh file each run */
  if (!sl_sink_add_file(out, SL_LEVEL_DEBUG)) return perror(out), 1;

  producer p[MAX_THREADS];
  memset(p, 0, sizeof p);
  pthread_barrier_init(&start, NULL, (unsigned)nthreads);
  for (int k = 0; k < nthreads; k++) {
    p[k].index = k;
    p[k].count = n / nthreads;
    pthread_create(&p[k].thread, NULL, produce, &p[k]);
  }
  for (int k = 0; k < nthreads; k++) pthread_join(p[k].thread, NULL);
  sl_shutdown(); /* every record written */
  uint64_t t_end = now_ns();

  uint64_t first = p[0].t0;
  double sum = 0, max = 0;
  for (int k = 0; k < nthreads; k++) {
    if (p[k].t0 < first) first = p[k].t0;
    double c = (double)(p[k].t1 - p[k].t0) / (double)p[k].count;
    sum += c;
    if (c > max) max = c;
  }
  double e2e = (double)(t_end - first) / 1e9;
  printf("peer=spanlog threads=%d n=%ld call_ns=%.1f call_ns_max=%.1f e2e_s=%.4f e2e_rps=%.0f",
         nthreads, n, sum / nthreads, max, e2e, (double)n / e2e);
  for (int k = 0; k < nthreads; k++) printf(" user%d=%s trace%d=%s", k, p[k].user_id, k, p[k].trace_hex);
  printf("\n");
  return 0;
}
