/* Runs every part of spanlog that reads the environment, and prints the name of each
   variable it asks for, one "getenv NAME" line each on stderr: this program's getenv
   stands in for libc's, so that names put together at run time (OTEL_BSP_*, the
   per-signal OTEL_EXPORTER_OTLP_*) are seen as well. check_manpage_env.py runs it with
   the exporters switched on and an endpoint that is refused, so nothing is sent. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <spanlog.h>

extern char **environ;

char *getenv(const char *name) {
  char line[256];
  size_t n = strlen(name);
  if (n < sizeof line - 8) {
    memcpy(line, "getenv ", 7);
    memcpy(line + 7, name, n);
    line[7 + n] = '\n';
    ssize_t w = write(2, line, 8 + n); /* one write: lines of two threads stay whole */
    (void)w;
  }
  for (char **e = environ; *e; e++)
    if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
  return NULL;
}

int main(void) {
  log_info("env_reads.started", "step", 1);
  sl_span *agent = sl_genai_invoke_agent("env-reader", NULL);
  sl_replay_record_input("{\"message\":\"hello\"}");
  sl_span *chat = sl_genai_chat("openai", "gpt-4o");
  if (sl_genai_capturing(chat)) sl_genai_add_message(chat, SL_GENAI_INPUT, "user", "hello", NULL);
  sl_span_end(chat);
  sl_span *plain = sl_span_start("step", "n", 2);
  log_warning("env_reads.inside_span");
  sl_span_end(plain);
  sl_span_end(agent);
  sl_flush();
  sl_shutdown();
  return 0;
}
