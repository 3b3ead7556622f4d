/* Key rules decided once per key and remembered (src/processors/redact.c): what a key
 * gets must be what the rules say for its exact bytes, however many keys came before it
 * and whatever the rules said when it was last seen. */
#include <spanlog.h>
#include <spanlog/testing.h>
#include <stdio.h>

#include "check.h"

static sl_capture *cap;

/* Whether the one record logged since the capture was last cleared has `key` with the
   JSON text want. */
static int logged(const char *key, const char *want) {
  size_t len = 0;
  const char *got = sl_capture_count(cap) == 1 ? sl_capture_field(cap, 0, key, &len) : NULL;
  int ok = got && len == strlen(want) && memcmp(got, want, len) == 0;
  if (!ok) FAIL("key %s: got %.*s, want %s", key, got ? (int)len : 6, got ? got : "(none)", want);
  return ok;
}

/* The value of `key` in a record that logs it alone (as a runtime key, so copied). */
static void check_value(const char *key, const char *want) {
  log_event("k", key, "v");
  logged(key, want);
  sl_capture_clear(cap);
}

static void rule_changes_apply_to_keys_seen_before(void) {
  check_value("pin", "\"v\"");
  CHECK_INT(sl_redact("keys+=pin"), 0);
  check_value("pin", "\"[REDACTED]\"");
  log_event("nested", "body", SL_RAW_JSON("{\"pin\":\"1234\",\"a\":[{\"pin\":1}]}"));
  logged("body", "{\"pin\":\"[REDACTED]\",\"a\":[{\"pin\":\"[REDACTED]\"}]}");
  sl_capture_clear(cap);
  CHECK_INT(sl_redact("keys-=pin"), 0);
  check_value("pin", "\"v\"");
  CHECK_INT(sl_redact("hash=pin;hash_key=000102030405060708090a0b0c0d0e0f"), 0);
  log_event("k", "pin", "v");
  size_t len = 0;
  const char *hashed = sl_capture_field(cap, 0, "pin", &len);
  CHECK(hashed && len == 20 && strncmp(hashed, "\"h:", 3) == 0);
  sl_capture_clear(cap);
  CHECK_INT(sl_redact("allow=other"), 0);
  check_value("other", "\"v\"");
  check_value("pin", "\"[REDACTED]\"");
  CHECK_INT(sl_redact("allow=;defaults"), 0);
  check_value("pin", "\"v\"");
}

/* For every length up to 40 bytes (longer than the remembered keys), a listed name and
   the names that differ from it in one byte: only those equal to it once normalised
   (another case, or '-' for '_') are redacted. */
static void keys_differing_in_one_byte_get_their_own_rule(void) {
  static const char name[] = "x_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
  char list[64 * 42] = "keys=";
  for (int len = 1; len <= 40; len++) {
    size_t o = strlen(list);
    snprintf(list + o, sizeof list - o, "%s%.*s", len > 1 ? "," : "", len, name);
  }
  CHECK_INT(sl_redact(list), 0);
  for (int round = 0; round < 2; round++) {
    for (int len = 1; len <= 40; len++) {
      char key[48];
      memcpy(key, name, (size_t)len);
      key[len] = 0;
      check_value(key, "\"[REDACTED]\"");
      for (int i = 0; i < len; i++) {
        char was = key[i];
        key[i] = 'y';
        check_value(key, "\"v\"");
        key[i] = was == '_' ? '-' : 'X';
        check_value(key, "\"[REDACTED]\"");
        key[i] = was;
      }
    }
  }
  CHECK_INT(sl_redact("defaults"), 0);
}

/* More distinct keys than are remembered, in rounds, so that keys come back after others
   took their place. */
static void many_keys_each_get_their_rule(void) {
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 1500; i++) {
      char secret[32], plain[32];
      snprintf(secret, sizeof secret, "f%d_secret", i);
      snprintf(plain, sizeof plain, "f%d_secre", i);
      log_event("k", secret, "s", plain, "p");
      logged(secret, "\"[REDACTED]\"");
      logged(plain, "\"p\"");
      sl_capture_clear(cap);
    }
  }
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(rule_changes_apply_to_keys_seen_before);
  RUN(keys_differing_in_one_byte_get_their_own_rule);
  RUN(many_keys_each_get_their_rule);
  sl_capture_stop(cap);
  return check_exit();
}
