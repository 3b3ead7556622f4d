/* OTLP/JSON lines: one ExportTraceServiceRequest or ExportLogsServiceRequest per line, as
 * the Collector's file exporter writes them (hex ids, int64 as strings, enums as numbers).
 * Attributes (KeyValue lists of AnyValue) become plain JSON objects, so that every later
 * stage sees spanlog's shape whatever the source. */
#include <string.h>

#include "ingest.h"
#include "timefmt.h"

static jval plain_value(ingest *in, const jval *any);

/* [{key, value:{…}}] → {"key": plain, …} in the parser's arena. */
static jval plain_kvlist(ingest *in, const jval *list) {
  jval out = {.type = J_OBJ};
  if (!list || list->type != J_ARR || !list->n) return out;
  jmember *m = jalloc(&in->jp, list->n * sizeof *m);
  if (!m) return out;
  for (uint32_t i = 0; i < list->n; i++) {
    const jval *kv = &list->u.items[i];
    const char *k;
    size_t kn;
    if (!jstr(jget(kv, "key"), &k, &kn)) continue;
    m[out.n].key = k;
    m[out.n].klen = (uint32_t)kn;
    m[out.n].val = plain_value(in, jget(kv, "value"));
    out.n++;
  }
  out.u.members = m;
  return out;
}

static jval plain_array(ingest *in, const jval *values) {
  jval out = {.type = J_ARR};
  if (!values || values->type != J_ARR || !values->n) return out;
  jval *items = jalloc(&in->jp, values->n * sizeof *items);
  if (!items) return out;
  for (uint32_t i = 0; i < values->n; i++) items[i] = plain_value(in, &values->u.items[i]);
  out.n = values->n;
  out.u.items = items;
  return out;
}

/* An intValue string is a number only when it is digits (JSON numbers are stricter). */
static jval plain_int(const jval *v) {
  int64_t n;
  jval out = *v;
  if (v->type == J_STR && jint(v, &n)) out.type = J_NUM;
  return out;
}

static jval plain_value(ingest *in, const jval *any) {
  const jval *v;
  jval null = {.type = J_NULL};
  if (!any || any->type != J_OBJ) return null;
  if ((v = jget(any, "stringValue"))) return v->type == J_STR ? *v : null;
  if ((v = jget(any, "boolValue"))) return (v->type == J_TRUE || v->type == J_FALSE) ? *v : null;
  if ((v = jget(any, "intValue"))) return (v->type == J_NUM || v->type == J_STR) ? plain_int(v) : null;
  if ((v = jget(any, "doubleValue"))) return (v->type == J_NUM || v->type == J_STR) ? *v : null;
  if ((v = jget(any, "arrayValue"))) return plain_array(in, jget(v, "values"));
  if ((v = jget(any, "kvlistValue"))) return plain_kvlist(in, jget(v, "values"));
  if ((v = jget(any, "bytesValue"))) return v->type == J_STR ? *v : null;
  return null;
}

static bool nanos_from(const jval *v, int64_t *ns) {
  return jint(v, ns) && *ns > 0;
}

static int kind_from_number(const jval *v) {
  int64_t k;
  static const int map[] = {KIND_INTERNAL, KIND_INTERNAL, KIND_SERVER, KIND_CLIENT, KIND_PRODUCER, KIND_CONSUMER};
  if (jint(v, &k) && k >= 0 && k <= 5) return map[k];
  return KIND_INTERNAL;
}

static bool otlp_span(ingest *in, const jval *o) {
  uint8_t tid[16];
  span sp = {0};
  int64_t code = 0;
  const jval *status = jget(o, "status"), *parent = jget(o, "parentSpanId");
  const char *ps;
  size_t pn;
  if (!id_from(jget(o, "traceId"), tid, 16) || !id_from(jget(o, "spanId"), sp.span_id, 8) ||
      !jget(o, "name") || jget(o, "name")->type != J_STR || !nanos_from(jget(o, "startTimeUnixNano"), &sp.start))
    return false;
  if (parent && jstr(parent, &ps, &pn) && pn) {
    if (!hex_decode(ps, pn, sp.parent_id, 8)) return false;
    sp.has_parent = !all_zero(sp.parent_id, 8);
  }
  if (!nanos_from(jget(o, "endTimeUnixNano"), &sp.end) || sp.end < sp.start) sp.end = sp.start;
  sp.dur_ms = time_ms_between(sp.start, sp.end);
  sp.has_id = true;
  sp.name = dup_str(jget(o, "name"));
  sp.kind = (signed char)kind_from_number(jget(o, "kind"));
  jint(jget(status, "code"), &code);
  sp.status = (signed char)(code == 2 ? STATUS_ERROR : code == 1 ? STATUS_OK : STATUS_UNSET);
  if (in->keep_detail) sp.status_msg = dup_str(jget(status, "message"));
  jval attrs = plain_kvlist(in, jget(o, "attributes"));
  span_take_attrs(in, &sp, &attrs);
  emit_span(in, tid, &sp);
  return true;
}

/* Walks resource → scope → item lists; false when any item could not be read. */
typedef bool (*item_fn)(ingest *in, const jval *item, const jval *scope);

static bool walk(ingest *in, const jval *resources, const char *scopes_key, const char *items_key, item_fn fn) {
  bool ok = resources && resources->type == J_ARR;
  for (uint32_t r = 0; ok && r < resources->n; r++) {
    const jval *scopes = jget(&resources->u.items[r], scopes_key);
    if (!scopes) continue;
    if (scopes->type != J_ARR) return false;
    for (uint32_t s = 0; s < scopes->n; s++) {
      const jval *sc = &scopes->u.items[s], *items = jget(sc, items_key);
      if (!items) continue;
      if (items->type != J_ARR) return false;
      for (uint32_t i = 0; i < items->n; i++)
        if (!fn(in, &items->u.items[i], jget(sc, "scope"))) ok = false;
    }
  }
  return ok;
}

static bool span_item(ingest *in, const jval *item, const jval *scope) {
  (void)scope;
  return otlp_span(in, item);
}

bool otlp_traces(ingest *in, const jval *root) {
  return walk(in, jget(root, "resourceSpans"), "scopeSpans", "spans", span_item);
}

static const char *level_from_severity(const jval *rec) {
  int64_t n = 0;
  const char *s;
  size_t len;
  if (jint(jget(rec, "severityNumber"), &n) && n > 0) {
    if (n <= 8) return "debug";
    if (n <= 12) return "info";
    if (n <= 16) return "warning";
    if (n <= 20) return "error";
    return "critical";
  }
  if (jstr(jget(rec, "severityText"), &s, &len)) {
    if (len >= 3 && (!strncmp(s, "ERR", 3) || !strncmp(s, "err", 3))) return "error";
    if (len >= 4 && (!strncmp(s, "WARN", 4) || !strncmp(s, "warn", 4))) return "warning";
    if (len >= 5 && (!strncmp(s, "DEBUG", 5) || !strncmp(s, "debug", 5))) return "debug";
    if (len >= 5 && (!strncmp(s, "FATAL", 5) || !strncmp(s, "CRITI", 5) || !strncmp(s, "criti", 5)))
      return "critical";
  }
  return "info";
}

static bool is_record_key(const jmember *m) {
  static const char *const keys[] = {"timestamp", "level", "logger", "event", "trace_id", "span_id"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (m->klen == strlen(keys[i]) && !memcmp(m->key, keys[i], m->klen)) return true;
  return false;
}

/* The record in spanlog's shape: timestamp, level, logger, event, attributes, ids.
 * An attribute named like a record key keeps its value under "_key", as spanlog does. */
static char *log_json(ingest *in, const jval *rec, const jval *scope, const uint8_t tid[16], const logrec *l,
                      const char *level) {
  strbuf *b = &in->tmp;
  char iso[40], hex[33];
  int64_t ts = l->ts;
  const jval *body = jget(rec, "body"), *ev = jget(rec, "eventName"), *logger = jget(scope, "name");
  jval plain_body = plain_value(in, body), attrs = plain_kvlist(in, jget(rec, "attributes"));
  b->len = 0;
  sb_putc(b, '{');
  if (ts) {
    time_format_iso(ts, iso);
    sb_printf(b, "\"timestamp\":\"%s\",", iso);
  }
  sb_printf(b, "\"level\":\"%s\"", level);
  if (logger && logger->type == J_STR && logger->n) sb_puts(b, ",\"logger\":"), sb_json_val(b, logger);
  sb_puts(b, ",\"event\":");
  if (ev && ev->type == J_STR && ev->n) sb_json_val(b, ev);
  else if (plain_body.type == J_STR) sb_json_val(b, &plain_body);
  else sb_puts(b, "\"log\"");
  if (plain_body.type != J_STR && plain_body.type != J_NULL) sb_puts(b, ",\"body\":"), sb_json_val(b, &plain_body);
  for (uint32_t i = 0; i < attrs.n; i++) {
    const jmember *m = &attrs.u.members[i];
    sb_putc(b, ',');
    if (is_record_key(m)) {
      sb_putc(b, '"');
      sb_putc(b, '_');
      sb_put(b, m->key, m->klen); /* record keys need no escaping */
      sb_putc(b, '"');
    } else {
      sb_json_str(b, m->key, m->klen);
    }
    sb_putc(b, ':');
    sb_json_val(b, &m->val);
  }
  hex_encode(tid, 16, hex);
  sb_printf(b, ",\"trace_id\":\"%s\"", hex);
  if (l->has_span) {
    hex_encode(l->span_id, 8, hex);
    sb_printf(b, ",\"span_id\":\"%s\"", hex);
  }
  sb_putc(b, '}');
  return sb_strdup(b);
}

static bool log_item(ingest *in, const jval *rec, const jval *scope) {
  uint8_t tid[16];
  logrec l = {0};
  const jval *tv = jget(rec, "traceId");
  if (rec->type != J_OBJ) return false;
  if (!tv || (tv->type == J_STR && tv->n == 0)) return true; /* a record outside any trace */
  if (!id_from(tv, tid, 16)) return false;
  if (!nanos_from(jget(rec, "timeUnixNano"), &l.ts) && !nanos_from(jget(rec, "observedTimeUnixNano"), &l.ts))
    l.ts = 0;
  l.has_span = id_from(jget(rec, "spanId"), l.span_id, 8);
  const char *level = level_from_severity(rec);
  l.is_error = !strcmp(level, "error") || !strcmp(level, "critical");
  if (in->keep_detail) l.json = log_json(in, rec, scope, tid, &l, level);
  emit_log(in, tid, &l);
  return true;
}

bool otlp_logs(ingest *in, const jval *root) {
  return walk(in, jget(root, "resourceLogs"), "scopeLogs", "logRecords", log_item);
}
