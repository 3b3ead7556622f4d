/* The processor chain (include/spanlog/processor.h), run by the drainer on each record
 * between decoding and rendering. */
#ifndef SL_PROCESS_H
#define SL_PROCESS_H

#include <stddef.h>

#include "base/arena.h"
#include "record/record.h"
#include "spanlog/processor.h"

struct sl_record {
  int is_span;
  int level;
  const char *event, *logger;
  size_t event_len, logger_len;
  sl_field *fields; /* may move into the arena when a processor adds a field */
  size_t n, cap;
  sl_arena *arena;
};

/* Runs user processors and truncation on a record's fields, already redacted by the
   caller (sl_redact_fields: bound fields are redacted once per frame, not per record);
   SL_DROP if a processor dropped it. */
sl_verdict sl_process(sl_record *r);
/* Runs what applies to the attributes of a span's events and links: redaction and
   truncation (user processors see the span's own attributes). */
void sl_process_nested(sl_field *fields, size_t n, sl_arena *arena);

/* Whether sl_process is truncation alone (no user processor): it then leaves the fields
   where they are. Configuration lock held, as the drainer has it. */
int sl_process_is_plain(void);
/* Truncation as sl_process applies it, and its current limit (0: none). */
void sl_process_truncate(sl_field *fields, size_t n, sl_arena *arena);
size_t sl_process_limit(void);

/* Makes f's key well-formed UTF-8 (each ill-formed sequence replaced by U+FFFD, in a copy
   in the arena), as every formatter would render it: two keys that differ only in bad
   bytes are then equal where keys are compared, so a line never holds one key twice. A
   key that is already well-formed (nearly all: the check stops at the first non-ASCII
   byte) is left where it is. Without memory the key stays as it was. Returns 1 if the
   key changed. */
int sl_key_make_wellformed(sl_field *f, sl_arena *arena);

#endif
