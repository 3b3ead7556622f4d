/* W3C Baggage (https://www.w3.org/TR/baggage/): the list of key=value entries that
 * travels with a request, as a value a context owns. Pure functions over strings and
 * this list; libc only. The public face is include/spanlog/baggage.h. */
#ifndef SL_BAGGAGE_H
#define SL_BAGGAGE_H

#include <stddef.h>

/* Limits of the header (W3C Baggage, "Limits"): at most this many list-members and bytes. */
enum { SL_BAGGAGE_MAX_MEMBERS = 180, SL_BAGGAGE_MAX_BYTES = 8192 };

typedef struct sl_bag_entry {
  char *key;   /* a token (RFC 9110) */
  char *value; /* percent-decoded; any bytes but NUL */
  char *props; /* the member's properties as received ("p1;p2=v"), without the first ';'; or NULL */
} sl_bag_entry;

/* Entries in the order they were received or set; keys are unique. */
typedef struct sl_bag {
  sl_bag_entry *e;
  size_t n, cap;
} sl_bag;

/* Parses a baggage header value into a new list (*out; NULL when it has no entry).
   Members that do not follow the grammar are skipped, as are those after the 180th;
   spaces and tabs around members, '=' and ';' are optional whitespace; a key given twice
   keeps its last value. Returns the number of entries, or -1 when the whole header is
   discarded: NULL, longer than 8192 bytes, or no memory. */
int sl_bag_parse(const char *header, sl_bag **out);

/* A deep copy (NULL for NULL or on out-of-memory: check b first). */
sl_bag *sl_bag_copy(const sl_bag *b);
void sl_bag_free(sl_bag *b);

/* Whether key is a valid baggage key (a non-empty token). */
int sl_bag_key_valid(const char *key);
/* Sets key to value (props may be NULL), replacing an entry with the same key where it
   stands. 0, or -1: invalid key, NULL or NUL-free value missing, a 181st entry, no memory. */
int sl_bag_put(sl_bag *b, const char *key, const char *value, const char *props);
/* The value of key, or NULL. */
const char *sl_bag_find(const sl_bag *b, const char *key);
/* Removes key's entry; 0, or -1 if there was none. */
int sl_bag_remove(sl_bag *b, const char *key);

/* Writes the header value into buf (size bytes, NUL-terminated, cut if short; buf may be
   NULL when size is 0) and returns its length, as snprintf does. Values are
   percent-encoded where the grammar requires it; an entry that would take the header past
   8192 bytes is left out. b may be NULL (empty: returns 0). */
size_t sl_bag_format(const sl_bag *b, char *buf, size_t size);
/* The same into a new string; NULL when empty or without memory. */
char *sl_bag_format_dup(const sl_bag *b);

#endif
