#include "exporters/protobuf.h"

int pb_len_prefix(sl_buf *b, uint32_t field, size_t n) {
  if (sl_buf_reserve(b, PB_SMALL)) return -1;
  pb_put_tag(b, field, PB_LEN);
  pb_put_varint(b, n);
  return 0;
}

int pb_bytes(sl_buf *b, uint32_t field, const void *p, size_t n) {
  if (n > SIZE_MAX - PB_SMALL || sl_buf_reserve(b, PB_SMALL + n)) return -1;
  pb_put_tag(b, field, PB_LEN);
  pb_put_varint(b, n);
  sl_buf_put(b, p, n);
  return 0;
}

size_t pb_begin(sl_buf *b, uint32_t field) {
  if (sl_buf_reserve(b, PB_SMALL)) return SIZE_MAX;
  pb_put_tag(b, field, PB_LEN);
  return b->len++; /* the length's first byte */
}

int pb_end(sl_buf *b, size_t mark) {
  if (mark == SIZE_MAX || mark >= b->len) return -1;
  size_t n = b->len - mark - 1, extra = pb_varint_size(n) - 1;
  if (extra) {
    /* The body moves forward by the length's extra bytes: at most 9, and only for
       messages of 128 bytes or more, whose encoding cost dwarfs the move. */
    if (sl_buf_reserve(b, extra)) return -1;
    memmove(b->data + mark + 1 + extra, b->data + mark + 1, n);
    b->len += extra;
  }
  pb_varint_at(b->data + mark, n);
  return 0;
}
