/* spanlog's own lines: a span has start_time, a log record has event (DESIGN.md, Line formats). */
#include "ingest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

void ingest_init(ingest *in, store *st) {
  memset(in, 0, sizeof *in);
  in->st = st;
  jparser_init(&in->jp);
}

void ingest_fini(ingest *in) {
  jparser_free(&in->jp);
  sb_free(&in->tmp);
}

char *dup_str(const jval *v) {
  const char *s;
  size_t n;
  return jstr(v, &s, &n) ? xstrndup(s, n) : NULL;
}

bool id_from(const jval *v, uint8_t *out, size_t bytes) {
  const char *s;
  size_t n;
  return jstr(v, &s, &n) && hex_decode(s, n, out, bytes) && !all_zero(out, bytes);
}

void emit_span(ingest *in, const uint8_t tid[16], span *sp) {
  if (in->has_only && memcmp(tid, in->only, 16) != 0) {
    span_clear(sp);
    return;
  }
  store_add_span(in->st, tid, sp, in->line, in->now);
}

void emit_log(ingest *in, const uint8_t tid[16], logrec *l) {
  if (in->has_only && memcmp(tid, in->only, 16) != 0) {
    free(l->json);
    return;
  }
  store_add_log(in->st, tid, l, in->line, in->now);
}

static bool key_is(const jmember *m, const char *k) {
  size_t n = strlen(k);
  return m->klen == n && memcmp(m->key, k, n) == 0;
}

/* A value as text for display: strings as they are, anything else as compact JSON. */
static char *value_text(ingest *in, const jval *v) {
  if (v->type == J_STR) return xstrndup(v->u.s, v->n);
  in->tmp.len = 0;
  sb_json_val(&in->tmp, v);
  return sb_strdup(&in->tmp);
}

static void take_one_attr(ingest *in, span *sp, const jmember *m, bool *response_model) {
  int64_t n;
  if (key_is(m, "gen_ai.operation.name") && !sp->op) sp->op = dup_str(&m->val);
  else if (key_is(m, "gen_ai.response.model") && m->val.type == J_STR) {
    free(sp->model);
    sp->model = dup_str(&m->val);
    *response_model = true;
  } else if (key_is(m, "gen_ai.request.model") && !*response_model && !sp->model)
    sp->model = dup_str(&m->val);
  else if (key_is(m, "gen_ai.usage.input_tokens") && jint(&m->val, &n)) {
    sp->in_tok = n;
    sp->has_usage = true;
  } else if (key_is(m, "gen_ai.usage.output_tokens") && jint(&m->val, &n)) {
    sp->out_tok = n;
    sp->has_usage = true;
  } else if (key_is(m, "gen_ai.tool.name") && !sp->tool) sp->tool = dup_str(&m->val);
  else if (key_is(m, "gen_ai.tool.call.arguments") && in->keep_detail && !sp->tool_args)
    sp->tool_args = value_text(in, &m->val);
  else if (key_is(m, "error.type") && in->keep_detail && !sp->error_type)
    sp->error_type = value_text(in, &m->val);
}

void span_take_attrs(ingest *in, span *sp, const jval *attrs) {
  bool response_model = false;
  if (!attrs || attrs->type != J_OBJ) {
    if (in->keep_detail) sp->attrs = xstrndup("{}", 2);
    return;
  }
  for (uint32_t i = 0; i < attrs->n; i++) take_one_attr(in, sp, &attrs->u.members[i], &response_model);
  if (in->keep_detail) {
    in->tmp.len = 0;
    sb_json_val(&in->tmp, attrs);
    sp->attrs = sb_strdup(&in->tmp);
  }
}

static int kind_from_text(const jval *v) {
  static const char *const names[] = {"internal", "server", "client", "producer", "consumer"};
  for (int i = 0; i < 5; i++)
    if (jstr_eq(v, names[i])) return i;
  return KIND_INTERNAL;
}

static int status_from_text(const jval *code) {
  if (jstr_eq(code, "error") || jstr_eq(code, "ERROR") || jstr_eq(code, "STATUS_CODE_ERROR")) return STATUS_ERROR;
  if (jstr_eq(code, "ok") || jstr_eq(code, "OK") || jstr_eq(code, "STATUS_CODE_OK")) return STATUS_OK;
  return STATUS_UNSET;
}

static bool time_from(const jval *v, int64_t *ns) {
  const char *s;
  size_t n;
  return jstr(v, &s, &n) && time_parse_iso(s, n, ns);
}

static bool parent_from(const jval *v, span *sp) {
  const char *s;
  size_t n;
  if (!v || v->type == J_NULL || (jstr(v, &s, &n) && n == 0)) return true;
  if (!jstr(v, &s, &n) || !hex_decode(s, n, sp->parent_id, 8)) return false;
  sp->has_parent = !all_zero(sp->parent_id, 8);
  return true;
}

static bool timing_from(const jval *o, span *sp) {
  double d;
  if (!time_from(jget(o, "start_time"), &sp->start)) return false;
  bool has_end = time_from(jget(o, "end_time"), &sp->end);
  if (jnum(jget(o, "duration_ms"), &d) && isfinite(d) && d >= 0) sp->dur_ms = d;
  else if (has_end) sp->dur_ms = time_ns_between(sp->start, sp->end) / 1e6;
  if (!has_end) sp->end = time_plus_ms(sp->start, sp->dur_ms);
  return true;
}

static bool spanlog_span(ingest *in, const jval *o) {
  uint8_t tid[16];
  span sp = {0};
  const jval *status = jget(o, "status");
  if (!id_from(jget(o, "trace_id"), tid, 16) || !id_from(jget(o, "span_id"), sp.span_id, 8) ||
      !parent_from(jget(o, "parent_span_id"), &sp) || jget(o, "name") == NULL ||
      jget(o, "name")->type != J_STR || !timing_from(o, &sp))
    return false;
  sp.has_id = true;
  sp.name = dup_str(jget(o, "name"));
  sp.kind = (signed char)kind_from_text(jget(o, "kind"));
  sp.status = (signed char)status_from_text(jget(status, "code"));
  if (in->keep_detail) sp.status_msg = dup_str(jget(status, "message"));
  span_take_attrs(in, &sp, jget(o, "attributes"));
  emit_span(in, tid, &sp);
  return true;
}

static bool level_is_error(const jval *lv) {
  return jstr_eq(lv, "error") || jstr_eq(lv, "critical") || jstr_eq(lv, "fatal") || jstr_eq(lv, "ERROR") ||
         jstr_eq(lv, "CRITICAL");
}

static bool spanlog_log(ingest *in, const jval *o) {
  uint8_t tid[16];
  logrec l = {0};
  double secs;
  if (!id_from(jget(o, "trace_id"), tid, 16)) return true; /* a record outside any trace */
  l.has_span = id_from(jget(o, "span_id"), l.span_id, 8);
  if (!time_from(jget(o, "timestamp"), &l.ts) && jnum(jget(o, "timestamp"), &secs) && isfinite(secs) &&
      fabs(secs) < 9e9)
    l.ts = (int64_t)(secs * 1e9);
  l.is_error = level_is_error(jget(o, "level"));
  if (in->keep_detail) {
    in->tmp.len = 0;
    sb_json_val(&in->tmp, o);
    l.json = sb_strdup(&in->tmp);
  }
  emit_log(in, tid, &l);
  return true;
}

bool ingest_line(ingest *in, const char *text, size_t len) {
  const jval *root = json_parse(&in->jp, text, len);
  if (!root || root->type != J_OBJ) return false;
  if (jget(root, "start_time")) return spanlog_span(in, root);
  if (jget(root, "resourceSpans")) return otlp_traces(in, root);
  if (jget(root, "resourceLogs")) return otlp_logs(in, root);
  if (jget(root, "event") || jget(root, "level") || jget(root, "timestamp")) return spanlog_log(in, root);
  return false;
}
