/* Bound loggers as values (include/spanlog/log.h): their pairs on every record made
 * through them, derivation, precedence against the call's keys and the context's bound
 * keys, one key once, levels. Every line is judged by the strict parser. */
#define SPANLOG_LOGGER "bound.test"
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

/* Record i of the capture, parsed (a failure if it does not parse or is missing). */
static jl_doc *line_at(sl_capture *cap, size_t i) { return PARSE(sl_capture_line(cap, i)); }

/* The position of key among d's members, or -1. */
static long pos(const jl_doc *d, const char *key) { return d ? jl_find(d, key) : -1; }

static void pairs_appear_on_every_record_through_it(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_bound *log = sl_logger_with(sl_logger_get("agent"), "request_id", "r-1", "attempt", 2);
  for (int i = 0; i < 3; i++) sl_bound_info(log, "step", "i", i);
  log_event("plain"); /* a record not through it has none of its pairs */
  sl_bound_free(log);
  CHECK_INT(sl_capture_count(cap), 4);
  for (size_t i = 0; i < 3; i++) {
    jl_doc *d = line_at(cap, i);
    CHECK_STR(doc_str(d, "event"), "step");
    CHECK_STR(doc_str(d, "logger"), "agent");
    CHECK_STR(doc_str(d, "request_id"), "r-1");
    CHECK_INT(doc_long(d, "attempt"), 2);
    CHECK_INT(doc_long(d, "i"), (long)i);
    /* the call's fields, then the bound logger's */
    CHECK(pos(d, "i") < pos(d, "request_id") && pos(d, "request_id") < pos(d, "attempt"));
    jl_free(d);
  }
  jl_doc *d = line_at(cap, 3);
  CHECK(!doc_has(d, "request_id"));
  CHECK_STR(doc_str(d, "logger"), "bound.test");
  jl_free(d);
  sl_capture_stop(cap);
}

static void derived_logger_has_its_parents_pairs_and_its_own(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_bound *root = log_with("a", 1, "b", 2);
  sl_bound *child = sl_bound_with(root, "b", 3, "c", 4);
  sl_bound *grandchild = sl_bound_with(child, "d", 5, "a", 6);
  sl_bound_free(child); /* a child holds no reference to its parent */
  sl_bound_info(grandchild, "deep");
  sl_bound_info(root, "root");
  sl_bound_free(grandchild);
  sl_bound_free(root);
  CHECK_INT(sl_capture_count(cap), 2);
  jl_doc *d = line_at(cap, 0);
  CHECK_STR(doc_str(d, "logger"), "bound.test"); /* log_with: the translation unit's */
  CHECK_INT(doc_long(d, "a"), 6);
  CHECK_INT(doc_long(d, "b"), 3);
  CHECK_INT(doc_long(d, "c"), 4);
  CHECK_INT(doc_long(d, "d"), 5);
  /* a replaced key keeps its place, new keys follow */
  CHECK(pos(d, "a") < pos(d, "b") && pos(d, "b") < pos(d, "c") && pos(d, "c") < pos(d, "d"));
  jl_free(d);
  d = line_at(cap, 1); /* deriving changed nothing in the parent */
  CHECK_INT(doc_long(d, "a"), 1);
  CHECK_INT(doc_long(d, "b"), 2);
  CHECK(!doc_has(d, "c") && !doc_has(d, "d"));
  jl_free(d);
  sl_capture_stop(cap);
}

static void call_keys_win_over_bound_logger_keys_over_context_keys(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_bound *log = log_with("k", "bound", "kb", "bound", "only_bound", 1);
  log_bind("k", "context", "kb", "context", "kc", "context", "only_context", 2);
  sl_bound_info(log, "e", "k", "call", "only_call", 3);
  SL_SCOPE("kc", "scope", "kb", "scope") { sl_bound_info(log, "scoped"); }
  log_clear();
  sl_bound_free(log);
  CHECK_INT(sl_capture_count(cap), 2);
  jl_doc *d = line_at(cap, 0);
  CHECK_STR(doc_str(d, "k"), "call");
  CHECK_STR(doc_str(d, "kb"), "bound");
  CHECK_STR(doc_str(d, "kc"), "context");
  CHECK_INT(doc_long(d, "only_call"), 3);
  CHECK_INT(doc_long(d, "only_bound"), 1);
  CHECK_INT(doc_long(d, "only_context"), 2);
  /* the call's, the bound logger's, the context's */
  CHECK(pos(d, "only_call") < pos(d, "kb") && pos(d, "only_bound") < pos(d, "kc"));
  jl_free(d);
  d = line_at(cap, 1);
  CHECK_STR(doc_str(d, "k"), "bound");
  CHECK_STR(doc_str(d, "kb"), "bound"); /* over the scope's too */
  CHECK_STR(doc_str(d, "kc"), "scope");
  jl_free(d);
  sl_capture_stop(cap);
}

/* The strict parser refuses a line that holds a key twice: parsing each line is the check. */
static void no_key_appears_twice(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_bound *log = log_with("k", 1, "k", 2, "level", "mine", "_level", "also", "x", 1);
  sl_bound *child = sl_bound_with(log, "x", 2, "x", 3);
  log_bind("k", 4, "x", 5, "level", 6);
  sl_bound_info(child, "e", "k", 7, "k", 8, "x", 9);
  sl_set_callsite(1);
  sl_bound *located = sl_bound_with(child, "code.line.number", 10, "_code.line.number", 11);
  sl_bound_info(located, "located");
  sl_set_callsite(0);
  log_clear();
  sl_bound_free(located);
  sl_bound_free(child);
  sl_bound_free(log);
  CHECK_INT(sl_capture_count(cap), 2);
  jl_doc *d = line_at(cap, 0);
  CHECK_INT(doc_long(d, "k"), 8); /* the call's last */
  CHECK_INT(doc_long(d, "x"), 9);
  CHECK_STR(doc_str(d, "level"), "info");
  CHECK(doc_has(d, "_level"));
  jl_free(d);
  d = line_at(cap, 1);
  CHECK(doc_long(d, "code.line.number") > 11); /* the statement's line, not the user's value */
  CHECK(doc_has(d, "_code.line.number"));
  CHECK_INT(doc_long(d, "x"), 3);
  jl_free(d);
  sl_capture_stop(cap);
}

static int evaluated;
static int count_evaluation(void) { return ++evaluated; }

static void level_and_name_come_from_its_logger(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_logger *quiet = sl_logger_get("bound.quiet");
  sl_logger_set_level(quiet, SL_LEVEL_WARNING);
  sl_bound *log = sl_logger_with(quiet, "request_id", "r-2");
  sl_bound *child = sl_bound_with(log, "tool", "search");
  CHECK(sl_bound_logger(child) == quiet);
  sl_bound_info(child, "hidden", "n", count_evaluation());
  sl_bound_debug(log, "hidden", "n", count_evaluation());
  sl_bound_log(child, SL_LEVEL_INFO, "hidden", "n", count_evaluation());
  CHECK_INT(evaluated, 0); /* the arguments of a filtered call are not evaluated */
  sl_bound_warning(child, "shown", "n", count_evaluation());
  sl_bound_log(log, SL_LEVEL_CRITICAL, "runtime level");
  sl_logger_set_level(quiet, SL_LEVEL_DEBUG); /* a bound logger follows its logger's level */
  sl_bound_debug(child, "now shown");
  sl_bound_free(child);
  sl_bound_free(log);
  CHECK_INT(evaluated, 1);
  CHECK_INT(sl_capture_count(cap), 3);
  static const char *const events[] = {"shown", "runtime level", "now shown"};
  static const char *const levels[] = {"warning", "critical", "debug"};
  for (size_t i = 0; i < 3; i++) {
    jl_doc *d = line_at(cap, i);
    CHECK_STR(doc_str(d, "event"), events[i]);
    CHECK_STR(doc_str(d, "level"), levels[i]);
    CHECK_STR(doc_str(d, "logger"), "bound.quiet");
    CHECK_STR(doc_str(d, "request_id"), "r-2");
    jl_free(d);
  }
  sl_capture_stop(cap);
}

static void pairs_are_copied_when_the_logger_is_made(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  char key[16] = "user", value[16] = "u_8821";
  sl_bound *log = sl_logger_with(NULL, key, value, "raw", SL_RAW_JSON("{\"a\":[1,2]}"), "ok", SL_BOOL(1));
  strcpy(key, "gone");
  strcpy(value, "changed");
  sl_bound_event(log, "e");
  sl_bound_free(log);
  jl_doc *d = line_at(cap, 0);
  CHECK_STR(doc_str(d, "user"), "u_8821");
  CHECK_STR(doc_str(d, "logger"), "app"); /* NULL: the default logger */
  char raw[32];
  CHECK_STR(doc_raw(d, "raw", raw, sizeof raw), "{\"a\":[1,2]}");
  CHECK_STR(doc_raw(d, "ok", raw, sizeof raw), "true");
  jl_free(d);
  sl_capture_stop(cap);
}

/* Larger than a thread's queue takes in place: the record goes on the heap. */
static void pairs_larger_than_the_queue_are_written_whole(void) {
  size_t n = 600 * 1024;
  char *big = malloc(n + 1);
  if (!big) {
    FAIL("no memory");
    return;
  }
  memset(big, 'v', n);
  big[n] = 0;
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  sl_bound *log = log_with("big", big, "after", 1);
  free(big);
  sl_bound_info(log, "large", "call", 2);
  sl_bound_free(log);
  jl_doc *d = line_at(cap, 0);
  size_t len = 0;
  long i = pos(d, "big");
  CHECK(i >= 0 && jl_str(d, (size_t)i, &len) && len == n);
  CHECK_INT(doc_long(d, "after"), 1);
  CHECK_INT(doc_long(d, "call"), 2);
  jl_free(d);
  sl_capture_stop(cap);
}

static void null_bound_logger_lets_nothing_pass(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  int before = evaluated;
  sl_bound *none = NULL;
  sl_bound *child = sl_bound_with(none, "k", 1);
  CHECK(child == NULL);
  CHECK(sl_bound_logger(none) == NULL);
  sl_bound_critical(none, "lost", "n", count_evaluation());
  sl_bound_free(none);
  CHECK_INT(evaluated, before);
  CHECK_INT(sl_capture_count(cap), 0);
  sl_capture_stop(cap);
}

int main(void) {
  RUN(pairs_appear_on_every_record_through_it);
  RUN(derived_logger_has_its_parents_pairs_and_its_own);
  RUN(call_keys_win_over_bound_logger_keys_over_context_keys);
  RUN(no_key_appears_twice);
  RUN(level_and_name_come_from_its_logger);
  RUN(pairs_are_copied_when_the_logger_is_made);
  RUN(pairs_larger_than_the_queue_are_written_whole);
  RUN(null_bound_logger_lets_nothing_pass);
  return check_exit();
}
