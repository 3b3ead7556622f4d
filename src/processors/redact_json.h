/* Redaction inside pre-rendered JSON values (SL_RAW_JSON, jansson values): the key rules
 * apply to the members of nested objects at every depth, the scrubbers to every string. */
#ifndef SL_REDACT_JSON_H
#define SL_REDACT_JSON_H

#include <stddef.h>

#include "base/buf.h"

typedef enum { SL_JSON_KEEP = 0, SL_JSON_REDACT = 1, SL_JSON_HASH = 2 } sl_json_rule;

/* What the caller's settings say; each returns 1 if it appended a replacement (a whole
   JSON value) to out, 0 to keep the original. */
typedef struct sl_json_redactor {
  sl_json_rule (*rule)(const char *key, size_t len); /* a member's key, decoded */
  int (*string)(const char *s, size_t n, sl_buf *out); /* a string, decoded: scrubbing */
  int (*hash)(const char *text, size_t n, sl_buf *out); /* a scalar under a hashed key */
} sl_json_redactor;

/* Re-renders the JSON text[0..len) with the rules applied, compacted, into out (from
   out->len on). Returns 1 if anything changed (out holds the new text), 0 if nothing did
   (out is as it was), -1 if the text is not one JSON value of at most 128 levels (the
   caller then treats it as a string, as the formatter will) or memory ran out. */
int sl_redact_json(const char *text, size_t len, const sl_json_redactor *r, sl_buf *out);

#endif
