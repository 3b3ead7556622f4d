/* The writer: a second background thread that does jobs for the backend, in order
 * (writing full batches of lines to sinks), so that the backend renders the next batches
 * while the kernel copies these. At most SL_WRITER_DEPTH jobs are unfinished: a few, so
 * that the backend need not wait while the writer thread is being woken. Whoever touches
 * what a job uses waits for it first (sl_writer_wait). Without the thread, jobs run on
 * the caller's thread. Jobs are handed over by one thread at a time (io_lock held). */
#ifndef SL_WRITER_H
#define SL_WRITER_H

/* Starts the thread (every signal blocked: base/thread.h). 0, or -1 if
   it cannot be started, in which case jobs run on the caller's thread. */
int sl_writer_start(void);
/* Waits for the job in flight and ends the thread. */
void sl_writer_stop(void);

#define SL_WRITER_DEPTH 4

/* Hands fn(arg) to the thread, once fewer than SL_WRITER_DEPTH jobs are unfinished; runs
   it on this thread (after the others) when no writer thread is running. */
void sl_writer_submit(void (*fn)(void *), void *arg);
/* Returns once fewer than SL_WRITER_DEPTH jobs are unfinished: the job handed over
   SL_WRITER_DEPTH submissions ago is done. */
void sl_writer_wait_room(void);
/* Returns once every job is finished. */
void sl_writer_wait(void);

/* fork(): the job lock is held across it; the child has no writer thread. */
void sl_writer_fork_prepare(void);
void sl_writer_fork_parent(void);
void sl_writer_fork_child(void);

#endif
