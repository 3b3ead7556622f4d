/* The wall clock of record timestamps, with a hook that tests use to fix it. */
#ifndef SL_CLOCK_H
#define SL_CLOCK_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

typedef uint64_t (*sl_clock_fn)(void);
extern _Atomic(sl_clock_fn) sl_clock_hook;

/* Nanoseconds since the Unix epoch. */
static inline uint64_t sl_now_ns(void) {
  sl_clock_fn hook = atomic_load_explicit(&sl_clock_hook, memory_order_relaxed);
  if (hook) return hook();
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t sl_mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The wall clock at the moment of a monotonic reading, through an offset renewed once a
   second: a span's start costs one clock reading instead of two. */
uint64_t sl_wall_at(uint64_t mono_ns);

#endif
