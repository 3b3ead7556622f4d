/* The capture sink: keeps rendered lines in memory for a program's own tests. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/memory_sink.h"

int sl_memory_capture_take(sl_capture *cap, const char *line, size_t len) {
  if (cap->n == cap->cap) {
    size_t ncap = cap->cap ? cap->cap * 2 : 64;
    char **lines = realloc(cap->lines, ncap * sizeof *lines);
    if (lines) cap->lines = lines;
    size_t *lens = realloc(cap->lens, ncap * sizeof *lens);
    if (lens) cap->lens = lens;
    if (!lines || !lens) return 1;
    cap->cap = ncap;
  }
  char *copy = malloc(len + 1);
  if (!copy) return 1;
  memcpy(copy, line, len);
  copy[len] = 0;
  cap->lines[cap->n] = copy;
  cap->lens[cap->n++] = len;
  return 0;
}

sl_capture *sl_memory_capture_new(int min_level) {
  sl_capture *cap = calloc(1, sizeof *cap);
  sl_sink *s = calloc(1, sizeof *s);
  char *name = strdup("capture");
  if (!cap || !s || !name) {
    free(cap), free(s), free(name);
    errno = ENOMEM;
    return NULL;
  }
  s->kind = SINK_MEMORY;
  s->format = SL_FORMAT_JSON; /* what sl_memory_capture_field reads */
  s->name = name;
  s->min_level = min_level;
  s->capture = cap;
  cap->sink = s;
  return cap;
}

/* Skips one JSON value of a line spanlog rendered (so known to be valid); returns the
   position after it. */
static const char *skip_value(const char *p) {
  int depth = 0;
  do {
    if (*p == '"') {
      for (p++; *p != '"'; p++)
        if (*p == '\\') p++;
      p++;
    } else if (*p == '{' || *p == '[') {
      depth++, p++;
    } else if (*p == '}' || *p == ']') {
      depth--, p++;
    } else if (depth > 0 && (*p == ',' || *p == ':')) {
      p++; /* between members of a nested value */
    } else {
      while (*p && !strchr(",:{}[]\"", *p)) p++; /* a number, true, false or null */
    }
  } while (depth > 0 && *p);
  return p;
}

/* Compares a JSON string literal at p (escaped) with key: spanlog escapes only what it
   must, so a key without quotes, backslashes or control characters appears verbatim. */
static int key_matches(const char *p, const char *end, const char *key) {
  size_t n = strlen(key);
  return (size_t)(end - p) == n + 2 && memcmp(p + 1, key, n) == 0;
}

const char *sl_memory_capture_field(const sl_capture *cap, size_t i, const char *key, size_t *len) {
  const char *line = i < cap->n ? cap->lines[i] : NULL;
  if (!line || !key) return NULL;
  for (const char *p = line + 1; *p == '"';) {
    const char *key_end = skip_value(p);
    const char *value = key_end + 1; /* after ':' */
    const char *value_end = skip_value(value);
    if (key_matches(p, key_end, key)) {
      if (len) *len = (size_t)(value_end - value);
      return value;
    }
    p = *value_end == ',' ? value_end + 1 : value_end;
  }
  return NULL;
}

void sl_memory_capture_clear(sl_capture *cap) {
  for (size_t i = 0; i < cap->n; i++) free(cap->lines[i]);
  cap->n = 0;
}

void sl_memory_capture_free(sl_capture *cap) {
  sl_memory_capture_clear(cap);
  free(cap->lines);
  free(cap->lens);
  free(cap);
}
