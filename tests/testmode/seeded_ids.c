/* seeded_ids_are_a_fixed_sequence: after sl_set_id_seed(s) the trace and span ids are
 * the same sequence every time (a test can set the seed again and get them again); a
 * call overrides SPANLOG_ID_SEED; another seed gives other ids; sl_set_random_ids goes
 * back to random ones; ids are never all zero. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

#define N 50

typedef struct ids {
  char trace[N][33], span[N][17];
} ids;

/* N spans, each a child of the one before every other time: new traces and children. */
static void make(ids *out) {
  sl_span *parent = NULL;
  for (int i = 0; i < N; i++) {
    sl_span *s = sl_span_start("s", "i", i);
    CHECK(sl_span_ids(s, out->trace[i], out->span[i]) == 0);
    if (parent) {
      sl_span_end(s);
      sl_span_end(parent);
      parent = NULL;
    } else {
      parent = s;
    }
  }
  if (parent) sl_span_end(parent);
}

static int same(const ids *a, const ids *b) {
  for (int i = 0; i < N; i++)
    if (strcmp(a->trace[i], b->trace[i]) || strcmp(a->span[i], b->span[i])) return 0;
  return 1;
}

static int shares_any(const ids *a, const ids *b) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      if (!strcmp(a->span[i], b->span[j]) || !strcmp(a->trace[i], b->trace[j])) return 1;
  return 0;
}

static int all_zero(const char *hex) { return hex[strspn(hex, "0")] == 0; }

static ids env_seeded, first, again, other, random_ids;

int main(void) {
  sl_capture *quiet = sl_capture_start(SL_LEVEL_OFF);
  make(&env_seeded); /* SPANLOG_ID_SEED=7 from the test's environment */
  sl_set_id_seed(7);
  make(&first);
  check_current = "the variable's seed and the call's";
  CHECK(same(&env_seeded, &first));
  sl_set_id_seed(7);
  make(&again);
  check_current = "the same seed again";
  CHECK(same(&first, &again));
  for (int i = 0; i < N; i++) CHECK(!all_zero(first.trace[i]) && !all_zero(first.span[i]));
  for (int i = 1; i < N; i++) CHECK(strcmp(first.span[i], first.span[i - 1]) != 0);
  check_current = "another seed";
  sl_set_id_seed(8);
  make(&other);
  CHECK(!shares_any(&first, &other));
  check_current = "random again";
  sl_set_random_ids();
  make(&random_ids);
  CHECK(!shares_any(&first, &random_ids));
  sl_capture_stop(quiet);
  return check_failures != 0;
}
