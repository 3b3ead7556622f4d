/* Bound context: log_bind / log_unbind / log_clear, SL_SCOPE however its block is
 * left, and context objects handed between threads. */
#include <pthread.h>
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static sl_capture *cap;

/* The value of key in the last record, decoded; NULL if absent. Clears the capture. */
static char last_value[256];
static const char *last(const char *key) {
  size_t n = sl_capture_count(cap);
  jl_doc *d = n ? PARSE(sl_capture_line(cap, n - 1)) : NULL;
  const char *v = doc_str(d, key);
  snprintf(last_value, sizeof last_value, "%s", v ? v : "");
  jl_free(d);
  sl_capture_clear(cap);
  return v ? last_value : NULL;
}

static void bound_pairs_follow_every_record_until_unbound(void) {
  log_bind("user_id", "u1", "agent", "research");
  log_info("one");
  CHECK_STR(last("user_id"), "u1");
  log_info("two");
  CHECK_STR(last("agent"), "research");
  log_unbind("agent");
  log_info("three");
  CHECK(last("agent") == NULL);
  log_clear();
  log_info("four");
  CHECK(last("user_id") == NULL);
}

static void rebinding_replaces_in_place(void) {
  log_bind("a", "1", "b", "2");
  log_bind("a", "3");
  log_info("x");
  size_t n = sl_capture_count(cap);
  const char *line = sl_capture_line(cap, n - 1);
  CHECK(line && strstr(line, "\"a\":\"3\",\"b\":\"2\"") != NULL);
  sl_capture_clear(cap);
  log_clear();
}

/* A record keeps the binding of the moment it was made, though rendered later. */
static void records_keep_the_binding_of_their_moment(void) {
  log_bind("user_id", "u1");
  log_info("first");
  log_bind("user_id", "u2");
  log_info("second");
  CHECK_INT(sl_capture_count(cap), 2);
  jl_doc *a = PARSE(sl_capture_line(cap, 0)), *b = PARSE(sl_capture_line(cap, 1));
  CHECK_STR(doc_str(a, "user_id"), "u1");
  CHECK_STR(doc_str(b, "user_id"), "u2");
  jl_free(a);
  jl_free(b);
  sl_capture_clear(cap);
  log_clear();
}

static int scope_left_by_return(void) {
  SL_SCOPE("req", "r1") {
    log_info("inside");
    return 1;
  }
  return 0;
}

static void scope_is_undone_however_the_block_is_left(void) {
  log_bind("req", "outer");
  SL_SCOPE("req", "r1", "step", 1) {
    log_info("inside");
    CHECK_STR(last("req"), "r1");
  }
  log_info("after end");
  CHECK_STR(last("req"), "outer");
  CHECK(last("step") == NULL);

  for (int i = 0; i < 3; i++) {
    SL_SCOPE("req", "loop") {
      if (i == 1) break; /* leaves the scope's block */
    }
  }
  log_info("after break");
  CHECK_STR(last("req"), "outer");

  CHECK_INT(scope_left_by_return(), 1);
  log_info("after return");
  CHECK_STR(last("req"), "outer");

  SL_SCOPE("req", "goto") { goto out; }
out:
  log_info("after goto");
  CHECK_STR(last("req"), "outer");
  log_clear();
}

/* SL_SCOPE_HERE in a loop's body: bound for the rest of the iteration, restored before the
   next one; continue and break act on the loop. */
static void scope_here_lets_break_and_continue_reach_the_loop(void) {
  log_bind("req", "outer");
  int iterations = 0, logged = 0;
  for (int i = 0; i < 5; i++) {
    log_info("before");
    CHECK_STR(last("req"), "outer"); /* the last iteration's scope is undone */
    SL_SCOPE_HERE("req", "loop", "i", i);
    iterations++;
    if (i == 1) continue;
    log_info("in loop");
    size_t n = sl_capture_count(cap);
    jl_doc *d = n ? PARSE(sl_capture_line(cap, n - 1)) : NULL;
    CHECK_STR(doc_str(d, "req"), "loop");
    CHECK_INT(doc_long(d, "i"), i);
    jl_free(d);
    sl_capture_clear(cap);
    logged++;
    if (i == 3) break;
  }
  CHECK_INT(iterations, 4); /* 0, 1 (continued), 2, 3 (broke) */
  CHECK_INT(logged, 3);
  log_info("after");
  CHECK_STR(last("req"), "outer");
  CHECK(last("i") == NULL);
  {
    SL_SCOPE_HERE("a", 1);
    SL_SCOPE_HERE("a", 2, "b", 2); /* undone first: declared last */
    log_info("two deep");
    size_t n = sl_capture_count(cap);
    CHECK(n && strstr(sl_capture_line(cap, n - 1), "\"a\":2,\"b\":2") != NULL);
    sl_capture_clear(cap);
  }
  log_info("out");
  CHECK(last("a") == NULL);
  log_clear();
}

static void scopes_nest_and_keep_other_bindings(void) {
  SL_SCOPE("a", 1) {
    SL_SCOPE("a", 2, "b", 2) {
      log_bind("c", "made inside");
      log_info("inner");
      size_t n = sl_capture_count(cap);
      CHECK(strstr(sl_capture_line(cap, n - 1), "\"a\":2,\"b\":2,\"c\":\"made inside\"") != NULL);
      sl_capture_clear(cap);
    }
    log_info("middle");
    size_t n = sl_capture_count(cap);
    const char *line = sl_capture_line(cap, n - 1);
    CHECK(strstr(line, "\"a\":1,\"c\":\"made inside\"") != NULL);
    CHECK(strstr(line, "\"b\"") == NULL);
    sl_capture_clear(cap);
  }
  log_info("outer");
  CHECK(last("a") == NULL);
  log_clear();
}

static void a_forked_context_is_a_copy(void) {
  log_bind("user_id", "u1");
  sl_context *copy = sl_context_fork();
  log_bind("user_id", "changed");
  sl_context *prev = sl_context_swap(copy);
  log_info("in copy");
  CHECK_STR(last("user_id"), "u1");
  log_bind("only_in_copy", "yes");
  sl_context_swap(prev);
  log_info("back");
  CHECK_STR(last("user_id"), "changed");
  CHECK(last("only_in_copy") == NULL);
  sl_context_free(copy);
  log_clear();
}

static void a_new_context_is_empty(void) {
  log_bind("user_id", "u1");
  sl_context *fresh = sl_context_new();
  sl_context *prev = sl_context_swap(fresh);
  log_info("fresh");
  CHECK(last("user_id") == NULL);
  sl_context_swap(prev);
  sl_context_free(fresh);
  log_info("own again");
  CHECK_STR(last("user_id"), "u1");
  log_clear();
}

/* ---- a thread pool: the job carries its submitter's context ---- */

typedef struct job {
  sl_context *ctx; /* captured at submit */
  int done;
} job;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cond = PTHREAD_COND_INITIALIZER;
static job *pending;

static void *worker(void *arg) {
  (void)arg;
  log_bind("worker", "w1"); /* the worker's own context */
  pthread_mutex_lock(&pool_lock);
  while (!pending) pthread_cond_wait(&pool_cond, &pool_lock);
  job *j = pending;
  pthread_mutex_unlock(&pool_lock);

  sl_context *prev = sl_context_swap(j->ctx);
  log_info("job runs");
  sl_context_swap(prev);
  log_info("worker idle");

  pthread_mutex_lock(&pool_lock);
  j->done = 1;
  pthread_cond_broadcast(&pool_cond);
  pthread_mutex_unlock(&pool_lock);
  return NULL;
}

static void a_pool_job_carries_its_submitters_bindings(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  log_bind("user_id", "submitter");
  job j = {sl_context_fork(), 0};
  pthread_mutex_lock(&pool_lock);
  pending = &j;
  pthread_cond_broadcast(&pool_cond);
  while (!j.done) pthread_cond_wait(&pool_cond, &pool_lock);
  pthread_mutex_unlock(&pool_lock);
  pthread_join(t, NULL);

  CHECK_INT(sl_capture_count(cap), 2);
  jl_doc *in_job = PARSE(sl_capture_line(cap, 0)), *idle = PARSE(sl_capture_line(cap, 1));
  CHECK_STR(doc_str(in_job, "event"), "job runs");
  CHECK_STR(doc_str(in_job, "user_id"), "submitter");
  CHECK(!doc_has(in_job, "worker"));
  CHECK_STR(doc_str(idle, "worker"), "w1");
  CHECK(!doc_has(idle, "user_id"));
  jl_free(in_job);
  jl_free(idle);
  sl_capture_clear(cap);
  sl_context_free(j.ctx);
  pending = NULL;
  log_clear();
}

static void *logs_without_binding(void *arg) {
  (void)arg;
  log_info("new thread");
  return NULL;
}

/* A thread starts with an empty context: nothing leaks from the thread that made it. */
static void a_new_thread_starts_empty(void) {
  log_bind("user_id", "parent");
  pthread_t t;
  pthread_create(&t, NULL, logs_without_binding, NULL);
  pthread_join(t, NULL);
  CHECK(last("user_id") == NULL);
  log_clear();
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(bound_pairs_follow_every_record_until_unbound);
  RUN(rebinding_replaces_in_place);
  RUN(records_keep_the_binding_of_their_moment);
  RUN(scope_is_undone_however_the_block_is_left);
  RUN(scope_here_lets_break_and_continue_reach_the_loop);
  RUN(scopes_nest_and_keep_other_bindings);
  RUN(a_forked_context_is_a_copy);
  RUN(a_new_context_is_empty);
  RUN(a_pool_job_carries_its_submitters_bindings);
  RUN(a_new_thread_starts_empty);
  sl_capture_stop(cap);
  return check_exit();
}
