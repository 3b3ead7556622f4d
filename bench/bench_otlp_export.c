/* The OTLP export benchmark's spanlog side (bench/otlp_export.sh runs it): spans made
 * (start + 4 attributes + end) on T threads, exported as the environment says
 * (OTEL_TRACES_EXPORTER=otlp ...; unset: no exporter, for the "off" figure).
 *
 *   bench_otlp_export -n N [-t T] [-b BURST]
 *
 * -b: each thread makes its spans in bursts and waits, untimed, for the backend and the
 * exporters between bursts (sl_flush): caller_ns is then the caller's own cost with room
 * in its queue. Without -b: as fast as it can, then sl_flush; delivered_per_s is what the
 * receiver acknowledged per second of the whole run.
 *
 * Prints one line: peer=spanlog producers=T spans=N caller_ns=X produce_s=.. total_s=..
 * exported=.. dropped=.. failed=.. delivered_per_s=.. rss_kb=.. */
#include <pthread.h>
#include <spanlog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../tests/rss.h"

#define MAX_THREADS 8

typedef struct producer {
  pthread_t thread;
  long count;
  uint64_t spent;
} producer;

static long burst;
static pthread_barrier_t start;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void span(long i) {
  sl_span *s = sl_span_start("tool.call", "tool", "search", "attempt", i, "score", 0.87, "cached", SL_BOOL(i & 1));
  sl_span_end(s);
}

static void *produce(void *arg) {
  producer *p = arg;
  pthread_barrier_wait(&start);
  long step = burst ? burst : p->count;
  for (long done = 0; done < p->count;) {
    long b = p->count - done < step ? p->count - done : step;
    uint64_t t0 = now_ns();
    for (long i = 0; i < b; i++) span(done + i);
    p->spent += now_ns() - t0;
    done += b;
    if (burst) sl_flush();
  }
  return NULL;
}

int main(int argc, char **argv) {
  long n = 100000;
  int threads = 1, opt;
  while ((opt = getopt(argc, argv, "n:t:b:")) != -1) {
    if (opt == 'n') n = atol(optarg);
    else if (opt == 't') threads = atoi(optarg);
    else if (opt == 'b') burst = atol(optarg);
    else return 2;
  }
  if (threads < 1 || threads > MAX_THREADS || n < 1) return 2;
  span(-1); /* spanlog and its exporters start here, outside the timing */
  sl_flush();
  producer p[MAX_THREADS] = {0};
  pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
  for (int i = 0; i < threads; i++) {
    p[i].count = n / threads;
    pthread_create(&p[i].thread, NULL, produce, &p[i]);
  }
  uint64_t t0 = now_ns();
  pthread_barrier_wait(&start);
  uint64_t spent = 0;
  for (int i = 0; i < threads; i++) pthread_join(p[i].thread, NULL), spent += p[i].spent;
  uint64_t t1 = now_ns();
  long rss = rss_kb();
  sl_flush();
  uint64_t t2 = now_ns();
  sl_export_counts c;
  sl_export_stats(SL_EXPORT_TRACES, &c);
  double total = (double)(t2 - t0) / 1e9;
  printf("peer=spanlog producers=%d spans=%ld caller_ns=%.1f produce_s=%.3f total_s=%.3f exported=%llu dropped=%llu "
         "failed=%llu delivered_per_s=%.0f rss_kb=%ld\n",
         threads, n, (double)spent / (double)(n / threads * threads), (double)(t1 - t0) / 1e9, total,
         (unsigned long long)c.exported, (unsigned long long)c.dropped, (unsigned long long)c.failed,
         (double)c.exported / total, rss);
  return 0;
}
