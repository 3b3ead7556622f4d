/* The lifecycle: wires the layers together and runs them. It hands the queues their
 * consumer (start the backend on the first record; after shutdown, producers drain
 * themselves), reads the environment at start, and owns flush, shutdown, exit and fork. */
#ifndef SL_RUNTIME_H
#define SL_RUNTIME_H

/* Nothing here is called by another layer: the entry points are the public functions
   (sl_flush, sl_shutdown, ...) and the consumer handed to the queues at load time. */

#endif
