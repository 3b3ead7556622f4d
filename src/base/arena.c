#include "base/arena.h"

#include <stdint.h>
#include <stdlib.h>

#include "base/common.h"

#define BLOCK 65536

struct sl_arena_block {
  sl_arena_block *next;
  size_t size, used;
  _Alignas(8) unsigned char data[];
};

static sl_arena_block *new_block(size_t size) {
  sl_arena_block *b = malloc(sizeof *b + size);
  if (!b) return NULL;
  b->next = NULL;
  b->size = size;
  b->used = 0;
  return b;
}

void *sl_arena_alloc(sl_arena *a, size_t n) {
  if (n > SIZE_MAX - 8) return NULL;
  n = sl_align8(n);
  for (sl_arena_block *b = a->cur; b; b = b->next) {
    if (b->size - b->used >= n) {
      a->cur = b;
      void *p = b->data + b->used;
      b->used += n;
      return p;
    }
  }
  sl_arena_block *b = new_block(n > BLOCK ? n : BLOCK);
  if (!b) return NULL;
  /* appended, so that blocks before it stay in use until the reset */
  sl_arena_block **tail = &a->head;
  while (*tail) tail = &(*tail)->next;
  *tail = b;
  a->cur = b;
  b->used = n;
  return b->data;
}

/* Blocks larger than the usual size served one huge value: they go, the rest stay. */
void sl_arena_reset(sl_arena *a) {
  for (sl_arena_block **p = &a->head; *p;) {
    sl_arena_block *b = *p;
    if (b->size > BLOCK) {
      *p = b->next;
      free(b);
      continue;
    }
    b->used = 0;
    p = &b->next;
  }
  a->cur = a->head;
}

void sl_arena_free(sl_arena *a) {
  for (sl_arena_block *b = a->head, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  a->head = a->cur = NULL;
}
