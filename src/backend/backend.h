/* The drainer's work: one pass over every queue. */
#ifndef SL_BACKEND_H
#define SL_BACKEND_H

#include <stddef.h>

#include "record/ring.h"

/* Drains what every queue held when the pass began, merged in timestamp order, into the
   sinks' buffers; reports drops; retires the queues of ended threads. io_lock held.
   ordered: hold back records stamped after the pass began, so that every line is written
   after the lines stamped before it (see backend.c); a flush passes 0 to write all.
   Returns the number of records processed, plus 1 if some were held back. */
size_t sl_backend_drain(int ordered);
/* The backend thread. */
void *sl_backend_main(void *arg);
/* In a forked child: nothing of the parent's is left to report. */
void sl_backend_fork_child(void);
/* Frees the drainer's state for r (r is being freed or reused). */
void sl_backend_forget_ring(sl_ring *r);

#endif
