/* Fault and process-lifetime tests: spanlog inside a child process (tests/emitter.c)
 * that meets a full disk, a closed pipe, a slow reader, every way of ending, fork(),
 * silence, idleness, a second writer on its pipe and a full queue under the drop
 * policy. The child's output is judged line by line with the strict parser (jsonl.h).
 *
 *   test_faults EMITTER
 *
 * Each case spawns the emitter with fork/exec, with SPANLOG_* set for that case only
 * (inherited SPANLOG_* variables are removed), SIGPIPE at its default action and no
 * signal blocked, so that a closed pipe would kill a child that let SIGPIPE through.
 * A child's stderr goes to a file: lines other than those a case expects fail it
 * (sanitizer reports included). Temporary files live in one mkdtemp directory. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "testfiles.h"

extern char **environ;

static const char *emitter;
static const char *tmpdir; /* made by main */

/* ---- small helpers ---- */

/* A path in tmpdir, in one of 8 buffers used in turn. */
static const char *tmp_path(const char *name) {
  static char paths[8][512];
  static int next;
  return in_dir(paths[next++ % 8], sizeof paths[0], name);
}

static void read_file(const char *path, text *out) { CHECK(text_read_file(out, path) == 0); }

/* Reads fd until EOF or the deadline (CLOCK_MONOTONIC ms). Returns 0 at EOF, -1 if
   the deadline came first. */
static int read_until_eof(int fd, text *out, double deadline) {
  char buf[65536];
  for (;;) {
    int left = (int)(deadline - now_ms());
    if (left <= 0) return -1;
    struct pollfd p = {fd, POLLIN, 0};
    int rc = poll(&p, 1, left);
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    text_add(out, buf, (size_t)n);
  }
}

static long count_newlines(const text *t) {
  long n = 0;
  if (!t->data) return 0;
  for (const char *p = t->data, *end = t->data + t->len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) n++;
  return n;
}

/* Reads fd until out holds `lines` whole lines, or the deadline; 0 or -1. */
static int read_lines(int fd, text *out, long lines, double deadline) {
  char buf[4096];
  while (count_newlines(out) < lines) {
    int left = (int)(deadline - now_ms());
    if (left <= 0) return -1;
    struct pollfd p = {fd, POLLIN, 0};
    int rc = poll(&p, 1, left);
    if (rc <= 0) continue;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    text_add(out, buf, (size_t)n);
  }
  return 0;
}

static int open_out(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  CHECK(fd >= 0);
  return fd;
}

/* ---- running the emitter ---- */

/* Starts `emitter args...` with stdout on out_fd and stderr on err_fd, the environment
   without SPANLOG_* plus env (NULL-terminated "NAME=value" strings, which replace
   variables of the same name). */
static pid_t spawn(const char *const *args, const char *const *env, int out_fd, int err_fd) {
  const char *argv[16];
  int argc = 0;
  argv[argc++] = emitter;
  for (int i = 0; args[i] && argc < 15; i++) argv[argc++] = args[i];
  argv[argc] = NULL;

  size_t nenv = 0, k = 0;
  while (environ[nenv]) nenv++;
  for (int i = 0; env && env[i]; i++) nenv++;
  const char **envp = calloc(nenv + 1, sizeof *envp);
  if (!envp) abort();
  for (char **e = environ; *e; e++) {
    int replaced = strncmp(*e, "SPANLOG_", 8) == 0;
    for (int i = 0; env && env[i] && !replaced; i++) {
      size_t n = strcspn(env[i], "=");
      replaced = strncmp(*e, env[i], n + 1) == 0;
    }
    if (!replaced) envp[k++] = *e;
  }
  for (int i = 0; env && env[i]; i++) envp[k++] = env[i];
  envp[k] = NULL;

  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    if (dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(126);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(emitter, (char *const *)argv, (char *const *)envp);
    _exit(127);
  }
  free(envp);
  CHECK(pid > 0);
  return pid;
}

/* Waits for pid up to timeout_ms; kills it if it is still running then (a failure).
   Returns the wait status, or -1. */
static int wait_child(pid_t pid, long timeout_ms, const char *what) {
  double deadline = now_ms() + timeout_ms;
  int status;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) {
      fprintf(stderr, "[%s] waitpid(%s): %s\n", check_current, what, strerror(errno));
      check_failures++;
      return -1;
    }
    if (now_ms() > deadline) {
      fprintf(stderr, "[%s] %s still running after %ld ms: killed\n", check_current, what, timeout_ms);
      check_failures++;
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    sleep_ms(2);
  }
}

/* The child exited by itself with status 0 (not killed by a signal: SIGPIPE, abort). */
static void check_exit_0(int status, const char *what) {
  if (status == -1) return; /* already reported */
  if (WIFSIGNALED(status)) {
    fprintf(stderr, "[%s] %s killed by signal %d (%s)\n", check_current, what, WTERMSIG(status),
            strsignal(WTERMSIG(status)));
    check_failures++;
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "[%s] %s exited with status %d\n", check_current, what, WEXITSTATUS(status));
    check_failures++;
  }
}

/* Starts the emitter with stdout on a new pipe, whose read end goes to *read_fd, and
   stderr on the file err_name in tmpdir. */
static pid_t spawn_piped(const char *const *args, const char *const *env, const char *err_name,
                         int *read_fd) {
  int fds[2] = {-1, -1};
  CHECK(pipe2(fds, O_CLOEXEC) == 0);
  int err = open_out(tmp_path(err_name));
  pid_t pid = spawn(args, env, fds[1], err);
  close(fds[1]), close(err);
  *read_fd = fds[0];
  return pid;
}

/* Reads the emitter's pipe to its end (within 60 s) and closes it, then waits for the
   emitter to exit with 0. */
static void read_all_then_wait(int fd, pid_t pid, text *out) {
  CHECK(read_until_eof(fd, out, now_ms() + 60000) == 0);
  close(fd);
  check_exit_0(wait_child(pid, 30000, "emitter"), "emitter");
}

/* Judges a child's stderr: exactly want_write_errors lines "spanlog: cannot write to",
   and the emitter's own JSON line with event report_event (returned parsed, if asked
   for); any other line fails the case, except lines that hold `ignore` (if not NULL). */
static jl_doc *check_stderr_ignoring(const char *path, int want_write_errors, const char *report_event,
                                     const char *ignore) {
  text t = {0};
  read_file(path, &t);
  int write_errors = 0, unexpected = 0;
  jl_doc *report = NULL;
  const char *p = t.data, *end = t.data ? t.data + t.len : NULL;
  while (p && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    const char *line = p;
    p = nl ? nl + 1 : end;
    if (len >= 24 && strncmp(line, "spanlog: cannot write to", 24) == 0) {
      write_errors++;
      continue;
    }
    if (ignore && memmem(line, len, ignore, strlen(ignore))) continue;
    jl_doc *d = report_event && line[0] == '{' ? jl_parse(line, len, NULL, 0) : NULL;
    const char *ev = doc_str(d, "event");
    if (d && ev && strcmp(ev, report_event) == 0 && !report) {
      report = d;
      continue;
    }
    if (d) jl_free(d);
    if (unexpected++ < 10) fprintf(stderr, "[%s] unexpected stderr line: %.*s\n", check_current, (int)len, line);
  }
  CHECK_INT(write_errors, want_write_errors);
  CHECK_INT(unexpected, 0);
  if (report_event && !report) {
    fprintf(stderr, "[%s] no %s line on stderr\n", check_current, report_event);
    check_failures++;
  }
  text_free(&t);
  return report;
}

static jl_doc *check_stderr(const char *path, int want_write_errors, const char *report_event) {
  return check_stderr_ignoring(path, want_write_errors, report_event, NULL);
}

/* ---- judging the output ---- */

/* key's value as an integer (the whole raw text), or 0 if absent or not one. */
static int field_long(const jl_doc *d, const char *key, long *out) {
  char buf[32], *end;
  const char *raw = doc_raw(d, key, buf, sizeof buf);
  if (!raw || !*raw) return 0;
  errno = 0;
  long v = strtol(raw, &end, 10);
  if (errno || *end) return 0;
  *out = v;
  return 1;
}

static int str_is(const jl_doc *d, const char *key, const char *want) {
  const char *v = doc_str(d, key);
  return v && strcmp(v, want) == 0;
}

/* Calls fn on every line of t (each parsed strictly); counts lines and lines that do
   not parse (including an unterminated last line) and reports the first few. */
typedef void line_fn(const jl_doc *d, size_t len, void *ctx);

static void each_line(const text *t, line_fn *fn, void *ctx, long *lines, long *bad) {
  *lines = *bad = 0;
  if (!t->data) return;
  const char *p = t->data, *end = t->data + t->len;
  while (p && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    char err[128];
    jl_doc *d = nl ? jl_parse(p, len, err, sizeof err) : NULL;
    (*lines)++;
    if (!d) {
      if ((*bad)++ < 3)
        fprintf(stderr, "[%s] line %ld %s (%s): %.*s\n", check_current, *lines,
                nl ? "does not parse" : "has no newline", nl ? err : "", (int)(len > 300 ? 300 : len), p);
    } else {
      fn(d, len, ctx);
      jl_free(d);
    }
    p = nl ? nl + 1 : end;
  }
}

/* The "tick" records of one process: each seq in [0, n) exactly once. */
typedef struct seqs {
  long n;
  unsigned char *seen;
  long ticks, dup, out_of_range, no_seq, wrong_pid, wrong_context, other;
  long pid;          /* expected "pid", or 0 for any */
  const char *mode;  /* expected bound "mode", or NULL */
  long dropped_records, dropped_count;
  long lines, bad; /* each_line's counts */
} seqs;

static void seqs_note(const jl_doc *d, size_t len, void *ctx) {
  seqs *s = ctx;
  (void)len;
  long seq, pid, count;
  if (str_is(d, "event", "spanlog.dropped")) {
    s->dropped_records++;
    if (field_long(d, "count", &count)) s->dropped_count += count;
    else s->other++;
    return;
  }
  if (!str_is(d, "event", "tick")) {
    s->other++;
    return;
  }
  s->ticks++;
  if (!field_long(d, "seq", &seq)) s->no_seq++;
  else if (seq < 0 || seq >= s->n) s->out_of_range++;
  else if (s->seen[seq]++) s->dup++;
  if (s->pid && (!field_long(d, "pid", &pid) || pid != s->pid)) s->wrong_pid++;
  if (s->mode && (!str_is(d, "mode", s->mode) || !str_is(d, "run", "faults"))) s->wrong_context++;
}

static long seqs_missing(const seqs *s) {
  long missing = 0;
  for (long i = 0; i < s->n; i++) missing += !s->seen[i];
  return missing;
}

/* Tallies the lines of t into s: n tick records are expected, with "pid" pid (0: any)
   and "mode" mode bound (NULL: any). The caller frees s->seen. */
static void seqs_tally(seqs *s, const text *t, long n, long pid, const char *mode) {
  memset(s, 0, sizeof *s);
  s->n = n;
  s->pid = pid;
  s->mode = mode;
  s->seen = calloc((size_t)n + 1, 1);
  if (!s->seen) abort();
  each_line(t, seqs_note, s, &s->lines, &s->bad);
}

/* Every line parsed, and the lines are the n tick records, seq 0..n-1 once each, from
   the expected process with the expected context: nothing lost, repeated or added. */
static void check_every_tick_once(const seqs *s) {
  CHECK_INT(s->bad, 0);
  CHECK_INT(s->lines, s->n);
  CHECK_INT(s->ticks, s->n);
  CHECK_INT(s->dup, 0);
  CHECK_INT(seqs_missing(s), 0);
  CHECK_INT(s->out_of_range + s->no_seq + s->wrong_pid + s->wrong_context + s->other, 0);
}

/* ---- the cases ---- */

/* A full disk: every write fails with ENOSPC. Reported once, and the program goes on. */
static void dev_full(void) {
  const char *args[] = {"return", "20000", NULL};
  const char *env[] = {"SPANLOG_OUTPUT=/dev/full", NULL};
  int out = open_out(tmp_path("devfull.out")), err = open_out(tmp_path("devfull.err"));
  pid_t pid = spawn(args, env, out, err);
  close(out), close(err);
  check_exit_0(wait_child(pid, 30000, "emitter"), "emitter");
  check_stderr(tmp_path("devfull.err"), 1, NULL);
  text t = {0};
  read_file(tmp_path("devfull.out"), &t);
  CHECK_INT(t.len, 0); /* nothing went to stdout instead */
  text_free(&t);
}

/* `emitter | head -1`: the reader goes away after one line while 100,000 records are
   still to come. EPIPE is reported once; SIGPIPE does not kill the process. Both with
   spanlog's thread writing (return) and with the caller writing after sl_shutdown()
   (shutdown_log). */
static void closed_pipe(void) {
  const char *modes[] = {"return", "shutdown_log"};
  for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
    char name[64];
    snprintf(name, sizeof name, "closed_pipe/%s", modes[m]);
    check_current = name;
    const char *args[] = {modes[m], "100000", NULL};
    int fd;
    pid_t pid = spawn_piped(args, NULL, "pipe.err", &fd);
    text t = {0};
    CHECK(read_lines(fd, &t, 1, now_ms() + 10000) == 0);
    close(fd);
    check_exit_0(wait_child(pid, 30000, "emitter"), "emitter");
    char *nl = t.data ? strchr(t.data, '\n') : NULL;
    CHECK(nl != NULL);
    if (nl) {
      *nl = 0;
      jl_doc *d = PARSE(t.data);
      long seq = -1;
      CHECK(str_is(d, "event", "tick"));
      CHECK(field_long(d, "seq", &seq) && seq == 0);
      if (d) jl_free(d);
    }
    text_free(&t);
    check_stderr(tmp_path("pipe.err"), 1, NULL);
  }
}

/* A 4 KiB queue and a reader that starts a second late: the producer waits (the default
   policy), so every record arrives, once. */
static void slow_reader(void) {
  enum { N = 50000 };
  const char *args[] = {"return", "50000", NULL};
  const char *env[] = {"SPANLOG_QUEUE_BYTES=4096", NULL};
  int fd;
  pid_t pid = spawn_piped(args, env, "slow.err", &fd);
  sleep_ms(1000);
  text t = {0};
  read_all_then_wait(fd, pid, &t);
  seqs s;
  seqs_tally(&s, &t, N, pid, "return");
  check_every_tick_once(&s);
  CHECK_INT(s.dropped_records, 0);
  free(s.seen);
  text_free(&t);
  check_stderr(tmp_path("slow.err"), 0, NULL);
}

/* Every way of ending writes everything queued: return from main, exit(), sl_flush()
   then _exit(), records made by a thread that was joined; and records made after
   sl_shutdown() are written too (by the caller). */
static void exit_paths(void) {
  enum { N = 100000 };
  const char *modes[] = {"return", "exit", "flush_exit", "thread_return", "shutdown_log"};
  for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
    char name[64], envv[300], outp[256], errp[256], filep[256];
    snprintf(name, sizeof name, "exit_paths/%s", modes[m]);
    check_current = name;
    snprintf(filep, sizeof filep, "%s/exit-%s.jsonl", tmpdir, modes[m]);
    snprintf(outp, sizeof outp, "%s/exit-%s.out", tmpdir, modes[m]);
    snprintf(errp, sizeof errp, "%s/exit-%s.err", tmpdir, modes[m]);
    snprintf(envv, sizeof envv, "SPANLOG_OUTPUT=%s", filep);
    const char *args[] = {modes[m], "100000", NULL};
    const char *env[] = {envv, NULL};
    int out = open_out(outp), err = open_out(errp);
    pid_t pid = spawn(args, env, out, err);
    close(out), close(err);
    check_exit_0(wait_child(pid, 60000, "emitter"), "emitter");
    text t = {0};
    read_file(filep, &t);
    seqs s;
    seqs_tally(&s, &t, N, pid, modes[m]);
    check_every_tick_once(&s);
    free(s.seen);
    text_free(&t);
    read_file(outp, &t);
    CHECK_INT(t.len, 0);
    text_free(&t);
    check_stderr(errp, 0, NULL);
  }
}

/* fork() while three threads log: each child logs its own records (its backend starts
   afresh) and never writes the parent's queued ones; the parent's are written once. */
enum { FORK_THREADS_MIN = 20000, FORK_CHILDREN = 20, FORK_CHILD_RECORDS = 200 };

typedef struct fork_tally {
  long parent_pid;
  long *parent_seqs;
  long nparent, parent_cap;
  long forked[FORK_CHILDREN];
  long nforked;
  long done_records, done_ticks;
  struct {
    long pid, count, dup, out_of_range;
    unsigned char seen[FORK_CHILD_RECORDS];
  } kids[FORK_CHILDREN + 8];
  long nkids, too_many_pids, bad_records;
} fork_tally;

static void fork_note(const jl_doc *d, size_t len, void *ctx) {
  fork_tally *f = ctx;
  (void)len;
  long pid = 0, seq = -1, v;
  int is_tick = str_is(d, "event", "tick");
  if (!field_long(d, "pid", &pid) && is_tick) {
    f->bad_records++;
    return;
  }
  if (str_is(d, "event", "forked")) {
    if (field_long(d, "child", &v) && f->nforked < FORK_CHILDREN) f->forked[f->nforked++] = v;
    else f->bad_records++;
    return;
  }
  if (str_is(d, "event", "parent.done")) {
    f->done_records++;
    if (!field_long(d, "ticks", &f->done_ticks)) f->bad_records++;
    return;
  }
  if (!is_tick || !field_long(d, "seq", &seq)) {
    f->bad_records++;
    return;
  }
  if (pid == f->parent_pid) {
    if (!str_is(d, "src", "thread")) f->bad_records++;
    if (f->nparent == f->parent_cap) {
      f->parent_cap = f->parent_cap ? 2 * f->parent_cap : 65536;
      f->parent_seqs = realloc(f->parent_seqs, (size_t)f->parent_cap * sizeof *f->parent_seqs);
      if (!f->parent_seqs) abort();
    }
    f->parent_seqs[f->nparent++] = seq;
    return;
  }
  if (!str_is(d, "src", "child")) f->bad_records++;
  long k = 0;
  while (k < f->nkids && f->kids[k].pid != pid) k++;
  if (k == f->nkids) {
    if (k == (long)(sizeof f->kids / sizeof f->kids[0])) {
      f->too_many_pids++;
      return;
    }
    f->kids[f->nkids++].pid = pid;
  }
  f->kids[k].count++;
  if (seq < 0 || seq >= FORK_CHILD_RECORDS) f->kids[k].out_of_range++;
  else if (f->kids[k].seen[seq]++) f->kids[k].dup++;
}

static int cmp_long(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

static void fork_loop(void) {
  char envv[300], opt_children[32], opt_records[32], n[32];
  const char *filep = tmp_path("fork.jsonl");
  snprintf(envv, sizeof envv, "SPANLOG_OUTPUT=%s", filep);
  snprintf(opt_children, sizeof opt_children, "children=%d", FORK_CHILDREN);
  snprintf(opt_records, sizeof opt_records, "child_records=%d", FORK_CHILD_RECORDS);
  snprintf(n, sizeof n, "%d", FORK_THREADS_MIN);
  const char *args[] = {"fork_loop", n, "threads=3", opt_children, opt_records, NULL};
  const char *env[] = {envv, NULL};
  int out = open_out(tmp_path("fork.out")), err = open_out(tmp_path("fork.err"));
  pid_t pid = spawn(args, env, out, err);
  close(out), close(err);
  check_exit_0(wait_child(pid, 60000, "emitter"), "emitter (status 3: a child failed)");

  text t = {0};
  read_file(filep, &t);
  fork_tally *f = calloc(1, sizeof *f);
  if (!f) abort();
  f->parent_pid = pid;
  long lines, bad;
  each_line(&t, fork_note, f, &lines, &bad);
  text_free(&t);
  CHECK_INT(bad, 0);
  CHECK_INT(f->bad_records, 0);
  CHECK_INT(f->too_many_pids, 0);

  /* The parent: "parent.done" once, its tick count, and seqs 0..ticks-1 once each. */
  CHECK_INT(f->done_records, 1);
  CHECK(f->done_ticks >= FORK_THREADS_MIN);
  CHECK_INT(f->nparent, f->done_ticks);
  qsort(f->parent_seqs, (size_t)f->nparent, sizeof *f->parent_seqs, cmp_long);
  long misplaced = 0;
  for (long i = 0; i < f->nparent; i++) misplaced += f->parent_seqs[i] != i;
  CHECK_INT(misplaced, 0); /* a duplicate or a gap moves every seq after it */

  /* The children: each one forked has its M records, seq 0..M-1 once each; no others. */
  CHECK_INT(f->nforked, FORK_CHILDREN);
  CHECK_INT(f->nkids, FORK_CHILDREN);
  for (long k = 0; k < f->nkids; k++) {
    int was_forked = 0;
    for (long j = 0; j < f->nforked; j++) was_forked |= f->forked[j] == f->kids[k].pid;
    if (!was_forked) fprintf(stderr, "[%s] records from pid %ld, not a child\n", check_current, f->kids[k].pid);
    CHECK(was_forked);
    CHECK_INT(f->kids[k].count, FORK_CHILD_RECORDS);
    CHECK_INT(f->kids[k].dup, 0);
    CHECK_INT(f->kids[k].out_of_range, 0);
  }
  CHECK_INT(lines, f->done_ticks + FORK_CHILDREN + 1 + (long)FORK_CHILDREN * FORK_CHILD_RECORDS);
  free(f->parent_seqs);
  free(f);
  /* Under ThreadSanitizer each child warns that it starts a thread after a multi-threaded
     fork (the emitter sets die_after_fork=0): allowed. */
  check_stderr_ignoring(tmp_path("fork.err"), 0, NULL,
                        "starting new threads after multi-threaded fork is not supported. Continuing");
}

/* One record, then nothing: it reaches the pipe while the process sleeps. Then a second
   one 600 ms later, when spanlog's thread has gone idle: it arrives within its longest
   sleep (50 ms), checked here with room to spare (300 ms). (At 600 ms, a sleep that kept
   doubling from 1 ms would end only at 1023 ms.) */
static void silence(void) {
  const char *args[] = {"silence", "1", "second_after=600", NULL};
  int fd;
  double t0 = now_ms(); /* (spawn_piped makes the pipe first: microseconds more) */
  pid_t pid = spawn_piped(args, NULL, "silence.err", &fd);
  text t = {0};
  int got = read_lines(fd, &t, 1, t0 + 1000) == 0;
  double t1 = now_ms();
  if (got) printf("silence: first line %.1f ms after spawn\n", t1 - t0);
  else fprintf(stderr, "[%s] no line within 1 s of spawning\n", check_current);
  CHECK(got);
  CHECK(t1 - t0 < 1000);
  int got2 = got && read_lines(fd, &t, 2, t1 + 2000) == 0;
  double gap = now_ms() - t1;
  if (got2) printf("silence: second line %.1f ms after the first (logged 600 ms after it)\n", gap);
  CHECK(got2);
  CHECK(gap < 900);
  long lines = 0, seq;
  for (char *line = t.data, *nl; line && (nl = strchr(line, '\n')) != NULL; line = nl + 1, lines++) {
    *nl = 0;
    jl_doc *d = PARSE(line);
    CHECK(str_is(d, "event", "tick") && field_long(d, "seq", &seq) && seq == lines);
    if (d) jl_free(d);
  }
  CHECK_INT(lines, 2); /* nothing else came */
  kill(pid, SIGKILL);
  int status = wait_child(pid, 10000, "emitter");
  CHECK(status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL); /* it was still sleeping */
  close(fd);
  text_free(&t);
  check_stderr(tmp_path("silence.err"), 0, NULL);
}

/* The SigBlk value of the calling thread when it blocks what sigfillset() gives. */
static uint64_t fill_mask(void) {
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  FILE *f = fopen("/proc/thread-self/status", "r");
  char line[256];
  unsigned long long mask = 0;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "SigBlk: %llx", &mask) == 1) break;
  if (f) fclose(f);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return mask;
}

/* Idle for 2 s after one record: next to no CPU time, and spanlog's thread blocks every
   signal (the emitter's report on stderr). */
static void idle(void) {
  const char *args[] = {"idle", "1", NULL};
  int out = open_out(tmp_path("idle.out")), err = open_out(tmp_path("idle.err"));
  pid_t pid = spawn(args, NULL, out, err);
  close(out), close(err);
  check_exit_0(wait_child(pid, 30000, "emitter"), "emitter");
  jl_doc *r = check_stderr(tmp_path("idle.err"), 0, "emitter.idle");
  if (r) {
    char buf[32];
    const char *cpu = doc_raw(r, "cpu_ms", buf, sizeof buf);
    double cpu_ms = cpu ? atof(cpu) : 1e9;
    const char *idle_cpu = doc_raw(r, "idle_cpu_ms", buf, sizeof buf);
    double idle_ms = idle_cpu ? atof(idle_cpu) : 1e9;
    printf("idle: %.1f ms of CPU in all, %.1f ms during the 2 s idle\n", cpu_ms, idle_ms);
    CHECK(idle_ms < 100);
    CHECK(cpu_ms < 100);

    /* spanlog's threads: those that were not there before the first record (the main
       thread and a sanitizer's own thread, if any, were). */
    uint64_t fill = fill_mask();
    CHECK(fill != 0);
    long main_tid = -1, threads = 0, checked = 0, spanlog_threads = 0;
    const char *before = doc_str(r, "before");
    char tids[1100];
    snprintf(tids, sizeof tids, ",%s,", before ? before : "");
    CHECK(before != NULL);
    CHECK(field_long(r, "main_tid", &main_tid) && main_tid == pid);
    CHECK(field_long(r, "threads", &threads));
    for (size_t i = 0; i < jl_count(r); i++) {
      const char *key = jl_key(r, i);
      if (strncmp(key, "sigblk.", 7) != 0) continue;
      checked++;
      char tid[40];
      snprintf(tid, sizeof tid, ",%s,", key + 7);
      if (strstr(tids, tid)) continue;
      spanlog_threads++;
      const char *hex = jl_str(r, i, NULL);
      char *end;
      uint64_t mask = hex ? strtoull(hex, &end, 16) : 0;
      if (!hex || *end || (mask & fill) != fill) {
        fprintf(stderr, "[%s] thread %s blocks %s, not every signal (%016llx)\n", check_current,
                key + 7, hex ? hex : "?", (unsigned long long)fill);
        check_failures++;
      }
      /* Idle means asleep: 2 s at up to 50 ms a sleep is some 40 wake-ups; 200 allows an
         average sleep of 10 ms (a thread that polls every millisecond makes 2,000). */
      char wkey[64];
      long wakeups = -1;
      snprintf(wkey, sizeof wkey, "wakeups.%s", key + 7);
      CHECK(field_long(r, wkey, &wakeups));
      printf("idle: spanlog thread %s woke %ld times in 2 s\n", key + 7, wakeups);
      CHECK(wakeups >= 0 && wakeups < 200);
    }
    CHECK_INT(checked, threads);
    CHECK(spanlog_threads >= 1); /* the backend is there to be judged */
    char main_s[40];
    snprintf(main_s, sizeof main_s, ",%ld,", main_tid);
    CHECK(strstr(tids, main_s) != NULL);
    jl_free(r);
  }
  text t = {0};
  read_file(tmp_path("idle.out"), &t);
  CHECK(t.len > 0 && memchr(t.data, '\n', t.len) == t.data + t.len - 1); /* one line */
  if (t.len > 0) {
    t.data[t.len - 1] = 0;
    jl_doc *d = PARSE(t.data);
    CHECK(str_is(d, "event", "tick"));
    if (d) jl_free(d);
  }
  text_free(&t);
}

/* Two processes write lines of ~3 KB to one pipe: each write holds whole lines of at
   most PIPE_BUF bytes, so no line is cut by the other writer's. */
enum { BIG_N = 2000, BIG_SIZE = 3000 };

typedef struct big_tally {
  long pid[2];
  long count[2], dup[2], bad_pad[2], too_long, other;
  unsigned char seen[2][BIG_N];
} big_tally;

static void big_note(const jl_doc *d, size_t len, void *ctx) {
  big_tally *b = ctx;
  long pid = 0, seq = -1;
  if (len + 1 > PIPE_BUF) b->too_long++;
  if (!str_is(d, "event", "tick") || !field_long(d, "pid", &pid) || !field_long(d, "seq", &seq) ||
      (pid != b->pid[0] && pid != b->pid[1]) || seq < 0 || seq >= BIG_N) {
    b->other++;
    return;
  }
  int k = pid == b->pid[1];
  b->count[k]++;
  if (b->seen[k][seq]++) b->dup[k]++;
  size_t n = 0;
  long i = jl_find(d, "pad");
  const char *pad = i < 0 ? NULL : jl_str(d, (size_t)i, &n);
  int ok = pad && n == BIG_SIZE;
  for (size_t j = 0; ok && j < n; j++) ok = pad[j] == 'a' + pid % 26;
  if (!ok) b->bad_pad[k]++;
}

static void two_writers(void) {
  char n[32], size[32];
  snprintf(n, sizeof n, "%d", BIG_N);
  snprintf(size, sizeof size, "size=%d", BIG_SIZE);
  const char *args[] = {"big", n, size, NULL};
  int fds[2];
  CHECK(pipe2(fds, O_CLOEXEC) == 0);
  big_tally *b = calloc(1, sizeof *b);
  if (!b) abort();
  int err0 = open_out(tmp_path("big0.err")), err1 = open_out(tmp_path("big1.err"));
  pid_t p0 = spawn(args, NULL, fds[1], err0);
  pid_t p1 = spawn(args, NULL, fds[1], err1);
  close(fds[1]), close(err0), close(err1);
  b->pid[0] = p0, b->pid[1] = p1;
  text t = {0};
  CHECK(read_until_eof(fds[0], &t, now_ms() + 60000) == 0);
  close(fds[0]);
  check_exit_0(wait_child(p0, 30000, "emitter 1"), "emitter 1");
  check_exit_0(wait_child(p1, 30000, "emitter 2"), "emitter 2");
  long lines, bad;
  each_line(&t, big_note, b, &lines, &bad);
  CHECK_INT(bad, 0);
  CHECK_INT(lines, 2 * BIG_N);
  CHECK_INT(b->other, 0);
  CHECK_INT(b->too_long, 0);
  for (int k = 0; k < 2; k++) {
    CHECK_INT(b->count[k], BIG_N);
    CHECK_INT(b->dup[k], 0);
    CHECK_INT(b->bad_pad[k], 0);
  }
  free(b);
  text_free(&t);
  check_stderr(tmp_path("big0.err"), 0, NULL);
  check_stderr(tmp_path("big1.err"), 0, NULL);
}

/* The drop policy with a 4 KiB queue and a reader that starts a second late: the caller
   goes on (its loop ends before anyone reads), and what was dropped is counted exactly
   in "spanlog.dropped" records. */
static void drop_policy(void) {
  enum { N = 50000 };
  const char *args[] = {"return", "50000", "report=1", NULL};
  const char *env[] = {"SPANLOG_OVERFLOW=drop", "SPANLOG_QUEUE_BYTES=4096", NULL};
  int fd;
  pid_t pid = spawn_piped(args, env, "drop.err", &fd);
  sleep_ms(1000);
  /* Nobody has read yet: a caller that waited for room would not be done. */
  text e = {0};
  read_file(tmp_path("drop.err"), &e);
  int loop_done = e.data && strstr(e.data, "\"emitter.loop\"") != NULL;
  if (!loop_done) fprintf(stderr, "[%s] the logging loop was not done after 1 s without a reader\n", check_current);
  CHECK(loop_done);
  text_free(&e);
  text t = {0};
  read_all_then_wait(fd, pid, &t);
  seqs s;
  seqs_tally(&s, &t, N, pid, "return");
  printf("drop: %ld records written, %ld dropped (in %ld reports)\n", s.ticks, s.dropped_count, s.dropped_records);
  CHECK_INT(s.bad, 0);
  CHECK(s.dropped_records >= 1);
  CHECK_INT(s.ticks + s.dropped_count, N);
  CHECK_INT(s.ticks + s.dropped_records, s.lines);
  CHECK_INT(s.dup, 0);
  CHECK_INT(s.out_of_range + s.no_seq + s.wrong_pid + s.wrong_context + s.other, 0);
  free(s.seen);
  text_free(&t);
  jl_doc *r = check_stderr(tmp_path("drop.err"), 0, "emitter.loop");
  if (r) jl_free(r);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s EMITTER\n", argv[0]);
    return 2;
  }
  emitter = argv[1];
  tmpdir = tmpdir_make("faults");
  if (!tmpdir) return perror("mkdtemp"), 1;
  signal(SIGPIPE, SIG_IGN); /* the driver's own writes: none to pipes, but be safe */

  struct {
    const char *name;
    void (*fn)(void);
  } cases[] = {
      {"dev_full", dev_full},       {"closed_pipe", closed_pipe}, {"slow_reader", slow_reader},
      {"exit_paths", exit_paths},   {"fork_loop", fork_loop},     {"silence", silence},
      {"idle", idle},               {"two_writers", two_writers}, {"drop_policy", drop_policy},
  };
  const char *only = getenv("FAULTS_ONLY"); /* runs one case, for debugging */
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (only && strcmp(only, cases[i].name) != 0) continue;
    double t0 = now_ms();
    check_current = cases[i].name;
    int before = check_failures;
    cases[i].fn();
    printf("%-12s %s (%.0f ms)\n", cases[i].name, check_failures == before ? "ok" : "FAILED", now_ms() - t0);
  }
  check_current = "cleanup";
  CHECK(tmpdir_remove() == 0);
  return check_exit();
}
