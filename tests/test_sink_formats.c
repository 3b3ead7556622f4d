/* Formats per sink: SPANLOG_FORMAT (set to logfmt by this test's environment) for sinks
 * left on AUTO, sl_sink_set_format from code, and the terminal default: the console view
 * on a terminal (a pseudo-terminal here), in colour unless NO_COLOR is set. */
#define SPANLOG_LOGGER "fmt"
#include <fcntl.h>
#include <poll.h>
#include <spanlog.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "testfiles.h"

static char first_line[4096];

static const char *read_first_line(const char *path) {
  text t = read_text(path);
  snprintf(first_line, sizeof first_line, "%s", t.n ? t.line[0] : "");
  text_free(&t);
  return first_line;
}

static void auto_sinks_follow_spanlog_format_and_code_overrides_it(void) {
  char logfmt_path[128], json_path[128], console_path[128];
  in_dir(logfmt_path, sizeof logfmt_path, "auto.log");
  in_dir(json_path, sizeof json_path, "json.log");
  in_dir(console_path, sizeof console_path, "console.log");
  sl_sink *a = sl_sink_add_file(logfmt_path, SL_LEVEL_DEBUG);
  sl_sink *j = sl_sink_add_file(json_path, SL_LEVEL_DEBUG);
  sl_sink *c = sl_sink_add_file(console_path, SL_LEVEL_DEBUG);
  CHECK(a && j && c);
  sl_sink_set_format(j, SL_FORMAT_JSON);
  sl_sink_set_format(c, SL_FORMAT_CONSOLE);
  /* Bound fields reach every format (JSON copies them pre-rendered, the others render). */
  log_bind("user_id", "u_1");
  log_info("searching", "query", "Q3 invoices", "top_k", 5);
  log_clear();
  sl_flush();
  const char *line = read_first_line(logfmt_path);
  CHECK(strncmp(line, "timestamp=", 10) == 0);
  CHECK(strstr(line, " level=info logger=fmt event=searching query=\"Q3 invoices\" top_k=5 user_id=u_1") != NULL);
  jl_doc *d = PARSE(read_first_line(json_path));
  CHECK_STR(doc_str(d, "query"), "Q3 invoices");
  CHECK_STR(doc_str(d, "user_id"), "u_1");
  jl_free(d);
  line = read_first_line(console_path);
  CHECK(strstr(line, "[info     ] searching") != NULL);
  CHECK(strstr(line, "user_id=u_1") != NULL);
  CHECK(strchr(line, '\x1b') == NULL); /* a file gets no colours */
  sl_sink_remove(a);
  sl_sink_remove(j);
  sl_sink_remove(c);
}

/* What a sink on fd writes for one record, read back from the pty's master side. */
static void read_pty(int master, char *out, size_t size) {
  size_t n = 0;
  struct pollfd p = {master, POLLIN, 0};
  while (n < size - 1 && poll(&p, 1, 2000) > 0) {
    ssize_t r = read(master, out + n, size - 1 - n);
    if (r <= 0) break;
    n += (size_t)r;
    if (memchr(out, '\n', n)) break;
  }
  out[n] = 0;
}

static void a_terminal_gets_the_console_view_in_colour_unless_no_color(void) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  CHECK(master >= 0);
  if (master < 0 || grantpt(master) || unlockpt(master)) return;
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  CHECK(slave >= 0 && isatty(slave));
  /* SPANLOG_FORMAT would win over the terminal default: this part is about the default */
  unsetenv("SPANLOG_FORMAT");
  char out[4096];
  for (int no_color = 0; no_color < 2; no_color++) {
    if (no_color) setenv("NO_COLOR", "1", 1);
    sl_sink *s = sl_sink_add_fd(slave, SL_LEVEL_DEBUG);
    sl_sink_set_format(s, SL_FORMAT_AUTO);
    log_warning("disk.low", "free_mb", 12);
    sl_flush();
    read_pty(master, out, sizeof out);
    CHECK(strstr(out, "disk.low") != NULL);
    CHECK(strstr(out, "timestamp=") == NULL && strstr(out, "\"event\"") == NULL); /* console, not logfmt or JSON */
    if (no_color) CHECK(strchr(out, '\x1b') == NULL);
    else CHECK(strstr(out, "\x1b[") != NULL);
    sl_sink_remove(s);
  }
  unsetenv("NO_COLOR");
  close(slave);
  close(master);
}

int main(void) {
  tmpdir_make("formats");
  RUN(auto_sinks_follow_spanlog_format_and_code_overrides_it);
  RUN(a_terminal_gets_the_console_view_in_colour_unless_no_color);
  return tmpdir_done(check_exit());
}
