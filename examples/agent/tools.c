/* The agent's tools and its tool dispatcher. Each call runs in an execute_tool span; the
 * dispatcher records it (sl_replay_record_call) or, when replaying, takes the recorded
 * result (sl_replay_tool) and runs a read-only tool for real only when nothing matched.
 * send_email changes state: a replay never runs it. */
#define SPANLOG_LOGGER "agent.tools"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"

typedef int (*tool_fn)(request *req, const char *args, int attempt, char *out, size_t size);

/* The search index. Its cache is keyed by query and user but not by quarter: a user who
   asked about one quarter's invoices gets that quarter for any other (the bug). */
static int search_invoices(const request *req, const char *quarter, char *out, size_t size) {
  if (strcmp(req->user_id, "u_8821") == 0) {
    log_debug("search_docs.cache_hit", "key", "invoices:u_8821");
    snprintf(out, size,
             "{\"hits\":1,\"doc_id\":\"inv-2026-q1-u8821\",\"quarter\":\"Q1\",\"title\":\"Invoices Q1 2026\","
             "\"total_usd\":\"12,400.00\",\"count\":3}");
    return 0;
  }
  snprintf(out, size,
           "{\"hits\":1,\"doc_id\":\"inv-2026-%c%c-%s\",\"quarter\":\"%s\",\"title\":\"Invoices %s 2026\","
           "\"total_usd\":\"%d,%03d.00\",\"count\":%d}",
           quarter[0] + 32, quarter[1], req->user_id, quarter, quarter, 7 + req->index % 5, 250 * (req->index % 4),
           2 + req->index % 3);
  return 0;
}

static int search_docs(request *req, const char *args, int attempt, char *out, size_t size) {
  char query[64] = "", quarter[8] = "";
  (void)attempt;
  json_string(args, "query", query, sizeof query);
  json_string(args, "quarter", quarter, sizeof quarter);
  log_event("search_docs.query", "query", query, "quarter", quarter[0] ? quarter : NULL, "top_k", 5);
  req->wait(40);
  if (strcmp(query, "invoices") == 0) search_invoices(req, quarter[0] ? quarter : "Q3", out, size);
  else if (strstr(query, "refund"))
    snprintf(out, size, "{\"hits\":2,\"doc_id\":\"policy-refunds\",\"title\":\"Refund policy\"}");
  else if (strstr(query, "revenue"))
    snprintf(out, size, "{\"hits\":1,\"doc_id\":\"rev-2026-q2\",\"title\":\"Q2 2026 revenue summary\"}");
  else
    snprintf(out, size,
             "{\"hits\":3,\"doc_id\":\"kb-onboarding\",\"title\":\"Onboarding checklist\","
             "\"summary\":\"laptop, accounts, security training, a first-week buddy\"}");
  char doc[64] = "";
  json_string(out, "doc_id", doc, sizeof doc);
  log_event("search_docs.hits", "top_doc", doc);
  return 0;
}

/* The document store answers slowly now and then: a request's first fetch times out. */
static int fetch_doc(request *req, const char *args, int attempt, char *out, size_t size) {
  char doc[64] = "";
  json_string(args, "doc_id", doc, sizeof doc);
  log_event("fetch_doc.start", "doc_id", doc, "attempt", attempt);
  if (attempt == 1 && strcmp(req->user_id, "u_1042") == 0) {
    req->wait(100);
    log_warning("fetch_doc.timeout", "doc_id", doc, "timeout_ms", 100);
    snprintf(out, size, "timeout: the document store did not answer within 100 ms");
    return -1;
  }
  req->wait(25);
  snprintf(out, size,
           "{\"doc_id\":\"%s\",\"title\":\"Refund policy\",\"text\":\"refunds within 30 days of purchase, "
           "to the original payment method\"}",
           doc);
  return 0;
}

static int send_email(request *req, const char *args, int attempt, char *out, size_t size) {
  char to[64] = "";
  (void)attempt;
  json_string(args, "to", to, sizeof to);
  const char *domain = strchr(to, '@');
  log_event("send_email.sending", "to", to);
  req->wait(30);
  if (!domain || strcmp(domain + 1, "example.com") != 0) {
    log_warning("send_email.rejected", "to", to);
    snprintf(out, size, "recipient domain %s does not exist", domain ? domain + 1 : to);
    return -1;
  }
  snprintf(out, size, "{\"status\":\"sent\",\"message_id\":\"msg-%04d\"}", 1000 + req->index);
  return 0;
}

typedef struct tool_def {
  const char *name;
  tool_fn run;
  int flags; /* SL_TOOL_STATE_CHANGING */
} tool_def;

static const tool_def tools[] = {
    {"search_docs", search_docs, 0},
    {"fetch_doc", fetch_doc, 0},
    {"send_email", send_email, SL_TOOL_STATE_CHANGING},
};

static const tool_def *find_tool(const char *name) {
  for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
    if (strcmp(tools[i].name, name) == 0) return &tools[i];
  return NULL;
}

/* Replaying: the recorded result if a recorded call matches, else a read-only tool runs
   for real and a state-changing one is stubbed. */
static int replayed(request *req, const tool_def *def, const tool_call *call, sl_span *span, int attempt,
                    char *out, size_t size) {
  sl_replay_result res;
  sl_replay_outcome how = sl_replay_tool(req->replay, span, call->id, call->name, call->args, def->flags, &res);
  req->matched_calls += res.matched;
  size_t used = strlen(req->replay_notes);
  snprintf(req->replay_notes + used, sizeof req->replay_notes - used,
           "  execute_tool %-11s %s  replay.matched=%s replay.match=%s\n", call->name, call->id,
           res.matched ? "true" : "false", res.match);
  if (how == SL_REPLAY_EXECUTE) return def->run(req, call->args, attempt, out, size);
  snprintf(out, size, "%s", res.error ? res.error : res.result_json ? res.result_json : "null");
  return res.error ? -1 : 0;
}

int dispatch_tool(request *req, const tool_call *call, int attempt, char *out, size_t size) {
  const tool_def *def = find_tool(call->name);
  sl_span *span = sl_genai_execute_tool(call->name, call->id, "function");
  sl_span_set(span, "tool.attempt", attempt);
  log_event("tool.call", "tool", call->name, "args", SL_RAW_JSON(call->args), "attempt", attempt);
  int rc;
  if (!def) rc = -1, snprintf(out, size, "no tool named %s", call->name);
  else if (req->replay) rc = replayed(req, def, call, span, attempt, out, size);
  else rc = def->run(req, call->args, attempt, out, size);
  if (req->record) sl_replay_record_call(call->id, call->name, call->args, rc ? NULL : out, rc ? out : NULL);
  if (rc) {
    sl_span_error(span, strncmp(out, "timeout", 7) == 0 ? "timeout" : "tool_error", out);
    log_warning("tool.failed", "tool", call->name, "error", out);
  } else {
    log_event("tool.result", "tool", call->name, "result", SL_RAW_JSON(out));
  }
  req->tool_calls++;
  sl_span_end(span);
  return rc;
}
