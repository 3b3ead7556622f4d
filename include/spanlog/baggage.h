/* W3C Baggage (https://www.w3.org/TR/baggage/): key=value entries that travel with a
 * request from service to service in the `baggage` header, next to traceparent.
 *
 * Baggage belongs to the current context, as bound fields do: it follows a context object
 * (sl_context_fork copies it) and each thread has its own. A context that has set none
 * has the baggage of the process' BAGGAGE environment variable (the OpenTelemetry
 * environment carrier; sl_trace_environ passes the current baggage to a child that way).
 *
 * With SPANLOG_BAGGAGE_FIELDS=1 in the environment, every entry set or continued in a
 * context is also bound there as the field "baggage.<key>" (string), so that the
 * context's records carry it; removing the entry unbinds it. The entries of BAGGAGE are
 * bound once the context sets or removes an entry (it then has its own copy), not before.
 * Baggage is sent to whoever receives the request: keep secrets
 * out of it. */
#ifndef SPANLOG_BAGGAGE_H
#define SPANLOG_BAGGAGE_H

#include <stddef.h>

#include "fields.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sets key to value in the current context's baggage (copies both), replacing an entry
   with the same key where it stands. key must be a token (letters, digits and
   !#$%&'*+-.^_`|~); value is any string (percent-encoded on the way out). 0, or -1 for an
   invalid key, a NULL value, a 181st entry or no memory. */
SL_API int sl_baggage_set(const char *key, const char *value);
/* The value of key in the current context's baggage (percent-decoded), or NULL. Valid
   until that baggage changes. */
SL_API const char *sl_baggage_get(const char *key);
/* Removes key's entry; 0, or -1 if there was none. */
SL_API int sl_baggage_remove(const char *key);
/* Empties the current context's baggage (also of what BAGGAGE gave it). */
SL_API void sl_baggage_clear(void);
/* Makes the entries of an incoming baggage header value the current context's baggage,
   replacing what it had, as sl_trace_continue does for the trace. Values are
   percent-decoded; optional whitespace is allowed around members, '=' and ';'; members
   that do not follow the grammar are skipped, and so are those after the 180th;
   properties (";k=v") are kept and sent on. Returns the number of entries, or -1 (the
   baggage is then empty) if header is NULL or longer than 8192 bytes. */
SL_API int sl_baggage_continue(const char *header);
/* Writes the current context's baggage as an outgoing header value into buf (size bytes,
   always NUL-terminated when size > 0, cut if short) and returns its full length, as
   snprintf does: 0 when there is no baggage (send no header). Entries that would take it
   past 8192 bytes are left out. */
SL_API size_t sl_baggage_format(char *buf, size_t size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif
