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
    sl_json **parsed = realloc(cap->parsed, ncap * sizeof *parsed);
    if (parsed) cap->parsed = parsed;
    if (!lines || !lens || !parsed) return 1;
    memset(parsed + cap->cap, 0, (ncap - cap->cap) * sizeof *parsed);
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

const sl_json *sl_memory_capture_parsed(sl_capture *cap, size_t i) {
  if (i >= cap->n) return NULL;
  if (!cap->parsed[i]) cap->parsed[i] = sl_json_parse(cap->lines[i], cap->lens[i], NULL);
  return cap->parsed[i];
}

int sl_memory_capture_is_span(const sl_json *line) {
  return sl_json_member(line, "start_time") && !sl_json_member(line, "event");
}

long sl_memory_capture_find_spans(sl_capture *cap) {
  for (; cap->scanned < cap->n; cap->scanned++) {
    const sl_json *line = sl_memory_capture_parsed(cap, cap->scanned);
    if (!line || !sl_memory_capture_is_span(line)) continue; /* a line that cannot be parsed is no span */
    if (cap->nspans == cap->spans_cap) {
      size_t ncap = cap->spans_cap ? cap->spans_cap * 2 : 16;
      size_t *spans = realloc(cap->spans, ncap * sizeof *spans);
      if (!spans) return -1;
      cap->spans = spans, cap->spans_cap = ncap;
    }
    cap->spans[cap->nspans++] = cap->scanned;
  }
  return (long)cap->nspans;
}

void sl_memory_capture_clear(sl_capture *cap) {
  for (size_t i = 0; i < cap->n; i++) {
    free(cap->lines[i]);
    sl_json_free(cap->parsed[i]);
    cap->parsed[i] = NULL;
  }
  cap->n = cap->nspans = cap->scanned = 0;
}

void sl_memory_capture_free(sl_capture *cap) {
  sl_memory_capture_clear(cap);
  free(cap->lines);
  free(cap->lens);
  free(cap->parsed);
  free(cap->spans);
  free(cap);
}
