/* Sampling with OTEL_TRACES_SAMPLER=parentbased_always_off (set by tests/meson.build):
 * root spans are never written; a trace continued from a sampled traceparent is, with
 * its local descendants; one continued from an unsampled traceparent is not. Judged from
 * the span lines. */
#define SPANLOG_LOGGER "sampling"
#include <spanlog.h>
#include <spanlog/testing.h>

#include "spanlines.h"

static sl_capture *cap;

static void read_capture(doc_list *spans, doc_list *logs) {
  size_t n = sl_capture_count(cap);
  for (size_t i = 0; i < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    if (d) docs_push(is_span(d) ? spans : logs, d);
  }
  sl_capture_clear(cap);
}

/* The flags of s's traceparent: "00" to "03" (or "" if there is none). */
static const char *flags_of(sl_span *s, char tp[56]) {
  return sl_traceparent_format(s, tp) == 55 ? tp + 53 : "";
}

#define ROOTS 200

static void roots_are_not_written(void) {
  char roots[ROOTS][17], traces[ROOTS][33];
  for (int i = 0; i < ROOTS; i++) {
    sl_span *root = sl_span_start("root", "i", i);
    CHECK_INT(sl_span_ids(root, traces[i], roots[i]), 0);
    CHECK_INT(sl_span_is_sampled(root), 0);
    char tp[56];
    CHECK_STR(flags_of(root, tp), "02"); /* not sampled; random: a trace id made here */
    log_info("in.root", "i", i);
    sl_span *child = sl_span_start("child"); /* a local parent that is not sampled */
    CHECK_INT(sl_span_is_sampled(child), 0);
    CHECK_STR(flags_of(child, tp), "02");
    sl_span_end(child);
    sl_span_end(root);
  }
  doc_list spans = {0}, logs = {0};
  read_capture(&spans, &logs);
  CHECK_INT(spans.n, 0);
  /* their log records are kept, with their ids */
  CHECK_INT(logs.n, ROOTS);
  for (size_t k = 0; k < logs.n; k++) {
    long i = doc_long(logs.d[k], "i");
    if (i < 0 || i >= ROOTS) {
      FAIL("log record without its index");
      continue;
    }
    CHECK_STR(doc_str(logs.d[k], "trace_id"), traces[i]);
    CHECK_STR(doc_str(logs.d[k], "span_id"), roots[i]);
  }
  docs_free(&spans);
  docs_free(&logs);
}

typedef struct continued {
  const char *traceparent;
  int sampled;
  const char *flags; /* of the children's traceparent: sampled as decided, random as received */
  char child[17], grandchild[17];
} continued;

static void the_remote_parent_decides(void) {
  continued cases[] = {
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", 1, "01", "", ""},
      {"00-5bf92f3577b34da6a3ce929d0e0e4736-10f067aa0ba902b7-00", 0, "00", "", ""},
      {"00-6bf92f3577b34da6a3ce929d0e0e4736-20f067aa0ba902b7-03", 1, "03", "", ""}, /* the random bit is kept */
      {"00-7bf92f3577b34da6a3ce929d0e0e4736-30f067aa0ba902b7-02", 0, "02", "", ""},
  };
  enum { N = sizeof cases / sizeof cases[0] };
  for (size_t i = 0; i < N; i++) {
    continued *c = &cases[i];
    sl_context *ctx = sl_context_new();
    sl_context *prev = sl_context_swap(ctx);
    CHECK_INT(sl_trace_continue(c->traceparent, NULL), 0);
    char tp[56], trace[33];
    sl_span *child = sl_span_start_kind(SL_SPAN_SERVER, "continued", "case", (int64_t)i);
    CHECK_INT(sl_span_ids(child, trace, c->child), 0);
    CHECK(strncmp(trace, c->traceparent + 3, 32) == 0);
    if (sl_span_is_sampled(child) != c->sampled)
      FAIL("%s: child sampled %d, want %d", c->traceparent, sl_span_is_sampled(child), c->sampled);
    CHECK_STR(flags_of(child, tp), c->flags);
    sl_span *grandchild = sl_span_start("grandchild", "case", (int64_t)i); /* a local parent decides */
    CHECK_INT(sl_span_ids(grandchild, trace, c->grandchild), 0);
    if (sl_span_is_sampled(grandchild) != c->sampled)
      FAIL("%s: grandchild sampled %d, want %d", c->traceparent, sl_span_is_sampled(grandchild), c->sampled);
    CHECK_STR(flags_of(grandchild, tp), c->flags);
    sl_span_end(grandchild);
    sl_span_end(child);
    sl_context_swap(prev);
    sl_context_free(ctx);
  }
  doc_list spans = {0}, logs = {0};
  read_capture(&spans, &logs);
  int seen_child[N] = {0}, seen_grand[N] = {0};
  for (size_t k = 0; k < spans.n; k++) {
    const jl_doc *d = spans.d[k];
    jl_doc *attrs = sub_object(d, "attributes");
    long i = doc_long(attrs, "case");
    jl_free(attrs);
    const char *name = doc_str(d, "name");
    if (i < 0 || i >= N || !name) {
      FAIL("span line without its case or name");
      continue;
    }
    continued *c = &cases[i];
    CHECK(doc_str(d, "trace_id") && strncmp(doc_str(d, "trace_id"), c->traceparent + 3, 32) == 0);
    if (strcmp(name, "continued") == 0) {
      seen_child[i]++;
      CHECK_STR(doc_str(d, "span_id"), c->child);
      char remote[17];
      snprintf(remote, sizeof remote, "%.16s", c->traceparent + 36);
      CHECK_STR(doc_str(d, "parent_span_id"), remote);
      CHECK_STR(doc_str(d, "kind"), "server");
    } else if (strcmp(name, "grandchild") == 0) {
      seen_grand[i]++;
      CHECK_STR(doc_str(d, "span_id"), c->grandchild);
      CHECK_STR(doc_str(d, "parent_span_id"), c->child);
    } else {
      FAIL("unexpected span line %s", name);
    }
  }
  for (size_t i = 0; i < N; i++) {
    if (seen_child[i] != cases[i].sampled || seen_grand[i] != cases[i].sampled)
      FAIL("%s: %d child and %d grandchild lines, want %d each", cases[i].traceparent, seen_child[i], seen_grand[i],
           cases[i].sampled);
  }
  docs_free(&spans);
  docs_free(&logs);
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(roots_are_not_written);
  RUN(the_remote_parent_decides);
  RUN(roots_are_not_written); /* a continued trace in another context changed nothing here */
  sl_capture_stop(cap);
  return check_exit();
}
