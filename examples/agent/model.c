/* The fake model: scripted turns chosen from the user's message and the tool results
 * seen so far, with token counts that follow the conversation's size. It trusts what its
 * tools return, as real models do: that is how the Q3 question gets a Q1 answer. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"

int json_string(const char *json, const char *key, char *out, size_t size) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char *p = strstr(json, pattern);
  if (!p || size == 0) return -1;
  p += strlen(pattern);
  int quoted = *p == '"';
  p += quoted;
  size_t n = 0;
  while (p[n] && (quoted ? p[n] != '"' : p[n] != ',' && p[n] != '}')) n++;
  if (n >= size) n = size - 1;
  memcpy(out, p, n);
  out[n] = 0;
  return 0;
}

/* Call ids as a model makes them, but from the conversation, so that a rerun of the same
   conversation asks with the same ids. */
static void call_id(const conversation *c, int i, char *out, size_t size) {
  uint32_t h = 2166136261u;
  for (const char *p = c->req->message; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
  h = (h ^ (uint32_t)(c->step * 31 + i)) * 16777619u;
  snprintf(out, size, "toolu_%08x", h);
}

static tool_call *ask(const conversation *c, turn *t, const char *tool, const char *args) {
  tool_call *call = &t->calls[t->ncalls];
  call_id(c, t->ncalls, call->id, sizeof call->id);
  snprintf(call->name, sizeof call->name, "%s", tool);
  snprintf(call->args, sizeof call->args, "%s", args);
  t->ncalls++;
  t->finish_reason = "tool_use";
  return call;
}

static void say(turn *t, const char *text) {
  snprintf(t->text, sizeof t->text, "%s", text);
  t->finish_reason = "end_turn";
}

static const char *field(const char *json, const char *key, char *buf, size_t size) {
  return json_string(json, key, buf, size) == 0 ? buf : "?";
}

/* "What is the total of my Q3 invoices?" */
static void invoices(const conversation *c, turn *t) {
  const char *q = strstr(c->req->message, "Q");
  char quarter[3] = {'Q', q && q[1] ? q[1] : '3', 0}, args[160], total[32], count[16], text[ANSWER_MAX];
  if (c->step == 0) {
    snprintf(args, sizeof args, "{\"query\":\"invoices\",\"quarter\":\"%s\",\"user_id\":\"%s\"}", quarter,
             c->req->user_id);
    ask(c, t, "search_docs", args);
    return;
  }
  snprintf(text, sizeof text, "Your %s invoices total $%s across %s invoices.", quarter,
           field(c->results[0], "total_usd", total, sizeof total), field(c->results[0], "count", count, sizeof count));
  say(t, text);
}

/* "What is our refund policy?": search, then fetch the best document. */
static void refunds(const conversation *c, turn *t) {
  char args[160], doc[64], text[ANSWER_MAX], body[300];
  if (c->step == 0) {
    ask(c, t, "search_docs", "{\"query\":\"refund policy\"}");
  } else if (c->step == 1) {
    snprintf(args, sizeof args, "{\"doc_id\":\"%s\"}", field(c->results[0], "doc_id", doc, sizeof doc));
    ask(c, t, "fetch_doc", args);
  } else if (c->failed[1]) {
    say(t, "I could not open the refund policy document just now.");
    t->gave_up = 1;
  } else {
    snprintf(text, sizeof text, "Our refund policy: %s", field(c->results[1], "text", body, sizeof body));
    say(t, text);
  }
}

/* "Email the Q2 revenue summary to ...": a state-changing tool, with a secret in its
   arguments that redaction keeps out of the recording. */
static void email(const conversation *c, turn *t) {
  char to[64] = "finance@example.com", args[400], title[80], text[ANSWER_MAX];
  const char *at = strstr(c->req->message, " to ");
  if (at) snprintf(to, sizeof to, "%s", at + 4);
  if (c->step == 0) {
    ask(c, t, "search_docs", "{\"query\":\"revenue summary\",\"quarter\":\"Q2\"}");
  } else if (c->step == 1) {
    snprintf(args, sizeof args,
             "{\"to\":\"%s\",\"subject\":\"%s\",\"body\":\"See the attached summary.\"}",
             to, field(c->results[0], "title", title, sizeof title));
    ask(c, t, "send_email", args);
  } else if (c->failed[1]) {
    snprintf(text, sizeof text, "I could not send the email: %.300s", c->results[1]);
    say(t, text);
    t->gave_up = 1;
  } else {
    snprintf(text, sizeof text, "Sent \"%s\" to %s.", field(c->results[0], "title", title, sizeof title), to);
    say(t, text);
  }
}

static void onboarding(const conversation *c, turn *t) {
  char title[80], summary[200], text[ANSWER_MAX];
  if (c->step == 0) {
    ask(c, t, "search_docs", "{\"query\":\"onboarding checklist\"}");
    return;
  }
  snprintf(text, sizeof text, "%s: %s", field(c->results[0], "title", title, sizeof title),
           field(c->results[0], "summary", summary, sizeof summary));
  say(t, text);
}

void model_next(const conversation *c, turn *t) {
  memset(t, 0, sizeof *t);
  const char *m = c->req->message;
  if (strstr(m, "invoices")) invoices(c, t);
  else if (strstr(m, "refund")) refunds(c, t);
  else if (strstr(m, "Email")) email(c, t);
  else onboarding(c, t);
  size_t seen = strlen(m), said = strlen(t->text);
  for (int i = 0; i < c->step; i++) seen += strlen(c->results[i]);
  for (int i = 0; i < t->ncalls; i++) said += strlen(t->calls[i].args);
  t->input_tokens = 212 + (long)seen / 4;
  t->output_tokens = 9 + (long)said / 4;
}
