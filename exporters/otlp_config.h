/* The OTLP exporter's settings from the environment (SPEC-NOTES §5 and §3.1): exporter lists,
 * protocol, endpoint, headers, timeout, compression, batching, plus spanlog's queue-full
 * policy and backend profile. No globals and no getenv of its own: the caller hands in a
 * lookup, so tests feed tables. Every bad value gets one line on stderr ("spanlog: ignoring
 * NAME=value: reason") and either the default or, where a guess could send data to the wrong
 * place, OTLP export off for that signal. Header values are never echoed (they carry keys). */
#ifndef SL_EXPORTERS_OTLP_CONFIG_H
#define SL_EXPORTERS_OTLP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

typedef enum sl_otlp_signal { SL_OTLP_TRACES = 0, SL_OTLP_LOGS = 1 } sl_otlp_signal;

/* OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER, a set. 0 is "none". */
enum {
  SL_EXPORTER_OTLP = 1u << 0,        /* otlp: OTLP over HTTP */
  SL_EXPORTER_CONSOLE = 1u << 1,     /* console */
  SL_EXPORTER_OTLP_FILE = 1u << 2,   /* otlp_file (also otlp/file): OTLP/JSON lines to a file */
  SL_EXPORTER_OTLP_STDOUT = 1u << 3, /* otlp/stdout (the spec's name): OTLP/JSON lines on stdout */
};

typedef enum sl_otlp_protocol { SL_OTLP_HTTP_PROTOBUF = 0, SL_OTLP_HTTP_JSON } sl_otlp_protocol;
typedef enum sl_otlp_compression {
  SL_OTLP_COMPRESS_NONE = 0,
  SL_OTLP_COMPRESS_GZIP,
} sl_otlp_compression;
typedef enum sl_otlp_queue_full { SL_OTLP_QUEUE_DROP = 0, SL_OTLP_QUEUE_BLOCK } sl_otlp_queue_full;
typedef enum sl_otlp_profile {
  SL_OTLP_PROFILE_NONE = 0,
  SL_OTLP_PROFILE_LANGFUSE,
  SL_OTLP_PROFILE_OPENINFERENCE,
} sl_otlp_profile;

typedef struct sl_otlp_header {
  char *name;  /* as given, percent-decoded; an HTTP token */
  char *value; /* percent-decoded; no control bytes but tab */
} sl_otlp_header;

typedef struct sl_otlp_headers {
  sl_otlp_header *v;
  size_t n;
} sl_otlp_headers;

/* OTEL_BSP_* for traces, OTEL_BLRP_* for logs. */
typedef struct sl_otlp_batch {
  uint32_t schedule_delay_ms;     /* 5000 (BSP) / 1000 (BLRP); at least 1 */
  uint32_t export_timeout_ms;     /* 30000; 0 means no limit */
  uint32_t max_queue_size;        /* 2048; at least 1 */
  uint32_t max_export_batch_size; /* 512; at least 1, at most max_queue_size */
} sl_otlp_batch;

typedef struct sl_otlp_signal_config {
  unsigned exporters;   /* SL_EXPORTER_* bits; 0 when unset (see below), none, or refused */
  int otlp_on;          /* exporters has OTLP and its settings are usable */
  sl_otlp_protocol protocol;
  char *endpoint;       /* the full URL to POST to, e.g. http://localhost:4318/v1/traces */
  sl_otlp_headers headers;
  uint32_t timeout_ms;  /* per export; 10000; 0 means no limit */
  sl_otlp_compression compression;
  sl_otlp_batch batch;
} sl_otlp_signal_config;

typedef struct sl_otlp_config {
  int sdk_disabled; /* OTEL_SDK_DISABLED=true: every signal off, nothing else read */
  sl_otlp_signal_config signal[2]; /* indexed by sl_otlp_signal */
  sl_otlp_queue_full queue_full;   /* SPANLOG_OTLP_QUEUE_FULL: drop (default) or block */
  sl_otlp_profile profile;         /* SPANLOG_OTLP_PROFILE */
} sl_otlp_config;

typedef struct sl_otlp_env {
  /* The value of an environment variable or NULL; "" counts as unset. NULL: getenv. */
  const char *(*get)(void *ctx, const char *name);
  /* Receives each message (one line, no newline). NULL: sl_diag to stderr. */
  void (*warn)(void *ctx, const char *msg);
  void *ctx;
} sl_otlp_env;

/* Reads the settings. An unset OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER means no exporter:
   the spec's default is otlp, but a logging library must not start sending over the network
   because a variable is absent; exporting is switched on explicitly (or from code).
   The OTLP variables are read (and judged) only for a signal whose list has otlp, the batch
   variables only for a signal with some exporter.
   Returns 0, or -1 when out of memory (c is then freed and empty). */
int sl_otlp_config_load(sl_otlp_config *c, const sl_otlp_env *env);
void sl_otlp_config_free(sl_otlp_config *c);

/* The defaults of a signal with OTLP on, for configuration from code (endpoint left NULL). */
void sl_otlp_signal_defaults(sl_otlp_signal_config *s, sl_otlp_signal sig);

/* ---- The parsers underneath, for tests and the fuzzer ---- */

/* Parses "k1=v1,k2=v2" (W3C-baggage style): members split on ',', name and value split on the
   first '=', spaces and tabs trimmed, both percent-decoded, empty members skipped. A name that
   is not an HTTP token, a value with control bytes, a member without '=' or a bad escape
   makes the whole variable malformed: -1 with the reason in why (values never quoted).
   Headers the transport owns (Content-Length, Transfer-Encoding, Host, Connection,
   Content-Type, Content-Encoding) are refused the same way. A repeated name keeps the last
   value. On -1, out is left empty. Out of memory is -2. */
int sl_otlp_headers_parse(const char *text, sl_otlp_headers *out, char *why, size_t why_len);
/* Sets every header of over on base: the same name (case-insensitively) is replaced. */
int sl_otlp_headers_merge(sl_otlp_headers *base, const sl_otlp_headers *over);
void sl_otlp_headers_free(sl_otlp_headers *h);

/* The URL to POST to. signal_endpoint (OTEL_EXPORTER_OTLP_{TRACES,LOGS}_ENDPOINT) is used as
   given, with "/" as the path when it has none; otherwise base (OTEL_EXPORTER_OTLP_ENDPOINT,
   NULL: http://localhost:4318) gets "v1/traces" or "v1/logs" appended to its path after making
   sure the path ends in '/' (a query stays at the end). The result must be an http:// URL that
   sl_url_parse accepts. Returns a malloc'd string, or NULL with why filled. */
char *sl_otlp_endpoint(const char *base, const char *signal_endpoint, sl_otlp_signal sig,
                       char *why, size_t why_len);

#endif
