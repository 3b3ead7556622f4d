/* Trace samplers as the OpenTelemetry SDK configures them from OTEL_TRACES_SAMPLER and
   OTEL_TRACES_SAMPLER_ARG (SPEC-NOTES §5, §6). Only the built-in samplers; jaeger_remote and
   xray are recognised but unsupported and fall back to the default. Libc only, no state. */
#ifndef SL_SAMPLER_H
#define SL_SAMPLER_H

#include <stdint.h>

typedef enum {
  SL_SAMPLER_ALWAYS_ON,
  SL_SAMPLER_ALWAYS_OFF,
  SL_SAMPLER_TRACEIDRATIO,
  SL_SAMPLER_PARENT_ALWAYS_ON,
  SL_SAMPLER_PARENT_ALWAYS_OFF,
  SL_SAMPLER_PARENT_TRACEIDRATIO,
  /* Consistent probability sampling (OpenTelemetry's tracestate probability sampling):
     sampled iff the trace's randomness R (its last 7 bytes, or ot=rv:) is at least the
     rejection threshold T = (1 - p) * 2^56; the
     decision then agrees with every SDK that implements it, and a sampled trace says so in
     tracestate: ot=th:<T>. */
  SL_SAMPLER_PROBABILITY,
  SL_SAMPLER_PARENT_PROBABILITY
} sl_sampler_kind;

/* The exact bound 2^64 (ratio 1.0: every id) does not fit a uint64_t, so UINT64_MAX stands
   for it. No ratio below 1.0 rounds to 2^64 - 1 (the largest product below 2^64 is
   2^64 - 2^11), so the sentinel is unambiguous. */
#define SL_SAMPLER_BOUND_ALL UINT64_MAX

/* kind: the sampler. ratio: the TraceIdRatioBased ratio for the *traceidratio kinds; for the
   others 1.0 (always_on roots) or 0.0 (always_off roots). bound: sl_sampler_ratio_bound(ratio),
   so sl_sampler_ratio_keeps() gives the root decision for every kind. */
typedef struct sl_sampler {
  sl_sampler_kind kind;
  double ratio;
  uint64_t bound;
  uint64_t threshold; /* the *probability kinds: T, 56 bits; 2^56 samples nothing */
  char tracestate[24]; /* ... and "ot=th:<T>" as a sampled trace started here sends it */
} sl_sampler;

#define SL_SAMPLER_THRESHOLD_NONE ((uint64_t)1 << 56)

/* T for a probability p in [0, 1], rounded to 4 significant hex digits (more for tiny or
   nearly 1 probabilities) as the specification advises SDKs to; 2^56 for p = 0. */
uint64_t sl_sampler_threshold(double p);
/* T as a th value: 14 hex digits without the trailing zeros ("0" for T = 0); out: 15. */
void sl_sampler_th_format(uint64_t threshold, char out[15]);
/* The trace's randomness R: ot=rv:<14 hex> from tracestate (may be NULL) if it has a
   valid one, else the last 7 bytes of the trace id. */
uint64_t sl_sampler_randomness(const uint8_t trace_id[16], const char *tracestate);

/* The tracestate that a span this sampler decided on (under a parent of another process)
   sends on, from the trace's incoming one `in` (normalized: members split by ',' without
   whitespace; NULL or "" for none). If sampled, the ot member's th becomes the sampler's
   threshold; if not, th is erased (OpenTelemetry's tracestate probability sampling). A
   changed ot member moves to the front, as W3C asks of a member its vendor modifies; its
   other sub-keys and the other members keep their order. A new ot member past 32 members
   or 512 characters drops members from the right. Returns a malloc'd string ("" when
   nothing is left), or NULL without memory. */
char *sl_sampler_tracestate_after(const sl_sampler *s, int sampled, const char *in);

/* Reads OTEL_TRACES_SAMPLER (sampler) and OTEL_TRACES_SAMPLER_ARG (arg); NULL means unset.
   - Default parentbased_always_on. Names are case-insensitive; an empty (or blank) value is
     unset; spaces and tabs around a value are ignored.
   - arg is used only by the *traceidratio samplers: a decimal float in [0,1]. Unset -> 1.0
     silently; anything else invalid -> warn and use 1.0.
   - Unknown or unsupported names (jaeger_remote, parentbased_jaeger_remote, xray, ...) -> warn
     and use the default.
   warn (may be NULL) receives one line without a trailing newline. */
void sl_sampler_from_strings(sl_sampler *s, const char *sampler, const char *arg,
                             void (*warn)(const char *msg));

/* The bound OpenTelemetry Python uses for a ratio in [0,1]: round(ratio * 2**64), product in
   double, rounded half to even; SL_SAMPLER_BOUND_ALL for 1.0. Out-of-range or NaN ratios are
   clamped (NaN -> 0). */
uint64_t sl_sampler_ratio_bound(double ratio);

/* TraceIdRatioBased: keeps the id iff its low 64 bits (bytes 8..15, big-endian) < bound. */
int sl_sampler_ratio_keeps(const sl_sampler *s, const uint8_t trace_id[16]);

/* The decision for a new span. For the parentbased kinds: no parent -> the root sampler;
   a parent -> its sampled flag (the spec's default delegates: AlwaysOn for sampled parents,
   AlwaysOff for unsampled ones, the same for remote and local parents, so parent_remote does not
   change the result today). The other kinds ignore the parent. Returns 1 to sample. */
int sl_sampler_should_sample(const sl_sampler *s, const uint8_t trace_id[16], int has_parent,
                             int parent_remote, int parent_sampled);
/* The same with the trace's randomness given (sl_sampler_randomness), for the
   *probability kinds. */
int sl_sampler_decide(const sl_sampler *s, const uint8_t trace_id[16], uint64_t randomness, int has_parent,
                      int parent_remote, int parent_sampled);

#endif
