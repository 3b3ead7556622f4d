/* From one input line to spans and log records in the store. */
#ifndef TREE_INGEST_H
#define TREE_INGEST_H

#include "json.h"
#include "store.h"
#include "strbuf.h"

typedef struct ingest {
  store *st;
  bool keep_detail;        /* keep attributes and records' JSON (tree, --json, --html) */
  bool has_only;           /* --trace: records of other traces are dropped on arrival */
  uint8_t only[16];
  uint64_t line;
  double now;
  jparser jp;
  strbuf tmp;
} ingest;

void ingest_init(ingest *in, store *st);
void ingest_fini(ingest *in);
/* false when the line is not a record the tool can read (it is then counted as skipped);
 * text[len] must be readable. */
bool ingest_line(ingest *in, const char *text, size_t len);

/* ---- shared by the spanlog and OTLP readers */
/* Reads what the outputs show from a span's attributes (a plain JSON object). */
void span_take_attrs(ingest *in, span *sp, const jval *attrs);
bool id_from(const jval *v, uint8_t *out, size_t bytes);
/* Hands a span or record to the store unless --trace filters its trace out. */
void emit_span(ingest *in, const uint8_t tid[16], span *sp);
void emit_log(ingest *in, const uint8_t tid[16], logrec *l);
char *dup_str(const jval *v);
bool otlp_traces(ingest *in, const jval *root);
bool otlp_logs(ingest *in, const jval *root);

#endif
