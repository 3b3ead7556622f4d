#include "base/locks.h"

#include <pthread.h>

static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t drain_lock = PTHREAD_MUTEX_INITIALIZER;

void sl_config_lock(void) {
  pthread_mutex_lock(&settings_lock);
  pthread_mutex_lock(&drain_lock);
}

void sl_config_unlock(void) {
  pthread_mutex_unlock(&drain_lock);
  pthread_mutex_unlock(&settings_lock);
}

void sl_settings_lock(void) { pthread_mutex_lock(&settings_lock); }
void sl_settings_unlock(void) { pthread_mutex_unlock(&settings_lock); }
void sl_drain_lock(void) { pthread_mutex_lock(&drain_lock); }
void sl_drain_unlock(void) { pthread_mutex_unlock(&drain_lock); }

void sl_locks_fork_prepare(void) { pthread_mutex_lock(&settings_lock); }
void sl_locks_fork_parent(void) { pthread_mutex_unlock(&settings_lock); }

void sl_locks_fork_child(void) {
  pthread_mutex_init(&settings_lock, NULL);
  pthread_mutex_init(&drain_lock, NULL);
}
