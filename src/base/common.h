/* Small helpers shared by spanlog's sources. Internal: not installed. */
#ifndef SL_INTERNAL_H
#define SL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define SL_LIKELY(x) __builtin_expect(!!(x), 1)
#define SL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SL_COLD __attribute__((cold, noinline))
#define SL_ALWAYS_INLINE inline __attribute__((always_inline))
#define SL_CACHELINE 64

static inline size_t sl_align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* pthread_once behind a load: once it has run, a call is one acquire load, for the
   settings read on every record. */
typedef struct sl_once {
  _Atomic int done;
  pthread_once_t once;
} sl_once;
#define SL_ONCE_INIT {0, PTHREAD_ONCE_INIT}

static inline void sl_call_once(sl_once *o, void (*fn)(void)) {
  if (SL_LIKELY(atomic_load_explicit(&o->done, memory_order_acquire))) return;
  pthread_once(&o->once, fn);
  atomic_store_explicit(&o->done, 1, memory_order_release);
}

/* Writes a diagnostic about spanlog itself to stderr with write(2): never through the
   logging pipeline, so a failing sink cannot recurse into itself. */
void sl_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
