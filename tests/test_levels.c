/* Levels: SPANLOG_LEVEL with per-logger overrides (set by the test's environment to
 * "warning,agent.tools=debug,agent.tools.noisy=error"), SPANLOG_LOGGER per translation
 * unit, named loggers, changes at run time, and disabled calls that evaluate nothing. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

void tools_log_debug(int *evaluated);
void prefixed_calls(void);

static sl_capture *cap;

static size_t count_and_clear(void) {
  size_t n = sl_capture_count(cap);
  sl_capture_clear(cap);
  return n;
}

static int side_effect(int *n) { return ++*n; }

static void the_default_logger_follows_the_default_level(void) {
  int evaluated = 0;
  log_info("hidden", "n", side_effect(&evaluated));
  log_debug("hidden", "n", side_effect(&evaluated));
  CHECK_INT(count_and_clear(), 0);
  CHECK_INT(evaluated, 0); /* a disabled call evaluates none of its arguments */
  log_warning("shown", "n", side_effect(&evaluated));
  CHECK_INT(evaluated, 1);
  CHECK_INT(sl_capture_count(cap), 1);
  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  CHECK_STR(doc_str(d, "logger"), "app");
  jl_free(d);
  sl_capture_clear(cap);
}

static void a_logger_override_applies_to_its_translation_unit(void) {
  int evaluated = 0;
  tools_log_debug(&evaluated);
  CHECK_INT(evaluated, 1);
  CHECK_INT(sl_capture_count(cap), 1);
  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  CHECK_STR(doc_str(d, "logger"), "agent.tools");
  CHECK_STR(doc_str(d, "level"), "debug");
  jl_free(d);
  sl_capture_clear(cap);
}

static void overrides_follow_dotted_prefixes(void) {
  CHECK_INT(sl_logger_level(sl_logger_get("agent.tools.search")), SL_LEVEL_DEBUG);
  CHECK_INT(sl_logger_level(sl_logger_get("agent.tools.noisy")), SL_LEVEL_ERROR);
  CHECK_INT(sl_logger_level(sl_logger_get("agent.tools.noisy.deeper")), SL_LEVEL_ERROR);
  CHECK_INT(sl_logger_level(sl_logger_get("agent.toolsmith")), SL_LEVEL_WARNING);
  CHECK_INT(sl_logger_level(sl_logger_get("agent")), SL_LEVEL_WARNING);
}

static void named_loggers_log_through_sl_log(void) {
  sl_logger *db = sl_logger_get("db");
  sl_logger_set_level(db, SL_LEVEL_DEBUG);
  int evaluated = 0;
  sl_log(db, SL_LEVEL_DEBUG, "query", "rows", side_effect(&evaluated));
  sl_logger_set_level(db, SL_LEVEL_ERROR);
  sl_log(db, SL_LEVEL_WARNING, "hidden", "rows", side_effect(&evaluated));
  CHECK_INT(evaluated, 1);
  CHECK_INT(sl_capture_count(cap), 1);
  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  CHECK_STR(doc_str(d, "logger"), "db");
  CHECK_STR(doc_str(d, "event"), "query");
  jl_free(d);
  sl_capture_clear(cap);
}

static void levels_change_at_run_time(void) {
  CHECK_INT(sl_set_levels("debug"), 0);
  log_debug("now shown");
  CHECK_INT(count_and_clear(), 1);
  CHECK_INT(sl_set_levels("info, app = error"), 0);
  log_warning("hidden again");
  CHECK_INT(count_and_clear(), 0);
  CHECK_INT(sl_set_levels("loud"), -1); /* refused: unchanged */
  CHECK_INT(sl_set_levels("=debug"), -1);
  log_warning("still hidden");
  CHECK_INT(count_and_clear(), 0);
  CHECK_INT(sl_set_levels("warning,agent.tools=debug,agent.tools.noisy=error"), 0);
}

static void prefixed_names_work_without_short_ones(void) {
  prefixed_calls();
  CHECK_INT(sl_capture_count(cap), 2);
  jl_doc *w = PARSE(sl_capture_line(cap, 0)), *e = PARSE(sl_capture_line(cap, 1));
  char buf[16];
  CHECK_STR(doc_raw(w, "prefixed", buf, sizeof buf), "1");
  CHECK_STR(doc_raw(w, "own_log_error", buf, sizeof buf), "1");
  CHECK(!doc_has(e, "prefixed"));
  jl_free(w);
  jl_free(e);
  sl_capture_clear(cap);
}

static void level_names_parse_and_print(void) {
  CHECK_INT(sl_level_parse("WARNING"), SL_LEVEL_WARNING);
  CHECK_INT(sl_level_parse("warn"), SL_LEVEL_WARNING);
  CHECK_INT(sl_level_parse("nope"), -1);
  CHECK_STR(sl_level_name(SL_LEVEL_CRITICAL), "critical");
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(the_default_logger_follows_the_default_level);
  RUN(a_logger_override_applies_to_its_translation_unit);
  RUN(overrides_follow_dotted_prefixes);
  RUN(named_loggers_log_through_sl_log);
  RUN(levels_change_at_run_time);
  RUN(prefixed_names_work_without_short_ones);
  RUN(level_names_parse_and_print);
  sl_capture_stop(cap);
  return check_exit();
}
