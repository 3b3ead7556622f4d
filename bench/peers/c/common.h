/* Shared pieces of the C and C++ peers of bench/compare.sh (the workload of bench/README.md).
 * Protocol of every peer binary:  BIN -n N -t THREADS -o OUTPATH
 * It prints one line on stdout:
 *   peer=NAME threads=T n=N call_ns=X call_ns_max=Y e2e_s=Z e2e_rps=R user0=.. trace0=.. ...
 * call_ns: per thread (last-call-return - first-call-start)/records_of_thread, averaged
 * over threads; call_ns_max: the slowest thread. e2e: earliest first call -> output closed. */
#ifndef PEERS_COMMON_H
#define PEERS_COMMON_H
#define _GNU_SOURCE 1
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#define MAX_THREADS 8

static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

typedef struct {
  long n;        /* total records */
  int threads;   /* producer threads */
  const char *out;
} args_t;

static inline void parse_args(int argc, char **argv, args_t *a) {
  a->n = 1000000; a->threads = 1; a->out = "/dev/null";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "-n")) a->n = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "-t")) a->threads = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "-o")) a->out = argv[i + 1];
  }
  if (a->threads < 1 || a->threads > MAX_THREADS) { fprintf(stderr, "bad -t\n"); exit(2); }
}

/* Bound context and current span of one producer thread. */
typedef struct {
  char user_id[32];
  char agent[32];
  char trace_id[33];  /* 32 lowercase hex */
  char span_id[17];   /* 16 lowercase hex */
} ctx_t;

static inline void rand_hex(char *dst, int nhex) {
  static const char hx[] = "0123456789abcdef";
  unsigned char raw[32];
  if (getrandom(raw, (size_t)(nhex / 2), 0) != nhex / 2) { perror("getrandom"); exit(1); }
  for (int i = 0; i < nhex / 2; i++) { dst[2 * i] = hx[raw[i] >> 4]; dst[2 * i + 1] = hx[raw[i] & 15]; }
  dst[nhex] = 0;
}

/* Bind context for producer k of T: one thread -> u_8821, else u_1, u_2, ... ; open a span. */
static inline void ctx_init(ctx_t *c, int k, int threads) {
  if (threads == 1) snprintf(c->user_id, sizeof c->user_id, "u_8821");
  else snprintf(c->user_id, sizeof c->user_id, "u_%d", k + 1);
  snprintf(c->agent, sizeof c->agent, "research-assistant");
  rand_hex(c->trace_id, 32);
  rand_hex(c->span_id, 16);
}

/* Call-site fields of the record. */
#define REC_EVENT "searching"
#define REC_QUERY "Q3 invoices"
#define REC_TOPK 5
#define REC_SCORE 0.87

/* Per-thread timing, filled by the producer. */
typedef struct {
  uint64_t t0, t1;
  long count;
  ctx_t ctx;
} thr_result_t;

/* A start barrier so that all producers begin together. */
static pthread_barrier_t g_start_barrier __attribute__((unused));

static inline void report(const char *peer, const args_t *a, thr_result_t *r, uint64_t t_end) {
  uint64_t t_first = r[0].t0;
  double sum = 0, mx = 0;
  for (int k = 0; k < a->threads; k++) {
    if (r[k].t0 < t_first) t_first = r[k].t0;
    double c = (double)(r[k].t1 - r[k].t0) / (double)r[k].count;
    sum += c; if (c > mx) mx = c;
  }
  double e2e = (double)(t_end - t_first) / 1e9;
  printf("peer=%s threads=%d n=%ld call_ns=%.1f call_ns_max=%.1f e2e_s=%.4f e2e_rps=%.0f",
         peer, a->threads, a->n, sum / a->threads, mx, e2e, (double)a->n / e2e);
  for (int k = 0; k < a->threads; k++) printf(" user%d=%s trace%d=%s", k, r[k].ctx.user_id, k, r[k].ctx.trace_id);
  printf("\n");
  fflush(stdout);
}

#endif
