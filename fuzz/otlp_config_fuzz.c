/* libFuzzer target: the OTLP settings parsers. The input is lines; the first three are
 * parsed directly as a headers variable, a base endpoint and a signal endpoint (and as URLs),
 * and every line of the form NAME=value also becomes the environment of a whole
 * sl_otlp_config_load. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exporters/http.h"
#include "exporters/otlp_config.h"

enum { MAX_LINES = 32 };

typedef struct lines {
  char *v[MAX_LINES];
  int n;
} lines;

static void check(int cond) {
  if (!cond) abort();
}

static const char *lookup(void *ctx, const char *name) {
  lines *l = ctx;
  size_t n = strlen(name);
  for (int i = 0; i < l->n; i++)
    if (strncmp(l->v[i], name, n) == 0 && l->v[i][n] == '=') return l->v[i] + n + 1;
  return NULL;
}

static void quiet(void *ctx, const char *msg) {
  (void)ctx;
  check(strncmp(msg, "spanlog: ", 9) == 0);
}

static void headers(const char *text) {
  sl_otlp_headers h;
  char why[200];
  if (sl_otlp_headers_parse(text, &h, why, sizeof why) == 0) {
    for (size_t i = 0; i < h.n; i++) check(sl_http_header_ok(h.v[i].name, h.v[i].value));
  } else {
    check(h.n == 0);
  }
  sl_otlp_headers_free(&h);
}

static void endpoints(const char *base, const char *own) {
  char why[300];
  sl_url u;
  for (int sig = 0; sig < 2; sig++) {
    char *e = sl_otlp_endpoint(base, own, (sl_otlp_signal)sig, why, sizeof why);
    if (e) { /* whatever it builds, the client must accept */
      check(sl_url_parse(e, &u, why, sizeof why) == 0);
      sl_url_free(&u);
    }
    free(e);
  }
  if (sl_url_parse(base, &u, why, sizeof why) == 0) check(u.target[0] == '/' && u.port);
  sl_url_free(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  lines l = {{NULL}, 0};
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  for (char *s = text; l.n < MAX_LINES;) {
    l.v[l.n++] = s;
    char *nl = strchr(s, '\n');
    if (!nl) break;
    *nl = '\0';
    s = nl + 1;
  }
  headers(l.v[0]);
  endpoints(l.v[0], l.n > 1 ? l.v[1] : NULL);
  if (l.n > 2) endpoints(l.v[1], l.v[2]);
  sl_otlp_config c;
  sl_otlp_env env = {lookup, quiet, &l};
  if (sl_otlp_config_load(&c, &env) == 0) {
    for (int i = 0; i < 2; i++) {
      const sl_otlp_signal_config *s = &c.signal[i];
      check(!s->otlp_on || s->endpoint);
      check(s->batch.max_export_batch_size <= s->batch.max_queue_size);
    }
    sl_otlp_config_free(&c);
  }
  free(text);
  return 0;
}
