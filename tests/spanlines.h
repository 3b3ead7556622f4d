/* Reading span lines back for the tests of sampling, limits, GenAI content, the
 * resource, fork and TRACEPARENT (test_sampling*.c, test_span_limits.c,
 * test_genai_*.c, test_span_fork.c, test_env_traceparent.c).
 *
 * Every line goes through the strict parser of jsonl.h (PARSE: a line that does not
 * parse fails the test). Nested values are read by parsing them again: a member's raw
 * text that is an object is itself one strict JSON object, an array is split into its
 * elements, and any value can be decoded as the member of a one-member object. */
#ifndef SPANLINES_H
#define SPANLINES_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <spanlog.h>

#include "check.h"

/* ---- lines in, documents out ---- */

typedef struct doc_list {
  jl_doc **d;
  size_t n, cap;
} doc_list;

static inline void docs_push(doc_list *l, jl_doc *d) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 1024;
    l->d = realloc(l->d, l->cap * sizeof *l->d);
    if (!l->d) abort();
  }
  l->d[l->n++] = d;
}

static inline void docs_free(doc_list *l) {
  for (size_t i = 0; i < l->n; i++) jl_free(l->d[i]);
  free(l->d);
  l->d = NULL;
  l->n = l->cap = 0;
}

/* A span line has start_time; a log record has event. */
static inline int is_span(const jl_doc *d) { return doc_has(d, "start_time"); }

/* The one span line of that name in lines; a failure if there is not exactly one. */
static inline const jl_doc *span_named_in(const doc_list *lines, const char *name, const char *where, int lineno) {
  const jl_doc *found = NULL;
  int count = 0;
  for (size_t i = 0; i < lines->n; i++) {
    const char *n = doc_str(lines->d[i], "name");
    if (is_span(lines->d[i]) && n && strcmp(n, name) == 0) found = lines->d[i], count++;
  }
  if (count != 1) {
    fprintf(stderr, "%s:%d: [%s] %d span lines named %s, want 1\n", where, lineno, check_current, count, name);
    check_failures++;
  }
  return found;
}
#define span_named(name) span_named_in(&lines, (name), __FILE__, __LINE__)

/* The whole content of path, NUL-terminated (NULL if it cannot be read); *len its size. */
static inline char *slurp(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return NULL;
  size_t n = 0, cap = 65536;
  char *buf = malloc(cap);
  ssize_t r;
  while (buf && (r = read(fd, buf + n, cap - n - 1)) > 0) {
    n += (size_t)r;
    if (cap - n < 2) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
  }
  close(fd);
  if (!buf) abort();
  buf[n] = 0;
  if (len) *len = n;
  return buf;
}

/* Parses every line of text[0..len) into out (spans and logs alike). Each line must end
   with a newline (a torn last line fails) and parse; returns the number of lines. */
static inline size_t parse_lines(const char *text, size_t len, doc_list *out, const char *where, int lineno) {
  size_t lines = 0;
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) {
      fprintf(stderr, "%s:%d: [%s] last line has no newline: %.200s\n", where, lineno, check_current, p);
      check_failures++;
      break;
    }
    char err[128];
    jl_doc *d = jl_parse(p, (size_t)(nl - p), err, sizeof err);
    if (!d) {
      fprintf(stderr, "%s:%d: [%s] invalid JSON line (%s): %.*s\n", where, lineno, check_current, err,
              (int)(nl - p), p);
      check_failures++;
    } else {
      docs_push(out, d);
    }
    lines++;
    p = nl + 1;
  }
  return lines;
}
#define PARSE_LINES(text, len, out) parse_lines((text), (len), (out), __FILE__, __LINE__)

/* ---- a file sink read back, for many records ----
 * sl_capture_line flushes on every call; a program that reads tens of thousands of
 * records reads a file instead, after one sl_flush. */

typedef struct sink_file {
  char path[64];
  size_t offset; /* bytes read so far */
  sl_sink *sink;
} sink_file;

/* Adds a file sink (every level) on a new file /tmp/spanlog-NAME-XXXXXX; 0 or -1. */
static inline int sink_file_start(sink_file *f, const char *name) {
  snprintf(f->path, sizeof f->path, "/tmp/spanlog-%s-XXXXXX", name);
  int fd = mkstemp(f->path);
  if (fd < 0) return -1;
  close(fd);
  f->offset = 0;
  f->sink = sl_sink_add_file(f->path, SL_LEVEL_DEBUG);
  return f->sink ? 0 : -1;
}

/* Flushes, then parses what was written since the last call: span lines into spans,
   log records into logs (NULL: into spans too). */
static inline void sink_file_read(sink_file *f, doc_list *spans, doc_list *logs, const char *where, int lineno) {
  sl_flush();
  size_t len;
  char *text = slurp(f->path, &len);
  if (!text || len < f->offset) {
    fprintf(stderr, "%s:%d: [%s] cannot read %s\n", where, lineno, check_current, f->path);
    check_failures++;
    free(text);
    return;
  }
  doc_list all = {0};
  parse_lines(text + f->offset, len - f->offset, &all, where, lineno);
  for (size_t i = 0; i < all.n; i++) docs_push(!logs || is_span(all.d[i]) ? spans : logs, all.d[i]);
  free(all.d);
  f->offset = len;
  free(text);
}
#define SINK_FILE_READ(f, spans, logs) sink_file_read((f), (spans), (logs), __FILE__, __LINE__)

static inline void sink_file_stop(sink_file *f) {
  sl_sink_remove(f->sink);
  unlink(f->path);
}

/* ---- nested values ---- */

/* Any JSON value's text, parsed as the member "v" of {"v":…}: doc_str(d, "v") then
   decodes a string, doc_raw reads it back. NULL if it is no valid value. */
static inline jl_doc *value_doc(const char *raw, size_t n) {
  char *buf = malloc(n + 8);
  if (!buf) abort();
  memcpy(buf, "{\"v\":", 5);
  memcpy(buf + 5, raw, n);
  buf[5 + n] = '}';
  jl_doc *d = jl_parse(buf, n + 6, NULL, 0);
  free(buf);
  return d;
}

/* The object that is key's value in d, as a document of its own; NULL if key is absent
   or not an object. */
static inline jl_doc *sub_object(const jl_doc *d, const char *key) {
  long i = d ? jl_find(d, key) : -1;
  if (i < 0 || jl_type(d, (size_t)i) != JL_OBJECT) return NULL;
  size_t n;
  const char *raw = jl_raw(d, (size_t)i, &n);
  return jl_parse(raw, n, NULL, 0);
}

/* The decoded string of key in d with its length (it may hold NUL bytes), or NULL. */
static inline const char *doc_strn(const jl_doc *d, const char *key, size_t *len) {
  long i = d ? jl_find(d, key) : -1;
  return i < 0 ? NULL : jl_str(d, (size_t)i, len);
}

/* The type of key's value in d (JL_*), 0 if absent. */
static inline int doc_type(const jl_doc *d, const char *key) {
  long i = d ? jl_find(d, key) : -1;
  return i < 0 ? 0 : jl_type(d, (size_t)i);
}

/* Splits an array's raw text (already checked by the strict parser) into its elements:
   elem[k], elen[k] for k < the returned count (at most max); -1 if raw is not an array. */
static inline long array_elems(const char *raw, size_t n, const char **elem, size_t *elen, size_t max) {
  while (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t')) n--;
  if (n < 2 || raw[0] != '[' || raw[n - 1] != ']') return -1;
  size_t count = 0, i = 1, start = 1;
  int depth = 0, in_str = 0;
  for (; i < n - 1; i++) {
    char c = raw[i];
    if (in_str) {
      if (c == '\\') i++;
      else if (c == '"') in_str = 0;
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '[' || c == '{') {
      depth++;
    } else if (c == ']' || c == '}') {
      depth--;
    } else if (c == ',' && depth == 0) {
      if (count < max) elem[count] = raw + start, elen[count] = i - start;
      count++;
      start = i + 1;
    }
  }
  size_t last = n - 1 - start;
  const char *p = raw + start;
  while (last && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++, last--;
  if (last) {
    if (count < max) elem[count] = p, elen[count] = last;
    count++;
  }
  return (long)(count < max ? count : max);
}

/* The elements of key's array value in d, as above; -1 if absent or not an array. */
static inline long doc_array(const jl_doc *d, const char *key, const char **elem, size_t *elen, size_t max) {
  long i = d ? jl_find(d, key) : -1;
  if (i < 0 || jl_type(d, (size_t)i) != JL_ARRAY) return -1;
  size_t n;
  const char *raw = jl_raw(d, (size_t)i, &n);
  return array_elems(raw, n, elem, elen, max);
}

/* ---- text ---- */

/* Whether s[0..n) is valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF);
   *chars receives the number of code points. */
static inline int utf8_valid(const char *s, size_t n, size_t *chars) {
  const unsigned char *p = (const unsigned char *)s;
  size_t count = 0;
  for (size_t i = 0; i < n; count++) {
    unsigned c = p[i];
    size_t k;
    uint32_t cp;
    if (c < 0x80) k = 1, cp = c;
    else if (c >= 0xC2 && c <= 0xDF) k = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) k = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) k = 4, cp = c & 0x07;
    else return 0;
    if (i + k > n) return 0;
    for (size_t j = 1; j < k; j++) {
      if ((p[i + j] & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (p[i + j] & 0x3F);
    }
    if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += k;
  }
  if (chars) *chars = count;
  return 1;
}

/* 32 (trace) or 16 (span) lower-case hex digits into bytes; 0, or -1 for anything else. */
static inline int hex_bytes(const char *hex, uint8_t *out, size_t nbytes) {
  if (!hex || strlen(hex) != 2 * nbytes) return -1;
  for (size_t i = 0; i < 2 * nbytes; i++) {
    char c = hex[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return -1;
    if (i % 2 == 0) out[i / 2] = (uint8_t)(v << 4);
    else out[i / 2] |= (uint8_t)v;
  }
  return 0;
}

static inline int cmp_str_ptr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#endif
