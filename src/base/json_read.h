/* A strict JSON reader (RFC 8259): what the replay reader parses recordings with and
 * what the capture side checks tool arguments with. Refuses what a lenient parser would
 * guess at (trailing commas, leading zeros, raw control characters, invalid UTF-8, lone
 * surrogates, anything after the value), so a damaged recording is reported, not misread.
 * Nesting is limited to SL_JSON_MAX_DEPTH. */
#ifndef SL_JSON_READ_H
#define SL_JSON_READ_H

#include <stddef.h>

#include "base/buf.h"

#define SL_JSON_MAX_DEPTH 64

typedef enum sl_json_type {
  SL_JSON_NULL,
  SL_JSON_FALSE,
  SL_JSON_TRUE,
  SL_JSON_NUMBER,
  SL_JSON_STRING,
  SL_JSON_ARRAY,
  SL_JSON_OBJECT
} sl_json_type;

typedef struct sl_json sl_json;
struct sl_json {
  sl_json_type type;
  const char *text; /* this value's JSON text in the parsed input (not owned) */
  size_t text_len;
  char *str;        /* STRING: the decoded bytes, NUL-terminated; NUMBER: its text */
  size_t len;
  char *key;        /* a member of an object: its decoded key, NUL-terminated */
  size_t key_len;
  sl_json *items;   /* ARRAY: elements; OBJECT: members; in input order */
  size_t n;
};

/* Parses text[0..len) as one JSON value (whitespace around it allowed). Returns a tree
   the caller frees with sl_json_free, or NULL with *error (if error is not NULL) set to a
   static message. The tree's `text` members point into `text`, which must outlive it. */
sl_json *sl_json_parse(const char *text, size_t len, const char **error);
/* Frees a tree of sl_json_parse (NULL is fine). */
void sl_json_free(sl_json *v);

/* The first member of object v named key, or NULL (also when v is not an object). */
const sl_json *sl_json_member(const sl_json *v, const char *key);

/* The end of the one JSON value that starts at p (after whitespace), checked as strictly
   as sl_json_parse does but without building anything; NULL if it is not valid. */
const char *sl_json_skip(const char *p, const char *end);
/* Decodes the body of a JSON string literal (between the quotes, already checked by
   sl_json_skip) into out, which has room for n bytes (decoding never grows); returns the
   decoded length. */
size_t sl_json_unescape(const char *s, size_t n, char *out);

/* Appends v without whitespace: members in input order (compact), or sorted by key
   bytewise (canonical, so that equal values have equal text). 0, or -1 without memory. */
int sl_json_write_compact(const sl_json *v, sl_buf *out);
int sl_json_write_canonical(const sl_json *v, sl_buf *out);

/* Whether a and b are the same value: objects as sets of members (order ignored),
   numbers by their text. A string of b equal to `wildcard` (when not NULL) matches any
   value of a: a recorded "[REDACTED]" stands for whatever was there. */
int sl_json_equal(const sl_json *a, const sl_json *b, const char *wildcard);

#endif
