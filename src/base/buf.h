/* A growable byte buffer: where formatters render and sinks batch. */
#ifndef SL_BUF_H
#define SL_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct sl_buf {
  char *data;
  size_t len;
  size_t cap;
} sl_buf;

/* Makes room for n more bytes; returns 0, or -1 if memory ran out (buffer unchanged). */
int sl_buf_grow(sl_buf *b, size_t n);
void sl_buf_free(sl_buf *b);

static inline int sl_buf_reserve(sl_buf *b, size_t n) {
  return b->cap - b->len >= n ? 0 : sl_buf_grow(b, n);
}

/* Appends; the caller has reserved room. */
static inline void sl_buf_put(sl_buf *b, const void *p, size_t n) {
  if (n == 0) return; /* data may still be NULL */
  memcpy(b->data + b->len, p, n);
  b->len += n;
}
static inline void sl_buf_putc(sl_buf *b, char c) { b->data[b->len++] = c; }

static inline int sl_buf_append(sl_buf *b, const void *p, size_t n) {
  if (sl_buf_reserve(b, n)) return -1;
  sl_buf_put(b, p, n);
  return 0;
}

/* Replaces the bytes from `from` to the end by what put appends of them (a re-encoding).
   Room for per_byte times their length plus extra is made first, so that put cannot move
   the buffer under the text it reads. Returns 0, or -1 (memory, or put failed). */
int sl_buf_rewrite_tail(sl_buf *b, size_t from, size_t per_byte, size_t extra,
                        int (*put)(sl_buf *b, const char *s, size_t n));

/* Appends a string literal, without its NUL: no length to count by hand. */
#define sl_buf_lit(b, literal) sl_buf_append((b), (literal), sizeof(literal) - 1)

#endif
