/* What spanlog's exporters did: OTLP over HTTP to a collector, and the console and
 * otlp_file exporters (README: "Send to a Collector / Jaeger / Langfuse / Phoenix").
 *
 * Exporters are switched on from the environment (OTEL_TRACES_EXPORTER=otlp, ...), or from
 * code with sl_export_start and the same names. They
 * never hold up the caller or the local sinks: each has a bounded queue and a thread of
 * its own. What they could not deliver is counted here, and the backend writes it to the
 * sinks as a record of its own: event "spanlog.export.dropped", level warning, fields
 * "count", "signal" ("traces" or "logs") and "reason" ("queue_full": the oldest items
 * made room for new ones; "export_failed": retries ran out within the export timeout, the
 * receiver refused them, or a request would pass 64 MiB). */
#ifndef SPANLOG_EXPORT_H
#define SPANLOG_EXPORT_H

#include <stdint.h>

#include "log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sl_export_signal { SL_EXPORT_TRACES = 0, SL_EXPORT_LOGS = 1 } sl_export_signal;

/* Counts since the process started (a forked child starts from zero), over every
   exporter of the signal. Items are spans or log records. */
typedef struct sl_export_counts {
  uint64_t queued;   /* taken into an exporter's queue */
  uint64_t exported; /* accepted by the receiver (2xx), or written (console, file) */
  uint64_t rejected; /* refused in a 2xx answer's partial_success */
  uint64_t dropped;  /* pushed out of a full queue, oldest first */
  uint64_t failed;   /* given up: retries ran out, a non-retryable answer, too large */
  uint64_t requests; /* export requests made, retries included */
  uint64_t retries;  /* attempts after a retryable failure (429, 502, 503, 504, no connection) */
  uint64_t queue_length; /* items waiting now, or being sent */
} sl_export_counts;

/* Switches the exporters on from code, with settings given as "NAME=value" strings (a
   NULL-terminated list; the caller keeps it) that take the place of those environment
   variables: e.g. {"OTEL_TRACES_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318",
   NULL}; a variable not in the list is read from the environment. 0, or -1 if exporters
   run already (set up by an earlier call, or from the
   environment at the first record). Records made before it are not exported. */
SL_API int sl_export_start(const char *const *settings);

/* Fills *out for the signal; all zero when no exporter of it runs. */
SL_API void sl_export_stats(sl_export_signal signal, sl_export_counts *out);

#ifdef __cplusplus
}
#endif

#endif
