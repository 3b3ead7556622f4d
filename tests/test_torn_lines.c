/* A line is on a sink whole or not at all, and what is lost is counted exactly, when a
 * write is cut short and the next ones fail (a full disk), then writing works again.
 *
 * This program replaces write(2) with a shim: writes to the fd under test are let
 * through up to a byte budget, the write that crosses it is cut short there, and later
 * ones fail with an errno until the budget is lifted ("the disk is freed"). Every other
 * fd is written as usual. The last case fills a real 128 KiB tmpfs instead, when this
 * process may mount one (root), and says it skipped otherwise.
 *
 * Each case logs records numbered by `seq`, then checks: every line of the output parses
 * (no fragment, nothing glued to one), seqs only increase, and the count of missing
 * records equals the count spanlog reports on stderr ("N records were lost"). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spanlog.h>

#include "check.h"
#include "testfiles.h"

/* ---- the write shim ---- */

static atomic_int shim_fd = -1;
static _Atomic long long shim_budget = -1; /* bytes still allowed; -1: no limit */
static atomic_int shim_errno = ENOSPC;

ssize_t write(int fd, const void *buf, size_t n) {
  if (fd == atomic_load(&shim_fd)) {
    long long budget = atomic_load(&shim_budget);
    if (budget == 0) return errno = atomic_load(&shim_errno), -1;
    if (budget > 0 && (long long)n > budget) n = (size_t)budget;
    long w = syscall(SYS_write, fd, buf, n);
    if (budget > 0 && w > 0) atomic_fetch_sub(&shim_budget, (long long)w);
    return w;
  }
  return syscall(SYS_write, fd, buf, n);
}

/* ---- checking what arrived ---- */

#define PAD 150 /* bytes of padding per record: several records per write, lines ~250 bytes */

static char pad[PAD + 1];
static char err_path[512];
static int err_fd = -1;

static void log_range(long from, long to) {
  for (long i = from; i < to; i++) log_event("rec", "seq", i, "pad", pad);
}

/* Records lost according to spanlog's reports on stderr since the last call. */
static long reported_lost(void) {
  static size_t seen;
  text t = read_text(err_path);
  long lost = 0;
  for (size_t i = 0; i < t.n; i++) {
    const char *p = strstr(t.line[i], "works again; ");
    if (i >= seen && p) lost += strtol(p + 13, NULL, 10);
  }
  seen = t.n;
  text_free(&t);
  return lost;
}

/* Every line of t parses and has an increasing seq below `total`; returns how many of
   the `total` records are missing. */
static long missing_records(const text *t, long total) {
  long prev = -1, present = 0;
  CHECK_MSG(!t->torn, "the output ends in a fragment");
  for (size_t i = 0; i < t->n; i++) {
    jl_doc *d = PARSE(t->line[i]);
    long seq = doc_long(d, "seq");
    CHECK_MSG(seq > prev && seq < total, "line %zu: seq %ld after %ld", i, seq, prev);
    prev = seq;
    present++;
    jl_free(d);
  }
  return total - present;
}

/* Logs 0..200, then 200..400 with `budget` bytes left before writes fail with `err`,
   then 400..600 after writing works again. */
static void run_full_then_freed(int fd, long long budget, int err) {
  atomic_store(&shim_fd, fd);
  log_range(0, 200);
  sl_flush();
  atomic_store(&shim_errno, err);
  atomic_store(&shim_budget, budget);
  log_range(200, 400);
  sl_flush();
  atomic_store(&shim_budget, -1);
  log_range(400, 600);
  sl_flush();
  atomic_store(&shim_fd, -1);
}

static void file_keeps_whole_lines_after_a_short_write(void) {
  char path[512];
  in_dir(path, sizeof path, "short.log");
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
  sl_sink *s = sl_sink_add_fd(fd, SL_LEVEL_DEBUG);
  run_full_then_freed(fd, 5000 + 77, ENOSPC); /* 77: in the middle of a line */
  sl_sink_remove(s);
  close(fd);
  text t = read_text(path);
  long missing = missing_records(&t, 600);
  CHECK(missing > 0); /* the disk was full for a while */
  CHECK_INT(reported_lost(), missing);
  text_free(&t);
}

/* A pipe cannot take bytes back: the cut line's rest goes first when writing works again. */
static void pipe_completes_a_cut_line(void) {
  int p[2];
  CHECK(pipe(p) == 0);
  pipe_reader r;
  CHECK(pipe_reader_start(&r, p[0], 0) == 0);
  sl_sink *s = sl_sink_add_fd(p[1], SL_LEVEL_DEBUG);
  run_full_then_freed(p[1], 3000 + 101, EIO);
  sl_sink_remove(s);
  close(p[1]);
  pipe_reader_finish(&r);
  long missing = missing_records(&r.got, 600);
  CHECK(missing > 0);
  CHECK_INT(reported_lost(), missing);
  text_free(&r.got);
}

/* ---- a real full disk ---- */

static void fill(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  static char block[4096];
  while (fd >= 0 && write(fd, block, sizeof block) > 0) {
  }
  if (fd >= 0) close(fd);
}

static void real_tmpfs_keeps_whole_lines(void) {
  char dir[256], log_path[512], filler[512];
  in_dir(dir, sizeof dir, "tmpfs");
  if (mkdir(dir, 0700) != 0 || mount("tmpfs", dir, "tmpfs", 0, "size=128k") != 0) {
    fprintf(stderr, "real_tmpfs_keeps_whole_lines: skipped, cannot mount a tmpfs (%s)\n", strerror(errno));
    rmdir(dir);
    return;
  }
  snprintf(log_path, sizeof log_path, "%s/app.log", dir);
  snprintf(filler, sizeof filler, "%s/filler", dir);
  sl_sink *s = sl_sink_add_file(log_path, SL_LEVEL_DEBUG);
  log_range(0, 100);
  sl_flush();
  fill(filler); /* the disk is full */
  log_range(100, 400);
  sl_flush();
  unlink(filler); /* freed */
  log_range(400, 500);
  sl_flush();
  fill(filler); /* full again, and freed again */
  log_range(500, 800);
  sl_flush();
  unlink(filler);
  log_range(800, 900);
  sl_flush();
  sl_sink_remove(s);
  text t = read_text(log_path);
  long missing = missing_records(&t, 900);
  CHECK(missing > 0);
  CHECK_INT(reported_lost(), missing);
  text_free(&t);
  unlink(log_path);
  CHECK(umount(dir) == 0);
  rmdir(dir);
}

int main(void) {
  memset(pad, 'p', PAD);
  if (!tmpdir_make("torn-lines")) return perror("tmpdir"), 1;
  /* spanlog's reports go to stderr: into a file, to be read back. */
  in_dir(err_path, sizeof err_path, "stderr");
  err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  int saved_err = dup(2);
  if (err_fd < 0 || saved_err < 0 || dup2(err_fd, 2) < 0) return perror("stderr"), 1;
  RUN(file_keeps_whole_lines_after_a_short_write);
  RUN(pipe_completes_a_cut_line);
  RUN(real_tmpfs_keeps_whole_lines);
  dup2(saved_err, 2);
  text e = read_text(err_path); /* the failures above went there too */
  for (size_t i = 0; i < e.n; i++) fprintf(stderr, "%s\n", e.line[i]);
  text_free(&e);
  return tmpdir_done(check_exit());
}
