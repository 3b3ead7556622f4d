/* --json: one object per trace per line, the shape of DESIGN.md §Tools. */
#include <string.h>

#include "render.h"
#include "timefmt.h"

static void put_time(strbuf *b, int64_t ns) {
  char iso[40];
  time_format_iso(ns, iso);
  sb_printf(b, "\"%s\"", iso);
}

static void put_id_or_null(strbuf *b, bool has, const uint8_t *id, size_t n) {
  if (!has) {
    sb_puts(b, "null");
    return;
  }
  sb_putc(b, '"');
  fmt_id(b, id, n);
  sb_putc(b, '"');
}

static void put_status(strbuf *b, const span *s) {
  sb_printf(b, "{\"code\":\"%s\"", status_name(s->status));
  if (s->status == STATUS_ERROR && s->status_msg) {
    sb_puts(b, ",\"message\":");
    sb_json_str(b, s->status_msg, strlen(s->status_msg));
  }
  sb_putc(b, '}');
}

static void node_open(const tree *tr, const node *nd, strbuf *b) {
  const span *s = nd->s;
  sb_puts(b, "{\"name\":");
  sb_json_str(b, s->name, strlen(s->name));
  sb_puts(b, ",\"span_id\":");
  put_id_or_null(b, s->has_id, s->span_id, 8);
  sb_puts(b, ",\"parent_span_id\":");
  put_id_or_null(b, s->has_parent, s->parent_id, 8);
  sb_puts(b, ",\"kind\":");
  if (kind_name(s->kind)) sb_printf(b, "\"%s\"", kind_name(s->kind));
  else sb_puts(b, "null");
  sb_puts(b, ",\"start_time\":");
  if (s->placeholder && !s->start) sb_puts(b, "null");
  else put_time(b, s->start);
  sb_puts(b, ",\"duration_ms\":");
  if (s->placeholder) sb_puts(b, "null");
  else sb_json_double(b, s->dur_ms);
  sb_puts(b, ",\"status\":");
  if (s->placeholder) sb_puts(b, "null");
  else put_status(b, s);
  sb_puts(b, ",\"attributes\":");
  sb_puts(b, s->attrs ? s->attrs : "{}");
  sb_puts(b, ",\"logs\":[");
  for (size_t i = 0; i < nd->nlog; i++) {
    if (i) sb_putc(b, ',');
    const char *j = tr->logs[nd->log0 + i]->json;
    sb_puts(b, j ? j : "{}");
  }
  sb_puts(b, "],\"children\":[");
}

static void json_visit(tree *tr, int i, bool enter, void *ctx) {
  strbuf *b = ctx;
  const node *nd = &tr->nodes[i];
  if (!enter) {
    sb_puts(b, "]}");
    return;
  }
  bool first = nd->parent >= 0 ? tr->nodes[nd->parent].first_kid == i : tr->roots[0] == i;
  if (!first) sb_putc(b, ',');
  node_open(tr, nd, b);
}

void render_json(render_ctx *rc, tree *tr, strbuf *b) {
  sb_puts(b, "{\"trace_id\":\"");
  fmt_id(b, tr->t->id, 16);
  sb_puts(b, "\",\"start_time\":");
  put_time(b, tr->start);
  sb_puts(b, ",\"duration_ms\":");
  sb_json_double(b, tr->dur_ms);
  sb_printf(b, ",\"spans\":%zu,\"errors\":%zu,\"input_tokens\":%lld,\"output_tokens\":%lld,\"cost_usd\":",
            tr->nspans, tr->errors, (long long)tr->in_tok, (long long)tr->out_tok);
  if (rc->prices && rc->prices->loaded && tr->has_cost) sb_json_double(b, tr->cost);
  else sb_puts(b, "null");
  sb_puts(b, ",\"roots\":[");
  tree_walk(tr, json_visit, b);
  sb_puts(b, "]}\n");
}
