/* Record capture on the caller's thread (the log calls enter through sl__emit). */
#ifndef SL_CAPTURE_H
#define SL_CAPTURE_H

#include <stdint.h>

#include <stddef.h>

/* Queues a record of `kind` (record.h) whose payload fill() writes from item: in the
   calling thread's queue, or behind a BIG record if too large for it. Returns 0, or -1
   if it was dropped (DROP policy or no memory; counted). */
int sl_capture_record(int kind, uint64_t ts_ns, size_t payload, void (*fill)(unsigned char *, const void *),
                      const void *item);

#endif
