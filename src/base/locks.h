/* The two locks that order configuration against the drainer, in the one order every
 * path takes them: the settings lock, then the drain lock.
 * - The drain lock is held by whoever turns queued records into bytes (the backend thread,
 *   or after shutdown a producer), and by a configuration change: so a change (a sink
 *   added, a processor removed, new redaction rules) never lands in the middle of a record.
 * - The settings lock serialises configuration changes, start and shutdown. */
#ifndef SL_LOCKS_H
#define SL_LOCKS_H

/* A configuration change: both locks. */
void sl_config_lock(void);
void sl_config_unlock(void);
/* Start and shutdown: the settings lock alone. */
void sl_settings_lock(void);
void sl_settings_unlock(void);
/* Draining records: the drain lock alone. */
void sl_drain_lock(void);
void sl_drain_unlock(void);
/* Whether the calling thread holds the drain lock. */
int sl_drain_lock_held(void);

/* fork(): the settings lock is held across it; the child makes both anew. The drain lock
   is not held: the backend may hold it through a slow write, and the child drops what it
   guards. */
void sl_locks_fork_prepare(void);
void sl_locks_fork_parent(void);
void sl_locks_fork_child(void);

#endif
