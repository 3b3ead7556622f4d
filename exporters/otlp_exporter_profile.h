/* SPANLOG_OTLP_PROFILE: the attributes an LLM-observability backend reads, derived at
 * export time from the GenAI conventions a span already carries (SPEC-NOTES §9, 3a and
 * 3b). Nothing is added to the local log; only what is missing is added.
 *
 *   both:          session.id (from gen_ai.conversation.id), user.id (from enduser.id),
 *                  input.value / output.value with input.mime_type / output.mime_type
 *                  (from gen_ai.input.messages / gen_ai.output.messages, or a tool's
 *                  gen_ai.tool.call.arguments / .result: present only when content
 *                  capture is on, so these are too)
 *   openinference: openinference.span.kind (LLM, EMBEDDING, RETRIEVER, TOOL, AGENT, CHAIN),
 *                  llm.model_name, llm.provider, llm.token_count.prompt / .completion /
 *                  .total, tool.name
 *   langfuse:      langfuse.observation.type (generation, embedding, retriever, tool,
 *                  agent, chain, span), langfuse.observation.model.name,
 *                  langfuse.observation.level ERROR on an error status, and
 *                  langfuse.trace.name (the root span's name) on a root span */
#ifndef SL_EXPORTERS_OTLP_EXPORTER_PROFILE_H
#define SL_EXPORTERS_OTLP_EXPORTER_PROFILE_H

#include <stddef.h>

#include "exporters/otlp_config.h"
#include "record/record.h"

/* The caller's scratch, reused from span to span (zero to start). */
typedef struct sl_otlp_profile_scratch {
  sl_field *attrs;
  size_t cap;
} sl_otlp_profile_scratch;

/* Makes *out a copy of v with the profile's attributes added (pointing into v and the
   scratch, valid until the next call). 0, or -1 without memory or profile (use v). */
int sl_otlp_profile_apply(sl_otlp_profile profile, const sl_span_view *v, sl_span_view *out,
                          sl_otlp_profile_scratch *scratch);

#endif
