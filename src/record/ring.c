#include "record/ring.h"

#include <stdlib.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

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

#if defined(__x86_64__)
/* CLFLUSHOPT where the CPU has it (CPUID leaf 7, EBX bit 23): unlike CLFLUSH, flushes of
   different lines do not wait for one another. */
static int has_clflushopt(void) {
  static int known = -1;
  if (known < 0) {
    unsigned a, b, c, d;
    known = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 23 & 1);
  }
  return known;
}

__attribute__((target("clflushopt"))) static void flush_lines_opt(const unsigned char *p, size_t lines) {
  for (size_t i = 0; i < lines; i++) __builtin_ia32_clflushopt(p + SL_CACHELINE * i);
}

static void flush_lines(const unsigned char *p, size_t lines) {
  if (has_clflushopt()) flush_lines_opt(p, lines);
  else
    for (size_t i = 0; i < lines; i++) __builtin_ia32_clflush(p + SL_CACHELINE * i);
}
#else
static void flush_lines(const unsigned char *p, size_t lines) { (void)p, (void)lines; }
#endif

void sl_ring_drop_read_lines(const sl_ring *r, uint64_t from, uint64_t to) {
  from &= ~(uint64_t)(SL_CACHELINE - 1);
  to &= ~(uint64_t)(SL_CACHELINE - 1); /* the line `to` is in may still be written */
  if (to <= from) return;
  if (to - from > r->cap) from = to - r->cap;
  while (from < to) { /* in at most two pieces: the ring wraps */
    uint64_t off = from & (r->cap - 1);
    uint64_t n = to - from < r->cap - off ? to - from : r->cap - off;
    flush_lines(r->buf + off, n / SL_CACHELINE);
    from += n;
  }
}
