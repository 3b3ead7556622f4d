/* The printf baseline. fprintf of the whole JSON line to a shared FILE*
 * under flockfile, timestamp from clock_gettime(CLOCK_REALTIME)+gmtime_r in the call.
 * No escaping of string values (as typical hand-written agent code does). */
#include "common.h"

static FILE *g_out;
static args_t g_args;
static thr_result_t g_res[MAX_THREADS];

static inline void log_searching(FILE *f, const ctx_t *c, const char *query, int top_k, double score) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  flockfile(f);
  fprintf(f,
          "{\"timestamp\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"info\",\"logger\":\"agent\","
          "\"event\":\"searching\",\"query\":\"%s\",\"top_k\":%d,\"score\":%g,"
          "\"user_id\":\"%s\",\"agent\":\"%s\",\"trace_id\":\"%s\",\"span_id\":\"%s\"}\n",
          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
          ts.tv_nsec / 1000000, query, top_k, score, c->user_id, c->agent, c->trace_id, c->span_id);
  funlockfile(f);
}

static void *producer(void *arg) {
  int k = (int)(intptr_t)arg;
  thr_result_t *r = &g_res[k];
  ctx_init(&r->ctx, k, g_args.threads);          /* bind context + open span, once */
  long n = g_args.n / g_args.threads;
  r->count = n;
  pthread_barrier_wait(&g_start_barrier);
  r->t0 = now_ns();
  for (long i = 0; i < n; i++) log_searching(g_out, &r->ctx, REC_QUERY, REC_TOPK, REC_SCORE);
  r->t1 = now_ns();
  return NULL;
}

int main(int argc, char **argv) {
  parse_args(argc, argv, &g_args);
  g_out = fopen(g_args.out, "w");
  if (!g_out) { perror("fopen"); return 1; }
  pthread_barrier_init(&g_start_barrier, NULL, (unsigned)g_args.threads);
  pthread_t th[MAX_THREADS];
  for (int k = 0; k < g_args.threads; k++) pthread_create(&th[k], NULL, producer, (void *)(intptr_t)k);
  for (int k = 0; k < g_args.threads; k++) pthread_join(th[k], NULL);
  fclose(g_out);
  uint64_t t_end = now_ns();
  report("printf", &g_args, g_res, t_end);
  return 0;
}
