/* SPANLOG_OTLP_PROFILE (otlp_exporter_profile.h): the GenAI attributes a span carries,
 * restated in the names Langfuse and Arize Phoenix (OpenInference) read. */
#include "exporters/otlp_exporter_profile.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ADDED 14

typedef struct kind_map {
  const char *operation; /* gen_ai.operation.name */
  const char *openinference;
  const char *langfuse;
} kind_map;

static const kind_map kinds[] = {
    {"chat", "LLM", "generation"},           {"text_completion", "LLM", "generation"},
    {"generate_content", "LLM", "generation"}, {"embeddings", "EMBEDDING", "embedding"},
    {"retrieval", "RETRIEVER", "retriever"}, {"execute_tool", "TOOL", "tool"},
    {"invoke_agent", "AGENT", "agent"},      {"create_agent", "AGENT", "agent"},
    {"invoke_workflow", "CHAIN", "chain"},
};

static const sl_field *find(const sl_field *f, size_t n, const char *key) {
  size_t kl = strlen(key);
  for (size_t i = 0; i < n; i++)
    if (f[i].key_len == kl && memcmp(f[i].key, key, kl) == 0) return &f[i];
  return NULL;
}

static int is_text(const sl_field *f) { return f && (f->type == SL__T_STR || f->type == SL__T_STRN) && f->str; }

typedef struct adder {
  const sl_span_view *v;
  sl_field *out;
  size_t n;
} adder;

static int absent(const adder *a, const char *key) {
  return !find(a->v->attrs, a->v->nattrs, key) && !find(a->out + a->v->nattrs, a->n - a->v->nattrs, key);
}

static void add_text(adder *a, const char *key, const char *s, size_t len) {
  if (!s || !absent(a, key) || a->n >= a->v->nattrs + MAX_ADDED) return;
  a->out[a->n++] = (sl_field){.key = key, .key_len = strlen(key), .type = SL__T_STRN, .str = s, .len = len};
}

static void add_str(adder *a, const char *key, const char *s) { add_text(a, key, s, s ? strlen(s) : 0); }

/* A text attribute copied under another name. */
static void copy_text(adder *a, const char *to, const char *from) {
  const sl_field *f = find(a->v->attrs, a->v->nattrs, from);
  if (is_text(f)) add_text(a, to, f->str, f->len);
}

static int integer(const sl_field *f, int64_t *out) {
  if (!f || (f->type != SL__T_I64 && f->type != SL__T_U64)) return 0;
  *out = f->type == SL__T_I64 ? f->v.i : (int64_t)(f->v.u > INT64_MAX ? INT64_MAX : f->v.u);
  return 1;
}

static void add_int(adder *a, const char *key, int64_t v) {
  if (!absent(a, key) || a->n >= a->v->nattrs + MAX_ADDED) return;
  a->out[a->n] = (sl_field){.key = key, .key_len = strlen(key), .type = SL__T_I64};
  a->out[a->n++].v.i = v;
}

/* Messages or a tool's arguments and result, as the JSON text both backends show. */
static void add_content(adder *a, const char *to, const char *mime, const char *from, const char *tool_from) {
  const sl_field *f = find(a->v->attrs, a->v->nattrs, from);
  if (!f || !f->str) f = find(a->v->attrs, a->v->nattrs, tool_from);
  if (!f || !f->str || (f->type != SL__T_RAW && !is_text(f))) return;
  size_t before = a->n;
  add_text(a, to, f->str, f->len);
  if (a->n > before) add_str(a, mime, f->type == SL__T_RAW ? "application/json" : "text/plain");
}

static const kind_map *kind_of(const sl_span_view *v) {
  const sl_field *op = find(v->attrs, v->nattrs, "gen_ai.operation.name");
  if (!is_text(op)) return NULL;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strlen(kinds[i].operation) == op->len && memcmp(kinds[i].operation, op->str, op->len) == 0) return &kinds[i];
  return NULL;
}

static void add_common(adder *a) {
  copy_text(a, "session.id", "gen_ai.conversation.id");
  copy_text(a, "user.id", "enduser.id");
  add_content(a, "input.value", "input.mime_type", "gen_ai.input.messages", "gen_ai.tool.call.arguments");
  add_content(a, "output.value", "output.mime_type", "gen_ai.output.messages", "gen_ai.tool.call.result");
}

static const char *model_key(const sl_span_view *v) {
  const sl_field *f = find(v->attrs, v->nattrs, "gen_ai.response.model");
  return is_text(f) ? "gen_ai.response.model" : "gen_ai.request.model";
}

static void add_openinference(adder *a, const kind_map *k) {
  const sl_span_view *v = a->v;
  add_str(a, "openinference.span.kind", k ? k->openinference : "CHAIN");
  copy_text(a, "llm.model_name", model_key(v));
  copy_text(a, "llm.provider", "gen_ai.provider.name");
  copy_text(a, "tool.name", "gen_ai.tool.name");
  int64_t in = 0, out = 0;
  int has_in = integer(find(v->attrs, v->nattrs, "gen_ai.usage.input_tokens"), &in);
  int has_out = integer(find(v->attrs, v->nattrs, "gen_ai.usage.output_tokens"), &out);
  if (has_in) add_int(a, "llm.token_count.prompt", in);
  if (has_out) add_int(a, "llm.token_count.completion", out);
  if (has_in || has_out) add_int(a, "llm.token_count.total", in + out);
}

static void add_langfuse(adder *a, const kind_map *k) {
  const sl_span_view *v = a->v;
  add_str(a, "langfuse.observation.type", k ? k->langfuse : "span");
  copy_text(a, "langfuse.observation.model.name", model_key(v));
  if (v->status == 2) add_str(a, "langfuse.observation.level", "ERROR");
  if (!v->has_parent) add_text(a, "langfuse.trace.name", v->name, v->name_len);
}

int sl_otlp_profile_apply(sl_otlp_profile profile, const sl_span_view *v, sl_span_view *out,
                          sl_otlp_profile_scratch *s) {
  if (profile == SL_OTLP_PROFILE_NONE) return -1;
  size_t need = v->nattrs + MAX_ADDED;
  if (need > s->cap) {
    sl_field *p = realloc(s->attrs, need * sizeof *p);
    if (!p) return -1;
    s->attrs = p, s->cap = need;
  }
  if (v->nattrs) memcpy(s->attrs, v->attrs, v->nattrs * sizeof *s->attrs);
  adder a = {v, s->attrs, v->nattrs};
  const kind_map *k = kind_of(v);
  add_common(&a);
  if (profile == SL_OTLP_PROFILE_OPENINFERENCE) add_openinference(&a, k);
  else add_langfuse(&a, k);
  *out = *v;
  out->attrs = s->attrs;
  out->nattrs = a.n;
  return 0;
}
