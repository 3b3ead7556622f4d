/* No heap allocation per record in the steady state. This program replaces malloc,
 * calloc, realloc, free, aligned_alloc, posix_memalign and memalign (forwarding to
 * glibc's __libc_* entry points) and counts every allocation made by any thread while
 * counting is on. After a warm-up (the first records start the backend, create the queue
 * and grow the buffers), 200,000 records of the benchmark's workload go to a file sink in
 * batches with sl_flush between them: the count must be 0. A non-zero count prints the
 * backtraces of the first allocations.
 *
 * A sanitizer that replaces malloc itself (ASan, TSan, MSan) cannot run this: the program
 * exits 77, which meson reports as a skip. */
#define SPANLOG_LOGGER "agent"
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <spanlog.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "capture/context.h" /* sl_context_set_span_ids: the benchmark record carries span ids */
#include "testfiles.h"

#ifndef CHECK_SANITIZED

/* External linkage: the compiler must assume any call may change them. */
_Atomic int alloc_counting;
_Atomic long alloc_count, free_count;

#define MAX_TRACES 4
#define TRACE_DEPTH 32
static void *traces[MAX_TRACES][TRACE_DEPTH];
static int trace_depth[MAX_TRACES];
static const char *trace_what[MAX_TRACES];
static size_t trace_size[MAX_TRACES];
static _Atomic int ntraces;
static _Thread_local int in_hook; /* backtrace() itself must not count or recurse */

static int alloc_hook(const char *what, size_t size) {
  if (!atomic_load_explicit(&alloc_counting, memory_order_relaxed) || in_hook) return 0;
  atomic_fetch_add(&alloc_count, 1);
  int k = atomic_fetch_add(&ntraces, 1);
  if (k < MAX_TRACES) {
    in_hook = 1;
    trace_what[k] = what;
    trace_size[k] = size;
    trace_depth[k] = backtrace(traces[k], TRACE_DEPTH);
    in_hook = 0;
  }
  return 0;
}

static void free_hook(void *p) {
  if (p && atomic_load_explicit(&alloc_counting, memory_order_relaxed)) atomic_fetch_add(&free_count, 1);
}

#include "malloc_hook.h"

/* Each trace with file:line for the frames in this executable (through addr2line, if
   installed), since its static functions have no dynamic symbols. */
static void print_traces(void) {
  int n = atomic_load(&ntraces);
  char exe[512];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[len > 0 ? len : 0] = 0;
  for (int k = 0; k < n && k < MAX_TRACES; k++) {
    fprintf(stderr, "allocation %d: %s(%zu) from\n", k + 1, trace_what[k], trace_size[k]);
    fflush(stderr);
    backtrace_symbols_fd(traces[k], trace_depth[k], 2);
    char cmd[4096];
    int used = snprintf(cmd, sizeof cmd, "addr2line -f -p -i -e '%s'", exe);
    for (int i = 0; i < trace_depth[k] && used < (int)sizeof cmd - 32; i++) {
      Dl_info info;
      if (dladdr(traces[k][i], &info) && info.dli_fname && strcmp(info.dli_fname, exe) == 0)
        used += snprintf(cmd + used, sizeof cmd - (size_t)used, " %#lx",
                         (unsigned long)((char *)traces[k][i] - (char *)info.dli_fbase - 1));
    }
    if (len > 0 && system(cmd) != 0) fprintf(stderr, "(addr2line failed)\n");
  }
}

static char path[128];
static int reader_fd = -1;
static char chunk[1 << 16];

/* Lines in the file so far (read with pread into a static buffer: no allocation), then
   truncates it to keep /tmp small; the sink opened it O_APPEND, so that is safe. */
static long take_lines(int truncate_after) {
  long lines = 0;
  off_t off = 0;
  ssize_t n;
  while ((n = pread(reader_fd, chunk, sizeof chunk, off)) > 0) {
    for (ssize_t i = 0; i < n; i++) lines += chunk[i] == '\n';
    off += n;
  }
  if (truncate_after && ftruncate(reader_fd, 0) != 0) lines = -1;
  return lines;
}

static void log_batch(int n) {
  for (int i = 0; i < n; i++) log_event("searching", "query", "Q3 invoices", "top_k", 5, "score", 0.87);
}

#define BATCHES 20
#define PER_BATCH 10000

static void steady_state_logging_does_not_allocate(void) {
  in_dir(path, sizeof path, "alloc.jsonl");
  sl_sink *s = sl_sink_add_file(path, SL_LEVEL_DEBUG);
  reader_fd = open(path, O_RDWR | O_CLOEXEC);
  CHECK(s != NULL);
  CHECK(reader_fd >= 0);
  if (!s || reader_fd < 0) return;

  /* The benchmark's record: three fields, two bound ones, the span ids. */
  log_bind("user_id", "u_8821", "agent", "research-assistant");
  uint8_t trace[16], span[8];
  for (int i = 0; i < 16; i++) trace[i] = (uint8_t)(0x8f + i);
  for (int i = 0; i < 8; i++) span[i] = (uint8_t)(0xa0 + i);
  sl_context_set_span_ids(sl_context_current(), trace, span);

  /* Warm-up, in the same shape as the measurement. */
  long warm = 0;
  for (int b = 0; b < 5; b++) {
    log_batch(PER_BATCH);
    sl_flush();
    warm += take_lines(1);
  }
  CHECK_INT(warm, 5 * PER_BATCH);
  void *probe[4];
  backtrace(probe, 4); /* loads what backtrace needs now, not inside the window */

  long lines = 0;
  atomic_store(&alloc_counting, 1);
  for (int b = 0; b < BATCHES; b++) {
    log_batch(PER_BATCH);
    sl_flush();
    lines += take_lines(b < BATCHES - 1);
  }
  atomic_store(&alloc_counting, 0);

  long allocs = atomic_load(&alloc_count), frees = atomic_load(&free_count);
  CHECK_INT(lines, BATCHES * PER_BATCH);
  CHECK_INT(allocs, 0);
  if (allocs || frees) {
    fprintf(stderr, "%ld allocations and %ld frees during %d records\n", allocs, frees,
            BATCHES * PER_BATCH);
    print_traces();
  }

  /* The records were the real thing: the last one reads back whole. */
  static char last[4096];
  off_t size = lseek(reader_fd, 0, SEEK_END);
  ssize_t n = size > 0 ? pread(reader_fd, last, sizeof last - 1,
                               size > (off_t)sizeof last - 1 ? size - (off_t)sizeof last + 1 : 0)
                       : -1;
  CHECK(n > 1 && last[n - 1] == '\n');
  if (n > 1) {
    last[n - 1] = 0;
    char *line = strrchr(last, '\n');
    line = line ? line + 1 : last;
    jl_doc *d = PARSE(line);
    CHECK_STR(doc_str(d, "event"), "searching");
    CHECK_STR(doc_str(d, "query"), "Q3 invoices");
    CHECK_STR(doc_str(d, "user_id"), "u_8821");
    CHECK_STR(doc_str(d, "span_id"), "a0a1a2a3a4a5a6a7");
    jl_free(d);
  }
  sl_context_set_span_ids(sl_context_current(), NULL, NULL);
  log_clear();
  sl_sink_remove(s);
  close(reader_fd);
  unlink(path);
}

/* The counter works: an allocation in the window is seen, and its backtrace taken. */
static void the_counter_sees_an_allocation(void) {
  long before = atomic_load(&alloc_count);
  atomic_store(&alloc_counting, 1);
  char *volatile p = malloc(100);
  atomic_store(&alloc_counting, 0);
  free(p);
  CHECK_INT(atomic_load(&alloc_count) - before, 1);
  atomic_store(&alloc_count, before);
  atomic_store(&free_count, 0); /* backtrace() may have freed while loading its library */
  atomic_store(&ntraces, 0);
}

int main(void) {
  if (!tmpdir_make("alloc")) return perror("mkdtemp"), 1;
  RUN(the_counter_sees_an_allocation);
  RUN(steady_state_logging_does_not_allocate);
  tmpdir_remove();
  return check_exit();
}

#else

int main(void) {
  fprintf(stderr, "skipped: a sanitizer replaces malloc, so allocations cannot be counted\n");
  return 77;
}

#endif
