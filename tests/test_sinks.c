/* Sinks: several at once, each with its own level; the default stdout sink replaced by the
 * first sink from code; files appended to, truncated under spanlog (copytruncate) and
 * rotated (rename + sl_reopen, rename + SIGHUP); sinks removed and re-levelled. Every file
 * is read back line by line and every line goes through the strict checker. */
#define SPANLOG_LOGGER "sinks"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spanlog.h>
#include <spanlog/testing.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "testfiles.h"

static off_t file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_size : -1;
}

/* ---- the tests ---- */

static const sl_level levels[] = {SL_LEVEL_DEBUG, SL_LEVEL_INFO, SL_LEVEL_WARNING, SL_LEVEL_ERROR,
                                  SL_LEVEL_CRITICAL};

/* Lines of t with the given level, checking each one's level and seq as it goes: seq i
   was logged at levels[i % 5], so a sink at level L must hold exactly the seqs i with
   levels[i % 5] >= L, in order. */
static void expect_levels(const text *t, sl_level min, long total, const char *what, int line_no) {
  size_t k = 0;
  int reported = 0;
  for (long i = 0; i < total; i++) {
    if (levels[i % 5] < min) continue;
    if (k >= t->n) {
      if (!reported++) {
        fprintf(stderr, "%s:%d: [%s] %s: missing seq %ld and after\n", __FILE__, line_no,
                check_current, what, i);
        check_failures++;
      }
      break;
    }
    jl_doc *d = check_parse(t->line[k], __FILE__, line_no);
    const char *lv = doc_str(d, "level");
    long seq = doc_long(d, "seq");
    if (!lv || strcmp(lv, sl_level_name(levels[i % 5])) != 0 || seq != i) {
      if (!reported++) {
        fprintf(stderr, "%s:%d: [%s] %s: line %zu is %s, want seq %ld at %s\n", __FILE__,
                line_no, check_current, what, k, t->line[k], i, sl_level_name(levels[i % 5]));
        check_failures++;
      }
    }
    jl_free(d);
    k++;
  }
  if (k != t->n && !reported) {
    fprintf(stderr, "%s:%d: [%s] %s: %zu lines, want %zu\n", __FILE__, line_no, check_current,
            what, t->n, k);
    check_failures++;
  }
}

/* A capture at debug, a file at warning and a caller's fd at error, all at once. */
static void each_sink_takes_exactly_what_its_level_lets_through(void) {
  char fpath[128], dpath[128];
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_sink *file = sl_sink_add_file(in_dir(fpath, sizeof fpath, "warning.jsonl"), SL_LEVEL_WARNING);
  int fd = open(in_dir(dpath, sizeof dpath, "error-fd.jsonl"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  sl_sink *fds = fd >= 0 ? sl_sink_add_fd(fd, SL_LEVEL_ERROR) : NULL;
  CHECK(cap != NULL);
  CHECK(file != NULL);
  CHECK(fds != NULL);
  if (!cap || !file || !fds) return;

  sl_logger *lg = sl_logger_get("sinks");
  const long total = 5000;
  for (long i = 0; i < total; i++) sl_log(lg, levels[i % 5], "multi", "seq", i);
  sl_flush();

  size_t n = sl_capture_count(cap);
  CHECK_INT(n, total);
  text t = {0};
  t.n = n;
  t.line = malloc((n ? n : 1) * sizeof *t.line);
  for (size_t i = 0; i < n; i++) t.line[i] = (char *)sl_capture_line(cap, i);
  expect_levels(&t, SL_LEVEL_DEBUG, total, "capture", __LINE__);
  free(t.line);

  t = read_text(fpath);
  CHECK(!t.torn);
  CHECK_INT(t.n, total * 3 / 5);
  expect_levels(&t, SL_LEVEL_WARNING, total, fpath, __LINE__);
  text_free(&t);

  t = read_text(dpath);
  CHECK(!t.torn);
  CHECK_INT(t.n, total * 2 / 5);
  expect_levels(&t, SL_LEVEL_ERROR, total, dpath, __LINE__);
  text_free(&t);

  sl_sink_remove(fds);
  sl_sink_remove(file);
  sl_capture_stop(cap);
  close(fd);
}

/* Content that was there stays; after a truncation to 0 behind spanlog's back (logrotate's
   copytruncate) the next line starts at offset 0, not at the old offset after a hole. */
static void file_sink_appends_and_survives_copytruncate(void) {
  char path[128];
  in_dir(path, sizeof path, "append.jsonl");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  CHECK(fd >= 0 && write(fd, "previous content\n", 17) == 17);
  if (fd >= 0) close(fd);

  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  for (long i = 0; i < 200; i++) log_info("append", "seq", i);
  sl_flush();
  text t = read_text(path);
  CHECK(t.n > 0 && strcmp(t.line[0], "previous content") == 0);
  EXPECT_SEQ(&t, 1, "append", 0, 200);
  text_free(&t);

  CHECK_INT(truncate(path, 0), 0);
  for (long i = 200; i < 250; i++) log_info("append", "seq", i);
  sl_flush();
  t = read_text(path);
  CHECK(t.len > 0 && t.data[0] == '{');
  EXPECT_SEQ(&t, 0, "append", 200, 250);
  text_free(&t);
  /* The file holds those 50 lines and nothing else (no hole of NULs before them). */
  t = read_text(path);
  size_t bytes = 0;
  for (size_t i = 0; i < t.n; i++) bytes += strlen(t.line[i]) + 1;
  CHECK_INT(bytes, t.len);
  text_free(&t);
  sl_sink_remove(s);
}

/* logrotate's default: rename the file, then tell the program to reopen. Records written
   before the rename stay in the old file, records made after the reopen go to the new one,
   and those in between may go to either, but each to exactly one, in order. */
static void rename_then_reopen_splits_the_records_between_old_and_new(void) {
  char path[128], old[128];
  in_dir(path, sizeof path, "rot.jsonl");
  in_dir(old, sizeof old, "rot.jsonl.1");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  for (long i = 0; i < 300; i++) log_info("rot", "seq", i);
  sl_flush();
  CHECK_INT(rename(path, old), 0);
  for (long i = 300; i < 600; i++) log_info("rot", "seq", i); /* to either file */
  CHECK_INT(sl_reopen(), 0);
  for (long i = 600; i < 900; i++) log_info("rot", "seq", i);
  sl_flush();

  text a = read_text(old), b = read_text(path);
  /* The old file ends where the new one starts: somewhere in [300, 600]. */
  long split = (long)a.n;
  CHECK(split >= 300 && split <= 600);
  EXPECT_SEQ(&a, 0, "rot", 0, split);
  EXPECT_SEQ(&b, 0, "rot", split, 900);
  text_free(&a);
  text_free(&b);

  /* Again with nothing in between: the split is exact. */
  sl_flush();
  CHECK_INT(rename(path, old), 0);
  CHECK_INT(sl_sink_reopen(s), 0);
  for (long i = 900; i < 1000; i++) log_info("rot", "seq", i);
  sl_flush();
  EXPECT_FILE(old, "rot", split, 900);
  EXPECT_FILE(path, "rot", 900, 1000);
  sl_sink_remove(s);
}

#define LOAD_RECORDS 40000
#define ROTATIONS 20

static void *log_under_rotation(void *arg) {
  (void)arg;
  for (long i = 0; i < LOAD_RECORDS; i++) log_info("load", "seq", i);
  return NULL;
}

/* Rotations while another thread logs: the files, oldest first, hold every record once,
   in order, each file a contiguous run. */
static void rotation_under_load_loses_and_duplicates_nothing(void) {
  char path[128], old[ROTATIONS][128];
  in_dir(path, sizeof path, "load.jsonl");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  pthread_t t;
  CHECK_INT(pthread_create(&t, NULL, log_under_rotation, NULL), 0);
  for (int k = 0; k < ROTATIONS; k++) {
    char name[32];
    snprintf(name, sizeof name, "load.jsonl.%d", k);
    in_dir(old[k], sizeof old[k], name);
    nanosleep(&(struct timespec){0, 500 * 1000}, NULL);
    CHECK_INT(rename(path, old[k]), 0);
    CHECK_INT(sl_reopen(), 0);
  }
  pthread_join(t, NULL);
  sl_flush();
  long next = 0;
  for (int k = 0; k <= ROTATIONS; k++) {
    const char *file = k < ROTATIONS ? old[k] : path;
    text f = read_text(file);
    EXPECT_SEQ(&f, 0, "load", next, next + (long)f.n);
    next += (long)f.n;
    text_free(&f);
  }
  CHECK_INT(next, LOAD_RECORDS);
  sl_sink_remove(s);
}

/* The new file cannot be opened (its directory is gone): the reopen fails with -ENOENT
   and the sink goes on writing to the file it has. */
static void failed_reopen_keeps_the_old_file(void) {
  char sub[128], path[128], moved[128];
  in_dir(sub, sizeof sub, "sub");
  in_dir(path, sizeof path, "sub/gone.jsonl");
  in_dir(moved, sizeof moved, "gone.jsonl.1");
  CHECK_INT(mkdir(sub, 0755), 0);
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  for (long i = 0; i < 100; i++) log_info("gone", "seq", i);
  sl_flush();
  CHECK_INT(rename(path, moved), 0);
  CHECK_INT(rmdir(sub), 0);

  fprintf(stderr, "(two diagnostics about %s expected below)\n", path);
  int rc = sl_sink_reopen(s);
  CHECK(rc < 0);
  CHECK_INT(rc, -ENOENT);
  for (long i = 100; i < 200; i++) log_info("gone", "seq", i);
  CHECK_INT(sl_reopen(), -ENOENT);
  for (long i = 200; i < 300; i++) log_info("gone", "seq", i);
  sl_flush();
  EXPECT_FILE(moved, "gone", 0, 300);
  CHECK_INT(access(path, F_OK), -1);
  sl_sink_remove(s);
}

static volatile sig_atomic_t app_hups;
static void app_on_sighup(int sig) {
  (void)sig;
  app_hups++;
}

/* SIGHUP after a rename: the backend reopens within its sleep time, and the handler the
   application had before still runs, once per signal (installing twice does not make
   spanlog's handler chain to itself). */
static void sighup_reopens_and_chains_to_the_previous_handler(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = app_on_sighup;
  sigemptyset(&sa.sa_mask);
  CHECK_INT(sigaction(SIGHUP, &sa, NULL), 0);
  CHECK_INT(sl_reopen_on_sighup(), 0);
  CHECK_INT(sl_reopen_on_sighup(), 0);

  char path[128], old[128];
  in_dir(path, sizeof path, "hup.jsonl");
  in_dir(old, sizeof old, "hup.jsonl.1");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  for (long i = 0; i < 100; i++) log_info("hup", "seq", i);
  sl_flush();
  CHECK_INT(rename(path, old), 0);
  CHECK_INT(raise(SIGHUP), 0);
  CHECK_INT(app_hups, 1);

  /* The reopen creates the file: wait for it, up to a second. */
  int appeared = 0;
  for (int i = 0; i < 100 && !appeared; i++) {
    appeared = access(path, F_OK) == 0;
    if (!appeared) nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
  }
  CHECK(appeared);
  for (long i = 100; i < 200; i++) log_info("hup", "seq", i);
  sl_flush();
  EXPECT_FILE(old, "hup", 0, 100);
  EXPECT_FILE(path, "hup", 100, 200);

  /* And once more: the second signal rotates again and runs our handler once more. */
  char older[128];
  in_dir(older, sizeof older, "hup.jsonl.2");
  CHECK_INT(rename(path, older), 0);
  CHECK_INT(raise(SIGHUP), 0);
  CHECK_INT(app_hups, 2);
  appeared = 0;
  for (int i = 0; i < 100 && !appeared; i++) {
    appeared = access(path, F_OK) == 0;
    if (!appeared) nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
  }
  CHECK(appeared);
  for (long i = 200; i < 250; i++) log_info("hup", "seq", i);
  sl_flush();
  EXPECT_FILE(older, "hup", 100, 200);
  EXPECT_FILE(path, "hup", 200, 250);
  sl_sink_remove(s);
}

/* Removing a sink writes out what it holds first; afterwards it gets nothing, and an fd
   given by the caller stays open. */
static void a_removed_sink_gets_nothing_more_and_loses_nothing(void) {
  char path[128], kept[128];
  in_dir(path, sizeof path, "removed.jsonl");
  in_dir(kept, sizeof kept, "kept.jsonl");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  CHECK(fd >= 0);
  sl_sink *s = fd >= 0 ? sl_sink_add_fd(fd, SL_LEVEL_DEBUG) : NULL;
  sl_sink *keep = sl_sink_add_file(kept, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  CHECK(keep != NULL);
  if (!s || !keep) return;
  for (long i = 0; i < 2000; i++) log_info("remove", "seq", i);
  sl_sink_remove(s); /* no flush before: the removal itself must write these */
  EXPECT_FILE(path, "remove", 0, 2000);
  CHECK(fcntl(fd, F_GETFD) != -1); /* still ours */
  for (long i = 2000; i < 2100; i++) log_info("remove", "seq", i);
  sl_flush();
  EXPECT_FILE(path, "remove", 0, 2000);
  EXPECT_FILE(kept, "remove", 0, 2100);
  close(fd);
  sl_sink_remove(keep);
}

#define MANY_RECORDS 100000

/* Enough records for many full batches, which the writer thread writes while the backend
   renders the next: two sinks, one removed while batches of both are in flight. Each file
   holds its records once and in order. */
static void full_batches_keep_their_order_in_every_sink(void) {
  char first[128], second[128];
  in_dir(first, sizeof first, "batches1.jsonl");
  in_dir(second, sizeof second, "batches2.jsonl");
  sl_sink *a = sl_sink_add_file(first, SL_LEVEL_DEBUG);
  sl_sink *b = sl_sink_add_file(second, SL_LEVEL_DEBUG);
  CHECK(a != NULL && b != NULL);
  if (!a || !b) return;
  for (long i = 0; i < MANY_RECORDS; i++) log_info("batch", "seq", i, "pad", "a value long enough to fill batches quickly");
  sl_sink_remove(a); /* writes what a has queued or in flight, and nothing after */
  for (long i = MANY_RECORDS; i < 2 * MANY_RECORDS; i++)
    log_info("batch", "seq", i, "pad", "a value long enough to fill batches quickly");
  sl_flush();
  EXPECT_FILE(first, "batch", 0, MANY_RECORDS);
  EXPECT_FILE(second, "batch", 0, 2 * MANY_RECORDS);
  sl_sink_remove(b);
}

/* The level of a sink can be changed while it is in use. */
static void set_level_changes_what_a_sink_takes(void) {
  char path[128];
  in_dir(path, sizeof path, "level.jsonl");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_ERROR);
  CHECK(s != NULL);
  if (!s) return;
  /* The records are flushed before each change: a sink judges a record when it is
     written, so that is where "before" and "after" the change are sharp. */
  log_warning("lv", "seq", 0L); /* below error: not taken */
  log_error("lv", "seq", 0L);
  sl_flush();
  sl_sink_set_level(s, SL_LEVEL_WARNING);
  log_warning("lv", "seq", 1L);
  log_info("lv", "seq", -1L); /* below warning */
  sl_flush();
  sl_sink_set_level(s, SL_LEVEL_OFF);
  log_critical("lv", "seq", -2L);
  sl_flush();
  sl_sink_set_level(s, SL_LEVEL_DEBUG);
  log_debug("lv", "seq", 2L);
  sl_flush();
  EXPECT_FILE(path, "lv", 0, 3);
  sl_sink_remove(s);
}

/* Run first, before any record: fd 1 goes to a file. Run last: it must be empty, since
   the sinks added from code replaced the default stdout sink. A stdout sink added from
   code then does write there, which shows the redirection catches spanlog's writes. */
static int saved_stdout = -1;
static char stdout_path[128];

static void redirect_stdout(void) {
  fflush(stdout);
  in_dir(stdout_path, sizeof stdout_path, "stdout.txt");
  int fd = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  saved_stdout = dup(1);
  CHECK(fd >= 0 && saved_stdout >= 0 && dup2(fd, 1) == 1);
  if (fd >= 0) close(fd);
}

static void nothing_reaches_stdout_once_a_sink_is_added(void) {
  sl_flush();
  CHECK_INT(file_size(stdout_path), 0);
  sl_sink *s = sl_sink_add_stdout(SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  log_info("to stdout", "seq", 0L);
  sl_flush();
  EXPECT_FILE(stdout_path, "to stdout", 0, 1);
  if (s) sl_sink_remove(s);
  fflush(stdout);
  if (saved_stdout >= 0) dup2(saved_stdout, 1), close(saved_stdout);
}

int main(void) {
  if (!tmpdir_make("sinks")) return perror("mkdtemp"), 1;
  redirect_stdout();
  CHECK_INT(sl_set_levels("debug"), 0);
  RUN(each_sink_takes_exactly_what_its_level_lets_through);
  RUN(file_sink_appends_and_survives_copytruncate);
  RUN(rename_then_reopen_splits_the_records_between_old_and_new);
  RUN(rotation_under_load_loses_and_duplicates_nothing);
  RUN(failed_reopen_keeps_the_old_file);
  RUN(sighup_reopens_and_chains_to_the_previous_handler);
  RUN(a_removed_sink_gets_nothing_more_and_loses_nothing);
  RUN(full_batches_keep_their_order_in_every_sink);
  RUN(set_level_changes_what_a_sink_takes);
  RUN(nothing_reaches_stdout_once_a_sink_is_added);
  return tmpdir_done(check_exit());
}
