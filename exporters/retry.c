/* See retry.h. */
#include "exporters/retry.h"

sl_retry_class sl_retry_classify(sl_http_error error, int status, int body_truncated) {
  switch (error) {
  case SL_HTTP_OK: break;
  case SL_HTTP_ERR_RESOLVE: /* a Collector beside the agent may simply not be up yet */
  case SL_HTTP_ERR_CONNECT:
  case SL_HTTP_ERR_TIMEOUT:
  case SL_HTTP_ERR_CLOSED:
  case SL_HTTP_ERR_IO:
    return SL_RETRY_RETRYABLE;
  case SL_HTTP_ERR_PROTOCOL: /* not an OTLP/HTTP peer: asking again gets the same answer */
  case SL_HTTP_ERR_NOMEM:
    return SL_RETRY_PERMANENT;
  }
  if (body_truncated) return SL_RETRY_PERMANENT;
  if (status >= 200 && status < 300) return SL_RETRY_SUCCESS;
  if (status == 429 || status == 502 || status == 503 || status == 504) return SL_RETRY_RETRYABLE;
  return SL_RETRY_PERMANENT;
}

uint64_t sl_retry_splitmix(void *ctx) {
  uint64_t *s = ctx;
  uint64_t z = (*s += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

int64_t sl_retry_backoff_ceiling(const sl_retry_policy *p, int attempts) {
  int64_t c = p->initial_backoff_ms > 0 ? p->initial_backoff_ms : 0;
  int mult = p->multiplier > 1 ? p->multiplier : 1;
  for (int i = 1; i < attempts && c < p->max_backoff_ms; i++) c *= mult;
  return c < p->max_backoff_ms ? c : p->max_backoff_ms;
}

int64_t sl_retry_delay(const sl_retry_policy *p, int attempts, int64_t retry_after_ms,
                       int64_t elapsed_ms, int64_t budget_ms, sl_retry_random rnd, void *rnd_ctx) {
  if (attempts < 1 || (p->max_attempts > 0 && attempts >= p->max_attempts)) return -1;
  int64_t ceiling = sl_retry_backoff_ceiling(p, attempts);
  /* Full jitter: the modulo's bias is below 2^-28 for any ceiling under a day. */
  int64_t wait = ceiling > 0 ? (int64_t)(rnd(rnd_ctx) % (uint64_t)(ceiling + 1)) : 0;
  if (retry_after_ms >= 0 && wait < retry_after_ms) wait = retry_after_ms;
  if (budget_ms > 0 && elapsed_ms + wait >= budget_ms) return -1;
  return wait;
}
