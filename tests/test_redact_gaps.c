/* Redaction with its default settings, where it used to let secrets through: keys inside
 * nested JSON values (SL_RAW_JSON, jansson), credential names in their many spellings,
 * provider API keys and URL credentials inside strings; and, the other way, values and
 * names that look alike but are not secrets stay as they are. */
#include "check.h" /* first: it includes <jansson.h>, which spanlog.h must see */

#include <spanlog.h>
#include <spanlog/testing.h>

static sl_capture *cap;

/* The raw JSON of key in the only record captured (then forgotten), in buf. */
static const char *field(const char *key, char *buf, size_t size) {
  CHECK_INT(sl_capture_count(cap), 1);
  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  const char *v = doc_raw(d, key, buf, size);
  jl_free(d);
  sl_capture_clear(cap);
  return v ? v : "(absent)";
}

#define EXPECT_FIELD(key, want)                                                           \
  do {                                                                                    \
    char buf_[1024];                                                                      \
    CHECK_STR(field(key, buf_, sizeof buf_), want);                                       \
  } while (0)

static void keys_are_redacted_at_every_depth_of_raw_json(void) {
  log_event("tool.call", "args",
            SL_RAW_JSON("{\"query\": \"Q3\", \"api_key\": \"abc123\", \"nested\": {\"Password\": \"p\","
                        " \"list\": [{\"token\": 7}, {\"keep\": true}]}, \"credentials\": {\"user\": \"u\"},"
                        " \"x\\u002dapi\\u002dkey\": \"escaped\"}"));
  EXPECT_FIELD("args", "{\"query\":\"Q3\",\"api_key\":\"[REDACTED]\",\"nested\":{\"Password\":\"[REDACTED]\","
                       "\"list\":[{\"token\":\"[REDACTED]\"},{\"keep\":true}]},\"credentials\":\"[REDACTED]\","
                       "\"x\\u002dapi\\u002dkey\":\"[REDACTED]\"}");
  /* scrubbers reach the strings inside too, decoded: an escape hides nothing */
  log_event("tool.call", "args", SL_RAW_JSON("[\"Bearer abcdef1234567890\", {\"note\": \"card\\n4111111111111111\"}]"));
  EXPECT_FIELD("args", "[\"[BEARER]\",{\"note\":\"card\\n[CARD]\"}]");
  /* not JSON: a string, scrubbed as one */
  log_event("tool.call", "args", SL_RAW_JSON("{\"api_key\": sk-proj-"));
  EXPECT_FIELD("args", "\"{\\\"api_key\\\": sk-proj-\"");
}

static void keys_are_redacted_in_span_attributes_of_json(void) {
  sl_span *s = sl_span_start("tool", "gen_ai.tool.call.arguments", SL_RAW_JSON("{\"Authorization\":\"x\"}"));
  sl_span_end(s);
  CHECK_INT(sl_capture_count(cap), 1);
  jl_doc *d = PARSE(sl_capture_line(cap, 0));
  char buf[256];
  const char *attrs = doc_raw(d, "attributes", buf, sizeof buf);
  CHECK(attrs && strstr(attrs, "{\"Authorization\":\"[REDACTED]\"}"));
  jl_free(d);
  sl_capture_clear(cap);
}

#ifdef SL_TEST_JANSSON
static void keys_are_redacted_in_jansson_values(void) {
  json_t *v = json_pack("{s:s, s:{s:s}}", "model", "m", "headers", "X-Api-Key", "k-123");
  log_event("request", "body", v);
  json_decref(v);
  EXPECT_FIELD("body", "{\"model\":\"m\",\"headers\":{\"X-Api-Key\":\"[REDACTED]\"}}");
}
#endif

static void credential_names_in_any_spelling(void) {
  const char *secret[] = {"X-Api-Key", "OPENAI_API_KEY", "session_token", "aws_secret_access_key",
                          "credentials", "http.request.header.x-api-key", "DB_PASSWORD", "client.secret",
                          "Proxy-Authorization", "id_token", "GITHUB_TOKEN", "set-cookie", "apiKey"};
  for (size_t i = 0; i < sizeof secret / sizeof *secret; i++) {
    log_event("e", secret[i], "v");
    char buf[64];
    CHECK_MSG(strcmp(field(secret[i], buf, sizeof buf), "\"[REDACTED]\"") == 0, "%s: %s", secret[i], buf);
  }
}

static void ordinary_names_are_not_credentials(void) {
  const char *plain[] = {"max_tokens", "gen_ai.usage.input_tokens", "token_count", "cache_key", "monkey",
                         "user_id", "request_id", "keyboard", "author", "tokenizer", "passenger"};
  for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
    log_event("e", plain[i], "v");
    char buf[64];
    CHECK_MSG(strcmp(field(plain[i], buf, sizeof buf), "\"v\"") == 0, "%s: %s", plain[i], buf);
  }
}

static void key_globs_from_the_application(void) {
  CHECK_INT(sl_redact("keys+=*_key"), 0);
  log_event("e", "cache_key", "v", "Partition-Key", "w", "keyring", "x");
  char buf[64];
  CHECK_STR(field("cache_key", buf, sizeof buf), "\"[REDACTED]\"");
  log_event("e", "Partition-Key", "w");
  CHECK_STR(field("Partition-Key", buf, sizeof buf), "\"[REDACTED]\"");
  log_event("e", "keyring", "x");
  CHECK_STR(field("keyring", buf, sizeof buf), "\"x\"");
  CHECK_INT(sl_redact("keys-=*_key"), 0);
  log_event("e", "cache_key", "v");
  CHECK_STR(field("cache_key", buf, sizeof buf), "\"v\"");
}

/* value in, value out, through a string field */
static void expect_scrubbed(const char *in, const char *want) {
  log_event("e", "text", in);
  char buf[512], quoted[512];
  snprintf(quoted, sizeof quoted, "\"%s\"", want);
  CHECK_MSG(strcmp(field("text", buf, sizeof buf), quoted) == 0, "\n  in:   %s\n  got:  %s\n  want: %s", in, buf,
            quoted);
}

static void provider_keys_inside_strings(void) {
  expect_scrubbed("key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789_-ab done", "key [API_KEY] done");
  expect_scrubbed("sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx0123456789-abcdefAA", "[API_KEY]");
  expect_scrubbed("sk-T3BlbkFJabcdefghijklmnop0123456789ABCDEFGH", "[API_KEY]");
  expect_scrubbed("GH=ghp_16C7e42F292c6912E7710c838347Ae178B4a;", "GH=[API_KEY];");
  expect_scrubbed("github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJ", "[API_KEY]");
  expect_scrubbed("slack xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "slack [API_KEY]");
  expect_scrubbed("xoxp-1234567890-abcdefghij", "[API_KEY]");
  expect_scrubbed("maps?AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "maps?[API_KEY]");
  expect_scrubbed("stripe sk_live_51H8abcdefGHIJKLmnop", "stripe [API_KEY]");
  expect_scrubbed("glpat-abcdefghij0123456789", "[API_KEY]");
  expect_scrubbed("hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf", "[API_KEY]");
}

static void url_credentials_inside_strings(void) {
  expect_scrubbed("GET https://user:pass@host.example/x", "GET https://[REDACTED]@host.example/x");
  expect_scrubbed("postgres://app:s3cr3t@db:5432/prod", "postgres://[REDACTED]@db:5432/prod");
  expect_scrubbed("https://x.io/v1?token=abc&api_key=def&page=2", "https://x.io/v1?token=[REDACTED]&api_key=[REDACTED]&page=2");
  expect_scrubbed("/cb?code=1&Access-Token=zz#frag", "/cb?code=1&Access-Token=[REDACTED]#frag");
  expect_scrubbed("https://ghp_TOKENTOKENTOKEN1234@github.com/o/r", "https://[REDACTED]@github.com/o/r");
}

static void lookalikes_are_left_alone(void) {
  const char *plain[] = {
      "123e4567-e89b-12d3-a456-426614174000",
      "4bf92f3577b34da6a3ce929d0e0e4736",
      "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "risk-assessment-framework-2024-final-version-with-more-words",
      "ask-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789",
      "https://example.com/a?page=2&sort=asc&monkey=1",
      "https://git@github.com/o/r.git",
      "the skeleton key of xoxo hugs and AIzawesome ghost_writer npm_install",
      "sk-this-is-a-long-slug-without-any-digits-at-all",
      "time 12:30:45 ratio 3:2 url http://host/path",
  };
  for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) expect_scrubbed(plain[i], plain[i]);
}

int main(void) {
  cap = sl_capture_start(SL_LEVEL_DEBUG);
  RUN(keys_are_redacted_at_every_depth_of_raw_json);
  RUN(keys_are_redacted_in_span_attributes_of_json);
#ifdef SL_TEST_JANSSON
  RUN(keys_are_redacted_in_jansson_values);
#endif
  RUN(credential_names_in_any_spelling);
  RUN(ordinary_names_are_not_credentials);
  RUN(key_globs_from_the_application);
  RUN(provider_keys_inside_strings);
  RUN(url_credentials_inside_strings);
  RUN(lookalikes_are_left_alone);
  sl_capture_stop(cap);
  return check_exit();
}
