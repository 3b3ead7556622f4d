/* A process started with TRACEPARENT and TRACESTATE (set by tests/meson.build):
 *   TRACEPARENT=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
 *   TRACESTATE=congo=t61rcWkgMzE
 * continues that trace: its root spans (in any thread or context) are children of
 * 00f067aa0ba902b7, the tracestate travels with the trace, and sl_trace_environ hands a
 * child process the current span in place of the inherited TRACEPARENT. */
#define SPANLOG_LOGGER "envtp"
#include <pthread.h>
#include <spanlog.h>
#include <spanlog/testing.h>

#include "spanlines.h"

#define TRACE "4bf92f3577b34da6a3ce929d0e0e4736"
#define PARENT "00f067aa0ba902b7"
#define STATE "congo=t61rcWkgMzE"

extern char **environ;

static sl_capture *cap;

/* How many entries of env start with prefix; the last one in *found. */
static int count_prefix(char **env, const char *prefix, const char **found) {
  int n = 0;
  for (size_t i = 0; env && env[i]; i++)
    if (strncmp(env[i], prefix, strlen(prefix)) == 0) n++, *found = env[i];
  return n;
}

static size_t env_len(char **env) {
  size_t n = 0;
  while (env && env[n]) n++;
  return n;
}

/* sl_trace_environ(NULL) hands on the current span: exactly one TRACEPARENT (the
   inherited one replaced) and the tracestate, everything else of environ kept. */
static void check_environ(const char *span_id) {
  char **env = sl_trace_environ(NULL);
  CHECK(env != NULL);
  if (!env) return;
  const char *tp = NULL, *ts = NULL, *keep = NULL;
  CHECK_INT(count_prefix(env, "TRACEPARENT=", &tp), 1);
  char want[128];
  snprintf(want, sizeof want, "TRACEPARENT=00-" TRACE "-%s-01", span_id);
  CHECK_STR(tp, want);
  CHECK_INT(count_prefix(env, "TRACESTATE=", &ts), 1);
  CHECK_STR(ts, "TRACESTATE=" STATE);
  CHECK_INT(count_prefix(env, "SPANLOG_TEST_KEEP=", &keep), 1);
  CHECK_STR(keep, "SPANLOG_TEST_KEEP=yes");
  CHECK_INT(env_len(env), env_len(environ)); /* TRACEPARENT and TRACESTATE were there: replaced */
  sl_trace_environ_free(env);
}

static char thread_trace[33];

static void *root_in_a_thread(void *arg) {
  (void)arg;
  sl_span *s = sl_span_start("thread.root");
  char span[17];
  sl_span_ids(s, thread_trace, span);
  sl_span_end(s);
  return NULL;
}

static void the_process_continues_the_environment_trace(void) {
  CHECK_STR(sl_tracestate_current(), STATE); /* before any span */
  sl_span *root = sl_span_start_kind(SL_SPAN_SERVER, "root");
  char trace[33], root_id[17];
  CHECK_INT(sl_span_ids(root, trace, root_id), 0);
  CHECK_STR(trace, TRACE);
  CHECK(strcmp(root_id, PARENT) != 0); /* a span of its own */
  CHECK_INT(sl_span_is_sampled(root), 1); /* the parent's flag 01, parentbased_always_on */
  char tp[56], want[56];
  CHECK_INT(sl_traceparent_format(root, tp), 55);
  snprintf(want, sizeof want, "00-" TRACE "-%s-01", root_id);
  CHECK_STR(tp, want);
  CHECK_STR(sl_tracestate_current(), STATE);
  log_info("in.root");
  check_environ(root_id);

  sl_span *child = sl_span_start("child");
  char child_id[17];
  CHECK_INT(sl_span_ids(child, trace, child_id), 0);
  CHECK_STR(trace, TRACE);
  check_environ(child_id);
  sl_span_end(child);
  sl_span_end(root);

  /* a second root, one in another context and one in another thread: the same parent */
  sl_span *again = sl_span_start("root.again");
  char again_id[17];
  CHECK_INT(sl_span_ids(again, trace, again_id), 0);
  CHECK_STR(trace, TRACE);
  sl_span_end(again);
  sl_context *ctx = sl_context_new();
  sl_context *prev = sl_context_swap(ctx);
  CHECK_STR(sl_tracestate_current(), STATE);
  sl_span_end(sl_span_start("context.root"));
  sl_context_swap(prev);
  sl_context_free(ctx);
  pthread_t t;
  CHECK_INT(pthread_create(&t, NULL, root_in_a_thread, NULL), 0);
  pthread_join(t, NULL);
  CHECK_STR(thread_trace, TRACE);

  size_t n = sl_capture_count(cap);
  int roots = 0, children = 0, logs = 0;
  for (size_t i = 0; i < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    if (!d) continue;
    CHECK_STR(doc_str(d, "trace_id"), TRACE);
    const char *name = doc_str(d, "name");
    if (!is_span(d)) {
      logs++;
      CHECK_STR(doc_str(d, "span_id"), root_id);
    } else if (name && strcmp(name, "child") == 0) {
      children++;
      CHECK_STR(doc_str(d, "span_id"), child_id);
      CHECK_STR(doc_str(d, "parent_span_id"), root_id);
    } else {
      roots++;
      CHECK_STR(doc_str(d, "parent_span_id"), PARENT);
      if (name && strcmp(name, "root") == 0) {
        CHECK_STR(doc_str(d, "span_id"), root_id);
        CHECK_STR(doc_str(d, "kind"), "server");
      }
    }
    jl_free(d);
  }
  CHECK_INT(roots, 4);
  CHECK_INT(children, 1);
  CHECK_INT(logs, 1);
  sl_capture_clear(cap);
}

/* Another trace continued in a context: the environment's tracestate is not its, and a
   child process started from there gets that trace and no tracestate at all. */
static void another_trace_does_not_take_the_environment_tracestate(void) {
  sl_context *ctx = sl_context_new();
  sl_context *prev = sl_context_swap(ctx);
  CHECK_INT(sl_trace_continue("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", NULL), 0);
  CHECK(sl_tracestate_current() == NULL);
  sl_span *s = sl_span_start("other");
  char trace[33], span[17];
  CHECK_INT(sl_span_ids(s, trace, span), 0);
  CHECK_STR(trace, "0af7651916cd43dd8448eb211c80319c");
  CHECK(sl_tracestate_current() == NULL);
  char **env = sl_trace_environ(NULL);
  const char *tp = NULL, *ts = NULL;
  CHECK_INT(count_prefix(env, "TRACEPARENT=", &tp), 1);
  char want[128];
  snprintf(want, sizeof want, "TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-%s-01", span);
  CHECK_STR(tp, want);
  CHECK_INT(count_prefix(env, "TRACESTATE=", &ts), 0);
  sl_trace_environ_free(env);
  sl_span_end(s);
  sl_context_swap(prev);
  sl_context_free(ctx);
  CHECK_STR(sl_tracestate_current(), STATE); /* back in the environment's trace */
  size_t n = sl_capture_count(cap);
  CHECK_INT(n, 1);
  for (size_t i = 0; i < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    CHECK_STR(doc_str(d, "parent_span_id"), "b7ad6b7169203331");
    jl_free(d);
  }
  sl_capture_clear(cap);
}

int main(void) {
  setenv("SPANLOG_TEST_KEEP", "yes", 1);
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(the_process_continues_the_environment_trace);
  RUN(another_trace_does_not_take_the_environment_tracestate);
  sl_capture_stop(cap);
  return check_exit();
}
