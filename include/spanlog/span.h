/* Spans: the companion span API. A span is one operation (an agent run, a model call, a
 * tool call) with a start and an end, a parent, a name, a kind and typed attributes.
 * Spans nest through the current context: a new span is a child of the context's
 * current span (or starts a new trace) and becomes current until it ends. Every log
 * record made while a span is current carries its trace_id and span_id.
 *
 * A span is written at its end as one JSON line, through the same queue as the logs.
 * Handles stay safe after the span ends: every call on an ended (or NULL) span is a
 * no-op, and ending twice ends once. Calls on one span may come from several threads. */
#ifndef SPANLOG_SPAN_H
#define SPANLOG_SPAN_H

#include <stddef.h>
#include <stdint.h>

#include "fields.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_span sl_span;

typedef enum sl_span_kind {
  SL_SPAN_INTERNAL = 0,
  SL_SPAN_SERVER = 1,
  SL_SPAN_CLIENT = 2,
  SL_SPAN_PRODUCER = 3,
  SL_SPAN_CONSUMER = 4
} sl_span_kind;

typedef enum sl_span_status { SL_STATUS_UNSET = 0, SL_STATUS_OK = 1, SL_STATUS_ERROR = 2 } sl_span_status;

/* Sets the status; message is kept for SL_STATUS_ERROR only. OK is final: later
   calls do not change it (as OpenTelemetry specifies). */
SL_API void sl_span_set_status(sl_span *s, sl_span_status code, const char *message);
/* Error status with message, the attribute error.type (e.g. "timeout", "ENOENT"; "_OTHER"
   if NULL), and OpenTelemetry's "exception" event with exception.type and
   exception.message (each left out when NULL), as record_exception makes. */
SL_API void sl_span_error(sl_span *s, const char *error_type, const char *message);
/* Sets the kind (spans start as internal, or as sl_span_start_kind says). */
SL_API void sl_span_set_kind(sl_span *s, sl_span_kind kind);
/* Ends the span: it is written, and its parent becomes current again in the context
   where it is current. */
SL_API void sl_span_end(sl_span *s);
/* The current context's current span, or NULL (none, or one from another process). */
SL_API sl_span *sl_span_current(void);
/* Whether the span is sampled (written); unsampled spans still correlate logs. */
SL_API int sl_span_is_sampled(const sl_span *s);
/* The span's ids as lower-case hex (33 and 17 bytes with the NUL); 0, or -1 if s is
   NULL or ended. */
SL_API int sl_span_ids(const sl_span *s, char trace_id[33], char span_id[17]);

/* ---- propagation (W3C Trace Context) ---- */

/* Writes the W3C traceparent of s (NULL: the current span, local or remote) into out,
   55 characters and a NUL; returns 55, or 0 if there is no such span. */
SL_API size_t sl_traceparent_format(const sl_span *s, char out[56]);
/* The tracestate that travels with the current trace, or NULL. Valid until the
   current context changes. */
SL_API const char *sl_tracestate_current(void);
/* Continues a trace from elsewhere (an HTTP request's headers): the current context's
   current span becomes the remote span that traceparent names, so that the next
   sl_span_start is its child, and tracestate (may be NULL) travels with it, kept without
   its optional whitespace and empty members; every span of the trace started in this
   context carries it (the OTLP exporters send it as the span's trace_state). Returns 0, or -1 if traceparent is NULL or
   not valid: then the context has no current span and no tracestate any more, so the
   next span starts a new trace (a child of TRACEPARENT's span if the process has one),
   whatever an earlier call continued. */
SL_API int sl_trace_continue(const char *traceparent, const char *tracestate);
/* For a child process: a copy of envp (NULL: this process' environment) with TRACEPARENT
   and TRACESTATE of the current span and BAGGAGE of the current context (each absent when
   there is none), for execve. Free it with sl_trace_environ_free. NULL if there is no
   current span or no memory. A process started with TRACEPARENT set continues that trace:
   its root spans are children of that span (spanlog/baggage.h: BAGGAGE). */
SL_API char **sl_trace_environ(char *const *envp);
SL_API void sl_trace_environ_free(char **env);

/* ---- internals of the macros below ---- */
SL_API sl_span *sl__span_start(int kind, sl__text name, const sl_arg *args, int nargs);
SL_API void sl__span_set(sl_span *s, const char *unused, const sl_arg *args, int nargs);
SL_API void sl__span_event(sl_span *s, const char *name, const sl_arg *args, int nargs);
SL_API void sl__span_link(sl_span *s, const char *traceparent, const sl_arg *args, int nargs);
SL_API void sl__span_link_tracestate(sl_span *s, const char *tracestate, const char *traceparent,
                                     const sl_arg *args, int nargs);
SL_API void sl__span_link_span(sl_span *s, const sl_span *to, const sl_arg *args, int nargs);
SL_API void sl__span_scope_end(sl_span **s);

#ifdef __cplusplus
} /* extern "C" */
#endif

#define SL__SPAN_EXPR(fn, first, ...) SL__CAT(SL__EXPR_, SL__NARG(__VA_ARGS__))(fn, first, __VA_ARGS__)

/* sl_span *sl_span_start(name, key, value, ...): a child of the current span (or a new
   trace), current from now on. */
#define SL__SPAN_START_CALL(kind, name, args, nargs) sl__span_start(kind, sl__text_of(name), args, nargs)
#define sl_span_start(...) SL__SPAN_EXPR(SL__SPAN_START_CALL, SL_SPAN_INTERNAL, __VA_ARGS__)
#define sl_span_start_kind(kind, ...) SL__SPAN_EXPR(SL__SPAN_START_CALL, (int)(kind), __VA_ARGS__)
/* sl_span_set(span, key, value, ...): attributes; a key set again takes the new value. */
#define sl_span_set(s, ...) SL__SPAN_EXPR(sl__span_set, s, "", __VA_ARGS__)
/* sl_span_event(span, name, key, value, ...): a timestamped event with attributes. */
#define sl_span_event(s, ...) SL__SPAN_EXPR(sl__span_event, s, __VA_ARGS__)
/* sl_span_link(span, traceparent, key, value, ...): a link to another trace's span. */
#define sl_span_link(s, ...) SL__SPAN_EXPR(sl__span_link, s, __VA_ARGS__)
/* sl_span_link_tracestate(span, tracestate, traceparent, key, value, ...): the same, with
   the linked span's W3C tracestate (may be NULL; it comes first so that the attributes
   follow the traceparent as in sl_span_link). It is exported as the OTLP link's
   trace_state, without its optional whitespace and empty members; an invalid tracestate
   is left out and the link kept. */
#define SL__LINK_TS_SPLIT(s, tracestate) s, tracestate
#define SL__LINK_TS_CALL(s_ts, traceparent, args, nargs) \
  sl__span_link_tracestate(SL__LINK_TS_SPLIT s_ts, traceparent, args, nargs)
#define sl_span_link_tracestate(s, tracestate, ...) \
  SL__SPAN_EXPR(SL__LINK_TS_CALL, (s, tracestate), __VA_ARGS__)
/* sl_span_link_span(span, other, key, value, ...): a link to a live span of this process,
   with that span's tracestate. */
#define sl_span_link_span(s, ...) SL__SPAN_EXPR(sl__span_link_span, s, __VA_ARGS__)

/* SL_SPAN(name, key, value, ...) { ... }: a span around a block, ended however the block
   is left. Inside, sl_span_current() is the span.
   break and continue: in C++17 and later the block is the else branch of an if statement
   that holds the span as an object, so a break or continue inside binds to the loop
   around SL_SPAN, as in any other block; an exception leaving the block sets the span's
   status to error ("exception"). In C (and C++ before 17) SL_SPAN is a for statement that
   runs its block once: a break or continue inside leaves the block (the span ends) and
   execution goes on after it; neither reaches a loop around it. In a loop's body, use
   SL_SPAN_HERE instead.

   SL_SPAN_HERE(name, key, value, ...);: a declaration that starts a span (current from
   there on) that ends with the enclosing block, however the block is left: a break or
   continue acts on the loop as in any block, the span ended first, in C and C++ alike
   (in C++17 and later, an exception leaving the block sets its status to error as
   SL_SPAN does). The same placement rules as SL_SCOPE_HERE. */
#if defined(__cplusplus) && __cplusplus >= 201703L
#include <exception>
/* Ends a span; if an exception is on its way out of the span's scope (more uncaught
   exceptions than when the span started), its status is error first. */
inline void sl__span_end_unwinding(sl_span *s, int uncaught_at_start) {
  if (std::uncaught_exceptions() > uncaught_at_start) sl_span_set_status(s, SL_STATUS_ERROR, "exception");
  sl_span_end(s);
}
struct sl__span_guard {
  sl_span *span;
  int uncaught;
  explicit sl__span_guard(sl_span *s) : span(s), uncaught(std::uncaught_exceptions()) {}
  sl__span_guard(const sl__span_guard &) = delete;
  sl__span_guard &operator=(const sl__span_guard &) = delete;
  ~sl__span_guard() { sl__span_end_unwinding(span, uncaught); }
};
#define SL_SPAN(...)                                                                      \
  if (sl__span_guard SL__CAT(sl__span_, __LINE__){sl_span_start(__VA_ARGS__)}; false) {   \
  } else
#define SL_SPAN_HERE(...) sl__span_guard SL__CAT(sl__span_here_, __COUNTER__){sl_span_start(__VA_ARGS__)}
#else
#define SL_SPAN_HERE(...)                                                                 \
  sl_span *SL__CAT(sl__span_here_, __COUNTER__) __attribute__((cleanup(sl__span_scope_end), unused)) = \
      sl_span_start(__VA_ARGS__)
#define SL_SPAN(...)                                                                      \
  for (sl_span *SL__CAT(sl__span_, __LINE__)                                              \
           __attribute__((cleanup(sl__span_scope_end), unused)) =                         \
           sl_span_start(__VA_ARGS__),                                                    \
           *SL__CAT(sl__span_once_, __LINE__) = (sl_span *)1;                             \
       SL__CAT(sl__span_once_, __LINE__); SL__CAT(sl__span_once_, __LINE__) = 0)
#endif

#endif
