#include "clock.h"

#include "spanlog/testing.h"

_Atomic(sl_clock_fn) sl_clock_hook;

void sl_set_clock(uint64_t (*now_ns)(void)) { atomic_store(&sl_clock_hook, now_ns); }
