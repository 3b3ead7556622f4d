/* The HTTP client against a loopback server this test runs in a thread: keep-alive reuse,
 * servers that close, chunked and oversized responses, a server that never answers, a port
 * nobody listens on, IPv6 loopback, Retry-After in both forms, and the request as sent. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "exporters/http.h"
#include "spanlog/version.h"
#include "../check.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

typedef enum mode {
  M_KEEPALIVE,      /* 200 "ok", connection kept */
  M_CLOSE_EACH,     /* 200 with Connection: close, then close */
  M_CHUNKED,        /* 200, chunked, written in pieces */
  M_BIG,            /* 200 with a 6 MiB body */
  M_SILENT,         /* reads the request, never answers */
  M_RETRY_SECONDS,  /* 503 with Retry-After: 3 */
  M_RETRY_DATE,     /* 429 with Retry-After: an HTTP-date two minutes ahead */
  M_DROP_SECOND,    /* answers a connection's first request, closes on the second unanswered */
  M_PARTIAL_SECOND, /* answers the first, sends half a head for the second, closes */
  M_ERROR_BODY,     /* 400 with a JSON google.rpc.Status */
  M_DROP_ALL,       /* reads each request and closes, unanswered */
  M_ANSWER_CLOSE,   /* 200 without Connection: close, then closes all the same (an idle close) */
} mode;

typedef struct server {
  int lfd, stop[2];
  uint16_t port;
  mode mode;
  int keep_body; /* server_stop leaves the last body for the test to check and free */
  pthread_t thread;
  atomic_int accepted, requests;
  pthread_mutex_t lock; /* guards the last request */
  char head[4096];
  char *body;
  size_t body_len;
} server;

/* Waits for fd to be readable; -1 when the test asks the server to stop. */
static int srv_wait(server *s, int fd) {
  struct pollfd pf[2] = {{fd, POLLIN, 0}, {s->stop[0], POLLIN, 0}};
  while (poll(pf, 2, -1) < 0)
    if (errno != EINTR) return -1;
  return pf[1].revents ? -1 : 0;
}

static void send_str(int fd, const char *s, size_t n) {
  while (n) {
    ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
    if (w <= 0) return;
    s += w, n -= (size_t)w;
  }
}

/* Reads one request (head and Content-Length body). 0, or -1 when the peer closed. */
static int read_request(server *s, int fd) {
  char buf[65536];
  size_t len = 0;
  char *end = NULL;
  while (!end) {
    if (len == sizeof buf - 1 || srv_wait(s, fd)) return -1;
    ssize_t r = recv(fd, buf + len, sizeof buf - 1 - len, 0);
    if (r <= 0) return -1;
    len += (size_t)r;
    buf[len] = '\0';
    end = strstr(buf, "\r\n\r\n");
  }
  size_t head_len = (size_t)(end + 4 - buf);
  const char *cl = strstr(buf, "Content-Length: ");
  size_t want = cl ? strtoul(cl + 16, NULL, 10) : 0;
  char *body = malloc(want + 1);
  size_t have = len - head_len < want ? len - head_len : want;
  memcpy(body, buf + head_len, have);
  while (have < want) {
    if (srv_wait(s, fd)) return free(body), -1;
    ssize_t r = recv(fd, body + have, want - have, 0);
    if (r <= 0) return free(body), -1;
    have += (size_t)r;
  }
  pthread_mutex_lock(&s->lock);
  snprintf(s->head, sizeof s->head, "%.*s", (int)head_len, buf);
  free(s->body);
  s->body = body, s->body_len = want;
  pthread_mutex_unlock(&s->lock);
  atomic_fetch_add(&s->requests, 1);
  return 0;
}

#define OK_200                                                                            \
  "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 2\r\n\r\nok"

static void send_big(int fd) {
  size_t n = (size_t)6 << 20;
  char *b = malloc(n);
  memset(b, 'x', n);
  const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 6291456\r\n\r\n";
  send_str(fd, h, strlen(h));
  send_str(fd, b, n); /* fails part way when the client stops at 4 MiB: fine */
  free(b);
}

static void send_chunked(int fd) {
  static const char *const parts[] = {
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nhel", "lo\r\n",
    "7\r\n, world\r\n", "0\r\n", "\r\n"};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    send_str(fd, parts[i], strlen(parts[i]));
    usleep(2000); /* separate reads on the client's side */
  }
}

static void send_retry_date(int fd) {
  char date[64], resp[256];
  time_t at = time(NULL) + 120;
  struct tm tm;
  gmtime_r(&at, &tm);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  snprintf(resp, sizeof resp, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: %s\r\n"
                              "Content-Length: 0\r\n\r\n", date);
  send_str(fd, resp, strlen(resp));
}

/* Answers one request; 0 to keep the connection, -1 to close it. nth counts from 1. */
static int answer(server *s, int fd, int nth) {
  const char *r;
  switch (s->mode) {
  case M_KEEPALIVE: send_str(fd, OK_200, strlen(OK_200)); return 0;
  case M_CLOSE_EACH:
    r = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
    send_str(fd, r, strlen(r));
    return -1;
  case M_CHUNKED: send_chunked(fd); return 0;
  case M_BIG: send_big(fd); return -1;
  case M_SILENT: srv_wait(s, fd); return -1; /* until the client gives up or the test ends */
  case M_RETRY_SECONDS:
    r = "HTTP/1.1 503 Unavailable\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n";
    send_str(fd, r, strlen(r));
    return 0;
  case M_RETRY_DATE: send_retry_date(fd); return 0;
  case M_DROP_SECOND:
    if (nth >= 2) return -1;
    send_str(fd, OK_200, strlen(OK_200));
    return 0;
  case M_PARTIAL_SECOND:
    if (nth >= 2) r = "HTTP/1.1 200 OK\r\nContent-Le";
    else r = OK_200;
    send_str(fd, r, strlen(r));
    return nth >= 2 ? -1 : 0;
  case M_DROP_ALL: return -1;
  case M_ANSWER_CLOSE: send_str(fd, OK_200, strlen(OK_200)); return -1;
  case M_ERROR_BODY: {
    const char *body = "{\"code\":3,\"message\":\"span 7 has no trace id\"}";
    char resp[256];
    snprintf(resp, sizeof resp, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                                "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    send_str(fd, resp, strlen(resp));
    return 0;
  }
  }
  return -1;
}

static void *serve(void *arg) {
  server *s = arg;
  while (srv_wait(s, s->lfd) == 0) {
    int fd = accept(s->lfd, NULL, NULL);
    if (fd < 0) continue;
    atomic_fetch_add(&s->accepted, 1);
    for (int nth = 1; read_request(s, fd) == 0 && answer(s, fd, nth) == 0; nth++) {}
    close(fd);
  }
  return NULL;
}

/* Starts a server on the loopback of the family; -1 if that loopback is missing. */
static int server_start(server *s, int family, mode m) {
  memset(s, 0, sizeof *s);
  s->mode = m;
  pthread_mutex_init(&s->lock, NULL);
  struct sockaddr_storage ss = {0};
  socklen_t len;
  if (family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6, a->sin6_addr = in6addr_loopback, len = sizeof *a;
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET, a->sin_addr.s_addr = htonl(INADDR_LOOPBACK), len = sizeof *a;
  }
  s->lfd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&ss, len) || listen(s->lfd, 16) ||
      getsockname(s->lfd, (struct sockaddr *)&ss, &len)) {
    if (s->lfd >= 0) close(s->lfd);
    return -1;
  }
  s->port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                     : ((struct sockaddr_in *)&ss)->sin_port);
  if (pipe(s->stop)) abort();
  pthread_create(&s->thread, NULL, serve, s);
  return 0;
}

static void server_stop(server *s) {
  if (write(s->stop[1], "x", 1) != 1) abort();
  pthread_join(s->thread, NULL);
  close(s->lfd), close(s->stop[0]), close(s->stop[1]);
  if (!s->keep_body) free(s->body);
  pthread_mutex_destroy(&s->lock);
}

static void FAILED(const char *why) {
  fprintf(stderr, "[%s] %s\n", check_current, why);
  check_failures++;
}

/* Starts the server or fails the case. */
#define START(s, family, m)                                                               \
  do {                                                                                    \
    if (server_start((s), (family), (m))) {                                               \
      FAILED("cannot listen on the loopback");                                            \
      return;                                                                             \
    }                                                                                     \
  } while (0)

static sl_http_client *client_for(const server *s, int v6, const char *path) {
  char url[128], why[200];
  snprintf(url, sizeof url, v6 ? "http://[::1]:%u%s" : "http://127.0.0.1:%u%s",
           (unsigned)s->port, path);
  sl_http_client *c = sl_http_client_new(url, why, sizeof why);
  if (!c) FAILED(why);
  return c;
}

static const sl_http_request plain = {"application/x-protobuf", NULL, NULL, 0, "span", 4, 5000};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- The cases ---- */

static void keep_alive_reuse(void) {
  server s;
  START(&s, AF_INET, M_KEEPALIVE);
  sl_http_client *c = client_for(&s, 0, "/v1/traces");
  for (int i = 0; i < 5; i++) {
    sl_http_result r;
    CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body.len, 2);
    CHECK(r.keep_alive);
    CHECK_STR(r.content_type, "application/x-protobuf");
    sl_http_result_free(&r);
  }
  CHECK_INT(sl_http_client_connects(c), 1);
  sl_http_client_free(c);
  server_stop(&s);
  CHECK_INT(atomic_load(&s.accepted), 1);
  CHECK_INT(atomic_load(&s.requests), 5);
}

static void server_closes_each_time(void) {
  server s;
  START(&s, AF_INET, M_CLOSE_EACH);
  sl_http_client *c = client_for(&s, 0, "/");
  for (int i = 0; i < 3; i++) {
    sl_http_result r;
    CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
    CHECK_INT(r.status, 200);
    CHECK(!r.keep_alive);
    sl_http_result_free(&r);
  }
  CHECK_INT(sl_http_client_connects(c), 3);
  sl_http_client_free(c);
  server_stop(&s);
  CHECK_INT(atomic_load(&s.accepted), 3);
  CHECK_INT(atomic_load(&s.requests), 3);
}

static void chunked_response(void) {
  server s;
  START(&s, AF_INET, M_CHUNKED);
  sl_http_client *c = client_for(&s, 0, "/");
  for (int i = 0; i < 2; i++) {
    sl_http_result r;
    CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
    CHECK_INT(r.body.len, 12);
    CHECK(r.body.len == 12 && memcmp(r.body.data, "hello, world", 12) == 0);
    sl_http_result_free(&r);
  }
  CHECK_INT(sl_http_client_connects(c), 1); /* a chunked body ends cleanly: kept */
  sl_http_client_free(c);
  server_stop(&s);
}

static void four_mib_cap(void) {
  server s;
  START(&s, AF_INET, M_BIG);
  sl_http_client *c = client_for(&s, 0, "/");
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
  CHECK_INT(r.status, 200);
  CHECK_INT(r.body.len, SL_HTTP_MAX_RESPONSE_BODY);
  CHECK_INT(r.body_truncated, 1);
  CHECK(!r.keep_alive); /* the rest goes with the connection */
  sl_http_result_free(&r);
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK); /* and the next one gets a new one */
  CHECK_INT(sl_http_client_connects(c), 2);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
}

static void never_answers(void) {
  server s;
  START(&s, AF_INET, M_SILENT);
  sl_http_client *c = client_for(&s, 0, "/");
  sl_http_request rq = plain;
  rq.timeout_ms = 300;
  sl_http_result r;
  int64_t t0 = now_ms();
  CHECK_INT(sl_http_post(c, &rq, &r), SL_HTTP_ERR_TIMEOUT);
  int64_t took = now_ms() - t0;
  CHECK(took >= 290 && took < 3000);
  CHECK_INT(r.status, 0);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
}

static void connection_refused(void) {
  /* A port that was just free: bound, then closed without listening. */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  socklen_t len = sizeof a;
  a.sin_family = AF_INET, a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, len) ||
      getsockname(fd, (struct sockaddr *)&a, &len)) {
    FAILED("no IPv4 loopback");
    return;
  }
  char url[64], why[200];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/logs", (unsigned)ntohs(a.sin_port));
  close(fd);
  sl_http_client *c = sl_http_client_new(url, why, sizeof why);
  sl_http_result r;
  int64_t t0 = now_ms();
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_ERR_CONNECT);
  CHECK_INT(r.sys_errno, ECONNREFUSED);
  CHECK(now_ms() - t0 < 2000);
  sl_http_result_free(&r);
  sl_http_client_free(c);
}

static void ipv6_loopback(void) {
  server s;
  if (server_start(&s, AF_INET6, M_KEEPALIVE)) {
    fprintf(stderr, "SKIP ipv6_loopback: this machine has no IPv6 loopback\n");
    return;
  }
  sl_http_client *c = client_for(&s, 1, "/v1/traces");
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
  CHECK_INT(r.status, 200);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
  char want[64];
  snprintf(want, sizeof want, "Host: [::1]:%u\r\n", (unsigned)s.port);
  CHECK_HAS(s.head, want);
}

/* "localhost" resolves to ::1 and 127.0.0.1 in some order; a server on one of them only
   must still be reached: every address is tried. */
static void every_address_tried(void) {
  server s;
  START(&s, AF_INET, M_KEEPALIVE);
  char url[64], why[200];
  snprintf(url, sizeof url, "http://localhost:%u/", (unsigned)s.port);
  sl_http_client *c = sl_http_client_new(url, why, sizeof why);
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
}

static void retry_after_both_forms(void) {
  server s;
  START(&s, AF_INET, M_RETRY_SECONDS);
  sl_http_client *c = client_for(&s, 0, "/");
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
  CHECK_INT(r.status, 503);
  CHECK_INT(r.retry_after_ms, 3000);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);

  START(&s, AF_INET, M_RETRY_DATE);
  c = client_for(&s, 0, "/");
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
  CHECK_INT(r.status, 429);
  CHECK(r.retry_after_ms >= 117000 && r.retry_after_ms <= 121000);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
}

/* The server closes a kept-alive connection as the next request arrives, unanswered: the
   client sends it again, once, on a new connection. */
static void reconnect_once_when_idle_closed(void) {
  server s;
  START(&s, AF_INET, M_DROP_SECOND);
  sl_http_client *c = client_for(&s, 0, "/");
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
  sl_http_result_free(&r);
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
  CHECK_INT(r.status, 200);
  sl_http_result_free(&r);
  CHECK_INT(sl_http_client_connects(c), 2);
  sl_http_client_free(c);
  server_stop(&s);
  CHECK_INT(atomic_load(&s.accepted), 2);
}

/* Part of a response arrived before the close: the server may have acted on the request,
   so it is not sent again; the caller's retry policy decides. */
static void no_resend_after_partial_response(void) {
  server s;
  START(&s, AF_INET, M_PARTIAL_SECOND);
  sl_http_client *c = client_for(&s, 0, "/");
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
  sl_http_result_free(&r);
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_ERR_CLOSED);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
  CHECK_INT(atomic_load(&s.requests), 2);
  CHECK_INT(atomic_load(&s.accepted), 1);
}

/* A fresh connection that closes without a response is not resent either. */
static void no_resend_on_a_fresh_connection(void) {
  server s;
  START(&s, AF_INET, M_DROP_ALL);
  sl_http_client *c = client_for(&s, 0, "/");
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_ERR_CLOSED);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
  CHECK_INT(atomic_load(&s.requests), 1);
  CHECK_INT(atomic_load(&s.accepted), 1);
}

/* The server closed the kept-alive connection while it was idle: the client notices before
   sending and opens a new one. */
static void idle_close_noticed(void) {
  server s;
  START(&s, AF_INET, M_ANSWER_CLOSE);
  sl_http_client *c = client_for(&s, 0, "/");
  sl_http_result r;
  for (int i = 0; i < 3; i++) {
    CHECK_INT(sl_http_post(c, &plain, &r), SL_HTTP_OK);
    CHECK_INT(r.status, 200);
    sl_http_result_free(&r);
    usleep(50 * 1000); /* the server's FIN arrives */
  }
  CHECK_INT(sl_http_client_connects(c), 3);
  sl_http_client_free(c);
  server_stop(&s);
  CHECK_INT(atomic_load(&s.requests), 3);
}

static void request_as_sent(void) {
  server s;
  START(&s, AF_INET, M_KEEPALIVE);
  s.keep_body = 1;
  sl_http_client *c = client_for(&s, 0, "/api/public/otel/v1/traces?x=1");
  static const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00};
  sl_http_header h[] = {{"Authorization", "Basic cGs6c2s="}, {"x-bad", "a\r\nInjected: 1"}};
  sl_http_request rq = {"application/json", "gzip", h, 2, gz, sizeof gz, 5000};
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &rq, &r), SL_HTTP_OK);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
  char want[64];
  snprintf(want, sizeof want, "Host: 127.0.0.1:%u\r\n", (unsigned)s.port);
  const char *line = "POST /api/public/otel/v1/traces?x=1 HTTP/1.1\r\n";
  CHECK(strncmp(s.head, line, strlen(line)) == 0);
  CHECK_HAS(s.head, want);
  CHECK_HAS(s.head, "\r\nUser-Agent: spanlog/" SPANLOG_VERSION_STRING "\r\n");
  CHECK_HAS(s.head, "\r\nContent-Type: application/json\r\n");
  CHECK_HAS(s.head, "\r\nContent-Encoding: gzip\r\n");
  CHECK_HAS(s.head, "\r\nAuthorization: Basic cGs6c2s=\r\n");
  CHECK_HAS(s.head, "\r\nContent-Length: 20\r\n\r\n");
  CHECK(strstr(s.head, "Injected") == NULL);
  CHECK_INT(s.body_len, sizeof gz);
  CHECK(s.body && memcmp(s.body, gz, sizeof gz) == 0); /* bytes passed through untouched */
  free(s.body);
}

static void user_agent_override_and_error_body(void) {
  server s;
  START(&s, AF_INET, M_ERROR_BODY);
  sl_http_client *c = client_for(&s, 0, "/");
  sl_http_header h[] = {{"User-Agent", "agent/2"}};
  sl_http_request rq = {"application/json", NULL, h, 1, "{}", 2, 5000};
  sl_http_result r;
  char msg[128];
  CHECK_INT(sl_http_post(c, &rq, &r), SL_HTTP_OK);
  CHECK_INT(r.status, 400);
  sl_otlp_status_message(r.content_type, r.body.data, r.body.len, msg, sizeof msg);
  CHECK_STR(msg, "span 7 has no trace id");
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
  CHECK_HAS(s.head, "\r\nUser-Agent: agent/2\r\n");
  CHECK(strstr(s.head, "spanlog/") == NULL);
  CHECK(strstr(s.head, "Content-Encoding") == NULL);
}

/* A big body goes out whole even though the kernel takes it in pieces. */
static void large_request_body(void) {
  server s;
  START(&s, AF_INET, M_KEEPALIVE);
  s.keep_body = 1;
  sl_http_client *c = client_for(&s, 0, "/");
  size_t n = (size_t)8 << 20;
  char *body = malloc(n);
  for (size_t i = 0; i < n; i++) body[i] = (char)(i * 7);
  sl_http_request rq = {"application/x-protobuf", NULL, NULL, 0, body, n, 20000};
  sl_http_result r;
  CHECK_INT(sl_http_post(c, &rq, &r), SL_HTTP_OK);
  sl_http_result_free(&r);
  sl_http_client_free(c);
  server_stop(&s);
  CHECK_INT(s.body_len, n);
  CHECK(s.body && memcmp(s.body, body, n) == 0);
  free(s.body);
  free(body);
}

static void bad_url(void) {
  char why[300] = "";
  CHECK(sl_http_client_new("https://collector:4318/v1/traces", why, sizeof why) == NULL);
  CHECK_HAS(why, "TLS is not built into spanlog");
}

int main(void) {
  RUN(keep_alive_reuse);
  RUN(server_closes_each_time);
  RUN(chunked_response);
  RUN(four_mib_cap);
  RUN(never_answers);
  RUN(connection_refused);
  RUN(ipv6_loopback);
  RUN(every_address_tried);
  RUN(retry_after_both_forms);
  RUN(reconnect_once_when_idle_closed);
  RUN(no_resend_after_partial_response);
  RUN(no_resend_on_a_fresh_connection);
  RUN(idle_close_noticed);
  RUN(request_as_sent);
  RUN(user_agent_override_and_error_body);
  RUN(large_request_body);
  RUN(bad_url);
  return check_exit();
}
