/* The wall clock stepping back (an NTP step, a clock set by hand) in the middle of a run,
 * simulated with sl_set_clock: no record is lost or reordered within its thread,
 * timestamps are rendered as the clock gave them, and a record stamped before the step
 * still reaches its sink while other threads go on logging (nothing waits for a wall
 * clock time that has moved away). */
#include <pthread.h>
#include <spanlog.h>
#include <spanlog/testing.h>
#include <stdatomic.h>

#include "check.h"
#include "testfiles.h"

/* The test's wall clock: 2026-03-14T10:00:00Z plus the time since the start, minus an
   hour once it has stepped back. */
#define START_NS 1773482400000000000ull
#define HOUR_NS 3600000000000ull

static double started_ms;
static atomic_ullong step_back_ns;

static uint64_t test_clock(void) {
  uint64_t since = (uint64_t)((now_ms() - started_ms) * 1e6);
  return START_NS + since - atomic_load(&step_back_ns);
}

static char path[512];
static atomic_int stop_logging;

/* Logs as fast as it can until told to stop, so that every pass of the backend finds
   records of this thread stamped after the step: debug records, which the file's sink
   (info) leaves out, and every 4096th an "other" record, numbered, that it writes. */
static void *keep_logging(void *unused) {
  (void)unused;
  for (long i = 0; !atomic_load(&stop_logging); i++) {
    if (i % 4096 == 0) log_info("other", "seq", i / 4096);
    else log_debug("other.fast", "i", i);
  }
  return NULL;
}

/* Whether the file holds the record of event `event` with this seq. The file is read
   while it is written: a last line without its newline is still being written (a read
   can see part of a write), and is left for the next look. */
static int file_has(const char *event, long seq) {
  text t = read_text(path);
  int found = 0;
  size_t whole = t.torn && t.n > 0 ? t.n - 1 : t.n;
  for (size_t i = 0; i < whole && !found; i++) {
    jl_doc *d = PARSE(t.line[i]);
    const char *ev = doc_str(d, "event");
    found = ev && strcmp(ev, event) == 0 && doc_long(d, "seq") == seq;
    jl_free(d);
  }
  text_free(&t);
  return found;
}

/* Each round: this thread logs, the clock steps back right after its last record (before
   the backend's next pass, as a rule), and another thread logs on in the earlier hour. The
   last record stamped before the step must appear while the other thread still logs. */
static void a_record_stamped_before_the_step_is_not_held_back(void) {
  for (int round = 0; round < 3; round++) {
    atomic_store(&stop_logging, 0);
    pthread_t other;
    CHECK(pthread_create(&other, NULL, keep_logging, NULL) == 0);
    sleep_ms(20);
    long first = round * 1000;
    for (long i = first; i < first + 1000; i++) log_info("main", "seq", i);
    atomic_fetch_add(&step_back_ns, HOUR_NS);
    double stepped = now_ms(), deadline = stepped + 5000; /* far beyond the promised 100 ms */
    int seen = 0;
    while (!(seen = file_has("main", first + 999)) && now_ms() < deadline) sleep_ms(5);
    fprintf(stderr, "round %d: the last record before the step written within %.0f ms\n", round, now_ms() - stepped);
    atomic_store(&stop_logging, 1);
    pthread_join(other, NULL);
    CHECK_MSG(seen, "round %d: the record stamped before the step stayed queued while another thread logged", round);
    sl_flush();
  }
}

/* After the rounds: every "main" record once and in order, "other" records in order
   within each round, and timestamps as the clock gave them (each round an hour earlier
   than the one before). */
static void records_keep_their_order_and_their_timestamps(void) {
  text t = read_text(path);
  long next_main = 0, prev_other = -1;
  char hour_of_round[3][32] = {"2026-03-14T10:", "2026-03-14T09:", "2026-03-14T08:"};
  CHECK(!t.torn);
  for (size_t i = 0; i < t.n; i++) {
    jl_doc *d = PARSE(t.line[i]);
    const char *ev = doc_str(d, "event"), *ts = doc_str(d, "timestamp");
    long seq = doc_long(d, "seq");
    if (ev && strcmp(ev, "main") == 0) {
      CHECK_MSG(seq == next_main, "line %zu: main seq %ld, want %ld", i, seq, next_main);
      int round = (int)(seq / 1000);
      CHECK_MSG(ts && round < 3 && strncmp(ts, hour_of_round[round], 14) == 0, "line %zu: %s in round %d", i,
                ts ? ts : "(none)", round);
      next_main = seq + 1;
    } else if (ev && strcmp(ev, "other") == 0) {
      /* a new round's thread starts at 0 again */
      CHECK_MSG(seq == 0 || seq == prev_other + 1, "line %zu: other seq %ld after %ld", i, seq, prev_other);
      prev_other = seq;
    }
    jl_free(d);
  }
  CHECK_INT(next_main, 3000);
  text_free(&t);
}

int main(void) {
  if (!tmpdir_make("clock-back")) return perror("tmpdir"), 1;
  in_dir(path, sizeof path, "clock.jsonl");
  started_ms = now_ms();
  sl_set_clock(test_clock);
  sl_set_levels("debug");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_INFO);
  CHECK(s != NULL);
  RUN(a_record_stamped_before_the_step_is_not_held_back);
  sl_sink_remove(s);
  RUN(records_keep_their_order_and_their_timestamps);
  return tmpdir_done(check_exit());
}
