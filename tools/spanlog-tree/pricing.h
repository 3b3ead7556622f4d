/* The --pricing table: USD per million tokens, by model name. Costs are computed when the
 * input is read and never written into spans. */
#ifndef TREE_PRICING_H
#define TREE_PRICING_H

#include <stddef.h>

typedef struct price {
  char *model;
  double in_per_mtok, out_per_mtok;
} price;

typedef struct pricing {
  price *v;
  size_t n;
  int loaded;
} pricing;

/* {"models":{"claude-sonnet-4-5":{"input_per_mtok":3.0,"output_per_mtok":15.0}}}.
 * Returns 0, or -1 with a reason in err. */
int pricing_load(pricing *p, const char *path, char *err, size_t errlen);
void pricing_free(pricing *p);
const price *pricing_find(const pricing *p, const char *model);

#endif
