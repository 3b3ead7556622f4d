#include "sinks/writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "base/thread.h"

/* Jobs waiting or running, in the order handed over. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t cond; /* a job was handed over or finished, or the thread must stop */
  pthread_t thread;
  int running;
  int stop;
  struct {
    void (*fn)(void *);
    void *arg;
  } jobs[SL_WRITER_DEPTH];
  unsigned head, count; /* count includes the job running */
} w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

/* Jobs not yet finished; read without the lock by sl_writer_wait's fast path. */
static _Atomic unsigned pending;

static void *writer_main(void *unused) {
  (void)unused;
  sl_thread_enter("spanlog-writer");
  pthread_mutex_lock(&w.lock);
  for (;;) {
    while (!w.count && !w.stop) pthread_cond_wait(&w.cond, &w.lock);
    if (!w.count) break; /* stopping, nothing left */
    void (*fn)(void *) = w.jobs[w.head].fn;
    void *arg = w.jobs[w.head].arg;
    pthread_mutex_unlock(&w.lock);
    fn(arg);
    pthread_mutex_lock(&w.lock);
    w.head = (w.head + 1) % SL_WRITER_DEPTH;
    w.count--;
    atomic_store(&pending, w.count);
    pthread_cond_broadcast(&w.cond);
  }
  pthread_mutex_unlock(&w.lock);
  return NULL;
}

int sl_writer_start(void) {
  pthread_mutex_lock(&w.lock);
  w.stop = 0;
  w.running = sl_thread_spawn(&w.thread, writer_main, NULL) == 0;
  int rc = w.running ? 0 : -1;
  pthread_mutex_unlock(&w.lock);
  return rc;
}

void sl_writer_stop(void) {
  pthread_mutex_lock(&w.lock);
  int running = w.running;
  w.stop = 1;
  w.running = 0;
  pthread_cond_broadcast(&w.cond);
  pthread_mutex_unlock(&w.lock);
  if (running) pthread_join(w.thread, NULL);
}

/* Waits until at most `most` jobs are unfinished. */
static void wait_until(unsigned most) {
  if (atomic_load(&pending) <= most) return;
  pthread_mutex_lock(&w.lock);
  while (w.count > most) pthread_cond_wait(&w.cond, &w.lock);
  pthread_mutex_unlock(&w.lock);
}

void sl_writer_wait(void) { wait_until(0); }
void sl_writer_wait_room(void) { wait_until(SL_WRITER_DEPTH - 1); }

void sl_writer_submit(void (*fn)(void *), void *arg) {
  pthread_mutex_lock(&w.lock);
  while (w.count == SL_WRITER_DEPTH) pthread_cond_wait(&w.cond, &w.lock);
  if (!w.running) {
    /* No thread (not started, stopped, or this is a forked child): jobs run here, after
       those before them. */
    while (w.count) pthread_cond_wait(&w.cond, &w.lock);
    pthread_mutex_unlock(&w.lock);
    fn(arg);
    return;
  }
  unsigned tail = (w.head + w.count) % SL_WRITER_DEPTH;
  w.jobs[tail].fn = fn;
  w.jobs[tail].arg = arg;
  w.count++;
  atomic_store(&pending, w.count);
  pthread_cond_broadcast(&w.cond);
  pthread_mutex_unlock(&w.lock);
}

void sl_writer_fork_prepare(void) { pthread_mutex_lock(&w.lock); }
void sl_writer_fork_parent(void) { pthread_mutex_unlock(&w.lock); }

/* The parent's jobs are the parent's: the child forgets them (its sinks drop their lines). */
void sl_writer_fork_child(void) {
  pthread_mutex_unlock(&w.lock); /* taken by this thread in sl_writer_fork_prepare */
  pthread_cond_init(&w.cond, NULL);
  w.running = w.stop = 0;
  w.head = w.count = 0;
  atomic_store(&pending, 0);
}
