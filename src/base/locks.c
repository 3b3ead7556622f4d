#include "base/locks.h"

#include <pthread.h>

static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t drain_lock = PTHREAD_MUTEX_INITIALIZER;

/* Whether this thread holds the drain lock: the drainer itself may start a queue of its
   own (a user processor that logs) and must not wait for itself. */
static _Thread_local int drain_held;

void sl_drain_lock(void) {
  pthread_mutex_lock(&drain_lock);
  drain_held = 1;
}

void sl_drain_unlock(void) {
  drain_held = 0;
  pthread_mutex_unlock(&drain_lock);
}

int sl_drain_lock_held(void) { return drain_held; }

void sl_config_lock(void) {
  pthread_mutex_lock(&settings_lock);
  sl_drain_lock();
}

void sl_config_unlock(void) {
  sl_drain_unlock();
  pthread_mutex_unlock(&settings_lock);
}

void sl_settings_lock(void) { pthread_mutex_lock(&settings_lock); }
void sl_settings_unlock(void) { pthread_mutex_unlock(&settings_lock); }

void sl_locks_fork_prepare(void) { pthread_mutex_lock(&settings_lock); }
void sl_locks_fork_parent(void) { pthread_mutex_unlock(&settings_lock); }

void sl_locks_fork_child(void) {
  pthread_mutex_init(&settings_lock, NULL);
  pthread_mutex_init(&drain_lock, NULL);
}
