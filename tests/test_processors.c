/* The processor chain: redaction on by default (key rules, credential scrubbers), the
 * opt-in rules (e-mail, phone, SSN, hashing, allowlist), user processors that drop and
 * add, truncation on character boundaries, errno fields and call sites — on log fields,
 * bound fields, span attributes and span event attributes alike. */
#define SPANLOG_LOGGER "proc"
#include <errno.h>
#include <spanlog.h>
#include <spanlog/testing.h>

#include "check.h"

static sl_capture *cap;

/* The one record logged since the last call, parsed. */
static jl_doc *only_doc(void) {
  size_t n = sl_capture_count(cap);
  CHECK_INT(n, 1);
  jl_doc *d = n ? PARSE(sl_capture_line(cap, n - 1)) : NULL;
  sl_capture_clear(cap);
  return d;
}

static void secret_keys_are_redacted_by_default(void) {
  log_event("login", "password", "hunter2", "Api-Key", "k1", "http.request.header.authorization", "Basic x",
            "SET_COOKIE", "a=b", "user", "alice", "token_count", 5);
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "password"), "[REDACTED]");
  CHECK_STR(doc_str(d, "Api-Key"), "[REDACTED]");     /* case and '-'/'_' alike */
  CHECK_STR(doc_str(d, "http.request.header.authorization"), "[REDACTED]"); /* last dotted part */
  CHECK_STR(doc_str(d, "SET_COOKIE"), "[REDACTED]");
  CHECK_STR(doc_str(d, "user"), "alice");
  char buf[16];
  CHECK_STR(doc_raw(d, "token_count", buf, sizeof buf), "5"); /* not a listed key */
  jl_free(d);
}

static void credentials_are_scrubbed_from_values_by_default(void) {
  log_event("call", "header", "Authorization: Bearer abcDEF123456789xyz", "jwt",
            "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c;",
            "aws", "key AKIAIOSFODNN7EXAMPLE used", "card", "paid with 4111 1111 1111 1111",
            "pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
            "mail", "bob@example.com");
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "header"), "Authorization: [BEARER]");
  CHECK_STR(doc_str(d, "jwt"), "t=[JWT];");
  CHECK_STR(doc_str(d, "aws"), "key [AWS_KEY] used");
  CHECK_STR(doc_str(d, "card"), "paid with [CARD]");
  CHECK_STR(doc_str(d, "pem"), "[PRIVATE_KEY]");
  CHECK_STR(doc_str(d, "mail"), "bob@example.com"); /* e-mail scrubbing is opt-in */
  jl_free(d);
  const char *headers[] = {"Accept: text/html", "Authorization: Bearer abcDEF123456789xyz", NULL};
  log_event("array", "headers", SL_STRS(headers, 3));
  size_t n = sl_capture_count(cap);
  CHECK_STR(n ? sl_capture_line(cap, n - 1) + strlen(sl_capture_line(cap, n - 1)) -
                    strlen("\"headers\":[\"Accept: text/html\",\"Authorization: [BEARER]\",null]}")
              : "",
            "\"headers\":[\"Accept: text/html\",\"Authorization: [BEARER]\",null]}");
  sl_capture_clear(cap);
}

static void ids_and_numbers_are_left_alone(void) {
  log_event("ids", "uuid", "123e4567-e89b-12d3-a456-426614174000", "trace", "4bf92f3577b34da6a3ce929d0e0e4736",
            "ts", "2026-03-14T10:42:13.421337Z", "n", "4111111111111112", "ip", "192.168.1.20");
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "uuid"), "123e4567-e89b-12d3-a456-426614174000");
  CHECK_STR(doc_str(d, "trace"), "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK_STR(doc_str(d, "ts"), "2026-03-14T10:42:13.421337Z");
  CHECK_STR(doc_str(d, "n"), "4111111111111112"); /* fails Luhn */
  CHECK_STR(doc_str(d, "ip"), "192.168.1.20");
  jl_free(d);
}

static void bound_fields_span_attributes_and_events_are_redacted_too(void) {
  log_bind("refresh_token", "r1", "contact", "Bearer zzzzzzzz12345678");
  log_info("bound");
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "refresh_token"), "[REDACTED]");
  CHECK_STR(doc_str(d, "contact"), "[BEARER]");
  jl_free(d);
  log_clear();

  sl_span *s = sl_span_start("call", "client_secret", "cs", "note", "AKIAIOSFODNN7EXAMPLE");
  sl_span_event(s, "retry", "access_token", "at", "why", "4111-1111-1111-1111 declined");
  sl_span_end(s);
  d = only_doc();
  char buf[512];
  CHECK(doc_raw(d, "attributes", buf, sizeof buf) &&
        strcmp(buf, "{\"client_secret\":\"[REDACTED]\",\"note\":\"[AWS_KEY]\"}") == 0);
  CHECK(doc_raw(d, "events", buf, sizeof buf) &&
        strstr(buf, "\"attributes\":{\"access_token\":\"[REDACTED]\",\"why\":\"[CARD] declined\"}") != NULL);
  jl_free(d);
}

static void opt_in_scrubbers_and_hashing(void) {
  CHECK_INT(sl_redact("scrub+=email,phone,ssn;hash=user_id"), 0);
  log_event("pii", "mail", "write to bob@example.com", "phone", "call +1 (555) 123-4567", "ssn", "123-45-6789",
            "user_id", "u_8821");
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "mail"), "write to [EMAIL]");
  CHECK_STR(doc_str(d, "phone"), "call [PHONE]");
  CHECK_STR(doc_str(d, "ssn"), "[SSN]");
  const char *h = doc_str(d, "user_id");
  char first[32] = "";
  snprintf(first, sizeof first, "%s", h ? h : "");
  CHECK(h && strncmp(h, "h:", 2) == 0 && strlen(h) == 18);
  jl_free(d);

  log_event("pii", "user_id", "u_8821");
  d = only_doc();
  CHECK_STR(doc_str(d, "user_id"), first); /* stable for the same value and key */
  jl_free(d);
  log_event("pii", "user_id", "u_8822");
  d = only_doc();
  CHECK(doc_str(d, "user_id") && strcmp(doc_str(d, "user_id"), first) != 0);
  jl_free(d);

  CHECK_INT(sl_redact("hash_key=000102030405060708090a0b0c0d0e0f"), 0);
  log_event("pii", "user_id", "u_8821");
  d = only_doc();
  CHECK(doc_str(d, "user_id") && strcmp(doc_str(d, "user_id"), first) != 0); /* keyed */
  jl_free(d);
  CHECK_INT(sl_redact("defaults"), 0);
}

static void allowlist_mode_keeps_only_listed_values(void) {
  CHECK_INT(sl_redact("allow=user,count"), 0);
  log_event("allow", "user", "alice", "count", 3, "query", "private words");
  jl_doc *d = only_doc();
  char buf[16];
  CHECK_STR(doc_str(d, "user"), "alice");
  CHECK_STR(doc_raw(d, "count", buf, sizeof buf), "3");
  CHECK_STR(doc_str(d, "query"), "[REDACTED]");
  CHECK_STR(doc_str(d, "event"), "allow"); /* the record's own keys are not fields */
  jl_free(d);
  CHECK_INT(sl_redact("allow="), 0);
}

static void turning_the_defaults_off_is_explicit(void) {
  CHECK_INT(sl_redact("off"), 0);
  log_event("raw", "password", "hunter2", "h", "Bearer abcdef1234567890");
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "password"), "hunter2");
  CHECK_STR(doc_str(d, "h"), "Bearer abcdef1234567890");
  jl_free(d);
  CHECK_INT(sl_redact("defaults;keys+=pin;keys-=*cookie"), 0); /* a default glob goes by its text */
  log_event("custom", "pin", "1234", "cookie", "c");
  d = only_doc();
  CHECK_STR(doc_str(d, "pin"), "[REDACTED]");
  CHECK_STR(doc_str(d, "cookie"), "c");
  jl_free(d);
  CHECK_INT(sl_redact("scrub+=nonsense"), -1); /* refused, nothing changed */
  CHECK_INT(sl_redact("keys"), -1);
  CHECK_INT(sl_redact("defaults"), 0);
}

/* ---- user processors ---- */

static sl_verdict drop_health_checks(sl_record *r, void *user) {
  (void)user;
  size_t n;
  const char *e = sl_record_event(r, &n);
  return e && n == 6 && memcmp(e, "health", 6) == 0 ? SL_DROP : SL_KEEP;
}

static sl_verdict add_and_change(sl_record *r, void *user) {
  sl_record_set(r, "deployment", (const char *)user);
  long i = sl_record_find(r, "attempt");
  if (i >= 0) sl_record_set(r, "attempt", sl_record_int(r, (size_t)i) + 100);
  i = sl_record_find(r, "drop_me");
  if (i >= 0) sl_record_remove(r, (size_t)i);
  i = sl_record_find(r, "password"); /* processors see values already redacted */
  if (i >= 0) {
    size_t len;
    const char *v = sl_record_string(r, (size_t)i, &len);
    sl_record_set(r, "seen_password", SL_STRN(v, len));
  }
  return SL_KEEP;
}

static void user_processors_drop_add_and_change_fields(void) {
  CHECK_INT(sl_processor_add(drop_health_checks, NULL), 0);
  CHECK_INT(sl_processor_add(add_and_change, "prod"), 0);
  log_info("health");
  log_info("work", "attempt", 2, "drop_me", 1, "password", "p");
  CHECK_INT(sl_capture_count(cap), 1);
  jl_doc *d = only_doc();
  char buf[16];
  CHECK_STR(doc_str(d, "event"), "work");
  CHECK_STR(doc_str(d, "deployment"), "prod");
  CHECK_STR(doc_raw(d, "attempt", buf, sizeof buf), "102");
  CHECK(!doc_has(d, "drop_me"));
  CHECK_STR(doc_str(d, "seen_password"), "[REDACTED]");
  jl_free(d);
  sl_span *s = sl_span_start("span");
  sl_span_end(s);
  d = only_doc();
  char attrs[64];
  CHECK_STR(doc_raw(d, "attributes", attrs, sizeof attrs), "{\"deployment\":\"prod\"}");
  jl_free(d);
  CHECK_INT(sl_processor_remove(add_and_change, "prod"), 0);
  CHECK_INT(sl_processor_remove(drop_health_checks, NULL), 0);
  CHECK_INT(sl_processor_remove(drop_health_checks, NULL), -1);
  log_info("health");
  CHECK_INT(sl_capture_count(cap), 1);
  sl_capture_clear(cap);
}

/* ---- truncation ---- */

static void long_values_are_cut_on_character_boundaries(void) {
  sl_set_max_value_bytes(7);
  /* "ab" then é (2 bytes) x2, 世 (3 bytes), 😀 (4 bytes) */
  log_event("cut", "two", "ab\xC3\xA9\xC3\xA9\xC3\xA9", "three", "abcd\xE4\xB8\x96\xE4\xB8\x96", "four",
            "abc\xF0\x9F\x98\x80\xF0\x9F\x98\x80", "short", "1234567", "raw", SL_RAW_JSON("[1,2,3,4,5]"));
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "two"), "ab\xC3\xA9\xC3\xA9\xE2\x80\xA6[cut 2 bytes]");
  CHECK_STR(doc_str(d, "three"), "abcd\xE4\xB8\x96\xE2\x80\xA6[cut 3 bytes]");
  CHECK_STR(doc_str(d, "four"), "abc\xF0\x9F\x98\x80\xE2\x80\xA6[cut 4 bytes]");
  CHECK_STR(doc_str(d, "short"), "1234567");
  CHECK_STR(doc_str(d, "raw"), "[1,2,3,\xE2\x80\xA6[cut 4 bytes]"); /* cut JSON is a string */
  jl_free(d);
  sl_set_max_value_bytes(0);
}

/* ---- bound fields, whose JSON is rendered once per bind ---- */

static sl_verdict rename_user(sl_record *r, void *user) {
  (void)user;
  long i = sl_record_find(r, "user_id");
  if (i >= 0) sl_record_set(r, "user_id", "changed by a processor");
  return SL_KEEP;
}

/* Times `needle` occurs in the last captured line. */
static int occurrences(const char *needle) {
  size_t n = sl_capture_count(cap);
  int k = 0;
  for (const char *p = n ? sl_capture_line(cap, n - 1) : ""; (p = strstr(p, needle)) != NULL; p++) k++;
  return k;
}

/* The bound fields' JSON is made once per bind and reused: every change that shapes it
   (a new bind, a call field of the same key, the truncation limit, the redaction rules, a
   user processor, call sites) shows on the very next record. */
static void bound_fields_follow_every_change_that_shapes_them(void) {
  log_bind("user_id", "user-0001", "agent", "research-assistant");
  log_info("plain");
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "user_id"), "user-0001");
  CHECK_STR(doc_str(d, "agent"), "research-assistant");
  jl_free(d);

  log_info("shadowed", "agent", "call-site");
  CHECK_INT(occurrences("\"agent\":"), 1);
  d = only_doc();
  CHECK_STR(doc_str(d, "agent"), "call-site");
  CHECK_STR(doc_str(d, "user_id"), "user-0001");
  jl_free(d);

  sl_set_max_value_bytes(4);
  log_info("cut");
  d = only_doc();
  CHECK_STR(doc_str(d, "user_id"), "user\xE2\x80\xA6[cut 5 bytes]");
  jl_free(d);
  sl_set_max_value_bytes(0);
  log_info("whole again");
  d = only_doc();
  CHECK_STR(doc_str(d, "user_id"), "user-0001");
  jl_free(d);

  CHECK_INT(sl_redact("keys+=agent"), 0);
  log_info("denied");
  d = only_doc();
  CHECK_STR(doc_str(d, "agent"), "[REDACTED]");
  jl_free(d);
  CHECK_INT(sl_redact("keys-=agent"), 0);
  log_info("allowed again");
  d = only_doc();
  CHECK_STR(doc_str(d, "agent"), "research-assistant");
  jl_free(d);

  CHECK_INT(sl_processor_add(rename_user, NULL), 0);
  log_info("processed");
  d = only_doc();
  CHECK_STR(doc_str(d, "user_id"), "changed by a processor");
  jl_free(d);
  CHECK_INT(sl_processor_remove(rename_user, NULL), 0);

  sl_set_callsite(1);
  log_info("located");
  sl_set_callsite(0);
  d = only_doc();
  CHECK_STR(doc_str(d, "user_id"), "user-0001");
  CHECK(doc_has(d, "code.line.number"));
  jl_free(d);

  log_bind("user_id", "user-0002");
  log_info("rebound");
  CHECK_INT(occurrences("\"user_id\":"), 1);
  d = only_doc();
  CHECK_STR(doc_str(d, "user_id"), "user-0002");
  CHECK_STR(doc_str(d, "agent"), "research-assistant");
  jl_free(d);
  log_clear();
}

/* ---- errors and call sites ---- */

static void errno_values_become_error_fields(void) {
  log_error("open failed", SL_ERRNO(ENOENT), "path", "/nonexistent", SL_CAUSE("no config"));
  jl_doc *d = only_doc();
  CHECK_STR(doc_str(d, "error.type"), "ENOENT");
  CHECK_STR(doc_str(d, "error.message"), "No such file or directory");
  CHECK_STR(doc_str(d, "error.cause"), "no config");
  jl_free(d);
  CHECK_STR(sl_errno_name(EAGAIN), "EAGAIN");
  CHECK_STR(sl_errno_name(99999), "E99999");
  log_error("failed", SL_ERROR("timeout", "upstream took 30 s"));
  d = only_doc();
  CHECK_STR(doc_str(d, "error.type"), "timeout");
  jl_free(d);
}

static void call_sites_are_shown_when_asked(void) {
  log_info("without");
  jl_doc *d = only_doc();
  CHECK(!doc_has(d, "code.line.number"));
  jl_free(d);
  sl_set_callsite(1);
  int line = __LINE__ + 1;
  log_info("with");
  sl_set_callsite(0);
  d = only_doc();
  char buf[16];
  snprintf(buf, sizeof buf, "%d", line);
  char raw[16];
  CHECK_STR(doc_raw(d, "code.line.number", raw, sizeof raw), buf);
  const char *file = doc_str(d, "code.file.path");
  CHECK(file && strstr(file, "test_processors.c") != NULL);
  CHECK_STR(doc_str(d, "code.function.name"), "call_sites_are_shown_when_asked");
  jl_free(d);
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(secret_keys_are_redacted_by_default);
  RUN(credentials_are_scrubbed_from_values_by_default);
  RUN(ids_and_numbers_are_left_alone);
  RUN(bound_fields_span_attributes_and_events_are_redacted_too);
  RUN(opt_in_scrubbers_and_hashing);
  RUN(allowlist_mode_keeps_only_listed_values);
  RUN(turning_the_defaults_off_is_explicit);
  RUN(user_processors_drop_add_and_change_fields);
  RUN(long_values_are_cut_on_character_boundaries);
  RUN(bound_fields_follow_every_change_that_shapes_them);
  RUN(errno_values_become_error_fields);
  RUN(call_sites_are_shown_when_asked);
  sl_capture_stop(cap);
  return check_exit();
}
