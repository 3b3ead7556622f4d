/* Redaction configured from the environment (set by the test): SPANLOG_REDACT,
 * SPANLOG_HASH_KEY and SPANLOG_MAX_VALUE_BYTES. The hash of a user id is the same in
 * every process that has the same key: this one computes it independently. */
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"
#include "processors/keyed_hash.h"

int main(void) {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  log_event("login", "mail", "bob@example.com", "user_id", "u_8821", "pin", "1234", "note",
            "twelve bytes and more");
  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  CHECK_STR(doc_str(d, "mail"), "[EMAIL]");
  CHECK_STR(doc_str(d, "pin"), "[REDACTED]");
  const uint8_t key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  char want[19];
  sl_hash_identifier(key, "u_8821", 6, want);
  /* the hash (18 bytes) is longer than the limit of 12: it is cut like any value */
  char cut[64];
  snprintf(cut, sizeof cut, "%.12s\xE2\x80\xA6[cut 6 bytes]", want);
  CHECK_STR(doc_str(d, "user_id"), cut);
  CHECK_STR(doc_str(d, "note"), "twelve bytes\xE2\x80\xA6[cut 9 bytes]");
  jl_free(d);
  sl_capture_stop(cap);
  return check_exit();
}
