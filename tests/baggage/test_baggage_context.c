/* Baggage belongs to the current context: each thread has its own, a context object
 * carries its own (sl_context_fork copies it), sl_baggage_continue replaces what a
 * context had, and without SPANLOG_BAGGAGE_FIELDS records do not carry it. */
#include <pthread.h>
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static char header[1024];

static const char *formatted(void) {
  sl_baggage_format(header, sizeof header);
  return header;
}

static void continue_replaces_what_the_context_had(void) {
  CHECK_INT(sl_baggage_continue("a=1,b=2"), 2);
  CHECK_INT(sl_baggage_continue("c=3"), 1);
  CHECK(sl_baggage_get("a") == NULL);
  CHECK_STR(formatted(), "c=3");
  /* a request without the header has no baggage of the one before */
  CHECK_INT(sl_baggage_continue(""), 0);
  CHECK_INT(sl_baggage_format(NULL, 0), 0);
}

static void set_adds_and_replaces_in_place(void) {
  sl_baggage_clear();
  CHECK_INT(sl_baggage_set("a", "1"), 0);
  CHECK_INT(sl_baggage_set("b", "2"), 0);
  CHECK_INT(sl_baggage_set("a", "3"), 0);
  CHECK_STR(formatted(), "a=3,b=2");
  CHECK_INT(sl_baggage_remove("a"), 0);
  CHECK_STR(formatted(), "b=2");
  sl_baggage_clear();
}

static void *other_thread(void *arg) {
  (void)arg;
  int seen = sl_baggage_get("user") != NULL;
  sl_baggage_set("user", "thread");
  return (void *)(intptr_t)seen;
}

static void each_thread_has_its_own(void) {
  sl_baggage_set("user", "main");
  pthread_t t;
  void *seen = NULL;
  pthread_create(&t, NULL, other_thread, NULL);
  pthread_join(t, &seen);
  CHECK(seen == NULL);
  CHECK_STR(sl_baggage_get("user"), "main");
  sl_baggage_clear();
}

static void a_context_object_carries_its_own(void) {
  sl_baggage_set("request", "r1");
  sl_context *forked = sl_context_fork(), *fresh = sl_context_new();
  sl_baggage_set("request", "r2"); /* after the fork: not in the copy */

  sl_context *prev = sl_context_swap(forked);
  CHECK_STR(sl_baggage_get("request"), "r1");
  sl_baggage_set("task", "t");
  sl_context_swap(fresh);
  CHECK(sl_baggage_get("request") == NULL);
  CHECK(sl_baggage_get("task") == NULL);
  sl_context_swap(forked);
  CHECK_STR(sl_baggage_get("task"), "t");
  sl_context_swap(prev);

  CHECK_STR(sl_baggage_get("request"), "r2");
  CHECK(sl_baggage_get("task") == NULL);
  sl_context_free(forked);
  sl_context_free(fresh);
  sl_baggage_clear();
}

static void records_do_not_carry_it_unless_asked(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_baggage_set("user", "u1");
  log_info("with baggage");
  CHECK_INT(sl_capture_count(cap), 1);
  CHECK(sl_capture_field(cap, 0, "baggage.user", NULL) == NULL);
  sl_capture_stop(cap);
  sl_baggage_clear();
}

static void a_child_process_gets_it_in_BAGGAGE(void) {
  sl_baggage_continue("user=u%201,tier=gold;ttl=5");
  SL_SPAN("parent") {
    char **env = sl_trace_environ((char *const[]){"PATH=/bin", "BAGGAGE=stale", NULL});
    CHECK(env != NULL);
    int found = 0;
    for (size_t i = 0; env && env[i]; i++) {
      CHECK(strncmp(env[i], "BAGGAGE=stale", 13) != 0);
      if (strcmp(env[i], "BAGGAGE=user=u%201,tier=gold;ttl=5") == 0) found++;
    }
    CHECK_INT(found, 1);
    sl_trace_environ_free(env);

    sl_baggage_clear(); /* no baggage: the child gets none, not the parent's old one */
    env = sl_trace_environ((char *const[]){"BAGGAGE=stale", NULL});
    for (size_t i = 0; env && env[i]; i++) CHECK(strncmp(env[i], "BAGGAGE", 7) != 0);
    sl_trace_environ_free(env);
  }
}

int main(void) {
  RUN(continue_replaces_what_the_context_had);
  RUN(set_adds_and_replaces_in_place);
  RUN(each_thread_has_its_own);
  RUN(a_context_object_carries_its_own);
  RUN(records_do_not_carry_it_unless_asked);
  RUN(a_child_process_gets_it_in_BAGGAGE);
  sl_shutdown();
  return check_exit();
}
