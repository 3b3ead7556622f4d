/* Writes that are interrupted, that would block, and that go to a fd the application
 * closed or replaced under the logger. Each case logs records numbered by `seq` and
 * checks what arrived: every line parses, seqs come in order, each once, and the count
 * of missing records equals the loss spanlog reports on stderr.
 *
 * The program replaces write(2) with a shim that watches one fd: it counts calls and
 * results, and in the EINTR storm fails every other call with EINTR and cuts the others
 * short. Every other fd is written as usual. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spanlog.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "stderr_log.h"
#include "testfiles.h"

/* ---- the write shim ---- */

static atomic_int shim_fd = -1;
static atomic_int shim_storm; /* every other write fails with EINTR, the others are cut short */
static atomic_long shim_calls, shim_written_calls, shim_eintr, shim_eagain;

static ssize_t storm_write(int fd, const void *buf, size_t n) {
  if (atomic_fetch_add(&shim_calls, 1) % 2 == 0) return errno = EINTR, -1;
  return syscall(SYS_write, fd, buf, n > 1 ? n / 2 : n);
}

ssize_t write(int fd, const void *buf, size_t n) {
  if (fd != atomic_load(&shim_fd)) return syscall(SYS_write, fd, buf, n);
  ssize_t w;
  if (atomic_load(&shim_storm)) {
    w = storm_write(fd, buf, n);
  } else {
    atomic_fetch_add(&shim_calls, 1);
    w = syscall(SYS_write, fd, buf, n);
  }
  int e = errno;
  if (w > 0) atomic_fetch_add(&shim_written_calls, 1);
  else if (e == EINTR) atomic_fetch_add(&shim_eintr, 1);
  else if (e == EAGAIN || e == EWOULDBLOCK) atomic_fetch_add(&shim_eagain, 1);
  errno = e;
  return w;
}

/* Stops watching; the counts stay for the case to read. */
static void shim_stop(void) { atomic_store(&shim_fd, -1); }

static void shim_watch(int fd, int storm) {
  atomic_store(&shim_calls, 0);
  atomic_store(&shim_written_calls, 0);
  atomic_store(&shim_eintr, 0);
  atomic_store(&shim_eagain, 0);
  atomic_store(&shim_storm, storm);
  atomic_store(&shim_fd, fd);
}

/* ---- logging and reading back ---- */

#define PAD 150 /* lines of about 250 bytes: many per write */
static char pad[PAD + 1];

static void log_range(long from, long to) {
  for (long i = from; i < to; i++) log_event("rec", "seq", i, "pad", pad);
}

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* ---- EINTR ---- */

/* Every other write fails with EINTR, and every write that gets through is cut to half:
   each record arrives once, whole, in order, and nothing is reported lost. */
static void an_eintr_storm_writes_every_record_once(void) {
  char path[512];
  in_dir(path, sizeof path, "eintr.jsonl");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  CHECK(fd >= 0);
  uint64_t dropped = sl_dropped_total();
  shim_watch(fd, 1);
  sl_sink *s = sl_sink_add_fd(fd, SL_LEVEL_DEBUG);
  log_range(0, 5000);
  sl_sink_remove(s);
  shim_stop();
  close(fd);
  EXPECT_FILE(path, "rec", 0, 5000);
  CHECK(atomic_load(&shim_eintr) > 100); /* the storm happened */
  CHECK_INT(sl_dropped_total() - dropped, 0);
  CHECK_INT(stderr_log_lines("spanlog:", NULL), 0); /* nothing to report */
}

static volatile sig_atomic_t timer_signals;
static void on_timer(int sig) {
  (void)sig;
  timer_signals++;
}

/* Real signals: after sl_shutdown the calling thread writes its own records, here to a
   pipe whose reader is slow, so write(2) blocks and a timer's signal (a handler without
   SA_RESTART) interrupts it, hundreds of times. */
static void signals_interrupting_blocked_writes_lose_nothing(void) {
  int p[2];
  CHECK(pipe(p) == 0);
  pipe_reader r;
  CHECK(pipe_reader_start(&r, p[0], 1) == 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_timer; /* no SA_RESTART: a blocked write returns EINTR */
  sigaction(SIGALRM, &sa, NULL); /* kept: a signal still pending after the timer stops is harmless */
  sl_shutdown(); /* from here on, this thread writes */
  shim_watch(p[1], 0);
  sl_sink *s = sl_sink_add_fd(p[1], SL_LEVEL_DEBUG);
  struct itimerval every = {{0, 300}, {0, 300}}, off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &every, NULL);
  log_range(0, 3000);
  setitimer(ITIMER_REAL, &off, NULL);
  sl_sink_remove(s);
  shim_stop();
  close(p[1]);
  pipe_reader_finish(&r);
  EXPECT_SEQ(&r.got, 0, "rec", 0, 3000);
  fprintf(stderr, "signals_interrupting_blocked_writes_lose_nothing: %ld signals, %ld writes interrupted\n",
          (long)timer_signals, atomic_load(&shim_eintr));
  CHECK(timer_signals > 0);
  CHECK_INT(stderr_log_lines("spanlog:", NULL), 0);
  text_free(&r.got);
}

/* ---- EAGAIN ---- */

/* A non-blocking pipe whose reader takes 4 KiB every 2 ms: spanlog waits for room (poll)
   instead of retrying, loses nothing and tears no line. The writes that found the pipe
   full are about as many as those that wrote (each EAGAIN is followed by a wait for
   room, then a write), not thousands. */
static void eagain_waits_for_room_without_spinning(void) {
  int p[2];
  CHECK(pipe(p) == 0);
  CHECK(fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK) == 0);
  pipe_reader r;
  CHECK(pipe_reader_start(&r, p[0], 2) == 0);
  shim_watch(p[1], 0);
  sl_sink *s = sl_sink_add_fd(p[1], SL_LEVEL_DEBUG);
  double cpu0 = cpu_ms(), t0 = now_ms();
  log_range(0, 4000);
  sl_flush();
  double cpu = cpu_ms() - cpu0, wall = now_ms() - t0;
  sl_sink_remove(s);
  shim_stop();
  close(p[1]);
  pipe_reader_finish(&r);
  EXPECT_SEQ(&r.got, 0, "rec", 0, 4000);
  long eagain = atomic_load(&shim_eagain), wrote = atomic_load(&shim_written_calls);
  fprintf(stderr, "eagain_waits_for_room_without_spinning: %ld writes, %ld EAGAIN, %ld reads; "
          "%.0f ms CPU in %.0f ms\n", wrote, eagain, r.reads, cpu, wall);
  CHECK(eagain > 0); /* the reader was slow enough to fill the pipe */
  CHECK_MSG(eagain <= 2 * wrote + 16, "%ld EAGAIN for %ld writes: spinning", eagain, wrote);
  CHECK_INT(stderr_log_lines("spanlog:", NULL), 0);
  text_free(&r.got);
}

/* ---- the fd closed or replaced under the logger ---- */

/* The application closes a sink's fd, then opens another file, which gets the same
   number. spanlog counts the records as lost (EBADF, then "another file") and writes
   nothing into the other file; removing the sink reports the loss. */
static void a_closed_fd_is_counted_and_its_reused_number_left_alone(void) {
  char first[512], other[512];
  in_dir(first, sizeof first, "closed-first.jsonl");
  in_dir(other, sizeof other, "closed-other.db");
  int fd = open(first, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  sl_sink *s = sl_sink_add_fd(fd, SL_LEVEL_DEBUG);
  log_range(0, 100);
  sl_flush();
  close(fd); /* under the logger */
  log_range(100, 200);
  sl_flush();
  CHECK_INT(stderr_log_lines("Bad file descriptor", NULL), 1);
  int reused = open(other, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  if (reused != fd) dup2(reused, fd), close(reused); /* the number, as a busy program would reuse it */
  log_range(200, 300);
  sl_flush();
  CHECK_INT(stderr_log_lines("now refers to another file", NULL), 1);
  sl_sink_remove(s);
  long lost = 0;
  CHECK_INT(stderr_log_lines("removed while failing", &lost), 1);
  CHECK_INT(lost, 200);
  close(fd);
  EXPECT_FILE(first, "rec", 0, 100);
  text t = read_text(other);
  CHECK_INT(t.len, 0); /* the other file got nothing */
  text_free(&t);
}

/* Records 100..200 while `bad` stands in the place of fd (dup2), which spanlog reports
   with `message`, then 200..300 with `good` there: it reports the 100 lost. */
static void log_with_bad_then_good_in_place(int fd, int bad, int good, const char *message) {
  dup2(bad, fd);
  log_range(100, 200);
  sl_flush();
  CHECK_INT(stderr_log_lines(message, NULL), 1);
  dup2(good, fd);
  log_range(200, 300);
  sl_flush();
  long lost = 0;
  CHECK_INT(stderr_log_lines("works again", &lost), 1);
  CHECK_INT(lost, 100);
}

/* /dev/full put in the place of a sink's fd (dup2), then the file back: the records of
   the meantime are counted, the others are in the file. */
static void dev_full_put_in_place_of_the_fd_is_counted(void) {
  char path[512];
  in_dir(path, sizeof path, "dup2-full.jsonl");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  int saved = dup(fd), full = open("/dev/full", O_WRONLY);
  CHECK(fd >= 0 && saved >= 0 && full >= 0);
  sl_sink *s = sl_sink_add_fd(fd, SL_LEVEL_DEBUG);
  log_range(0, 100);
  sl_flush();
  log_with_bad_then_good_in_place(fd, full, saved, "now refers to another file");
  sl_sink_remove(s);
  close(fd), close(saved), close(full);
  text t = read_text(path);
  if (t.n == 200) {
    t.n = 100;
    EXPECT_SEQ(&t, 0, "rec", 0, 100);
    memmove(t.line, t.line + 100, 100 * sizeof *t.line); /* the rest, checked on their own */
    EXPECT_SEQ(&t, 0, "rec", 200, 300);
  } else {
    FAIL("%zu lines, want 200", t.n);
  }
  text_free(&t);
}

/* stdout is followed wherever the application points it (daemons redirect it on
   purpose): /dev/full there is a loss, counted; a file there afterwards gets the lines. */
static void stdout_follows_its_redirections(void) {
  char before[512], after[512];
  in_dir(before, sizeof before, "stdout-before.jsonl");
  in_dir(after, sizeof after, "stdout-after.jsonl");
  fflush(stdout);
  int real_stdout = dup(1);
  int a = open(before, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  int b = open(after, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  int full = open("/dev/full", O_WRONLY);
  dup2(a, 1);
  sl_sink *s = sl_sink_add_stdout(SL_LEVEL_DEBUG);
  log_range(0, 100);
  sl_flush();
  log_with_bad_then_good_in_place(1, full, b, "No space left on device");
  sl_sink_remove(s);
  dup2(real_stdout, 1);
  close(real_stdout), close(a), close(b), close(full);
  EXPECT_FILE(before, "rec", 0, 100);
  EXPECT_FILE(after, "rec", 200, 300);
}

int main(void) {
  memset(pad, 'p', PAD);
  if (!tmpdir_make("write-faults")) return perror("tmpdir"), 1;
  if (stderr_log_start()) return perror("stderr"), 1;
  RUN(an_eintr_storm_writes_every_record_once);
  RUN(eagain_waits_for_room_without_spinning);
  RUN(a_closed_fd_is_counted_and_its_reused_number_left_alone);
  RUN(dev_full_put_in_place_of_the_fd_is_counted);
  RUN(stdout_follows_its_redirections);
  RUN(signals_interrupting_blocked_writes_lose_nothing); /* last: it shuts spanlog's threads down */
  stderr_log_stop();
  return tmpdir_done(check_exit());
}
