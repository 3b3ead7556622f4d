/* How a process ends, and what of its records is in its file then:
 *   - SIGTERM or SIGINT whose handler calls exit(): every record made before the signal;
 *   - a crash (SIGSEGV, SIGABRT) with sl_install_crash_handler(): every record made
 *     before it, and the process still dies by its signal (or its own handler runs);
 *   - _exit() without sl_flush(): the records not yet written are lost, as documented;
 *     what is there is whole lines, a prefix of the records in order.
 * Each case is a child process that starts spanlog afresh (the parent does not log). */
#include <fcntl.h>
#include <signal.h>
#include <spanlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "self_child.h"
#include "testfiles.h"

static char out[512];

/* Starts a child (self_child.h) that writes its records to `out`; returns its pid. */
static pid_t start_child(const char *name, const char *mode, int arg) {
  char file[64], arg_text[16];
  snprintf(file, sizeof file, "%s.jsonl", name);
  in_dir(out, sizeof out, file);
  snprintf(arg_text, sizeof arg_text, "%d", arg);
  pid_t pid = self_child_start(mode, arg_text, out, NULL);
  CHECK(pid > 0);
  return pid;
}

static int wait_status(pid_t pid) {
  int status = -1;
  CHECK(waitpid(pid, &status, 0) == pid);
  return status;
}

/* The file holds records "rec" 0..n-1 in order; with `extra` also accepts record n (made
   by the call the signal interrupted, counted or not). */
static void expect_records(long n, int extra) {
  text t = read_text(out);
  long want = (extra && (long)t.n == n + 1) ? n + 1 : n;
  EXPECT_SEQ(&t, 0, "rec", 0, want);
  text_free(&t);
}

/* ---- a signal whose handler calls exit() ---- */

/* The child's ends of the pipes to the parent: its count of records made, and "ready". */
enum { REPORT_FD = 100, READY_FD = 101 };
static volatile long made;

static void exit_on_signal(int sig) {
  (void)sig;
  long n = made;
  if (write(REPORT_FD, &n, sizeof n) != (ssize_t)sizeof n) _exit(3);
  exit(0); /* what many programs do: atexit handlers, spanlog's among them, run */
}

/* Logs until the signal comes; says "ready" on fd ready after 5,000 records. */
static void log_until_signalled(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = exit_on_signal;
  sigaction(sig, &sa, NULL);
  for (long i = 0;; i++) {
    log_info("rec", "seq", i, "text", "a few words to copy");
    made = i + 1;
    if (i == 5000 && write(READY_FD, "r", 1) != 1) _exit(4);
  }
}

static void handler_calling_exit_flushes_everything(int sig) {
  int report[2], ready[2];
  CHECK(pipe(report) == 0 && pipe(ready) == 0);
  CHECK(dup2(report[1], REPORT_FD) == REPORT_FD && dup2(ready[1], READY_FD) == READY_FD);
  pid_t pid = start_child(sig == SIGTERM ? "sigterm" : "sigint", "until-signalled", sig);
  close(REPORT_FD), close(READY_FD), close(report[1]), close(ready[1]);
  char c;
  CHECK(read(ready[0], &c, 1) == 1);
  sleep_ms(5); /* mid-stream: records queued, the child still logging */
  kill(pid, sig);
  long n = -1;
  CHECK(read(report[0], &n, sizeof n) == (ssize_t)sizeof n);
  int status = wait_status(pid);
  CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child ended with status %#x", status);
  close(report[0]), close(ready[0]);
  CHECK(n > 5000);
  expect_records(n, 1);
}

static void sigterm_handler_calling_exit_flushes_everything(void) { handler_calling_exit_flushes_everything(SIGTERM); }
static void sigint_handler_calling_exit_flushes_everything(void) { handler_calling_exit_flushes_everything(SIGINT); }

/* ---- crashes ---- */

#define CRASH_RECORDS 20000

enum { CRASH_NULL, CRASH_ABORT, CRASH_NULL_APP_HANDLER };

static void app_handler(int sig) {
  (void)sig;
  _exit(42);
}

/* A store to NULL, meant: UBSan need not say so before the crash. */
__attribute__((no_sanitize("undefined"))) static void store_to_null(void) {
  volatile int *volatile nowhere = NULL; /* both volatile: the store is not optimised away */
  *nowhere = 1;
}

/* Logs CRASH_RECORDS records with the crash handler installed, then crashes. */
static void log_then_crash(int how) {
  if (how == CRASH_NULL_APP_HANDLER) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = app_handler;
    sigaction(SIGSEGV, &sa, NULL); /* installed before spanlog's: it runs after it */
  }
  if (sl_install_crash_handler() != 0) _exit(5);
  for (long i = 0; i < CRASH_RECORDS; i++) log_info("rec", "seq", i, "text", "a few words to copy");
  if (how == CRASH_ABORT) abort();
  store_to_null();
}

/* Under a sanitizer, its own handler reports the crash and ends the process its way. */
static void expect_death_by(int status, int sig) {
#ifdef CHECK_SANITIZED
  (void)sig;
  CHECK_MSG(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "the child exited with 0");
#else
  CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == sig, "status %#x, want death by signal %d", status, sig);
#endif
}

static void a_crash_with_the_handler_writes_every_record_and_dies_by_sigsegv(void) {
  int status = wait_status(start_child("segv", "crash", CRASH_NULL));
  expect_death_by(status, SIGSEGV);
  expect_records(CRASH_RECORDS, 0);
}

static void an_abort_with_the_handler_writes_every_record_and_dies_by_sigabrt(void) {
  int status = wait_status(start_child("abort", "crash", CRASH_ABORT));
  expect_death_by(status, SIGABRT);
  expect_records(CRASH_RECORDS, 0);
}

static void the_applications_own_handler_still_runs_after_the_crash_handler(void) {
  int status = wait_status(start_child("segv-app", "crash", CRASH_NULL_APP_HANDLER));
  CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 42, "status %#x, want exit 42 (the application's handler)",
            status);
  expect_records(CRASH_RECORDS, 0);
}

/* ---- _exit ---- */

static void log_then_underscore_exit(int unused) {
  (void)unused;
  for (long i = 0; i < CRASH_RECORDS; i++) log_info("rec", "seq", i, "text", "a few words to copy");
  _exit(0);
}

/* README ("Lifetime") and docs/RELIABILITY.md: after _exit without sl_flush, records not
   yet written are lost. What is there is the first records, in order, whole lines but
   possibly the last: the kernel ends a write in progress when the process exits, between
   two pages of it (Linux's generic_perform_write stops on a fatal signal). */
static void underscore_exit_loses_only_what_was_not_yet_written(void) {
  int status = wait_status(start_child("underscore-exit", "underscore-exit", 0));
  CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
  text t = read_text(out);
  if (t.torn && t.n > 0) {
    fprintf(stderr, "underscore_exit_loses_only_what_was_not_yet_written: the last line was cut by the exit\n");
    t.torn = 0, t.n--;
  }
  CHECK((long)t.n <= CRASH_RECORDS);
  EXPECT_SEQ(&t, 0, "rec", 0, (long)t.n);
  fprintf(stderr, "underscore_exit_loses_only_what_was_not_yet_written: %zu of %d records written before _exit\n",
          t.n, CRASH_RECORDS);
  text_free(&t);
}

/* The child's side: runs the mode, which ends the process its own way. */
static int child_main(const char *mode, int arg) {
  if (strcmp(mode, "until-signalled") == 0) log_until_signalled(arg);
  else if (strcmp(mode, "crash") == 0) log_then_crash(arg);
  else if (strcmp(mode, "underscore-exit") == 0) log_then_underscore_exit(arg);
  return 99; /* none of them returns */
}

int main(int argc, char **argv) {
  const char *mode, *arg;
  if (self_child_args(argc, argv, &mode, &arg)) return child_main(mode, atoi(arg));
  if (!tmpdir_make("exits")) return perror("tmpdir"), 1;
  signal(SIGPIPE, SIG_IGN);
  RUN(sigterm_handler_calling_exit_flushes_everything);
  RUN(sigint_handler_calling_exit_flushes_everything);
  RUN(a_crash_with_the_handler_writes_every_record_and_dies_by_sigsegv);
  RUN(an_abort_with_the_handler_writes_every_record_and_dies_by_sigabrt);
  RUN(the_applications_own_handler_still_runs_after_the_crash_handler);
  RUN(underscore_exit_loses_only_what_was_not_yet_written);
  return tmpdir_done(check_exit());
}
