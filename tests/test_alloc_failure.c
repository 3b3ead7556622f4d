/* Memory running out loses nothing silently: with allocation failing from the Nth call on
 * (N swept from the first call to past start-up), two threads that bind, open spans and
 * log 300 records each see every record either written whole or counted as dropped
 * (sl_dropped_total), and the process ends normally. Each N runs in a child process of
 * its own, so that each starts spanlog afresh.
 *
 * The program replaces malloc and its kin (forwarding to glibc's __libc_* entry points);
 * a sanitizer that replaces malloc itself cannot run it: it exits 77 (skip). */
#define SPANLOG_LOGGER "oom"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spanlog.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "testfiles.h"

#ifndef CHECK_SANITIZED

/* Allocations left before they fail; -1: never. */
static _Atomic long allowed = -1;

static int refuse(void) {
  long left = atomic_load_explicit(&allowed, memory_order_relaxed);
  while (left >= 0) {
    if (left == 0) return 1;
    if (atomic_compare_exchange_weak(&allowed, &left, left - 1)) return 0;
  }
  return 0;
}

static int alloc_hook(const char *what, size_t size) {
  (void)what, (void)size;
  return refuse();
}
static void free_hook(void *p) { (void)p; }

#include "malloc_hook.h"

#define THREADS 2
#define RECORDS 300

static _Atomic long made;

static void *producer(void *arg) {
  long t = (long)(intptr_t)arg;
  log_bind("worker", t, "user_id", "u_8821");
  for (int i = 0; i < RECORDS; i++) {
    sl_span *s = i % 10 == 0 ? sl_span_start("step", "i", i) : NULL;
    log_info("rec", "t", t, "i", i, "text", "a few words that are copied");
    atomic_fetch_add(&made, 1 + (s != NULL)); /* a span started is a record when it ends */
    sl_span_end(s);
  }
  return NULL;
}

/* The child: allocation fails from the Nth call on; reports what it made and what spanlog
   counted as dropped on fd out, then exits normally (spanlog writes what is queued). */
static void child(long n, int out) {
  pthread_t th[THREADS];
  int started[THREADS] = {0};
  atomic_store(&allowed, n);
  for (long t = 0; t < THREADS; t++) started[t] = pthread_create(&th[t], NULL, producer, (void *)(intptr_t)t) == 0;
  for (int t = 0; t < THREADS; t++)
    if (started[t]) pthread_join(th[t], NULL);
  sl_shutdown(); /* everything queued written or counted */
  long report[2] = {atomic_load(&made), (long)sl_dropped_total()};
  if (write(out, report, sizeof report) != (ssize_t)sizeof report) _exit(3);
  _exit(0);
}

/* Counts the file's records of the producers (logs and spans), judging every line strictly. */
static long written_records(const char *file, long *bad) {
  text t = read_text(file);
  long n = 0;
  for (size_t i = 0; i < t.n; i++) {
    char err[128];
    jl_doc *d = jl_parse(t.line[i], strlen(t.line[i]), err, sizeof err);
    if (!d) {
      (*bad)++;
      continue;
    }
    const char *event = doc_str(d, "event"), *name = doc_str(d, "name");
    if ((event && strcmp(event, "rec") == 0) || (name && strcmp(name, "step") == 0)) n++;
    jl_free(d);
  }
  if (t.torn) (*bad)++;
  text_free(&t);
  return n;
}

static void every_record_is_written_or_counted_when_memory_runs_out(void) {
  static const long sweep[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 400};
  for (size_t k = 0; k < sizeof sweep / sizeof sweep[0]; k++) {
    char file[128], name[32];
    snprintf(name, sizeof name, "oom-%ld.jsonl", sweep[k]);
    in_dir(file, sizeof file, name);
    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
      close(pipefd[0]);
      alarm(60); /* a hang kills the child, and the parent sees it */
      setenv("SPANLOG_OUTPUT", file, 1);
      child(sweep[k], pipefd[1]);
    }
    close(pipefd[1]);
    long report[2] = {-1, -1};
    ssize_t got = read(pipefd[0], report, sizeof report);
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != (ssize_t)sizeof report) {
      FAIL("allocation failing from call %ld: the child ended with status %d", sweep[k], status);
      continue;
    }
    long bad = 0, written = written_records(file, &bad);
    CHECK_INT(bad, 0);
    /* Each record is written or counted, never both: a record whose rendering failed is
       not in the file. Records lost with their thread's queue (none could be made) are
       counted too. */
    if (written + report[1] != report[0])
      FAIL("allocation failing from call %ld: %ld made, %ld written, %ld counted as dropped", sweep[k], report[0],
           written, report[1]);
  }
}

int main(void) {
  if (!tmpdir_make("alloc-failure")) return perror("mkdtemp"), 1;
  RUN(every_record_is_written_or_counted_when_memory_runs_out);
  return tmpdir_done(check_exit());
}

#else

int main(void) {
  fprintf(stderr, "skipped: a sanitizer replaces malloc, so allocations cannot be made to fail\n");
  return 77;
}

#endif
