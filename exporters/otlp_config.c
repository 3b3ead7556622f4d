/* See otlp_config.h. Names and defaults: SPEC-NOTES §5 (configuration/sdk-environment-
 * variables.md, protocol/exporter.md). */
#include "exporters/otlp_config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/common.h"
#include "base/parse.h"
#include "exporters/http.h"

#define DEFAULT_BASE "http://localhost:4318"
#define QUEUE_LIMIT (1u << 24) /* a queue bigger than this is a typo, not a plan */

static const char *const signal_upper[2] = {"TRACES", "LOGS"};

/* ---- The environment and the messages ---- */

static const char *env_get(const sl_otlp_env *e, const char *name) {
  const char *v = e->get ? e->get(e->ctx, name) : getenv(name);
  return v && *v ? v : NULL; /* the spec: empty means unset */
}

static void warn(const sl_otlp_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(const sl_otlp_env *e, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (e->warn) e->warn(e->ctx, msg);
  else sl_diag("%s", msg);
}

static int word_is(const char *v, const char *word) { return sl_word_eq(v, strlen(v), word); }

/* An unsigned decimal with optional spaces around it. */
static int parse_u32(const char *v, uint32_t *out) {
  while (*v == ' ' || *v == '\t') v++;
  size_t n = strspn(v, "0123456789");
  const char *rest = v + n;
  while (*rest == ' ' || *rest == '\t') rest++;
  if (n == 0 || n > 10 || *rest) return -1;
  unsigned long long x = strtoull(v, NULL, 10);
  if (x > UINT32_MAX) return -1;
  *out = (uint32_t)x;
  return 0;
}

/* Reads NAME as an integer in [min, max] into *out; a bad value keeps *out. 1 if it was set. */
static int read_u32(const sl_otlp_env *e, const char *name, uint32_t min, uint32_t max,
                    uint32_t *out) {
  const char *v = env_get(e, name);
  uint32_t x;
  if (!v) return 0;
  if (parse_u32(v, &x) == 0 && x >= min && x <= max) {
    *out = x;
    return 1;
  }
  warn(e, "spanlog: ignoring %s=%s: expected a whole number from %u to %u; using %u", name, v,
       (unsigned)min, (unsigned)max, (unsigned)*out);
  return 0;
}

/* ---- Exporter lists ---- */

static unsigned exporter_bit(const char *w, size_t n) {
  if (sl_word_eq(w, n, "otlp")) return SL_EXPORTER_OTLP;
  if (sl_word_eq(w, n, "console")) return SL_EXPORTER_CONSOLE;
  if (sl_word_eq(w, n, "otlp_file") || sl_word_eq(w, n, "otlp/file")) return SL_EXPORTER_OTLP_FILE;
  if (sl_word_eq(w, n, "otlp/stdout")) return SL_EXPORTER_OTLP_STDOUT;
  return 0;
}

static unsigned exporters_from(const sl_otlp_env *e, const char *name) {
  const char *v = env_get(e, name);
  unsigned bits = 0;
  int none = 0;
  for (const char *s = v; s && *s;) {
    s += strspn(s, " \t,");
    size_t n = strcspn(s, ",");
    size_t k = n;
    while (k && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    unsigned b = k ? exporter_bit(s, k) : 0;
    if (k && sl_word_eq(s, k, "none")) none = 1;
    else if (k && !b)
      warn(e, "spanlog: ignoring \"%.*s\" in %s=%s: unknown exporter (known: otlp, console, "
              "otlp_file, otlp/stdout, none)", (int)k, s, name, v);
    bits |= b;
    s += n;
  }
  if (none && bits) {
    warn(e, "spanlog: ignoring %s=%s: none cannot be combined with other exporters; no "
            "exporter for this signal", name, v);
    return 0;
  }
  return bits;
}

/* ---- Headers ---- */

void sl_otlp_headers_free(sl_otlp_headers *h) {
  for (size_t i = 0; i < h->n; i++) free(h->v[i].name), free(h->v[i].value);
  free(h->v);
  h->v = NULL, h->n = 0;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Trims spaces and tabs and percent-decodes [b, e). NULL with *bad set on a bad escape. */
static char *decode(const char *b, const char *e, int *bad) {
  while (b < e && (*b == ' ' || *b == '\t')) b++;
  while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
  char *out = malloc((size_t)(e - b) + 1), *o = out;
  if (!out) return NULL;
  for (; b < e; b++) {
    int hi, lo;
    if (*b != '%') {
      *o++ = *b;
      continue;
    }
    if (e - b < 3 || (hi = hexval(b[1])) < 0 || (lo = hexval(b[2])) < 0 || (hi | lo) == 0) {
      free(out);
      *bad = 1;
      return NULL;
    }
    *o++ = (char)(hi * 16 + lo);
    b += 2;
  }
  *o = '\0';
  return out;
}

static int reserved_header(const char *name) {
  static const char *const owned[] = {"content-length", "transfer-encoding", "host",
                                      "connection", "content-type", "content-encoding"};
  for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
    if (word_is(name, owned[i])) return 1;
  return 0;
}

static int find_header(const sl_otlp_headers *h, const char *name) {
  for (size_t i = 0; i < h->n; i++)
    if (strcasecmp(name, h->v[i].name) == 0) return (int)i;
  return -1;
}

/* Takes ownership of name and value. */
static int put_header(sl_otlp_headers *h, char *name, char *value) {
  int at = find_header(h, name);
  if (at >= 0) {
    free(h->v[at].name), free(h->v[at].value);
    h->v[at].name = name, h->v[at].value = value;
    return 0;
  }
  sl_otlp_header *v = realloc(h->v, (h->n + 1) * sizeof *v);
  if (!v) return free(name), free(value), -1;
  h->v = v;
  h->v[h->n].name = name, h->v[h->n].value = value;
  h->n++;
  return 0;
}

static int member(const char *s, size_t n, int index, sl_otlp_headers *out, char *why,
                  size_t why_len) {
  const char *eq = memchr(s, '=', n);
  int bad = 0;
  if (!eq) return snprintf(why, why_len, "member %d has no '='", index), -1;
  char *name = decode(s, eq, &bad), *value = decode(eq + 1, s + n, &bad);
  const char *reason = bad ? "has a bad percent-escape (want %XX, not %00)"
                       : !name || !value ? NULL
                       : !sl_http_header_ok(name, value)
                           ? "is not a valid HTTP header name and value"
                       : reserved_header(name) ? "names a header the exporter sets itself"
                                               : NULL;
  if (!bad && (!name || !value)) return free(name), free(value), -2;
  if (reason) {
    if (name && sl_http_header_ok(name, "")) /* a name is no secret; the value may be */
      snprintf(why, why_len, "member %d (%s) %s", index, name, reason);
    else snprintf(why, why_len, "member %d %s", index, reason);
    return free(name), free(value), -1;
  }
  return put_header(out, name, value) ? -2 : 0;
}

int sl_otlp_headers_parse(const char *text, sl_otlp_headers *out, char *why, size_t why_len) {
  int index = 0;
  out->v = NULL, out->n = 0;
  for (const char *s = text; s && *s;) {
    size_t n = strcspn(s, ",");
    size_t blank = strspn(s, " \t");
    if (blank < n) { /* an empty member (",," or a trailing ",") is skipped */
      int r = member(s, n, ++index, out, why, why_len);
      if (r) {
        sl_otlp_headers_free(out);
        return r;
      }
    }
    s += n + (s[n] == ',');
  }
  return 0;
}

int sl_otlp_headers_merge(sl_otlp_headers *base, const sl_otlp_headers *over) {
  for (size_t i = 0; i < over->n; i++) {
    char *name = strdup(over->v[i].name), *value = strdup(over->v[i].value);
    if (!name || !value) return free(name), free(value), -1;
    if (put_header(base, name, value)) return -1;
  }
  return 0;
}

/* ---- Endpoints ---- */

static char *join3(const char *a, size_t an, const char *b, const char *c) {
  size_t bn = strlen(b), cn = strlen(c);
  char *out = malloc(an + bn + cn + 1);
  if (!out) return NULL;
  memcpy(out, a, an);
  memcpy(out + an, b, bn);
  memcpy(out + an + bn, c, cn + 1);
  return out;
}

char *sl_otlp_endpoint(const char *base, const char *signal_endpoint, sl_otlp_signal sig,
                       char *why, size_t why_len) {
  const char *url = signal_endpoint ? signal_endpoint : base ? base : DEFAULT_BASE;
  sl_url u;
  if (sl_url_parse(url, &u, why, why_len)) return NULL;
  sl_url_free(&u);
  const char *auth = url + 7; /* sl_url_parse accepted "http://" in any case */
  size_t path_at = (size_t)(auth - url) + strcspn(auth, "/?");
  const char *query = url + path_at + strcspn(url + path_at, "?");
  char *out;
  if (signal_endpoint) { /* as given; "/" when it has no path */
    out = url[path_at] == '/' ? strdup(url) : join3(url, path_at, "/", url + path_at);
  } else {
    size_t upto = (size_t)(query - url);
    const char *suffix = sig == SL_OTLP_LOGS ? "v1/logs" : "v1/traces";
    char *head = join3(url, upto, upto > path_at && url[upto - 1] == '/' ? "" : "/", suffix);
    out = head ? join3(head, strlen(head), query, "") : NULL;
    free(head);
  }
  if (!out) snprintf(why, why_len, "out of memory");
  return out;
}

/* ---- Defaults ---- */

static void batch_defaults(sl_otlp_batch *b, sl_otlp_signal sig) {
  b->schedule_delay_ms = sig == SL_OTLP_LOGS ? 1000 : 5000;
  b->export_timeout_ms = 30000;
  b->max_queue_size = 2048;
  b->max_export_batch_size = 512;
}

void sl_otlp_signal_defaults(sl_otlp_signal_config *s, sl_otlp_signal sig) {
  memset(s, 0, sizeof *s);
  s->protocol = SL_OTLP_HTTP_PROTOBUF;
  s->timeout_ms = 10000;
  s->compression = SL_OTLP_COMPRESS_NONE;
  batch_defaults(&s->batch, sig);
}

void sl_otlp_config_free(sl_otlp_config *c) {
  for (int i = 0; i < 2; i++) {
    free(c->signal[i].endpoint);
    sl_otlp_headers_free(&c->signal[i].headers);
  }
  memset(c, 0, sizeof *c);
}

/* ---- Settings shared by both signals (OTEL_EXPORTER_OTLP_*), judged once ---- */

enum { PROTO_UNSET = -1, PROTO_REFUSED = -2 };

typedef struct shared {
  int protocol;          /* sl_otlp_protocol, PROTO_UNSET or PROTO_REFUSED */
  int compression;       /* sl_otlp_compression or -1 */
  int have_timeout;
  uint32_t timeout_ms;
  const char *base;      /* OTEL_EXPORTER_OTLP_ENDPOINT, or NULL */
  int base_bad;
  sl_otlp_headers headers;
  int headers_bad;
} shared;

/* What a refused value costs: the signal's export, or for a shared variable, the export of
   the signals that have no variable of their own instead. */
static const char *off_note(int sig) {
  return sig == 0   ? "; OTLP export of traces off"
         : sig == 1 ? "; OTLP export of logs off"
         : sig == 2 ? "; OTLP export off"
                    : "; OTLP export off where no per-signal variable takes its place";
}

static int protocol_from(const sl_otlp_env *e, const char *name, int sig) {
  const char *v = env_get(e, name);
  if (!v) return PROTO_UNSET;
  if (word_is(v, "http/protobuf")) return SL_OTLP_HTTP_PROTOBUF;
  if (word_is(v, "http/json")) return SL_OTLP_HTTP_JSON;
  if (word_is(v, "grpc")) {
    warn(e, "spanlog: ignoring %s=%s: gRPC is not built into spanlog; set it to http/protobuf "
            "(port 4318) or run an OpenTelemetry Collector that takes OTLP/HTTP and forwards "
            "over gRPC%s", name, v, off_note(sig));
    return PROTO_REFUSED;
  }
  warn(e, "spanlog: ignoring %s=%s: expected http/protobuf or http/json", name, v);
  return PROTO_UNSET;
}

static int compression_from(const sl_otlp_env *e, const char *name) {
  const char *v = env_get(e, name);
  if (!v) return -1;
  if (word_is(v, "gzip")) return SL_OTLP_COMPRESS_GZIP;
  if (word_is(v, "none")) return SL_OTLP_COMPRESS_NONE;
  warn(e, "spanlog: ignoring %s=%s: expected gzip or none", name, v);
  return -1;
}

static int headers_from(const sl_otlp_env *e, const char *name, sl_otlp_headers *h, int sig) {
  const char *v = env_get(e, name);
  char why[200];
  h->v = NULL, h->n = 0;
  if (!v) return 0;
  int r = sl_otlp_headers_parse(v, h, why, sizeof why);
  if (r == -1)
    warn(e, "spanlog: ignoring %s (value not shown, it may hold a key): %s%s", name, why,
         off_note(sig));
  return r;
}

static int shared_load(const sl_otlp_env *e, shared *g) {
  char why[300];
  memset(g, 0, sizeof *g);
  g->protocol = protocol_from(e, "OTEL_EXPORTER_OTLP_PROTOCOL", -1);
  g->compression = compression_from(e, "OTEL_EXPORTER_OTLP_COMPRESSION");
  g->timeout_ms = 10000;
  g->have_timeout = read_u32(e, "OTEL_EXPORTER_OTLP_TIMEOUT", 0, UINT32_MAX, &g->timeout_ms);
  g->base = env_get(e, "OTEL_EXPORTER_OTLP_ENDPOINT");
  char *probe = g->base ? sl_otlp_endpoint(g->base, NULL, SL_OTLP_TRACES, why, sizeof why) : NULL;
  if (g->base && !probe) {
    warn(e, "spanlog: ignoring OTEL_EXPORTER_OTLP_ENDPOINT=%s: %s%s", g->base, why, off_note(-1));
    g->base_bad = 1;
  }
  free(probe);
  int r = headers_from(e, "OTEL_EXPORTER_OTLP_HEADERS", &g->headers, 2); /* merged into both */
  g->headers_bad = r == -1;
  return r == -2 ? -1 : 0;
}

/* ---- One signal ---- */

static void name_of(char *buf, size_t n, const char *what, int sig) {
  snprintf(buf, n, "OTEL_EXPORTER_OTLP_%s_%s", signal_upper[sig], what);
}

static int signal_transport(const sl_otlp_env *e, const shared *g, sl_otlp_signal_config *s,
                            int sig) {
  char name[64], why[300];
  int ok = 1;
  name_of(name, sizeof name, "PROTOCOL", sig);
  int proto = protocol_from(e, name, sig);
  if (proto == PROTO_UNSET) proto = g->protocol;
  if (proto == PROTO_REFUSED) ok = 0;
  else if (proto != PROTO_UNSET) s->protocol = (sl_otlp_protocol)proto;

  name_of(name, sizeof name, "COMPRESSION", sig);
  int comp = compression_from(e, name);
  if (comp < 0) comp = g->compression;
  if (comp >= 0) s->compression = (sl_otlp_compression)comp;

  s->timeout_ms = g->timeout_ms;
  name_of(name, sizeof name, "TIMEOUT", sig);
  read_u32(e, name, 0, UINT32_MAX, &s->timeout_ms);

  name_of(name, sizeof name, "ENDPOINT", sig);
  const char *own = env_get(e, name);
  if (own || !g->base_bad) {
    s->endpoint = sl_otlp_endpoint(g->base, own, (sl_otlp_signal)sig, why, sizeof why);
    if (!s->endpoint)
      warn(e, "spanlog: ignoring %s=%s: %s%s", own ? name : "OTEL_EXPORTER_OTLP_ENDPOINT",
           own ? own : g->base ? g->base : DEFAULT_BASE, why, off_note(sig));
  }
  if (!s->endpoint) ok = 0;
  return ok;
}

static int signal_headers(const sl_otlp_env *e, const shared *g, sl_otlp_signal_config *s,
                          int sig) {
  char name[64];
  sl_otlp_headers own;
  name_of(name, sizeof name, "HEADERS", sig);
  int r = headers_from(e, name, &own, sig);
  if (r == -2) return -2;
  if (r == -1 || g->headers_bad) {
    sl_otlp_headers_free(&own);
    return -1;
  }
  /* Per-signal headers win name by name over the shared ones (the spec: the signal's setting
     takes precedence), so a shared Authorization survives a per-signal extra header. */
  r = sl_otlp_headers_merge(&s->headers, &g->headers) || sl_otlp_headers_merge(&s->headers, &own);
  sl_otlp_headers_free(&own);
  return r ? -2 : 0;
}

static void batch_load(const sl_otlp_env *e, sl_otlp_batch *b, int sig) {
  const char *p = sig == SL_OTLP_LOGS ? "OTEL_BLRP_" : "OTEL_BSP_";
  char name[64];
  snprintf(name, sizeof name, "%sSCHEDULE_DELAY", p);
  read_u32(e, name, 1, UINT32_MAX, &b->schedule_delay_ms);
  snprintf(name, sizeof name, "%sEXPORT_TIMEOUT", p);
  read_u32(e, name, 0, UINT32_MAX, &b->export_timeout_ms);
  snprintf(name, sizeof name, "%sMAX_QUEUE_SIZE", p);
  read_u32(e, name, 1, QUEUE_LIMIT, &b->max_queue_size);
  snprintf(name, sizeof name, "%sMAX_EXPORT_BATCH_SIZE", p);
  int set = read_u32(e, name, 1, QUEUE_LIMIT, &b->max_export_batch_size);
  if (b->max_export_batch_size > b->max_queue_size) {
    if (set)
      warn(e, "spanlog: ignoring %s=%u: larger than the queue (%sMAX_QUEUE_SIZE=%u); using %u",
           name, (unsigned)b->max_export_batch_size, p, (unsigned)b->max_queue_size,
           (unsigned)b->max_queue_size);
    b->max_export_batch_size = b->max_queue_size; /* the spec: at most the queue size */
  }
}

static int signal_load(const sl_otlp_env *e, const shared *g, sl_otlp_signal_config *s, int sig) {
  unsigned exporters = s->exporters;
  sl_otlp_signal_defaults(s, (sl_otlp_signal)sig);
  s->exporters = exporters;
  if (!exporters) return 0;
  batch_load(e, &s->batch, sig);
  if (!(exporters & SL_EXPORTER_OTLP)) return 0;
  int ok = signal_transport(e, g, s, sig);
  int h = signal_headers(e, g, s, sig);
  if (h == -2) return -1;
  s->otlp_on = ok && h == 0;
  return 0;
}

/* ---- spanlog's own variables and the whole ---- */

static void spanlog_vars(const sl_otlp_env *e, sl_otlp_config *c) {
  const char *v = env_get(e, "SPANLOG_OTLP_QUEUE_FULL");
  if (v && word_is(v, "block")) c->queue_full = SL_OTLP_QUEUE_BLOCK;
  else if (v && !word_is(v, "drop"))
    warn(e, "spanlog: ignoring SPANLOG_OTLP_QUEUE_FULL=%s: expected drop or block; using drop", v);
  v = env_get(e, "SPANLOG_OTLP_PROFILE");
  if (v && word_is(v, "langfuse")) c->profile = SL_OTLP_PROFILE_LANGFUSE;
  else if (v && word_is(v, "openinference")) c->profile = SL_OTLP_PROFILE_OPENINFERENCE;
  else if (v && !word_is(v, "none"))
    warn(e, "spanlog: ignoring SPANLOG_OTLP_PROFILE=%s: expected langfuse, openinference or "
            "none", v);
}

static int sdk_disabled(const sl_otlp_env *e) {
  const char *v = env_get(e, "OTEL_SDK_DISABLED");
  if (!v) return 0;
  if (word_is(v, "true")) return 1;
  if (!word_is(v, "false"))
    warn(e, "spanlog: ignoring OTEL_SDK_DISABLED=%s: only true disables; treated as false", v);
  return 0;
}

int sl_otlp_config_load(sl_otlp_config *c, const sl_otlp_env *env) {
  static const sl_otlp_env plain = {NULL, NULL, NULL};
  const sl_otlp_env *e = env ? env : &plain;
  shared g;
  memset(c, 0, sizeof *c);
  for (int i = 0; i < 2; i++) sl_otlp_signal_defaults(&c->signal[i], (sl_otlp_signal)i);
  if ((c->sdk_disabled = sdk_disabled(e))) return 0;
  c->signal[0].exporters = exporters_from(e, "OTEL_TRACES_EXPORTER");
  c->signal[1].exporters = exporters_from(e, "OTEL_LOGS_EXPORTER");
  spanlog_vars(e, c);
  int any_otlp = (c->signal[0].exporters | c->signal[1].exporters) & SL_EXPORTER_OTLP;
  memset(&g, 0, sizeof g);
  int r = any_otlp ? shared_load(e, &g) : 0;
  for (int i = 0; i < 2 && r == 0; i++) r = signal_load(e, &g, &c->signal[i], i);
  sl_otlp_headers_free(&g.headers);
  if (r) sl_otlp_config_free(c);
  return r;
}
