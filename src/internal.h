/* Small helpers shared by spanlog's sources. Internal: not installed. */
#ifndef SL_INTERNAL_H
#define SL_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define SL_LIKELY(x) __builtin_expect(!!(x), 1)
#define SL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SL_COLD __attribute__((cold, noinline))
#define SL_ALWAYS_INLINE inline __attribute__((always_inline))
#define SL_CACHELINE 64

static inline size_t sl_align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Writes a diagnostic about spanlog itself to stderr with write(2): never through the
   logging pipeline, so a failing sink cannot recurse into itself. */
void sl_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
