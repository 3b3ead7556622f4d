/* W3C Trace Context across process boundaries: the traceparent and tracestate values
 * (SPEC-NOTES 4.1, 4.2) and the environment variables that carry them, and baggage, to a
 * child process (SPEC-NOTES 4.3). Pure functions over strings; libc only. */
#ifndef SL_PROPAGATION_H
#define SL_PROPAGATION_H

#include <stddef.h>
#include <stdint.h>

/* A span as it travels between processes. */
typedef struct sl_span_ref {
  uint8_t trace_id[16];
  uint8_t span_id[8];
  uint8_t flags; /* W3C trace-flags: bit 0 sampled, bit 1 random; other bits cleared */
} sl_span_ref;

/* The trace-flags bits this library knows (W3C Trace Context Level 2). */
#define SL_TRACE_FLAG_SAMPLED 0x01u
#define SL_TRACE_FLAG_RANDOM 0x02u /* the trace id is random in (at least) its right-most 7 bytes */

#define SL_TRACEPARENT_LEN 55 /* "00-<32 hex>-<16 hex>-<2 hex>" */

/* Parses a traceparent header value with every W3C rule: version ff invalid, lowercase hex
   only, all-zero trace id or parent id invalid, version 00 must be exactly 55 chars; higher
   versions: >= 55 chars, the first fields are parsed and trailing "-..." fields ignored;
   surrounding spaces/tabs tolerated. Flags keep only the sampled and random bits.
   Returns 0 with *out filled, or -1 with *out untouched. NULL value -> -1. */
int sl_span_ref_parse(const char *value, sl_span_ref *out);

/* Writes "00-<trace>-<span>-<flags>" plus NUL into out; returns SL_TRACEPARENT_LEN (55).
   Flag bits other than sampled and random are written as 0. Always emits version 00, which
   is also the required downgrade for a ref parsed from a higher version. */
size_t sl_span_ref_format(const sl_span_ref *ref, char out[56]);

/* Checks a tracestate header value against the list-members grammar (keys, including the
   multi-tenant "tenant@system" form; values; at most 32 non-empty members; OWS around
   commas; empty members allowed, so "" is valid). Duplicate keys are not rejected (the W3C
   test suite accepts keeping them). Returns 1 if valid, 0 if the value must be discarded
   (also for NULL). */
int sl_tracestate_valid(const char *value);

/* A newly allocated copy of a valid tracestate value in the form it is sent on: its
   key=value members in their order, joined by "," with no spaces or tabs around them and
   no empty members (the spec: generate OWS as one space or not at all; avoid sending empty
   tracestate). A value's leading spaces are part of it and kept. NULL if the value is NULL
   or not valid (sl_tracestate_valid), if it has no member, or on out-of-memory. */
char *sl_tracestate_normalize(const char *value);

/* Returns a newly allocated copy of envp in which TRACEPARENT is the formatted ref and
   TRACESTATE is tracestate, or absent if tracestate is NULL or "". An existing variable is
   replaced where it stands (later duplicates are dropped); a new one is appended; all other
   entries keep their order. tracestate is copied as given (the carrier is opaque: check it
   with sl_tracestate_valid first). envp may be NULL (empty). If ref is NULL, both variables
   are removed instead. Free the result with sl_env_free. NULL on out-of-memory. */
char **sl_env_with_trace(char *const *envp, const sl_span_ref *ref, const char *tracestate);
/* The same, and BAGGAGE is baggage (a header value), or absent if baggage is "". NULL
   baggage leaves BAGGAGE as envp has it (sl_env_with_trace). */
char **sl_env_with_trace_baggage(char *const *envp, const sl_span_ref *ref, const char *tracestate,
                                 const char *baggage);
void sl_env_free(char **env);

#endif
