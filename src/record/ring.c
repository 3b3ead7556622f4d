#include "record/ring.h"

#include <stdlib.h>

sl_ring *sl_ring_new(uint64_t cap) {
  sl_ring *r = aligned_alloc(SL_CACHELINE, sizeof *r);
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->buf = aligned_alloc(SL_CACHELINE, cap);
  if (!r->buf) {
    free(r);
    return NULL;
  }
  r->cap = cap;
  r->big = cap / 4;
  return r;
}

void sl_ring_free(sl_ring *r) {
  if (!r) return;
  free(r->buf);
  free(r);
}

void sl_ring_reset(sl_ring *r) {
  r->wpos = r->cached_rpos = 0;
  r->announced_frame = r->announced_span = UINT64_MAX;
  r->writing = 0;
  atomic_store(&r->committed, 0);
  atomic_store(&r->rpos, 0);
  atomic_store(&r->closed, 0);
}

void *sl_ring_reserve_refresh(sl_ring *r, uint64_t size, unsigned max_fill_eighths) {
  r->cached_rpos = atomic_load_explicit(&r->rpos, memory_order_acquire);
  return sl_ring_fits(r, size, r->cached_rpos, max_fill_eighths) ? sl_ring_place(r, size) : NULL;
}
