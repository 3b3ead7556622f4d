/* The logger's lifetime and what a test program relies on: the default sink and its
 * replacement, sl_flush, threads that exit without flushing, the capture API, the clock
 * hook and UTC timestamps, record order within and across threads, spanlog's own named
 * threads, and logging on after sl_shutdown. */
#define SPANLOG_LOGGER "life"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <spanlog.h>
#include <spanlog/testing.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "testfiles.h"

/* ---- the tests ---- */

/* Run first. Before any sink is added, records go to stdout; the first sink added from
   code takes its place even though the default sink is already in use. */
static void the_default_stdout_sink_gives_way_to_the_first_sink_from_code(void) {
  char out[128], file[128];
  in_dir(out, sizeof out, "stdout.txt");
  in_dir(file, sizeof file, "first.jsonl");
  fflush(stdout);
  int saved = dup(1);
  int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  CHECK(fd >= 0 && saved >= 0 && dup2(fd, 1) == 1);
  if (fd >= 0) close(fd);

  log_info("default", "seq", 0);
  sl_flush();
  EXPECT_FILE(out, "default", 0, 1);

  sl_sink *s = sl_sink_add_file(file, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  log_info("default", "seq", 1);
  sl_flush();
  EXPECT_FILE(out, "default", 0, 1);
  EXPECT_FILE(file, "default", 1, 2);
  if (s) sl_sink_remove(s);
  fflush(stdout);
  if (saved >= 0) dup2(saved, 1), close(saved);
}

/* After sl_flush returns, the file holds every record made before the call. */
static void flush_returns_with_every_earlier_record_in_the_file(void) {
  char path[128];
  in_dir(path, sizeof path, "flush.jsonl");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  long seq = 0;
  for (int round = 1; round <= 10; round++) {
    for (int i = 0; i < round * 137; i++, seq++) log_info("flush", "seq", seq);
    sl_flush();
    EXPECT_FILE(path, "flush", 0, seq);
  }
  sl_sink_remove(s);
}

#define BURST 50000

static void *burst_then_exit(void *arg) {
  long base = (long)(intptr_t)arg;
  for (long i = 0; i < BURST; i++) log_info("burst", "seq", base + i);
  return NULL; /* no flush: the queue is handed over as the thread ends */
}

static void *few_then_exit(void *arg) {
  long base = (long)(intptr_t)arg;
  for (long i = 0; i < 300; i++) log_info("short", "seq", base + i);
  return NULL;
}

/* A thread that ends right after its last record loses none of them; nor do many
   short-lived threads one after the other (whose queues are retired and reused). */
static void a_thread_exiting_right_after_logging_loses_nothing(void) {
  char path[128];
  in_dir(path, sizeof path, "burst.jsonl");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  pthread_t t;
  CHECK_INT(pthread_create(&t, NULL, burst_then_exit, (void *)(intptr_t)0), 0);
  pthread_join(t, NULL);
  sl_flush();
  EXPECT_FILE(path, "burst", 0, BURST);
  sl_sink_remove(s);

  in_dir(path, sizeof path, "short.jsonl");
  s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  for (long k = 0; k < 40; k++) {
    CHECK_INT(pthread_create(&t, NULL, few_then_exit, (void *)(intptr_t)(k * 300)), 0);
    pthread_join(t, NULL);
  }
  sl_flush();
  EXPECT_FILE(path, "short", 0, 40 * 300);
  sl_sink_remove(s);
}

/* sl_capture_field's text for key in line i as a NUL-terminated copy, or NULL. */
static const char *field_text(sl_capture *cap, size_t i, const char *key) {
  static char buf[256];
  size_t len = 12345;
  const char *v = sl_capture_field(cap, i, key, &len);
  if (!v) return NULL;
  if (len >= sizeof buf) return "(too long)";
  memcpy(buf, v, len);
  buf[len] = 0;
  return buf;
}

/* Checks sl_capture_field on every member of record i against the strict parser, in a
   child process that gets 3 s: a lookup that never returns fails the test instead of
   hanging it. Returns the number of mismatches, or -1 if the child did not finish. */
static int fields_in_child(sl_capture *cap, size_t i) {
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    alarm(3);
    int bad = 0;
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    for (size_t k = 0; d && k < jl_count(d); k++) {
      size_t rlen = 0, flen = 0;
      const char *raw = jl_raw(d, k, &rlen);
      const char *f = sl_capture_field(cap, i, jl_key(d, k), &flen);
      if (!f || flen != rlen || memcmp(f, raw, rlen) != 0) {
        fprintf(stderr, "sl_capture_field(%s): %.*s, want %.*s\n", jl_key(d, k), f ? (int)flen : 6,
                f ? f : "(null)", (int)rlen, raw);
        bad++;
      }
    }
    int status = d ? bad : 100;
    if (d) jl_free(d); /* valgrind counts what a child leaves behind too */
    _exit(status);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  if (WIFSIGNALED(status)) {
    fprintf(stderr, "%s:%d: [%s] sl_capture_field did not return within 3 s (signal %d) on %s\n",
            __FILE__, __LINE__, check_current, WTERMSIG(status), sl_capture_line(cap, i));
    return -1;
  }
  return WEXITSTATUS(status);
}

static void capture_api_behaves_as_documented(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_INFO);
  CHECK(cap != NULL);
  if (!cap) return;
  size_t len = 99;
  CHECK_INT(sl_capture_count(cap), 0);
  CHECK(sl_capture_line(cap, 0) == NULL);
  CHECK(sl_capture_field(cap, 0, "event", &len) == NULL);

  const char *none = NULL;
  log_debug("below the capture's level");
  /* No flush between the calls and the count: the count flushes. */
  log_info("first", "s", "a \"q\" \\ b", "n", 42, "neg", -7, "f", 0.5, "yes", SL_BOOL(1), "nul",
           none, "decoy", "n", "u", "\xc3\xa9", "obj", SL_RAW_JSON("{\"x\": {\"y\": \"}\"}}"));
  log_warning("second", "n", 43);
  CHECK_INT(sl_capture_count(cap), 2);

  const char *line = sl_capture_line(cap, 0);
  CHECK(line != NULL);
  if (!line) return;
  size_t n = strlen(line);
  CHECK(n > 2 && line[0] == '{' && line[n - 1] == '}');
  CHECK(strchr(line, '\n') == NULL);
  jl_doc *d = PARSE(line);
  CHECK_STR(doc_str(d, "event"), "first");

  /* Each field's text is its JSON text in the line: strings keep quotes and escapes. */
  CHECK_STR(field_text(cap, 0, "event"), "\"first\"");
  CHECK_STR(field_text(cap, 0, "level"), "\"info\"");
  CHECK_STR(field_text(cap, 0, "logger"), "\"life\"");
  CHECK_STR(field_text(cap, 0, "s"), "\"a \\\"q\\\" \\\\ b\"");
  CHECK_STR(field_text(cap, 0, "n"), "42"); /* the key, not the value "n" of decoy */
  CHECK_STR(field_text(cap, 0, "neg"), "-7");
  CHECK_STR(field_text(cap, 0, "f"), "0.5");
  CHECK_STR(field_text(cap, 0, "yes"), "true");
  CHECK_STR(field_text(cap, 0, "nul"), "null");
  CHECK_STR(field_text(cap, 0, "decoy"), "\"n\"");
  CHECK_STR(field_text(cap, 0, "u"), "\"\xc3\xa9\"");
  CHECK_STR(field_text(cap, 0, "obj"), "{\"x\":{\"y\":\"}\"}}");
  CHECK_STR(field_text(cap, 1, "n"), "43");
  CHECK_STR(field_text(cap, 1, "level"), "\"warning\"");
  /* Every member's text matches what the strict parser sees. */
  for (size_t i = 0; d && i < jl_count(d); i++) {
    size_t rlen = 0, flen = 0;
    const char *raw = jl_raw(d, i, &rlen);
    const char *f = sl_capture_field(cap, 0, jl_key(d, i), &flen);
    CHECK(f != NULL && flen == rlen && memcmp(f, raw, rlen) == 0);
  }
  jl_free(d);

  /* Values with commas inside (arrays, objects of several members), to return and to
     skip over on the way to a later key: in a child process, with a time limit. */
  log_info("nested", "arr", SL_RAW_JSON("[1, 2, \"a,b\"]"), "obj", SL_RAW_JSON("{\"a\": 1, \"b\": [3, 4]}"),
           "after", 5);
  CHECK_INT(sl_capture_count(cap), 3);
  CHECK_INT(fields_in_child(cap, 2), 0);
  /* A timestamp is a string of 27 characters, quotes kept. */
  const char *ts = field_text(cap, 0, "timestamp");
  CHECK(ts && strlen(ts) == 29 && ts[0] == '"' && ts[28] == '"');

  CHECK(sl_capture_field(cap, 0, "missing", &len) == NULL);
  CHECK(sl_capture_field(cap, 0, "ne", &len) == NULL); /* a prefix of a key is not a key */
  CHECK(sl_capture_field(cap, 0, "q", &len) == NULL);  /* text inside a value is not a key */
  CHECK(sl_capture_field(cap, 3, "event", &len) == NULL);
  CHECK(sl_capture_line(cap, 3) == NULL);

  /* A line stays valid while more records arrive, until the capture is cleared. */
  char copy[1024];
  snprintf(copy, sizeof copy, "%s", line);
  for (int i = 0; i < 1000; i++) log_info("more", "i", i);
  CHECK_INT(sl_capture_count(cap), 1003);
  CHECK_STR(line, copy);
  CHECK_STR(field_text(cap, 1002, "i"), "999");

  /* A second capture at warning, beside the first. */
  sl_capture *warn = sl_capture_start(SL_LEVEL_WARNING);
  CHECK(warn != NULL);
  log_info("third");
  log_error("fourth");
  CHECK_INT(sl_capture_count(cap), 1005);
  CHECK_INT(sl_capture_count(warn), 1);
  CHECK_STR(field_text(warn, 0, "event"), "\"fourth\"");

  sl_capture_clear(cap);
  CHECK_INT(sl_capture_count(cap), 0);
  CHECK(sl_capture_line(cap, 0) == NULL);
  CHECK_INT(sl_capture_count(warn), 1); /* clearing one leaves the other */
  log_info("fifth");
  CHECK_INT(sl_capture_count(cap), 1);
  CHECK_STR(field_text(cap, 0, "event"), "\"fifth\"");

  sl_capture_stop(warn);
  log_critical("sixth");
  CHECK_INT(sl_capture_count(cap), 2);
  sl_capture_stop(cap);

  /* A capture started afterwards holds only its own records. */
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  CHECK(cap != NULL);
  if (!cap) return;
  CHECK_INT(sl_capture_count(cap), 0);
  log_debug("seventh");
  CHECK_INT(sl_capture_count(cap), 1);
  CHECK_STR(field_text(cap, 0, "event"), "\"seventh\"");
  sl_capture_stop(cap);
}

/* 2026-03-14T10:42:13Z exactly; in Asia/Kolkata (UTC+05:30) that is 16:12:13. */
#define EXACT_SECOND 1773484933ull
static uint64_t exact_second_clock(void) { return EXACT_SECOND * 1000000000ull; }
static uint64_t last_ns_clock(void) { return EXACT_SECOND * 1000000000ull + 999999999ull; }

/* TZ was set to Asia/Kolkata before the first record (in main): timestamps stay UTC. */
static void timestamps_are_utc_with_six_decimals(void) {
  /* The zone is really in effect for this process, or the test would prove nothing. */
  time_t t = (time_t)EXACT_SECOND;
  struct tm local;
  localtime_r(&t, &local);
  CHECK_INT(local.tm_hour * 60 + local.tm_min, 16 * 60 + 12);

  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  CHECK(cap != NULL);
  if (!cap) return;
  sl_set_clock(exact_second_clock);
  log_info("exact");
  sl_set_clock(last_ns_clock);
  log_info("last nanosecond");
  sl_set_clock(NULL);
  struct timespec t0, t1; /* not time(): its coarse clock may lag clock_gettime's second */
  clock_gettime(CLOCK_REALTIME, &t0);
  log_info("now");
  clock_gettime(CLOCK_REALTIME, &t1);
  time_t before = t0.tv_sec, after = t1.tv_sec;
  CHECK_INT(sl_capture_count(cap), 3);

  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  const char *ts = doc_str(d, "timestamp");
  CHECK_STR(ts, "2026-03-14T10:42:13.000000Z");
  CHECK(ts && strlen(ts) == 27);
  CHECK(ts && strlen(ts) >= 8 && strcmp(ts + strlen(ts) - 8, ".000000Z") == 0);
  jl_free(d);

  /* Microseconds are cut, not rounded: a clock never shows the next second early. */
  d = PARSE(sl_capture_line(cap, 1));
  CHECK_STR(doc_str(d, "timestamp"), "2026-03-14T10:42:13.999999Z");
  jl_free(d);

  /* NULL gives the system clock back: the record's second is the current one (UTC). */
  d = PARSE(sl_capture_line(cap, 2));
  ts = doc_str(d, "timestamp");
  CHECK(ts && strlen(ts) == 27 && ts[26] == 'Z');
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  const char *rest = ts ? strptime(ts, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
  CHECK(rest && *rest == '.');
  time_t sec = timegm(&tm);
  CHECK(sec >= before && sec <= after);
  jl_free(d);
  sl_capture_stop(cap);
}

/* One thread's records come out in the order it made them, the ones too large for its
   queue (which travel through the heap) included. */
static void one_threads_records_keep_their_order(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  CHECK(cap != NULL);
  if (!cap) return;
  size_t big_len = 300 * 1024; /* larger than a quarter of the default 256 KiB queue */
  char *big = malloc(big_len + 1);
  memset(big, 'x', big_len);
  big[big_len] = 0;
  const long total = 3000;
  for (long i = 0; i < total; i++) {
    if (i % 100 == 7) log_info("order", "seq", i, "big", big);
    else log_info("order", "seq", i);
  }
  CHECK_INT(sl_capture_count(cap), total);
  long bad = 0;
  for (long i = 0; i < total; i++) {
    size_t len;
    const char *v = sl_capture_field(cap, (size_t)i, "seq", &len);
    long seq = v ? strtol(v, NULL, 10) : -1;
    const char *b = sl_capture_field(cap, (size_t)i, "big", &len);
    int want_big = i % 100 == 7;
    if (seq != i || (want_big ? !b || len != big_len + 2 : b != NULL)) {
      if (bad++ < 3) fprintf(stderr, "record %ld: seq %ld, big %s\n", i, seq, b ? "yes" : "no");
    }
  }
  CHECK_INT(bad, 0);
  free(big);
  sl_capture_stop(cap);
}

/* A clock that moves on by one microsecond at each call, from every thread. Now and then
   the calling thread is delayed right after reading it, as a thread preempted just after
   clock_gettime would be: the other thread meanwhile queues later records, and the merge
   must still not write them before the delayed one. */
static _Atomic uint64_t ticks;
static uint64_t ticking_clock(void) {
  uint64_t tick = atomic_fetch_add(&ticks, 1);
  if (tick % 1000 == 500) nanosleep(&(struct timespec){0, 300 * 1000}, NULL);
  return EXACT_SECOND * 1000000000ull + tick * 1000ull;
}

#define MERGE_PER_THREAD 10000
static pthread_barrier_t merge_start;

static void *merge_producer(void *arg) {
  int k = (int)(intptr_t)arg;
  pthread_barrier_wait(&merge_start);
  for (long i = 0; i < MERGE_PER_THREAD; i++) log_info("merge", "thread", k, "seq", i);
  return NULL;
}

/* Two threads log at once with a clock that moves on at every call; returns how many
   times a timestamp in the output is earlier than the one before it. */
static long merge_round(size_t queue_bytes) {
  sl_set_queue_bytes(queue_bytes); /* for the producers' queues, made at their first record */
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  CHECK(cap != NULL);
  if (!cap) return -1;
  atomic_store(&ticks, 0);
  sl_set_clock(ticking_clock);
  pthread_barrier_init(&merge_start, NULL, 2);
  pthread_t t[2];
  for (int k = 0; k < 2; k++) pthread_create(&t[k], NULL, merge_producer, (void *)(intptr_t)k);
  for (int k = 0; k < 2; k++) pthread_join(t[k], NULL);
  pthread_barrier_destroy(&merge_start);
  size_t n = sl_capture_count(cap);
  sl_set_clock(NULL);
  sl_set_queue_bytes(256 * 1024);
  CHECK_INT(n, 2 * MERGE_PER_THREAD);

  char prev[64] = "";
  long next_seq[2] = {0, 0}, back = 0, disorder = 0;
  for (size_t i = 0; i < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    const char *ts = doc_str(d, "timestamp");
    long k = doc_long(d, "thread"), seq = doc_long(d, "seq");
    if (!ts || strcmp(ts, prev) < 0) {
      if (back++ < 3)
        fprintf(stderr, "queues of %zu bytes: line %zu: timestamp %s after %s\n", queue_bytes, i,
                ts ? ts : "(none)", prev);
    }
    if (ts) snprintf(prev, sizeof prev, "%s", ts);
    if (k < 0 || k > 1 || seq != next_seq[k]) disorder++;
    else next_seq[k]++;
    jl_free(d);
  }
  CHECK_INT(disorder, 0); /* each thread's own records in order */
  sl_capture_stop(cap);
  return back;
}

/* Records of two threads are merged by timestamp: with a clock that increases at every
   call, the timestamps in the output never go back. With the default queues, and with
   4 KiB queues, where the producers often wait for room. */
static void two_threads_are_merged_in_timestamp_order(void) {
  long back_default = merge_round(256 * 1024);
  long back_small = merge_round(4096);
  CHECK_INT(back_default, 0);
  CHECK_INT(back_small, 0);
}

/* Threads of this process named `name` (/proc/self/task/<tid>/comm). */
static int threads_named(const char *name) {
  DIR *dir = opendir("/proc/self/task");
  if (!dir) return -1;
  int n = 0;
  for (struct dirent *e; (e = readdir(dir)) != NULL;) {
    if (e->d_name[0] == '.') continue;
    char path[300], comm[32] = {0};
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    if (fgets(comm, sizeof comm, f)) comm[strcspn(comm, "\n")] = 0;
    fclose(f);
    n += strcmp(comm, name) == 0;
  }
  closedir(dir);
  return n;
}

/* spanlog runs two threads of its own, named for top -H and gdb: the backend and its
   writer (sl_shutdown ends both: see the next test). */
static void two_named_threads_do_the_work(void) {
  log_info("threads");
  sl_flush();
  CHECK_INT(threads_named("spanlog"), 1);
  CHECK_INT(threads_named("spanlog-writer"), 1);
}

static void *log_after_shutdown(void *arg) {
  long base = (long)(intptr_t)arg;
  for (long i = 0; i < 100; i++) log_info("late", "seq", base + i);
  return NULL;
}

/* Run last. sl_shutdown writes everything out; records made afterwards are written
   synchronously (they are in the file when the call returns, without a flush), in order,
   from any thread; a second sl_shutdown and sl_flush are harmless. */
static void logging_goes_on_synchronously_after_shutdown(void) {
  char path[128];
  in_dir(path, sizeof path, "shutdown.jsonl");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  CHECK(s != NULL);
  if (!s) return;
  for (long i = 0; i < 1000; i++) log_info("late", "seq", i);
  sl_shutdown();
  EXPECT_FILE(path, "late", 0, 1000);
  CHECK_INT(threads_named("spanlog"), 0);
  CHECK_INT(threads_named("spanlog-writer"), 0);

  for (long i = 1000; i < 1100; i++) {
    log_info("late", "seq", i);
    if (i % 25 == 0) EXPECT_FILE(path, "late", 0, i + 1); /* there already */
  }
  EXPECT_FILE(path, "late", 0, 1100);
  sl_shutdown();
  pthread_t t;
  CHECK_INT(pthread_create(&t, NULL, log_after_shutdown, (void *)(intptr_t)1100), 0);
  pthread_join(t, NULL);
  EXPECT_FILE(path, "late", 0, 1200);
  sl_flush();
  for (long i = 1200; i < 1300; i++) log_info("late", "seq", i);
  sl_flush();
  EXPECT_FILE(path, "late", 0, 1300);

  /* Sinks can still be added and removed. */
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  CHECK(cap != NULL);
  log_info("late", "seq", 1300L);
  CHECK_INT(cap ? sl_capture_count(cap) : 0, 1);
  if (cap) sl_capture_stop(cap);
  sl_sink_remove(s);
  log_info("late", "seq", 1301L); /* no sink: goes nowhere */
  EXPECT_FILE(path, "late", 0, 1301);
}

int main(void) {
  if (!tmpdir_make("lifecycle")) return perror("mkdtemp"), 1;
  /* Before the first record: a zone far from UTC (a POSIX rule if tzdata is missing). */
  setenv("TZ", access("/usr/share/zoneinfo/Asia/Kolkata", R_OK) == 0 ? "Asia/Kolkata" : "IST-5:30", 1);
  tzset();
  CHECK_INT(sl_set_levels("debug"), 0);
  RUN(the_default_stdout_sink_gives_way_to_the_first_sink_from_code);
  RUN(flush_returns_with_every_earlier_record_in_the_file);
  RUN(a_thread_exiting_right_after_logging_loses_nothing);
  RUN(capture_api_behaves_as_documented);
  RUN(timestamps_are_utc_with_six_decimals);
  RUN(one_threads_records_keep_their_order);
  RUN(two_threads_are_merged_in_timestamp_order);
  RUN(two_named_threads_do_the_work);
  RUN(logging_goes_on_synchronously_after_shutdown);
  return tmpdir_done(check_exit());
}
