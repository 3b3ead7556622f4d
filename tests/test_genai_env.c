/* Content capture and the resource from the environment (set by tests/meson.build):
 *   OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true
 *   OTEL_SERVICE_NAME=checkout
 *   OTEL_RESOURCE_ATTRIBUTES=deployment.environment=prod,team=agents%2Cml
 * Every trace is captured, and every span line, whatever made it (a thread, a context
 * object, a continued trace), carries the resource. */
#define SPANLOG_LOGGER "genai"
#include <pthread.h>
#include <spanlog.h>
#include <spanlog/testing.h>

#include "spanlines.h"

static sl_capture *cap;

#define TRACES 200

static void *in_a_thread(void *arg) {
  (void)arg;
  sl_span *s = sl_genai_execute_tool("lookup", "call_9", "function");
  sl_genai_add_message(s, SL_GENAI_INPUT, "tool", "args", NULL); /* capturing: on for every trace */
  sl_span_end(s);
  return NULL;
}

static void every_span_line_carries_the_resource(void) {
  int not_capturing = 0;
  for (int i = 0; i < TRACES; i++) {
    sl_span *agent = sl_genai_invoke_agent("checkout-agent", "conv");
    sl_span *chat = sl_genai_chat("anthropic", "claude-haiku-4-5");
    not_capturing += !sl_genai_capturing(agent) + !sl_genai_capturing(chat);
    sl_genai_add_message(chat, SL_GENAI_INPUT, "user", "buy", NULL);
    sl_genai_add_message(chat, SL_GENAI_OUTPUT, "assistant", "bought", "stop");
    log_info("in.chat");
    sl_span_end(chat);
    sl_span_end(agent);
  }
  CHECK_INT(not_capturing, 0);
  pthread_t t;
  CHECK_INT(pthread_create(&t, NULL, in_a_thread, NULL), 0);
  pthread_join(t, NULL);
  sl_context *ctx = sl_context_new();
  sl_context *prev = sl_context_swap(ctx);
  CHECK_INT(sl_trace_continue("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", NULL), 0);
  sl_span_end(sl_span_start_kind(SL_SPAN_SERVER, "POST /checkout"));
  sl_context_swap(prev);
  sl_context_free(ctx);
  SL_SPAN("plain", "n", 1) { log_info("in.plain"); }

  size_t n = sl_capture_count(cap);
  size_t spans = 0, logs = 0, chats_with_content = 0, tools_with_content = 0;
  for (size_t i = 0; i < n; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    if (!d) continue;
    if (!is_span(d)) {
      logs++;
      jl_free(d);
      continue;
    }
    spans++;
    const char *name = doc_str(d, "name");
    jl_doc *res = sub_object(d, "resource");
    if (!res) {
      FAIL("span line %s without a resource object", name ? name : "?");
    } else {
      CHECK_STR(doc_str(res, "service.name"), "checkout");
      CHECK_STR(doc_str(res, "deployment.environment"), "prod");
      CHECK_STR(doc_str(res, "team"), "agents,ml"); /* %2C decoded */
      CHECK_STR(doc_str(res, "telemetry.sdk.name"), "spanlog");
    }
    jl_doc *attrs = sub_object(d, "attributes");
    if (name && strcmp(name, "chat claude-haiku-4-5") == 0)
      chats_with_content += doc_type(attrs, "gen_ai.input.messages") == JL_ARRAY &&
                            doc_type(attrs, "gen_ai.output.messages") == JL_ARRAY;
    if (name && strcmp(name, "execute_tool lookup") == 0)
      tools_with_content += doc_type(attrs, "gen_ai.input.messages") == JL_ARRAY;
    jl_free(attrs);
    jl_free(res);
    jl_free(d);
  }
  CHECK_INT(spans, 2 * TRACES + 3);
  CHECK_INT(logs, TRACES + 1);
  CHECK_INT(chats_with_content, TRACES);
  CHECK_INT(tools_with_content, 1);
  sl_capture_clear(cap);
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(every_span_line_carries_the_resource);
  sl_capture_stop(cap);
  return check_exit();
}
