/* Record capture on the caller's thread (the log calls enter through sl__emit). */
#ifndef SL_CAPTURE_H
#define SL_CAPTURE_H

#include <stdint.h>

/* Queues an ended span, by handle, for the backend to render. Returns 0, or -1 if the
   record was dropped (DROP policy, counted), in which case the caller frees the span. */
int sl_capture_span(uint64_t handle, uint64_t ts_ns);

#endif
