/* The OTLP encoders and gzip alone, on one thread, no I/O:
 *
 *   bench_otlp_encode [ROUNDS]
 *
 * A GenAI chat span as an agent makes them (8 attributes: 5 strings, 2 ints, 1 double, a
 * string array; one event with 2 attributes) is encoded BATCH times per round into a
 * reused buffer, in protobuf and in OTLP/JSON; then the batch of encoded spans is wrapped
 * into one ExportTraceServiceRequest, and that body gzipped. Prints the median over ROUNDS
 * rounds (min-max) of spans/s and MB/s of output (for gzip: MB/s of input, and the ratio). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exporters/gzip.h"
#include "exporters/otlp_encode.h"

#define BATCH 2048
#define MAX_ROUNDS 64

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct genai {
  sl_field attrs[8], event_attrs[2];
  sl_span_event event;
  sl_span_view view;
  unsigned char finish[16];
} genai;

static sl_field field(const char *key, int type) {
  sl_field f;
  memset(&f, 0, sizeof f);
  f.key = key, f.key_len = strlen(key), f.type = type;
  return f;
}
static sl_field str(const char *key, const char *s) {
  sl_field f = field(key, SL__T_STR);
  f.str = s, f.len = strlen(s);
  return f;
}
static sl_field i64(const char *key, int64_t v) {
  sl_field f = field(key, SL__T_I64);
  f.v.i = v;
  return f;
}

/* Span i of a run: ids, times and token counts vary as they would. */
static void make_span(genai *g, uint64_t i) {
  static const uint8_t trace[16] = {0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
                                    0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36};
  uint32_t len = 4, mix = (uint32_t)i * 2654435761u;
  memcpy(g->finish, &len, 4), memcpy(g->finish + 4, "stop", 4); /* one STRS element, as records hold it */
  g->attrs[0] = str("gen_ai.operation.name", "chat");
  g->attrs[1] = str("gen_ai.provider.name", "anthropic");
  g->attrs[2] = str("gen_ai.request.model", "claude-sonnet-4-5");
  g->attrs[3] = str("gen_ai.response.model", "claude-sonnet-4-5-20250929");
  g->attrs[4] = str("gen_ai.response.id", "msg_01XFDUDYJgAACzvnptvVoYEL");
  g->attrs[5] = i64("gen_ai.usage.input_tokens", 1200 + (int64_t)(i % 500));
  g->attrs[6] = i64("gen_ai.usage.output_tokens", 300 + (int64_t)(i % 97));
  g->attrs[7] = field("gen_ai.response.finish_reasons", SL__T_STRS);
  g->attrs[7].str = (const char *)g->finish, g->attrs[7].len = 1;
  g->event_attrs[0] = str("gen_ai.system", "anthropic");
  g->event_attrs[1] = i64("index", 0);
  sl_span_view *v = &g->view;
  memset(v, 0, sizeof *v);
  v->name = "chat claude-sonnet-4-5", v->name_len = strlen(v->name);
  memcpy(v->trace_id, trace, 16);
  memcpy(v->trace_id + 12, &mix, 4);
  memcpy(v->span_id, &mix, 4), memcpy(v->span_id + 4, &(uint32_t){(uint32_t)i}, 4);
  memcpy(v->parent_id, trace, 8);
  v->has_parent = 1, v->kind = 2;
  v->start_ns = 1700000000000000000u + i * 1000000, v->end_ns = v->start_ns + 850000000 + i % 1000;
  v->attrs = g->attrs, v->nattrs = 8;
  g->event = (sl_span_event){v->start_ns + 500000, "gen_ai.choice", 13, g->event_attrs, 2};
  v->events = &g->event, v->nevents = 1;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef struct stat {
  double v[MAX_ROUNDS];
  int n;
} stat;

static void report(const char *what, stat *rate, stat *mbs, const char *extra) {
  qsort(rate->v, (size_t)rate->n, sizeof(double), cmp_double);
  qsort(mbs->v, (size_t)mbs->n, sizeof(double), cmp_double);
  printf("| %-22s | %12.0f (%.0f-%.0f) | %7.1f (%.1f-%.1f) | %s |\n", what, rate->v[rate->n / 2], rate->v[0],
         rate->v[rate->n - 1], mbs->v[mbs->n / 2], mbs->v[0], mbs->v[mbs->n - 1], extra);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 15;
  if (rounds < 1 || rounds > MAX_ROUNDS) rounds = 15;
  static genai spans[BATCH];
  for (int i = 0; i < BATCH; i++) make_span(&spans[i], (uint64_t)i);
  stat rate[2] = {0}, mbs[2] = {0}, wrap_mbs[2] = {0}, wrap_rate[2] = {0}, gz_mbs = {0}, gz_rate = {0};
  sl_buf items[2] = {{0}}, body = {0}, gz = {0};
  static sl_otlp_item list[2][BATCH];
  size_t off[BATCH + 1], body_len[2] = {0}, gz_len = 0;
  char *keys[] = {"service.name", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version"};
  char *values[] = {"agent", "spanlog", "c", "0.1.0"};
  sl_resource res = {4, keys, values};
  sl_otlp_scope scope = {"spanlog", "0.1.0"};
  for (int r = 0; r < rounds; r++) {
    for (int fmt = 0; fmt < 2; fmt++) {
      items[fmt].len = 0;
      double t0 = now_s();
      for (int i = 0; i < BATCH; i++) {
        off[i] = items[fmt].len;
        if (sl_otlp_encode_span(&spans[i].view, (sl_otlp_format)fmt, &items[fmt])) return 1;
      }
      double dt = now_s() - t0;
      off[BATCH] = items[fmt].len;
      rate[fmt].v[rate[fmt].n++] = BATCH / dt;
      mbs[fmt].v[mbs[fmt].n++] = (double)items[fmt].len / dt / 1e6;
      for (int i = 0; i < BATCH; i++)
        list[fmt][i] = (sl_otlp_item){items[fmt].data + off[i], off[i + 1] - off[i], NULL, 0};
      body.len = 0;
      t0 = now_s();
      if (sl_otlp_traces_request(&res, &scope, list[fmt], BATCH, (sl_otlp_format)fmt, &body)) return 1;
      dt = now_s() - t0;
      body_len[fmt] = body.len;
      wrap_rate[fmt].v[wrap_rate[fmt].n++] = BATCH / dt;
      wrap_mbs[fmt].v[wrap_mbs[fmt].n++] = (double)body.len / dt / 1e6;
      if (fmt == 0) {
        gz.len = 0;
        t0 = now_s();
        if (sl_gzip(body.data, body.len, &gz)) return 1;
        dt = now_s() - t0;
        gz_len = gz.len;
        gz_rate.v[gz_rate.n++] = BATCH / dt;
        gz_mbs.v[gz_mbs.n++] = (double)body.len / dt / 1e6;
      }
    }
  }
  char note[128];
  printf("OTLP encoding of a GenAI span (8 attributes, 1 event), %d spans per round, %d rounds: median (min-max)\n\n",
         BATCH, rounds);
  printf("| %-22s | %-26s | %-19s | %s |\n|---|---|---|---|\n", "stage", "spans/s", "MB/s", "bytes");
  snprintf(note, sizeof note, "%.0f per span", (double)items[0].len / BATCH);
  report("encode protobuf", &rate[0], &mbs[0], note);
  snprintf(note, sizeof note, "%.0f per span", (double)items[1].len / BATCH);
  report("encode JSON", &rate[1], &mbs[1], note);
  snprintf(note, sizeof note, "body %zu", body_len[0]);
  report("request protobuf", &wrap_rate[0], &wrap_mbs[0], note);
  snprintf(note, sizeof note, "body %zu", body_len[1]);
  report("request JSON", &wrap_rate[1], &wrap_mbs[1], note);
  snprintf(note, sizeof note, "%zu -> %zu (ratio %.3f); MB/s of input", body_len[0], gz_len,
           (double)gz_len / (double)body_len[0]);
  report("gzip protobuf body", &gz_rate, &gz_mbs, note);
  sl_buf_free(&items[0]), sl_buf_free(&items[1]), sl_buf_free(&body), sl_buf_free(&gz);
  return 0;
}
