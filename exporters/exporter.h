/* An exporter: where processed records go besides the sinks (OTLP to a collector, tool
 * I/O recordings). The backend hands each one every record it keeps, as the view the
 * formatters see, after redaction and the processors.
 *
 * The handing over runs on the backend thread with the drain lock held, so it must never
 * block: an exporter that does I/O encodes or copies what it needs there, into a bounded
 * queue of its own, and does the I/O on a thread of its own (base/thread.h). An exporter
 * lives as long as the process: after sl_shutdown records are still handed to it (each
 * producer drains its own), and at exit it is flushed once, within its export timeout. */
#ifndef SL_EXPORTER_H
#define SL_EXPORTER_H

#include <stdint.h>

#include "record/record.h"

typedef struct sl_exporter sl_exporter;

struct sl_exporter {
  const char *name; /* for diagnostics: "otlp traces", "replay" */
  /* A log record or an ended span; either may be NULL when the exporter takes none. */
  void (*take_log)(sl_exporter *e, const sl_record_view *v);
  void (*take_span)(sl_exporter *e, const sl_span_view *v);
  /* Delivers what was handed over so far, or gives up on it, by deadline_ns (monotonic
     clock; 0: the exporter's own export timeout). Called without the drain lock. */
  void (*flush)(sl_exporter *e, uint64_t deadline_ns);
  /* In a forked child: what is queued is the parent's to deliver; no thread runs. */
  void (*fork_child)(sl_exporter *e);
  sl_exporter *next; /* the backend's list */
};

#endif
