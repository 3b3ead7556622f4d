/* The drainer's work: one pass over every queue. */
#ifndef SL_BACKEND_H
#define SL_BACKEND_H

#include <stddef.h>

#include "ring.h"

/* Drains what every queue held when the pass began, in timestamp order, into the sinks'
   buffers; reports drops; retires the queues of ended threads. io_lock held. Returns the
   number of log records processed. */
size_t sl_backend_drain(void);
/* The backend thread. */
void *sl_backend_main(void *arg);
/* Frees the drainer's state for r (r is being freed or reused). */
void sl_backend_forget_ring(sl_ring *r);

#endif
