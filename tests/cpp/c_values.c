/* C values without surprises: NULL renders null, a void * its address as a hex string;
   the array wrappers take the element types they read (char * strings too). */
#include <spanlog.h>
#include <spanlog/testing.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static jl_doc *only_log(sl_capture *cap) {
  CHECK_INT(sl_capture_count(cap), 1);
  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  sl_capture_clear(cap);
  return d;
}

int main(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  char want[32], raw[64];

  check_current = "NULL and void *";
  int n = 1;
  void *address = &n;
  const void *const_address = &n;
  log_event("pointers", "none", NULL, "address", address, "const_address", const_address, "small", (void *)0x1f);
  sl_span *s = sl_span_start("pointer span", "address", address);
  sl_span_end(s);
  CHECK_INT(sl_capture_count(cap), 2);
  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  jl_doc *span = PARSE(sl_capture_line(cap, 1));
  sl_capture_clear(cap);
  snprintf(want, sizeof want, "0x%llx", (unsigned long long)(uintptr_t)address);
  CHECK_STR(doc_raw(d, "none", raw, sizeof raw), "null");
  CHECK_STR(doc_str(d, "address"), want);
  CHECK_STR(doc_str(d, "const_address"), want);
  CHECK_STR(doc_str(d, "small"), "0x1f");
  char attrs[256];
  CHECK_HAS(doc_raw(span, "attributes", attrs, sizeof attrs), want);
  jl_free(d);
  jl_free(span);

  check_current = "a void * bound";
  log_bind("ctx", address, "nothing", NULL);
  log_event("bound");
  log_clear();
  d = only_log(cap);
  CHECK_STR(doc_str(d, "ctx"), want);
  CHECK_STR(doc_raw(d, "nothing", raw, sizeof raw), "null");
  jl_free(d);

  check_current = "arrays";
  int64_t ids[] = {3, -4};
  char *names[] = {"ann", "bo"};
  const char *const fixed[] = {"x"};
  double ratios[] = {0.25};
  bool seen[] = {false, true};
  log_event("arrays", "ids", SL_INTS(ids, 2), "names", SL_STRS(names, 2), "fixed", SL_STRS(fixed, 1), "ratios",
            SL_DOUBLES(ratios, 1), "seen", SL_BOOLS(seen, 2), "none", SL_INTS(NULL, 0));
  d = only_log(cap);
  CHECK_STR(doc_raw(d, "ids", raw, sizeof raw), "[3,-4]");
  CHECK_STR(doc_raw(d, "names", raw, sizeof raw), "[\"ann\",\"bo\"]");
  CHECK_STR(doc_raw(d, "fixed", raw, sizeof raw), "[\"x\"]");
  CHECK_STR(doc_raw(d, "ratios", raw, sizeof raw), "[0.25]");
  CHECK_STR(doc_raw(d, "seen", raw, sizeof raw), "[false,true]");
  CHECK_STR(doc_raw(d, "none", raw, sizeof raw), "[]");
  jl_free(d);

  sl_capture_stop(cap);
  return check_exit();
}
