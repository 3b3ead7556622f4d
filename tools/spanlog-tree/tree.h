/* A finished trace as a tree: parents linked, children and records in time order, totals. */
#ifndef TREE_TREE_H
#define TREE_TREE_H

#include "model.h"
#include "pricing.h"

typedef struct node {
  span *s;
  int parent, first_kid, last_kid, next_sib;
  size_t log0, nlog;   /* its records: tree.logs[log0 .. log0+nlog) */
  int depth;
  bool orphan;         /* its parent is named but not in the input */
  bool counted;        /* its tokens count in the totals (no descendant carries usage) */
  bool sub_usage;      /* it or a descendant carries usage */
  int priced;          /* 1 cost known, -1 model not in the table, 0 nothing to price */
  double cost;
} node;

typedef struct tree {
  trace *t;
  node *nodes;
  size_t n;
  int *roots;
  size_t nroots;
  logrec **logs;
  int64_t start, end;
  double dur_ms;
  size_t nspans;       /* spans of the input (stand-ins for missing spans not counted) */
  size_t errors;       /* spans with error status */
  size_t error_logs;
  int64_t in_tok, out_tok;
  bool has_cost;       /* a table was given and some span was priced */
  double cost;
  char **unpriced;     /* models used here that the table lacks, sorted, unique */
  size_t nunpriced;
} tree;

/* Takes the trace; tree_free frees both. prices may be NULL. */
tree *tree_build(trace *t, const pricing *prices);
void tree_free(tree *tr);

/* Pre-order walk without recursion (a hostile input may nest a million deep):
 * fn(enter=true) before a node's children, fn(enter=false) after them. */
typedef void (*visit_fn)(tree *tr, int node, bool enter, void *ctx);
void tree_walk(tree *tr, visit_fn fn, void *ctx);
const char *root_name(const tree *tr);

#endif
