/* The capture sink: keeps rendered lines in memory for a program's own tests. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle/runtime.h"
#include "sinks/sink.h"
#include "spanlog/testing.h"

struct sl_capture {
  sl_sink *sink;
  char **lines; /* NUL-terminated copies, without the newline */
  size_t *lens;
  size_t n, cap;
};

void sl_capture_take(sl_capture *cap, const char *line, size_t len) {
  if (cap->n == cap->cap) {
    size_t ncap = cap->cap ? cap->cap * 2 : 64;
    char **lines = realloc(cap->lines, ncap * sizeof *lines);
    if (lines) cap->lines = lines;
    size_t *lens = realloc(cap->lens, ncap * sizeof *lens);
    if (lens) cap->lens = lens;
    if (!lines || !lens) {
      atomic_fetch_add(&sl_rt.dropped, 1);
      return;
    }
    cap->cap = ncap;
  }
  char *copy = malloc(len + 1);
  if (!copy) {
    atomic_fetch_add(&sl_rt.dropped, 1);
    return;
  }
  memcpy(copy, line, len);
  copy[len] = 0;
  cap->lines[cap->n] = copy;
  cap->lens[cap->n++] = len;
}

sl_capture *sl_capture_start(sl_level min_level) {
  sl_capture *cap = calloc(1, sizeof *cap);
  sl_sink *s = calloc(1, sizeof *s);
  char *name = strdup("capture");
  if (!cap || !s || !name) {
    free(cap), free(s), free(name);
    errno = ENOMEM;
    return NULL;
  }
  s->kind = SINK_MEMORY;
  s->format = SL_FORMAT_JSON; /* what sl_capture_field reads */
  s->name = name;
  s->min_level = min_level;
  s->capture = cap;
  cap->sink = s;
  sl_flush(); /* a capture holds the records made after it starts */
  sl_runtime_lock_config();
  sl_sink_link(s);
  sl_runtime_unlock_config();
  return cap;
}

size_t sl_capture_count(sl_capture *cap) {
  sl_flush();
  sl_runtime_lock_config();
  size_t n = cap->n;
  sl_runtime_unlock_config();
  return n;
}

const char *sl_capture_line(sl_capture *cap, size_t i) {
  sl_flush();
  sl_runtime_lock_config();
  const char *line = i < cap->n ? cap->lines[i] : NULL;
  sl_runtime_unlock_config();
  return line;
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

const char *sl_capture_field(sl_capture *cap, size_t i, const char *key, size_t *len) {
  const char *line = sl_capture_line(cap, i);
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

static void free_lines(sl_capture *cap) {
  for (size_t i = 0; i < cap->n; i++) free(cap->lines[i]);
  cap->n = 0;
}

void sl_capture_clear(sl_capture *cap) {
  sl_flush();
  sl_runtime_lock_config();
  free_lines(cap);
  sl_runtime_unlock_config();
}

void sl_capture_stop(sl_capture *cap) {
  if (!cap) return;
  sl_flush();
  sl_runtime_lock_config();
  sl_sink_unlink_free(cap->sink);
  sl_runtime_unlock_config();
  free_lines(cap);
  free(cap->lines);
  free(cap->lens);
  free(cap);
}
