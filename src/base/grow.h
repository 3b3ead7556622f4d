/* Growing a plain array of elements to hold at least `need` of them. */
#ifndef SL_GROW_H
#define SL_GROW_H

#include <stdlib.h>

/* *arrayp (an array of *cap elements of elem bytes) made to hold need: capacity doubled
   from 16 as needed. 0, or -1 without memory (the array as it was). */
static inline int sl_grow(void *arrayp, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : 16;
  while (n < need) n *= 2;
  void *p = realloc(*(void **)arrayp, n * elem);
  if (!p) return -1;
  *(void **)arrayp = p;
  *cap = n;
  return 0;
}

#endif
