/* The text tree and the one-line summary, coloured only when asked (a terminal, no NO_COLOR). */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "timefmt.h"

#define RED "\033[31m"
#define YELLOW "\033[33m"
#define DIM "\033[2m"
#define BOLD "\033[1m"
#define RESET "\033[0m"
/* Beyond this depth the indentation stops growing: the output of a hostile chain of spans
 * stays linear in its length. */
#define MAX_INDENT 64

static void color(const render_ctx *rc, strbuf *b, const char *code) {
  if (rc->color) sb_puts(b, code);
}

void fmt_duration(strbuf *b, double ms) {
  if (ms >= 1e16) sb_printf(b, "%.3e s", ms / 1000); /* longer than 64-bit nanoseconds reach: a line's own figure */
  else if (ms >= 10000) sb_printf(b, "%.2f s", ms / 1000);
  else if (ms >= 1) sb_printf(b, "%.1f ms", ms);
  else sb_printf(b, "%.3f ms", ms);
}

void fmt_cost(strbuf *b, double usd) { sb_printf(b, "$%.6f", usd); }

void fmt_id(strbuf *b, const uint8_t *id, size_t n) {
  char hex[33];
  hex_encode(id, n, hex);
  sb_puts(b, hex);
}

static void put_safe_str(strbuf *b, const char *s) {
  if (s) sb_safe(b, s, strlen(s));
}

static void plural(strbuf *b, size_t n, const char *one, const char *many) {
  sb_printf(b, "%zu %s", n, n == 1 ? one : many);
}

/* Tokens and cost of a trace, shared by the header and the summary. */
static void trace_usage(const render_ctx *rc, const tree *tr, strbuf *b) {
  if (tr->in_tok || tr->out_tok) sb_printf(b, "  tokens %lld/%lld", (long long)tr->in_tok, (long long)tr->out_tok);
  if (!rc->prices || !rc->prices->loaded) return;
  sb_puts(b, "  cost ");
  if (tr->has_cost) fmt_cost(b, tr->cost);
  else sb_puts(b, "n/a");
  if (tr->nunpriced) {
    sb_puts(b, " (unpriced:");
    for (size_t i = 0; i < tr->nunpriced; i++) {
      sb_putc(b, ' ');
      put_safe_str(b, tr->unpriced[i]);
    }
    sb_putc(b, ')');
  }
}

/* "  <duration>  N spans  N errors  tokens in/out": what a trace's header and its
   summary line share. */
static void trace_totals(render_ctx *rc, tree *tr, strbuf *b) {
  sb_puts(b, "  ");
  fmt_duration(b, tr->dur_ms);
  sb_puts(b, "  ");
  plural(b, tr->nspans, "span", "spans");
  sb_puts(b, "  ");
  if (tr->errors) color(rc, b, RED);
  plural(b, tr->errors, "error", "errors");
  if (tr->errors) color(rc, b, RESET);
  trace_usage(rc, tr, b);
}

static void trace_header(render_ctx *rc, tree *tr, strbuf *b) {
  char iso[40];
  time_format_iso(tr->start, iso);
  color(rc, b, BOLD);
  sb_puts(b, "trace ");
  fmt_id(b, tr->t->id, 16);
  color(rc, b, RESET);
  sb_printf(b, "  %s", iso);
  trace_totals(rc, tr, b);
  sb_putc(b, '\n');
}

/* The first "args" or "arguments" field among a tool span's records, when the span itself
 * does not carry gen_ai.tool.call.arguments. */
static void tool_args_from_logs(render_ctx *rc, const tree *tr, const node *nd, strbuf *b) {
  for (size_t i = 0; i < nd->nlog; i++) {
    const logrec *l = tr->logs[nd->log0 + i];
    const jval *o = l->json ? json_parse(&rc->jp, l->json, strlen(l->json)) : NULL;
    const jval *a = jget(o, "args") ? jget(o, "args") : jget(o, "arguments");
    if (!a) continue;
    sb_puts(b, "  args ");
    if (a->type == J_STR) sb_safe(b, a->u.s, a->n);
    else sb_json_val(b, a);
    return;
  }
}

static void span_details(render_ctx *rc, tree *tr, const node *nd, strbuf *b) {
  const span *s = nd->s;
  if (s->placeholder && s->has_id) sb_puts(b, "  span "), fmt_id(b, s->span_id, 8);
  if (s->model) sb_puts(b, "  model "), put_safe_str(b, s->model);
  if (s->has_usage) sb_printf(b, "  tokens %lld/%lld", (long long)s->in_tok, (long long)s->out_tok);
  if (nd->counted && nd->priced == 1) sb_puts(b, "  "), fmt_cost(b, nd->cost);
  if (nd->counted && nd->priced == -1) sb_puts(b, "  unpriced");
  if (s->tool) sb_puts(b, "  tool "), put_safe_str(b, s->tool);
  if (s->tool_args) sb_puts(b, "  args "), put_safe_str(b, s->tool_args);
  else if (s->tool) tool_args_from_logs(rc, tr, nd, b);
  if (s->status == STATUS_ERROR) {
    color(rc, b, RED);
    sb_puts(b, "  ✗ ERROR");
    if (s->error_type) sb_puts(b, " "), put_safe_str(b, s->error_type);
    if (s->status_msg) sb_puts(b, ": "), put_safe_str(b, s->status_msg);
    color(rc, b, RESET);
  }
  if (nd->orphan) {
    color(rc, b, YELLOW);
    sb_puts(b, "  (orphan: parent ");
    fmt_id(b, s->parent_id, 8);
    sb_puts(b, " not in input)");
    color(rc, b, RESET);
  }
}

static bool is_record_key(const jmember *m) {
  static const char *const keys[] = {"timestamp", "level", "logger", "event", "trace_id", "span_id"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (m->klen == strlen(keys[i]) && !memcmp(m->key, keys[i], m->klen)) return true;
  return false;
}

static void log_line(render_ctx *rc, const logrec *l, strbuf *b) {
  char clock[24];
  const jval *o = l->json ? json_parse(&rc->jp, l->json, strlen(l->json)) : NULL;
  const jval *lv = jget(o, "level"), *ev = jget(o, "event");
  sb_puts(b, "· ");
  if (l->ts) {
    time_format_clock(l->ts, clock);
    color(rc, b, DIM);
    sb_puts(b, clock);
    color(rc, b, RESET);
    sb_putc(b, ' ');
  }
  if (l->is_error) color(rc, b, RED);
  if (lv && lv->type == J_STR) sb_safe(b, lv->u.s, lv->n), sb_putc(b, ' ');
  if (ev && ev->type == J_STR) sb_safe(b, ev->u.s, ev->n);
  if (l->is_error) color(rc, b, RESET);
  for (uint32_t i = 0; o && i < o->n; i++) {
    const jmember *m = &o->u.members[i];
    if (is_record_key(m)) continue;
    sb_putc(b, ' ');
    sb_safe(b, m->key, m->klen);
    sb_putc(b, '=');
    sb_json_val(b, &m->val);
  }
  sb_putc(b, '\n');
}

typedef struct {
  render_ctx *rc;
  strbuf *out;
  strbuf prefix;
  size_t *lens; /* prefix length before each level's addition */
  size_t cap;
} text_walk;

static void text_enter(tree *tr, int i, text_walk *w) {
  node *nd = &tr->nodes[i];
  bool next = nd->next_sib >= 0;
  strbuf *b = w->out;
  sb_put(b, w->prefix.p, w->prefix.len);
  sb_puts(b, next ? "├─ " : "└─ ");
  if (nd->s->status == STATUS_ERROR) color(w->rc, b, RED);
  put_safe_str(b, nd->s->name);
  if (nd->s->status == STATUS_ERROR) color(w->rc, b, RESET);
  if (!nd->s->placeholder) sb_puts(b, "  "), fmt_duration(b, nd->s->dur_ms);
  span_details(w->rc, tr, nd, b);
  sb_putc(b, '\n');
  if ((size_t)nd->depth >= w->cap) {
    w->cap = (size_t)nd->depth + 16;
    w->lens = xrealloc(w->lens, w->cap * sizeof *w->lens);
  }
  w->lens[nd->depth] = w->prefix.len;
  if (nd->depth < MAX_INDENT) sb_puts(&w->prefix, next ? "│  " : "   ");
  for (size_t k = 0; k < nd->nlog; k++) {
    sb_put(b, w->prefix.p, w->prefix.len);
    sb_puts(b, nd->first_kid >= 0 ? "│  " : "   ");
    log_line(w->rc, tr->logs[nd->log0 + k], b);
  }
}

static void text_visit(tree *tr, int i, bool enter, void *ctx) {
  text_walk *w = ctx;
  if (enter) text_enter(tr, i, w);
  else w->prefix.len = w->lens[tr->nodes[i].depth];
}

void render_tree_text(render_ctx *rc, tree *tr, strbuf *out) {
  text_walk w = {rc, out, {0}, NULL, 0};
  sb_puts(&w.prefix, "");
  trace_header(rc, tr, out);
  tree_walk(tr, text_visit, &w);
  sb_putc(out, '\n');
  sb_free(&w.prefix);
  free(w.lens);
}

void render_summary_line(render_ctx *rc, tree *tr, strbuf *b) {
  char iso[40];
  time_format_iso(tr->start, iso);
  sb_printf(b, "%s  ", iso);
  fmt_id(b, tr->t->id, 16);
  trace_totals(rc, tr, b);
  sb_puts(b, "  ");
  put_safe_str(b, root_name(tr));
  sb_putc(b, '\n');
}
