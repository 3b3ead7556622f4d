/* captured_spans_form_tree: spans captured as spans (apart from the log records around
 * them) rebuild into the tree they were made as, which compares equal to a golden text
 * drawn from names, kinds, statuses and typed attributes; a parent is found by its id.
 * With a seed and a fake clock the tree's ids and times are fixed too. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static uint64_t now_ns = 1767225600000000000u;
static uint64_t fake_clock(void) { return now_ns += 1000000u; } /* 1 ms a reading */

static const char *str(const sl_value *v, const char *key) { return sl_value_string(sl_value_get(v, key), NULL); }

/* Appends the subtree of span `parent_id` (NULL: the roots), indented by depth. */
static void draw(sl_capture *cap, const char *parent_id, int depth, char *out, size_t size) {
  for (size_t k = 0; k < sl_capture_span_count(cap); k++) {
    const sl_value *s = sl_capture_span(cap, k);
    const char *parent = str(s, "parent_span_id");
    if (parent_id ? !parent || strcmp(parent, parent_id) : parent != NULL) continue;
    int64_t tokens = -1;
    sl_value_int(sl_value_get(sl_value_get(s, "attributes"), "tokens"), &tokens);
    size_t used = strlen(out);
    snprintf(out + used, size - used, "%*s%s %s %s tokens=%lld events=%zu\n", depth * 2, "", str(s, "name"),
             str(s, "kind"), str(sl_value_get(s, "status"), "code"), (long long)tokens,
             sl_value_count(sl_value_get(s, "events")));
    draw(cap, str(s, "span_id"), depth + 1, out, size);
  }
}

static void run_agent(void) {
  SL_SPAN("invoke_agent", "tokens", 30) {
    log_info("planning");
    sl_span *chat = sl_span_start_kind(SL_SPAN_CLIENT, "chat", "tokens", 12);
    sl_span_set_status(chat, SL_STATUS_OK, NULL);
    sl_span_end(chat);
    SL_SPAN("execute_tool search") {
      sl_span *http = sl_span_start_kind(SL_SPAN_CLIENT, "GET /search", "tokens", 0);
      sl_span_set_status(http, SL_STATUS_ERROR, "HTTP 503");
      sl_span_end(http);
      log_warning("retrying");
      sl_span_event(sl_span_current(), "retry", "attempt", 2);
    }
  }
}

static const char golden[] = "invoke_agent internal unset tokens=30 events=0\n"
                             "  chat client ok tokens=12 events=0\n"
                             "  execute_tool search internal unset tokens=-1 events=1\n"
                             "    GET /search client error tokens=0 events=0\n";

int main(void) {
  sl_set_clock(fake_clock);
  sl_set_id_seed(1);
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  run_agent();

  check_current = "logs and spans apart";
  CHECK_INT(sl_capture_count(cap), 6);
  CHECK_INT(sl_capture_span_count(cap), 4);
  size_t logs = 0;
  for (size_t i = 0; i < sl_capture_count(cap); i++) logs += !sl_capture_is_span(cap, i);
  CHECK_INT(logs, 2);
  CHECK(!sl_capture_is_span(cap, 99));

  check_current = "the tree";
  char tree[1024] = "";
  draw(cap, NULL, 0, tree, sizeof tree);
  CHECK_STR(tree, golden);

  check_current = "ids and parents";
  const sl_value *http = sl_capture_span(cap, 1);
  CHECK_STR(str(http, "name"), "GET /search");
  const sl_value *tool = sl_capture_span_by_id(cap, str(http, "parent_span_id"));
  CHECK_STR(str(tool, "name"), "execute_tool search");
  const sl_value *root = sl_capture_span_by_id(cap, str(tool, "parent_span_id"));
  CHECK_STR(str(root, "name"), "invoke_agent");
  CHECK(sl_capture_is_null(cap, 5, "parent_span_id"));
  CHECK_STR(str(root, "trace_id"), str(http, "trace_id"));
  CHECK_STR(str(sl_value_get(http, "status"), "message"), "HTTP 503");
  CHECK(sl_capture_span_by_id(cap, "0000000000000000") == NULL);

  check_current = "the same seed and clock again";
  char first_root[17];
  snprintf(first_root, sizeof first_root, "%s", str(root, "span_id"));
  sl_capture_clear(cap);
  sl_set_id_seed(1);
  now_ns = 1767225600000000000u;
  run_agent();
  CHECK_STR(str(sl_capture_span(cap, 3), "span_id"), first_root);
  CHECK_STR(str(sl_capture_span(cap, 3), "start_time"), "2026-01-01T00:00:00.001000Z");

  sl_capture_stop(cap);
  sl_set_clock(NULL);
  return check_failures != 0;
}
