/* A span as one JSON line, written at its end:
 * {"name":…,"trace_id":…,"span_id":…,"parent_span_id":…|null,"kind":…,"start_time":…,
 *  "end_time":…,"duration_ms":…,"status":{"code":…},"attributes":{…},"events":[…],
 *  "links":[…],"resource":{…}} */
#include <stdio.h>
#include <string.h>

#include "formatters/json.h"

static const char *const kind_names[] = {"internal", "server", "client", "producer", "consumer"};
static const char *const status_names[] = {"unset", "ok", "error"};

static int lit(sl_buf *b, const char *s) { return sl_buf_append(b, s, strlen(s)); }

static int hex_field(sl_buf *b, const char *key, const uint8_t *bytes, size_t n) {
  if (lit(b, key) || sl_buf_reserve(b, SL_JSON_SMALL)) return -1;
  sl_json_put_hex(b, bytes, n);
  return 0;
}

static int put_events(sl_buf *b, const sl_span_event *e, size_t n, sl_time_cache *tc) {
  if (lit(b, ",\"events\":[")) return -1;
  for (size_t i = 0; i < n; i++) {
    if ((i && lit(b, ",")) || lit(b, "{\"name\":") || sl_json_put_string(b, e[i].name, e[i].name_len) ||
        lit(b, ",\"timestamp\":") || sl_json_put_time(b, e[i].ts_ns, tc) || lit(b, ",\"attributes\":") ||
        sl_json_put_object(b, e[i].attrs, e[i].nattrs) || lit(b, "}"))
      return -1;
  }
  return lit(b, "]");
}

static int put_links(sl_buf *b, const sl_span_link *l, size_t n) {
  if (lit(b, ",\"links\":[")) return -1;
  for (size_t i = 0; i < n; i++) {
    if ((i && lit(b, ",")) || hex_field(b, "{\"trace_id\":", l[i].trace_id, 16) ||
        hex_field(b, ",\"span_id\":", l[i].span_id, 8) || lit(b, ",\"attributes\":") ||
        sl_json_put_object(b, l[i].attrs, l[i].nattrs) || lit(b, "}"))
      return -1;
  }
  return lit(b, "]");
}

/* Counts of what the limits dropped, only when there were any. */
static int put_dropped(sl_buf *b, const char *key, uint32_t n) {
  char num[16];
  if (!n) return 0;
  int len = snprintf(num, sizeof num, "%u", n);
  return lit(b, key) || sl_buf_append(b, num, (size_t)len);
}

static int put_status(sl_buf *b, const sl_span_view *v) {
  int code = v->status >= 0 && v->status <= 2 ? v->status : 0;
  if (lit(b, ",\"status\":{\"code\":\"") || lit(b, status_names[code]) || lit(b, "\"")) return -1;
  if (code == 2 && v->status_len &&
      (lit(b, ",\"message\":") || sl_json_put_string(b, v->status_message, v->status_len)))
    return -1;
  return lit(b, "}");
}

static int render(const sl_span_view *v, sl_time_cache *tc, sl_buf *b) {
  int kind = v->kind >= 0 && v->kind <= 4 ? v->kind : 0;
  if (lit(b, "{\"name\":") || sl_json_put_string(b, v->name, v->name_len) ||
      hex_field(b, ",\"trace_id\":", v->trace_id, 16) || hex_field(b, ",\"span_id\":", v->span_id, 8))
    return -1;
  if (v->has_parent ? hex_field(b, ",\"parent_span_id\":", v->parent_id, 8) : lit(b, ",\"parent_span_id\":null"))
    return -1;
  if (lit(b, ",\"kind\":\"") || lit(b, kind_names[kind]) || lit(b, "\",\"start_time\":") ||
      sl_json_put_time(b, v->start_ns, tc) || lit(b, ",\"end_time\":") || sl_json_put_time(b, v->end_ns, tc) ||
      lit(b, ",\"duration_ms\":") || sl_buf_reserve(b, SL_JSON_SMALL))
    return -1;
  /* milliseconds with microsecond resolution, as the timestamps have */
  sl_json_put_double(b, (double)(v->duration_ns / 1000) / 1000.0);
  if (put_status(b, v) || lit(b, ",\"attributes\":") || sl_json_put_object(b, v->attrs, v->nattrs) ||
      put_events(b, v->events, v->nevents, tc) || put_links(b, v->links, v->nlinks) ||
      put_dropped(b, ",\"dropped_attributes_count\":", v->dropped_attrs) ||
      put_dropped(b, ",\"dropped_events_count\":", v->dropped_events) ||
      put_dropped(b, ",\"dropped_links_count\":", v->dropped_links))
    return -1;
  if (v->resource_len &&
      (lit(b, ",\"resource\":") || sl_buf_append(b, v->resource_json, v->resource_len)))
    return -1;
  return lit(b, "}\n");
}

int sl_json_render_span(const sl_span_view *v, sl_time_cache *tc, sl_buf *out) {
  size_t start = out->len;
  if (render(v, tc, out) == 0) return 0;
  out->len = start;
  return -1;
}
