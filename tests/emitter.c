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
 *   fork_loop      threads=T (3) threads log (seq from one counter, at least N records
 *                  in all, and on until the forking is done) while the main thread forks
 *                  children=K (20) children; child k logs child_records=M (200) records
 *                  seq 0..M-1 with "src":"child" and ends with exit(0). After each fork
 *                  the parent logs "forked" with "child":<pid>; after waiting for every
 *                  child, "parent.done" with "ticks":<parent's tick records>. Exit
 *                  status 3 if a child did not exit with 0.
 *   silence        one record, then sleep 10 s
 *   idle           one record, sleep 2 s, then one JSON line on stderr (see below)
 *   big            N records with a field "pad" of size=S (3000) bytes, all one letter
 *                  ('a' + pid % 26); then return
 *
 * Option report=1 (any mode but idle) writes {"event":"emitter.loop","ms":<time the
 * logging loop took>} on stderr after the loop.
 *
 * The idle report is written with write(2) on stderr as one JSON object:
 *   {"event":"emitter.idle","cpu_ms":<user+sys of the whole process since it started>,
 *    "idle_cpu_ms":<user+sys during the 2 s sleep>,"main_tid":<pid>,"threads":<count>,
 *    "sigblk.<tid>":"<SigBlk of /proc/self/task/<tid>/status>", ...one per thread}
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <spanlog.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *mode;
static long n_records;

static long opt(int argc, char **argv, const char *name, long dflt) {
  size_t len = strlen(name);
  for (int i = 3; i < argc; i++)
    if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') return atol(argv[i] + len + 1);
  return dflt;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
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

/* ---- fork_loop ---- */

static atomic_long next_seq;
static atomic_int forking_done;

static void *fork_loop_thread(void *arg) {
  int k = (int)(intptr_t)arg;
  int me = (int)getpid();
  bind_context();
  /* Every seq taken is logged: the counter ends as the number of tick records. */
  while (!atomic_load(&forking_done) || atomic_load(&next_seq) < n_records) {
    long seq = atomic_fetch_add(&next_seq, 1);
    log_event("tick", "seq", seq, "pid", me, "src", "thread", "thread", k);
  }
  return NULL;
}

static int fork_loop(long threads, long children, long child_records) {
  pthread_t t[16];
  if (threads > 16) threads = 16;
  for (long k = 0; k < threads; k++) pthread_create(&t[k], NULL, fork_loop_thread, (void *)(intptr_t)k);
  pid_t *kids = calloc((size_t)children, sizeof *kids);
  if (!kids) return 2;
  for (long k = 0; k < children; k++) {
    pid_t pid = fork();
    if (pid == 0) {
      int me = (int)getpid();
      for (long i = 0; i < child_records; i++)
        log_event("tick", "seq", i, "pid", me, "src", "child", "child_index", k);
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

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void idle_report(double idle_cpu) {
  char out[8192];
  int len = snprintf(out, sizeof out, "{\"event\":\"emitter.idle\",\"cpu_ms\":%.3f,\"idle_cpu_ms\":%.3f,\"main_tid\":%d",
                     cpu_ms(), idle_cpu, (int)getpid());
  int threads = 0;
  DIR *dir = opendir("/proc/self/task");
  struct dirent *e;
  while (dir && (e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[300], line[256], blk[64] = "?";
    snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
      if (sscanf(line, "SigBlk: %63s", blk) == 1) break;
    if (f) fclose(f);
    threads++;
    if (len < (int)sizeof out - 100)
      len += snprintf(out + len, sizeof out - (size_t)len, ",\"sigblk.%s\":\"%s\"", e->d_name, blk);
  }
  if (dir) closedir(dir);
  len += snprintf(out + len, sizeof out - (size_t)len, ",\"threads\":%d}\n", threads);
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
    log_ticks(1, "main");
    double before = cpu_ms();
    sleep_ms(2000);
    idle_report(cpu_ms() - before);
    return 0;
  }
  if (strcmp(mode, "silence") == 0) {
    log_ticks(1, "main");
    sleep_ms(10000);
    return 0;
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
