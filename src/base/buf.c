#include "base/buf.h"

#include <stdint.h>
#include <stdlib.h>

int sl_buf_grow(sl_buf *b, size_t n) {
  if (n > SIZE_MAX / 2 - b->len) return -1;
  size_t need = b->len + n;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

int sl_buf_rewrite_tail(sl_buf *b, size_t from, size_t per_byte, size_t extra,
                        int (*put)(sl_buf *b, const char *s, size_t n)) {
  size_t n = b->len - from, mid = b->len;
  if (n > (SIZE_MAX - extra) / per_byte || sl_buf_reserve(b, per_byte * n + extra)) return -1;
  if (put(b, b->data + from, n)) return -1;
  memmove(b->data + from, b->data + mid, b->len - mid);
  b->len = from + (b->len - mid);
  return 0;
}

void sl_buf_free(sl_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
