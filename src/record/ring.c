#include "record/ring.h"

#include <stdlib.h>
#include <string.h>
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

/* Measured (bench/README, "Dropping read lines, by CPU"): on an AMD EPYC guest the
   producer's call fell from 31.5 to 25.7 ns (it cost 24 ns with both threads on one core);
   on an Intel Xeon guest, where it cost the same 28 ns on one core as on two (no round trip
   to save), it rose to 40 ns: a flushed line comes back from memory. */
int sl_ring_drop_pays(void) {
  static int known = -1;
  if (known < 0) {
    unsigned max, vendor[3];
    known = __get_cpuid(0, &max, &vendor[0], &vendor[2], &vendor[1]) && memcmp(vendor, "AuthenticAMD", 12) == 0;
  }
  return known;
}
#else
static void flush_lines(const unsigned char *p, size_t lines) { (void)p, (void)lines; }

int sl_ring_drop_pays(void) { return 0; }
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
