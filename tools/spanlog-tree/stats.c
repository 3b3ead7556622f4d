/* Aggregates for --stats. */
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Durations in microseconds. Up to 255 us every value has its own bucket; above, each
 * power of two splits into 128 buckets. A bucket keeps its count and its sum, and a
 * percentile reports the mean of its bucket: exact when the bucket holds one value. */
#define SUB_BITS 7
#define SUB (1 << SUB_BITS)
#define CHUNKS 64

typedef struct {
  uint64_t count;
  double sum;
} bucket;

typedef struct {
  bucket *chunk[CHUNKS];
  uint64_t total;
} histogram;

static size_t bucket_of(uint64_t us) {
  if (us < 2 * SUB) return (size_t)us;
  unsigned e = 63u - (unsigned)__builtin_clzll(us); /* >= SUB_BITS + 1 */
  size_t sub = (size_t)(us >> (e - SUB_BITS)) & (SUB - 1);
  return 2 * SUB + (size_t)(e - SUB_BITS - 1) * SUB + sub;
}

static void hist_add(histogram *h, double ms) {
  double us_d = ms * 1000.0;
  uint64_t us = us_d > 0 ? (us_d < 9e18 ? (uint64_t)us_d : (uint64_t)9e18) : 0;
  size_t b = bucket_of(us), c = b / SUB;
  if (c >= CHUNKS) c = CHUNKS - 1;
  if (!h->chunk[c]) h->chunk[c] = xcalloc(SUB, sizeof(bucket));
  h->chunk[c][b % SUB].count++;
  h->chunk[c][b % SUB].sum += ms;
  h->total++;
}

static double hist_percentile(const histogram *h, double p) {
  uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)h->total), seen = 0;
  if (rank < 1) rank = 1;
  for (size_t c = 0; c < CHUNKS; c++) {
    if (!h->chunk[c]) continue;
    for (size_t i = 0; i < SUB; i++) {
      const bucket *bk = &h->chunk[c][i];
      seen += bk->count;
      if (bk->count && seen >= rank) return bk->sum / (double)bk->count;
    }
  }
  return 0;
}

typedef struct entry {
  char *name;
  uint64_t count, errors;
  int64_t in_tok, out_tok;
  double cost;
  bool unpriced;
  histogram h;
} entry;

/* A name → entry table; entries stay in insertion order and are sorted when printed. */
typedef struct table {
  entry **v;
  size_t n, cap;
  size_t *slots; /* open addressing: index + 1, 0 empty */
  size_t nslots;
} table;

static uint64_t str_hash(const char *s) {
  uint64_t h = 1469598103934665603u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static void table_grow(table *t) {
  size_t n = t->nslots ? t->nslots * 2 : 64;
  free(t->slots);
  t->slots = xcalloc(n, sizeof *t->slots);
  t->nslots = n;
  for (size_t i = 0; i < t->n; i++) {
    size_t k = (size_t)str_hash(t->v[i]->name) & (n - 1);
    while (t->slots[k]) k = (k + 1) & (n - 1);
    t->slots[k] = i + 1;
  }
}

static entry *table_get(table *t, const char *name) {
  if (!name) name = "(none)";
  while (2 * (t->n + 1) > t->nslots) table_grow(t);
  size_t k = (size_t)str_hash(name) & (t->nslots - 1);
  for (; t->slots[k]; k = (k + 1) & (t->nslots - 1))
    if (!strcmp(t->v[t->slots[k] - 1]->name, name)) return t->v[t->slots[k] - 1];
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 16;
    t->v = xrealloc(t->v, t->cap * sizeof *t->v);
  }
  entry *e = xcalloc(1, sizeof *e);
  e->name = xstrndup(name, strlen(name));
  t->v[t->n++] = e;
  t->slots[k] = t->n;
  return e;
}

static void table_free(table *t) {
  for (size_t i = 0; i < t->n; i++) {
    for (size_t c = 0; c < CHUNKS; c++) free(t->v[i]->h.chunk[c]);
    free(t->v[i]->name);
    free(t->v[i]);
  }
  free(t->v);
  free(t->slots);
}

struct stats {
  table names, tools, models;
  uint64_t traces, spans, errors;
};

stats *stats_new(void) { return xcalloc(1, sizeof(stats)); }

void stats_free(stats *st) {
  if (!st) return;
  table_free(&st->names);
  table_free(&st->tools);
  table_free(&st->models);
  free(st);
}

static bool is_tool(const span *s) {
  return (s->op && !strcmp(s->op, "execute_tool")) || (!s->op && s->tool);
}

static void add_span(stats *st, const node *nd) {
  const span *s = nd->s;
  entry *e = table_get(&st->names, s->name);
  e->count++;
  hist_add(&e->h, s->dur_ms);
  st->spans++;
  if (s->status == STATUS_ERROR) st->errors++;
  if (is_tool(s)) {
    entry *t = table_get(&st->tools, s->tool ? s->tool : s->name);
    t->count++;
    t->errors += s->status == STATUS_ERROR;
  }
  if (nd->counted) {
    entry *m = table_get(&st->models, s->model ? s->model : "(no model)");
    m->count++;
    m->in_tok += s->in_tok;
    m->out_tok += s->out_tok;
    m->cost += nd->cost;
    m->unpriced |= nd->priced == -1;
  }
}

void stats_add(stats *st, const tree *tr) {
  st->traces++;
  for (size_t i = 0; i < tr->n; i++)
    if (!tr->nodes[i].s->placeholder) add_span(st, &tr->nodes[i]);
}

double stats_percentile(const stats *st, const char *name, double p) {
  for (size_t i = 0; i < st->names.n; i++)
    if (!strcmp(st->names.v[i]->name, name)) return hist_percentile(&st->names.v[i]->h, p);
  return NAN;
}

static int by_name(const void *a, const void *b) {
  return strcmp((*(entry *const *)a)->name, (*(entry *const *)b)->name);
}

static int name_width(const table *t, const char *heading) {
  size_t w = strlen(heading);
  for (size_t i = 0; i < t->n; i++)
    if (strlen(t->v[i]->name) > w) w = strlen(t->v[i]->name);
  return (int)(w > 60 ? 60 : w);
}

/* Names are padded by hand: a name is escaped for the terminal first. */
static void put_name(strbuf *b, const char *name, int width) {
  size_t before = b->len;
  sb_safe(b, name, strlen(name));
  for (size_t n = b->len - before; n < (size_t)width; n++) sb_putc(b, ' ');
}

static void put_cell_duration(strbuf *b, double ms) {
  strbuf cell = {0};
  fmt_duration(&cell, ms);
  sb_printf(b, "  %11s", cell.p);
  sb_free(&cell);
}

static void render_names(stats *st, strbuf *b) {
  int w = name_width(&st->names, "span name");
  if (st->names.n > 1) qsort(st->names.v, st->names.n, sizeof *st->names.v, by_name);
  st->names.nslots = 0; /* sorted: the hash slots are stale */
  put_name(b, "span name", w);
  sb_printf(b, "  %8s  %11s  %11s  %11s\n", "count", "p50", "p95", "p99");
  for (size_t i = 0; i < st->names.n; i++) {
    const entry *e = st->names.v[i];
    put_name(b, e->name, w);
    sb_printf(b, "  %8llu", (unsigned long long)e->count);
    put_cell_duration(b, hist_percentile(&e->h, 50));
    put_cell_duration(b, hist_percentile(&e->h, 95));
    put_cell_duration(b, hist_percentile(&e->h, 99));
    sb_putc(b, '\n');
  }
}

static void render_tools(stats *st, strbuf *b) {
  uint64_t calls = 0, errors = 0;
  int w = name_width(&st->tools, "(all tools)");
  if (w < 4) w = 4;
  if (st->tools.n > 1) qsort(st->tools.v, st->tools.n, sizeof *st->tools.v, by_name);
  st->tools.nslots = 0;
  put_name(b, "tool", w);
  sb_printf(b, "  %8s  %8s  %10s\n", "calls", "errors", "error rate");
  for (size_t i = 0; i < st->tools.n; i++) {
    const entry *e = st->tools.v[i];
    put_name(b, e->name, w);
    sb_printf(b, "  %8llu  %8llu  %9.1f%%\n", (unsigned long long)e->count, (unsigned long long)e->errors,
              100.0 * (double)e->errors / (double)e->count);
    calls += e->count;
    errors += e->errors;
  }
  put_name(b, "(all tools)", w);
  sb_printf(b, "  %8llu  %8llu  %9.1f%%\n", (unsigned long long)calls, (unsigned long long)errors,
            calls ? 100.0 * (double)errors / (double)calls : 0.0);
}

static void render_models(stats *st, const render_ctx *rc, strbuf *b) {
  int w = name_width(&st->models, "model");
  bool priced = rc->prices && rc->prices->loaded;
  if (st->models.n > 1) qsort(st->models.v, st->models.n, sizeof *st->models.v, by_name);
  st->models.nslots = 0;
  put_name(b, "model", w);
  sb_printf(b, "  %8s  %13s  %13s  %12s\n", "spans", "input tokens", "output tokens", "cost");
  for (size_t i = 0; i < st->models.n; i++) {
    const entry *e = st->models.v[i];
    put_name(b, e->name, w);
    sb_printf(b, "  %8llu  %13lld  %13lld  ", (unsigned long long)e->count, (long long)e->in_tok,
              (long long)e->out_tok);
    if (!priced) sb_printf(b, "%12s\n", "-");
    else if (e->unpriced) sb_printf(b, "%12s\n", "unpriced");
    else {
      char cell[40];
      snprintf(cell, sizeof cell, "$%.6f", e->cost);
      sb_printf(b, "%12s\n", cell);
    }
  }
}

void stats_render(stats *st, const render_ctx *rc, strbuf *b) {
  sb_printf(b, "traces %llu  spans %llu  errors %llu\n\n", (unsigned long long)st->traces,
            (unsigned long long)st->spans, (unsigned long long)st->errors);
  render_names(st, b);
  sb_putc(b, '\n');
  render_tools(st, b);
  if (st->models.n) {
    sb_putc(b, '\n');
    render_models(st, rc, b);
  }
}
