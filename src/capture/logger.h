/* Named loggers, their levels, and the registry of log statements (callsites) whose
 * cached enabled/disabled answer must be renewed when levels change. */
#ifndef SL_LOGGER_H
#define SL_LOGGER_H

#include <stdatomic.h>
#include <stddef.h>

#include "record/frame.h"
#include "record/record.h"
#include "spanlog/log.h"

struct sl_logger {
  rec_logger head; /* first: what a record shows, its name (head.name points at name) */
  struct sl_logger *next;
  _Atomic int level;
  int level_is_explicit; /* set by sl_logger_set_level: SPANLOG_LEVEL no longer applies */
  char name[];
};

/* A bound logger: its logger and its pairs, encoded once (frame.h's encoding, keys
   unique). Never changed after it is made: threads read it without a lock. */
struct sl_bound {
  sl__bound_head head; /* first: what the macros read */
  sl_frame *fields;    /* NULL when there are none */
};

/* Applies SPANLOG_LEVEL, once. */
void sl_logger_init(void);
/* Around fork(), called by the runtime's handlers: the lock is held across the fork so
   that the child never inherits it mid-update. */
void sl_logger_fork_prepare(void);
void sl_logger_fork_parent(void);
void sl_logger_fork_child(void);

#endif
