/* The retry policy: what is retried, the backoff ladder with full jitter drawn from a fixed
 * random source, Retry-After as a floor, and the total budget. */
#include <stdint.h>

#include "exporters/retry.h"
#include "../check.h"

static void classification(void) {
  static const struct {
    sl_http_error e;
    int status, truncated;
    sl_retry_class want;
  } t[] = {
    {SL_HTTP_OK, 200, 0, SL_RETRY_SUCCESS},
    {SL_HTTP_OK, 202, 0, SL_RETRY_SUCCESS},
    {SL_HTTP_OK, 429, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_OK, 502, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_OK, 503, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_OK, 504, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_OK, 400, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_OK, 401, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_OK, 404, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_OK, 408, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_OK, 413, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_OK, 500, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_OK, 501, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_OK, 301, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_OK, 200, 1, SL_RETRY_PERMANENT}, /* a response over 4 MiB */
    {SL_HTTP_ERR_CONNECT, 0, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_ERR_RESOLVE, 0, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_ERR_TIMEOUT, 0, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_ERR_CLOSED, 0, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_ERR_IO, 0, 0, SL_RETRY_RETRYABLE},
    {SL_HTTP_ERR_PROTOCOL, 0, 0, SL_RETRY_PERMANENT},
    {SL_HTTP_ERR_NOMEM, 0, 0, SL_RETRY_PERMANENT},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    CHECK_INT(sl_retry_classify(t[i].e, t[i].status, t[i].truncated), t[i].want);
}

static void ceilings(void) {
  sl_retry_policy p = SL_RETRY_POLICY_DEFAULT;
  static const int64_t want[] = {1000, 2000, 4000, 8000, 16000, 32000, 32000, 32000};
  for (int a = 1; a <= 8; a++) CHECK_INT(sl_retry_backoff_ceiling(&p, a), want[a - 1]);
  sl_retry_policy q = {500, 3000, 3, 0};
  CHECK_INT(sl_retry_backoff_ceiling(&q, 1), 500);
  CHECK_INT(sl_retry_backoff_ceiling(&q, 2), 1500);
  CHECK_INT(sl_retry_backoff_ceiling(&q, 3), 3000);
  CHECK_INT(sl_retry_backoff_ceiling(&q, 1000), 3000); /* no overflow */
}

/* Returns the numbers of a list in turn. */
typedef struct fixed {
  const uint64_t *v;
  int i;
} fixed;

static uint64_t next(void *ctx) {
  fixed *f = ctx;
  return f->v[f->i++];
}

static void full_jitter(void) {
  sl_retry_policy p = SL_RETRY_POLICY_DEFAULT;
  static const uint64_t r[] = {0, 1000, 1001, 2000, UINT64_MAX, 12345};
  fixed f = {r, 0};
  /* attempt 1: ceiling 1000, wait = r % 1001 */
  CHECK_INT(sl_retry_delay(&p, 1, -1, 0, 0, next, &f), 0);
  CHECK_INT(sl_retry_delay(&p, 1, -1, 0, 0, next, &f), 1000);
  CHECK_INT(sl_retry_delay(&p, 1, -1, 0, 0, next, &f), 0);
  /* attempt 2: ceiling 2000 */
  CHECK_INT(sl_retry_delay(&p, 2, -1, 0, 0, next, &f), 2000);
  CHECK_INT(sl_retry_delay(&p, 2, -1, 0, 0, next, &f), (int64_t)(UINT64_MAX % 2001));
  /* attempt 5: ceiling 16000 */
  CHECK_INT(sl_retry_delay(&p, 5, -1, 0, 0, next, &f), 12345);
}

static void jitter_spread(void) {
  sl_retry_policy p = SL_RETRY_POLICY_DEFAULT;
  uint64_t seed = 42;
  int64_t lo = INT64_MAX, hi = -1;
  for (int i = 0; i < 10000; i++) {
    int64_t d = sl_retry_delay(&p, 3, -1, 0, 0, sl_retry_splitmix, &seed);
    CHECK(d >= 0 && d <= 4000);
    lo = d < lo ? d : lo;
    hi = d > hi ? d : hi;
  }
  CHECK(lo < 100);  /* full jitter reaches down to 0 ... */
  CHECK(hi > 3900); /* ... and up to the ceiling */
}

static void attempts_bound(void) {
  sl_retry_policy p = SL_RETRY_POLICY_DEFAULT;
  uint64_t seed = 1;
  CHECK(sl_retry_delay(&p, 5, -1, 0, 0, sl_retry_splitmix, &seed) >= 0);
  CHECK_INT(sl_retry_delay(&p, 6, -1, 0, 0, sl_retry_splitmix, &seed), -1); /* 6 attempts made */
  CHECK_INT(sl_retry_delay(&p, 0, -1, 0, 0, sl_retry_splitmix, &seed), -1);
  sl_retry_policy unbounded = {1000, 32000, 2, 0};
  CHECK(sl_retry_delay(&unbounded, 100, -1, 0, 0, sl_retry_splitmix, &seed) >= 0);
}

static void budget(void) {
  sl_retry_policy p = SL_RETRY_POLICY_DEFAULT;
  static const uint64_t r[] = {800, 800, 800, 800};
  fixed f = {r, 0};
  CHECK_INT(sl_retry_delay(&p, 1, -1, 9000, 10000, next, &f), 800);  /* 9.8 s < 10 s */
  CHECK_INT(sl_retry_delay(&p, 1, -1, 9200, 10000, next, &f), -1);   /* would start at 10 s */
  CHECK_INT(sl_retry_delay(&p, 1, -1, 10000, 10000, next, &f), -1);  /* already over */
  CHECK_INT(sl_retry_delay(&p, 1, -1, 0, 0, next, &f), 800);         /* 0: no budget */
}

static void retry_after_is_a_floor(void) {
  sl_retry_policy p = SL_RETRY_POLICY_DEFAULT;
  static const uint64_t r[] = {100, 1500, 0, 0, 0};
  fixed f = {r, 0};
  CHECK_INT(sl_retry_delay(&p, 1, 3000, 0, 10000, next, &f), 3000); /* never sooner */
  CHECK_INT(sl_retry_delay(&p, 2, 1000, 0, 10000, next, &f), 1500); /* backoff already longer */
  CHECK_INT(sl_retry_delay(&p, 1, 0, 0, 10000, next, &f), 0);       /* "Retry-After: 0" */
  CHECK_INT(sl_retry_delay(&p, 1, 20000, 0, 10000, next, &f), -1);  /* never past the budget */
  CHECK_INT(sl_retry_delay(&p, 1, 60000, 0, 0, next, &f), 60000);   /* no budget: as asked */
}

int main(void) {
  RUN(classification);
  RUN(ceilings);
  RUN(full_jitter);
  RUN(jitter_spread);
  RUN(attempts_bound);
  RUN(budget);
  RUN(retry_after_is_a_floor);
  return check_exit();
}
