/* Spans of agents, model calls and tool calls with the OpenTelemetry GenAI semantic
 * conventions (v1.41.0): span names, kinds and gen_ai.* attributes.
 *
 *   sl_span *agent = sl_genai_invoke_agent("research-assistant", conversation_id);
 *   sl_span *chat = sl_genai_chat("anthropic", "claude-sonnet-4-5");
 *   sl_genai_usage(chat, 2341, 412);
 *   sl_span_end(chat);
 *   sl_span *tool = sl_genai_execute_tool("search_docs", call_id, "function");
 *   ...
 *
 * Message content (prompts, completions, system instructions) is personal data: it is
 * recorded only when content capture is on, for every trace (SPANLOG_CAPTURE_CONTENT=1 or
 * OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true) or for a share of traces
 * (SPANLOG_CAPTURE_CONTENT=0.01), decided by trace id so that a trace is captured whole or
 * not at all. With capture off the content helpers do nothing, not even serialize. */
#ifndef SPANLOG_GENAI_H
#define SPANLOG_GENAI_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "invoke_agent {agent_name}" (or "invoke_agent"), kind internal (an agent in this
   process; sl_span_set_kind(s, SL_SPAN_CLIENT) for a remote agent service).
   conversation_id may be NULL. Returns the new current span. */
SL_API sl_span *sl_genai_invoke_agent(const char *agent_name, const char *conversation_id);
/* "chat {request_model}", kind client, with gen_ai.provider.name (e.g. "anthropic",
   "openai") and gen_ai.request.model. */
SL_API sl_span *sl_genai_chat(const char *provider, const char *request_model);
/* "execute_tool {tool_name}", kind internal; call_id and tool_type ("function",
   "extension", "datastore") may be NULL. */
SL_API sl_span *sl_genai_execute_tool(const char *tool_name, const char *call_id, const char *tool_type);

/* The response of a model call: gen_ai.response.model, gen_ai.response.id and
   gen_ai.response.finish_reasons; NULL (or n == 0) leaves one out. */
SL_API void sl_genai_response(sl_span *s, const char *response_model, const char *response_id,
                              const char *const *finish_reasons, size_t n);

/* Token usage: gen_ai.usage.input_tokens and output_tokens. A negative count is unknown
   and left out. */
SL_API void sl_genai_usage(sl_span *s, int64_t input_tokens, int64_t output_tokens);
/* The finer counts: cache reads and cache writes are part of the input tokens, reasoning
   tokens part of the output tokens (as the conventions count them). Negative: unknown. */
SL_API void sl_genai_usage_detail(sl_span *s, int64_t cache_read_input_tokens,
                                  int64_t cache_creation_input_tokens, int64_t reasoning_output_tokens);

/* ---- content, only when capture is on for the span's trace ---- */

/* Whether content is recorded for s's trace. */
SL_API int sl_genai_capturing(const sl_span *s);
/* Sets content capture from code: 0 off, 1 every trace, in between the share of traces. */
SL_API void sl_genai_set_capture(double share);

typedef enum sl_genai_content {
  SL_GENAI_INPUT = 0,  /* gen_ai.input.messages */
  SL_GENAI_OUTPUT = 1, /* gen_ai.output.messages */
  SL_GENAI_SYSTEM = 2  /* gen_ai.system_instructions */
} sl_genai_content;

/* Appends one text message to the span's input or output messages ({"role":…,
   "parts":[{"type":"text","content":…}]}, with "finish_reason" for output messages
   when given), or one text part to its system instructions (role ignored). */
SL_API void sl_genai_add_message(sl_span *s, sl_genai_content which, const char *role,
                                 const char *text, const char *finish_reason);
/* Sets the whole attribute from JSON the caller built (an array in the conventions'
   schema). Call sl_genai_capturing first to skip building it when capture is off. */
SL_API void sl_genai_set_content_json(sl_span *s, sl_genai_content which, const char *json);

#ifdef __cplusplus
}
#endif

#endif
