/* A W3C Trace Context test service built on spanlog's public API only.
 *
 * It speaks the contract of the W3C test suite (github w3c/trace-context, test/README.md):
 * each POST carries a JSON array of {"url": ..., "arguments": [...]}; for every element
 * the service makes an HTTP POST to that url with the arguments as the body, and answers
 * once all of them are done. It handles the trace exactly as spanlog's README shows it
 * (Propagation: W3C Trace Context), the way an application would:
 *
 *   sl_trace_continue(header("traceparent"), header("tracestate"));
 *   server = sl_span_start_kind(SL_SPAN_SERVER, ...);
 *   for each call: a client span, sl_traceparent_format(NULL, tp), sl_tracestate_current()
 *
 * Header values reach spanlog exactly as they stand on the wire after the colon: nothing
 * is trimmed, so spaces and tabs around a value are spanlog's to handle (an HTTP stack
 * is allowed to hand them over). Header lines that share a name are joined with ",", as
 * RFC 9110 section 5.3 combines them; an absent header is NULL.
 *
 *   w3c_service [--mode thread-per-request|one-thread] [--max-seconds N]
 *
 * It listens on 127.0.0.1 on a port of the kernel's choosing and prints
 * "listening 127.0.0.1:PORT" on stdout. thread-per-request serves each connection on a
 * new thread; one-thread serves them one after another on the main thread, so that what
 * one request leaves in the thread's context meets the next. Outgoing calls go to
 * 127.0.0.1 (or localhost) only. It stops when its stdin reaches end of file, on
 * SIGTERM or SIGINT, or after --max-seconds (default 600); it then waits for the
 * requests in flight and exits 0. Span and log lines go where SPANLOG_OUTPUT says. */
#define _POSIX_C_SOURCE 200809L
#define SPANLOG_LOGGER "w3c"
#include <spanlog.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum {
  MAX_HEAD = 64 * 1024,     /* request line and header lines */
  MAX_BODY = 1024 * 1024,   /* request body */
  MAX_CALLS = 64,           /* elements of the array */
  MAX_DEPTH = 64,           /* JSON nesting */
  IO_TIMEOUT_SECONDS = 5,   /* every socket read and write */
  MAX_RESPONSE = 64 * 1024, /* what is kept of a callback's answer */
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

/* ---- sockets ---- */

static void set_timeouts(int fd) {
  struct timeval tv = {IO_TIMEOUT_SECONDS, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* A growable byte buffer, always NUL-terminated. */
typedef struct buf {
  char *data;
  size_t len, cap;
} buf;

static int buf_add(buf *b, const char *p, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

static int buf_str(buf *b, const char *s) { return buf_add(b, s, strlen(s)); }

/* ---- the incoming request ---- */

typedef struct header {
  const char *name, *value; /* both NUL-terminated inside the request's buffer */
} header;

typedef struct request {
  buf raw;
  header *headers;
  size_t nheaders;
  const char *body;
  size_t body_len;
} request;

static void request_free(request *r) {
  free(r->raw.data);
  free(r->headers);
}

/* Reads the head and the body (Content-Length) of one request. 0, or -1 with *why. */
static int read_request(int fd, request *r, const char **why) {
  char chunk[4096];
  char *end = NULL;
  while (!end) {
    if (r->raw.len > MAX_HEAD) return *why = "header section too large", -1;
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return *why = "connection closed before the end of the headers", -1;
    if (buf_add(&r->raw, chunk, (size_t)n)) return *why = "out of memory", -1;
    end = strstr(r->raw.data, "\r\n\r\n");
  }
  size_t head_len = (size_t)(end - r->raw.data) + 4;

  /* Split the header lines in place: "name:value" with the value kept verbatim. */
  size_t lines = 0;
  for (char *p = r->raw.data; p < end; p++) lines += *p == '\n';
  r->headers = calloc(lines + 1, sizeof *r->headers);
  if (!r->headers) return *why = "out of memory", -1;
  char *line = strstr(r->raw.data, "\r\n");
  if (!line || strncmp(r->raw.data, "POST ", 5) != 0) return *why = "not a POST request", -1;
  long long content_length = -1;
  for (line += 2; line < end;) {
    char *eol = strstr(line, "\r\n");
    *eol = '\0';
    char *colon = strchr(line, ':');
    if (!colon || colon == line) return *why = "a header line without a name", -1;
    *colon = '\0';
    header h = {line, colon + 1};
    r->headers[r->nheaders++] = h;
    if (strcasecmp(h.name, "content-length") == 0) {
      char *num_end;
      errno = 0;
      content_length = strtoll(h.value, &num_end, 10);
      while (*num_end == ' ' || *num_end == '\t') num_end++;
      if (errno || *num_end || content_length < 0 || content_length > MAX_BODY)
        return *why = "bad Content-Length", -1;
    }
    line = eol + 2;
  }
  if (content_length < 0) return *why = "no Content-Length", -1;

  while (r->raw.len < head_len + (size_t)content_length) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return *why = "connection closed before the end of the body", -1;
    if (buf_add(&r->raw, chunk, (size_t)n)) return *why = "out of memory", -1;
  }
  r->body = r->raw.data + head_len;
  r->body_len = (size_t)content_length;
  return 0;
}

/* The value of header `name` (case-insensitive), every line of that name joined with ","
   in order; NULL when there is none. The caller frees it. */
static char *header_value(const request *r, const char *name) {
  buf v = {0};
  int found = 0;
  for (size_t i = 0; i < r->nheaders; i++) {
    if (strcasecmp(r->headers[i].name, name) != 0) continue;
    if ((found && buf_str(&v, ",")) || buf_str(&v, r->headers[i].value)) {
      free(v.data);
      return NULL;
    }
    found = 1;
  }
  if (found && !v.data) return calloc(1, 1); /* present but empty */
  return v.data;
}

/* ---- the JSON body: an array of {"url": string, "arguments": any} ---- */

typedef struct json_in {
  const char *p, *end;
  int depth;
} json_in;

typedef struct call {
  char *url;
  const char *args; /* the JSON text of "arguments", sent as the callback's body */
  size_t args_len;
} call;

static void json_ws(json_in *in) {
  while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' || *in->p == '\n' || *in->p == '\r')) in->p++;
}

static int json_lit(json_in *in, const char *lit) {
  size_t n = strlen(lit);
  if ((size_t)(in->end - in->p) < n || memcmp(in->p, lit, n) != 0) return -1;
  in->p += n;
  return 0;
}

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return -1;
    v = v << 4 | (unsigned)d;
  }
  *out = v;
  return 0;
}

static int put_utf8(buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) u[0] = (char)cp, n = 1;
  else if (cp < 0x800) u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
  else if (cp < 0x10000)
    u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3f)), u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
  else
    u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3f)), u[2] = (char)(0x80 | (cp >> 6 & 0x3f)),
    u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
  return buf_add(b, u, n);
}

/* A string; decoded into *out when out is not NULL. */
static int json_string(json_in *in, char **out) {
  buf b = {0};
  if (in->p >= in->end || *in->p != '"') return -1;
  in->p++;
  for (;;) {
    if (in->p >= in->end) goto fail;
    unsigned char c = (unsigned char)*in->p++;
    if (c == '"') break;
    if (c < 0x20) goto fail;
    if (c != '\\') {
      if (out && buf_add(&b, (const char *)&c, 1)) goto fail;
      continue;
    }
    if (in->p >= in->end) goto fail;
    char e = *in->p++;
    unsigned cp;
    switch (e) {
    case '"': case '\\': case '/': cp = (unsigned char)e; break;
    case 'b': cp = '\b'; break;
    case 'f': cp = '\f'; break;
    case 'n': cp = '\n'; break;
    case 'r': cp = '\r'; break;
    case 't': cp = '\t'; break;
    case 'u':
      if (in->end - in->p < 4 || hex4(in->p, &cp)) goto fail;
      in->p += 4;
      if (cp >= 0xd800 && cp < 0xdc00) { /* a surrogate pair */
        unsigned lo;
        if (in->end - in->p < 6 || in->p[0] != '\\' || in->p[1] != 'u' || hex4(in->p + 2, &lo) ||
            lo < 0xdc00 || lo > 0xdfff)
          goto fail;
        in->p += 6;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
      } else if (cp >= 0xdc00 && cp <= 0xdfff) {
        goto fail;
      }
      break;
    default: goto fail;
    }
    if (out && put_utf8(&b, cp)) goto fail;
  }
  if (out) {
    *out = b.data ? b.data : calloc(1, 1);
    if (!*out) return -1;
  }
  return 0;
fail:
  free(b.data);
  return -1;
}

static int json_value(json_in *in);

static int json_number(json_in *in) {
  const char *start = in->p;
  if (in->p < in->end && *in->p == '-') in->p++;
  while (in->p < in->end && ((*in->p >= '0' && *in->p <= '9') || *in->p == '.' || *in->p == 'e' ||
                             *in->p == 'E' || *in->p == '+' || *in->p == '-'))
    in->p++;
  return in->p > start ? 0 : -1;
}

/* Skips one value of any kind, checking its syntax. */
static int json_value(json_in *in) {
  json_ws(in);
  if (in->p >= in->end) return -1;
  char c = *in->p;
  if (c == '"') return json_string(in, NULL);
  if (c == 't') return json_lit(in, "true");
  if (c == 'f') return json_lit(in, "false");
  if (c == 'n') return json_lit(in, "null");
  if (c != '[' && c != '{') return json_number(in);
  if (++in->depth > MAX_DEPTH) return -1;
  char close = c == '[' ? ']' : '}';
  in->p++;
  json_ws(in);
  if (in->p < in->end && *in->p == close) {
    in->p++;
    in->depth--;
    return 0;
  }
  for (;;) {
    if (close == '}') {
      json_ws(in);
      if (json_string(in, NULL)) return -1;
      json_ws(in);
      if (json_lit(in, ":")) return -1;
    }
    if (json_value(in)) return -1;
    json_ws(in);
    if (in->p >= in->end) return -1;
    if (*in->p == ',') {
      in->p++;
      continue;
    }
    if (*in->p++ != close) return -1;
    in->depth--;
    return 0;
  }
}

/* One element of the array. */
static int json_call(json_in *in, call *out) {
  json_ws(in);
  if (json_lit(in, "{")) return -1;
  json_ws(in);
  if (in->p < in->end && *in->p == '}') return in->p++, 0;
  for (;;) {
    char *key = NULL;
    json_ws(in);
    if (json_string(in, &key)) return -1;
    json_ws(in);
    int rc = json_lit(in, ":");
    if (!rc && strcmp(key, "url") == 0) {
      json_ws(in);
      free(out->url);
      out->url = NULL;
      rc = json_string(in, &out->url);
    } else if (!rc && strcmp(key, "arguments") == 0) {
      json_ws(in);
      const char *start = in->p;
      rc = json_value(in);
      out->args = start;
      out->args_len = (size_t)(in->p - start);
    } else if (!rc) {
      rc = json_value(in);
    }
    free(key);
    if (rc) return -1;
    json_ws(in);
    if (in->p >= in->end) return -1;
    if (*in->p == ',') {
      in->p++;
      continue;
    }
    return *in->p++ == '}' ? 0 : -1;
  }
}

/* The calls the body asks for. "null" (the suite's warm-up request) asks for none. */
static int parse_calls(const char *body, size_t len, call *calls, size_t *ncalls) {
  json_in in = {body, body + len, 0};
  *ncalls = 0;
  json_ws(&in);
  if (json_lit(&in, "null") == 0) {
    json_ws(&in);
    return in.p == in.end ? 0 : -1;
  }
  if (json_lit(&in, "[")) return -1;
  json_ws(&in);
  if (in.p < in.end && *in.p == ']') {
    in.p++;
  } else {
    for (;;) {
      if (*ncalls == MAX_CALLS) return -1;
      call *c = &calls[(*ncalls)++];
      if (json_call(&in, c) || !c->url) return -1;
      json_ws(&in);
      if (in.p < in.end && *in.p == ',') {
        in.p++;
        continue;
      }
      if (json_lit(&in, "]")) return -1;
      break;
    }
  }
  json_ws(&in);
  return in.p == in.end ? 0 : -1;
}

/* ---- the outgoing calls ---- */

/* A header value spanlog gave us must be a single line of printable ASCII. */
static int safe_header_value(const char *v) {
  for (; *v; v++)
    if ((unsigned char)*v < 0x20 ? *v != '\t' : (unsigned char)*v > 0x7e) return 0;
  return 1;
}

/* POSTs body to url (http://127.0.0.1:PORT/path or http://localhost:PORT/path) with the
   trace headers. 0 when it answered 200; -1 with *why otherwise. */
static int post(const char *url, const char *traceparent, const char *tracestate, const char *body,
                size_t body_len, const char **why) {
  const char *host_end, *p = url;
  if (strncmp(p, "http://", 7) != 0) return *why = "not an http:// url", -1;
  p += 7;
  if (strncmp(p, "127.0.0.1", 9) == 0) host_end = p + 9;
  else if (strncmp(p, "localhost", 9) == 0) host_end = p + 9;
  else return *why = "only 127.0.0.1 and localhost are called", -1;
  unsigned long port = 80;
  const char *path = host_end;
  if (*host_end == ':') {
    char *port_end;
    port = strtoul(host_end + 1, &port_end, 10);
    if (port_end == host_end + 1 || port == 0 || port > 65535) return *why = "bad port", -1;
    path = port_end;
  }
  if (*path == '\0') path = "/";
  if (*path != '/' || !safe_header_value(path) || strchr(path, ' ')) return *why = "bad path", -1;
  if (!safe_header_value(traceparent) || (tracestate && !safe_header_value(tracestate)))
    return *why = "a trace header value that cannot go on the wire", -1;

  buf req = {0};
  char line[128];
  snprintf(line, sizeof line, " HTTP/1.1\r\nHost: 127.0.0.1:%lu\r\n", port);
  int rc = buf_str(&req, "POST ") || buf_str(&req, path) || buf_str(&req, line) ||
           buf_str(&req, "Accept: application/json\r\nContent-Type: application/json\r\nConnection: close\r\n");
  snprintf(line, sizeof line, "Content-Length: %zu\r\n", body_len);
  rc = rc || buf_str(&req, line) || buf_str(&req, "traceparent: ") || buf_str(&req, traceparent) ||
       buf_str(&req, "\r\n");
  /* An absent or empty tracestate is not sent (the spec: avoid sending empty ones). */
  if (tracestate && *tracestate)
    rc = rc || buf_str(&req, "tracestate: ") || buf_str(&req, tracestate) || buf_str(&req, "\r\n");
  rc = rc || buf_str(&req, "\r\n") || buf_add(&req, body, body_len);
  if (rc) {
    free(req.data);
    return *why = "out of memory", -1;
  }

  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    free(req.data);
    return *why = "socket failed", -1;
  }
  set_timeouts(fd);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  rc = connect(fd, (struct sockaddr *)&addr, sizeof addr);
  if (rc) *why = "connect failed";
  else if ((rc = send_all(fd, req.data, req.len))) *why = "send failed";
  free(req.data);

  /* Read the answer to its end (the peer closes: Connection: close). */
  buf resp = {0};
  char chunk[4096];
  while (!rc) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) rc = -1, *why = "no answer in time";
    if (n <= 0) break;
    if (resp.len < MAX_RESPONSE && buf_add(&resp, chunk, (size_t)n)) rc = -1, *why = "out of memory";
  }
  close(fd);
  if (!rc && (!resp.data || (strncmp(resp.data, "HTTP/1.1 200", 12) != 0 && strncmp(resp.data, "HTTP/1.0 200", 12) != 0)))
    rc = -1, *why = "the callback did not answer 200";
  free(resp.data);
  return rc;
}

/* ---- one request ---- */

static void respond(int fd, int status, const char *json) {
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                   "Connection: close\r\n\r\n",
                   status, status == 200 ? "OK" : "Bad Request", strlen(json));
  if (n > 0 && (size_t)n < sizeof head && send_all(fd, head, (size_t)n) == 0) send_all(fd, json, strlen(json));
}

static void serve(int fd) {
  request req = {0};
  call calls[MAX_CALLS];
  size_t ncalls = 0;
  const char *why = NULL;
  memset(calls, 0, sizeof calls);
  set_timeouts(fd);
  if (read_request(fd, &req, &why) || parse_calls(req.body, req.body_len, calls, &ncalls)) {
    char msg[160];
    snprintf(msg, sizeof msg, "{\"error\":\"%s\"}", why ? why : "the body is not an array of {url, arguments}");
    respond(fd, 400, msg);
    goto done;
  }

  /* Propagation as the README shows it: continue the caller's trace (or, when its
     traceparent is invalid or absent, let the next span start a new one), then a server
     span for this request. */
  char *traceparent = header_value(&req, "traceparent");
  char *tracestate = header_value(&req, "tracestate");
  sl_trace_continue(traceparent, tracestate); /* -1: invalid, a new trace starts */
  sl_span *server = sl_span_start_kind(SL_SPAN_SERVER, "POST /test");
  free(traceparent);
  free(tracestate);

  int failed = 0;
  for (size_t i = 0; i < ncalls; i++) {
    /* Each outgoing request is a client span, child of the server span; its traceparent
       and the trace's tracestate go out with it. */
    sl_span *client = sl_span_start_kind(SL_SPAN_CLIENT, "POST", "url.full", calls[i].url);
    char tp[56];
    const char *call_why = NULL;
    int rc = -1;
    if (sl_traceparent_format(NULL, tp) != 55) {
      call_why = "no current span to propagate";
    } else {
      const char *body = calls[i].args ? calls[i].args : "[]";
      size_t body_len = calls[i].args ? calls[i].args_len : 2;
      rc = post(calls[i].url, tp, sl_tracestate_current(), body, body_len, &call_why);
    }
    if (rc) {
      failed++;
      sl_span_error(client, "callback_failed", call_why);
      log_warning("callback.failed", "url", calls[i].url, "why", call_why);
    }
    sl_span_end(client);
  }
  log_event("request.done", "callbacks", (int)ncalls, "failed", failed);
  sl_span_end(server);

  char answer[96];
  snprintf(answer, sizeof answer, "{\"callbacks\":%zu,\"failed\":%d}", ncalls, failed);
  respond(fd, 200, answer);
done:
  for (size_t i = 0; i < MAX_CALLS; i++) free(calls[i].url);
  request_free(&req);
  close(fd);
}

/* ---- thread per request ---- */

typedef struct worker {
  pthread_t thread;
  int fd;
  _Atomic int done;
  struct worker *next;
} worker;

static void *worker_main(void *arg) {
  worker *w = arg;
  serve(w->fd);
  w->done = 1;
  return NULL;
}

/* Joins the workers that have finished (all of them when `all`). */
static worker *reap(worker *list, int all) {
  worker **link = &list;
  while (*link) {
    worker *w = *link;
    if (all || w->done) {
      pthread_join(w->thread, NULL);
      *link = w->next;
      free(w);
    } else {
      link = &w->next;
    }
  }
  return list;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(const char *argv0) {
  fprintf(stderr, "usage: %s [--mode thread-per-request|one-thread] [--max-seconds N]\n", argv0);
  return 2;
}

int main(int argc, char **argv) {
  int one_thread = 0;
  double max_seconds = 600;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
      const char *m = argv[++i];
      if (strcmp(m, "one-thread") == 0) one_thread = 1;
      else if (strcmp(m, "thread-per-request") == 0) one_thread = 0;
      else return usage(argv[0]);
    } else if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc) {
      max_seconds = atof(argv[++i]);
      if (!(max_seconds > 0)) return usage(argv[0]);
    } else {
      return usage(argv[0]);
    }
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t alen = sizeof addr;
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, 64) ||
      getsockname(lfd, (struct sockaddr *)&addr, &alen)) {
    perror("w3c_service: listen on 127.0.0.1");
    return 1;
  }
  printf("listening 127.0.0.1:%u\n", (unsigned)ntohs(addr.sin_port));
  fflush(stdout);

  worker *workers = NULL;
  int stdin_open = 1, rc = 0;
  double deadline = now_seconds() + max_seconds;
  while (!stop_requested) {
    if (now_seconds() > deadline) {
      fprintf(stderr, "w3c_service: --max-seconds reached, stopping\n");
      break;
    }
    struct pollfd fds[2] = {{lfd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    int n = poll(fds, stdin_open ? 2 : 1, 250);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      perror("w3c_service: poll");
      rc = 1;
      break;
    }
    if (stdin_open && fds[1].revents) {
      char c[256];
      ssize_t r = read(STDIN_FILENO, c, sizeof c);
      if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) break; /* stdin closed: stop */
    }
    if (!(fds[0].revents & POLLIN)) continue;
    int cfd = accept(lfd, NULL, NULL);
    if (cfd < 0) continue;
    if (one_thread) {
      serve(cfd);
      continue;
    }
    workers = reap(workers, 0);
    worker *w = calloc(1, sizeof *w);
    if (!w) {
      close(cfd);
      continue;
    }
    w->fd = cfd;
    if (pthread_create(&w->thread, NULL, worker_main, w)) {
      close(cfd);
      free(w);
      continue;
    }
    w->next = workers;
    workers = w;
  }
  close(lfd);
  reap(workers, 1);
  sl_shutdown();
  return rc;
}
