#include "base/clock.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "spanlog/testing.h"

_Atomic(sl_clock_fn) sl_clock_hook;
sl_tsc_scale sl_tsc;

sl_wall_offset sl_wall;

void sl_set_clock(uint64_t (*now_ns)(void)) {
  atomic_store(&sl_clock_hook, now_ns);
  atomic_store(&sl_wall.taken_at, 0);
}

uint64_t sl_wall_renew(uint64_t mono_ns) {
  if (atomic_load_explicit(&sl_clock_hook, memory_order_relaxed)) return sl_now_ns();
  /* A stepped wall clock shows within a second; between renewals the wall clock runs at
     the monotonic clock's rate (they differ by NTP's slew, at most 0.05 %). */
  int64_t offset = (int64_t)(sl_now_ns() - sl_mono_ns());
  atomic_store_explicit(&sl_wall.offset, offset, memory_order_relaxed);
  atomic_store_explicit(&sl_wall.taken_at, mono_ns ? mono_ns : 1, memory_order_release);
  /* A hook set meanwhile must not be passed by: back to renewing (and asking it). */
  if (atomic_load(&sl_clock_hook)) atomic_store(&sl_wall.taken_at, 0);
  return (uint64_t)((int64_t)mono_ns + offset);
}

#if defined(__x86_64__)
/* Only a TSC that ticks at a constant rate in every power state and on every core
   (CPUID 0x80000007, EDX bit 8) can stand in for the monotonic clock. */
static int tsc_invariant(void) {
  unsigned a, b, c, d;
  return __get_cpuid(0x80000007, &a, &b, &c, &d) && (d >> 8 & 1);
}

#define CALIBRATE_AFTER_NS 50000000u /* the first scale: 50 ms of ticks */
#define RENEW_EVERY_NS 1000000000u

void sl_clock_calibrate(void) {
  static int usable = -1;
  static uint64_t first_tsc, first_mono, renewed;
  if (usable < 0) usable = tsc_invariant();
  if (!usable) return;
  uint64_t mono = sl_mono_syscall_ns(), tsc = __rdtsc();
  if (!first_tsc) {
    first_tsc = tsc, first_mono = mono;
    return;
  }
  if (mono - first_mono < CALIBRATE_AFTER_NS || (renewed && mono - renewed < RENEW_EVERY_NS)) return;
  if (tsc <= first_tsc) return;
  /* The rate over everything since the first sample, anchored at this one, so that the
     scaled clock neither drifts nor strays from CLOCK_MONOTONIC. */
  __extension__ unsigned __int128 span_ns = (unsigned __int128)(mono - first_mono) << 32;
  uint64_t mult = (uint64_t)(span_ns / (tsc - first_tsc));
  uint32_t seq = atomic_load_explicit(&sl_tsc.seq, memory_order_relaxed);
  atomic_store_explicit(&sl_tsc.seq, seq + 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&sl_tsc.tsc0, tsc, memory_order_relaxed);
  atomic_store_explicit(&sl_tsc.mono0, mono, memory_order_relaxed);
  atomic_store_explicit(&sl_tsc.mult, mult, memory_order_relaxed);
  atomic_store_explicit(&sl_tsc.seq, seq + 2, memory_order_release);
  renewed = mono;
}
#else
void sl_clock_calibrate(void) {}
#endif
