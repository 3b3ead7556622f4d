#include "processors/process.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/common.h"
#include "processors/redact.h"
#include "base/locks.h"
#include "base/utf8.h"

/* ---- the user part of the chain ---- */

typedef struct user_processor {
  sl_processor_fn fn;
  void *user;
} user_processor;

/* Changed under the configuration lock, which the drainer holds while it runs them. */
static user_processor *chain;
static size_t nchain;

int sl_processor_add(sl_processor_fn fn, void *user) {
  if (!fn) return -1;
  sl_config_lock();
  user_processor *grown = realloc(chain, (nchain + 1) * sizeof *chain);
  if (grown) {
    chain = grown;
    chain[nchain++] = (user_processor){fn, user};
  }
  sl_config_unlock();
  return grown ? 0 : -1;
}

int sl_processor_remove(sl_processor_fn fn, void *user) {
  int rc = -1;
  sl_config_lock();
  for (size_t i = 0; i < nchain; i++) {
    if (chain[i].fn == fn && chain[i].user == user) {
      memmove(chain + i, chain + i + 1, (nchain - i - 1) * sizeof *chain);
      nchain--;
      rc = 0;
      break;
    }
  }
  sl_config_unlock();
  return rc;
}

/* ---- truncation ---- */

static _Atomic size_t max_value_bytes; /* 0: no limit */
static sl_once limit_once = SL_ONCE_INIT;

static void limit_from_env(void) {
  const char *v = getenv("SPANLOG_MAX_VALUE_BYTES");
  uint64_t n;
  if (!v || !*v) return;
  if (sl_parse_bytes(v, &n) == 0) atomic_store(&max_value_bytes, (size_t)n);
  else sl_diag("spanlog: ignoring SPANLOG_MAX_VALUE_BYTES=%s (expected a byte count such as 65536 or 64k)", v);
}

void sl_set_max_value_bytes(size_t bytes) {
  sl_call_once(&limit_once, limit_from_env);
  atomic_store(&max_value_bytes, bytes);
}

/* Cuts a string longer than the limit at a character boundary at or below it, and says
   so: "…[cut 1234 bytes]". Raw JSON that long becomes a string, since a cut is no JSON. */
static void truncate_field(sl_field *f, size_t limit, sl_arena *arena) {
  if ((f->type != SL__T_STR && f->type != SL__T_STRN && f->type != SL__T_RAW) || f->len <= limit) return;
  const unsigned char *s = (const unsigned char *)f->str;
  size_t keep = 0;
  while (keep < f->len) {
    size_t bad, n = sl_utf8_sequence(s + keep, f->len - keep, &bad);
    if (!n) n = bad;
    if (keep + n > limit) break;
    keep += n;
  }
  char marker[48];
  int m = snprintf(marker, sizeof marker, "\xE2\x80\xA6[cut %zu bytes]", f->len - keep);
  char *out = sl_arena_alloc(arena, keep + (size_t)m);
  if (!out) return; /* left whole: better long than lost */
  memcpy(out, f->str, keep);
  memcpy(out + keep, marker, (size_t)m);
  f->type = SL__T_STRN;
  f->str = out;
  f->len = keep + (size_t)m;
}

static void truncate_all(sl_field *fields, size_t n, sl_arena *arena) {
  size_t limit = sl_process_limit();
  if (!limit) return;
  for (size_t i = 0; i < n; i++) truncate_field(&fields[i], limit, arena);
}

int sl_process_is_plain(void) { return nchain == 0; }

size_t sl_process_limit(void) {
  sl_call_once(&limit_once, limit_from_env);
  return atomic_load_explicit(&max_value_bytes, memory_order_relaxed);
}

void sl_process_truncate(sl_field *fields, size_t n, sl_arena *arena) { truncate_all(fields, n, arena); }

/* ---- the chain ---- */

sl_verdict sl_process(sl_record *r) {
  for (size_t i = 0; i < nchain; i++)
    if (chain[i].fn(r, chain[i].user) == SL_DROP) return SL_DROP;
  truncate_all(r->fields, r->n, r->arena);
  return SL_KEEP;
}

void sl_process_nested(sl_field *fields, size_t n, sl_arena *arena) {
  sl_redact_fields(fields, n, arena);
  truncate_all(fields, n, arena);
}

/* ---- reading ---- */

/* A NULL record reads as an empty one (every public function takes NULL for a handle). */
int sl_record_is_span(const sl_record *r) { return r && r->is_span; }
sl_level sl_record_level(const sl_record *r) { return r ? (sl_level)r->level : SL_LEVEL_OFF; }

const char *sl_record_event(const sl_record *r, size_t *len) {
  if (len) *len = r ? r->event_len : 0;
  return r ? r->event : NULL;
}

const char *sl_record_logger(const sl_record *r, size_t *len) {
  if (len) *len = r ? r->logger_len : 0;
  return r ? r->logger : NULL;
}

size_t sl_record_count(const sl_record *r) { return r ? r->n : 0; }

static const sl_field *field_at(const sl_record *r, size_t i) { return r && i < r->n ? &r->fields[i] : NULL; }

const char *sl_record_key(const sl_record *r, size_t i, size_t *len) {
  const sl_field *f = field_at(r, i);
  if (len) *len = f ? f->key_len : 0;
  return f ? f->key : NULL;
}

sl_value_type sl_record_type(const sl_record *r, size_t i) {
  const sl_field *f = field_at(r, i);
  switch (f ? f->type : SL__T_NULL) {
  case SL__T_I64: return SL_VALUE_INT;
  case SL__T_U64: return SL_VALUE_UINT;
  case SL__T_F64: return SL_VALUE_DOUBLE;
  case SL__T_STR:
  case SL__T_STRN: return SL_VALUE_STRING;
  case SL__T_BOOL: return SL_VALUE_BOOL;
  case SL__T_RAW: return SL_VALUE_JSON;
  case SL__T_STRS:
  case SL__T_INTS:
  case SL__T_DOUBLES:
  case SL__T_BOOLS: return SL_VALUE_ARRAY;
  default: return SL_VALUE_NULL;
  }
}

const char *sl_record_string(const sl_record *r, size_t i, size_t *len) {
  sl_value_type t = sl_record_type(r, i);
  int text = t == SL_VALUE_STRING || t == SL_VALUE_JSON;
  if (len) *len = text ? r->fields[i].len : 0;
  return text ? r->fields[i].str : NULL;
}

int64_t sl_record_int(const sl_record *r, size_t i) {
  return sl_record_type(r, i) == SL_VALUE_INT ? r->fields[i].v.i : 0;
}
uint64_t sl_record_uint(const sl_record *r, size_t i) {
  return sl_record_type(r, i) == SL_VALUE_UINT ? r->fields[i].v.u : 0;
}
double sl_record_double(const sl_record *r, size_t i) {
  return sl_record_type(r, i) == SL_VALUE_DOUBLE ? r->fields[i].v.d : 0.0;
}
int sl_record_bool(const sl_record *r, size_t i) {
  return sl_record_type(r, i) == SL_VALUE_BOOL ? r->fields[i].v.b : 0;
}

long sl_record_find(const sl_record *r, const char *key) {
  size_t len = key ? strlen(key) : 0;
  for (size_t i = 0; r && key && i < r->n; i++)
    if (r->fields[i].key_len == len && memcmp(r->fields[i].key, key, len) == 0) return (long)i;
  return -1;
}

/* ---- changing ---- */

/* Room for one more field: the array moves into the arena when it is full. */
static int make_room(sl_record *r) {
  if (r->n < r->cap) return 0;
  size_t cap = r->cap ? 2 * r->cap : 8;
  sl_field *grown = sl_arena_alloc(r->arena, cap * sizeof *grown);
  if (!grown) return -1;
  if (r->n) memcpy(grown, r->fields, r->n * sizeof *grown);
  r->fields = grown;
  r->cap = cap;
  return 0;
}

/* The length of the well-formed key, or 0 if key is well-formed as it is. */
static size_t wellformed_len(const unsigned char *k, size_t n) {
  size_t i = 0, out = 0, bad = 0, ill = 0;
  while (i < n && k[i] < 0x80) i++;
  if (i == n) return 0;
  out = i;
  while (i < n) {
    size_t len = sl_utf8_sequence(k + i, n - i, &bad);
    if (len) i += len, out += len;
    else i += bad, out += 3, ill = 1;
  }
  return ill ? out : 0;
}

int sl_key_make_wellformed(sl_field *f, sl_arena *arena) {
  const unsigned char *k = (const unsigned char *)f->key;
  size_t want = wellformed_len(k, f->key_len), bad = 0;
  char *copy = want ? sl_arena_alloc(arena, want + 1) : NULL;
  if (!copy) return 0;
  size_t o = 0;
  for (size_t i = 0; i < f->key_len;) {
    size_t len = sl_utf8_sequence(k + i, f->key_len - i, &bad);
    if (len) memcpy(copy + o, k + i, len), o += len, i += len;
    else memcpy(copy + o, SL_UTF8_REPLACEMENT, 3), o += 3, i += bad;
  }
  copy[o] = 0;
  f->key = copy;
  f->key_len = (uint32_t)o;
  return 1;
}

int sl__record_set(sl_record *r, sl_arg value) {
  if (!r) return -1;
  /* Encoded and decoded again: the arena copy holds key and value, of any type. */
  uint32_t vlen = 0;
  size_t size = rec_field_size(&value, &vlen);
  unsigned char *enc = sl_arena_alloc(r->arena, size);
  if (!enc) return -1;
  rec_put_field(enc, &value, vlen);
  sl_field f;
  rec_get_field(enc, &f);
  sl_key_make_wellformed(&f, r->arena);
  if (!r->is_span) sl_rename_reserved(&f);
  for (size_t i = 0; i < r->n; i++) {
    if (r->fields[i].key_len == f.key_len && memcmp(r->fields[i].key, f.key, f.key_len) == 0) {
      r->fields[i] = f;
      return 0;
    }
  }
  if (make_room(r)) return -1;
  r->fields[r->n++] = f;
  return 0;
}

void sl_record_remove(sl_record *r, size_t i) {
  if (!r || i >= r->n) return;
  memmove(r->fields + i, r->fields + i + 1, (r->n - i - 1) * sizeof *r->fields);
  r->n--;
}
