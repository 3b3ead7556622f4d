/* Logging from signal handlers: a handler that logs while the thread it interrupted is
 * inside a log call (even its first one, which starts spanlog) never hangs; the nested
 * record is written or dropped and counted, never lost silently and never torn; and
 * log_signal_safe, the async-signal-safe call, is written when the thread's queue has
 * room and counted when it cannot be. */
#define SPANLOG_LOGGER "sig"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spanlog.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "jsonl.h"
#include "testfiles.h"

static volatile sig_atomic_t handler_calls;
static volatile sig_atomic_t use_safe_call;

static void on_alarm(int sig) {
  (void)sig;
  int n = handler_calls + 1;
  handler_calls = n;
  if (use_safe_call) log_signal_safe(SL_LEVEL_WARNING, "in.handler.safe", "n", n);
  else log_info("in.handler", "n", n);
}

static void every_us(long us) {
  struct itimerval t = {{0, us}, {0, us}};
  setitimer(ITIMER_REAL, &t, NULL);
}

static void stop_timer(void) {
  struct itimerval t = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &t, NULL);
}

typedef struct counts {
  long lines, main, handler, bad;
} counts;

/* Parses every line of the file strictly and counts records by event. */
static counts read_counts(const char *path) {
  counts c = {0, 0, 0, 0};
  text t = read_text(path);
  for (size_t i = 0; i < t.n; i++) {
    c.lines++;
    char err[128];
    jl_doc *d = jl_parse(t.line[i], strlen(t.line[i]), err, sizeof err);
    if (!d) {
      c.bad++;
      continue;
    }
    const char *event = doc_str(d, "event");
    if (event && strcmp(event, "in.main") == 0) c.main++;
    else if (event && strncmp(event, "in.handler", 10) == 0) c.handler++;
    jl_free(d);
  }
  if (t.torn) c.bad++;
  text_free(&t);
  return c;
}

/* One pass: the main thread logs while a timer's handler logs too. */
static void run_pass(const char *path, int safe, long records) {
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  uint64_t dropped_before = sl_dropped_total();
  handler_calls = 0;
  use_safe_call = safe;
  every_us(50);
  for (long i = 0; i < records; i++) log_info("in.main", "i", (int64_t)i, "text", "some words to copy");
  stop_timer();
  sl_flush();
  long calls = handler_calls;
  uint64_t dropped = sl_dropped_total() - dropped_before;
  counts c = read_counts(path);
  CHECK_INT(c.bad, 0);
  CHECK_INT(c.main, records); /* the interrupted calls lose nothing */
  CHECK(calls > 0);
  if (c.handler + (long)dropped != calls)
    FAIL("%s: %ld handler calls, %ld written, %llu dropped", safe ? "log_signal_safe" : "log_info", calls,
         c.handler, (unsigned long long)dropped);
  if (s) sl_sink_remove(s);
}

static void a_handler_that_logs_while_the_thread_logs_loses_nothing_silently(void) {
  char path[128];
  in_dir(path, sizeof path, "ordinary.jsonl");
  run_pass(path, 0, 200000);
}

static void log_signal_safe_is_written_or_counted(void) {
  char path[128];
  in_dir(path, sizeof path, "safe.jsonl");
  run_pass(path, 1, 200000);
}

/* A fresh process (a forked child starts spanlog anew) whose first log call, which starts
   spanlog under its locks, is interrupted by a handler that logs: it must finish. */
static void a_handler_that_logs_during_the_first_record_does_not_hang(void) {
#ifdef CHECK_SANITIZED
  return; /* forking a threaded process is not supported by the sanitizers' runtimes here */
#endif
  for (int round = 0; round < 40; round++) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
      alarm(20); /* a hang kills the child, and the parent sees it */
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, 1), close(null); /* the child's records: its default sink */
      signal(SIGALRM, SIG_DFL);
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_alarm;
      sigaction(SIGVTALRM, &sa, NULL);
      use_safe_call = round % 2;
      struct itimerval t = {{0, 5}, {0, 1 + round}};
      setitimer(ITIMER_VIRTUAL, &t, NULL);
      for (int i = 0; i < 20; i++) log_info("in.main", "i", i);
      struct itimerval off = {{0, 0}, {0, 0}};
      setitimer(ITIMER_VIRTUAL, &off, NULL);
      sl_flush();
      _exit(0);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      FAIL("round %d: the child ended with status %d (a hang is killed by its alarm)", round, status);
      break;
    }
  }
}

/* A thread that never logged has no queue: log_signal_safe cannot make one without a lock
   and memory, so its record is dropped and counted. */
static void *wait_for_the_signal(void *unused) {
  (void)unused;
  while (!handler_calls) sleep_ms(1);
  return NULL;
}

static void log_signal_safe_on_a_thread_without_a_queue_is_counted(void) {
  uint64_t before = sl_dropped_total();
  use_safe_call = 1;
  handler_calls = 0;
  pthread_t t;
  CHECK(pthread_create(&t, NULL, wait_for_the_signal, NULL) == 0);
  CHECK(pthread_kill(t, SIGALRM) == 0); /* the handler runs on that thread */
  pthread_join(t, NULL);
  CHECK_INT(sl_dropped_total() - before, 1);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  if (!tmpdir_make("signals")) return perror("mkdtemp"), 1;
  RUN(a_handler_that_logs_during_the_first_record_does_not_hang);
  log_info("warm.up"); /* this thread's queue, for the passes below */
  RUN(a_handler_that_logs_while_the_thread_logs_loses_nothing_silently);
  RUN(log_signal_safe_is_written_or_counted);
  RUN(log_signal_safe_on_a_thread_without_a_queue_is_counted);
  return tmpdir_done(check_exit());
}
