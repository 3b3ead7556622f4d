/* Redaction as the processor chain applies it (settings: include/spanlog/redact.h). */
#ifndef SL_REDACT_H
#define SL_REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "record/record.h"

/* Key rules, hashing and scrubbers on each field; new values go into the arena. */
void sl_redact_fields(sl_field *fields, size_t n, sl_arena *arena);
/* Changes whenever the settings change (under the configuration lock, which the drainer
   holds while it reads this). */
uint64_t sl_redact_generation(void);
/* Scrubbers on a text that is not a field (a log event, a span name). */
void sl_redact_text(const char **text, size_t *len, sl_arena *arena);

#endif
