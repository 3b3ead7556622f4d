/* The wire format of records in the per-thread queues, and the decoded view of a record
 * that processors and formatters work on.
 *
 * A queued record is a header followed by its payload, padded to 8 bytes:
 *   LOG:   [event: literal's address] [with REC_HAS_BOUND: u32 count, u32 bytes of the
 *          bound logger's fields] [argument slots: the call's sl_args up to len, 24 bytes
 *          each] [tail]
 *   FRAME: [u64 frame id] [fields]          (the bound context from here on, per queue)
 *   IDS:   [trace id, 16 bytes] [span id, 8] if REC_HAS_SPAN (the current span's ids from
 *          here on, per queue; none without the flag); the header's `reserved` byte holds
 *          that span's W3C trace flags
 *   BIG:   [pointer to a heap copy of a LOG or FRAME record too big for the queue]
 *   SPAN:  [u64 span handle]                 (an ended span, rendered from the span pool)
 *   PAD:   nothing; the rest of the ring up to its end is unused
 *   REPLAY: [trace id, 16 bytes] [span id, 8] [u32 REC_REPLAY_*] [u32 field count] [fields]
 *          (tool I/O for the replay recorder, capture/replay_record.c: handed to the
 *          exporters only, never rendered to a sink)
 * A field is [u8 type][u32 key length][key][value]; the value is 8 bytes for numbers, 1
 * for a bool, nothing for null, [u32 length][bytes] for strings and raw JSON, and
 * [u32 count][elements] for arrays (strings as [u32 length][bytes], NULL as length
 * UINT32_MAX; numbers 8 bytes; bools 1). Lengths and numbers are unaligned and read
 * with memcpy.
 *
 * A LOG record keeps the call's arguments as the macros made them (three word moves each,
 * no per-type encoding on the caller's thread), its event's length in the header; the tail
 * holds, in order, the bytes they point to that may change after the call: the event
 * unless a literal, then per argument its key unless a literal and its value's bytes:
 * strings and raw JSON (their length in the slot's value), a jansson value's JSON text
 * (queued as RAW), arrays as in a field; last, with REC_HAS_BOUND, the bound logger's
 * fields (a copy of its encoded pairs: the record does not need the logger to live).
 * Literals are read where they are, by the backend, for as long as the program runs. */
#ifndef SL_RECORD_H
#define SL_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/common.h"
#include "spanlog/fields.h"
#include "spanlog/log.h"

enum { REC_LOG = 1, REC_FRAME = 2, REC_BIG = 3, REC_SPAN = 4, REC_PAD = 5, REC_IDS = 6, REC_REPLAY = 7 };
/* What a REPLAY record holds: the request's input, one tool call, the request's output. */
enum { REC_REPLAY_INPUT = 1, REC_REPLAY_CALL = 2, REC_REPLAY_OUTPUT = 3 };
#define REC_REPLAY_HEAD 32 /* its ids, kind and field count */
enum { REC_HAS_SPAN = 1, REC_EVENT_LITERAL = 2, REC_HAS_BOUND = 4 };
#define REC_BOUND_HEAD 8 /* a LOG record's count and size of its bound logger's fields */

/* What a record shows of its logger: how every sl_logger begins (capture/logger.h). */
typedef struct rec_logger {
  const char *name;
  size_t name_len;
} rec_logger;

typedef struct rec_hdr {
  uint32_t size; /* whole record including this header, a multiple of 8 */
  uint8_t kind;
  uint8_t level;
  uint8_t flags;
  uint8_t reserved;
  uint32_t nfields;
  uint32_t event_len; /* LOG: the event's bytes, UINT32_MAX for none */
  uint64_t ts_ns; /* wall clock, ns since the Unix epoch */
  const rec_logger *logger; /* NULL: the default logger, "app" */
  const sl__location *loc; /* the log statement (static), or NULL */
} rec_hdr;

#define REC_IDS_SIZE 24

/* A LOG record's argument: the members of its sl_arg before len. A string's length takes
   the place of its pointer (its bytes are in the tail). */
typedef struct rec_slot {
  const char *key;
  uint32_t key_len;
  uint16_t type;
  uint16_t flags;
  union {
    long long i;
    unsigned long long u;
    double d;
    const char *s;
    const void *p;
    int b;
  } v;
} rec_slot;
_Static_assert(sizeof(rec_slot) == offsetof(sl_arg, len) && offsetof(rec_slot, v) == offsetof(sl_arg, v) &&
                   offsetof(rec_slot, type) == offsetof(sl_arg, type) && sizeof(rec_slot) % 8 == 0,
               "a LOG record's slot is the start of an sl_arg");
/* Slots are stored and read in place. */
_Static_assert(sizeof(rec_hdr) % 8 == 0, "LOG record slots must be aligned");
/* Strings longer than this are cut (they would not fit the u32 lengths otherwise). */
#define REC_MAX_STRING ((size_t)1 << 30)

/* ---- encoding (caller's thread) ---- */

/* Bytes of a string or raw JSON value (measured when the argument was made). */
static inline size_t rec_str_len(const sl_arg *a) { return a->len < REC_MAX_STRING ? a->len : REC_MAX_STRING; }

/* memcpy for the short strings records are made of (keys, events, values), without a
   call up to 32 bytes: two overlapping moves cover any length within a size class. */
static inline void rec_copy(unsigned char *dst, const void *src, size_t n) {
  const unsigned char *s = (const unsigned char *)src;
  if (n > 32) {
    memcpy(dst, s, n);
  } else if (n > 16) {
    unsigned char a[16], b[16];
    memcpy(a, s, 16), memcpy(b, s + n - 16, 16);
    memcpy(dst, a, 16), memcpy(dst + n - 16, b, 16);
  } else if (n >= 8) {
    uint64_t a, b;
    memcpy(&a, s, 8), memcpy(&b, s + n - 8, 8);
    memcpy(dst, &a, 8), memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, s, 4), memcpy(&b, s + n - 4, 4);
    memcpy(dst, &a, 4), memcpy(dst + n - 4, &b, 4);
  } else if (n) {
    unsigned char a = s[0], b = s[n / 2], c = s[n - 1];
    dst[0] = a, dst[n / 2] = b, dst[n - 1] = c;
  }
}

/* Copies n 8-byte words one by one. The caller just made the source with 8-byte stores: a
   wider load across two of them would wait for both to retire instead of being forwarded
   (the empty asm keeps the compiler from merging the moves into vector ones). */
static inline void rec_copy_words(void *dst, const void *src, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint64_t w;
    memcpy(&w, (const unsigned char *)src + 8 * i, 8);
    __asm__("" : "+r"(w));
    memcpy((unsigned char *)dst + 8 * i, &w, 8);
  }
}

static inline size_t rec_strs_size(const sl_arg *a) {
  const char *const *v = (const char *const *)a->v.p;
  size_t n = 0;
  for (size_t i = 0; i < a->len; i++) {
    size_t len = v[i] ? strlen(v[i]) : 0;
    n += 4 + (len < REC_MAX_STRING ? len : REC_MAX_STRING);
  }
  return n;
}

/* Elements of an array, capped so that sizes stay within the u32 lengths. */
static inline uint32_t rec_array_count(const sl_arg *a) {
  return (uint32_t)(a->len < REC_MAX_STRING / 8 ? a->len : REC_MAX_STRING / 8);
}

/* A jansson value as JSON text (jansson_value.c): its length, then the text. Without
   jansson in the build, the text is null. */
size_t sl_jansson_size(const void *json);
void sl_jansson_write(const void *json, char *dst, size_t size);

/* A void * value (SL__T_PTR, never NULL) is queued as the string of its address in
   lower-case hex, "0x7ffd1234": converted here, where every record, binding and span
   attribute is encoded, so that nothing downstream knows the type. Its length: */
static inline uint32_t rec_ptr_text_len(const sl_arg *a) {
  uint64_t v = (uint64_t)(uintptr_t)a->v.p;
  return 2 + (uint32_t)(64 - __builtin_clzll(v | 1) + 3) / 4;
}

/* Writes the text of a void * value, n bytes as rec_ptr_text_len gave them. */
static inline unsigned char *rec_put_ptr_text(unsigned char *p, const sl_arg *a, uint32_t n) {
  static const char digits[] = "0123456789abcdef";
  uint64_t v = (uint64_t)(uintptr_t)a->v.p;
  p[0] = '0', p[1] = 'x';
  for (uint32_t i = n; i > 2; i--, v >>= 4) p[i - 1] = (unsigned char)digits[v & 15];
  return p + n;
}

/* Bytes that a's value will take; *value_len receives its string length, if any. */
static inline size_t rec_value_size(const sl_arg *a, uint32_t *value_len) {
  switch (a->type) {
  case SL__T_I64:
  case SL__T_U64:
  case SL__T_F64:
    return 8;
  case SL__T_BOOL:
    return 1;
  case SL__T_STR:
  case SL__T_STRN:
  case SL__T_RAW:
    *value_len = (uint32_t)rec_str_len(a);
    return 4 + *value_len;
  case SL__T_JANSSON:
    *value_len = (uint32_t)sl_jansson_size(a->v.p);
    return 4 + *value_len;
  case SL__T_PTR:
    *value_len = rec_ptr_text_len(a);
    return 4 + *value_len;
  case SL__T_STRS:
    return 4 + rec_strs_size(a);
  case SL__T_INTS:
  case SL__T_DOUBLES:
    return 4 + 8 * (size_t)rec_array_count(a);
  case SL__T_BOOLS:
    return 4 + rec_array_count(a);
  default:
    return 0;
  }
}

/* Bytes that field a will take; *value_len receives its string length, if any. */
static inline size_t rec_field_size(const sl_arg *a, uint32_t *value_len) {
  return 5 + (size_t)a->key_len + rec_value_size(a, value_len);
}

static inline unsigned char *rec_put_u32(unsigned char *p, uint32_t v) {
  memcpy(p, &v, 4);
  return p + 4;
}

static inline unsigned char *rec_put_array(unsigned char *p, const sl_arg *a) {
  uint32_t n = rec_array_count(a);
  p = rec_put_u32(p, n);
  if (a->type == SL__T_STRS) {
    const char *const *v = (const char *const *)a->v.p;
    for (uint32_t i = 0; i < n; i++) {
      size_t len = v[i] ? strlen(v[i]) : 0;
      if (len > REC_MAX_STRING) len = REC_MAX_STRING;
      p = rec_put_u32(p, v[i] ? (uint32_t)len : UINT32_MAX);
      if (len) memcpy(p, v[i], len), p += len;
    }
  } else if (a->type == SL__T_BOOLS) {
    const bool *v = (const bool *)a->v.p;
    for (uint32_t i = 0; i < n; i++) *p++ = (unsigned char)(v[i] != 0);
  } else if (n) {
    memcpy(p, a->v.p, 8 * (size_t)n); /* int64_t and double: 8 bytes each */
    p += 8 * (size_t)n;
  }
  return p;
}

/* Writes field a (a NULL key is an empty one); value_len as rec_field_size gave it. */
static inline unsigned char *rec_put_field(unsigned char *p, const sl_arg *a, uint32_t value_len) {
  /* a jansson value is queued as the JSON text it renders to, an address as a string */
  *p++ = (unsigned char)(a->type == SL__T_JANSSON ? SL__T_RAW : a->type == SL__T_PTR ? SL__T_STR : a->type);
  p = rec_put_u32(p, a->key_len);
  rec_copy(p, a->key, a->key_len);
  p += a->key_len;
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
    rec_copy(p, a->v.s, value_len);
    return p + value_len;
  case SL__T_JANSSON:
    p = rec_put_u32(p, value_len);
    sl_jansson_write(a->v.p, (char *)p, value_len);
    return p + value_len;
  case SL__T_PTR:
    return rec_put_ptr_text(rec_put_u32(p, value_len), a, value_len);
  case SL__T_STRS:
  case SL__T_INTS:
  case SL__T_DOUBLES:
  case SL__T_BOOLS:
    return rec_put_array(p, a);
  default:
    return p;
  }
}

/* Arguments whose value is a string of len bytes, kept in the tail. */
#define REC_STRING_TYPES (1u << SL__T_STR | 1u << SL__T_STRN | 1u << SL__T_RAW)

/* Whether an argument of a type up to RAW has a string value, 0 or 1. */
static inline size_t rec_is_string(unsigned type) { return (REC_STRING_TYPES >> type) & 1; }

/* Bytes that argument a adds to a LOG record's tail: its key unless a literal, its
   string's bytes. Types past RAW (arrays, jansson) take the long way, *value_len receiving
   their encoded bytes. Up to RAW, len is counted whatever the type: it is 0 but for
   strings (as the argument makers set it), and were it not, the room would only be left
   unused (rec_put_arg and rec_get_arg step over string bytes alone). */
static inline size_t rec_arg_tail_size(const sl_arg *a, uint32_t *value_len) {
  size_t key = a->flags & SL__KEY_LITERAL ? 0 : a->key_len;
  if (SL_UNLIKELY(a->type > SL__T_RAW)) return key + rec_value_size(a, value_len);
  return key + rec_str_len(a);
}

/* The tail of an argument past RAW (arrays, jansson, an address, an unknown type as null);
   its slot's type says how the backend reads it (a jansson value becomes RAW text and an
   address STR text, its length in the slot's value, as strings have). */
static inline unsigned char *rec_put_arg_rest(rec_slot *slot, unsigned char *tail, const sl_arg *a,
                                              uint32_t value_len) {
  switch (a->type) {
  case SL__T_JANSSON:
    slot->type = SL__T_RAW, slot->v.u = value_len;
    sl_jansson_write(a->v.p, (char *)tail, value_len);
    return tail + value_len;
  case SL__T_PTR:
    slot->type = SL__T_STR, slot->v.u = value_len;
    return rec_put_ptr_text(tail, a, value_len);
  case SL__T_STRS:
  case SL__T_INTS:
  case SL__T_DOUBLES:
  case SL__T_BOOLS:
    return rec_put_array(tail, a);
  default:
    slot->type = SL__T_NULL;
    return tail;
  }
}

/* Writes argument a to its slot (8-aligned) and its bytes to the tail; returns the tail's
   new end. value_len as rec_arg_tail_size gave it. */
static inline unsigned char *rec_put_arg(rec_slot *slot, unsigned char *tail, const sl_arg *a, uint32_t value_len) {
  rec_copy_words(slot, a, sizeof *slot / 8);
  if (!(a->flags & SL__KEY_LITERAL)) rec_copy(tail, a->key, a->key_len), tail += a->key_len;
  if (SL_UNLIKELY(a->type > SL__T_RAW)) return rec_put_arg_rest(slot, tail, a, value_len);
  if (!rec_is_string(a->type)) return tail;
  size_t n = rec_str_len(a);
  slot->v.u = n;
  rec_copy(tail, a->v.s, n);
  return tail + n;
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
  const char *str; /* STR, STRN, RAW; arrays: the encoded elements */
  size_t len;      /* bytes; arrays: the element count */
} sl_field;

static inline uint32_t rec_get_u32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Decodes the value at p of a field of type f->type into f; returns the position after it. */
static inline const unsigned char *rec_get_value(const unsigned char *p, sl_field *f) {
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
  case SL__T_STRS: {
    f->len = rec_get_u32(p);
    p += 4;
    f->str = (const char *)p;
    for (size_t i = 0; i < f->len; i++) {
      uint32_t n = rec_get_u32(p);
      p += 4 + (n == UINT32_MAX ? 0 : n);
    }
    return p;
  }
  case SL__T_INTS:
  case SL__T_DOUBLES:
    f->len = rec_get_u32(p);
    f->str = (const char *)p + 4;
    return p + 4 + 8 * f->len;
  case SL__T_BOOLS:
    f->len = rec_get_u32(p);
    f->str = (const char *)p + 4;
    return p + 4 + f->len;
  default:
    return p;
  }
}

/* Decodes the field at p into f; returns the position after it. */
static inline const unsigned char *rec_get_field(const unsigned char *p, sl_field *f) {
  f->type = *p++;
  f->key_len = rec_get_u32(p);
  p += 4;
  f->key = (const char *)p;
  return rec_get_value(p + f->key_len, f);
}

/* Decodes a LOG record's argument slot into f, taking what is not a literal from *tail
   (advanced past it). */
static inline void rec_get_arg(const rec_slot *slot, const unsigned char **tail, sl_field *f) {
  const unsigned char *t = *tail;
  f->key_len = slot->key_len;
  if (slot->flags & SL__KEY_LITERAL) {
    f->key = slot->key ? slot->key : "";
  } else {
    f->key = (const char *)t;
    t += slot->key_len;
  }
  f->type = slot->type;
  f->str = NULL;
  f->len = 0;
  switch (slot->type) {
  case SL__T_I64:
  case SL__T_U64:
  case SL__T_F64:
    memcpy(&f->v, &slot->v, 8);
    break;
  case SL__T_BOOL:
    f->v.b = slot->v.b != 0;
    break;
  case SL__T_STR:
  case SL__T_STRN:
  case SL__T_RAW:
    f->str = (const char *)t;
    f->len = slot->v.u;
    t += slot->v.u;
    break;
  default:
    t = rec_get_value(t, f);
    break;
  }
  *tail = t;
}

/* Keys a record sets itself. A user field of the same name is renamed with a leading
   underscore, so the real one stays and the user's value is kept. */
static inline void sl_rename_reserved(sl_field *f) {
  /* By length first, then one comparison of constant size: this runs for every field. */
  const char *to = NULL;
  switch (f->key_len) {
  case 5:
    if (memcmp(f->key, "level", 5) == 0) to = "_level";
    else if (memcmp(f->key, "event", 5) == 0) to = "_event";
    break;
  case 6:
    if (memcmp(f->key, "logger", 6) == 0) to = "_logger";
    break;
  case 7:
    if (memcmp(f->key, "span_id", 7) == 0) to = "_span_id";
    break;
  case 8:
    if (memcmp(f->key, "trace_id", 8) == 0) to = "_trace_id";
    break;
  case 9:
    if (memcmp(f->key, "timestamp", 9) == 0) to = "_timestamp";
    break;
  }
  if (to) f->key = to, f->key_len++;
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
  /* The last ntail fields (the bound context) as the JSON formatter writes them, rendered
     once per bind: it copies tail_json instead. Other formatters render every field. */
  size_t ntail;
  const char *tail_json;
  size_t tail_json_len;
  int has_span;
  uint8_t trace_id[16];
  uint8_t span_id[8];
  uint8_t trace_flags; /* W3C flags of the record's span (SL_TRACE_FLAG_*), with has_span */
  /* 1: a REPLAY record (logger "spanlog.replay", event "replay.input", "replay.call" or
     "replay.output"), for the replay recorder: sinks never see it, and other exporters
     skip it. */
  int internal;
} sl_record_view;

/* A span event and a link as processors and formatters see them. */
typedef struct sl_span_event {
  uint64_t ts_ns;
  const char *name;
  size_t name_len;
  const sl_field *attrs;
  size_t nattrs;
} sl_span_event;

typedef struct sl_span_link {
  uint8_t trace_id[16], span_id[8];
  uint8_t flags; /* the linked span's W3C trace flags */
  const char *trace_state; /* the linked span's W3C tracestate (trace_state_len 0: none) */
  size_t trace_state_len;
  const sl_field *attrs;
  size_t nattrs;
} sl_span_link;

/* Whether a span's parent is in another process (OTLP Span.flags bits 8 and 9). Zero, as
   a view made by hand has it, is "not known". */
enum { SL_PARENT_UNKNOWN = 0, SL_PARENT_LOCAL = 1 /* or no parent */, SL_PARENT_REMOTE = 2 };

/* An ended span ready for rendering. */
typedef struct sl_span_view {
  const char *name;
  size_t name_len;
  uint8_t trace_id[16], span_id[8], parent_id[8];
  int has_parent;
  int parent_remote; /* SL_PARENT_* */
  uint8_t trace_flags; /* W3C (SL_TRACE_FLAG_*) */
  const char *trace_state; /* W3C tracestate of the span (its trace's); trace_state_len 0: none */
  size_t trace_state_len;
  int kind;   /* sl_span_kind */
  int status; /* sl_span_status */
  const char *status_message;
  size_t status_len;
  uint64_t start_ns, end_ns, duration_ns;
  const sl_field *attrs;
  size_t nattrs;
  const sl_span_event *events;
  size_t nevents;
  const sl_span_link *links;
  size_t nlinks;
  uint32_t dropped_attrs, dropped_events, dropped_links;
  const char *resource_json; /* {"service.name":...}, rendered once */
  size_t resource_len;
} sl_span_view;

/* Makes f a string field holding a copy of s[0..len) in the arena (what processors and
   redaction write). 0, or -1 without memory (f unchanged). */
static inline int sl_field_set_string(sl_field *f, const char *s, size_t len, sl_arena *arena) {
  char *copy = (char *)sl_arena_alloc(arena, len ? len : 1);
  if (!copy) return -1;
  if (len) memcpy(copy, s, len);
  f->type = SL__T_STRN;
  f->str = copy;
  f->len = len;
  return 0;
}

#endif
