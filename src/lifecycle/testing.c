/* The public API of captures (include/spanlog/testing.h): a capture holds the records
 * made after it starts; reading it first writes out everything queued before. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/locks.h"
#include "base/parse.h"
#include "sinks/memory_sink.h"
#include "sinks/sink.h"

sl_capture *sl_capture_start(sl_level min_level) {
  sl_capture *cap = sl_memory_capture_new(min_level);
  if (!cap) return NULL;
  sl_flush();
  sl_config_lock();
  sl_sink_link(cap->sink);
  sl_config_unlock();
  return cap;
}

size_t sl_capture_count(sl_capture *cap) {
  if (!cap) return 0;
  sl_flush();
  sl_config_lock();
  size_t n = cap->n;
  sl_config_unlock();
  return n;
}

const char *sl_capture_line(sl_capture *cap, size_t i) {
  if (!cap) return NULL;
  sl_flush();
  sl_config_lock();
  const char *line = i < cap->n ? cap->lines[i] : NULL;
  sl_config_unlock();
  return line;
}

const char *sl_capture_field(sl_capture *cap, size_t i, const char *key, size_t *len) {
  if (!cap || !key) return NULL;
  sl_flush();
  sl_config_lock();
  const char *value = sl_memory_capture_field(cap, i, key, len);
  sl_config_unlock();
  return value;
}

void sl_capture_clear(sl_capture *cap) {
  if (!cap) return;
  sl_flush();
  sl_config_lock();
  sl_memory_capture_clear(cap);
  sl_config_unlock();
}

void sl_capture_stop(sl_capture *cap) {
  if (!cap) return;
  sl_flush();
  sl_config_lock();
  sl_sink_unlink_free(cap->sink);
  sl_sinks_restore_default(); /* records after the last capture go where they went before */
  sl_config_unlock();
  sl_memory_capture_free(cap);
}

/* ---- parsed values ----
 * An sl_value is an sl_json node of a line's parsed tree: the public type is opaque. */

static const sl_json *json_of(const sl_value *v) { return (const sl_json *)(const void *)v; }
static const sl_value *value_of(const sl_json *j) { return (const sl_value *)(const void *)j; }

/* Record i parsed; its tree lives until the capture is cleared, so it is read unlocked. */
const sl_value *sl_capture_parsed(sl_capture *cap, size_t i) {
  if (!cap) return NULL;
  sl_flush();
  sl_config_lock();
  const sl_json *line = sl_memory_capture_parsed(cap, i);
  sl_config_unlock();
  return value_of(line);
}

const sl_value *sl_capture_get(sl_capture *cap, size_t i, const char *key) {
  return key ? sl_value_get(sl_capture_parsed(cap, i), key) : NULL;
}

size_t sl_capture_field_count(sl_capture *cap, size_t i) { return sl_value_count(sl_capture_parsed(cap, i)); }

const char *sl_capture_field_at(sl_capture *cap, size_t i, size_t j, sl_value_type *type) {
  const char *key = NULL;
  const sl_value *v = sl_value_at(sl_capture_parsed(cap, i), j, &key);
  if (v && type) *type = sl_value_type_of(v);
  return v ? key : NULL;
}

int sl_capture_int(sl_capture *cap, size_t i, const char *key, int64_t *out) {
  return sl_value_int(sl_capture_get(cap, i, key), out);
}

int sl_capture_double(sl_capture *cap, size_t i, const char *key, double *out) {
  return sl_value_double(sl_capture_get(cap, i, key), out);
}

int sl_capture_bool(sl_capture *cap, size_t i, const char *key, int *out) {
  return sl_value_bool(sl_capture_get(cap, i, key), out);
}

const char *sl_capture_string(sl_capture *cap, size_t i, const char *key, size_t *len) {
  return sl_value_string(sl_capture_get(cap, i, key), len);
}

int sl_capture_is_null(sl_capture *cap, size_t i, const char *key) {
  const sl_json *j = json_of(sl_capture_get(cap, i, key));
  return j && j->type == SL_JSON_NULL;
}

/* An integer's text: digits after an optional minus, no fraction or exponent. */
static int integer_text(const char *s) { return !s[strspn(s, "-0123456789")]; }

/* The int64_t or (unsigned 1) uint64_t a number's text stands for: 0, or -1 if it is
   no integer or does not fit. */
static int parse_integer(const char *s, int is_unsigned, int64_t *i, uint64_t *u) {
  if (!integer_text(s) || (is_unsigned && *s == '-')) return -1;
  errno = 0;
  if (is_unsigned) *u = strtoull(s, NULL, 10);
  else *i = strtoll(s, NULL, 10);
  return errno ? -1 : 0;
}

static sl_value_type number_type(const char *s) {
  int64_t i;
  uint64_t u;
  if (parse_integer(s, 0, &i, &u) == 0) return SL_VALUE_INT;
  return parse_integer(s, 1, &i, &u) == 0 ? SL_VALUE_UINT : SL_VALUE_DOUBLE;
}

sl_value_type sl_value_type_of(const sl_value *v) {
  const sl_json *j = json_of(v);
  if (!j) return SL_VALUE_NULL;
  switch (j->type) {
  case SL_JSON_NULL: return SL_VALUE_NULL;
  case SL_JSON_FALSE:
  case SL_JSON_TRUE: return SL_VALUE_BOOL;
  case SL_JSON_NUMBER: return number_type(j->str);
  case SL_JSON_STRING: return SL_VALUE_STRING;
  case SL_JSON_ARRAY: return SL_VALUE_ARRAY;
  case SL_JSON_OBJECT: return SL_VALUE_JSON;
  }
  return SL_VALUE_NULL;
}

size_t sl_value_count(const sl_value *v) {
  const sl_json *j = json_of(v);
  return j && (j->type == SL_JSON_ARRAY || j->type == SL_JSON_OBJECT) ? j->n : 0;
}

const sl_value *sl_value_at(const sl_value *v, size_t j, const char **key) {
  const sl_json *o = json_of(v);
  if (key) *key = NULL;
  if (j >= sl_value_count(v)) return NULL;
  if (key && o->type == SL_JSON_OBJECT) *key = o->items[j].key;
  return value_of(&o->items[j]);
}

const sl_value *sl_value_get(const sl_value *v, const char *key) {
  return key ? value_of(sl_json_member(json_of(v), key)) : NULL;
}

/* v's integer as an int64_t or (is_unsigned 1) a uint64_t: 0, or -1 if it is none. */
static int read_integer(const sl_value *v, int is_unsigned, int64_t *i, uint64_t *u) {
  const sl_json *j = json_of(v);
  return j && j->type == SL_JSON_NUMBER ? parse_integer(j->str, is_unsigned, i, u) : -1;
}

int sl_value_int(const sl_value *v, int64_t *out) {
  int64_t i = 0;
  uint64_t u;
  if (read_integer(v, 0, &i, &u)) return -1;
  if (out) *out = i;
  return 0;
}

int sl_value_uint(const sl_value *v, uint64_t *out) {
  int64_t i;
  uint64_t u = 0;
  if (read_integer(v, 1, &i, &u)) return -1;
  if (out) *out = u;
  return 0;
}


int sl_value_double(const sl_value *v, double *out) {
  const sl_json *j = json_of(v);
  if (!j || j->type != SL_JSON_NUMBER) return -1;
  if (out) *out = sl_parse_c_double(j->str);
  return 0;
}

int sl_value_bool(const sl_value *v, int *out) {
  const sl_json *j = json_of(v);
  if (!j || (j->type != SL_JSON_TRUE && j->type != SL_JSON_FALSE)) return -1;
  if (out) *out = j->type == SL_JSON_TRUE;
  return 0;
}

const char *sl_value_string(const sl_value *v, size_t *len) {
  const sl_json *j = json_of(v);
  if (!j || j->type != SL_JSON_STRING) return NULL;
  if (len) *len = j->len;
  return j->str;
}

const char *sl_value_json(const sl_value *v, size_t *len) {
  const sl_json *j = json_of(v);
  if (!j) return NULL;
  if (len) *len = j->text_len;
  return j->text;
}

/* ---- spans ---- */

size_t sl_capture_span_count(sl_capture *cap) {
  if (!cap) return 0;
  sl_flush();
  sl_config_lock();
  long n = sl_memory_capture_find_spans(cap);
  sl_config_unlock();
  return n > 0 ? (size_t)n : 0;
}

const sl_value *sl_capture_span(sl_capture *cap, size_t k) {
  if (!cap) return NULL;
  sl_flush();
  sl_config_lock();
  long n = sl_memory_capture_find_spans(cap);
  const sl_json *span = n > 0 && k < (size_t)n ? sl_memory_capture_parsed(cap, cap->spans[k]) : NULL;
  sl_config_unlock();
  return value_of(span);
}

const sl_value *sl_capture_span_by_id(sl_capture *cap, const char *span_id) {
  if (!cap || !span_id) return NULL;
  sl_flush();
  sl_config_lock();
  const sl_json *found = NULL;
  long n = sl_memory_capture_find_spans(cap);
  for (long k = 0; k < n && !found; k++) {
    const sl_json *span = sl_memory_capture_parsed(cap, cap->spans[k]);
    const sl_json *id = sl_json_member(span, "span_id");
    if (id && id->type == SL_JSON_STRING && strcmp(id->str, span_id) == 0) found = span;
  }
  sl_config_unlock();
  return value_of(found);
}

int sl_capture_is_span(sl_capture *cap, size_t i) {
  const sl_value *line = sl_capture_parsed(cap, i);
  return line && sl_memory_capture_is_span(json_of(line));
}
