/* GenAI semantic-convention helpers (include/spanlog/genai.h), on top of the span API. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/parse.h"
#include "base/ids.h"
#include "base/common.h"
#include "base/json_text.h"
#include "capture/span_internal.h"
#include "spanlog/genai.h"

static const char *const content_keys[] = {"gen_ai.input.messages", "gen_ai.output.messages",
                                           "gen_ai.system_instructions"};

/* ---- content capture: off, every trace, or a share of traces ---- */

static _Atomic double capture_share;
static sl_once capture_once = SL_ONCE_INIT;

static void capture_from_env(void) {
  const char *v = getenv("SPANLOG_CAPTURE_CONTENT");
  const char *otel = getenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT");
  double share = 0;
  if (v && *v) {
    char *end;
    double d = strtod(v, &end);
    int on = sl_parse_bool(v, strlen(v));
    if (on >= 0) share = on;
    else if (*end == 0 && end != v && d >= 0 && d <= 1) share = d;
    else sl_diag("spanlog: ignoring SPANLOG_CAPTURE_CONTENT=%s (expected 1, 0 or a share in [0, 1] such as 0.01)", v);
  } else if (otel && sl_word_eq(otel, strlen(otel), "true")) {
    share = 1;
  }
  atomic_store(&capture_share, share);
}

void sl_genai_set_capture(double share) {
  sl_call_once(&capture_once, capture_from_env);
  atomic_store(&capture_share, isnan(share) || share < 0 ? 0 : share > 1 ? 1 : share);
}

int sl_genai_capturing(const sl_span *s) {
  sl_call_once(&capture_once, capture_from_env);
  double share = atomic_load(&capture_share);
  uint8_t trace_id[16];
  if (share <= 0 || sl_span_trace_id(s, trace_id)) return 0;
  return share >= 1 || sl_trace_id_fraction(trace_id) < share;
}

/* ---- spans ---- */

/* "{operation} {target}", or the operation alone without a target. */
static sl_span *start_named(int kind, const char *operation, const char *target) {
  char small[128];
  size_t n = strlen(operation) + (target ? 1 + strlen(target) : 0) + 1;
  char *name = n <= sizeof small ? small : malloc(n);
  if (!name) name = (char *)operation, target = NULL;
  else if (target) snprintf(name, n, "%s %s", operation, target);
  else memcpy(name, operation, n);
  sl_span *s = sl_span_start_kind(kind, name, "gen_ai.operation.name", operation);
  if (name != small && name != operation) free(name);
  return s;
}

/* Sets key to a string value, unless it is NULL. */
static void set_str(sl_span *s, const char *key, const char *value) {
  if (value) sl_span_set(s, key, value);
}

static void set_count(sl_span *s, const char *key, int64_t value) {
  if (value >= 0) sl_span_set(s, key, value);
}

sl_span *sl_genai_invoke_agent(const char *agent_name, const char *conversation_id) {
  sl_span *s = start_named(SL_SPAN_INTERNAL, "invoke_agent", agent_name);
  set_str(s, "gen_ai.agent.name", agent_name);
  set_str(s, "gen_ai.conversation.id", conversation_id);
  return s;
}

sl_span *sl_genai_chat(const char *provider, const char *request_model) {
  sl_span *s = start_named(SL_SPAN_CLIENT, "chat", request_model);
  set_str(s, "gen_ai.provider.name", provider);
  set_str(s, "gen_ai.request.model", request_model);
  return s;
}

sl_span *sl_genai_execute_tool(const char *tool_name, const char *call_id, const char *tool_type) {
  sl_span *s = start_named(SL_SPAN_INTERNAL, "execute_tool", tool_name);
  set_str(s, "gen_ai.tool.name", tool_name);
  set_str(s, "gen_ai.tool.call.id", call_id);
  set_str(s, "gen_ai.tool.type", tool_type);
  return s;
}

void sl_genai_response(sl_span *s, const char *response_model, const char *response_id,
                       const char *const *finish_reasons, size_t n) {
  set_str(s, "gen_ai.response.model", response_model);
  set_str(s, "gen_ai.response.id", response_id);
  if (finish_reasons && n) sl_span_set(s, "gen_ai.response.finish_reasons", SL_STRS(finish_reasons, n));
}

void sl_genai_usage(sl_span *s, int64_t input_tokens, int64_t output_tokens) {
  set_count(s, "gen_ai.usage.input_tokens", input_tokens);
  set_count(s, "gen_ai.usage.output_tokens", output_tokens);
}

void sl_genai_usage_detail(sl_span *s, int64_t cache_read_input_tokens, int64_t cache_creation_input_tokens,
                           int64_t reasoning_output_tokens) {
  set_count(s, "gen_ai.usage.cache_read.input_tokens", cache_read_input_tokens);
  set_count(s, "gen_ai.usage.cache_creation.input_tokens", cache_creation_input_tokens);
  set_count(s, "gen_ai.usage.reasoning.output_tokens", reasoning_output_tokens);
}

/* ---- content ---- */

static int valid_which(sl_genai_content which) { return which >= SL_GENAI_INPUT && which <= SL_GENAI_SYSTEM; }

/* {"type":"text","content":text} */
static int put_text_part(sl_buf *b, const char *text) {
  return sl_buf_lit(b, "{\"type\":\"text\",\"content\":") || sl_json_put_string(b, text, strlen(text)) ||
         sl_buf_lit(b, "}");
}

static int put_message(sl_buf *b, const char *role, const char *text, const char *finish_reason) {
  if (sl_buf_lit(b, "{\"role\":") || sl_json_put_string(b, role, strlen(role)) ||
      sl_buf_lit(b, ",\"parts\":[") || put_text_part(b, text) || sl_buf_lit(b, "]"))
    return -1;
  if (finish_reason && (sl_buf_lit(b, ",\"finish_reason\":") ||
                        sl_json_put_string(b, finish_reason, strlen(finish_reason))))
    return -1;
  return sl_buf_lit(b, "}");
}

void sl_genai_add_message(sl_span *s, sl_genai_content which, const char *role, const char *text,
                          const char *finish_reason) {
  if (!valid_which(which) || !sl_genai_capturing(s)) return;
  sl_buf element = {0};
  int rc = which == SL_GENAI_SYSTEM ? put_text_part(&element, text ? text : "")
                                    : put_message(&element, role ? role : "user", text ? text : "",
                                                  which == SL_GENAI_OUTPUT ? finish_reason : NULL);
  if (rc == 0) sl_span_append_json(s, content_keys[which], element.data, element.len);
  sl_buf_free(&element);
}

void sl_genai_set_content_json(sl_span *s, sl_genai_content which, const char *json) {
  if (!valid_which(which) || !json || !sl_genai_capturing(s)) return;
  sl_span_set(s, content_keys[which], SL_RAW_JSON(json));
}
