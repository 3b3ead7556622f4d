/* Sampling with OTEL_TRACES_SAMPLER=traceidratio, OTEL_TRACES_SAMPLER_ARG=0.25 (set by
 * tests/meson.build): which spans are written, judged from the span lines against
 * OpenTelemetry's TraceIdRatioBased rule computed here, independently of spanlog:
 * sampled iff the low 64 bits of the trace id (bytes 8..15, big-endian) are below
 * round(0.25 * 2^64) = 2^62. Sampling never drops a log record. */
#define SPANLOG_LOGGER "sampling"
#include <math.h>
#include <spanlog.h>

#include "spanlines.h"

#define ROOTS 20000
#define BOUND ((uint64_t)1 << 62) /* round(0.25 * 2^64) */

static sink_file out; /* the records, read back from a file */

typedef struct made {
  char trace[33], root[17], child[17];
  int root_sampled, child_sampled;
  int root_lines, child_lines; /* span lines seen */
  int root_logs, child_logs;   /* log records seen */
} made;

static made runs[ROOTS];

/* A span id and where it was made, for looking span lines up. */
typedef struct id_entry {
  const char *id; /* first member: cmp_str_ptr compares it */
  size_t run;
  int is_child;
} id_entry;

static id_entry ids[2 * ROOTS];

/* OpenTelemetry's TraceIdRatioBased decision, from the hex text of the trace id. */
static int otel_keeps(const char *trace_hex) {
  uint8_t id[16];
  if (hex_bytes(trace_hex, id, 16)) return -1;
  uint64_t low = 0;
  for (int i = 8; i < 16; i++) low = low << 8 | id[i];
  return low < BOUND;
}

static const id_entry *find_id(const char *id) {
  id_entry key = {id, 0, 0};
  return bsearch(&key, ids, 2 * ROOTS, sizeof ids[0], cmp_str_ptr);
}

/* Reads what was written since the last call into spans and logs. */
static void read_capture(doc_list *spans, doc_list *logs) { SINK_FILE_READ(&out, spans, logs); }

/* The traceparent's flags: the sampled bit (0x01) agrees with the sampled flag; the random
   bit (0x02) is set on a trace id made here and kept as received on a continued one. */
static void check_traceparent(sl_span *s, const char *trace, const char *span, int sampled, int random) {
  char tp[56], want[200]; /* room for ids of any length: a wrong one shows whole */
  size_t n = sl_traceparent_format(s, tp);
  snprintf(want, sizeof want, "00-%s-%s-%02x", trace, span, (sampled ? 0x01u : 0u) | (random ? 0x02u : 0u));
  if (n != 55 || strcmp(tp, want) != 0) FAIL("traceparent %s (%zu), want %s", n ? tp : "(none)", n, want);
}

static void traceidratio_decides_by_the_low_64_bits(void) {
  for (size_t i = 0; i < ROOTS; i++) {
    made *m = &runs[i];
    sl_span *root = sl_span_start("root", "run", (int64_t)i);
    char span[17];
    if (sl_span_ids(root, m->trace, m->root)) {
      FAIL("run %zu: sl_span_ids of a live root failed", i);
      continue;
    }
    m->root_sampled = sl_span_is_sampled(root);
    int keeps = otel_keeps(m->trace);
    if (keeps < 0) FAIL("run %zu: trace id %s is not 32 lower-case hex digits", i, m->trace);
    if (m->root_sampled != keeps)
      FAIL("run %zu: trace %s: sl_span_is_sampled %d, OpenTelemetry's rule %d", i, m->trace, m->root_sampled, keeps);
    check_traceparent(root, m->trace, m->root, m->root_sampled, 1);
    log_info("in.root", "run", (int64_t)i);

    /* traceidratio ignores the parent: the child is decided by the same trace id */
    sl_span *child = sl_span_start("child", "run", (int64_t)i);
    char trace[33];
    if (sl_span_ids(child, trace, span)) {
      FAIL("run %zu: sl_span_ids of a live child failed", i);
    } else {
      CHECK_STR(trace, m->trace);
      memcpy(m->child, span, sizeof span);
      m->child_sampled = sl_span_is_sampled(child);
      if (m->child_sampled != m->root_sampled)
        FAIL("run %zu: child sampled %d under a root sampled %d", i, m->child_sampled, m->root_sampled);
      check_traceparent(child, m->trace, m->child, m->child_sampled, 1);
    }
    log_info("in.child", "run", (int64_t)i);
    sl_span_end(child);
    sl_span_end(root);
  }
  CHECK(sl_span_current() == NULL);

  for (size_t i = 0; i < ROOTS; i++) {
    ids[2 * i] = (id_entry){runs[i].root, i, 0};
    ids[2 * i + 1] = (id_entry){runs[i].child, i, 1};
  }
  qsort(ids, 2 * ROOTS, sizeof ids[0], cmp_str_ptr);

  doc_list spans = {0}, logs = {0};
  read_capture(&spans, &logs);

  for (size_t k = 0; k < spans.n; k++) {
    const jl_doc *d = spans.d[k];
    const char *span = doc_str(d, "span_id"), *trace = doc_str(d, "trace_id"), *name = doc_str(d, "name");
    const id_entry *e = span ? find_id(span) : NULL;
    if (!e) {
      FAIL("a span line with an unknown span_id %s", span ? span : "(none)");
      continue;
    }
    made *m = &runs[e->run];
    CHECK_STR(trace, m->trace);
    if (otel_keeps(trace ? trace : "") != 1) FAIL("span %s of trace %s written, but OpenTelemetry drops it", span, trace);
    if (e->is_child) {
      m->child_lines++;
      CHECK_STR(name, "child");
      CHECK_STR(doc_str(d, "parent_span_id"), m->root);
    } else {
      m->root_lines++;
      CHECK_STR(name, "root");
      CHECK_INT(doc_type(d, "parent_span_id"), JL_NULL);
    }
  }

  /* each run's spans are written once if OpenTelemetry keeps its trace, else never */
  size_t written = 0, bad = 0;
  for (size_t i = 0; i < ROOTS; i++) {
    made *m = &runs[i];
    int keeps = otel_keeps(m->trace);
    written += m->root_lines == 1;
    if (m->root_lines != keeps || m->child_lines != keeps) {
      if (bad++ < 10)
        FAIL("run %zu: trace %s: %d root and %d child lines, want %d of each", i, m->trace, m->root_lines,
             m->child_lines, keeps);
    }
  }
  CHECK_INT(bad, 0);
  CHECK_INT(spans.n, 2 * written);

  /* about a quarter of random trace ids are kept: within 5 sigma of 25 % */
  double expect = ROOTS * 0.25, sigma = sqrt(ROOTS * 0.25 * 0.75);
  if (fabs((double)written - expect) > 5 * sigma)
    FAIL("%zu of %d roots written: more than 5 sigma (%.0f) from %.0f", written, ROOTS, 5 * sigma, expect);

  /* sampling never drops a log record, and each carries its span's ids */
  CHECK_INT(logs.n, 2 * ROOTS);
  for (size_t k = 0; k < logs.n; k++) {
    const jl_doc *d = logs.d[k];
    long run = doc_long(d, "run");
    const char *event = doc_str(d, "event");
    if (run < 0 || run >= ROOTS || !event) {
      FAIL("log record without its run or event");
      continue;
    }
    made *m = &runs[run];
    int in_child = strcmp(event, "in.child") == 0;
    CHECK_STR(doc_str(d, "trace_id"), m->trace);
    CHECK_STR(doc_str(d, "span_id"), in_child ? m->child : m->root);
    if (in_child) m->child_logs++;
    else m->root_logs++;
  }
  size_t unsampled_logged = 0;
  for (size_t i = 0; i < ROOTS; i++) {
    if (runs[i].root_logs != 1 || runs[i].child_logs != 1) {
      FAIL("run %zu: %d root and %d child log records, want 1 each", i, runs[i].root_logs, runs[i].child_logs);
      break;
    }
    unsampled_logged += !runs[i].root_sampled;
  }
  CHECK(unsampled_logged > 0); /* the logs above did include unsampled spans' records */
  docs_free(&spans);
  docs_free(&logs);
}

/* At the bound itself, with trace ids chosen here: bytes 8..15 big-endian against 2^62,
   and the parent's sampled flag ignored (traceidratio is not parent-based). */
static void the_bound_is_two_to_the_62(void) {
  static const struct {
    const char *traceparent;
    int sampled;
  } cases[] = {
      {"00-000000000000000a3fffffffffffffff-00f067aa0ba902b7-00", 1}, /* 2^62 - 1: kept, parent unsampled */
      {"00-000000000000000a4000000000000000-00f067aa0ba902b7-01", 0}, /* 2^62: dropped, parent sampled */
      {"00-ffffffffffffffff0000000000000000-00f067aa0ba902b7-00", 1}, /* high bytes do not count */
      {"00-00000000000000000000000000000001-00f067aa0ba902b7-01", 1}, /* low 64 bits = 1 */
      {"00-0000000000000001ffffffffffffffff-00f067aa0ba902b7-01", 0},
      {"00-00000000000000003f00000000000000-00f067aa0ba902b7-00", 1}, /* big-endian: 0x3f.. < 2^62 */
      {"00-00000000000000000000000000000040-00f067aa0ba902b7-01", 1}, /* little-endian would drop it */
      {"00-000000000000000000000000000000ff-00f067aa0ba902b7-01", 1},
      {"00-0000000000000000ff00000000000000-00f067aa0ba902b7-01", 0},
  };
  enum { N = sizeof cases / sizeof cases[0] };
  char span_ids[N][17];
  for (size_t i = 0; i < N; i++) {
    sl_context *ctx = sl_context_new();
    sl_context *prev = sl_context_swap(ctx);
    CHECK_INT(sl_trace_continue(cases[i].traceparent, NULL), 0);
    sl_span *s = sl_span_start("bound", "case", (int64_t)i);
    char trace[33];
    span_ids[i][0] = 0;
    if (sl_span_ids(s, trace, span_ids[i]) == 0) {
      CHECK(strncmp(trace, cases[i].traceparent + 3, 32) == 0);
      CHECK_INT(otel_keeps(trace), cases[i].sampled); /* the rule of this file agrees */
      if (sl_span_is_sampled(s) != cases[i].sampled)
        FAIL("%s: sl_span_is_sampled %d, want %d", cases[i].traceparent, sl_span_is_sampled(s), cases[i].sampled);
      check_traceparent(s, trace, span_ids[i], cases[i].sampled, 0); /* no case sets the random bit */
    } else {
      FAIL("sl_span_ids failed");
    }
    sl_span_end(s);
    sl_context_swap(prev);
    sl_context_free(ctx);
  }
  doc_list spans = {0}, logs = {0};
  read_capture(&spans, &logs);
  int seen[N] = {0};
  for (size_t k = 0; k < spans.n; k++) {
    jl_doc *attrs = sub_object(spans.d[k], "attributes");
    long c = doc_long(attrs, "case");
    jl_free(attrs);
    if (c < 0 || c >= N) {
      FAIL("span line without its case");
      continue;
    }
    seen[c]++;
    CHECK_STR(doc_str(spans.d[k], "span_id"), span_ids[c]);
    CHECK_STR(doc_str(spans.d[k], "parent_span_id"), "00f067aa0ba902b7");
  }
  for (size_t i = 0; i < N; i++)
    if (seen[i] != cases[i].sampled) FAIL("%s: %d span lines, want %d", cases[i].traceparent, seen[i], cases[i].sampled);
  CHECK_INT(logs.n, 0);
  docs_free(&spans);
  docs_free(&logs);
}

int main(void) {
  if (sink_file_start(&out, "sampling")) {
    perror("sink_file_start");
    return 1;
  }
  RUN(traceidratio_decides_by_the_low_64_bits);
  RUN(the_bound_is_two_to_the_62);
  sink_file_stop(&out);
  return check_exit();
}
