/* The outputs: text tree, one-line summary, JSON per trace, HTML page. Each renders one
 * finished trace into a buffer, so a trace is written whole even while following. */
#ifndef TREE_RENDER_H
#define TREE_RENDER_H

#include <stdbool.h>

#include "json.h"
#include "strbuf.h"
#include "tree.h"

typedef struct render_ctx {
  bool color;
  const pricing *prices;
  jparser jp; /* re-reads the records' JSON for display */
} render_ctx;

void render_tree_text(render_ctx *rc, tree *tr, strbuf *out);
void render_summary_line(render_ctx *rc, tree *tr, strbuf *out);
void render_json(render_ctx *rc, tree *tr, strbuf *out);
void render_html_head(strbuf *out);
void render_html_trace(render_ctx *rc, tree *tr, strbuf *out);
void render_html_tail(strbuf *out);

/* Shared formatting */
void fmt_duration(strbuf *b, double ms);
void fmt_cost(strbuf *b, double usd);
void fmt_id(strbuf *b, const uint8_t *id, size_t n);

#endif
