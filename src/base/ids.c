#include "base/ids.h"

#include <stdatomic.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* xoshiro256** (Blackman and Vigna): 64 random bits in a few cycles, with no lock. */
typedef struct rng {
  uint64_t s[4];
  uint64_t seeded_in; /* the fork generation it was seeded in; 0: never */
} rng;

static _Thread_local rng tls_rng __attribute__((tls_model("initial-exec")));
static _Atomic uint64_t fork_generation = 1;

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next(rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* splitmix64 spreads a weak fallback seed over the whole state. */
static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static void seed(rng *r, uint64_t generation) {
  if (getrandom(r->s, sizeof r->s, GRND_NONBLOCK) != (ssize_t)sizeof r->s) {
    /* No entropy yet (early boot) or no getrandom: time, pid and addresses differ per
       process and thread, which keeps ids unique though not unpredictable. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 16) ^
                 (uint64_t)(uintptr_t)r;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
  }
  if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) r->s[0] = 1; /* the one state xoshiro can't leave */
  r->seeded_in = generation;
}

static rng *thread_rng(void) {
  rng *r = &tls_rng;
  uint64_t generation = atomic_load_explicit(&fork_generation, memory_order_relaxed);
  if (r->seeded_in != generation) seed(r, generation);
  return r;
}

void sl_new_trace_id(uint8_t id[16]) {
  rng *r = thread_rng();
  uint64_t a, b;
  do {
    a = next(r), b = next(r);
  } while (!(a | b));
  memcpy(id, &a, 8);
  memcpy(id + 8, &b, 8);
}

void sl_new_span_id(uint8_t id[8]) {
  rng *r = thread_rng();
  uint64_t a;
  do a = next(r);
  while (!a);
  memcpy(id, &a, 8);
}

/* Bytes 0..7: the sampler reads bytes 8..15, so the two choices stay independent. */
double sl_trace_id_fraction(const uint8_t trace_id[16]) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | trace_id[i];
  return (double)(v >> 11) / 9007199254740992.0; /* 53 bits into [0, 1) */
}

void sl_ids_after_fork(void) { atomic_fetch_add(&fork_generation, 1); }
