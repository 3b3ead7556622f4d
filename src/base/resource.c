#include "base/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SERVICE_NAME[] = "service.name";

/* OWS as in HTTP and W3C Baggage: spaces and tabs. Narrows [*b, *e). */
static void trim(const char **b, const char **e) {
  while (*b < *e && (**b == ' ' || **b == '\t')) (*b)++;
  while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t')) (*e)--;
}

static char *dup_range(const char *b, const char *e) {
  size_t n = (size_t)(e - b);
  char *s = malloc(n + 1);
  if (s) {
    memcpy(s, b, n);
    s[n] = '\0';
  }
  return s;
}

static char *dup_str(const char *s) { return dup_range(s, s + strlen(s)); }

/* Index of key in r, or r->n when absent. A resource holds a handful of keys, so a linear
   search is cheaper than anything cleverer. */
static size_t find(const sl_resource *r, const char *key) {
  size_t i = 0;
  while (i < r->n && strcmp(r->keys[i], key) != 0) i++;
  return i;
}

/* Adds key=value, taking ownership of both (NULL for either means an allocation failed). A key
   already present keeps its position and gets the new value: "last value, first position".
   Returns 0, or -1 when out of memory (both strings are freed then). */
static int put(sl_resource *r, char *key, char *value) {
  if (!key || !value) goto fail;
  size_t i = find(r, key);
  if (i < r->n) {
    free(r->values[i]);
    r->values[i] = value;
    free(key);
    return 0;
  }
  /* Grow by one: a failed second realloc leaves the first array merely larger than needed. */
  char **keys = realloc(r->keys, (r->n + 1) * sizeof *keys);
  if (!keys) goto fail;
  r->keys = keys;
  char **values = realloc(r->values, (r->n + 1) * sizeof *values);
  if (!values) goto fail;
  r->values = values;
  r->keys[r->n] = key;
  r->values[r->n] = value;
  r->n++;
  return 0;
fail:
  free(key);
  free(value);
  return -1;
}

void sl_resource_free(sl_resource *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->keys[i]);
    free(r->values[i]);
  }
  free(r->keys);
  free(r->values);
  r->n = 0;
  r->keys = r->values = NULL;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Percent-decodes [b, e) into a new string. *bad is set for a '%' not followed by two hex
   digits, and for %00, which a C string cannot carry (keeping a truncated value would be a
   silent change). Returns NULL on either error; !*bad then means out of memory. */
static char *decode(const char *b, const char *e, int *bad) {
  char *out = malloc((size_t)(e - b) + 1), *o = out;
  *bad = 0;
  if (!out) return NULL;
  for (const char *p = b; p < e; p++) {
    if (*p != '%') {
      *o++ = *p;
      continue;
    }
    int hi = e - p > 2 ? hex_digit(p[1]) : -1, lo = hi >= 0 ? hex_digit(p[2]) : -1;
    if (lo < 0 || (hi == 0 && lo == 0)) {
      *bad = 1;
      free(out);
      return NULL;
    }
    *o++ = (char)(hi << 4 | lo);
    p += 2;
  }
  *o = '\0';
  return out;
}

/* Reports why OTEL_RESOURCE_ATTRIBUTES was dropped, quoting the offending member. The text
   comes from the environment: control characters become '?' to keep the report on one line,
   and a long member is cut. */
static void report(void (*warn)(const char *), size_t index, const char *b, const char *e,
                   const char *why) {
  char member[64];
  size_t n = 0;
  if (!warn) return;
  for (const char *p = b; p < e && n < sizeof member - 4; p++)
    member[n++] = ((unsigned char)*p < 0x20 || *p == 0x7f) ? '?' : *p;
  if (b + n < e) { /* cut: mark it */
    memcpy(member + n, "...", 3);
    n += 3;
  }
  member[n] = '\0';
  char msg[256];
  snprintf(msg, sizeof msg,
           "spanlog: ignoring all of OTEL_RESOURCE_ATTRIBUTES: member %zu \"%s\" %s", index,
           member, why);
  warn(msg);
}

/* Parses "k1=v1,k2=v2" into env. Returns 0, 1 when the text is malformed (env is left empty
   and warn was called: the spec says to discard the whole variable on any error), or -1 when
   out of memory. */
static int parse_attributes(sl_resource *env, const char *text, void (*warn)(const char *)) {
  size_t index = 0;
  for (const char *p = text;; p++) {
    const char *end = strchr(p, ','), *b = p, *e;
    if (!end) end = p + strlen(p);
    e = end;
    index++;
    trim(&b, &e);
    if (b < e) { /* an empty member (",," or a trailing ",") carries nothing: skip it */
      const char *eq = memchr(b, '=', (size_t)(e - b)), *why = NULL;
      char *key = NULL, *value = NULL;
      if (!eq) {
        why = "has no '='";
      } else {
        const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
        int bad = 0;
        trim(&kb, &ke);
        trim(&vb, &ve);
        /* Only the first '=' splits: Baggage values may contain a raw '='. */
        if (kb == ke) {
          why = "has an empty key";
        } else {
          key = decode(kb, ke, &bad);
          if (key) value = decode(vb, ve, &bad);
          if (bad) why = "has a bad percent-escape (want %XX, not %00)";
          else if (!value) { /* out of memory */
            free(key);
            return -1;
          }
        }
      }
      if (why) {
        free(key);
        sl_resource_free(env);
        report(warn, index, b, e, why);
        return 1;
      }
      if (put(env, key, value) != 0) return -1;
    }
    if (!*end) return 0;
    p = end;
  }
}

/* "unknown_service:<executable name>" per the service.name convention; the executable name is
   the last path component, as process.executable.name defines it. */
static char *default_service(const char *program_name) {
  static const char prefix[] = "unknown_service";
  const char *base = program_name ? strrchr(program_name, '/') : NULL;
  base = base ? base + 1 : program_name;
  if (!base || !*base) return dup_str(prefix);
  size_t n = strlen(base);
  char *s = malloc(sizeof prefix + 1 + n);
  if (s) {
    memcpy(s, prefix, sizeof prefix - 1);
    s[sizeof prefix - 1] = ':';
    memcpy(s + sizeof prefix, base, n + 1);
  }
  return s;
}

int sl_resource_from_strings(sl_resource *r, const char *service_name,
                             const char *resource_attributes, const char *program_name,
                             const char *sdk_version, void (*warn)(const char *msg)) {
  sl_resource env = {0, NULL, NULL}, out = {0, NULL, NULL};
  r->n = 0;
  r->keys = r->values = NULL;
  if (resource_attributes && *resource_attributes &&
      parse_attributes(&env, resource_attributes, warn) < 0)
    goto oom;

  /* service.name comes first. OTEL_SERVICE_NAME wins; an empty service.name from the variable
     counts as missing (as in OpenTelemetry Python), since an empty name identifies nothing. */
  size_t i = find(&env, SERVICE_NAME);
  char *service;
  if (service_name && *service_name) service = dup_str(service_name);
  else if (i < env.n && *env.values[i]) service = dup_str(env.values[i]);
  else service = default_service(program_name);
  if (put(&out, dup_str(SERVICE_NAME), service) != 0) goto oom;

  /* The variable's pairs, moved over; the keys are already unique. */
  for (i = 0; i < env.n; i++) {
    if (strcmp(env.keys[i], SERVICE_NAME) == 0) continue;
    char *key = env.keys[i], *value = env.values[i];
    env.keys[i] = env.values[i] = NULL; /* put() owns them now, even when it fails */
    if (put(&out, key, value) != 0) goto oom;
  }

  /* The SDK's own attributes are the lowest-priority defaults. */
  const char *sdk[][2] = {{"telemetry.sdk.name", "spanlog"},
                          {"telemetry.sdk.language", "c"},
                          {"telemetry.sdk.version", sdk_version}};
  for (i = 0; i < sizeof sdk / sizeof sdk[0]; i++) {
    if (!sdk[i][1] || find(&out, sdk[i][0]) < out.n) continue;
    if (put(&out, dup_str(sdk[i][0]), dup_str(sdk[i][1])) != 0) goto oom;
  }

  sl_resource_free(&env);
  *r = out;
  return 0;
oom:
  sl_resource_free(&env);
  sl_resource_free(&out);
  return -1;
}
