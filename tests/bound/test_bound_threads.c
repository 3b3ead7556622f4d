/* One bound logger shared read-only by four threads: every record carries its pairs and
 * the context of the thread that made it, and threads derive from it at the same time.
 * Run under TSan, this is the check that sharing needs no lock. */
#include <pthread.h>
#include <stdio.h>

#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

#define THREADS 4
#define PER_THREAD 500

static sl_bound *shared;

static void *worker(void *arg) {
  long t = (long)(intptr_t)arg;
  log_bind("worker", t);
  for (int i = 0; i < PER_THREAD; i++) {
    if (i % 50 == 0) {
      sl_bound *own = sl_bound_with(shared, "batch", i / 50);
      sl_bound_info(own, "batch", "seq", i, "thread", t);
      sl_bound_free(own);
    } else {
      sl_bound_info(shared, "item", "seq", i, "thread", t);
    }
  }
  log_clear();
  return NULL;
}

static void one_bound_logger_shared_by_four_threads(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  shared = sl_logger_with(sl_logger_get("shared"), "request_id", "r-shared", "tenant", "t1");
  pthread_t th[THREADS];
  for (long t = 0; t < THREADS; t++) CHECK_INT(pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t), 0);
  for (int t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
  sl_bound_free(shared);
  size_t n = sl_capture_count(cap);
  CHECK_INT(n, THREADS * PER_THREAD);
  int seen[THREADS][PER_THREAD] = {{0}};
  for (size_t i = 0; i < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    long t = doc_long(d, "thread"), seq = doc_long(d, "seq");
    if (t < 0 || t >= THREADS || seq < 0 || seq >= PER_THREAD) {
      FAIL("unexpected line: %s", sl_capture_line(cap, i));
      jl_free(d);
      continue;
    }
    seen[t][seq]++;
    CHECK_STR(doc_str(d, "request_id"), "r-shared");
    CHECK_STR(doc_str(d, "tenant"), "t1");
    CHECK_STR(doc_str(d, "logger"), "shared");
    CHECK_INT(doc_long(d, "worker"), t); /* its own thread's context */
    CHECK_INT(doc_long(d, "batch"), seq % 50 == 0 ? seq / 50 : -1);
    jl_free(d);
  }
  for (int t = 0; t < THREADS; t++)
    for (int s = 0; s < PER_THREAD; s++)
      if (seen[t][s] != 1) FAIL("thread %d seq %d written %d times", t, s, seen[t][s]);
  sl_capture_stop(cap);
}

int main(void) {
  RUN(one_bound_logger_shared_by_four_threads);
  return check_exit();
}
