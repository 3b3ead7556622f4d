/* --html: one self-contained page (inline style and script, no network): a waterfall per
 * trace, errors in red, a span's attributes and records on click, a filter box. The page
 * is written as traces finish, so it streams like the other outputs. */
#include <ctype.h>
#include <string.h>

#include "render.h"
#include "timefmt.h"

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>spanlog-tree</title>\n<style>\n"
    "body{font:13px/1.4 system-ui,sans-serif;margin:0;background:#fff;color:#222}\n"
    "header{position:sticky;top:0;background:#1f2937;color:#fff;padding:8px 16px;display:flex;gap:16px;"
    "align-items:center;z-index:1}\n"
    "header h1{font-size:16px;margin:0}\n"
    "#filter{flex:1;max-width:420px;padding:4px 8px;font:inherit;border-radius:4px;border:0}\n"
    "section.trace{margin:12px 16px;border:1px solid #ddd;border-radius:6px;overflow:hidden}\n"
    "section.trace h2{font-size:13px;margin:0;padding:6px 10px;background:#f3f4f6;font-weight:600}\n"
    "section.trace h2 .meta{font-weight:400;color:#555;margin-left:8px}\n"
    ".row{display:flex;align-items:center;cursor:pointer;border-top:1px solid #f0f0f0;min-height:22px}\n"
    ".row:hover{background:#f9fafb}\n.row.dim{opacity:.3}\n"
    ".label{width:38%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:2px 6px;box-sizing:border-box}\n"
    ".label small{color:#666;margin-left:6px}\n"
    ".lane{position:relative;flex:1;height:14px;margin-right:10px;background:#fafafa}\n"
    ".bar{position:absolute;top:0;height:14px;min-width:2px;background:#3b82f6;border-radius:2px}\n"
    ".row.chat .bar{background:#8b5cf6}\n.row.tool .bar{background:#10b981}\n"
    ".row.err .label{color:#c81e1e;font-weight:600}\n.row.err .bar{background:#dc2626}\n"
    ".row.missing .label{color:#888;font-style:italic}\n"
    ".detail{padding:6px 12px 10px;background:#fbfbfd;border-top:1px dashed #ddd}\n"
    ".detail table{border-collapse:collapse;margin-bottom:6px}\n"
    ".detail td{padding:1px 8px 1px 0;vertical-align:top;font-family:ui-monospace,monospace;font-size:12px}\n"
    ".detail td:first-child{color:#555}\n"
    ".detail pre{margin:0;font-size:12px;white-space:pre-wrap;word-break:break-all}\n"
    ".detail pre.errlog{color:#c81e1e}\n"
    "</style></head><body>\n"
    "<header><h1>spanlog traces</h1><input id=\"filter\" type=\"search\" "
    "placeholder=\"filter: span, tool, model, id\" aria-label=\"filter\"></header>\n<main>\n";

static const char page_tail[] =
    "</main>\n<script>\n"
    "document.addEventListener('click',function(e){\n"
    "  var r=e.target.closest('.row');if(!r)return;\n"
    "  var d=r.nextElementSibling;if(d&&d.classList.contains('detail')){d.hidden=!d.hidden;}\n"
    "});\n"
    "document.getElementById('filter').addEventListener('input',function(){\n"
    "  var q=this.value.toLowerCase();\n"
    "  document.querySelectorAll('section.trace').forEach(function(s){\n"
    "    var any=s.dataset.traceId.indexOf(q)>=0;\n"
    "    s.querySelectorAll('.row').forEach(function(r){\n"
    "      var m=!q||r.dataset.search.indexOf(q)>=0;r.classList.toggle('dim',!m);if(m)any=true;});\n"
    "    s.hidden=!!q&&!any;\n"
    "  });\n"
    "});\n"
    "</script>\n</body></html>\n";

void render_html_head(strbuf *out) { sb_puts(out, page_head); }
void render_html_tail(strbuf *out) { sb_puts(out, page_tail); }

/* Text for the page: terminal-safe escapes first (no bidi tricks), then HTML escapes. */
static void html_text(strbuf *b, const char *s, size_t n) {
  strbuf tmp = {0};
  sb_safe(&tmp, s, n);
  sb_html(b, tmp.p, tmp.len);
  sb_free(&tmp);
}

static void html_str(strbuf *b, const char *s) {
  if (s) html_text(b, s, strlen(s));
}

static void search_text(strbuf *b, const span *s) {
  size_t from = b->len;
  html_str(b, s->name);
  sb_putc(b, ' ');
  html_str(b, s->tool);
  sb_putc(b, ' ');
  html_str(b, s->model);
  sb_putc(b, ' ');
  if (s->has_id) fmt_id(b, s->span_id, 8);
  for (size_t i = from; i < b->len; i++) b->p[i] = (char)tolower((unsigned char)b->p[i]);
}

typedef struct {
  render_ctx *rc;
  strbuf *out;
} html_walk;

static void row_open(const tree *tr, const node *nd, strbuf *b) {
  const span *s = nd->s;
  double total = tr->end > tr->start ? time_ns_between(tr->start, tr->end) : 1.0;
  double left = 100.0 * time_ns_between(tr->start, s->start) / total;
  double width = 100.0 * time_ns_between(s->start, s->end) / total;
  sb_puts(b, "<div class=\"row");
  if (s->status == STATUS_ERROR) sb_puts(b, " err");
  if (s->placeholder) sb_puts(b, " missing");
  if (s->op && !strcmp(s->op, "chat")) sb_puts(b, " chat");
  if (s->tool) sb_puts(b, " tool");
  sb_puts(b, "\" data-span-id=\"");
  if (s->has_id) fmt_id(b, s->span_id, 8);
  sb_puts(b, "\" data-search=\"");
  search_text(b, s);
  sb_printf(b, "\"><div class=\"label\" style=\"padding-left:%dpx\">", 6 + 14 * (nd->depth > 40 ? 40 : nd->depth));
  if (s->status == STATUS_ERROR) sb_puts(b, "&#10007; ");
  html_str(b, s->name);
  if (!s->placeholder) {
    sb_puts(b, "<small>");
    fmt_duration(b, s->dur_ms);
    sb_puts(b, "</small>");
  }
  sb_printf(b, "</div><div class=\"lane\"><div class=\"bar\" style=\"left:%.3f%%;width:%.3f%%\"></div></div></div>\n",
            left < 0 ? 0 : left > 100 ? 100 : left, width < 0 ? 0 : width > 100 ? 100 : width);
}

static void detail_row(strbuf *b, const char *key, const char *value) {
  sb_puts(b, "<tr><td>");
  html_str(b, key);
  sb_puts(b, "</td><td>");
  html_str(b, value);
  sb_puts(b, "</td></tr>");
}

static void attr_rows(render_ctx *rc, const span *s, strbuf *b) {
  const jval *o = s->attrs ? json_parse(&rc->jp, s->attrs, strlen(s->attrs)) : NULL;
  strbuf v = {0};
  for (uint32_t i = 0; o && o->type == J_OBJ && i < o->n; i++) {
    const jmember *m = &o->u.members[i];
    v.len = 0;
    sb_json_val(&v, &m->val);
    sb_puts(b, "<tr><td>");
    html_text(b, m->key, m->klen);
    sb_puts(b, "</td><td>");
    html_text(b, v.p, v.len);
    sb_puts(b, "</td></tr>");
  }
  sb_free(&v);
}

static void detail(render_ctx *rc, const tree *tr, const node *nd, strbuf *b) {
  const span *s = nd->s;
  char hex[17], iso[40];
  sb_puts(b, "<div class=\"detail\" hidden><table>");
  if (s->has_id) hex_encode(s->span_id, 8, hex), detail_row(b, "span_id", hex);
  if (s->has_parent) hex_encode(s->parent_id, 8, hex), detail_row(b, nd->orphan ? "parent (not in input)" : "parent_span_id", hex);
  if (kind_name(s->kind)) detail_row(b, "kind", kind_name(s->kind));
  if (!s->placeholder) {
    time_format_iso(s->start, iso);
    detail_row(b, "start_time", iso);
    detail_row(b, "status", status_name(s->status));
  }
  if (s->status_msg) detail_row(b, "status message", s->status_msg);
  attr_rows(rc, s, b);
  sb_puts(b, "</table>");
  for (size_t i = 0; i < nd->nlog; i++) {
    const logrec *l = tr->logs[nd->log0 + i];
    sb_puts(b, l->is_error ? "<pre class=\"errlog\">" : "<pre>");
    html_str(b, l->json ? l->json : "{}");
    sb_puts(b, "</pre>");
  }
  sb_puts(b, "</div>\n");
}

static void html_visit(tree *tr, int i, bool enter, void *ctx) {
  html_walk *w = ctx;
  if (!enter) return;
  row_open(tr, &tr->nodes[i], w->out);
  detail(w->rc, tr, &tr->nodes[i], w->out);
}

void render_html_trace(render_ctx *rc, tree *tr, strbuf *b) {
  char iso[40];
  html_walk w = {rc, b};
  time_format_iso(tr->start, iso);
  sb_puts(b, "<section class=\"trace\" data-trace-id=\"");
  fmt_id(b, tr->t->id, 16);
  sb_printf(b, "\"><h2>trace <code>");
  fmt_id(b, tr->t->id, 16);
  sb_printf(b, "</code><span class=\"meta\">%s &middot; ", iso);
  fmt_duration(b, tr->dur_ms);
  sb_printf(b, " &middot; %zu spans &middot; %zu errors", tr->nspans, tr->errors);
  if (tr->in_tok || tr->out_tok)
    sb_printf(b, " &middot; tokens %lld/%lld", (long long)tr->in_tok, (long long)tr->out_tok);
  if (rc->prices && rc->prices->loaded && tr->has_cost) sb_puts(b, " &middot; "), fmt_cost(b, tr->cost);
  sb_puts(b, "</span></h2>\n<div class=\"rows\">\n");
  tree_walk(tr, html_visit, &w);
  sb_puts(b, "</div></section>\n");
}
