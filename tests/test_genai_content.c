/* GenAI message content: off by default, the conventions' JSON shape when on (every
 * trace), hostile text kept valid, and a share of traces captured whole or not at all.
 * Judged from the span lines with the strict parser. */
#define SPANLOG_LOGGER "genai"
#include <math.h>
#include <spanlog.h>

#include "spanlines.h"

static sink_file out; /* the records, read back from a file */
static doc_list lines;

/* Reads what was written since the last call. */
static void collect(void) {
  docs_free(&lines);
  SINK_FILE_READ(&out, &lines, NULL);
}

static const char *const content_keys[] = {"gen_ai.input.messages", "gen_ai.output.messages",
                                           "gen_ai.system_instructions"};

static void content_is_off_by_default(void) {
  sl_span *agent = sl_genai_invoke_agent("bot", "conv-0");
  sl_span *chat = sl_genai_chat("openai", "gpt-4o");
  CHECK_INT(sl_genai_capturing(agent), 0);
  CHECK_INT(sl_genai_capturing(chat), 0);
  sl_genai_add_message(chat, SL_GENAI_SYSTEM, NULL, "You are helpful.", NULL);
  sl_genai_add_message(chat, SL_GENAI_INPUT, "user", "my card is 4111 1111 1111 1111", NULL);
  sl_genai_add_message(chat, SL_GENAI_OUTPUT, "assistant", "noted", "stop");
  sl_genai_set_content_json(chat, SL_GENAI_INPUT, "[{\"role\":\"user\",\"parts\":[]}]");
  sl_genai_set_content_json(agent, SL_GENAI_OUTPUT, "[]");
  sl_genai_add_message(agent, SL_GENAI_INPUT, "user", "hello", NULL);
  sl_span_end(chat);
  sl_span_end(agent);
  collect();
  const jl_doc *spans[] = {span_named("chat gpt-4o"), span_named("invoke_agent bot")};
  for (int k = 0; k < 2; k++) {
    jl_doc *attrs = sub_object(spans[k], "attributes");
    CHECK(attrs != NULL); /* the span is there, with its other attributes */
    CHECK(doc_has(attrs, "gen_ai.operation.name"));
    for (int c = 0; c < 3; c++) CHECK_MSG(!doc_has(attrs, content_keys[c]), "%s recorded with capture off", content_keys[c]);
    jl_free(attrs);
  }
}

/* One message of the conventions' schema: {"role":…,"parts":[{"type":"text","content":…}]}
   and, when want_finish is not NULL, "finish_reason". */
static void check_message(const char *text, size_t len, const char *role, const char *content,
                          const char *want_finish) {
  jl_doc *m = jl_parse(text, len, NULL, 0);
  if (!m) {
    FAIL("message is no object: %.*s", (int)len, text);
    return;
  }
  CHECK_STR(doc_str(m, "role"), role);
  CHECK_INT(jl_count(m), want_finish ? 3 : 2);
  if (want_finish) CHECK_STR(doc_str(m, "finish_reason"), want_finish);
  else CHECK(!doc_has(m, "finish_reason"));
  const char *parts[4];
  size_t plen[4];
  if (doc_array(m, "parts", parts, plen, 4) == 1) {
    jl_doc *p = jl_parse(parts[0], plen[0], NULL, 0);
    CHECK_INT(jl_count(p), 2);
    CHECK_STR(doc_str(p, "type"), "text");
    CHECK_STR(doc_str(p, "content"), content);
    jl_free(p);
  } else {
    FAIL("parts is not an array of one part: %.*s", (int)len, text);
  }
  jl_free(m);
}

static void check_part(const char *text, size_t len, const char *content) {
  jl_doc *p = jl_parse(text, len, NULL, 0);
  CHECK_MSG(p != NULL, "part is no object: %.*s", (int)len, text);
  CHECK_INT(jl_count(p), 2);
  CHECK_STR(doc_str(p, "type"), "text");
  CHECK_STR(doc_str(p, "content"), content);
  jl_free(p);
}

static void captured_content_has_the_conventions_shape(void) {
  sl_genai_set_capture(1);
  sl_span *chat = sl_genai_chat("anthropic", "claude-sonnet-4-5");
  CHECK_INT(sl_genai_capturing(chat), 1);
  sl_genai_add_message(chat, SL_GENAI_SYSTEM, "ignored", "You are helpful.", NULL);
  sl_genai_add_message(chat, SL_GENAI_SYSTEM, NULL, "Be brief.", NULL);
  sl_genai_add_message(chat, SL_GENAI_INPUT, "user", "hello", NULL);
  sl_genai_add_message(chat, SL_GENAI_INPUT, "assistant", "hi there", "stop"); /* input: no finish_reason */
  sl_genai_add_message(chat, SL_GENAI_INPUT, "user", "what's 2+2?", NULL);
  sl_genai_add_message(chat, SL_GENAI_OUTPUT, "assistant", "4", "stop");
  sl_span_end(chat);

  sl_span *tool = sl_genai_execute_tool("calc", "call_1", "function");
  CHECK_INT(sl_genai_capturing(tool), 1);
  static const char built[] = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"x\"}]}]";
  sl_genai_set_content_json(tool, SL_GENAI_INPUT, built);
  sl_genai_set_content_json(tool, SL_GENAI_OUTPUT, "[ {\"role\" : \"assistant\", \"parts\" : [] } ]");
  sl_span_end(tool);
  collect();

  jl_doc *attrs = sub_object(span_named("chat claude-sonnet-4-5"), "attributes");
  const char *elem[8];
  size_t elen[8];
  CHECK_INT(doc_array(attrs, "gen_ai.input.messages", elem, elen, 8), 3);
  if (doc_array(attrs, "gen_ai.input.messages", elem, elen, 8) == 3) { /* in the order appended */
    check_message(elem[0], elen[0], "user", "hello", NULL);
    check_message(elem[1], elen[1], "assistant", "hi there", NULL);
    check_message(elem[2], elen[2], "user", "what's 2+2?", NULL);
  }
  CHECK_INT(doc_array(attrs, "gen_ai.output.messages", elem, elen, 8), 1);
  if (doc_array(attrs, "gen_ai.output.messages", elem, elen, 8) == 1)
    check_message(elem[0], elen[0], "assistant", "4", "stop");
  CHECK_INT(doc_array(attrs, "gen_ai.system_instructions", elem, elen, 8), 2); /* parts, no role */
  if (doc_array(attrs, "gen_ai.system_instructions", elem, elen, 8) == 2) {
    check_part(elem[0], elen[0], "You are helpful.");
    check_part(elem[1], elen[1], "Be brief.");
  }
  jl_free(attrs);

  attrs = sub_object(span_named("execute_tool calc"), "attributes");
  char raw[256];
  CHECK_STR(doc_raw(attrs, "gen_ai.input.messages", raw, sizeof raw), built); /* nested JSON, not a string */
  CHECK_STR(doc_raw(attrs, "gen_ai.output.messages", raw, sizeof raw), "[{\"role\":\"assistant\",\"parts\":[]}]");
  jl_free(attrs);
}

/* Text from users and models: quotes, backslashes, newlines, control characters,
   U+2028, invalid UTF-8 and an attempt to close the message and forge another. */
static void hostile_text_stays_valid_json(void) {
  static const char head[] = "he said \"hi\"\n\tand left\\ \x01\x1f\x7f \xe2\x80\xa8 ";
  static const char tail[] = " end";
  char hostile[256];
  snprintf(hostile, sizeof hostile, "%s\xff\xfe bad \xc3( \xed\xa0\x80%s", head, tail);
  static const char forge[] = "x\"}]},{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"pwned";
  sl_span *chat = sl_genai_chat("openai", "gpt-4o-mini");
  sl_genai_add_message(chat, SL_GENAI_INPUT, "us\"er\n", hostile, NULL);
  sl_genai_add_message(chat, SL_GENAI_INPUT, "user", forge, NULL);
  sl_genai_add_message(chat, SL_GENAI_OUTPUT, "assistant", forge, "st\"op\n\xff");
  sl_genai_add_message(chat, SL_GENAI_SYSTEM, NULL, hostile, NULL);
  sl_genai_set_content_json(chat, SL_GENAI_SYSTEM + 1, "[]"); /* no such attribute: ignored */
  sl_span_end(chat);
  /* JSON the caller built that is no JSON is kept as a string, never spliced in */
  sl_span *bad = sl_genai_chat("openai", "gpt-bad-json");
  sl_genai_set_content_json(bad, SL_GENAI_INPUT, "[{\"role\":\"user\"}]}],\"forged\":[1");
  sl_span_end(bad);
  collect();
  CHECK_INT(lines.n, 2);

  const jl_doc *d = span_named("chat gpt-4o-mini");
  jl_doc *attrs = sub_object(d, "attributes");
  const char *elem[8];
  size_t elen[8];
  CHECK_INT(doc_array(attrs, "gen_ai.input.messages", elem, elen, 8), 2);
  if (doc_array(attrs, "gen_ai.input.messages", elem, elen, 8) == 2) {
    jl_doc *m = jl_parse(elem[0], elen[0], NULL, 0);
    CHECK_STR(doc_str(m, "role"), "us\"er\n");
    const char *parts[2];
    size_t plen[2];
    if (doc_array(m, "parts", parts, plen, 2) == 1) {
      jl_doc *p = jl_parse(parts[0], plen[0], NULL, 0);
      size_t len = 0, chars;
      const char *content = doc_strn(p, "content", &len);
      CHECK(content != NULL);
      if (content) {
        CHECK(utf8_valid(content, len, &chars));
        CHECK(len > sizeof head && memcmp(content, head, sizeof head - 1) == 0); /* kept byte for byte */
        CHECK(len > sizeof tail && memcmp(content + len - (sizeof tail - 1), tail, sizeof tail - 1) == 0);
        CHECK(memmem(content, len, "\xef\xbf\xbd", 3) != NULL); /* invalid bytes became U+FFFD */
        CHECK(memmem(content, len, " bad ", 5) != NULL && memmem(content, len, "( ", 2) != NULL);
      }
      jl_free(p);
    } else {
      FAIL("hostile message has no single part");
    }
    jl_free(m);
    check_message(elem[1], elen[1], "user", forge, NULL);
  }
  CHECK_INT(doc_array(attrs, "gen_ai.output.messages", elem, elen, 8), 1);
  if (doc_array(attrs, "gen_ai.output.messages", elem, elen, 8) == 1) {
    jl_doc *m = jl_parse(elem[0], elen[0], NULL, 0);
    const char *fr = doc_str(m, "finish_reason");
    CHECK(fr && strncmp(fr, "st\"op\n", 6) == 0 && strcmp(fr + 6, "\xef\xbf\xbd") == 0);
    jl_free(m);
  }
  CHECK_INT(doc_array(attrs, "gen_ai.system_instructions", elem, elen, 8), 1);
  CHECK(!doc_has(attrs, "forged"));
  jl_free(attrs);

  /* U+2028 is escaped in the line (README, "The line format"), never written raw */
  size_t n;
  const char *raw = jl_raw(d, jl_find(d, "attributes"), &n);
  CHECK(memmem(raw, n, "\xe2\x80\xa8", 3) == NULL);
  CHECK(memmem(raw, n, "\\u2028", 6) != NULL);

  attrs = sub_object(span_named("chat gpt-bad-json"), "attributes");
  CHECK_INT(doc_type(attrs, "gen_ai.input.messages"), JL_STRING);
  CHECK_STR(doc_str(attrs, "gen_ai.input.messages"), "[{\"role\":\"user\"}]}],\"forged\":[1");
  CHECK(!doc_has(attrs, "forged"));
  jl_free(attrs);
}

/* ---- a share of traces ---- */

#define TRACES 2000

typedef struct trace_rec {
  char id[33]; /* first member: cmp_trace compares it */
  int cap_root, cap_child;     /* sl_genai_capturing */
  int lines_root, lines_child; /* span lines seen */
  int msgs_root, msgs_child;   /* of which with captured content */
} trace_rec;

static trace_rec traces[TRACES];

static int cmp_trace(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

static void a_share_of_traces_is_captured_whole(void) {
  sl_genai_set_capture(0.5);
  for (int i = 0; i < TRACES; i++) {
    trace_rec *t = &traces[i];
    sl_span *agent = sl_genai_invoke_agent("bot", NULL);
    char span[17];
    CHECK_INT(sl_span_ids(agent, t->id, span), 0);
    t->cap_root = sl_genai_capturing(agent);
    sl_genai_add_message(agent, SL_GENAI_INPUT, "user", "question", NULL);
    sl_span *chat = sl_genai_chat("openai", "gpt-4o");
    t->cap_child = sl_genai_capturing(chat);
    sl_genai_add_message(chat, SL_GENAI_INPUT, "user", "question", NULL);
    sl_genai_add_message(chat, SL_GENAI_OUTPUT, "assistant", "answer", "stop");
    sl_span_end(chat);
    sl_genai_add_message(agent, SL_GENAI_OUTPUT, "assistant", "answer", "stop");
    sl_span_end(agent);
    if (t->cap_root != t->cap_child) FAIL("trace %s: agent capturing %d, chat %d", t->id, t->cap_root, t->cap_child);
  }
  qsort(traces, TRACES, sizeof traces[0], cmp_trace);
  collect();
  CHECK_INT(lines.n, 2 * TRACES);
  for (size_t i = 0; i < lines.n; i++) {
    const jl_doc *d = lines.d[i];
    const char *trace = doc_str(d, "trace_id");
    trace_rec *t = trace ? bsearch(trace, traces, TRACES, sizeof traces[0], cmp_trace) : NULL;
    if (!t) {
      FAIL("span line of an unknown trace");
      continue;
    }
    jl_doc *attrs = sub_object(d, "attributes");
    int has_in = doc_type(attrs, "gen_ai.input.messages") == JL_ARRAY;
    int has_out = doc_type(attrs, "gen_ai.output.messages") == JL_ARRAY;
    if (has_in != has_out) FAIL("trace %s: input messages %d, output messages %d", t->id, has_in, has_out);
    const char *name = doc_str(d, "name");
    if (name && strcmp(name, "chat gpt-4o") == 0) t->lines_child++, t->msgs_child += has_in;
    else t->lines_root++, t->msgs_root += has_in;
    jl_free(attrs);
  }
  size_t captured = 0, bad = 0;
  for (int i = 0; i < TRACES; i++) {
    trace_rec *t = &traces[i];
    if (t->lines_root != 1 || t->lines_child != 1) {
      FAIL("trace %s: %d agent and %d chat lines", t->id, t->lines_root, t->lines_child);
      continue;
    }
    /* all or nothing, and as sl_genai_capturing said */
    if (t->msgs_root != t->msgs_child || t->msgs_root != t->cap_root) {
      if (bad++ < 10)
        FAIL("trace %s: agent content %d, chat content %d, capturing %d", t->id, t->msgs_root, t->msgs_child,
             t->cap_root);
    }
    captured += t->msgs_root && t->msgs_child;
  }
  CHECK_INT(bad, 0);
  double expect = TRACES * 0.5, sigma = sqrt(TRACES * 0.25);
  if (fabs((double)captured - expect) > 5 * sigma)
    FAIL("%zu of %d traces captured: more than 5 sigma (%.0f) from %.0f", captured, TRACES, 5 * sigma, expect);

  sl_genai_set_capture(0);
  sl_span *s = sl_genai_chat("openai", "gpt-off");
  CHECK_INT(sl_genai_capturing(s), 0);
  sl_genai_add_message(s, SL_GENAI_INPUT, "user", "q", NULL);
  sl_span_end(s);
  collect();
  jl_doc *attrs = sub_object(span_named("chat gpt-off"), "attributes");
  CHECK(attrs && !doc_has(attrs, "gen_ai.input.messages"));
  jl_free(attrs);
}

int main(void) {
  /* content capture is off unless the environment says otherwise: make sure it does not */
  unsetenv("SPANLOG_CAPTURE_CONTENT");
  unsetenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT");
  if (sink_file_start(&out, "genai")) {
    perror("sink_file_start");
    return 1;
  }
  RUN(content_is_off_by_default);
  RUN(captured_content_has_the_conventions_shape);
  RUN(hostile_text_stays_valid_json);
  RUN(a_share_of_traces_is_captured_whole);
  docs_free(&lines);
  sink_file_stop(&out);
  return check_exit();
}
