/* spanlog's own threads (the backend, the writer, exporters): started with every signal
 * blocked, so the application's handlers always run on the application's threads, and
 * named, as top -H and gdb show them. */
#ifndef SL_THREAD_H
#define SL_THREAD_H

#include <pthread.h>

/* Starts fn(arg) on a new thread with every signal blocked. 0, or an errno value. */
int sl_thread_spawn(pthread_t *thread, void *(*fn)(void *), void *arg);
/* Called first by a thread sl_thread_spawn started: names it and marks it as spanlog's. */
void sl_thread_enter(const char *name);
/* Whether the calling thread is one of spanlog's own. */
int sl_thread_is_own(void);

#endif
