/* libFuzzer target for spanlog-tree's JSON parser and everything a line goes through.
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Itools/spanlog-tree \
 *     fuzz/tree_json_fuzz.c $(find tools/spanlog-tree -name '*.c' ! -name main.c) -lm -o tree_json_fuzz
 *   ./tree_json_fuzz fuzz/corpus/tree_json
 *
 * Each input is parsed; what parses must write back as JSON that parses again to the same
 * text (the parser and the writer agree). Then the input is read as lines of a trace file
 * and every finished trace is built and rendered as text, JSON and HTML. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "render.h"
#include "stats.h"

static render_ctx rc;
static stats *st;

static void on_trace(trace *t, void *ctx) {
  (void)ctx;
  strbuf out = {0};
  tree *tr = tree_build(t, NULL);
  render_tree_text(&rc, tr, &out);
  render_summary_line(&rc, tr, &out);
  render_json(&rc, tr, &out);
  render_html_trace(&rc, tr, &out);
  stats_add(st, tr);
  tree_free(tr);
  sb_free(&out);
}

static void round_trip(const char *text, size_t len) {
  jparser a, b;
  strbuf first = {0}, second = {0};
  jparser_init(&a);
  jparser_init(&b);
  const jval *v = json_parse(&a, text, len);
  if (v) {
    sb_json_val(&first, v);
    sb_putc(&first, 0);
    const jval *w = json_parse(&b, first.p, first.len - 1);
    if (!w) abort(); /* the writer produced what the parser refuses */
    sb_json_val(&second, w);
    sb_putc(&second, 0);
    if (first.len != second.len || memcmp(first.p, second.p, first.len) != 0) abort();
  }
  sb_free(&first);
  sb_free(&second);
  jparser_free(&a);
  jparser_free(&b);
}

static void as_lines(char *text, size_t len) {
  store_policy policy = {4, 0, 0, 8}; /* small limits, so that traces are handed on mid-input */
  store *s = store_new(policy, on_trace, NULL);
  ingest in;
  ingest_init(&in, s);
  in.keep_detail = true;
  char *line = text;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && text[i] != '\n') continue;
    text[i] = 0;
    in.line++;
    ingest_line(&in, line, (size_t)(text + i - line));
    store_tick(s, in.line, 0);
    line = text + i + 1;
  }
  store_drain(s);
  store_free(s);
  ingest_fini(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) return 0;
  if (size) memcpy(text, data, size);
  text[size] = 0;
  if (!rc.jp.mem) {
    jparser_init(&rc.jp);
    st = stats_new();
  }
  round_trip(text, size);
  as_lines(text, size);
  free(text);
  return 0;
}
