/* jansson values as fields: their compact JSON text, made on the caller's thread when the
 * value is captured (the application may change or free the json_t right after). */
#include <string.h>

#include "record/record.h"

#ifdef SL_HAVE_JANSSON
#include <jansson.h>

#define FLAGS (JSON_COMPACT | JSON_ENCODE_ANY)

/* Weak: a program linked with the static library needs jansson only if it passes json_t
   values (and then links jansson itself, so the reference is resolved). */
#pragma weak json_dumpb

size_t sl_jansson_size(const void *json) {
  size_t n = json_dumpb(json, NULL, 0, FLAGS);
  return n && n < REC_MAX_STRING ? n : 4; /* 0: jansson could not encode it: null */
}

void sl_jansson_write(const void *json, char *dst, size_t size) {
  if (json_dumpb(json, dst, size, FLAGS) != size) memcpy(dst, "null", 4);
}
#else
/* Built without jansson: a value the library cannot read renders as null. */
size_t sl_jansson_size(const void *json) {
  (void)json;
  return 4;
}

void sl_jansson_write(const void *json, char *dst, size_t size) {
  (void)json;
  (void)size;
  memcpy(dst, "null", 4);
}
#endif
