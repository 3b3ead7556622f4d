/* A protobuf wire writer over sl_buf: what the OTLP encoder needs and nothing more
 * (https://protobuf.dev/programming-guides/encoding). Fields are appended in the order of
 * the calls; a sub-message is opened with pb_begin and closed with pb_end, which writes its
 * length in front of it without a second pass over the message.
 *
 * Every function returns 0, or -1 when memory ran out. After a failure the buffer holds
 * a partial message: the caller rolls back to the length it started at. */
#ifndef SL_PROTOBUF_H
#define SL_PROTOBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"

enum { PB_VARINT = 0, PB_I64 = 1, PB_LEN = 2, PB_I32 = 5 };

/* The longest varint (a negative int64 takes ten bytes) and a tag with one. */
#define PB_VARINT_MAX 10
#define PB_SMALL 24

/* Bytes that v takes as a varint (1 to 10). */
static inline size_t pb_varint_size(uint64_t v) {
  /* 7 bits per byte; v | 1 keeps the count defined for 0 */
  return (size_t)(64 - __builtin_clzll(v | 1) + 6) / 7;
}

/* Writes v as a varint at o, which has room; returns the end. */
static inline char *pb_varint_at(char *o, uint64_t v) {
  while (v >= 0x80) {
    *o++ = (char)(v | 0x80);
    v >>= 7;
  }
  *o++ = (char)v;
  return o;
}

/* A field's key: its number and wire type. */
static inline uint64_t pb_key(uint32_t field, unsigned wire) { return (uint64_t)field << 3 | wire; }

/* Unchecked forms, for a caller that reserved PB_SMALL bytes (or more) first. */
static inline void pb_put_varint(sl_buf *b, uint64_t v) {
  b->len = (size_t)(pb_varint_at(b->data + b->len, v) - b->data);
}
static inline void pb_put_tag(sl_buf *b, uint32_t field, unsigned wire) { pb_put_varint(b, pb_key(field, wire)); }
static inline void pb_put_le64(sl_buf *b, uint64_t v) {
  for (int i = 0; i < 8; i++) b->data[b->len++] = (char)(v >> 8 * i);
}
static inline void pb_put_le32(sl_buf *b, uint32_t v) {
  for (int i = 0; i < 4; i++) b->data[b->len++] = (char)(v >> 8 * i);
}

/* ---- fields (tag and value), checked ---- */

/* uint32, uint64, enum and bool fields; int64 as its two's complement (10 bytes when
   negative, as proto3 int64 is encoded). Written even when 0: proto3 callers skip the
   default values themselves, oneof members must not skip them. */
static inline int pb_uint(sl_buf *b, uint32_t field, uint64_t v) {
  if (sl_buf_reserve(b, PB_SMALL)) return -1;
  pb_put_tag(b, field, PB_VARINT);
  pb_put_varint(b, v);
  return 0;
}
static inline int pb_int64(sl_buf *b, uint32_t field, int64_t v) { return pb_uint(b, field, (uint64_t)v); }

static inline int pb_fixed64(sl_buf *b, uint32_t field, uint64_t v) {
  if (sl_buf_reserve(b, PB_SMALL)) return -1;
  pb_put_tag(b, field, PB_I64);
  pb_put_le64(b, v);
  return 0;
}
static inline int pb_fixed32(sl_buf *b, uint32_t field, uint32_t v) {
  if (sl_buf_reserve(b, PB_SMALL)) return -1;
  pb_put_tag(b, field, PB_I32);
  pb_put_le32(b, v);
  return 0;
}
static inline int pb_double(sl_buf *b, uint32_t field, double d) {
  uint64_t bits;
  memcpy(&bits, &d, 8); /* IEEE 754 binary64, little-endian on the wire */
  return pb_fixed64(b, field, bits);
}

/* bytes and string fields: tag, length, then the n bytes. */
int pb_bytes(sl_buf *b, uint32_t field, const void *p, size_t n);

/* Only a field's tag and length, for a value of n bytes the caller appends next. */
int pb_len_prefix(sl_buf *b, uint32_t field, size_t n);

/* ---- sub-messages ---- */

/* Opens a length-delimited field and returns its mark (SIZE_MAX on failure, which
   pb_end then reports). One byte is kept for the length: most messages here are short
   (attributes, values). pb_end writes it, moving the body when it needs more bytes. */
size_t pb_begin(sl_buf *b, uint32_t field);
int pb_end(sl_buf *b, size_t mark);

#endif
