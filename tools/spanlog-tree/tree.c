/* Building the tree of a trace. Span ids are looked up in a sorted index, parent cycles in
 * hostile input are cut (every span stays reachable), and records whose span is missing
 * hang under a stand-in node so that none is lost. */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "timefmt.h"

static const span *g_sort_spans; /* qsort has no context argument in C11 */

static int cmp_ids(const void *a, const void *b) {
  const span *x = &g_sort_spans[*(const int *)a], *y = &g_sort_spans[*(const int *)b];
  if (x->has_id != y->has_id) return x->has_id ? 1 : -1;
  int c = memcmp(x->span_id, y->span_id, 8);
  if (c) return c;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int *sorted_index(const span *spans, size_t n) {
  int *ix = xmalloc(n * sizeof *ix);
  for (size_t i = 0; i < n; i++) ix[i] = (int)i;
  g_sort_spans = spans;
  qsort(ix, n, sizeof *ix, cmp_ids);
  return ix;
}

/* The first span with this id, or -1. has_id=false finds the stand-in for id-less records. */
static int find_span(const span *spans, const int *ix, size_t n, const uint8_t *id, bool has_id) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const span *s = &spans[ix[mid]];
    int c = s->has_id != has_id ? (s->has_id ? 1 : -1) : has_id ? memcmp(s->span_id, id, 8) : 0;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo < n) {
    const span *s = &spans[ix[lo]];
    if (s->has_id == has_id && (!has_id || !memcmp(s->span_id, id, 8))) return ix[lo];
  }
  return -1;
}

static void add_standin(trace *t, const logrec *l) {
  if (t->nspans == t->scap) {
    t->scap = t->scap ? t->scap * 2 : 8;
    t->spans = xrealloc(t->spans, t->scap * sizeof *t->spans);
  }
  span *s = &t->spans[t->nspans++];
  memset(s, 0, sizeof *s);
  s->has_id = l->has_span;
  memcpy(s->span_id, l->span_id, 8);
  s->placeholder = true;
  s->kind = KIND_UNKNOWN;
  s->start = s->end = l->ts;
  s->seq = l->seq;
  s->name = xstrndup(l->has_span ? "(span not in input)" : "(records without a span)",
                     strlen(l->has_span ? "(span not in input)" : "(records without a span)"));
}

static int cmp_log_ids(const void *a, const void *b) {
  const logrec *x = *(logrec *const *)a, *y = *(logrec *const *)b;
  if (x->has_span != y->has_span) return x->has_span ? 1 : -1;
  return x->has_span ? memcmp(x->span_id, y->span_id, 8) : 0;
}

/* Stand-ins for the spans that records name but the input lacks, one per missing id;
 * returns the index over spans and stand-ins. */
static int *index_with_standins(trace *t) {
  int *ix = sorted_index(t->spans, t->nspans);
  logrec **missing = xmalloc(t->nlogs * sizeof *missing);
  size_t nmissing = 0;
  for (size_t i = 0; i < t->nlogs; i++)
    if (find_span(t->spans, ix, t->nspans, t->logs[i].span_id, t->logs[i].has_span) < 0)
      missing[nmissing++] = &t->logs[i];
  qsort(missing, nmissing, sizeof *missing, cmp_log_ids);
  for (size_t i = 0; i < nmissing; i++)
    if (i == 0 || cmp_log_ids(&missing[i - 1], &missing[i]) != 0) add_standin(t, missing[i]);
  free(missing);
  if (nmissing) {
    free(ix);
    ix = sorted_index(t->spans, t->nspans);
  }
  return ix;
}

typedef struct {
  int node;
  const logrec *l;
} log_slot;

static int cmp_log_slots(const void *a, const void *b) {
  const log_slot *x = a, *y = b;
  if (x->node != y->node) return x->node < y->node ? -1 : 1;
  if (x->l->ts != y->l->ts) return x->l->ts < y->l->ts ? -1 : 1;
  return x->l->seq < y->l->seq ? -1 : x->l->seq > y->l->seq;
}

static void place_logs(tree *tr, const int *ix) {
  trace *t = tr->t;
  log_slot *slots = xmalloc(t->nlogs * sizeof *slots);
  for (size_t i = 0; i < t->nlogs; i++) {
    slots[i].node = find_span(t->spans, ix, t->nspans, t->logs[i].span_id, t->logs[i].has_span);
    slots[i].l = &t->logs[i];
  }
  qsort(slots, t->nlogs, sizeof *slots, cmp_log_slots);
  tr->logs = xmalloc(t->nlogs * sizeof *tr->logs);
  for (size_t i = 0; i < t->nlogs; i++) {
    node *nd = &tr->nodes[slots[i].node];
    if (!nd->nlog) nd->log0 = i;
    nd->nlog++;
    tr->logs[i] = (logrec *)slots[i].l;
    if (slots[i].l->is_error) tr->error_logs++;
    span *s = nd->s;
    if (s->placeholder && slots[i].l->ts) { /* a stand-in spans the records it holds */
      if (!s->start || slots[i].l->ts < s->start) s->start = slots[i].l->ts;
      if (slots[i].l->ts > s->end) s->end = slots[i].l->ts;
    }
  }
  free(slots);
}

/* Follows parents from each node; a chain that comes back to itself is cut there. */
static void cut_cycles(tree *tr) {
  unsigned char *state = xcalloc(tr->n, 1); /* 0 new, 1 on the current path, 2 done */
  int *path = xmalloc(tr->n * sizeof *path);
  for (size_t i = 0; i < tr->n; i++) {
    size_t len = 0;
    int cur = (int)i;
    while (cur >= 0 && state[cur] == 0) {
      state[cur] = 1;
      path[len++] = cur;
      int p = tr->nodes[cur].parent;
      if (p >= 0 && state[p] == 1) tr->nodes[cur].parent = -1; /* the edge that closes a cycle */
      cur = tr->nodes[cur].parent;
    }
    while (len) state[path[--len]] = 2;
  }
  free(path);
  free(state);
}

static int cmp_start(const void *a, const void *b) {
  const span *x = &g_sort_spans[*(const int *)a], *y = &g_sort_spans[*(const int *)b];
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void link_children(tree *tr) {
  int *order = xmalloc(tr->n * sizeof *order);
  for (size_t i = 0; i < tr->n; i++) order[i] = (int)i;
  g_sort_spans = tr->t->spans;
  qsort(order, tr->n, sizeof *order, cmp_start);
  tr->roots = xmalloc(tr->n * sizeof *tr->roots);
  for (size_t k = 0; k < tr->n; k++) {
    int i = order[k];
    node *nd = &tr->nodes[i];
    if (nd->parent < 0) { /* roots are siblings too, so a walk knows which is last */
      if (tr->nroots) tr->nodes[tr->roots[tr->nroots - 1]].next_sib = i;
      tr->roots[tr->nroots++] = i;
      continue;
    }
    node *p = &tr->nodes[nd->parent];
    if (p->last_kid >= 0) tr->nodes[p->last_kid].next_sib = i;
    else p->first_kid = i;
    p->last_kid = i;
  }
  free(order);
}

void tree_walk(tree *tr, visit_fn fn, void *ctx) {
  for (size_t r = 0; r < tr->nroots; r++) {
    int n = tr->roots[r];
    for (;;) {
      fn(tr, n, true, ctx);
      if (tr->nodes[n].first_kid >= 0) {
        n = tr->nodes[n].first_kid;
        continue;
      }
      for (;;) {
        fn(tr, n, false, ctx);
        if (n == tr->roots[r]) goto next_root;
        if (tr->nodes[n].next_sib >= 0) {
          n = tr->nodes[n].next_sib;
          break;
        }
        n = tr->nodes[n].parent;
      }
    }
  next_root:;
  }
}

static void add_unpriced(tree *tr, const char *model) {
  for (size_t i = 0; i < tr->nunpriced; i++)
    if (!strcmp(tr->unpriced[i], model)) return;
  tr->unpriced = xrealloc(tr->unpriced, (tr->nunpriced + 1) * sizeof *tr->unpriced);
  tr->unpriced[tr->nunpriced++] = xstrndup(model, strlen(model));
}

static void price_node(tree *tr, node *nd, const pricing *prices) {
  const span *s = nd->s;
  tr->in_tok += s->in_tok;
  tr->out_tok += s->out_tok;
  if (!prices || !prices->loaded) return;
  const price *p = pricing_find(prices, s->model);
  if (!p) {
    nd->priced = -1;
    add_unpriced(tr, s->model ? s->model : "(no model)");
    return;
  }
  nd->priced = 1;
  nd->cost = ((double)s->in_tok * p->in_per_mtok + (double)s->out_tok * p->out_per_mtok) / 1e6;
  tr->cost += nd->cost;
  tr->has_cost = true;
}

typedef struct {
  const pricing *prices;
} totals_ctx;

/* Depths on the way down; usage on the way up: an agent span that repeats its children's
 * token counts as a sum is not counted twice. */
static void totals_visit(tree *tr, int i, bool enter, void *ctx) {
  node *nd = &tr->nodes[i];
  if (enter) {
    nd->depth = nd->parent >= 0 ? tr->nodes[nd->parent].depth + 1 : 0;
    return;
  }
  bool kid_usage = false;
  for (int k = nd->first_kid; k >= 0; k = tr->nodes[k].next_sib) kid_usage |= tr->nodes[k].sub_usage;
  nd->sub_usage = kid_usage || nd->s->has_usage;
  nd->counted = nd->s->has_usage && !kid_usage;
  if (nd->counted) price_node(tr, nd, ((totals_ctx *)ctx)->prices);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void span_totals(tree *tr) {
  tr->start = INT64_MAX;
  tr->end = INT64_MIN;
  for (size_t i = 0; i < tr->n; i++) {
    const span *s = tr->nodes[i].s;
    if (s->placeholder && !s->start) continue;
    if (s->start < tr->start) tr->start = s->start;
    if (s->end > tr->end) tr->end = s->end;
    if (!s->placeholder) tr->nspans++;
    if (s->status == STATUS_ERROR) tr->errors++;
  }
  if (tr->start == INT64_MAX) tr->start = tr->end = 0;
  tr->dur_ms = time_ms_between(tr->start, tr->end);
}

tree *tree_build(trace *t, const pricing *prices) {
  tree *tr = xcalloc(1, sizeof *tr);
  tr->t = t;
  int *ix = index_with_standins(t);
  tr->n = t->nspans;
  tr->nodes = xcalloc(tr->n, sizeof *tr->nodes);
  for (size_t i = 0; i < tr->n; i++) {
    node *nd = &tr->nodes[i];
    nd->s = &t->spans[i];
    nd->first_kid = nd->last_kid = nd->next_sib = -1;
    nd->parent = nd->s->has_parent ? find_span(t->spans, ix, tr->n, nd->s->parent_id, true) : -1;
    nd->orphan = nd->s->has_parent && nd->parent < 0;
  }
  place_logs(tr, ix);
  free(ix);
  cut_cycles(tr);
  link_children(tr);
  span_totals(tr);
  totals_ctx tc = {prices};
  tree_walk(tr, totals_visit, &tc);
  if (tr->nunpriced > 1) qsort(tr->unpriced, tr->nunpriced, sizeof *tr->unpriced, cmp_str);
  return tr;
}

void tree_free(tree *tr) {
  if (!tr) return;
  for (size_t i = 0; i < tr->nunpriced; i++) free(tr->unpriced[i]);
  free(tr->unpriced);
  free(tr->nodes);
  free(tr->roots);
  free(tr->logs);
  trace_free(tr->t);
  free(tr);
}

const char *root_name(const tree *tr) {
  for (size_t r = 0; r < tr->nroots; r++)
    if (!tr->nodes[tr->roots[r]].s->placeholder && !tr->nodes[tr->roots[r]].orphan)
      return tr->nodes[tr->roots[r]].s->name;
  return tr->nroots ? tr->nodes[tr->roots[0]].s->name : "";
}
