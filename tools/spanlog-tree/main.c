/* spanlog-tree: traces from JSON lines, as trees, summaries, statistics, JSON or a page.
 * Options and the main loop; see DESIGN.md §Tools for the contract. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "input.h"
#include "render.h"
#include "stats.h"

/* A trace whose root has arrived is handed on after this many lines without news of it. */
#define GRACE_LINES 4096
#define MAX_OPEN_TRACES 100000
#define FOLLOW_POLL_MS 100

static const char usage_text[] =
    "usage: spanlog-tree [--trace ID] [--errors] [--slowest N] [--summary] [--stats]\n"
    "                    [--pricing FILE] [--json] [--html FILE] [--follow] [FILE...]\n"
    "Reads spanlog log and span lines and OTLP/JSON lines (no FILE or \"-\": stdin) and\n"
    "prints each trace as a tree.\n"
    "  --trace ID      only the trace with this id (32 hex digits)\n"
    "  --errors        only traces with a span in error\n"
    "  --slowest N     only the N slowest traces, slowest first\n"
    "  --summary       one line per trace: start, id, duration, spans, errors, tokens, cost\n"
    "  --stats         across traces: p50/p95/p99 per span name, tool error rates,\n"
    "                  tokens and cost per model (instead of the trees)\n"
    "  --pricing FILE  {\"models\":{\"NAME\":{\"input_per_mtok\":X,\"output_per_mtok\":Y}}}\n"
    "  --json          one JSON object per trace per line\n"
    "  --html FILE     a self-contained page with a waterfall per trace (instead of the trees)\n"
    "  --follow        keep reading files as they grow, across rotation; Ctrl-C ends\n"
    "With one input, a trace is printed once its root span has come and 4096 more lines\n"
    "passed without news of it; several files are read as one set and printed at the end.\n"
    "Colour on a terminal unless NO_COLOR is set.\n";

typedef struct options {
  const char *trace_id, *pricing_file, *html_file;
  bool errors, summary, stats, json, follow;
  size_t slowest;
  const char **files;
  size_t nfiles;
} options;

typedef struct app {
  options opt;
  pricing prices;
  render_ctx rc;
  store *st;
  ingest in;
  stats *stats;
  FILE *html;
  strbuf out;
  tree **slow; /* min-heap on duration, at most opt.slowest */
  size_t nslow;
  uint64_t skipped;
  bool show_trees;
} app;

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig) {
  (void)sig;
  stop_requested = 1;
}

static int usage_error(const char *fmt, const char *arg) {
  fputs("spanlog-tree: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\n", stderr);
  fputs(usage_text, stderr);
  return 2;
}

static bool parse_count(const char *s, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || v == 0 || v > 1000000 || s[0] == '-' || s[0] == '+') return false;
  *out = (size_t)v;
  return true;
}

/* "--name VALUE" or "--name=VALUE"; *i moves past what was used. */
static const char *option_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  if (strncmp(argv[*i], name, n) != 0) return NULL;
  if (argv[*i][n] == '=') return argv[*i] + n + 1;
  if (argv[*i][n] == 0 && *i + 1 < argc) return argv[++*i];
  return NULL;
}

static bool takes_value(const char *arg) {
  static const char *const names[] = {"--trace", "--slowest", "--pricing", "--html"};
  for (size_t k = 0; k < 4; k++) {
    size_t n = strlen(names[k]);
    if (!strncmp(arg, names[k], n) && (arg[n] == 0 || arg[n] == '=')) return true;
  }
  return false;
}

static int parse_flag(options *o, const char *a) {
  if (!strcmp(a, "--errors")) o->errors = true;
  else if (!strcmp(a, "--summary")) o->summary = true;
  else if (!strcmp(a, "--stats")) o->stats = true;
  else if (!strcmp(a, "--json")) o->json = true;
  else if (!strcmp(a, "--follow")) o->follow = true;
  else return usage_error("unknown option %s", a);
  return 0;
}

static int parse_valued(options *o, int argc, char **argv, int *i) {
  const char *a = argv[*i], *v;
  if ((v = option_value(argc, argv, i, "--trace"))) o->trace_id = v;
  else if ((v = option_value(argc, argv, i, "--pricing"))) o->pricing_file = v;
  else if ((v = option_value(argc, argv, i, "--html"))) o->html_file = v;
  else if ((v = option_value(argc, argv, i, "--slowest"))) {
    if (!parse_count(v, &o->slowest)) return usage_error("--slowest takes a count from 1 to 1000000, not \"%s\"", v);
  } else return usage_error("%s needs a value", a);
  if (!*v) return usage_error("%s needs a value", a);
  return 0;
}

/* Returns -1 to go on, or an exit status (0 after --help, 2 on a usage error). */
static int parse_args(options *o, int argc, char **argv) {
  bool only_files = false;
  o->files = calloc((size_t)argc + 1, sizeof *o->files);
  if (!o->files) return 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int rc = 0;
    if (only_files || a[0] != '-' || !strcmp(a, "-")) o->files[o->nfiles++] = a;
    else if (!strcmp(a, "--")) only_files = true;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_text, stdout);
      return 0;
    } else if (takes_value(a)) rc = parse_valued(o, argc, argv, &i);
    else rc = parse_flag(o, a);
    if (rc) return rc;
  }
  if (o->json && (o->summary || o->stats)) return usage_error("%s", "--json cannot be combined with --summary or --stats");
  return -1;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- what happens to a finished trace */

/* Writes what the buffer holds to f and empties it. */
static void put_bytes(strbuf *b, FILE *f) {
  if (b->len) fwrite(b->p, 1, b->len, f);
  b->len = 0;
}

static void write_out(app *a) {
  put_bytes(&a->out, stdout);
  if (a->opt.follow) fflush(stdout);
}

static void emit(app *a, tree *tr) {
  a->out.len = 0;
  if (a->opt.json) render_json(&a->rc, tr, &a->out);
  else if (a->opt.summary) render_summary_line(&a->rc, tr, &a->out);
  else if (a->show_trees) render_tree_text(&a->rc, tr, &a->out);
  write_out(a);
  if (a->html) {
    render_html_trace(&a->rc, tr, &a->out);
    put_bytes(&a->out, a->html);
    if (a->opt.follow) fflush(a->html);
  }
}

static void heap_sift_down(tree **h, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && h[l]->dur_ms < h[m]->dur_ms) m = l;
    if (r < n && h[r]->dur_ms < h[m]->dur_ms) m = r;
    if (m == i) return;
    tree *t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

/* Keeps the N slowest: memory for N traces, whatever the input. */
static void keep_if_slow(app *a, tree *tr) {
  if (a->nslow < a->opt.slowest) {
    size_t i = a->nslow++;
    a->slow[i] = tr;
    while (i && a->slow[(i - 1) / 2]->dur_ms > a->slow[i]->dur_ms) {
      tree *t = a->slow[i];
      a->slow[i] = a->slow[(i - 1) / 2];
      a->slow[(i - 1) / 2] = t;
      i = (i - 1) / 2;
    }
  } else if (tr->dur_ms > a->slow[0]->dur_ms) {
    tree_free(a->slow[0]);
    a->slow[0] = tr;
    heap_sift_down(a->slow, a->nslow, 0);
  } else {
    tree_free(tr);
  }
}

static void on_trace(trace *t, void *ctx) {
  app *a = ctx;
  tree *tr = tree_build(t, &a->prices);
  if (a->opt.errors && !tr->errors) {
    tree_free(tr);
    return;
  }
  if (a->stats) stats_add(a->stats, tr);
  if (a->opt.slowest) {
    keep_if_slow(a, tr);
    return;
  }
  emit(a, tr);
  tree_free(tr);
}

static int slower_first(const void *x, const void *y) {
  double a = (*(tree *const *)x)->dur_ms, b = (*(tree *const *)y)->dur_ms;
  return a > b ? -1 : a < b;
}

static void emit_slowest(app *a) {
  if (a->nslow > 1) qsort(a->slow, a->nslow, sizeof *a->slow, slower_first);
  for (size_t i = 0; i < a->nslow; i++) {
    emit(a, a->slow[i]);
    tree_free(a->slow[i]);
  }
  a->nslow = 0;
}

/* ---- reading */

static void on_line(void *ctx, char *line, size_t len) {
  app *a = ctx;
  a->in.line++;
  if (!line) {
    a->skipped++;
    return;
  }
  if (len && line[len - 1] == '\r') line[--len] = 0;
  size_t k = 0;
  while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
  if (k == len) return; /* blank lines are no records and no errors */
  if (!ingest_line(&a->in, line, len)) a->skipped++;
  if ((a->in.line & 255) == 0) store_tick(a->st, a->in.line, a->in.now);
}

static void report_error(const char *path, int err) {
  fprintf(stderr, "spanlog-tree: %s: %s\n", path ? path : "(stdin)", strerror(err));
}

static bool read_to_end(app *a, source *s) {
  long n;
  while ((n = source_pump(s, on_line, a)) > 0 || (n == 0 && !s->regular && !s->closed)) {
  }
  if (n < 0) {
    report_error(s->path, errno);
    return false;
  }
  source_finish(s, on_line, a);
  return true;
}

static bool follow_round(app *a, source *srcs, size_t n) {
  bool got = false, open = false;
  for (size_t i = 0; i < n; i++) {
    source *s = &srcs[i];
    if (s->fd < 0 || s->closed) continue;
    open = true;
    while (!stop_requested && source_wait(s, 0) && source_pump(s, on_line, a) > 0) got = true;
    if (s->closed) source_finish(s, on_line, a);
    else if (source_check_rotation(s, on_line, a)) got = true;
  }
  a->in.now = now_seconds();
  store_tick(a->st, a->in.line, a->in.now);
  if (!got && open && !stop_requested) {
    struct timespec ts = {0, FOLLOW_POLL_MS * 1000000L};
    if (n == 1 && !srcs[0].regular) source_wait(&srcs[0], FOLLOW_POLL_MS);
    else nanosleep(&ts, NULL);
  }
  return open;
}

/* Returns how many sources could be opened and read. */
static size_t read_all(app *a) {
  size_t n = a->opt.nfiles ? a->opt.nfiles : 1, ok = 0;
  source *srcs = calloc(n, sizeof *srcs);
  if (!srcs) return 0;
  for (size_t i = 0; i < n; i++) {
    const char *path = a->opt.nfiles ? a->opt.files[i] : NULL;
    if (source_open(&srcs[i], path) != 0) {
      report_error(path, errno);
      srcs[i].fd = -1;
      continue;
    }
    if (a->opt.follow || read_to_end(a, &srcs[i])) ok++;
    if (!a->opt.follow) source_close(&srcs[i]);
  }
  while (a->opt.follow && ok && !stop_requested && follow_round(a, srcs, n)) {
  }
  for (size_t i = 0; i < n; i++) {
    if (a->opt.follow && srcs[i].fd >= 0) source_finish(&srcs[i], on_line, a);
    source_close(&srcs[i]);
  }
  free(srcs);
  return ok;
}

/* ---- set-up */

static int setup(app *a) {
  const options *o = &a->opt;
  char err[512];
  const char *no_color = getenv("NO_COLOR");
  if (o->pricing_file && pricing_load(&a->prices, o->pricing_file, err, sizeof err) != 0) {
    fprintf(stderr, "spanlog-tree: --pricing %s\n", err);
    return 2;
  }
  ingest_init(&a->in, NULL);
  if (o->trace_id && !hex_decode(o->trace_id, strlen(o->trace_id), a->in.only, 16))
    return usage_error("--trace takes a trace id of 32 hex digits, not \"%s\"", o->trace_id);
  a->in.has_only = o->trace_id != NULL;
  a->show_trees = !o->json && !o->summary && !o->stats && !o->html_file;
  a->in.keep_detail = a->show_trees || o->json || o->html_file;
  a->rc.color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
  a->rc.prices = &a->prices;
  jparser_init(&a->rc.jp);
  store_policy policy = {o->nfiles <= 1 ? GRACE_LINES : 0, o->follow ? 1.0 : 0, o->follow ? 30.0 : 0,
                         MAX_OPEN_TRACES};
  a->st = store_new(policy, on_trace, a);
  a->in.st = a->st;
  if (o->stats) a->stats = stats_new();
  if (o->slowest) a->slow = calloc(o->slowest, sizeof *a->slow);
  if (o->html_file && !(a->html = fopen(o->html_file, "w"))) {
    fprintf(stderr, "spanlog-tree: --html %s: %s\n", o->html_file, strerror(errno));
    return 1;
  }
  if (a->html) {
    render_html_head(&a->out);
    put_bytes(&a->out, a->html);
  }
  return 0;
}

static void finish(app *a) {
  store_drain(a->st);
  emit_slowest(a);
  if (a->stats) {
    stats_render(a->stats, &a->rc, &a->out);
    write_out(a);
  }
  if (a->html) {
    render_html_tail(&a->out);
    put_bytes(&a->out, a->html);
    if (fclose(a->html) != 0) fprintf(stderr, "spanlog-tree: --html %s: %s\n", a->opt.html_file, strerror(errno));
  }
  fflush(stdout);
  if (a->skipped) fprintf(stderr, "spanlog-tree: skipped %llu lines\n", (unsigned long long)a->skipped);
}

static void teardown(app *a) {
  store_free(a->st);
  ingest_fini(&a->in);
  jparser_free(&a->rc.jp);
  stats_free(a->stats);
  pricing_free(&a->prices);
  free(a->slow);
  free(a->opt.files);
  sb_free(&a->out);
}

static void catch_stop_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop; /* no SA_RESTART: a blocked read returns and the loop ends */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

int main(int argc, char **argv) {
  static app a;
  int rc = parse_args(&a.opt, argc, argv);
  if (rc < 0) rc = setup(&a);
  else if (rc == 0) rc = -2; /* --help: done, successfully */
  if (rc != 0) {
    teardown(&a);
    return rc == -2 ? 0 : rc;
  }
  if (a.opt.follow) catch_stop_signals();
  a.in.now = now_seconds();
  size_t ok = read_all(&a);
  finish(&a);
  teardown(&a);
  return ok ? 0 : 1;
}
