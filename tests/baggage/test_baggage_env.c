/* A process started with BAGGAGE in its environment (the OpenTelemetry environment
 * carrier; set by meson.build): every context has those entries until it sets its own,
 * and a child started with sl_trace_environ gets them on. */
#include <pthread.h>
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static char header[1024];

static void every_context_starts_with_the_environments_baggage(void) {
  CHECK_STR(sl_baggage_get("tenant"), "acme");
  CHECK_STR(sl_baggage_get("note"), "a,b");
  sl_context *fresh = sl_context_new();
  sl_context *prev = sl_context_swap(fresh);
  CHECK_STR(sl_baggage_get("tenant"), "acme");
  sl_context_swap(prev);
  sl_context_free(fresh);
}

static void *in_thread(void *arg) {
  (void)arg;
  return (void *)sl_baggage_get("tenant");
}

static void a_new_thread_has_it_too(void) {
  pthread_t t;
  void *v = NULL;
  pthread_create(&t, NULL, in_thread, NULL);
  pthread_join(t, &v);
  CHECK(v != NULL && strcmp(v, "acme") == 0);
}

static int env_has(char **env, const char *entry) {
  int n = 0;
  for (size_t i = 0; env && env[i]; i++) n += strcmp(env[i], entry) == 0;
  return n;
}

static void a_child_gets_it_and_what_was_added(void) {
  SL_SPAN("spawn") {
    char **env = sl_trace_environ((char *const[]){NULL});
    CHECK_INT(env_has(env, "BAGGAGE=tenant=acme,note=a%2Cb"), 1);
    sl_trace_environ_free(env);
    sl_baggage_set("step", "2");
    CHECK_STR(sl_baggage_get("tenant"), "acme"); /* added to, not replaced */
    env = sl_trace_environ((char *const[]){NULL});
    CHECK_INT(env_has(env, "BAGGAGE=tenant=acme,note=a%2Cb,step=2"), 1);
    sl_trace_environ_free(env);
  }
}

/* SPANLOG_BAGGAGE_FIELDS=1 here: the environment's entries become fields once the
   context's baggage is its own. */
static void its_entries_become_fields_once_the_context_changes_it(void) {
  sl_context *fresh = sl_context_new(), *prev = sl_context_swap(fresh);
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  log_info("before");
  sl_baggage_set("step", "1");
  log_info("after");
  CHECK_INT(sl_capture_count(cap), 2);
  CHECK(sl_capture_field(cap, 0, "baggage.tenant", NULL) == NULL);
  size_t len = 0;
  const char *v = sl_capture_field(cap, 1, "baggage.tenant", &len);
  CHECK(v && len == 6 && memcmp(v, "\"acme\"", 6) == 0);
  sl_capture_stop(cap);
  sl_context_swap(prev);
  sl_context_free(fresh);
}

static void clear_empties_it_for_this_context(void) {
  sl_baggage_clear();
  CHECK(sl_baggage_get("tenant") == NULL);
  CHECK_INT(sl_baggage_format(header, sizeof header), 0);
}

int main(void) {
  RUN(every_context_starts_with_the_environments_baggage);
  RUN(a_new_thread_has_it_too);
  RUN(a_child_gets_it_and_what_was_added);
  RUN(its_entries_become_fields_once_the_context_changes_it);
  RUN(clear_empties_it_for_this_context);
  sl_shutdown();
  return check_exit();
}
