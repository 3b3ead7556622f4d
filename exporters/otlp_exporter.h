/* The batching OTLP exporter, one per signal and destination: OTLP/HTTP to a collector,
 * or OTLP/JSON lines to a file descriptor (the console and otlp_file exporters).
 *
 * On the backend thread (take_span / take_log) each span or log record is encoded once,
 * in the request's format, into a bounded queue of the exporter's own: that is all the
 * backend pays, and it never waits on the network. Past max queue size the oldest item
 * is dropped and counted (SPANLOG_OTLP_QUEUE_FULL=block waits for room first, at most the
 * batch export timeout, for batch jobs that must not lose spans; it holds up the local
 * sinks while it waits).
 *
 * A thread of the exporter's own (started on the first item, and again in a forked
 * child) sends a batch when max export batch size items are queued or the schedule delay
 * has passed: wrapped with the resource and scope, gzipped if asked, POSTed with the
 * retry policy of exporters/retry.h within the export timeout, and split so that no
 * request body passes 64 MiB. A flush gives everything queued before it one attempt,
 * bounded by its deadline. Failures are written to stderr once per kind (until an export
 * succeeds again) and counted; the counts are sl_export_stats (include/spanlog/export.h)
 * and the backend reports drops as records of their own. */
#ifndef SL_EXPORTERS_OTLP_EXPORTER_H
#define SL_EXPORTERS_OTLP_EXPORTER_H

#include <stddef.h>
#include <stdint.h>

#include "exporters/exporter.h"
#include "exporters/otlp_config.h"

typedef struct sl_otlp_exporter_config {
  sl_otlp_signal signal;
  /* Protocol, endpoint, headers, timeout, compression, batching: copied. */
  const sl_otlp_signal_config *settings;
  sl_otlp_queue_full queue_full;
  sl_otlp_profile profile;
  /* >= 0: write one OTLP/JSON export request per line to this descriptor instead of
     POSTing (settings' endpoint, headers, protocol and compression are then unused). */
  int fd;
  int own_fd;               /* the exporter closes fd if it is given up */
  const char *name;         /* for messages: "console", a path; NULL: the endpoint */
  size_t max_request_bytes; /* 0: 64 MiB, the spec's limit; tests set less */
} sl_otlp_exporter_config;

/* A new exporter, or NULL with a reason in why (bad endpoint, no memory). Its thread
   starts with the first item. Exporters live as long as the process. */
sl_exporter *sl_otlp_exporter_new(const sl_otlp_exporter_config *c, char *why, size_t why_len);

/* Makes the exporters the settings ask for (per signal: otlp, console or otlp/stdout,
   otlp_file at the path file_path, NULL if SPANLOG_OTLP_FILE is unset) and hands each to
   add. Problems go to stderr; the signal's other exporters still start. Returns how many. */
int sl_otlp_exporters_from_config(const sl_otlp_config *c, const char *file_path, void (*add)(sl_exporter *));

/* Items lost since the last call, for the backend's report: pushed out of a full queue,
   and given up by the exporter thread. */
void sl_otlp_take_lost(sl_otlp_signal signal, uint64_t *queue_full, uint64_t *failed);

#endif
