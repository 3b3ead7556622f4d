/* emitter: a child process for test_faults. It logs through spanlog's default setup
 * (no setup call; SPANLOG_* from the environment) and ends the way MODE says.
 *
 *   emitter MODE N [name=value ...]
 *
 * Every record is log_event("tick", "seq", i, "pid", <its pid>, "src", ...) with
 * "run":"faults" and "mode":MODE bound on the thread that logs it. Modes:
 *
 *   return         N records, then return from main
 *   exit           N records, then exit(0)
 *   flush_exit     N records, then sl_flush() and _exit(0)
 *   thread_return  N records made by a second thread, joined; then return
 *   fork_loop      threads=T (3) threads log (seq from one counter shared by them: at
 *                  least N records in all, and on until the forking is done) while the
 *                  main thread, once they are well under way (N/2 records), forks
 *                  children=K (20) children. Child k logs child_records=M (200)
 *                  records seq 0..M-1 with "src":"child", checks that spanlog started
 *                  a thread in it (else exit status 5) and ends with exit(0). After
 *                  each fork the parent logs "forked" with "child":<pid>; after waiting
 *                  for every child, "parent.done" with "ticks":<its tick records>.
 *                  Exit status 3 if a child did not exit with 0.
 *   shutdown_log   one record, sl_shutdown(), then records 1..N-1 (written by the
 *                  caller itself, synchronously); then return. If SPANLOG_OUTPUT is a
 *                  file, checks first that it holds N lines (else exit status 4)
 *   silence        one record, then sleep 10 s; with second_after=MS, a second record
 *                  (seq 1) MS milliseconds after the first, then the 10 s
 *   idle           one record, 0.1 s for spanlog to settle, 2 s idle, then one JSON
 *                  line on stderr (see below)
 *   big            N records with a field "pad" of size=S (3000) bytes, all one letter
 *                  ('a' + pid % 26); then return
 *
 * Option report=1 (any mode but idle) writes {"event":"emitter.loop","ms":<time the
 * logging loop took>} on stderr after the loop.
 *
 * The idle report is written with write(2) on stderr as one JSON object:
 *   {"event":"emitter.idle","cpu_ms":<user+sys of the whole process since it started>,
 *    "idle_cpu_ms":<user+sys during the 2 s sleep>,"main_tid":<pid>,
 *    "sigblk.<tid>":"<SigBlk of /proc/self/task/<tid>/status>",
 *    "wakeups.<tid>":<its voluntary context switches during the 2 s>, ...per thread,
 *    "threads":<count>,"before":"<tid>,<tid>..."}
 * where "before" lists the threads that existed before the first record: the main one,
 * and a sanitizer's own thread if there is one (the emitter makes and joins a thread
 * first, so that TSan's background thread exists by then). The others are spanlog's. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <pthread.h>
#include <spanlog.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testfiles.h" /* now_ms, sleep_ms */

static const char *mode;
static long n_records;

static long opt(int argc, char **argv, const char *name, long dflt) {
  size_t len = strlen(name);
  for (int i = 3; i < argc; i++)
    if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') return atol(argv[i] + len + 1);
  return dflt;
}

static void bind_context(void) { log_bind("run", "faults", "mode", mode); }

static void log_ticks(long n, const char *src) {
  int me = (int)getpid();
  for (long i = 0; i < n; i++) log_event("tick", "seq", i, "pid", me, "src", src);
}

static void *thread_ticks(void *arg) {
  (void)arg;
  bind_context();
  log_ticks(n_records, "thread");
  return NULL;
}

/* The calling process's threads: "tid,tid,...". */
static void list_threads(char *out, size_t size) {
  size_t len = 0;
  out[0] = 0;
  DIR *dir = opendir("/proc/self/task");
  struct dirent *e;
  while (dir && (e = readdir(dir)) != NULL)
    if (e->d_name[0] != '.' && len + strlen(e->d_name) + 2 < size)
      len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "," : "", e->d_name);
  if (dir) closedir(dir);
}

/* shutdown_log: after sl_shutdown each record is written by the call that makes it, so
   a SPANLOG_OUTPUT file holds them all before the exit handlers run. Returns 0, or 4
   with a line on stderr. */
static int check_written_now(void) {
  const char *path = getenv("SPANLOG_OUTPUT");
  if (!path || !*path || strcmp(path, "stdout") == 0 || strcmp(path, "stderr") == 0) return 0;
  FILE *f = fopen(path, "r");
  long lines = 0;
  for (int c; f && (c = getc(f)) != EOF;) lines += c == '\n';
  if (f) fclose(f);
  if (lines == n_records) return 0;
  fprintf(stderr, "emitter: %ld lines in %s before exit, not %ld\n", lines, path, n_records);
  return 4;
}

/* ---- fork_loop ---- */

#include "forkchild.h"

static atomic_long next_seq;
static atomic_int forking_done;
static atomic_int threads_logging; /* threads past their first record */

static void *fork_loop_thread(void *arg) {
  int k = (int)(intptr_t)arg;
  int me = (int)getpid();
  bind_context();
  /* Every seq taken is logged: the counter ends as the number of tick records. */
  for (int first = 1; !atomic_load(&forking_done) || atomic_load(&next_seq) < n_records; first = 0) {
    long seq = atomic_fetch_add(&next_seq, 1);
    log_event("tick", "seq", seq, "pid", me, "src", "thread", "thread", k);
    if (first) atomic_fetch_add(&threads_logging, 1);
  }
  return NULL;
}

static int fork_loop(long threads, long children, long child_records) {
  pthread_t t[16];
  if (threads > 16) threads = 16;
  for (long k = 0; k < threads; k++) pthread_create(&t[k], NULL, fork_loop_thread, (void *)(intptr_t)k);
  pid_t *kids = calloc((size_t)children, sizeof *kids);
  if (!kids) return 2;
  /* Fork while every thread is well into its logging loop: past its start and past the
     first allocations (buffers growing), so that the forks meet logging, not set-up.
     This also keeps the test usable under sanitizers whose allocators are not fork-safe
     (GCC 12's libasan, clang 14's TSan: a child deadlocks in malloc if a parent thread
     was inside the allocator at the fork; glibc's malloc is fork-safe). */
  while (atomic_load(&threads_logging) < threads || atomic_load(&next_seq) < n_records / 2) sleep_ms(1);
  for (long k = 0; k < children; k++) {
    pid_t pid = fork();
    if (pid == 0) {
      in_fork_child = 1;
      free(kids);
      int me = (int)getpid();
      for (long i = 0; i < child_records; i++)
        log_event("tick", "seq", i, "pid", me, "src", "child", "child_index", k);
      /* Logging started spanlog's thread anew in this process (fork copied none). */
      char tids[1024];
      list_threads(tids, sizeof tids);
      if (!strchr(tids, ',')) {
        fprintf(stderr, "emitter: child %d logged with no background thread\n", me);
        exit(5);
      }
      exit(0);
    }
    kids[k] = pid;
    if (pid > 0) log_event("forked", "child", (int)pid);
  }
  atomic_store(&forking_done, 1);
  for (long k = 0; k < threads; k++) pthread_join(t[k], NULL);
  int failed = 0;
  for (long k = 0; k < children; k++) {
    int status;
    if (kids[k] <= 0 || waitpid(kids[k], &status, 0) != kids[k] || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
      failed = 1;
  }
  free(kids);
  log_event("parent.done", "ticks", atomic_load(&next_seq));
  return failed ? 3 : 0;
}

/* ---- idle ---- */

static char before[1024]; /* "tid,tid,...": the threads before the first record */

static void *nothing(void *arg) { return arg; }


static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* A field of /proc/self/task/<tid>/status: its text after the colon, or "?". */
static void task_status(const char *tid, const char *field, char *out, size_t size) {
  char path[300], line[256], fmt[64];
  snprintf(path, sizeof path, "/proc/self/task/%s/status", tid);
  snprintf(fmt, sizeof fmt, "%s: %%%zus", field, size - 1);
  snprintf(out, size, "?");
  FILE *f = fopen(path, "r");
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, fmt, out) == 1) break;
  if (f) fclose(f);
}

/* Voluntary context switches (sleeps) per thread when the idle time began. */
static struct {
  char tid[32];
  long switches;
} sleeps[64];
static int nsleeps;

static void note_sleeps(void) {
  DIR *dir = opendir("/proc/self/task");
  struct dirent *e;
  char v[32];
  while (dir && (e = readdir(dir)) != NULL && nsleeps < 64) {
    if (e->d_name[0] == '.') continue;
    task_status(e->d_name, "voluntary_ctxt_switches", v, sizeof v);
    snprintf(sleeps[nsleeps].tid, sizeof sleeps[0].tid, "%.31s", e->d_name);
    sleeps[nsleeps++].switches = atol(v);
  }
  if (dir) closedir(dir);
}

static void idle_report(double idle_cpu) {
  char out[16384];
  int len = snprintf(out, sizeof out, "{\"event\":\"emitter.idle\",\"cpu_ms\":%.3f,\"idle_cpu_ms\":%.3f,\"main_tid\":%d",
                     cpu_ms(), idle_cpu, (int)getpid());
  int threads = 0;
  DIR *dir = opendir("/proc/self/task");
  struct dirent *e;
  while (dir && (e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char blk[64], v[32];
    task_status(e->d_name, "SigBlk", blk, sizeof blk);
    task_status(e->d_name, "voluntary_ctxt_switches", v, sizeof v);
    long wakeups = atol(v);
    for (int i = 0; i < nsleeps; i++)
      if (strcmp(sleeps[i].tid, e->d_name) == 0) wakeups -= sleeps[i].switches;
    threads++;
    if (len < (int)sizeof out - 200)
      len += snprintf(out + len, sizeof out - (size_t)len, ",\"sigblk.%s\":\"%s\",\"wakeups.%s\":%ld",
                      e->d_name, blk, e->d_name, wakeups);
  }
  if (dir) closedir(dir);
  len += snprintf(out + len, sizeof out - (size_t)len, ",\"threads\":%d,\"before\":\"%s\"}\n", threads, before);
  ssize_t w = write(2, out, (size_t)len);
  (void)w;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s MODE N [name=value ...]\n", argv[0]);
    return 2;
  }
  mode = argv[1];
  n_records = atol(argv[2]);
  int report = (int)opt(argc, argv, "report", 0);
  double t0 = now_ms();
  bind_context();

  if (strcmp(mode, "idle") == 0) {
    /* Threads that exist before spanlog starts are not spanlog's: a sanitizer's own
       thread (TSan starts one at the first pthread_create) is made here, first. */
    pthread_t t;
    if (pthread_create(&t, NULL, nothing, NULL) == 0) pthread_join(t, NULL);
    list_threads(before, sizeof before);
    log_ticks(1, "main");
    sleep_ms(100); /* spanlog's thread has started and written the record */
    note_sleeps();
    double cpu0 = cpu_ms();
    sleep_ms(2000);
    idle_report(cpu_ms() - cpu0);
    return 0;
  }
  if (strcmp(mode, "silence") == 0) {
    long second = opt(argc, argv, "second_after", 0);
    int me = (int)getpid();
    log_event("tick", "seq", 0, "pid", me, "src", "main");
    if (second > 0) {
      sleep_ms(second);
      log_event("tick", "seq", 1, "pid", me, "src", "main");
    }
    sleep_ms(10000);
    return 0;
  }
  if (strcmp(mode, "shutdown_log") == 0) {
    /* The first record starts spanlog; after sl_shutdown the caller writes the rest. */
    int me = (int)getpid();
    log_event("tick", "seq", 0, "pid", me, "src", "main");
    sl_shutdown();
    for (long i = 1; i < n_records; i++) log_event("tick", "seq", i, "pid", me, "src", "main");
    return check_written_now();
  }

  int rc = 0;
  if (strcmp(mode, "return") == 0 || strcmp(mode, "exit") == 0 || strcmp(mode, "flush_exit") == 0) {
    log_ticks(n_records, "main");
  } else if (strcmp(mode, "thread_return") == 0) {
    pthread_t t;
    if (pthread_create(&t, NULL, thread_ticks, NULL) != 0) return 2;
    pthread_join(t, NULL);
  } else if (strcmp(mode, "fork_loop") == 0) {
    rc = fork_loop(opt(argc, argv, "threads", 3), opt(argc, argv, "children", 20),
                   opt(argc, argv, "child_records", 200));
  } else if (strcmp(mode, "big") == 0) {
    long size = opt(argc, argv, "size", 3000);
    char *pad = malloc((size_t)size + 1);
    if (!pad) return 2;
    int me = (int)getpid();
    memset(pad, 'a' + me % 26, (size_t)size);
    pad[size] = 0;
    for (long i = 0; i < n_records; i++) log_event("tick", "seq", i, "pid", me, "src", "main", "pad", pad);
    free(pad);
  } else {
    fprintf(stderr, "emitter: unknown mode %s\n", mode);
    return 2;
  }

  if (report) {
    char out[128];
    int len = snprintf(out, sizeof out, "{\"event\":\"emitter.loop\",\"ms\":%.3f}\n", now_ms() - t0);
    ssize_t w = write(2, out, (size_t)len);
    (void)w;
  }
  if (strcmp(mode, "exit") == 0) exit(rc);
  if (strcmp(mode, "flush_exit") == 0) {
    sl_flush();
    _exit(rc);
  }
  return rc;
}
