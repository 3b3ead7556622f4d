/* A capture suspends the default sink only while it runs: when the last capture stops
 * and the application added no sink of its own, records go to the default sink again
 * (before, they went nowhere). A sink the application added stays the only output. The
 * default sink here is stdout, pointed at a file before the first record. */
#include <fcntl.h>
#include <unistd.h>

#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"
#include "testfiles.h"

static char out_path[256], own_path[256];

/* How many lines of path have this event. */
static int count_event(const char *path, const char *event) {
  text t = read_text(path);
  int n = 0;
  for (size_t i = 0; i < t.n; i++) {
    jl_doc *d = PARSE(t.line[i]);
    const char *ev = doc_str(d, "event");
    n += ev && strcmp(ev, event) == 0;
    jl_free(d);
  }
  text_free(&t);
  return n;
}

static void default_sink_returns_after_the_last_capture_stops(void) {
  log_event("before");
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  log_event("during");
  CHECK_INT(sl_capture_count(cap), 1);
  sl_capture_stop(cap);
  log_event("after");
  sl_flush();
  CHECK_INT(count_event(out_path, "before"), 1);
  CHECK_INT(count_event(out_path, "during"), 0); /* the capture had it, not stdout */
  CHECK_INT(count_event(out_path, "after"), 1);
}

static void default_sink_waits_for_every_capture(void) {
  sl_capture *a = sl_capture_start(SL_LEVEL_DEBUG);
  sl_capture *b = sl_capture_start(SL_LEVEL_DEBUG);
  sl_capture_stop(a);
  log_event("one_capture_left");
  CHECK_INT(sl_capture_count(b), 1);
  sl_capture_stop(b);
  log_event("no_capture_left");
  sl_flush();
  CHECK_INT(count_event(out_path, "one_capture_left"), 0);
  CHECK_INT(count_event(out_path, "no_capture_left"), 1);
}

static void a_sink_from_code_stays_the_only_output(void) {
  sl_sink *own = sl_sink_add_file(own_path, SL_LEVEL_DEBUG);
  CHECK(own != NULL);
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_capture_stop(cap);
  log_event("own_sink");
  sl_flush();
  CHECK_INT(count_event(own_path, "own_sink"), 1);
  CHECK_INT(count_event(out_path, "own_sink"), 0);
  sl_sink_remove(own);
}

int main(void) {
  if (!tmpdir_make("capture-restore")) return perror("tmpdir"), 1;
  in_dir(out_path, sizeof out_path, "stdout.log");
  in_dir(own_path, sizeof own_path, "own.log");
  int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || dup2(fd, 1) < 0) return perror("stdout"), 1;
  close(fd);
  RUN(default_sink_returns_after_the_last_capture_stops);
  RUN(default_sink_waits_for_every_capture);
  RUN(a_sink_from_code_stays_the_only_output); /* last: the default sink does not return */
  return tmpdir_done(check_exit());
}
