/* fake_clock_drives_span_durations: with sl_set_clock, a span's start_time, end_time and
 * duration_ms, its events' timestamps and the records' timestamps are all the fake
 * clock's, whatever the real clocks do meanwhile. */
#include <spanlog.h>
#include <spanlog/testing.h>
#include <unistd.h>

#include "check.h"

static uint64_t now_ns = 1767225600000000000u; /* 2026-01-01T00:00:00Z */
static uint64_t fake_clock(void) { return now_ns; }
static void advance_ms(uint64_t ms) { now_ns += ms * 1000000u; }

static const char *field_string(const sl_value *v, const char *key) {
  return sl_value_string(sl_value_get(v, key), NULL);
}

static void spans_are_timed_by_the_fake_clock(sl_capture *cap) {
  check_current = "span times";
  sl_span *outer = sl_span_start("outer");
  advance_ms(250);
  sl_span *inner = sl_span_start("inner");
  usleep(20000); /* the real clocks move; the fake one does not */
  advance_ms(1500);
  sl_span_event(inner, "halfway");
  log_info("inside");
  advance_ms(1);
  sl_span_end(inner);
  advance_ms(10);
  sl_span_end(outer);

  CHECK_INT(sl_capture_span_count(cap), 2);
  const sl_value *in = sl_capture_span(cap, 0), *out = sl_capture_span(cap, 1);
  CHECK_STR(field_string(in, "name"), "inner");
  CHECK_STR(field_string(in, "start_time"), "2026-01-01T00:00:00.250000Z");
  CHECK_STR(field_string(in, "end_time"), "2026-01-01T00:00:01.751000Z");
  double ms = 0;
  CHECK(sl_value_double(sl_value_get(in, "duration_ms"), &ms) == 0 && ms == 1501.0);
  const sl_value *event = sl_value_at(sl_value_get(in, "events"), 0, NULL);
  CHECK_STR(field_string(event, "timestamp"), "2026-01-01T00:00:01.750000Z");
  CHECK_STR(field_string(out, "start_time"), "2026-01-01T00:00:00.000000Z");
  CHECK(sl_value_double(sl_value_get(out, "duration_ms"), &ms) == 0 && ms == 1761.0);
  CHECK_INT(sl_capture_count(cap), 3);
  CHECK_STR(sl_capture_string(cap, 0, "timestamp", NULL), "2026-01-01T00:00:01.750000Z");
}

static void a_clock_standing_still_gives_zero_durations(sl_capture *cap) {
  check_current = "clock standing still";
  sl_capture_clear(cap);
  sl_span *s = sl_span_start("instant");
  usleep(5000);
  sl_span_end(s);
  double ms = -1;
  CHECK(sl_value_double(sl_value_get(sl_capture_span(cap, 0), "duration_ms"), &ms) == 0 && ms == 0.0);
}

int main(void) {
  sl_set_clock(fake_clock);
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  spans_are_timed_by_the_fake_clock(cap);
  a_clock_standing_still_gives_zero_durations(cap);
  sl_capture_stop(cap);
  sl_set_clock(NULL);
  return check_failures != 0;
}
