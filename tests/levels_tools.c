/* A translation unit with its own logger name, for test_levels. */
#define SPANLOG_LOGGER "agent.tools"
#include <spanlog.h>

void tools_log_debug(int *evaluated);

void tools_log_debug(int *evaluated) { log_debug("tool debug", "n", ++*evaluated); }
