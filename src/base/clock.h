/* Clocks: the wall clock of record timestamps (with a hook that tests use to fix it,
 * which then drives span times too) and the monotonic clock of span durations. On x86-64 with an invariant TSC, the
 * monotonic clock is the TSC scaled by a calibration the backend renews every second:
 * one rdtsc instead of a clock_gettime call. */
#ifndef SL_CLOCK_H
#define SL_CLOCK_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

typedef uint64_t (*sl_clock_fn)(void);
extern _Atomic(sl_clock_fn) sl_clock_hook;

/* Wall-clock nanoseconds since the Unix epoch, from the system (or the hook). */
static inline uint64_t sl_now_ns(void) {
  sl_clock_fn hook = atomic_load_explicit(&sl_clock_hook, memory_order_relaxed);
  if (hook) return hook();
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t sl_mono_syscall_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* TSC scale, published under a sequence counter (odd while it changes). mult is
   nanoseconds per tick in 32.32 fixed point; 0 until calibrated. */
typedef struct sl_tsc_scale {
  _Atomic uint32_t seq;
  _Atomic uint64_t tsc0, mono0, mult;
} sl_tsc_scale;
extern sl_tsc_scale sl_tsc;

/* Monotonic nanoseconds. */
static inline uint64_t sl_mono_ns(void) {
#if defined(__x86_64__)
  for (;;) {
    uint32_t seq = atomic_load_explicit(&sl_tsc.seq, memory_order_acquire);
    uint64_t mult = atomic_load_explicit(&sl_tsc.mult, memory_order_relaxed);
    if (!mult) break;
    uint64_t tsc0 = atomic_load_explicit(&sl_tsc.tsc0, memory_order_relaxed);
    uint64_t mono0 = atomic_load_explicit(&sl_tsc.mono0, memory_order_relaxed);
    uint64_t now = __rdtsc();
    atomic_thread_fence(memory_order_acquire);
    if ((seq & 1) || atomic_load_explicit(&sl_tsc.seq, memory_order_relaxed) != seq) continue;
    uint64_t ticks = now > tsc0 ? now - tsc0 : 0;
    __extension__ unsigned __int128 scaled = (unsigned __int128)ticks * mult;
    return mono0 + (uint64_t)(scaled >> 32);
  }
#endif
  return sl_mono_syscall_ns();
}

/* Wall minus monotonic clock, and when it was taken (monotonic ns; 0 forces a renewal,
   and stays 0 while a hook is set). */
typedef struct sl_wall_offset {
  _Atomic int64_t offset;
  _Atomic uint64_t taken_at;
} sl_wall_offset;
extern sl_wall_offset sl_wall;

/* Renews the offset (or asks the hook) and returns the wall clock at mono_ns. */
uint64_t sl_wall_renew(uint64_t mono_ns);

/* The wall clock at the moment of a monotonic reading, through an offset renewed once a
   second; the hook's time if one is set. Two loads and an add in the common case. */
static inline uint64_t sl_wall_at(uint64_t mono_ns) {
  uint64_t taken = atomic_load_explicit(&sl_wall.taken_at, memory_order_relaxed);
  if (__builtin_expect(!taken || mono_ns - taken > 1000000000u, 0)) return sl_wall_renew(mono_ns);
  return (uint64_t)((int64_t)mono_ns + atomic_load_explicit(&sl_wall.offset, memory_order_relaxed));
}

/* The timestamp of a record: the wall clock, for one monotonic reading. */
static inline uint64_t sl_record_ns(void) { return sl_wall_at(sl_mono_ns()); }

/* A span's clock: monotonic nanoseconds for its duration, and in *wall_ns (if not NULL)
   the wall clock of that moment for its start. With a hook set both are the hook's one
   reading, so that a fake clock drives span start, end and duration alike (set it before
   the spans start: a span that starts under one clock and ends under the other has a
   meaningless duration). */
static inline uint64_t sl_span_clock_ns(uint64_t *wall_ns) {
  sl_clock_fn hook = atomic_load_explicit(&sl_clock_hook, memory_order_relaxed);
  uint64_t mono = hook ? hook() : sl_mono_ns();
  if (wall_ns) *wall_ns = hook ? mono : sl_wall_at(mono);
  return mono;
}

/* The backend renews the TSC scale with this, about once a second. */
void sl_clock_calibrate(void);

#endif
