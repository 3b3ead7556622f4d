/* A bump allocator for one record's worth of new strings (values that processors set
 * or replace), reset after every record. Its blocks are kept, so a steady stream of
 * records allocates nothing. */
#ifndef SL_ARENA_H
#define SL_ARENA_H

#include <stddef.h>

typedef struct sl_arena_block sl_arena_block;
typedef struct sl_arena {
  sl_arena_block *head, *cur;
} sl_arena;

/* n bytes aligned to 8, valid until the next reset; NULL without memory. */
void *sl_arena_alloc(sl_arena *a, size_t n);
void sl_arena_reset(sl_arena *a);
void sl_arena_free(sl_arena *a);

#endif
