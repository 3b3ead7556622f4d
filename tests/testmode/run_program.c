/* A small program of spans, events, logs and an error, run by repeat_runs.py: with
 * SPANLOG_ID_SEED set and its fake clock, every run must write the same bytes. With an
 * argument "fork", it also forks a child that makes spans of its own (the child writes
 * to the same output, after the parent's lines). */
#define SPANLOG_LOGGER "testmode"
#include <spanlog.h>
#include <spanlog/testing.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t fake_now = 1767225600000000000u; /* 2026-01-01T00:00:00Z */

/* Each reading is 1.5 ms after the one before. */
static uint64_t fake_clock(void) { return fake_now += 1500000; }

static void request(int n) {
  SL_SCOPE("request_id", n) {
    sl_span *agent = sl_span_start("invoke_agent", "gen_ai.operation.name", "invoke_agent", "n", n);
    log_info("searching", "query", "Q3 invoices", "top_k", 5);
    sl_span *tool = sl_span_start("execute_tool search", "gen_ai.tool.name", "search");
    sl_span_event(tool, "retry", "attempt", 2);
    if (n == 1) sl_span_error(tool, "TimeoutError", "search timed out");
    sl_span_end(tool);
    log_warning("answered", "ok", SL_BOOL(n != 1), "score", 0.25 * n);
    sl_span_end(agent);
  }
}

int main(int argc, char **argv) {
  sl_set_clock(fake_clock);
  for (int n = 0; n < 3; n++) request(n);
  sl_flush();
  if (argc > 1 && strcmp(argv[1], "fork") == 0) {
    pid_t pid = fork();
    if (pid == 0) {
      request(10);
      sl_flush();
      _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) return 1;
    request(20); /* after the child's lines: the parent goes on with its own sequence */
  }
  sl_shutdown();
  return 0;
}
