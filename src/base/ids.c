#include "base/ids.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/common.h"
#include "spanlog/testing.h"

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

/* ---- test mode: ids from a seed (SPANLOG_ID_SEED, sl_set_id_seed) ----
 * Id word number n of stream `stream` is a bijective mix of (seed, stream, n), n counting
 * the words of the whole process in the order they are asked for: one thread, or threads
 * that make their ids in a fixed order, get the same ids in every run. The root process
 * is stream 0. A fork takes a number off the parent's count (sl_ids_fork_prepare), and the
 * child continues on a stream made of its parent's stream and that number: it never
 * repeats its parent's ids nor a sibling's, and is itself reproducible, as long as the
 * parent forks at the same point of its sequence in every run. */

enum { IDS_UNREAD = 0, IDS_RANDOM = 1, IDS_SEEDED = 2 };

static _Atomic int id_mode;
static _Atomic uint64_t id_seed, id_stream, id_count, id_fork_number;
static sl_once env_once = SL_ONCE_INIT;

static uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static void seeded_start(uint64_t seed) {
  atomic_store(&id_seed, seed);
  atomic_store(&id_stream, 0);
  atomic_store(&id_count, 0);
  atomic_store(&id_mode, IDS_SEEDED);
}

static void mode_from_env(void) {
  const char *v = getenv("SPANLOG_ID_SEED");
  char *end;
  if (v && *v) {
    errno = 0;
    unsigned long long seed = strtoull(v, &end, 10);
    if (!errno && !*end && strspn(v, "0123456789") == strlen(v)) {
      seeded_start(seed);
      return;
    }
    sl_diag("spanlog: ignoring SPANLOG_ID_SEED=%s (expected a decimal number below 2^64); ids are random", v);
  }
  atomic_store(&id_mode, IDS_RANDOM);
}

static int ids_seeded(void) {
  int mode = atomic_load_explicit(&id_mode, memory_order_acquire);
  if (SL_UNLIKELY(mode == IDS_UNREAD)) {
    sl_call_once(&env_once, mode_from_env);
    mode = atomic_load_explicit(&id_mode, memory_order_acquire);
  }
  return mode == IDS_SEEDED;
}

/* Never 0: a word that mixes to 0 (one n in 2^64) is skipped. */
static uint64_t seeded_word(void) {
  uint64_t key = atomic_load_explicit(&id_seed, memory_order_relaxed) ^
                 mix(atomic_load_explicit(&id_stream, memory_order_relaxed) + 0x9e3779b97f4a7c15u);
  uint64_t w;
  do w = mix(key + atomic_fetch_add_explicit(&id_count, 1, memory_order_relaxed) * 0x9e3779b97f4a7c15u);
  while (!w);
  return w;
}

void sl_set_id_seed(uint64_t seed) {
  sl_call_once(&env_once, mode_from_env); /* the environment no longer overrides this */
  seeded_start(seed);
}

void sl_set_random_ids(void) {
  sl_call_once(&env_once, mode_from_env);
  atomic_store(&id_mode, IDS_RANDOM);
}

void sl_ids_fork_prepare(void) {
  if (atomic_load(&id_mode) == IDS_SEEDED) atomic_store(&id_fork_number, atomic_fetch_add(&id_count, 1));
}

/* ---- ids ---- */

void sl_new_trace_id(uint8_t id[16]) {
  uint64_t a, b;
  if (ids_seeded()) {
    a = seeded_word(), b = seeded_word();
  } else {
    rng *r = thread_rng();
    do {
      a = next(r), b = next(r);
    } while (!(a | b));
  }
  memcpy(id, &a, 8);
  memcpy(id + 8, &b, 8);
}

void sl_new_span_id(uint8_t id[8]) {
  uint64_t a;
  if (ids_seeded()) {
    a = seeded_word();
  } else {
    rng *r = thread_rng();
    do a = next(r);
    while (!a);
  }
  memcpy(id, &a, 8);
}

/* Bytes 0..7: the sampler reads bytes 8..15, so the two choices stay independent. */
double sl_trace_id_fraction(const uint8_t trace_id[16]) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | trace_id[i];
  return (double)(v >> 11) / 9007199254740992.0; /* 53 bits into [0, 1) */
}

void sl_ids_after_fork(void) {
  atomic_fetch_add(&fork_generation, 1);
  if (atomic_load(&id_mode) != IDS_SEEDED) return;
  uint64_t parent = atomic_load(&id_stream);
  atomic_store(&id_stream, mix(parent ^ mix(atomic_load(&id_fork_number) + 1)));
  atomic_store(&id_count, 0);
}
