/* JSON lines: {"timestamp":…,"level":…,"logger":…,"event":…,<fields>,"trace_id":…,"span_id":…} */
#include "formatters/json.h"

#include <math.h>

#include "base/numfmt.h"
#include "base/levels.h"

static void put_lit(sl_buf *b, const char *s) { sl_buf_put(b, s, strlen(s)); }

static void put_2(char *o, int v) {
  o[0] = (char)('0' + v / 10);
  o[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DDTHH:MM:SS" of a second, by the proleptic Gregorian calendar. Arithmetic
   only: gmtime_r takes a lock of the C library's, which a fork() can leave held. The
   date from the day number follows Howard Hinnant's civil_from_days. */
static void format_second(int64_t sec, char *o) {
  int64_t days = sec / 86400, rem = sec % 86400;
  if (rem < 0) rem += 86400, days--;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;                                      /* [0, 146096] */
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
  int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
  int day = (int)(doy - (153 * mp + 2) / 5 + 1);
  int month = (int)(mp < 10 ? mp + 3 : mp - 9);
  int64_t year = yoe + era * 400 + (month <= 2);
  if (year < 0) year = 0;
  if (year > 9999) year = 9999;
  o[0] = (char)('0' + year / 1000);
  o[1] = (char)('0' + year / 100 % 10);
  put_2(o + 2, (int)(year % 100));
  o[4] = '-';
  put_2(o + 5, month);
  o[7] = '-';
  put_2(o + 8, day);
  o[10] = 'T';
  put_2(o + 11, (int)(rem / 3600));
  o[13] = ':';
  put_2(o + 14, (int)(rem / 60 % 60));
  o[16] = ':';
  put_2(o + 17, (int)(rem % 60));
}

int sl_json_put_time(sl_buf *b, uint64_t ts_ns, sl_time_cache *tc) {
  if (sl_buf_reserve(b, SL_JSON_SMALL)) return -1;
  int64_t sec = (int64_t)(ts_ns / 1000000000u);
  unsigned usec = (unsigned)(ts_ns % 1000000000u / 1000u);
  if (!tc->valid || tc->sec != sec) {
    format_second(sec, tc->text);
    tc->sec = sec;
    tc->valid = 1;
  }
  char *o = b->data + b->len;
  *o++ = '"';
  memcpy(o, tc->text, 19);
  o += 19;
  *o++ = '.';
  for (int i = 5; i >= 0; i--, usec /= 10) o[i] = (char)('0' + usec % 10);
  o += 6;
  *o++ = 'Z';
  *o++ = '"';
  b->len = (size_t)(o - b->data);
  return 0;
}

static int put_element(sl_buf *b, int type, const unsigned char **p) {
  if (type == SL__T_STRS) {
    uint32_t n = rec_get_u32(*p);
    *p += 4;
    if (n == UINT32_MAX) return sl_buf_lit(b, "null");
    *p += n;
    return sl_json_put_string(b, (const char *)*p - n, n);
  }
  if (sl_buf_reserve(b, SL_JSON_SMALL)) return -1;
  if (type == SL__T_BOOLS) {
    put_lit(b, *(*p)++ ? "true" : "false");
  } else {
    union {
      int64_t i;
      double d;
    } v;
    memcpy(&v, *p, 8);
    *p += 8;
    if (type == SL__T_INTS) b->len += sl_fmt_i64(v.i, b->data + b->len);
    else sl_json_put_double(b, v.d);
  }
  return 0;
}

static int put_array(sl_buf *b, const sl_field *f) {
  const unsigned char *p = (const unsigned char *)f->str;
  if (sl_buf_lit(b, "[")) return -1;
  for (size_t i = 0; i < f->len; i++)
    if ((i && sl_buf_lit(b, ",")) || put_element(b, f->type, &p)) return -1;
  return sl_buf_lit(b, "]");
}

int sl_json_put_value(sl_buf *b, const sl_field *f) {
  if (f->type == SL__T_STR || f->type == SL__T_STRN) return sl_json_put_string(b, f->str, f->len);
  if (f->type == SL__T_RAW) {
    int rc = sl_json_put_raw(b, f->str, f->len);
    return rc == 1 ? sl_json_put_string(b, f->str, f->len) : rc;
  }
  if (f->type >= SL__T_STRS && f->type <= SL__T_BOOLS) return put_array(b, f);
  if (sl_buf_reserve(b, SL_JSON_SMALL)) return -1;
  switch (f->type) {
  case SL__T_I64: b->len += sl_fmt_i64(f->v.i, b->data + b->len); break;
  case SL__T_U64: b->len += sl_fmt_u64(f->v.u, b->data + b->len); break;
  case SL__T_F64: sl_json_put_double(b, f->v.d); break;
  case SL__T_BOOL: put_lit(b, f->v.b ? "true" : "false"); break;
  default: put_lit(b, "null"); break;
  }
  return 0;
}

int sl_json_put_compact(sl_buf *b, const sl_field *f) {
  return f->type == SL__T_RAW ? sl_json_put_raw(b, f->str, f->len) : sl_json_put_value(b, f);
}

int sl_json_put_object(sl_buf *b, const sl_field *fields, size_t n) {
  if (sl_buf_lit(b, "{")) return -1;
  for (size_t i = 0; i < n; i++)
    if (sl_json_put_key(b, fields[i].key, fields[i].key_len, i == 0) || sl_json_put_value(b, &fields[i])) return -1;
  return sl_buf_lit(b, "}");
}

static int render(const sl_record_view *v, sl_time_cache *tc, sl_buf *b) {
  if (sl_buf_lit(b, "{\"timestamp\":") || sl_json_put_time(b, v->ts_ns, tc)) return -1;
  if (sl_buf_reserve(b, SL_JSON_SMALL)) return -1;
  put_lit(b, ",\"level\":\"");
  put_lit(b, sl_level_name((sl_level)v->level));
  put_lit(b, "\",\"logger\":");
  if (sl_json_put_string(b, v->logger, v->logger_len) || sl_buf_lit(b, ",\"event\":")) return -1;
  if (v->event ? sl_json_put_string(b, v->event, v->event_len) : sl_buf_lit(b, "null")) return -1;
  size_t own = v->nfields - v->ntail;
  for (size_t i = 0; i < own; i++)
    if (sl_json_put_key(b, v->fields[i].key, v->fields[i].key_len, 0) || sl_json_put_value(b, &v->fields[i])) return -1;
  if (v->ntail && sl_buf_append(b, v->tail_json, v->tail_json_len)) return -1;
  if (sl_buf_reserve(b, 2 * SL_JSON_SMALL)) return -1;
  if (v->has_span) {
    put_lit(b, ",\"trace_id\":");
    sl_json_put_hex(b, v->trace_id, 16);
    put_lit(b, ",\"span_id\":");
    sl_json_put_hex(b, v->span_id, 8);
  }
  put_lit(b, "}\n");
  return 0;
}

int sl_json_render(const sl_record_view *v, sl_time_cache *tc, sl_buf *out) {
  size_t start = out->len;
  if (render(v, tc, out) == 0) return 0;
  out->len = start;
  return -1;
}
