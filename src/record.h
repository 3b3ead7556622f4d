/* The wire format of records in the per-thread queues, and the decoded view of a record
 * that processors and formatters work on.
 *
 * A queued record is a header followed by its payload, padded to 8 bytes:
 *   LOG:   [span ids, 24 bytes, if REC_HAS_SPAN] [event: u32 len, bytes] [fields]
 *   FRAME: [u64 frame id] [fields]          (the bound context from here on, per queue)
 *   BIG:   [pointer to a heap copy of a LOG or FRAME record too big for the queue]
 *   DROP:  [u64 count]                       (records this queue had to drop)
 *   PAD:   nothing; the rest of the ring up to its end is unused
 * A field is [u8 type][u32 key length][key][value]; the value is 8 bytes for numbers, 1
 * for a bool, nothing for null, [u32 length][bytes] for strings and raw JSON. Lengths
 * and numbers are unaligned and read with memcpy. */
#ifndef SL_RECORD_H
#define SL_RECORD_H

#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "spanlog/fields.h"
#include "spanlog/log.h"

enum { REC_LOG = 1, REC_FRAME = 2, REC_BIG = 3, REC_DROP = 4, REC_PAD = 5 };
enum { REC_HAS_SPAN = 1 };

typedef struct rec_hdr {
  uint32_t size; /* whole record including this header, a multiple of 8 */
  uint8_t kind;
  uint8_t level;
  uint8_t flags;
  uint8_t reserved;
  uint32_t nfields;
  uint32_t reserved2;
  uint64_t ts_ns; /* wall clock, ns since the Unix epoch */
  sl_logger *logger;
} rec_hdr;

#define REC_IDS_SIZE 24
/* Strings longer than this are cut (they would not fit the u32 lengths otherwise). */
#define REC_MAX_STRING ((size_t)1 << 30)

/* ---- encoding (caller's thread) ---- */

static inline size_t rec_str_len(const sl_arg *a) {
  size_t n = a->type == SL__T_STRN ? a->len : strlen(a->v.s);
  return n < REC_MAX_STRING ? n : REC_MAX_STRING;
}

/* Bytes that field a will take; *value_len receives its string length, if any. */
static inline size_t rec_field_size(const sl_arg *a, uint32_t *key_len, uint32_t *value_len) {
  size_t k = a->key ? strlen(a->key) : 0;
  if (k > REC_MAX_STRING) k = REC_MAX_STRING;
  *key_len = (uint32_t)k;
  switch (a->type) {
  case SL__T_I64:
  case SL__T_U64:
  case SL__T_F64:
    return 5 + k + 8;
  case SL__T_BOOL:
    return 5 + k + 1;
  case SL__T_STR:
  case SL__T_STRN:
  case SL__T_RAW:
    *value_len = (uint32_t)rec_str_len(a);
    return 5 + k + 4 + *value_len;
  default:
    return 5 + k;
  }
}

static inline unsigned char *rec_put_u32(unsigned char *p, uint32_t v) {
  memcpy(p, &v, 4);
  return p + 4;
}

static inline unsigned char *rec_put_field(unsigned char *p, const sl_arg *a, uint32_t key_len,
                                           uint32_t value_len) {
  *p++ = (unsigned char)a->type;
  p = rec_put_u32(p, key_len);
  memcpy(p, a->key, key_len);
  p += key_len;
  switch (a->type) {
  case SL__T_I64:
  case SL__T_U64:
  case SL__T_F64:
    memcpy(p, &a->v, 8);
    return p + 8;
  case SL__T_BOOL:
    *p = (unsigned char)(a->v.b != 0);
    return p + 1;
  case SL__T_STR:
  case SL__T_STRN:
  case SL__T_RAW:
    p = rec_put_u32(p, value_len);
    memcpy(p, a->v.s, value_len);
    return p + value_len;
  default:
    return p;
  }
}

/* ---- decoding (backend) ---- */

/* One field as processors and formatters see it. Strings point into the record. */
typedef struct sl_field {
  const char *key;
  size_t key_len;
  int type; /* SL__T_* */
  union {
    int64_t i;
    uint64_t u;
    double d;
    int b;
  } v;
  const char *str; /* STR, STRN, RAW */
  size_t len;
} sl_field;

static inline uint32_t rec_get_u32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Decodes the field at p into f; returns the position after it. */
static inline const unsigned char *rec_get_field(const unsigned char *p, sl_field *f) {
  f->type = *p++;
  f->key_len = rec_get_u32(p);
  p += 4;
  f->key = (const char *)p;
  p += f->key_len;
  f->str = NULL;
  f->len = 0;
  switch (f->type) {
  case SL__T_I64:
  case SL__T_U64:
  case SL__T_F64:
    memcpy(&f->v, p, 8);
    return p + 8;
  case SL__T_BOOL:
    f->v.b = *p;
    return p + 1;
  case SL__T_STR:
  case SL__T_STRN:
  case SL__T_RAW:
    f->len = rec_get_u32(p);
    f->str = (const char *)p + 4;
    return p + 4 + f->len;
  default:
    return p;
  }
}

/* A log record ready for rendering: the record's own keys, then `fields` in output order
   (call-site fields, then bound fields not shadowed by them), then the span ids. */
typedef struct sl_record_view {
  uint64_t ts_ns;
  int level;
  const char *logger;
  size_t logger_len;
  const char *event;
  size_t event_len;
  const sl_field *fields;
  size_t nfields;
  int has_span;
  uint8_t trace_id[16];
  uint8_t span_id[8];
} sl_record_view;

#endif
