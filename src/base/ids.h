/* Random trace and span ids: W3C sizes, never all zero, from a fast per-thread generator
 * seeded from the OS. A forked child reseeds, so parent and child never share ids.
 * Test mode (SPANLOG_ID_SEED, sl_set_id_seed in spanlog/testing.h): the ids are a fixed
 * sequence of the seed instead; a forked child continues on a sequence of its own. */
#ifndef SL_IDS_H
#define SL_IDS_H

#include <stdint.h>

void sl_new_trace_id(uint8_t id[16]);
void sl_new_span_id(uint8_t id[8]);
/* The random bits that decide what fraction of traces a per-trace choice keeps (content
   capture): a uniform value in [0, 1) from the trace id, independent of the sampler's bits. */
double sl_trace_id_fraction(const uint8_t trace_id[16]);
/* Called before fork(): in test mode the child's sequence takes a number off the parent's. */
void sl_ids_fork_prepare(void);
/* Called in a forked child: every thread's generator reseeds before its next id (in test
   mode: the child's sequence starts). */
void sl_ids_after_fork(void);

#endif
