/* The OTLP exporter's retry policy as pure functions (SPEC-NOTES §3.1): which outcomes are
 * worth another attempt, and how long to wait before it. No clock, no sleep, no global
 * random state: the caller passes the time spent and a random source, so tests are exact.
 *
 * Defaults: first backoff 1 s, doubled after each failure, capped at 32 s, at most 6 attempts
 * (the OpenTelemetry Python exporters' ladder 1, 2, 4, 8, 16, 32 s), with full jitter: the
 * wait is uniform in [0, backoff], as the Java SDK's RetryInterceptor draws it; the whole export,
 * waits included, stays within the caller's budget (OTEL_EXPORTER_OTLP_TIMEOUT). The
 * specification itself asks only for "exponential backoff with jitter" and for Retry-After to be
 * honoured. */
#ifndef SL_EXPORTERS_RETRY_H
#define SL_EXPORTERS_RETRY_H

#include <stdint.h>

#include "exporters/http.h"

typedef enum sl_retry_class {
  SL_RETRY_SUCCESS = 0, /* 2xx: delivered (a partial_success is reported, never retried) */
  SL_RETRY_RETRYABLE,   /* 429, 502, 503, 504, no connection, reset, timeout */
  SL_RETRY_PERMANENT,   /* any other status, a malformed response, a response over the cap */
} sl_retry_class;

/* Classifies one attempt's outcome: error from sl_http_post, status when error is OK.
   body_truncated is the result's flag: a response over 4 MiB is a non-retryable error. */
sl_retry_class sl_retry_classify(sl_http_error error, int status, int body_truncated);

typedef struct sl_retry_policy {
  int64_t initial_backoff_ms; /* the ceiling of the first wait */
  int64_t max_backoff_ms;     /* the ceiling never grows past this */
  int multiplier;             /* the ceiling's growth per failed attempt */
  int max_attempts;           /* including the first; 0: only the budget bounds them */
} sl_retry_policy;

#define SL_RETRY_POLICY_DEFAULT {1000, 32000, 2, 6}

/* A source of uniformly random 64-bit numbers. */
typedef uint64_t (*sl_retry_random)(void *ctx);

/* A small generator for the exporter (splitmix64 over *ctx, a uint64_t seed it advances). */
uint64_t sl_retry_splitmix(void *ctx);

/* The ceiling of the wait after `attempts` failed attempts (1 after the first failure). */
int64_t sl_retry_backoff_ceiling(const sl_retry_policy *p, int attempts);

/* After a retryable failure of attempt number `attempts` (1 = the first), elapsed_ms after the
   export began, with budget_ms in all (0: no limit): the delay before the next attempt, or -1
   to give up (attempts used up, or the next attempt could not start before the budget ends).
   retry_after_ms (-1: none) is a floor: the wait is never shorter than the server asked, and
   when that would pass the budget the export gives up rather than come back early. */
int64_t sl_retry_delay(const sl_retry_policy *p, int attempts, int64_t retry_after_ms,
                       int64_t elapsed_ms, int64_t budget_ms, sl_retry_random rnd, void *rnd_ctx);

#endif
