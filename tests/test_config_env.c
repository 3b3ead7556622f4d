/* Settings from the environment: a value that does not parse, or parses to something
 * unusable, is refused with a message on stderr and the default is kept; the accepted
 * spellings are accepted silently. Each case runs this program again as a child with
 * one variable set (settings are read once per process), and judges its stdout (one
 * record) and stderr. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spanlog.h>

#include "base/parse.h"
#include "check.h"
#include "testfiles.h"

static const char *self;

/* The child: one record (a value longer than any sane truncation limit) in a span that
   is sampled unless the sampler says otherwise, and the GenAI capture setting read (it
   is read on first use). */
static int child(void) {
  char long_value[200];
  memset(long_value, 'v', sizeof long_value - 1);
  long_value[sizeof long_value - 1] = 0;
  (void)sl_genai_capturing(NULL);
  sl_span *s = sl_span_start("probe_span");
  log_event("probe", "long", long_value);
  sl_span_end(s);
  sl_flush();
  return 0;
}

typedef struct run {
  text out, err; /* out: the record's line, then the span's */
} run;

/* Runs the child with name=value added to the environment; its stdout and stderr. */
static run run_child(const char *name, const char *value) {
  char out_path[256], err_path[256];
  in_dir(out_path, sizeof out_path, "out");
  in_dir(err_path, sizeof err_path, "err");
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(126);
    setenv(name, value, 1);
    execl(self, self, "child", (char *)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s=%s: child status %d", name, value, status);
  run r = {read_text(out_path), read_text(err_path)};
  return r;
}

static int mentions(const text *t, const char *what) { return t->data && strstr(t->data, what); }

static void run_free(run *r) {
  text_free(&r->out);
  text_free(&r->err);
}

/* The variable must be refused with a message naming it (and the record still written). */
static void expect_refused(const char *name, const char *value) {
  run r = run_child(name, value);
  CHECK_MSG(mentions(&r.err, "ignoring") && mentions(&r.err, name), "%s=\"%s\" accepted silently; stderr: %s",
            name, value, r.err.data ? r.err.data : "");
  CHECK_MSG(!mentions(&r.err, "spanlog: spanlog:"), "doubled prefix: %s", r.err.data);
  CHECK_INT(r.out.n, 2);
  run_free(&r);
}

static void expect_accepted(const char *name, const char *value) {
  run r = run_child(name, value);
  CHECK_MSG(r.err.data && r.err.len == 0, "%s=\"%s\" refused: %s", name, value, r.err.data ? r.err.data : "");
  CHECK_INT(r.out.n, 2);
  run_free(&r);
}

static void byte_counts_refuse_space_sign_overflow_and_empty(void) {
  uint64_t v = 7;
  const char *bad[] = {" -1", "-1", "+1", " 1", "1 ", "", "k", "1x", "18446744073709551616",
                       "18446744073709551615k", "17592186044416M", "0x10"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK_MSG(sl_parse_bytes(bad[i], &v) != 0, "\"%s\" parsed as %llu", bad[i], (unsigned long long)v);
  CHECK(sl_parse_bytes("18446744073709551615", &v) == 0 && v == UINT64_MAX);
  CHECK(sl_parse_bytes("4k", &v) == 0 && v == 4096);
  CHECK(sl_parse_bytes("1M", &v) == 0 && v == 1024 * 1024);
  CHECK(sl_parse_bytes("0", &v) == 0 && v == 0);
}

static void queue_bytes_refuses_nonsense_and_tiny_queues(void) {
  expect_refused("SPANLOG_QUEUE_BYTES", " -1");
  expect_refused("SPANLOG_QUEUE_BYTES", "1");
  expect_refused("SPANLOG_QUEUE_BYTES", "4095");
  expect_refused("SPANLOG_QUEUE_BYTES", "99999999999999999999");
  expect_accepted("SPANLOG_QUEUE_BYTES", "4096");
  expect_accepted("SPANLOG_QUEUE_BYTES", "64k");
}

static void max_value_bytes_refuses_a_sign(void) {
  expect_refused("SPANLOG_MAX_VALUE_BYTES", " -1");
  run r = run_child("SPANLOG_MAX_VALUE_BYTES", "100");
  CHECK(r.out.n == 2 && strstr(r.out.line[0], "[cut 99 bytes]"));
  run_free(&r);
}

static void capture_content_takes_0_1_or_a_share(void) {
  expect_refused("SPANLOG_CAPTURE_CONTENT", "2");
  expect_refused("SPANLOG_CAPTURE_CONTENT", "-0.5");
  expect_refused("SPANLOG_CAPTURE_CONTENT", "often");
  expect_accepted("SPANLOG_CAPTURE_CONTENT", "0");
  expect_accepted("SPANLOG_CAPTURE_CONTENT", "1");
  expect_accepted("SPANLOG_CAPTURE_CONTENT", "0.25");
}

static void callsite_takes_boolean_words(void) {
  const char *on[] = {"1", "true", "TRUE", "yes", "Yes", "on", "ON"};
  const char *off[] = {"0", "false", "False", "no", "NO", "off", "Off"};
  for (size_t i = 0; i < sizeof on / sizeof *on; i++) {
    run r = run_child("SPANLOG_CALLSITE", on[i]);
    CHECK_MSG(r.out.n == 2 && strstr(r.out.line[0], "\"code.line.number\""), "SPANLOG_CALLSITE=%s", on[i]);
    CHECK_MSG(r.err.len == 0, "SPANLOG_CALLSITE=%s: %s", on[i], r.err.data);
    run_free(&r);
  }
  for (size_t i = 0; i < sizeof off / sizeof *off; i++) {
    run r = run_child("SPANLOG_CALLSITE", off[i]);
    CHECK_MSG(r.out.n == 2 && !strstr(r.out.line[0], "code.line.number"), "SPANLOG_CALLSITE=%s", off[i]);
    CHECK_MSG(r.err.len == 0, "SPANLOG_CALLSITE=%s: %s", off[i], r.err.data);
    run_free(&r);
  }
  expect_refused("SPANLOG_CALLSITE", "maybe");
}

/* Messages from the parts that format their own lines (the sampler, the resource) go out
   with one "spanlog: " prefix, as every other message does. */
static void messages_have_one_prefix(void) {
  expect_refused("OTEL_TRACES_SAMPLER", "bogus");
  expect_refused("OTEL_RESOURCE_ATTRIBUTES", "a=%zz");
  expect_refused("SPANLOG_LEVEL", "loud");
  expect_refused("SPANLOG_OVERFLOW", "sometimes");
  expect_refused("OTEL_SPAN_EVENT_COUNT_LIMIT", "-3");
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child();
  self = argv[0];
  if (!tmpdir_make("config-env")) return perror("tmpdir"), 1;
  RUN(byte_counts_refuse_space_sign_overflow_and_empty);
  RUN(queue_bytes_refuses_nonsense_and_tiny_queues);
  RUN(max_value_bytes_refuses_a_sign);
  RUN(capture_content_takes_0_1_or_a_share);
  RUN(callsite_takes_boolean_words);
  RUN(messages_have_one_prefix);
  return tmpdir_done(check_exit());
}
