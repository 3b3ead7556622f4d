/* --stats: across all traces, durations per span name (p50/p95/p99), tool error rates,
 * tokens and cost per model. Memory grows with the number of distinct names, not spans:
 * durations go into log-linear histograms whose buckets are under 1% wide. */
#ifndef TREE_STATS_H
#define TREE_STATS_H

#include "render.h"

typedef struct stats stats;

stats *stats_new(void);
void stats_free(stats *st);
void stats_add(stats *st, const tree *tr);
void stats_render(stats *st, const render_ctx *rc, strbuf *out);
/* The duration at percentile p (0..100] of one span name, for tests of the histogram. */
double stats_percentile(const stats *st, const char *name, double p);

#endif
