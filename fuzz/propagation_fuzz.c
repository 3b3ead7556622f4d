/* libFuzzer target: W3C Trace Context values (src/capture/propagation.c).
 *
 * Input: lines. The first is a traceparent, the second a tracestate, the rest environment
 * entries. Checked:
 *   - traceparent: what parses has the shape the spec requires (checked here by hand);
 *     parse -> format -> parse gives the same ids and flags, and the formatted text is
 *     version 00, 55 lower-case characters; a reference made from the input's bytes
 *     formats to text that parses back to it.
 *   - tracestate: normalize is NULL exactly when the value is invalid or has no member;
 *     otherwise its result is valid, has no empty member and no blank around a comma, and
 *     normalizing it again changes nothing. What the probability sampler sends on after
 *     deciding (src/capture/sampler.c) is valid too, begins with its th when it sampled,
 *     holds no th in its ot member when it did not, and a second pass changes nothing.
 *   - the environment carrier: exactly one TRACEPARENT (the formatted one), TRACESTATE as
 *     given or absent, every other entry kept in order; BAGGAGE as given or absent.
 * A violation aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/propagation.h"
#include "capture/sampler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_LINES = 16 };

static void check(int ok, const char *what) {
  if (ok) return;
  fprintf(stderr, "propagation_fuzz: %s\n", what);
  abort();
}

static int is_lower_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
  return 1;
}

static int all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

/* What an accepted traceparent must look like, read without the library's code. */
static void check_shape(const char *value, const sl_span_ref *ref) {
  while (*value == ' ' || *value == '\t') value++;
  size_t len = strlen(value);
  while (len && (value[len - 1] == ' ' || value[len - 1] == '\t')) len--;
  check(len >= SL_TRACEPARENT_LEN, "an accepted traceparent is long enough");
  check(is_lower_hex(value, 2) && memcmp(value, "ff", 2) != 0, "a valid version");
  check(memcmp(value, "00", 2) != 0 || len == SL_TRACEPARENT_LEN, "version 00 is exactly 55 characters");
  check(value[2] == '-' && value[35] == '-' && value[52] == '-', "dashes in place");
  check(is_lower_hex(value + 3, 32) && is_lower_hex(value + 36, 16) && is_lower_hex(value + 53, 2),
        "lower-case hex fields");
  check(len == SL_TRACEPARENT_LEN || value[SL_TRACEPARENT_LEN] == '-', "later fields follow a dash");
  check(!all_zero(ref->trace_id, 16) && !all_zero(ref->span_id, 8), "no all-zero id");
  check((ref->flags & ~3u) == 0, "only the known flags");
}

static void check_round_trip(const sl_span_ref *ref) {
  char text[56];
  sl_span_ref again;
  check(sl_span_ref_format(ref, text) == SL_TRACEPARENT_LEN && strlen(text) == SL_TRACEPARENT_LEN,
        "formats to 55 characters");
  check(memcmp(text, "00-", 3) == 0, "formats as version 00");
  check(sl_span_ref_parse(text, &again) == 0, "what is formatted parses");
  check(memcmp(again.trace_id, ref->trace_id, 16) == 0 && memcmp(again.span_id, ref->span_id, 8) == 0 &&
            again.flags == (ref->flags & 3u),
        "parse -> format -> parse is the same reference");
}

static void traceparent(const char *value, const uint8_t *data, size_t size) {
  sl_span_ref ref, untouched;
  memset(&ref, 0xA5, sizeof ref);
  untouched = ref;
  if (sl_span_ref_parse(value, &ref) == 0) {
    check_shape(value, &ref);
    check_round_trip(&ref);
  } else {
    check(memcmp(&ref, &untouched, sizeof ref) == 0, "a refusal leaves the output alone");
  }
  /* Any reference with non-zero ids, from the input's bytes. */
  for (size_t i = 0; i < sizeof ref.trace_id; i++) ref.trace_id[i] = size ? data[i % size] : 0;
  for (size_t i = 0; i < sizeof ref.span_id; i++) ref.span_id[i] = size ? data[(i + 16) % size] : 0;
  ref.trace_id[15] |= 1, ref.span_id[7] |= 1;
  ref.flags = size ? data[size - 1] : 0;
  check_round_trip(&ref);
}

/* A normalized value: members "key=value" joined by single commas. */
static void check_normal_form(const char *n) {
  size_t len = strlen(n);
  check(len > 0 && n[0] != ',' && n[len - 1] != ',' && !strstr(n, ",,"), "no empty member");
  check(!strstr(n, " ,") && !strstr(n, ", ") && !strstr(n, "\t,") && !strstr(n, ",\t"), "no blank around commas");
  check(n[0] != ' ' && n[0] != '\t' && n[len - 1] != ' ' && n[len - 1] != '\t', "no blank around the value");
}

/* Whether the ot member of normalized tracestate t has a th sub-key. */
static int ot_has_th(const char *t) {
  const char *ot = strncmp(t, "ot=", 3) == 0 ? t : strstr(t, ",ot=");
  if (!ot) return 0;
  ot += *ot == ',' ? 4 : 3;
  size_t len = strcspn(ot, ",");
  for (size_t i = 0; i + 3 <= len; i++)
    if ((i == 0 || ot[i - 1] == ';') && memcmp(ot + i, "th:", 3) == 0) return 1;
  return 0;
}

/* The tracestate after the probability sampler (0.25: th:c) decided, from normalized n. */
static void after_decision(const char *n) {
  static sl_sampler s;
  if (!s.threshold) sl_sampler_from_strings(&s, "probability", "0.25", NULL);
  for (int sampled = 0; sampled < 2; sampled++) {
    char *out = sl_sampler_tracestate_after(&s, sampled, n);
    if (!out) continue; /* no memory */
    if (*out) {
      check_normal_form(out);
      check(sl_tracestate_valid(out), "what the sampler sends on is valid");
    }
    if (sampled) check(strncmp(out, "ot=th:c", 7) == 0 && (!out[7] || out[7] == ';' || out[7] == ','),
                       "a kept span's ot member comes first, with its th");
    if (!sampled) check(!ot_has_th(out), "a dropped span's ot member has no th");
    char *again = sl_sampler_tracestate_after(&s, sampled, out);
    check(!again || strcmp(again, out) == 0, "deciding again changes nothing");
    free(again);
    free(out);
  }
}

static void tracestate(const char *value) {
  int valid = sl_tracestate_valid(value);
  char *n = sl_tracestate_normalize(value);
  if (!valid) check(n == NULL, "an invalid tracestate normalizes to nothing");
  if (!n) return;
  check_normal_form(n);
  check(sl_tracestate_valid(n), "a normalized tracestate is valid");
  char *again = sl_tracestate_normalize(n);
  check(again && strcmp(again, n) == 0, "normalizing is idempotent");
  free(again);
  after_decision(n);
  free(n);
}

static int is_trace_entry(const char *e) {
  return (strncmp(e, "TRACEPARENT", 11) == 0 && (!e[11] || e[11] == '=')) ||
         (strncmp(e, "TRACESTATE", 10) == 0 && (!e[10] || e[10] == '='));
}

static size_t count_prefix(char **env, const char *prefix) {
  size_t c = 0;
  for (size_t i = 0; env[i]; i++) c += strncmp(env[i], prefix, strlen(prefix)) == 0;
  return c;
}

static size_t count_trace_entries(char **env) {
  size_t c = 0;
  for (size_t i = 0; env[i]; i++) c += (size_t)is_trace_entry(env[i]);
  return c;
}

static void environment(char **envp, const char *ts) {
  sl_span_ref ref = {{1}, {2}, 1};
  char tp[56];
  sl_span_ref_format(&ref, tp);
  char **env = sl_env_with_trace(envp, &ref, ts);
  check(env != NULL, "the carrier is built");
  check(count_prefix(env, "TRACEPARENT=") == 1, "one TRACEPARENT");
  check(count_prefix(env, "TRACESTATE=") == (*ts ? 1u : 0u), "TRACESTATE when given");
  size_t k = 0;
  for (size_t i = 0; envp[i]; i++) { /* every other entry, in order */
    if (is_trace_entry(envp[i])) continue;
    while (env[k] && is_trace_entry(env[k])) k++;
    check(env[k] && strcmp(env[k], envp[i]) == 0, "other entries kept in order");
    k++;
  }
  for (size_t i = 0; env[i]; i++)
    if (strncmp(env[i], "TRACEPARENT=", 12) == 0) check(strcmp(env[i] + 12, tp) == 0, "the formatted traceparent");
  sl_env_free(env);
  env = sl_env_with_trace(envp, NULL, ts);
  check(env && count_trace_entries(env) == 0, "both removed without a reference");
  sl_env_free(env);
  /* the same line as a baggage value: BAGGAGE once when given, else none */
  env = sl_env_with_trace_baggage(envp, &ref, ts, ts);
  check(env && count_prefix(env, "BAGGAGE=") == (*ts ? 1u : 0u) && count_prefix(env, "TRACEPARENT=") == 1,
        "BAGGAGE when given, next to TRACEPARENT");
  sl_env_free(env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  char *lines[MAX_LINES + 1];
  size_t n = 0;
  if (!text) return 0;
  if (size) memcpy(text, data, size);
  text[size] = 0;
  for (char *s = text; n < MAX_LINES;) {
    lines[n++] = s;
    char *nl = strchr(s, '\n');
    if (!nl) break;
    *nl = 0;
    s = nl + 1;
  }
  lines[n] = NULL;
  traceparent(lines[0], data, size);
  tracestate(n > 1 ? lines[1] : "");
  environment(lines + (n > 2 ? 2 : n), n > 1 ? lines[1] : "");
  free(text);
  return 0;
}
