/* The HTTP pieces that need no socket: URLs, the response parser fed from buffers (whole and
 * byte by byte), HTTP-dates and Retry-After, and the message of an OTLP error body. */
#include <stdlib.h>
#include <string.h>

#include "exporters/http.h"
#include "../check.h"

/* 2026-01-02 03:04:05 UTC, a fixed "now". */
#define NOW ((time_t)1767323045)

/* ---- URLs ---- */

static void urls(void) {
  static const struct {
    const char *in, *host, *authority, *target;
    unsigned port;
    const char *why_has;
  } t[] = {
    {"http://localhost:4318/v1/traces", "localhost", "localhost:4318", "/v1/traces", 4318, NULL},
    {"http://example.com", "example.com", "example.com", "/", 80, NULL},
    {"HTTP://Example.COM:80/x?y=1", "Example.COM", "Example.COM", "/x?y=1", 80, NULL},
    {"http://h?q", "h", "h", "/?q", 80, NULL},
    {"http://127.0.0.1:1/", "127.0.0.1", "127.0.0.1:1", "/", 1, NULL},
    {"http://[::1]:4318/v1/logs", "::1", "[::1]:4318", "/v1/logs", 4318, NULL},
    {"http://[2001:db8::7]/", "2001:db8::7", "[2001:db8::7]", "/", 80, NULL},
    {"http://h:65535/", "h", "h:65535", "/", 65535, NULL},
    {"https://h/", NULL, NULL, NULL, 0, "TLS is not built into spanlog"},
    {"HTTPS://h/", NULL, NULL, NULL, 0, "OpenTelemetry Collector"},
    {"h:4318", NULL, NULL, NULL, 0, "not an http:// URL"},
    {"http://user:pw@h/", NULL, NULL, NULL, 0, "user:password@"},
    {"http://h/x#frag", NULL, NULL, NULL, 0, "fragments"},
    {"http://h:65536/", NULL, NULL, NULL, 0, "bad port"},
    {"http://h:0/", NULL, NULL, NULL, 0, "bad port"},
    {"http://h:-1/", NULL, NULL, NULL, 0, "bad port"},
    {"http://h:8o/", NULL, NULL, NULL, 0, "bad port"},
    {"http://h:/", NULL, NULL, NULL, 0, "bad port"},
    {"http://h:1:2/", NULL, NULL, NULL, 0, "bad port"},
    {"http://[::1/", NULL, NULL, NULL, 0, "bad IPv6 literal"},
    {"http://[zz]/", NULL, NULL, NULL, 0, "bad IPv6 literal"},
    {"http://[]/", NULL, NULL, NULL, 0, "bad IPv6 literal"},
    {"http://::1/", NULL, NULL, NULL, 0, "no host"}, /* IPv6 needs brackets */
    {"http://", NULL, NULL, NULL, 0, "no host"},
    {"http://:80/", NULL, NULL, NULL, 0, "no host"},
    {"http://a_b c/", NULL, NULL, NULL, 0, "bad character in the host"},
    {"http://h/a\r\nX: y", NULL, NULL, NULL, 0, "control bytes"},
    {"http://h/\xc3\xa9", NULL, NULL, NULL, 0, "control bytes"},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    sl_url u;
    char why[300] = "";
    check_current = t[i].in;
    int rc = sl_url_parse(t[i].in, &u, why, sizeof why);
    CHECK_INT(rc, t[i].host ? 0 : -1);
    if (rc == 0 && t[i].host) {
      CHECK_STR(u.host, t[i].host);
      CHECK_STR(u.authority, t[i].authority);
      CHECK_STR(u.target, t[i].target);
      CHECK_INT(u.port, t[i].port);
    }
    CHECK_HAS(why, t[i].why_has);
    sl_url_free(&u);
  }
}

/* ---- The response parser ---- */

/* Parses text fed in slices of `step` bytes (0: all at once); eof says whether the peer
   closes after it. Returns the final state; *used_total is what was consumed. */
static sl_http_parse_state parse(const char *text, size_t len, size_t step, int eof,
                                 sl_http_result *r, size_t cap, size_t *used_total) {
  sl_http_parser p;
  sl_http_parse_state st = SL_HTTP_PARSE_MORE;
  size_t at = 0;
  sl_http_result_init(r);
  sl_http_parser_init(&p, r, cap);
  while (st == SL_HTTP_PARSE_MORE && at < len) {
    size_t n = step && len - at > step ? step : len - at, used = 0;
    st = sl_http_parser_feed(&p, text + at, n, &used, NOW);
    at += used;
  }
  if (st == SL_HTTP_PARSE_MORE && eof) st = sl_http_parser_eof(&p, NOW);
  sl_http_parser_free(&p);
  if (used_total) *used_total = at;
  return st;
}

typedef struct resp_case {
  const char *name, *text;
  int eof;
  int state, status, keep_alive;
  const char *body;
  int64_t retry_after_ms;
} resp_case;

#define S_DONE SL_HTTP_PARSE_DONE
#define S_ERR SL_HTTP_PARSE_ERROR
#define S_MORE SL_HTTP_PARSE_MORE

static const resp_case responses[] = {
  {"length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0, S_DONE, 200, 1, "hello", -1},
  {"no reason phrase", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0, S_DONE, 200, 1, "", -1},
  {"bare LF lines", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 0, S_DONE, 200, 1, "ok", -1},
  {"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n",
   0, S_DONE, 200, 1, "hello, world", -1},
  {"chunked, hex in capitals", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                               "A\r\n0123456789\r\n0\r\n\r\n",
   0, S_DONE, 200, 1, "0123456789", -1},
  {"chunked wins over length", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: "
                               "chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
   0, S_DONE, 200, 1, "ab", -1},
  {"until close", "HTTP/1.1 200 OK\r\n\r\nall of it", 1, S_DONE, 200, 0, "all of it", -1},
  {"until close, not yet closed", "HTTP/1.1 200 OK\r\n\r\nsome", 0, S_MORE, 200, 0, "some", -1},
  {"Connection: close", "HTTP/1.1 503 Busy\r\nConnection: keep-alive, Close\r\n"
                        "Content-Length: 0\r\nRetry-After: 7\r\n\r\n",
   0, S_DONE, 503, 0, "", 7000},
  {"HTTP/1.0 closes", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 0, S_DONE, 200, 0, "x", -1},
  {"HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx",
   0, S_DONE, 200, 1, "x", -1},
  {"interim 100 first", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Slow\r\nRetry-After: "
                        "Fri, 02 Jan 2026 03:04:15 GMT\r\nContent-Length: 0\r\n\r\n",
   0, S_DONE, 429, 1, "", 10000},
  {"204 has no body", "HTTP/1.1 204 No Content\r\n\r\n", 0, S_DONE, 204, 1, "", -1},
  {"same length twice", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\ncontent-length: 1\r\n\r\nx", 0,
   S_DONE, 200, 1, "x", -1},
  {"lengths disagree", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx", 0,
   S_ERR, 200, 1, NULL, -1},
  {"length not a number", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\nx", 0, S_ERR, 200, 1,
   NULL, -1},
  {"negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, S_ERR, 200, 1, NULL, -1},
  {"not HTTP", "SSH-2.0-OpenSSH\r\n\r\n", 0, S_ERR, 0, 1, NULL, -1},
  {"HTTP/2", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 0, S_ERR, 0, 1, NULL, -1},
  {"status out of range", "HTTP/1.1 600 X\r\n\r\n", 0, S_ERR, 0, 1, NULL, -1},
  {"two-digit status", "HTTP/1.1 20 X\r\n\r\n", 0, S_ERR, 0, 1, NULL, -1},
  {"101 switching", "HTTP/1.1 101 Switching\r\n\r\n", 0, S_ERR, 101, 1, NULL, -1},
  {"obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", 0, S_ERR, 200, 1,
   NULL, -1},
  {"space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", 0, S_ERR, 200, 1, NULL,
   -1},
  {"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, S_ERR, 200,
   1, NULL, -1},
  {"chunk without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", 0,
   S_ERR, 200, 1, NULL, -1},
  {"huge chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n",
   0, S_ERR, 200, 1, NULL, -1},
  {"cut short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1, S_ERR, 200, 1, NULL, -1},
  {"closed in the head", "HTTP/1.1 200 OK\r\nContent-Le", 1, S_ERR, 200, 1, NULL, -1},
  {"bad Retry-After", "HTTP/1.1 503 X\r\nRetry-After: soon\r\nContent-Length: 0\r\n\r\n", 0,
   S_DONE, 503, 1, "", -1},
};

static void check_response(const resp_case *k, size_t step) {
  sl_http_result r;
  sl_http_parse_state st = parse(k->text, strlen(k->text), step, k->eof, &r, 0, NULL);
  check_current = k->name;
  CHECK_INT(st, k->state);
  CHECK_INT(r.status, k->status);
  if (k->state != S_ERR) {
    CHECK_INT(r.keep_alive, k->keep_alive);
    CHECK_INT(r.retry_after_ms, k->retry_after_ms);
  }
  if (k->body) {
    CHECK_INT(r.body.len, strlen(k->body));
    CHECK(r.body.len == 0 || memcmp(r.body.data, k->body, r.body.len) == 0);
  }
  if (st == S_ERR) CHECK(r.error == SL_HTTP_ERR_PROTOCOL || r.error == SL_HTTP_ERR_CLOSED);
  sl_http_result_free(&r);
}

static void response_table(void) {
  for (size_t i = 0; i < sizeof responses / sizeof responses[0]; i++) {
    check_response(&responses[i], 0);
    check_response(&responses[i], 1); /* every split point */
    check_response(&responses[i], 3);
  }
}

/* A pipelined second response is not consumed by the first. */
static void stops_after_the_response(void) {
  const char *two = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n";
  sl_http_result r;
  size_t used;
  CHECK_INT(parse(two, strlen(two), 0, 0, &r, 0, &used), S_DONE);
  CHECK_INT(used, strlen("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  sl_http_result_free(&r);
}

static void body_cap(void) {
  static char text[200];
  snprintf(text, sizeof text, "HTTP/1.1 400 Bad\r\nContent-Length: 50\r\n\r\n%050d", 7);
  sl_http_result r;
  CHECK_INT(parse(text, strlen(text), 7, 0, &r, 16, NULL), S_DONE);
  CHECK_INT(r.body.len, 16);
  CHECK_INT(r.body_truncated, 1);
  sl_http_result_free(&r);
  const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
  CHECK_INT(parse(chunked, strlen(chunked), 5, 0, &r, 20, NULL), S_DONE);
  CHECK_INT(r.body.len, 20);
  CHECK_INT(r.body_truncated, 1);
  sl_http_result_free(&r);
}

static void head_too_large(void) {
  size_t n = 70 * 1024;
  char *text = malloc(n + 1);
  memcpy(text, "HTTP/1.1 200 OK\r\n", 17);
  for (size_t i = 17; i < n; i += 100) {
    size_t k = n - i < 100 ? n - i : 100;
    memset(text + i, 'a', k);
    memcpy(text + i, "X-A: ", 5 < k ? 5 : k);
    if (k >= 2) memcpy(text + i + k - 2, "\r\n", 2);
  }
  text[n] = '\0';
  sl_http_result r;
  CHECK_INT(parse(text, n, 4096, 0, &r, 0, NULL), S_ERR);
  CHECK_INT(r.error, SL_HTTP_ERR_PROTOCOL);
  sl_http_result_free(&r);
  free(text);
}

static void content_type_kept(void) {
  const char *t = "HTTP/1.1 400 Bad\r\nContent-Type:  application/x-protobuf \r\n"
                  "Content-Length: 0\r\n\r\n";
  sl_http_result r;
  CHECK_INT(parse(t, strlen(t), 0, 0, &r, 0, NULL), S_DONE);
  CHECK_STR(r.content_type, "application/x-protobuf");
  sl_http_result_free(&r);
}

/* ---- Dates and Retry-After ---- */

static void http_dates(void) {
  static const struct {
    const char *in;
    int64_t want;
  } t[] = {
    {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},   /* IMF-fixdate */
    {"Sunday, 06-Nov-94 08:49:37 GMT", 784111777},  /* RFC 850 */
    {"Sun Nov  6 08:49:37 1994", 784111777},        /* asctime */
    {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
    {"Thu, 29 Feb 2024 23:59:59 GMT", 1709251199},  /* leap day */
    {"Wed, 31 Dec 2025 23:59:60 GMT", 1767225600},  /* a leap second counts as the next */
    {"Thursday, 01-Jan-70 00:00:00 GMT", 3155760000}, /* 2070: within now + 50 years */
    {"Tuesday, 01-Jan-80 00:00:00 GMT", 315532800},   /* 2080 would be past that: 1980 */
    {"Fri Jan 02 03:04:05 2026", 1767323045},
    {"sun, 06 nov 1994 08:49:37 GMT", 784111777},   /* names in any case */
    {"Sun, 06 Nov 1994 08:49:37 UTC", -1},
    {"Sun, 6 Nov 1994 08:49:37 GMT", -1},
    {"Sun, 31 Apr 1994 08:49:37 GMT", -1},
    {"Sun, 29 Feb 2023 08:49:37 GMT", -1},
    {"Sun, 06 Nov 1994 24:00:00 GMT", -1},
    {"Sun, 06 Nov 1994 08:49:37 GMT ", -1},
    {"Sun, 06 Foo 1994 08:49:37 GMT", -1},
    {"", -1},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    check_current = t[i].in;
    CHECK_INT(sl_http_date_parse(t[i].in, NOW), t[i].want);
  }
}

static void retry_after(void) {
  static const struct {
    const char *in;
    int64_t want;
  } t[] = {
    {"0", 0},
    {"120", 120000},
    {"  5\t", 5000},
    {"99999999999999", 999999999000LL},
    {"Fri, 02 Jan 2026 03:04:35 GMT", 30000},
    {"Friday, 02-Jan-26 03:05:05 GMT", 60000},
    {"Fri Jan  2 03:04:06 2026", 1000},
    {"Thu, 01 Jan 2026 00:00:00 GMT", 0}, /* in the past: now */
    {"-5", -1},
    {"+5", -1},
    {"1.5", -1},
    {"5s", -1},
    {"", -1},
    {"soon", -1},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    check_current = t[i].in;
    CHECK_INT(sl_http_retry_after_ms(t[i].in, NOW), t[i].want);
  }
  CHECK_INT(sl_http_retry_after_ms(NULL, NOW), -1);
}

/* ---- OTLP error bodies ---- */

static void status_messages(void) {
  /* google.rpc.Status{code: 3, message: "bad span"} in protobuf */
  static const char pb[] = "\x08\x03\x12\x08" "bad span";
  /* with a details entry (field 3, an Any of 2 bytes) after the message */
  static const char pb_details[] = "\x12\x02hi\x1a\x02\x0a\x00";
  static const char pb_code_only[] = "\x08\x0e";
  static const struct {
    const char *ct, *body;
    size_t len;
    const char *want;
  } t[] = {
    {"application/x-protobuf", pb, sizeof pb - 1, "bad span"},
    {NULL, pb, sizeof pb - 1, "bad span"},
    {"application/x-protobuf", pb_details, sizeof pb_details - 1, "hi"},
    {"application/x-protobuf", pb_code_only, sizeof pb_code_only - 1, "google.rpc.Status code 14"},
    {"application/json", "{\"code\":3,\"message\":\"bad \\\"span\\\" \\u00e9\\n\"}", 0,
     "bad \"span\" \xc3\xa9"},
    {NULL, " {\"details\":[{\"a\":[1,2,{}]}],\"message\":\"m\\ud83d\\ude00\"}", 0,
     "m\xf0\x9f\x98\x80"},
    {"application/json", "{\"code\":3}", 0, "{\"code\":3}"},
    {"text/plain; charset=utf-8", "404 page not found\n", 0, "404 page not found"},
    {NULL, "line\r\nbreak\x01", 0, "line  break"},
    {NULL, "caf\xc3\xa9 \xff!", 0, "caf\xc3\xa9 ?!"},
    {NULL, "", 0, ""},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    char out[128];
    check_current = t[i].want;
    size_t len = t[i].len ? t[i].len : strlen(t[i].body);
    size_t n = sl_otlp_status_message(t[i].ct, t[i].body, len, out, sizeof out);
    CHECK_STR(out, t[i].want);
    CHECK_INT(n, strlen(t[i].want));
  }
  char small[8];
  sl_otlp_status_message(NULL, "abcdef\xc3\xa9xyz", 12, small, sizeof small);
  CHECK_STR(small, "abcdef"); /* never half of a UTF-8 sequence */
}

static void header_check(void) {
  CHECK(sl_http_header_ok("Authorization", "Basic x\ty"));
  CHECK(!sl_http_header_ok("Bad Name", "v"));
  CHECK(!sl_http_header_ok("X", "a\r\nb"));
  CHECK(!sl_http_header_ok("", "v"));
  CHECK(!sl_http_header_ok("X", "\x7f"));
  CHECK_STR(sl_http_error_name(SL_HTTP_ERR_TIMEOUT), "timeout");
}

int main(void) {
  RUN(urls);
  RUN(response_table);
  RUN(stops_after_the_response);
  RUN(body_cap);
  RUN(head_too_large);
  RUN(content_type_kept);
  RUN(http_dates);
  RUN(retry_after);
  RUN(status_messages);
  RUN(header_check);
  return check_exit();
}
