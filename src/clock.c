#include "clock.h"

#include "spanlog/testing.h"

_Atomic(sl_clock_fn) sl_clock_hook;

void sl_set_clock(uint64_t (*now_ns)(void)) { atomic_store(&sl_clock_hook, now_ns); }

static _Atomic int64_t wall_minus_mono;
static _Atomic uint64_t offset_taken_at; /* monotonic ns; 0: never */

uint64_t sl_wall_at(uint64_t mono_ns) {
  if (atomic_load_explicit(&sl_clock_hook, memory_order_relaxed)) return sl_now_ns();
  uint64_t taken = atomic_load_explicit(&offset_taken_at, memory_order_relaxed);
  if (!taken || mono_ns - taken > 1000000000u) {
    int64_t offset = (int64_t)(sl_now_ns() - sl_mono_ns());
    atomic_store_explicit(&wall_minus_mono, offset, memory_order_relaxed);
    atomic_store_explicit(&offset_taken_at, mono_ns ? mono_ns : 1, memory_order_relaxed);
    return (uint64_t)((int64_t)mono_ns + offset);
  }
  return (uint64_t)((int64_t)mono_ns + atomic_load_explicit(&wall_minus_mono, memory_order_relaxed));
}
