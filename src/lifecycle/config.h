/* Settings read from the environment (SPANLOG_*). */
#ifndef SL_CONFIG_H
#define SL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* Applies SPANLOG_OVERFLOW, SPANLOG_QUEUE_BYTES and SPANLOG_CALLSITE; reports bad values
   on stderr and keeps the defaults for them. */
void sl_config_from_env(void);

#endif
