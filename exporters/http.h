/* A small HTTP/1.1 client for POSTing OTLP export bodies over plain TCP (SPEC-NOTES §3.1):
 * URL parsing, connect with a deadline over every address of the host, keep-alive reuse,
 * a response parser that can be driven from a buffer (for fuzzing), Retry-After in all its
 * forms, and the message of a google.rpc.Status error body. Libc only; not thread-safe per
 * client (the exporter thread owns its client). */
#ifndef SL_EXPORTERS_HTTP_H
#define SL_EXPORTERS_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/buf.h"

/* The spec's limit on what a client accepts (SPEC-NOTES §3.1). */
#define SL_HTTP_MAX_RESPONSE_BODY ((size_t)4 << 20)

/* ---- URLs ---- */

/* A parsed http:// URL. host is without brackets ("::1"); authority is what the Host header
   carries ("[::1]:4318", or the host alone on port 80); target is path plus query ("/" at
   least). All three are owned and freed by sl_url_free. */
typedef struct sl_url {
  char *host;
  char *authority;
  char *target;
  uint16_t port;
} sl_url;

/* Parses text as http://host[:port][/path][?query]. Refuses https (no TLS here), other
   schemes, userinfo, fragments, empty hosts, bad ports and bytes a request line cannot carry.
   Returns 0, or -1 with a reason in why (a sentence without the URL). On -1, u is empty. */
int sl_url_parse(const char *text, sl_url *u, char *why, size_t why_len);
void sl_url_free(sl_url *u);

/* ---- Results ---- */

typedef enum sl_http_error {
  SL_HTTP_OK = 0,          /* a whole response was read; see status */
  SL_HTTP_ERR_RESOLVE,     /* the host name did not resolve */
  SL_HTTP_ERR_CONNECT,     /* no address accepted the connection (refused, unreachable) */
  SL_HTTP_ERR_TIMEOUT,     /* the request's deadline passed */
  SL_HTTP_ERR_CLOSED,      /* the connection closed or reset before the response was whole */
  SL_HTTP_ERR_PROTOCOL,    /* the reply is not an HTTP/1.x response this parser accepts */
  SL_HTTP_ERR_IO,          /* another socket error (errno in sys_errno) */
  SL_HTTP_ERR_NOMEM,
} sl_http_error;

/* A short lowercase name of the error: "ok", "connection refused", "timeout", ... */
const char *sl_http_error_name(sl_http_error e);

typedef struct sl_http_result {
  sl_http_error error;
  int sys_errno;            /* the errno behind error, or 0 */
  int status;               /* the final status code, or 0 without a response */
  int64_t retry_after_ms;   /* Retry-After as a delay from now, or -1 when absent or unparsable */
  int body_truncated;       /* the body was longer than the cap; body holds its start */
  int keep_alive;           /* the server lets the connection be reused */
  char content_type[64];    /* the response's Content-Type, cut short, or "" */
  sl_buf body;              /* the response body, up to the cap; owned */
} sl_http_result;

void sl_http_result_init(sl_http_result *r);
void sl_http_result_free(sl_http_result *r);

/* ---- The response parser, driven from a buffer ---- */

typedef enum sl_http_parse_state {
  SL_HTTP_PARSE_MORE = 0,  /* give it more bytes (or sl_http_parser_eof) */
  SL_HTTP_PARSE_DONE,      /* the response is whole; bytes after it are not consumed */
  SL_HTTP_PARSE_ERROR,     /* malformed; result->error says so */
} sl_http_parse_state;

typedef struct sl_http_parser {
  sl_http_result *res;
  size_t body_cap;
  int phase;               /* internal: head, body by length, chunked parts, until close */
  int saw_status;
  int http10;
  int have_length;
  int te_seen;
  uint64_t remaining;      /* bytes left of the body or of the current chunk */
  size_t head_bytes;       /* of the head so far, bounded */
  char retry_after[64];    /* the raw header value, parsed when the head is whole */
  sl_buf line;             /* the line being read: status, header, chunk size or trailer */
} sl_http_parser;

/* res must be initialised; the parser fills it. body_cap 0 means SL_HTTP_MAX_RESPONSE_BODY. */
void sl_http_parser_init(sl_http_parser *p, sl_http_result *res, size_t body_cap);
void sl_http_parser_free(sl_http_parser *p);

/* Consumes bytes; *used says how many (all of them unless DONE or ERROR). now is the wall
   clock for an HTTP-date Retry-After. */
sl_http_parse_state sl_http_parser_feed(sl_http_parser *p, const char *data, size_t n,
                                        size_t *used, time_t now);
/* The peer closed: ends a body read until close, else the response is cut short (ERROR). */
sl_http_parse_state sl_http_parser_eof(sl_http_parser *p, time_t now);

/* Retry-After (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in IMF-fixdate, RFC 850 or
   asctime form, turned into milliseconds from now (0 for a date in the past). -1 if invalid. */
int64_t sl_http_retry_after_ms(const char *value, time_t now);

/* Seconds since the epoch of an HTTP-date in any of the three forms, or -1. now settles the
   century of an RFC 850 two-digit year. */
int64_t sl_http_date_parse(const char *text, time_t now);

/* ---- The client ---- */

typedef struct sl_http_header {
  const char *name;
  const char *value;
} sl_http_header;

/* 1 if name is an HTTP token and value holds no CR, LF, NUL or other control byte but tab:
   what keeps a user's header from splitting the request. */
int sl_http_header_ok(const char *name, const char *value);

typedef struct sl_http_request {
  const char *content_type;      /* NULL: not sent */
  const char *content_encoding;  /* "gzip" for a compressed body; NULL: not sent */
  const sl_http_header *headers; /* the user's; a User-Agent here replaces spanlog's */
  size_t n_headers;
  const void *body;
  size_t body_len;
  int64_t timeout_ms;            /* for the whole request: connect, send, response; 0: none */
} sl_http_request;

typedef struct sl_http_client sl_http_client;

/* A client for one endpoint; it connects on the first request and keeps the connection.
   Returns NULL on a bad URL (why says so) or when out of memory. */
sl_http_client *sl_http_client_new(const char *url, char *why, size_t why_len);
void sl_http_client_free(sl_http_client *c);
/* Closes the connection, if any; the next request opens a new one (e.g. after fork). */
void sl_http_client_close(sl_http_client *c);
/* Connections opened so far: how tests see reuse. */
unsigned long sl_http_client_connects(const sl_http_client *c);

/* POSTs the body and reads the response into res (initialised by the call; free it with
   sl_http_result_free). A reused connection that the server had closed while idle is
   reopened once, and only when no byte of a response had arrived. Returns res->error. */
sl_http_error sl_http_post(sl_http_client *c, const sl_http_request *rq, sl_http_result *res);

/* ---- OTLP error bodies ---- */

/* Writes a readable one-line message from an error body: the message of a google.rpc.Status
   (JSON {"code":..,"message":..} or protobuf field 2), else the body itself as text; control
   bytes and bad UTF-8 become spaces or '?', and the text is cut to out_len. Returns the length
   written (0 for an empty body). */
size_t sl_otlp_status_message(const char *content_type, const void *body, size_t len, char *out,
                              size_t out_len);

#endif
