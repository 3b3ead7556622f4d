/* Consistent probability sampling (OTEL_TRACES_SAMPLER=parentbased_probability,
 * OTEL_TRACES_SAMPLER_ARG=0.1, set by tests/meson.build): a root is sampled iff the last
 * 7 bytes of its trace id, read as a number R, are at least the rejection threshold
 * T = (1 - 0.1) * 2^56 rounded to 4 hex digits (0xe666 << 40): the rule of the
 * specification's tracestate probability sampling, computed here independently; a
 * sampled trace sends "ot=th:e666" in tracestate; a child of a remote parent follows its
 * sampled flag and sends its tracestate on as it came. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "capture/sampler.h"
#include "check.h"

#define ROOTS 4000
#define T_TENTH ((uint64_t)0xe666 << 40)

static uint64_t last7(const char *trace_hex) {
  uint64_t r = 0;
  for (int i = 18; i < 32; i++) {
    char c = trace_hex[i];
    r = r << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return r;
}

static void th_of(double p, const char *want) {
  char th[15];
  sl_sampler_th_format(sl_sampler_threshold(p), th);
  CHECK_MSG(strcmp(th, want) == 0, "p=%g: th %s, want %s", p, th, want);
}

static void thresholds_follow_the_specification(void) {
  th_of(1.0, "0");
  th_of(0.5, "8");
  th_of(0.25, "c");
  th_of(0.1, "e666");
  th_of(0.01, "fd70a");
  th_of(1.0 / 3, "aaab");
  CHECK(sl_sampler_threshold(0.0) == SL_SAMPLER_THRESHOLD_NONE);
}

static void randomness_comes_from_rv_or_the_trace_id(void) {
  uint8_t id[16] = {0};
  id[9] = 0xe6, id[10] = 0x66; /* R = 0xe6660000000000: exactly T for 0.1 */
  CHECK(sl_sampler_randomness(id, NULL) == T_TENTH);
  CHECK(sl_sampler_randomness(id, "congo=x,ot=th:0;rv:00000000000001") == 1);
  CHECK(sl_sampler_randomness(id, "ot=rv:zz") == T_TENTH); /* not 14 hex digits: ignored */
  sl_sampler s;
  sl_sampler_from_strings(&s, "probability", "0.1", NULL);
  CHECK(sl_sampler_decide(&s, id, T_TENTH, 0, 0, 0) == 1);     /* R >= T */
  CHECK(sl_sampler_decide(&s, id, T_TENTH - 1, 0, 0, 0) == 0); /* R < T */
  CHECK(sl_sampler_decide(&s, id, T_TENTH - 1, 1, 1, 1) == 0); /* not parent-based */
  CHECK_STR(s.tracestate, "ot=th:e666");
  sl_sampler_from_strings(&s, "parentbased_probability", "0.1", NULL);
  CHECK(sl_sampler_decide(&s, id, 0, 1, 1, 1) == 1); /* a sampled parent decides */
}

static void roots_are_sampled_by_threshold_and_say_so(void) {
  int sampled = 0;
  for (int i = 0; i < ROOTS; i++) {
    sl_span *s = sl_span_start("root");
    char tid[33], sid[17];
    CHECK(sl_span_ids(s, tid, sid) == 0);
    int want = last7(tid) >= T_TENTH;
    CHECK_MSG(sl_span_is_sampled(s) == want, "trace %s", tid);
    const char *ts = sl_tracestate_current();
    if (want) CHECK_MSG(ts && strcmp(ts, "ot=th:e666") == 0, "trace %s: tracestate %s", tid, ts ? ts : "(none)");
    else CHECK_MSG(ts == NULL, "trace %s: tracestate %s", tid, ts);
    sampled += want;
    sl_span_end(s);
  }
  CHECK_MSG(sampled > ROOTS / 20 && sampled < ROOTS / 5, "%d of %d sampled", sampled, ROOTS);
}

static void a_remote_parent_decides_and_its_tracestate_goes_on(void) {
  CHECK_INT(sl_trace_continue("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "ot=th:c,congo=x"), 0);
  sl_span *s = sl_span_start("child");
  CHECK(sl_span_is_sampled(s));
  CHECK_STR(sl_tracestate_current(), "ot=th:c,congo=x");
  sl_span_end(s);
  CHECK_INT(sl_trace_continue("00-4bf92f3577b34da6a3ce929d0e0effff-00f067aa0ba902b7-00", NULL), 0);
  s = sl_span_start("child");
  CHECK(!sl_span_is_sampled(s));
  CHECK(sl_tracestate_current() == NULL); /* not a trace started here: no threshold made up */
  sl_span_end(s);
  sl_trace_continue(NULL, NULL);
}

int main(void) {
  sl_capture *quiet = sl_capture_start(SL_LEVEL_OFF); /* keeps nothing, and stdout gets nothing */
  RUN(thresholds_follow_the_specification);
  RUN(randomness_comes_from_rv_or_the_trace_id);
  RUN(roots_are_sampled_by_threshold_and_say_so);
  RUN(a_remote_parent_decides_and_its_tracestate_goes_on);
  sl_capture_stop(quiet);
  return check_exit();
}
