/* The caller's cost of single calls, in bursts that fit the queue (so the figure is the
 * call itself, not waiting for the backend to make room):
 *
 *   bench_calls [ROUNDS]
 *
 * Prints, per case, the median ns per call over ROUNDS rounds (min-max):
 *   log      the workload record (3 fields, 2 bound, span ids current)
 *   disabled a debug call at level info
 *   baseline the measuring loop's own call through a pointer, included in every row
 *   span     span start + 4 attributes + end (sampled, written)
 *   plain4   log_event with 4 fields: request_id, tool, query, top_k
 *   bound    the same record through a bound logger holding request_id and tool
 * and the median of the rounds' bound/plain4 ratios. */
#define SPANLOG_LOGGER "agent"
#include <spanlog.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BURST 200
#define BURSTS 500

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static volatile int sink_counter;

static void one_log(int i) {
  (void)i;
  log_event("searching", "query", "Q3 invoices", "top_k", 5, "score", 0.87);
}
static sl_bound *request_log;
static void one_plain4(int i) {
  log_event("searching", "request_id", "r_8821", "tool", "search_docs", "query", "Q3 invoices", "top_k", i);
}
static void one_bound(int i) { sl_bound_info(request_log, "searching", "query", "Q3 invoices", "top_k", i); }
static void one_disabled(int i) { log_debug("hidden", "i", (sink_counter += i)); }
/* The loop and the call through a pointer alone: what every row above includes. */
static __attribute__((noinline)) void nothing(int i) { __asm__ volatile("" ::"r"(i)); }
/* Start, then four attributes set on the started span (the locked path that any thread
   holding the handle takes), then end. */
static void one_span(int i) {
  sl_span *s = sl_span_start("execute_tool search_docs");
  sl_span_set(s, "gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "search_docs",
              "gen_ai.tool.call.id", "call_1", "top_k", i);
  sl_span_end(s);
}

/* ns per call over BURSTS bursts of BURST calls, the backend catching up between them. */
static double measure(void (*call)(int)) {
  uint64_t spent = 0;
  for (int b = 0; b < BURSTS; b++) {
    uint64_t t0 = now_ns();
    for (int i = 0; i < BURST; i++) call(i);
    spent += now_ns() - t0;
    sl_flush();
  }
  return (double)spent / (BURSTS * BURST);
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  if (rounds < 1 || rounds > 100) rounds = 5;
  if (!sl_sink_add_file("/dev/null", SL_LEVEL_DEBUG)) return 1;
  sl_set_levels("info");
  log_bind("user_id", "u_8821", "agent", "research-assistant");
  request_log = sl_logger_with(sl_logger_get("agent"), "request_id", "r_8821", "tool", "search_docs");
  sl_span *around = sl_span_start("invoke_agent research-assistant");
  struct {
    const char *name;
    void (*call)(int);
    double ns[100];
  } cases[] = {{"log", one_log, {0}},       {"disabled", one_disabled, {0}}, {"baseline", nothing, {0}},
               {"span", one_span, {0}},     {"plain4", one_plain4, {0}},     {"bound", one_bound, {0}}};
  double ratio[100];
  size_t ncases = sizeof cases / sizeof cases[0];
  for (size_t c = 0; c < ncases; c++) measure(cases[c].call); /* warm up */
  for (int r = 0; r < rounds; r++) /* every other round backwards: no case always follows another */
    for (size_t i = 0; i < ncases; i++) {
      size_t c = r % 2 ? ncases - 1 - i : i;
      cases[c].ns[r] = measure(cases[c].call);
    }
  sl_span_end(around);
  sl_bound_free(request_log);
  for (int r = 0; r < rounds; r++) ratio[r] = cases[5].ns[r] / cases[4].ns[r];
  qsort(ratio, (size_t)rounds, sizeof(double), cmp);
  for (size_t c = 0; c < ncases; c++) {
    qsort(cases[c].ns, (size_t)rounds, sizeof(double), cmp);
    printf("%-9s %7.1f ns/call (%.1f-%.1f)\n", cases[c].name, cases[c].ns[rounds / 2], cases[c].ns[0],
           cases[c].ns[rounds - 1]);
  }
  printf("%-9s %7.3f bound/plain4 (%.3f-%.3f)\n", "ratio", ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
  return 0;
}
