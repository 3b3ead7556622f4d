/* libFuzzer target: the JSON lines formatter (formatters/json.c, sl_json_render) over a
 * record view made from the input: any timestamp, level, logger and event, fields with any
 * keys and values (strings, counted strings with any bytes, raw JSON text, numbers of any
 * bits, arrays), some of them as the pre-rendered bound context.
 *
 * The view is what the backend hands the formatter: keys made well-formed and renamed as
 * the backend does, then, of keys that are equal, only the last. Every line must then be
 * one object that tests/jsonl.c (strict: no duplicate key at any depth) accepts, with the
 * members in order; strings must read back as they went in, each ill-formed UTF-8 byte
 * sequence read as U+FFFD; numbers exactly; raw JSON compacted as below, or, if it is not
 * one JSON value, as the string it was. A violation aborts.
 *
 * Input: [flags][8: timestamp][logger][event] then fields until the input ends, each
 * [type][key][value]; a text is [length byte (255: two more bytes, little-endian)][bytes]. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "formatters/json.h"
#include "processors/process.h"
#include "tests/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_FIELDS = 64, MARK = 0xFF /* never in well-formed UTF-8 */ };
/* tests/jsonl.c reads 64 levels with the line's object; spanlog keeps raw JSON up to 128.
   Deeper raw values are left out of the view: the checker could not judge the line. */
enum { MAX_RAW_DEPTH = 62 };

static void check(int ok, const char *what) {
  if (ok) return;
  fprintf(stderr, "json_render_fuzz: %s\n", what);
  abort();
}

/* ---- reading the input ---- */

typedef struct reader {
  const uint8_t *p, *end;
} reader;

static unsigned take_byte(reader *r) { return r->p < r->end ? *r->p++ : 0; }

static const char *take_text(reader *r, size_t *len) {
  size_t n = take_byte(r);
  if (n == 255) n = take_byte(r), n |= (size_t)take_byte(r) << 8;
  if (n > (size_t)(r->end - r->p)) n = (size_t)(r->end - r->p);
  const char *s = (const char *)r->p;
  r->p += n;
  *len = n;
  return s;
}

static uint64_t take_u64(reader *r) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | take_byte(r);
  return v;
}

/* ---- an independent UTF-8 reading, for the round trip ---- */

/* Length of the well-formed sequence at p (by code point ranges), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n) {
  static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
  size_t len = p[0] < 0x80 ? 1 : p[0] >> 5 == 6 ? 2 : p[0] >> 4 == 14 ? 3 : p[0] >> 3 == 30 ? 4 : 0;
  if (!len || len > n) return 0;
  uint32_t cp = len == 1 ? p[0] : p[0] & (0x7Fu >> len);
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (p[i] & 0x3F);
  }
  if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/* s with every run of ill-formed bytes and U+FFFD characters as one MARK: a string and its
   rendering read back are equal this way whatever the replacement policy. */
static size_t fold(const char *s, size_t n, char *out) {
  const unsigned char *u = (const unsigned char *)s;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_len(u + i, n - i);
    int bad = !len || (len == 3 && memcmp(u + i, "\xEF\xBF\xBD", 3) == 0);
    if (bad && !(o && (unsigned char)out[o - 1] == MARK)) out[o++] = (char)MARK;
    if (!bad) memcpy(out + o, u + i, len), o += len;
    i += len ? len : 1;
  }
  return o;
}

static int same_folded(const char *a, size_t an, const char *b, size_t bn) {
  char *fa = malloc(an + 1), *fb = malloc(bn + 1);
  check(fa && fb, "out of memory");
  size_t na = fold(a, an, fa), nb = fold(b, bn, fb);
  int same = na == nb && memcmp(fa, fb, na) == 0;
  free(fa), free(fb);
  return same;
}

/* ---- raw JSON as the formatter should compact it ---- */

/* Whitespace outside strings dropped, U+2028 and U+2029 inside them escaped (they end
   lines in JavaScript); *depth receives the deepest nesting. Does not judge validity. */
static size_t compact(const char *s, size_t n, char *out, int *depth) {
  size_t o = 0;
  int in_string = 0, level = 0;
  *depth = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (in_string && c == '\\' && i + 1 < n) {
      out[o++] = c, out[o++] = s[++i];
      continue;
    }
    unsigned char third = i + 2 < n ? (unsigned char)s[i + 2] : 0;
    if ((third == 0xA8 || third == 0xA9) && in_string && memcmp(s + i, "\xE2\x80", 2) == 0) {
      memcpy(out + o, third == 0xA8 ? "\\u2028" : "\\u2029", 6), o += 6, i += 2;
      continue;
    }
    if (c == '"') in_string = !in_string;
    if (!in_string && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) continue;
    if (!in_string && (c == '[' || c == '{') && ++level > *depth) *depth = level;
    if (!in_string && (c == ']' || c == '}')) level--;
    out[o++] = c;
  }
  return o;
}

/* ---- the view ---- */

typedef struct fuzz_view {
  sl_record_view v;
  sl_field fields[MAX_FIELDS];
  unsigned char arrays[MAX_FIELDS][8 * 32 + 4]; /* encoded array elements */
  sl_arena arena;
} fuzz_view;

/* Array elements encoded as a record holds them; the bytes come from the input. */
static void take_array(reader *r, sl_field *f, unsigned char *enc) {
  f->type = SL__T_STRS + (int)(take_byte(r) % 4);
  f->len = take_byte(r) % 8;
  f->str = (const char *)enc;
  for (size_t i = 0; i < f->len; i++) {
    if (f->type == SL__T_STRS) {
      size_t n;
      const char *s = take_text(r, &n);
      uint32_t len = n > 24 ? UINT32_MAX : (uint32_t)n; /* a long one stands for NULL */
      memcpy(enc, &len, 4), enc += 4;
      if (len != UINT32_MAX) memcpy(enc, s, n), enc += n;
    } else {
      size_t width = f->type == SL__T_BOOLS ? 1 : 8;
      for (size_t k = 0; k < width; k++) *enc++ = (unsigned char)take_byte(r);
    }
  }
}

static void take_value(reader *r, sl_field *f, unsigned char *enc) {
  unsigned t = take_byte(r) % 9;
  f->type = (int)t;
  if (t == SL__T_I64 || t == SL__T_U64 || t == SL__T_F64) {
    f->v.u = take_u64(r);
  } else if (t == SL__T_BOOL) {
    f->v.b = (int)(take_byte(r) & 1);
  } else if (t == SL__T_STR || t == SL__T_STRN || t == SL__T_RAW) {
    f->str = take_text(r, &f->len);
    if (t == SL__T_STR) f->len = strnlen(f->str, f->len); /* a C string ends at its NUL */
  } else if (t == 8) {
    take_array(r, f, enc);
  }
}

static int raw_too_deep(const sl_field *f) {
  if (f->type != SL__T_RAW) return 0;
  char *tmp = malloc(3 * f->len + 1);
  int depth;
  check(tmp != NULL, "out of memory");
  compact(f->str, f->len, tmp, &depth);
  free(tmp);
  return depth > MAX_RAW_DEPTH;
}

static int same_key(const sl_field *a, const sl_field *b) {
  return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

/* Of equal keys only the last stays, as the backend merges a call's fields. */
static size_t unique_keys(sl_field *f, size_t n) {
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    int later = 0;
    for (size_t k = i + 1; k < n && !later; k++) later = same_key(&f[i], &f[k]);
    if (!later) f[out++] = f[i];
  }
  return out;
}

static void take_fields(reader *r, fuzz_view *fv) {
  size_t n = 0;
  while (r->p < r->end && n < MAX_FIELDS) {
    sl_field *f = &fv->fields[n];
    memset(f, 0, sizeof *f);
    f->key = take_text(r, &f->key_len);
    take_value(r, f, fv->arrays[n]);
    if (raw_too_deep(f)) continue;
    sl_key_make_wellformed(f, &fv->arena);
    sl_rename_reserved(f);
    n++;
  }
  fv->v.fields = fv->fields;
  fv->v.nfields = unique_keys(fv->fields, n);
}

static void take_view(reader *r, fuzz_view *fv) {
  static const int levels[] = {SL_LEVEL_DEBUG, SL_LEVEL_INFO, SL_LEVEL_WARNING, SL_LEVEL_ERROR, SL_LEVEL_CRITICAL};
  unsigned flags = take_byte(r);
  sl_record_view *v = &fv->v;
  v->level = levels[flags % 5];
  v->ts_ns = take_u64(r);
  v->logger = take_text(r, &v->logger_len);
  v->event = take_text(r, &v->event_len);
  if (flags & 8) v->event = NULL, v->event_len = 0;
  v->has_span = (flags & 16) != 0;
  for (int i = 0; i < 16; i++) v->trace_id[i] = (uint8_t)(flags * 31 + (unsigned)i);
  for (int i = 0; i < 8; i++) v->span_id[i] = (uint8_t)(flags * 17 + (unsigned)i);
  take_fields(r, fv);
  v->ntail = (flags >> 5) % (v->nfields + 1); /* the last ntail fields: the bound context */
}

/* The bound context as the backend renders it once per bind: ,"key":value per field. */
static void render_tail(sl_record_view *v, sl_buf *tail) {
  const sl_field *f = v->fields + v->nfields - v->ntail;
  for (size_t i = 0; i < v->ntail; i++)
    check(!sl_json_put_key(tail, f[i].key, f[i].key_len, 0) && !sl_json_put_value(tail, &f[i]), "tail");
  v->tail_json = tail->data;
  v->tail_json_len = tail->len;
}

/* ---- judging the line ---- */

static void check_string(const jl_doc *d, size_t i, const char *want, size_t want_len) {
  size_t len;
  const char *got = jl_str(d, i, &len);
  check(got != NULL, "a string renders as a string");
  check(same_folded(want, want_len, got, len), "a string reads back as it went in");
}

static void check_key(const jl_doc *d, size_t i, const char *want, size_t want_len) {
  const char *got = jl_key(d, i);
  size_t upto = strnlen(want, want_len); /* jl_key ends at an escaped NUL */
  check(got && strlen(got) == upto && memcmp(got, want, upto) == 0, "a key reads back as it went in");
}

static void check_double(const jl_doc *d, size_t i, double want) {
  size_t len;
  const char *raw = jl_raw(d, i, &len);
  if (isnan(want) || isinf(want)) {
    const char *name = isnan(want) ? "NaN" : want > 0 ? "Infinity" : "-Infinity";
    const char *got = jl_str(d, i, &len);
    check(got && strcmp(got, name) == 0, "a non-finite double is its name");
    return;
  }
  char text[64];
  check(jl_type(d, i) == JL_NUMBER && len < sizeof text, "a double is a number");
  memcpy(text, raw, len), text[len] = 0;
  check(strtod(text, NULL) == want, "a double reads back exactly");
}

static void check_integer(const jl_doc *d, size_t i, const sl_field *f) {
  size_t len;
  const char *raw = jl_raw(d, i, &len);
  char text[32];
  check(jl_type(d, i) == JL_NUMBER && len < sizeof text, "an integer is a number");
  memcpy(text, raw, len), text[len] = 0;
  if (f->type == SL__T_I64) check(strtoll(text, NULL, 10) == f->v.i, "an int64 reads back");
  else check(strtoull(text, NULL, 10) == f->v.u, "a uint64 reads back");
}

/* Raw JSON: the compacted text if it was one JSON value, else the string it was. */
static void check_raw(const jl_doc *d, size_t i, const sl_field *f) {
  if (jl_type(d, i) == JL_STRING) {
    size_t len;
    const char *got = jl_str(d, i, &len);
    if (same_folded(f->str, f->len, got, len)) return; /* refused: kept as a string */
  }
  char *want = malloc(3 * f->len + 1);
  int depth;
  check(want != NULL, "out of memory");
  size_t want_len = compact(f->str, f->len, want, &depth), len;
  const char *got = jl_raw(d, i, &len);
  check(len == want_len && memcmp(got, want, len) == 0, "raw JSON is its compacted text");
  free(want);
}

static void check_value(const jl_doc *d, size_t i, const sl_field *f) {
  switch (f->type) {
  case SL__T_STR:
  case SL__T_STRN: check_string(d, i, f->str, f->len); break;
  case SL__T_RAW: check_raw(d, i, f); break;
  case SL__T_I64:
  case SL__T_U64: check_integer(d, i, f); break;
  case SL__T_F64: check_double(d, i, f->v.d); break;
  case SL__T_BOOL: check(jl_type(d, i) == (f->v.b ? JL_TRUE : JL_FALSE), "a bool"); break;
  case SL__T_NULL: check(jl_type(d, i) == JL_NULL, "null"); break;
  default: check(jl_type(d, i) == JL_ARRAY, "an array"); break;
  }
}

static void check_ids(const jl_doc *d, size_t i, const uint8_t *id, size_t n) {
  size_t len;
  const char *got = jl_str(d, i, &len);
  char want[33];
  for (size_t k = 0; k < n; k++) snprintf(want + 2 * k, 3, "%02x", id[k]);
  check(got && len == 2 * n && memcmp(got, want, len) == 0, "the ids as lower-case hex");
}

static void check_line(const sl_record_view *v, const char *line, size_t len) {
  char err[128];
  check(len > 0 && line[len - 1] == '\n' && !memchr(line, '\n', len - 1), "one line, ending in a newline");
  jl_doc *d = jl_parse(line, len - 1, err, sizeof err);
  if (!d) fprintf(stderr, "%.*s%s\n", (int)len, line, err);
  check(d != NULL, "the line parses strictly");
  check(jl_count(d) == 4 + v->nfields + (v->has_span ? 2 : 0), "every member there");
  static const char *const own[] = {"timestamp", "level", "logger", "event"};
  for (size_t i = 0; i < 4; i++) check(strcmp(jl_key(d, i), own[i]) == 0, "the record's own keys first");
  check_string(d, 2, v->logger, v->logger_len);
  if (v->event) check_string(d, 3, v->event, v->event_len);
  else check(jl_type(d, 3) == JL_NULL, "no event is null");
  for (size_t i = 0; i < v->nfields; i++) {
    check_key(d, 4 + i, v->fields[i].key, v->fields[i].key_len);
    check_value(d, 4 + i, &v->fields[i]);
  }
  if (v->has_span) {
    check_ids(d, 4 + v->nfields, v->trace_id, 16);
    check_ids(d, 5 + v->nfields, v->span_id, 8);
  }
  jl_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fuzz_view fv;
  reader r = {data, data + size};
  memset(&fv.v, 0, sizeof fv.v);
  take_view(&r, &fv);
  sl_buf tail = {0}, out = {0};
  sl_time_cache tc = {0};
  render_tail(&fv.v, &tail);
  check(sl_json_render(&fv.v, &tc, &out) == 0, "renders");
  check_line(&fv.v, out.data, out.len);
  sl_buf_free(&tail);
  sl_buf_free(&out);
  sl_arena_reset(&fv.arena);
  return 0;
}
