/* libFuzzer target: the parsers of settings that come from the environment. The first input
 * byte chooses one, the rest is its text (cut at a NUL, as getenv would give it):
 *   0  SPANLOG_LEVEL            sl_set_levels
 *   1  SPANLOG_REDACT           sl_redact, then the rules it made on probe fields
 *   2  byte counts              sl_parse_bytes (SPANLOG_QUEUE_BYTES, SPANLOG_MAX_VALUE_BYTES)
 *   3  OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (one line each)  sl_resource_from_strings
 *   4  OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG (one line each) sl_sampler_from_strings
 * None may crash or leak (ASan), a refusal must leave the settings as they were, byte
 * counts must be what the text says (checked against a reading of our own), and every
 * warning must be one line that starts "spanlog: " once. A violation aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spanlog.h>

#include "base/arena.h"
#include "base/parse.h"
#include "base/resource.h"
#include "capture/sampler.h"
#include "formatters/json.h"
#include "processors/redact.h"
#include "tests/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what) {
  if (ok) return;
  fprintf(stderr, "settings_fuzz: %s\n", what);
  abort();
}

/* ---- SPANLOG_LEVEL ---- */

static int valid_level(sl_level l) {
  return l == SL_LEVEL_DEBUG || l == SL_LEVEL_INFO || l == SL_LEVEL_WARNING || l == SL_LEVEL_ERROR ||
         l == SL_LEVEL_CRITICAL || l == SL_LEVEL_OFF;
}

static void levels(const char *spec) {
  /* Two fixed loggers: a logger lives as long as the process, so names from the input
     would grow the registry without end. */
  sl_logger *a = sl_logger_get("fuzz"), *b = sl_logger_get("fuzz.child");
  check(sl_set_levels("warning,fuzz=error") == 0, "a known state");
  if (sl_set_levels(spec) == 0) {
    check(valid_level(sl_logger_level(a)) && valid_level(sl_logger_level(b)), "accepted levels are levels");
  } else {
    check(sl_logger_level(a) == SL_LEVEL_ERROR && sl_logger_level(b) == SL_LEVEL_ERROR,
          "a refused SPANLOG_LEVEL changes nothing");
  }
}

/* ---- SPANLOG_REDACT ---- */

/* Probe fields through the current rules, rendered as one object that must parse. */
static void probe(const char *value, sl_buf *out) {
  size_t n = strlen(value);
  sl_field f[] = {
      {.key = "password", .key_len = 8, .type = SL__T_STR, .str = value, .len = n},
      {.key = "user_id", .key_len = 7, .type = SL__T_STRN, .str = value, .len = n},
      {.key = "X-Api-Key", .key_len = 9, .type = SL__T_STR, .str = value, .len = n},
      {.key = "note", .key_len = 4, .type = SL__T_STR, .str = value, .len = n},
      {.key = "args", .key_len = 4, .type = SL__T_RAW, .str = value, .len = n},
      {.key = "count", .key_len = 5, .type = SL__T_I64},
  };
  static sl_arena arena;
  char err[96];
  out->len = 0;
  sl_redact_fields(f, sizeof f / sizeof *f, &arena);
  check(sl_json_put_object(out, f, sizeof f / sizeof *f) == 0, "probe renders");
  jl_doc *d = jl_parse(out->data, out->len, err, sizeof err);
  if (!d) fprintf(stderr, "%.*s: %s\n", (int)out->len, out->data, err);
  check(d && jl_count(d) == sizeof f / sizeof *f, "redacted fields render as strict JSON");
  jl_free(d);
  sl_arena_reset(&arena);
}

static void redact(const char *spec) {
  static const char value[] = "Bearer abc.def.ghi jane@example.com 4111111111111111 {\"token\":\"x\"}";
  sl_buf before = {0}, after = {0};
  check(sl_redact("defaults") == 0, "back to the defaults");
  probe(value, &before);
  if (sl_redact(spec) == 0) {
    probe(value, &after);
    probe(spec, &after); /* the spec's own text as a value, through its own rules */
  } else {
    probe(value, &after);
    check(before.len == after.len && memcmp(before.data, after.data, before.len) == 0,
          "a refused SPANLOG_REDACT changes nothing");
  }
  sl_buf_free(&before);
  sl_buf_free(&after);
}

/* ---- byte counts ---- */

/* digits, then k/K or m/M at most; no sign, no space; within 64 bits. */
static int expected_bytes(const char *t, uint64_t *out) {
  uint64_t v = 0, scale = 1;
  size_t i = 0;
  for (; t[i] >= '0' && t[i] <= '9'; i++) {
    unsigned d = (unsigned)(t[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return -1;
    v = v * 10 + d;
  }
  if (i == 0) return -1;
  if (t[i] == 'k' || t[i] == 'K') scale = 1024, i++;
  else if (t[i] == 'm' || t[i] == 'M') scale = 1024 * 1024, i++;
  if (t[i] || v > UINT64_MAX / scale) return -1;
  *out = v * scale;
  return 0;
}

static void byte_count(const char *text) {
  uint64_t got = 12345, want = 0;
  int rc = sl_parse_bytes(text, &got), want_rc = expected_bytes(text, &want);
  check(rc == want_rc, "a byte count is accepted exactly when well-formed");
  check(rc != 0 || got == want, "a byte count's value");
  check(rc == 0 || got == 12345, "a refused byte count writes nothing");
}

/* ---- warnings ---- */

static int warnings;

static void warn(const char *msg) {
  warnings++;
  check(strncmp(msg, "spanlog: ", 9) == 0 && strncmp(msg + 9, "spanlog:", 8) != 0, "one \"spanlog: \" prefix");
  check(strchr(msg, '\n') == NULL, "a warning is one line");
}

/* Splits text at its first newline: the second part, or "" if there is none. */
static char *second_line(char *text) {
  char *nl = strchr(text, '\n');
  if (!nl) return text + strlen(text);
  *nl = 0;
  return nl + 1;
}

/* ---- OTEL_RESOURCE_ATTRIBUTES ---- */

static void resource(char *text) {
  char *attrs = second_line(text);
  sl_resource r;
  warnings = 0;
  if (sl_resource_from_strings(&r, text, attrs, "fuzz", "0.0.0", warn) != 0) return; /* no memory */
  check(warnings <= 1, "at most one warning");
  check(r.n >= 1 && strcmp(r.keys[0], "service.name") == 0, "service.name first");
  for (size_t i = 0; i < r.n; i++) {
    check(r.keys[i][0] != 0 && r.values[i] != NULL, "keys are not empty");
    for (size_t k = 0; k < i; k++) check(strcmp(r.keys[i], r.keys[k]) != 0, "no key twice");
  }
  sl_resource_free(&r);
}

/* ---- OTEL_TRACES_SAMPLER ---- */

static void sampler(char *text, const uint8_t *data, size_t size) {
  char *arg = second_line(text);
  sl_sampler s;
  warnings = 0;
  sl_sampler_from_strings(&s, *text ? text : NULL, *arg ? arg : NULL, warn);
  check(warnings <= 2, "at most a warning per variable");
  check(s.ratio >= 0.0 && s.ratio <= 1.0, "a ratio in [0, 1]");
  check(s.bound == sl_sampler_ratio_bound(s.ratio), "the bound of the ratio");
  uint8_t id[16] = {0};
  for (size_t i = 0; i < 16 && i < size; i++) id[i] = data[size - 1 - i];
  int keep = sl_sampler_should_sample(&s, id, size & 1, 0, (size >> 1) & 1);
  check(keep == 0 || keep == 1, "a decision");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  char *text = malloc(size);
  if (!text) return 0;
  memcpy(text, data + 1, size - 1);
  text[size - 1] = 0;
  switch (data[0] % 5) {
  case 0: levels(text); break;
  case 1: redact(text); break;
  case 2: byte_count(text); break;
  case 3: resource(text); break;
  default: sampler(text, data, size); break;
  }
  free(text);
  return 0;
}
