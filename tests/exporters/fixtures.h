/* Views to encode: fields of every type, spans and log records as the backend hands them
 * to the encoders. Shared by the encoder, gzip and fuzz tests. */
#ifndef EXPORTER_FIXTURES_H
#define EXPORTER_FIXTURES_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "record/record.h"

static inline sl_field fx_field(const char *key, int type) {
  sl_field f;
  memset(&f, 0, sizeof f);
  f.key = key;
  f.key_len = strlen(key);
  f.type = type;
  return f;
}
static inline sl_field fx_i64(const char *key, int64_t v) {
  sl_field f = fx_field(key, SL__T_I64);
  f.v.i = v;
  return f;
}
static inline sl_field fx_u64(const char *key, uint64_t v) {
  sl_field f = fx_field(key, SL__T_U64);
  f.v.u = v;
  return f;
}
static inline sl_field fx_f64(const char *key, double v) {
  sl_field f = fx_field(key, SL__T_F64);
  f.v.d = v;
  return f;
}
static inline sl_field fx_bool(const char *key, int v) {
  sl_field f = fx_field(key, SL__T_BOOL);
  f.v.b = v;
  return f;
}
/* STR, STRN and RAW: counted bytes */
static inline sl_field fx_strn(const char *key, int type, const char *s, size_t n) {
  sl_field f = fx_field(key, type);
  f.str = s;
  f.len = n;
  return f;
}
static inline sl_field fx_str(const char *key, const char *s) { return fx_strn(key, SL__T_STR, s, strlen(s)); }
static inline sl_field fx_raw(const char *key, const char *s) { return fx_strn(key, SL__T_RAW, s, strlen(s)); }

/* An array field over elements encoded as a record holds them (record.h), in buf. */
static inline sl_field fx_array(const char *key, int type, const void *encoded, size_t count) {
  sl_field f = fx_field(key, type);
  f.str = (const char *)encoded;
  f.len = count;
  return f;
}
/* Encodes n strings (NULL allowed) into buf as STRS elements; returns the bytes used. */
static inline size_t fx_encode_strs(unsigned char *buf, const char *const *v, size_t n) {
  unsigned char *p = buf;
  for (size_t i = 0; i < n; i++) {
    uint32_t len = v[i] ? (uint32_t)strlen(v[i]) : UINT32_MAX;
    memcpy(p, &len, 4);
    p += 4;
    if (v[i]) memcpy(p, v[i], len), p += len;
  }
  return (size_t)(p - buf);
}

static const uint8_t fx_trace_id[16] = {0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
                                        0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36};
static const uint8_t fx_span_id[8] = {0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7};
static const uint8_t fx_parent_id[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
#define FX_T0 UINT64_C(1700000000123456789)

/* A GenAI chat span as an agent makes them: 8 attributes, one event. */
typedef struct fx_genai {
  sl_field attrs[8], event_attrs[2];
  sl_span_event event;
  sl_span_view view;
  unsigned char finish[64];
} fx_genai;

static inline void fx_genai_span(fx_genai *g, uint64_t i) {
  static const char *const reasons[] = {"stop"};
  size_t n = fx_encode_strs(g->finish, reasons, 1);
  (void)n;
  g->attrs[0] = fx_str("gen_ai.operation.name", "chat");
  g->attrs[1] = fx_str("gen_ai.provider.name", "anthropic");
  g->attrs[2] = fx_str("gen_ai.request.model", "claude-sonnet-4-5");
  g->attrs[3] = fx_str("gen_ai.response.model", "claude-sonnet-4-5-20250929");
  g->attrs[4] = fx_i64("gen_ai.usage.input_tokens", 1200 + (int64_t)(i % 500));
  g->attrs[5] = fx_i64("gen_ai.usage.output_tokens", 300 + (int64_t)(i % 97));
  g->attrs[6] = fx_f64("gen_ai.request.temperature", 0.7);
  g->attrs[7] = fx_array("gen_ai.response.finish_reasons", SL__T_STRS, g->finish, 1);
  g->event_attrs[0] = fx_str("gen_ai.system", "anthropic");
  g->event_attrs[1] = fx_i64("index", 0);
  memset(&g->event, 0, sizeof g->event);
  g->event.ts_ns = FX_T0 + i * 1000000 + 500000;
  g->event.name = "gen_ai.choice";
  g->event.name_len = strlen(g->event.name);
  g->event.attrs = g->event_attrs;
  g->event.nattrs = 2;
  sl_span_view *v = &g->view;
  memset(v, 0, sizeof *v);
  v->name = "chat claude-sonnet-4-5";
  v->name_len = strlen(v->name);
  memcpy(v->trace_id, fx_trace_id, 16);
  v->trace_id[15] = (uint8_t)(i / 8); /* eight spans per trace */
  memcpy(v->span_id, fx_span_id, 8);
  memcpy(v->span_id + 4, &(uint32_t){(uint32_t)i * 2654435761u}, 4);
  memcpy(v->parent_id, fx_parent_id, 8);
  v->has_parent = i % 8 != 0;
  v->kind = 2; /* client */
  v->start_ns = FX_T0 + i * 1000000;
  v->end_ns = v->start_ns + 850000000 + i % 1000;
  v->duration_ns = v->end_ns - v->start_ns;
  v->attrs = g->attrs;
  v->nattrs = 8;
  v->events = &g->event;
  v->nevents = 1;
}

#endif
