/* A bound logger freed while records made through it are still queued: they are written
 * with its pairs all the same (each record carries a copy). A processor holds the backend
 * on a first record until the logger is freed and its memory reused, so the records are
 * surely queued at that time; under ASan a read of the freed logger would be reported. */
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include <spanlog.h>
#include <spanlog/processor.h>
#include <spanlog/testing.h>

#include "check.h"

#define RECORDS 100

static atomic_int gate_open, gate_reached;

/* Waits on the "gate" record until the test opens the gate. */
static sl_verdict hold_at_gate(sl_record *r, void *user) {
  (void)user;
  size_t len;
  const char *event = sl_record_event(r, &len);
  if (event && len == 4 && memcmp(event, "gate", 4) == 0) {
    atomic_store(&gate_reached, 1);
    while (!atomic_load(&gate_open)) sched_yield();
  }
  return SL_KEEP;
}

static void records_queued_before_the_free_keep_its_pairs(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  CHECK_INT(sl_processor_add(hold_at_gate, NULL), 0);
  char request_id[64];
  snprintf(request_id, sizeof request_id, "r-%s", "freed-while-queued-0123456789");
  sl_bound *root = log_with("request_id", request_id);
  sl_bound *log = sl_bound_with(root, "tool", "search_docs", "attempt", 3);
  sl_bound_free(root);
  log_event("gate");
  while (!atomic_load(&gate_reached)) sched_yield(); /* the backend is held from here */
  for (int i = 0; i < RECORDS; i++) sl_bound_info(log, "queued", "seq", i);
  sl_bound_free(log);
  /* Reuse the freed memory, so that a record reading it would show other bytes. */
  for (int i = 0; i < 64; i++) {
    void *p = malloc(64 + (size_t)i * 8);
    if (p) memset(p, 'X', 64 + (size_t)i * 8);
    free(p);
  }
  atomic_store(&gate_open, 1);
  CHECK_INT(sl_capture_count(cap), RECORDS + 1);
  for (size_t i = 1; i <= RECORDS; i++) {
    jl_doc *d = PARSE(sl_capture_line(cap, i));
    CHECK_INT(doc_long(d, "seq"), (long)i - 1);
    CHECK_STR(doc_str(d, "request_id"), request_id);
    CHECK_STR(doc_str(d, "tool"), "search_docs");
    CHECK_INT(doc_long(d, "attempt"), 3);
    jl_free(d);
  }
  sl_processor_remove(hold_at_gate, NULL);
  sl_capture_stop(cap);
}

int main(void) {
  RUN(records_queued_before_the_free_keep_its_pairs);
  return check_exit();
}
