/* Where a processed record goes: rendered once per format (and colour) that a sink wants,
 * the lines to the sinks; the view to the exporters; and the counts of what was lost, as
 * records of their own. Runs with the drain lock held. */
#include "backend/dispatch.h"

#include <string.h>

#include "backend/backend.h"
#include "base/clock.h"
#include "exporters/otlp_exporter.h"
#include "formatters/console.h"
#include "formatters/json.h"
#include "formatters/logfmt.h"
#include "record/queues.h"
#include "sinks/sink.h"
#include "sinks/writer.h"

static sl_buf out_lines[8]; /* a record rendered per (format, colour), for sinks without a batch */
static sl_time_cache time_cache;
static uint64_t dropped_reported;

/* The formatters, by sink format and kind of record. */
typedef int (*render_fn)(const void *item, int color, sl_time_cache *tc, sl_buf *out);

static int json_log(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  (void)color;
  return sl_json_render(v, tc, out);
}
static int json_span(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  (void)color;
  return sl_json_render_span(v, tc, out);
}
static int logfmt_log(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  (void)color;
  return sl_logfmt_render(v, tc, out);
}
static int logfmt_span(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  (void)color;
  return sl_logfmt_render_span(v, tc, out);
}
static int console_log(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  return sl_console_render(v, tc, color, out);
}
static int console_span(const void *v, int color, sl_time_cache *tc, sl_buf *out) {
  return sl_console_render_span(v, tc, color, out);
}

/* [format][0 log, 1 span] */
static const render_fn renderers[4][2] = {{json_log, json_span},
                                          {json_log, json_span},
                                          {logfmt_log, logfmt_span},
                                          {console_log, console_span}};

/* Renders a record once per format (and colour) that a sink wants, and hands the lines
   to the sinks that take its level. The first sink of a format gets the line rendered
   straight into its batch; the others copy it from there. */
static uint64_t render_and_hand_over(int level, int is_span, const void *item) {
  int done = 0; /* bit (format * 2 + color): rendered, at line[...] */
  const char *line[8];
  size_t len[8];
  uint64_t lost = 0;
  for (sl_sink *s = sl_sinks; s; s = s->next) {
    if (level < s->min_level) continue;
    int slot = (s->format & 3) * 2 + (s->color != 0);
    if (done & 1 << slot) {
      lost += sl_sink_put(s, line[slot], len[slot]);
      continue;
    }
    sl_buf *batch = sl_sink_line_buffer(s), *out = batch ? batch : &out_lines[slot];
    if (!batch) out->len = 0;
    size_t start = out->len;
    if (renderers[s->format & 3][is_span](item, s->color, &time_cache, out)) {
      lost++;
      continue;
    }
    line[slot] = out->data + start;
    len[slot] = out->len - start;
    done |= 1 << slot;
    /* A batch handed over stays intact until SL_WRITER_DEPTH more are: line[] holds. */
    if (batch) sl_sink_line_added(s);
    else lost += sl_sink_put(s, line[slot], len[slot]);
  }
  return lost;
}

static sl_wanted_fn span_lines_wanted;

void sl_backend_set_span_lines(sl_wanted_fn wanted) { span_lines_wanted = wanted; }

void sl_backend_dispatch(int level, int is_span, const void *item) {
  if (is_span && span_lines_wanted && !span_lines_wanted()) return; /* the exporters still get it */
  uint64_t lost = render_and_hand_over(level, is_span, item);
  if (lost) sl_queues_count_lost(lost);
}

static sl_exporter *exporters;

void sl_backend_add_exporter(sl_exporter *e) {
  sl_exporter **p = &exporters;
  while (*p) p = &(*p)->next;
  e->next = NULL;
  *p = e;
}

sl_exporter *sl_backend_exporters(void) { return exporters; }

void sl_backend_export_span(const sl_span_view *v) {
  for (sl_exporter *e = exporters; e; e = e->next)
    if (e->take_span) e->take_span(e, v);
}

void sl_backend_export_log(const sl_record_view *v) {
  for (sl_exporter *e = exporters; e; e = e->next)
    if (e->take_log) e->take_log(e, v);
}

int sl_backend_has_exporters(void) { return exporters != NULL; }

/* Records dropped since the last report become a record of their own. */
void sl_backend_report_drops(void) {
  uint64_t total = sl_queues_lost_total();
  if (total == dropped_reported) return;
  sl_field count = {.key = "count", .key_len = 5, .type = SL__T_U64};
  count.v.u = total - dropped_reported;
  sl_record_view v = {.ts_ns = sl_record_ns(), .level = SL_LEVEL_WARNING, .logger = "spanlog",
                      .logger_len = 7, .event = "spanlog.dropped", .event_len = 15,
                      .fields = &count, .nfields = 1};
  /* A report that could not be written (no memory) is made again next time: it is not a
     record of the application's, and its count is kept until it is written. */
  if (render_and_hand_over(v.level, 0, &v) == 0) dropped_reported = total;
}

/* What the OTLP exporters lost since the last report, as records of their own (to the
   sinks only: the local log is where an operator looks when the collector is down). */
static void report_export_drops(void) {
  static const char *const reasons[2] = {"queue_full", "export_failed"};
  for (int sig = 0; sig < 2; sig++) {
    uint64_t lost[2];
    sl_otlp_take_lost((sl_otlp_signal)sig, &lost[0], &lost[1]);
    for (int why = 0; why < 2; why++) {
      if (!lost[why]) continue;
      sl_field f[3] = {{.key = "count", .key_len = 5, .type = SL__T_U64},
                       {.key = "signal", .key_len = 6, .type = SL__T_STRN, .str = sig ? "logs" : "traces",
                        .len = sig ? 4 : 6},
                       {.key = "reason", .key_len = 6, .type = SL__T_STRN, .str = reasons[why],
                        .len = strlen(reasons[why])}};
      f[0].v.u = lost[why];
      sl_record_view v = {.ts_ns = sl_record_ns(), .level = SL_LEVEL_WARNING, .logger = "spanlog",
                          .logger_len = 7, .event = "spanlog.export.dropped", .event_len = 22,
                          .fields = f, .nfields = 3};
      render_and_hand_over(v.level, 0, &v); /* a report that cannot be written is not an application's record */
    }
  }
}

void sl_backend_report_losses(void) {
  sl_backend_report_drops();
  if (exporters) report_export_drops();
}

void sl_backend_dispatch_fork_child(void) { dropped_reported = 0; }
