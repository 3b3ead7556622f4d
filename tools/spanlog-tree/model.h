/* What the tool keeps of its input: spans and log records, grouped by trace. */
#ifndef TREE_MODEL_H
#define TREE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { KIND_UNKNOWN = -1, KIND_INTERNAL, KIND_SERVER, KIND_CLIENT, KIND_PRODUCER, KIND_CONSUMER };
enum { STATUS_UNSET, STATUS_OK, STATUS_ERROR };

/* A log record. Its JSON is kept only when an output shows records (tree, --json, --html). */
typedef struct logrec {
  int64_t ts;      /* ns since the epoch, 0 when the record had none */
  uint64_t seq;    /* input order: ties of equal timestamps keep it */
  char *json;      /* one compact JSON object, or NULL */
  uint8_t span_id[8];
  bool has_span;
  bool is_error;   /* level error or critical */
} logrec;

typedef struct span {
  uint8_t span_id[8], parent_id[8];
  bool has_id;       /* false only for the stand-in of records with no span id */
  bool has_parent;
  bool placeholder;  /* a span the records name but the input lacks */
  bool has_usage;    /* carries gen_ai.usage.* tokens */
  signed char kind;
  signed char status;
  int64_t start, end; /* ns */
  double dur_ms;
  uint64_t seq;
  int64_t in_tok, out_tok;
  /* NUL-terminated, owned; NULL when absent */
  char *name, *status_msg, *attrs, *model, *op, *tool, *tool_args, *error_type;
} span;

typedef struct trace trace;
struct trace {
  uint8_t id[16];
  span *spans;
  size_t nspans, scap;
  logrec *logs;
  size_t nlogs, lcap;
  bool root_seen;      /* a span without a parent arrived: the trace is likely complete */
  uint64_t seq;        /* when the trace was first seen */
  uint64_t last_line;  /* input line of its latest record */
  double last_wall;    /* monotonic seconds of its latest record (--follow) */
  trace *hnext, *prev, *next; /* hash chain; least-recently-touched list */
};

void span_clear(span *s);
void trace_free(trace *t);
const char *kind_name(int kind);
const char *status_name(int status);
void hex_encode(const uint8_t *bytes, size_t n, char *out); /* out: 2n+1 bytes */
bool hex_decode(const char *s, size_t n, uint8_t *out, size_t bytes);
bool all_zero(const uint8_t *b, size_t n);

#endif
