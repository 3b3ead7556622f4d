/* The backend: drains every queue in timestamp order, runs the processors, renders each
 * record once per format its sinks want and hands the lines to them. Its thread and its
 * state are its own; the lifecycle layer starts and stops it. */
#ifndef SL_BACKEND_H
#define SL_BACKEND_H

#include <stddef.h>

#include "exporters/exporter.h"
#include "record/ring.h"

/* Starts the backend thread (with the writer thread). 0, or an errno value: nothing
   drains then, unless the caller drains synchronously. Settings lock held. */
int sl_backend_start(void);
/* Makes the thread's last pass, which writes everything queued, and joins it. Settings
   lock held. */
void sl_backend_stop(void);
/* After sl_backend_stop: callers of sl_backend_flush stop waiting for the thread. */
void sl_backend_release_flushers(void);
/* Returns when every record queued before the call is written (or the thread stopped). */
void sl_backend_flush(void);
/* From a signal handler (async-signal-safe): asks the backend thread to write out
   everything queued and waits up to timeout_ms. 1 if it did, 0 if it could not (no
   backend thread, the caller is one of spanlog's threads, or the time ran out). */
int sl_backend_flush_from_signal(long timeout_ms);
/* Writes out, on the calling thread, everything queued: what a producer does once no
   backend thread runs. */
void sl_backend_drain_here(void);

/* Drains what every queue held when the pass began, merged in timestamp order, into the
   sinks' buffers; reports drops; retires the queues of ended threads. Drain lock held.
   ordered: hold back records stamped after the pass began, so that every line is written
   after the lines stamped before it (see backend.c); a flush passes 0 to write all.
   Returns the number of records processed, plus 1 if some were held back. */
size_t sl_backend_drain(int ordered);
/* Adds an exporter: it takes the records processed from now on (configuration lock
   held). The list, for flushing and stopping them (lifecycle). */
void sl_backend_add_exporter(sl_exporter *e);
sl_exporter *sl_backend_exporters(void);

/* Whether span lines are written to the sinks, asked for each span (NULL: always); the
   exporters get every span either way. Set once, before the backend starts. */
typedef int (*sl_wanted_fn)(void);
void sl_backend_set_span_lines(sl_wanted_fn wanted);
/* In a forked child: nothing of the parent's is left to report, no thread runs. */
void sl_backend_fork_child(void);
/* The drainer's state for a queue handed to a producer: 0, or -1 without memory. */
int sl_backend_attach_ring(sl_ring *r);
/* Frees the drainer's state for r (r is being freed or reused). */
void sl_backend_forget_ring(sl_ring *r);

#endif
