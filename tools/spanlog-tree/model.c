/* Ownership and naming of the model's records. */
#include "model.h"

#include <stdlib.h>

void span_clear(span *s) {
  free(s->name);
  free(s->status_msg);
  free(s->attrs);
  free(s->model);
  free(s->op);
  free(s->tool);
  free(s->tool_args);
  free(s->error_type);
}

void trace_free(trace *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nspans; i++) span_clear(&t->spans[i]);
  for (size_t i = 0; i < t->nlogs; i++) free(t->logs[i].json);
  free(t->spans);
  free(t->logs);
  free(t);
}

const char *kind_name(int kind) {
  static const char *const names[] = {"internal", "server", "client", "producer", "consumer"};
  return kind >= 0 && kind <= 4 ? names[kind] : NULL;
}

const char *status_name(int status) {
  static const char *const names[] = {"unset", "ok", "error"};
  return status >= 0 && status <= 2 ? names[status] : "unset";
}

void hex_encode(const uint8_t *bytes, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 15];
  }
  out[2 * n] = 0;
}

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool hex_decode(const char *s, size_t n, uint8_t *out, size_t bytes) {
  if (n != 2 * bytes) return false;
  for (size_t i = 0; i < bytes; i++) {
    int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return true;
}

bool all_zero(const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (b[i]) return false;
  return true;
}
