/* spanlog's threads cannot be started (pthread_create fails, as with RLIMIT_NPROC or
 * no memory for a stack): records are still written, on the threads that make them
 * (no background thread) or by the background thread itself (no writer thread), and
 * none is lost. Each case runs in a child process that starts spanlog afresh, with two
 * producer threads of its own.
 *
 * The program defines pthread_create: the test's own threads are created by the next
 * definition (a sanitizer's interceptor if there is one, else the C library's); spanlog's
 * are refused as the case says. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <spanlog.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "self_child.h"
#include "testfiles.h"

typedef int create_fn(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static _Thread_local int creating_own;  /* the test creates a thread of its own */
static atomic_int spanlog_threads_tried; /* spanlog's attempts so far */
static int refuse_from = -1;             /* spanlog's attempts from this one on fail; -1: none */

/* A sanitizer's pthread_create, which must see every thread (TSan's runtime is linked
   into the program, so RTLD_NEXT would skip it). */
extern create_fn __interceptor_pthread_create __attribute__((weak));

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg) {
  static create_fn *next;
  if (!next) next = __interceptor_pthread_create;
  if (!next) *(void **)&next = dlsym(RTLD_NEXT, "pthread_create"); /* POSIX's way to a function from dlsym */
  if (!next) return ENOSYS;
  if (!creating_own) {
    int k = atomic_fetch_add(&spanlog_threads_tried, 1);
    if (refuse_from >= 0 && k >= refuse_from) return EAGAIN;
  }
  return next(t, attr, fn, arg);
}

#define THREADS 2
#define RECORDS 3000

static void *producer(void *arg) {
  long t = (long)(intptr_t)arg;
  for (long i = 0; i < RECORDS; i++) log_info("rec", "t", t, "seq", i, "text", "a few words");
  return NULL;
}

/* The child: spanlog's threads refused from attempt `refuse` on; two producers; exit. */
static int child(int refuse) {
  refuse_from = refuse;
  pthread_t th[THREADS];
  creating_own = 1;
  for (long t = 0; t < THREADS; t++)
    if (pthread_create(&th[t], NULL, producer, (void *)(intptr_t)t) != 0) _exit(2);
  creating_own = 0;
  for (int t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
  log_info("done", "dropped", (int64_t)sl_dropped_total(), "tried", (int)atomic_load(&spanlog_threads_tried));
  return 0; /* spanlog's exit handler writes what is left */
}

/* Every record of both producers is in the file once, each thread's in order. */
static void check_output(const char *path, int want_tried_min) {
  text t = read_text(path);
  long next[THREADS] = {0}, bad = 0, done = 0;
  CHECK(!t.torn);
  for (size_t i = 0; i < t.n; i++) {
    jl_doc *d = PARSE(t.line[i]);
    const char *ev = doc_str(d, "event");
    if (ev && strcmp(ev, "done") == 0) {
      done++;
      CHECK_INT(doc_long(d, "dropped"), 0);
      CHECK(doc_long(d, "tried") >= want_tried_min);
    } else if (ev && strcmp(ev, "rec") == 0) {
      long th = doc_long(d, "t"), seq = doc_long(d, "seq");
      if (th < 0 || th >= THREADS || seq != next[th]) bad++;
      else next[th]++;
    } else {
      bad++;
    }
    jl_free(d);
  }
  CHECK_INT(bad, 0);
  CHECK_INT(done, 1);
  for (int th = 0; th < THREADS; th++) CHECK_INT(next[th], RECORDS);
  text_free(&t);
}

/* Runs a child whose spanlog threads are refused from attempt `refuse` on; its stderr
   must say `message`. */
static void run_case(const char *name, int refuse, const char *message) {
  char out[512], err[512], file[64];
  snprintf(file, sizeof file, "%s.jsonl", name);
  in_dir(out, sizeof out, file);
  snprintf(file, sizeof file, "%s.stderr", name);
  in_dir(err, sizeof err, file);
  char refuse_text[16];
  snprintf(refuse_text, sizeof refuse_text, "%d", refuse);
  pid_t pid = self_child_start("refuse", refuse_text, out, err);
  int status = 0;
  CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
  CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the child ended with status %#x", name, status);
  check_output(out, refuse + 1);
  text e = read_text(err);
  int said = 0;
  for (size_t i = 0; i < e.n; i++) said |= strstr(e.line[i], message) != NULL;
  CHECK_MSG(said, "%s: no \"%s\" on stderr", name, message);
  text_free(&e);
}

static void no_background_thread_records_are_written_by_their_callers(void) {
  run_case("no-backend", 0, "cannot start the background thread");
}

static void no_writer_thread_the_background_thread_writes(void) {
  run_case("no-writer", 1, "cannot start the writer thread");
}

int main(int argc, char **argv) {
  const char *mode, *arg;
  if (self_child_args(argc, argv, &mode, &arg)) return child(atoi(arg));
  if (!tmpdir_make("thread-failure")) return perror("tmpdir"), 1;
  RUN(no_background_thread_records_are_written_by_their_callers);
  RUN(no_writer_thread_the_background_thread_writes);
  return tmpdir_done(check_exit());
}
