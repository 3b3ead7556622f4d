/* Open traces while the input streams by, and the policy that decides when one is done.
 *
 * spanlog writes a span when it ends, so a trace's root span (no parent) comes after
 * its children and after the records made inside it. A trace whose root has arrived is
 * handed on once no record of it came for a grace period (lines of input, or seconds
 * with --follow); a span that still turns up later starts a new fragment of the same
 * trace, printed separately, never dropped. Traces without a root (the parent lives in
 * another process) wait for the end of the input, or for the cap on open traces. */
#ifndef TREE_STORE_H
#define TREE_STORE_H

#include "model.h"

/* Receives a finished trace and owns it from then on. */
typedef void (*trace_sink)(trace *t, void *ctx);

typedef struct store store;

typedef struct store_policy {
  uint64_t grace_lines;  /* 0: never by line count (several files read as one set) */
  double grace_seconds;  /* 0: never by time; with --follow */
  double orphan_seconds; /* traces without a root, with --follow */
  size_t max_open;       /* beyond it the least recently touched trace goes */
} store_policy;

store *store_new(store_policy policy, trace_sink sink, void *ctx);
void store_free(store *s);
/* Both take the record (its strings move into the store). line is the input line number. */
void store_add_span(store *s, const uint8_t trace_id[16], span *sp, uint64_t line, double now);
void store_add_log(store *s, const uint8_t trace_id[16], logrec *l, uint64_t line, double now);
/* Hands on the traces the policy says are done. */
void store_tick(store *s, uint64_t line, double now);
/* Hands on every open trace, earliest start first. */
void store_drain(store *s);
size_t store_open_count(const store *s);

#endif
