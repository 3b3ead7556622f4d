/* HTTP/1.1 over TCP for the OTLP exporter: see http.h. The response parser is a push
 * parser over byte slices so that the fuzzer and the socket loop drive the same code. */
#include "exporters/http.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "base/utf8.h"
#include "spanlog/version.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* platforms without it get SO_NOSIGPIPE on the socket instead */
#endif

enum {
  HEAD_MAX = 64 * 1024, /* status line plus headers */
  LINE_MAX_LEN = 8 * 1024,
  READ_CHUNK = 16 * 1024,
};

const char *sl_http_error_name(sl_http_error e) {
  switch (e) {
  case SL_HTTP_OK: return "ok";
  case SL_HTTP_ERR_RESOLVE: return "host name not resolved";
  case SL_HTTP_ERR_CONNECT: return "connection refused or unreachable";
  case SL_HTTP_ERR_TIMEOUT: return "timeout";
  case SL_HTTP_ERR_CLOSED: return "connection closed before the response";
  case SL_HTTP_ERR_PROTOCOL: return "malformed HTTP response";
  case SL_HTTP_ERR_IO: return "socket error";
  case SL_HTTP_ERR_NOMEM: return "out of memory";
  }
  return "unknown error";
}

static void say(char *why, size_t why_len, const char *msg) {
  if (why && why_len) snprintf(why, why_len, "%s", msg);
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int prefix_ci(const char *s, const char *p) {
  for (; *p; s++, p++)
    if (lower((unsigned char)*s) != *p) return 0;
  return 1;
}

static int is_tchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
  return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

int sl_http_header_ok(const char *name, const char *value) {
  if (!name || !*name || !value) return 0;
  for (const char *s = name; *s; s++)
    if (!is_tchar((unsigned char)*s)) return 0;
  for (const unsigned char *s = (const unsigned char *)value; *s; s++)
    if ((*s < 0x20 && *s != '\t') || *s == 0x7f) return 0;
  return 1;
}

/* ---- URLs ---- */

void sl_url_free(sl_url *u) {
  free(u->host);
  free(u->authority);
  free(u->target);
  memset(u, 0, sizeof *u);
}

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) memcpy(d, s, n), d[n] = '\0';
  return d;
}

static int reg_name_ok(const char *h, size_t n) {
  if (n == 0 || n > 253) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)h[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '.' || c == '_'))
      return 0;
  }
  return 1;
}

/* The host part of an authority: "[v6]" or a name or IPv4 address. *end is past it. */
static int parse_host(const char *a, const char *stop, const char **hs, size_t *hn,
                      const char **end, char *why, size_t why_len) {
  if (*a == '[') {
    const char *close = memchr(a, ']', (size_t)(stop - a));
    char tmp[64];
    struct in6_addr addr;
    size_t n = close ? (size_t)(close - a - 1) : 0;
    if (!close || n == 0 || n >= sizeof tmp) return say(why, why_len, "bad IPv6 literal"), -1;
    memcpy(tmp, a + 1, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET6, tmp, &addr) != 1)
      return say(why, why_len, "bad IPv6 literal (zone ids are not supported)"), -1;
    *hs = a + 1, *hn = n, *end = close + 1;
    return 0;
  }
  const char *colon = memchr(a, ':', (size_t)(stop - a));
  const char *e = colon ? colon : stop;
  if (e == a) return say(why, why_len, "no host"), -1;
  if (!reg_name_ok(a, (size_t)(e - a))) return say(why, why_len, "bad character in the host"), -1;
  *hs = a, *hn = (size_t)(e - a), *end = e;
  return 0;
}

static int parse_port(const char *p, const char *stop, uint16_t *port, char *why, size_t why_len) {
  if (p == stop) {
    *port = 80;
    return 0;
  }
  if (*p != ':' || p + 1 == stop || stop - p > 6)
    return say(why, why_len, "bad port (want 1 to 65535)"), -1;
  unsigned long v = 0;
  for (const char *s = p + 1; s < stop; s++) {
    if (*s < '0' || *s > '9') return say(why, why_len, "bad port (want 1 to 65535)"), -1;
    v = v * 10 + (unsigned long)(*s - '0');
  }
  if (v == 0 || v > 65535) return say(why, why_len, "bad port (want 1 to 65535)"), -1;
  *port = (uint16_t)v;
  return 0;
}

/* Bytes a request line may carry in its target: visible ASCII but '#'. */
static int target_ok(const char *t) {
  for (const unsigned char *s = (const unsigned char *)t; *s; s++)
    if (*s <= 0x20 || *s >= 0x7f) return 0;
  return 1;
}

static int scheme_ok(const char *text, char *why, size_t why_len) {
  if (prefix_ci(text, "http://")) return 0;
  if (prefix_ci(text, "https://"))
    say(why, why_len,
        "https is not supported: TLS is not built into spanlog; run a local OpenTelemetry "
        "Collector and send to its http:// endpoint (it forwards over TLS)");
  else say(why, why_len, "not an http:// URL");
  return -1;
}

static int fill_url(sl_url *u, const char *hs, size_t hn, int v6, const char *path) {
  char auth[300];
  int n = snprintf(auth, sizeof auth, "%s%.*s%s", v6 ? "[" : "", (int)hn, hs, v6 ? "]" : "");
  if (u->port != 80) snprintf(auth + n, sizeof auth - (size_t)n, ":%u", (unsigned)u->port);
  u->host = dup_n(hs, hn);
  u->authority = dup_n(auth, strlen(auth));
  if (*path == '/') u->target = dup_n(path, strlen(path));
  else if ((u->target = malloc(strlen(path) + 2))) /* "" or "?q" */
    u->target[0] = '/', strcpy(u->target + 1, path);
  return u->host && u->authority && u->target ? 0 : -1;
}

int sl_url_parse(const char *text, sl_url *u, char *why, size_t why_len) {
  memset(u, 0, sizeof *u);
  if (!text || scheme_ok(text, why, why_len)) return -1;
  const char *a = text + 7;
  const char *stop = a + strcspn(a, "/?#");
  if (strchr(text, '#')) return say(why, why_len, "fragments (#...) are not allowed"), -1;
  if (memchr(a, '@', (size_t)(stop - a)))
    return say(why, why_len, "user:password@ in the URL is not supported; use a header"), -1;
  const char *hs, *hend;
  size_t hn;
  if (parse_host(a, stop, &hs, &hn, &hend, why, why_len)) return -1;
  if (parse_port(hend, stop, &u->port, why, why_len)) return -1;
  if (!target_ok(stop)) return say(why, why_len, "spaces or control bytes in the path"), -1;
  if (fill_url(u, hs, hn, *a == '[', stop)) {
    sl_url_free(u);
    return say(why, why_len, "out of memory"), -1;
  }
  return 0;
}

/* ---- Results ---- */

void sl_http_result_init(sl_http_result *r) {
  memset(r, 0, sizeof *r);
  r->retry_after_ms = -1;
}

void sl_http_result_free(sl_http_result *r) {
  sl_buf_free(&r->body);
  sl_http_result_init(r);
}

/* ---- HTTP-dates and Retry-After ---- */

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (a civil-from-days
   count by 400-year eras, valid for every year this code accepts). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int days_in_month(int64_t y, int m) {
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return len[m - 1] + (m == 2 && leap);
}

static const char *const months[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const wkdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const wkdays_long[7] = {"monday", "tuesday", "wednesday", "thursday",
                                           "friday", "saturday", "sunday"};

/* Eats a word from the list (case-insensitively); returns its index or -1. */
static int eat_word(const char **s, const char *const *list, int n) {
  for (int i = 0; i < n; i++) {
    size_t len = strlen(list[i]);
    if (prefix_ci(*s, list[i])) {
      *s += len;
      return i;
    }
  }
  return -1;
}

static int eat_lit(const char **s, const char *lit) {
  size_t n = strlen(lit);
  if (strncmp(*s, lit, n) != 0) return 0;
  *s += n;
  return 1;
}

/* Exactly n digits. */
static int eat_digits(const char **s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*s)[i];
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  *s += n;
  *out = v;
  return 1;
}

typedef struct hdate {
  int year, mon, day, h, m, sec;
} hdate;

static int eat_time(const char **s, hdate *d) {
  return eat_digits(s, 2, &d->h) && eat_lit(s, ":") && eat_digits(s, 2, &d->m) &&
         eat_lit(s, ":") && eat_digits(s, 2, &d->sec);
}

static int eat_month(const char **s, hdate *d) {
  int m = eat_word(s, months, 12);
  d->mon = m + 1;
  return m >= 0;
}

/* Sun, 06 Nov 1994 08:49:37 GMT */
static int imf_fixdate(const char *s, hdate *d) {
  return eat_word(&s, wkdays, 7) >= 0 && eat_lit(&s, ", ") && eat_digits(&s, 2, &d->day) &&
         eat_lit(&s, " ") && eat_month(&s, d) && eat_lit(&s, " ") &&
         eat_digits(&s, 4, &d->year) && eat_lit(&s, " ") && eat_time(&s, d) &&
         eat_lit(&s, " GMT") && *s == '\0';
}

/* Sunday, 06-Nov-94 08:49:37 GMT; the year is settled by the caller. */
static int rfc850_date(const char *s, hdate *d) {
  return eat_word(&s, wkdays_long, 7) >= 0 && eat_lit(&s, ", ") &&
         eat_digits(&s, 2, &d->day) && eat_lit(&s, "-") && eat_month(&s, d) &&
         eat_lit(&s, "-") && eat_digits(&s, 2, &d->year) && eat_lit(&s, " ") &&
         eat_time(&s, d) && eat_lit(&s, " GMT") && *s == '\0';
}

/* Sun Nov  6 08:49:37 1994 */
static int asctime_date(const char *s, hdate *d) {
  if (!(eat_word(&s, wkdays, 7) >= 0 && eat_lit(&s, " ") && eat_month(&s, d) &&
        eat_lit(&s, " ")))
    return 0;
  if (*s == ' ') {
    s++;
    if (!eat_digits(&s, 1, &d->day)) return 0;
  } else if (!eat_digits(&s, 2, &d->day)) {
    return 0;
  }
  return eat_lit(&s, " ") && eat_time(&s, d) && eat_lit(&s, " ") &&
         eat_digits(&s, 4, &d->year) && *s == '\0';
}

/* RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in the past century. */
static int full_year(int yy, time_t now) {
  struct tm tm;
  int cur = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2000;
  int y = cur - cur % 100 + yy;
  return y > cur + 50 ? y - 100 : y;
}

int64_t sl_http_date_parse(const char *text, time_t now) {
  hdate d = {0};
  if (!imf_fixdate(text, &d) && !asctime_date(text, &d)) {
    memset(&d, 0, sizeof d);
    if (!rfc850_date(text, &d)) return -1;
    d.year = full_year(d.year, now);
  }
  if (d.day < 1 || d.day > days_in_month(d.year, d.mon) || d.h > 23 || d.m > 59 || d.sec > 60)
    return -1;
  return days_from_civil(d.year, d.mon, d.day) * 86400 + d.h * 3600 + d.m * 60 + d.sec;
}

int64_t sl_http_retry_after_ms(const char *value, time_t now) {
  if (!value) return -1;
  while (*value == ' ' || *value == '\t') value++;
  size_t n = strlen(value);
  while (n && (value[n - 1] == ' ' || value[n - 1] == '\t')) n--;
  if (n == 0 || n >= 64) return -1;
  char v[64];
  memcpy(v, value, n);
  v[n] = '\0';
  if (strspn(v, "0123456789") == n) {
    /* A delay past a day is as good as forever to an exporter: cap, never overflow. */
    int64_t sec = n > 9 ? 999999999 : strtoll(v, NULL, 10);
    return sec * 1000;
  }
  int64_t at = sl_http_date_parse(v, now);
  if (at < 0) return -1;
  return at > (int64_t)now ? (at - (int64_t)now) * 1000 : 0;
}

/* ---- The response parser ---- */

enum {
  PH_HEAD = 0,
  PH_LENGTH,    /* Content-Length bytes */
  PH_CHUNK_SIZE,
  PH_CHUNK_DATA,
  PH_CHUNK_END, /* the CRLF after a chunk's data */
  PH_TRAILER,
  PH_CLOSE,     /* until the server closes */
  PH_DONE,
  PH_ERROR,
};

void sl_http_parser_init(sl_http_parser *p, sl_http_result *res, size_t body_cap) {
  memset(p, 0, sizeof *p);
  p->res = res;
  p->body_cap = body_cap ? body_cap : SL_HTTP_MAX_RESPONSE_BODY;
  res->keep_alive = 1;
}

void sl_http_parser_free(sl_http_parser *p) { sl_buf_free(&p->line); }

static sl_http_parse_state fail(sl_http_parser *p, sl_http_error e) {
  p->phase = PH_ERROR;
  p->res->error = e;
  return SL_HTTP_PARSE_ERROR;
}

/* Gathers one line into p->line (without LF and a CR before it). 1 when whole, 0 when more
   is needed, -1 when over the limit. */
static int take_line(sl_http_parser *p, const char *d, size_t n, size_t *i) {
  const char *lf = memchr(d + *i, '\n', n - *i);
  size_t k = lf ? (size_t)(lf - (d + *i)) : n - *i;
  if (p->line.len + k > LINE_MAX_LEN || sl_buf_append(&p->line, d + *i, k)) return -1;
  *i += k;
  if (!lf) return 0;
  (*i)++;
  if (p->line.len && p->line.data[p->line.len - 1] == '\r') p->line.len--;
  if (sl_buf_reserve(&p->line, 1)) return -1;
  p->line.data[p->line.len] = '\0';
  return 1;
}

static void keep_body(sl_http_parser *p, const char *d, size_t k) {
  sl_buf *b = &p->res->body;
  size_t room = p->body_cap - b->len;
  if (k > room) p->res->body_truncated = 1, k = room;
  if (k && sl_buf_append(b, d, k)) p->res->body_truncated = 1; /* short of memory: keep less */
}

static int status_line(sl_http_parser *p, const char *s) {
  if (strncmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') || s[8] != ' ') return -1;
  if (s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' || s[11] < '0' || s[11] > '9')
    return -1;
  if (s[12] != '\0' && s[12] != ' ') return -1;
  p->http10 = s[7] == '0';
  p->res->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
  p->res->keep_alive = !p->http10;
  return 0;
}

/* A comma-separated list holds the token (case-insensitive)? */
static int has_token(const char *v, const char *tok) {
  size_t n = strlen(tok);
  while (*v) {
    v += strspn(v, " \t,");
    size_t k = strcspn(v, ",");
    size_t e = k;
    while (e && (v[e - 1] == ' ' || v[e - 1] == '\t')) e--;
    if (e == n && prefix_ci(v, tok)) return 1;
    v += k;
  }
  return 0;
}

/* The last coding of Transfer-Encoding decides whether the body is chunked. */
static int last_is_chunked(const char *v) {
  const char *c = strrchr(v, ',');
  c = c ? c + 1 : v;
  while (*c == ' ' || *c == '\t') c++;
  return prefix_ci(c, "chunked") && (c[7] == '\0' || c[7] == ' ' || c[7] == '\t');
}

static int content_length(sl_http_parser *p, const char *v) {
  size_t n = strlen(v);
  if (n == 0 || n > 18 || strspn(v, "0123456789") != n) return -1;
  uint64_t len = strtoull(v, NULL, 10);
  if (p->have_length && p->remaining != len) return -1; /* two lengths that disagree */
  p->have_length = 1;
  p->remaining = len;
  return 0;
}

static void copy_cut(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n >= cap) n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

static int header_value(sl_http_parser *p, const char *name, size_t nlen, const char *v) {
  sl_http_result *r = p->res;
  if (nlen == 14 && prefix_ci(name, "content-length")) return content_length(p, v);
  if (nlen == 17 && prefix_ci(name, "transfer-encoding")) {
    p->te_seen = 1 + last_is_chunked(v); /* 1: not chunked, 2: chunked */
  } else if (nlen == 10 && prefix_ci(name, "connection")) {
    if (has_token(v, "close")) r->keep_alive = 0;
    else if (p->http10 && has_token(v, "keep-alive")) r->keep_alive = 1;
  } else if (nlen == 11 && prefix_ci(name, "retry-after")) {
    /* Too long for any valid form: keep a value that will not parse. */
    copy_cut(p->retry_after, sizeof p->retry_after, strlen(v) < 63 ? v : "x");
  } else if (nlen == 12 && prefix_ci(name, "content-type")) {
    copy_cut(r->content_type, sizeof r->content_type, v);
  }
  return 0;
}

static int header_line(sl_http_parser *p, char *s) {
  char *colon = strchr(s, ':');
  if (!colon || colon == s) return -1;
  for (char *c = s; c < colon; c++)
    if (!is_tchar((unsigned char)*c)) return -1; /* also refuses obs-fold and "name :" */
  char *v = colon + 1;
  while (*v == ' ' || *v == '\t') v++;
  size_t vn = strlen(v);
  while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t')) v[--vn] = '\0';
  return header_value(p, s, (size_t)(colon - s), v);
}

/* The head is whole: choose how the body is framed (RFC 9112 §6.3). */
static sl_http_parse_state head_done(sl_http_parser *p, time_t now) {
  sl_http_result *r = p->res;
  r->retry_after_ms = p->retry_after[0] ? sl_http_retry_after_ms(p->retry_after, now) : -1;
  if (r->status < 200) { /* an interim response: the real one follows */
    if (r->status == 101) return fail(p, SL_HTTP_ERR_PROTOCOL);
    sl_buf line = p->line;
    sl_http_parser_init(p, r, p->body_cap);
    p->line = line;
    r->status = 0;
    r->retry_after_ms = -1;
    r->content_type[0] = '\0';
    return SL_HTTP_PARSE_MORE;
  }
  if (r->status == 204 || r->status == 304) p->phase = PH_DONE;
  else if (p->te_seen == 2) p->phase = PH_CHUNK_SIZE;
  else if (p->te_seen == 1) p->phase = PH_CLOSE;
  else if (p->have_length) p->phase = p->remaining ? PH_LENGTH : PH_DONE;
  else p->phase = PH_CLOSE;
  if (p->phase == PH_CLOSE) r->keep_alive = 0;
  return p->phase == PH_DONE ? SL_HTTP_PARSE_DONE : SL_HTTP_PARSE_MORE;
}

static sl_http_parse_state on_head_line(sl_http_parser *p, time_t now) {
  char *s = p->line.data;
  size_t len = p->line.len;
  p->line.len = 0;
  if (!p->saw_status) {
    if (status_line(p, s)) return fail(p, SL_HTTP_ERR_PROTOCOL);
    p->saw_status = 1;
    return SL_HTTP_PARSE_MORE;
  }
  if (len == 0) return head_done(p, now);
  return header_line(p, s) ? fail(p, SL_HTTP_ERR_PROTOCOL) : SL_HTTP_PARSE_MORE;
}

static int chunk_size(const char *s, uint64_t *out) {
  uint64_t v = 0;
  int digits = 0;
  for (; *s; s++, digits++) {
    int c = lower((unsigned char)*s), d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else break;
    if (v >> 56) return -1; /* over 2^60: no real chunk is that big */
    v = v * 16 + (uint64_t)d;
  }
  while (*s == ' ' || *s == '\t') s++;
  if (!digits || (*s && *s != ';')) return -1; /* extensions after ';' are ignored */
  *out = v;
  return 0;
}

static sl_http_parse_state on_chunk_line(sl_http_parser *p) {
  const char *s = p->line.data;
  size_t len = p->line.len;
  p->line.len = 0;
  switch (p->phase) {
  case PH_CHUNK_SIZE:
    if (chunk_size(s, &p->remaining)) return fail(p, SL_HTTP_ERR_PROTOCOL);
    p->phase = p->remaining ? PH_CHUNK_DATA : PH_TRAILER;
    return SL_HTTP_PARSE_MORE;
  case PH_CHUNK_END:
    if (len) return fail(p, SL_HTTP_ERR_PROTOCOL);
    p->phase = PH_CHUNK_SIZE;
    return SL_HTTP_PARSE_MORE;
  default: /* PH_TRAILER: fields are ignored; an empty line ends the message */
    if (len) return SL_HTTP_PARSE_MORE;
    p->phase = PH_DONE;
    return SL_HTTP_PARSE_DONE;
  }
}

static sl_http_parse_state body_bytes(sl_http_parser *p, const char *d, size_t n, size_t *i) {
  size_t k = n - *i;
  if (p->phase != PH_CLOSE && k > p->remaining) k = (size_t)p->remaining;
  keep_body(p, d + *i, k);
  *i += k;
  if (p->phase == PH_CLOSE) return SL_HTTP_PARSE_MORE;
  p->remaining -= k;
  if (p->remaining) return SL_HTTP_PARSE_MORE;
  if (p->phase == PH_CHUNK_DATA) {
    p->phase = PH_CHUNK_END;
    return SL_HTTP_PARSE_MORE;
  }
  p->phase = PH_DONE;
  return SL_HTTP_PARSE_DONE;
}

static sl_http_parse_state step(sl_http_parser *p, const char *d, size_t n, size_t *i,
                                time_t now) {
  if (p->phase == PH_LENGTH || p->phase == PH_CHUNK_DATA || p->phase == PH_CLOSE)
    return body_bytes(p, d, n, i);
  size_t before = *i;
  int got = take_line(p, d, n, i);
  if (p->phase == PH_HEAD) {
    p->head_bytes += *i - before;
    if (p->head_bytes > HEAD_MAX) got = -1;
  }
  if (got < 0) return fail(p, SL_HTTP_ERR_PROTOCOL);
  if (got == 0) return SL_HTTP_PARSE_MORE;
  return p->phase == PH_HEAD ? on_head_line(p, now) : on_chunk_line(p);
}

sl_http_parse_state sl_http_parser_feed(sl_http_parser *p, const char *data, size_t n,
                                        size_t *used, time_t now) {
  size_t i = 0;
  sl_http_parse_state st = p->phase == PH_DONE    ? SL_HTTP_PARSE_DONE
                           : p->phase == PH_ERROR ? SL_HTTP_PARSE_ERROR
                                                  : SL_HTTP_PARSE_MORE;
  while (st == SL_HTTP_PARSE_MORE && i < n) st = step(p, data, n, &i, now);
  if (used) *used = i;
  return st;
}

sl_http_parse_state sl_http_parser_eof(sl_http_parser *p, time_t now) {
  (void)now;
  if (p->phase == PH_DONE) return SL_HTTP_PARSE_DONE;
  if (p->phase == PH_CLOSE) {
    p->phase = PH_DONE;
    p->res->keep_alive = 0;
    return SL_HTTP_PARSE_DONE;
  }
  if (p->phase == PH_ERROR) return SL_HTTP_PARSE_ERROR;
  return fail(p, SL_HTTP_ERR_CLOSED);
}

/* ---- OTLP error bodies: google.rpc.Status ---- */

/* Copies text into out as one readable line: valid UTF-8 kept, control bytes as spaces,
   broken sequences as '?', never a sequence cut in two. */
static size_t readable(const char *text, size_t len, char *out, size_t out_len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t o = 0;
  if (!out_len) return 0;
  for (size_t i = 0; i < len;) {
    size_t bad = 0, k = sl_utf8_sequence(s + i, len - i, &bad);
    if (o + (k ? k : 1) >= out_len) break;
    if (k == 1 && (s[i] < 0x20 || s[i] == 0x7f)) out[o++] = ' ';
    else if (k) memcpy(out + o, s + i, k), o += k;
    else out[o++] = '?';
    i += k ? k : bad;
  }
  while (o && out[o - 1] == ' ') o--;
  out[o] = '\0';
  return o;
}

static int pb_varint(const unsigned char **s, const unsigned char *e, uint64_t *v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *s < e; shift += 7) {
    unsigned char b = *(*s)++;
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return 0;
  }
  return -1;
}

/* Field 2 (message) of a protobuf google.rpc.Status; -1 unless the whole body parses. */
static int pb_status(const unsigned char *s, size_t len, const char **msg, size_t *mlen,
                     int64_t *code) {
  const unsigned char *e = s + len;
  *msg = NULL, *code = -1;
  while (s < e) {
    uint64_t key, v;
    if (pb_varint(&s, e, &key) || key >> 32 || (key >> 3) == 0) return -1;
    switch (key & 7) {
    case 0:
      if (pb_varint(&s, e, &v)) return -1;
      if (key >> 3 == 1) *code = (int64_t)(int32_t)v;
      break;
    case 1: if (e - s < 8) return -1; s += 8; break;
    case 5: if (e - s < 4) return -1; s += 4; break;
    case 2:
      if (pb_varint(&s, e, &v) || v > (uint64_t)(e - s)) return -1;
      if (key >> 3 == 2) *msg = (const char *)s, *mlen = (size_t)v;
      s += v;
      break;
    default: return -1;
    }
  }
  return *msg || *code >= 0 ? 0 : -1;
}

typedef struct jcur {
  const char *s, *e;
  int depth;
} jcur;

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static void j_ws(jcur *j) {
  while (j->s < j->e && is_ws(*j->s)) j->s++;
}

static int hexval(int c) {
  c = lower(c);
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int j_hex4(jcur *j, unsigned *out) {
  if (j->e - j->s < 4) return -1;
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval((unsigned char)j->s[i]);
    if (h < 0) return -1;
    v = v * 16 + (unsigned)h;
  }
  j->s += 4;
  *out = v;
  return 0;
}

static int put_utf8(sl_buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) u[0] = (char)cp, n = 1;
  else if (cp < 0x800) u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  else if (cp < 0x10000)
    u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
    u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  else
    u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
  return b ? sl_buf_append(b, u, n) : 0;
}

static int j_escape_u(jcur *j, sl_buf *b) {
  unsigned cp, lo;
  if (j_hex4(j, &cp)) return -1;
  if (cp >= 0xD800 && cp <= 0xDBFF && j->e - j->s >= 6 && j->s[0] == '\\' && j->s[1] == 'u') {
    jcur save = *j;
    j->s += 2;
    if (!j_hex4(j, &lo) && lo >= 0xDC00 && lo <= 0xDFFF)
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    else *j = save;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* a lone surrogate */
  return put_utf8(b, cp);
}

/* A JSON string at j->s ('"'); its decoded bytes go to b (NULL: just skipped). */
static int j_string(jcur *j, sl_buf *b) {
  if (j->s >= j->e || *j->s != '"') return -1;
  for (j->s++; j->s < j->e;) {
    char c = *j->s++;
    if (c == '"') return 0;
    if (c != '\\') {
      if (b && sl_buf_append(b, &c, 1)) return -1;
      continue;
    }
    if (j->s >= j->e) return -1;
    c = *j->s++;
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *k = c ? strchr(from, c) : NULL;
    if (c == 'u') {
      if (j_escape_u(j, b)) return -1;
    } else if (!k || (b && sl_buf_append(b, &to[k - from], 1))) {
      return -1;
    }
  }
  return -1;
}

static int j_value(jcur *j);

static int j_container(jcur *j, char close) {
  if (++j->depth > 64) return -1;
  j->s++;
  j_ws(j);
  if (j->s < j->e && *j->s == close) return j->s++, j->depth--, 0;
  for (;;) {
    if (close == '}') {
      if (j_string(j, NULL)) return -1;
      j_ws(j);
      if (j->s >= j->e || *j->s++ != ':') return -1;
    }
    if (j_value(j)) return -1;
    j_ws(j);
    if (j->s >= j->e) return -1;
    char c = *j->s++;
    if (c == close) return j->depth--, 0;
    if (c != ',') return -1;
    j_ws(j);
  }
}

/* Skips any JSON value; numbers and literals loosely (only the message matters). */
static int j_value(jcur *j) {
  j_ws(j);
  if (j->s >= j->e) return -1;
  if (*j->s == '"') return j_string(j, NULL);
  if (*j->s == '{') return j_container(j, '}');
  if (*j->s == '[') return j_container(j, ']');
  const char *start = j->s;
  while (j->s < j->e && *j->s && strchr("+-.0123456789eEtruefalsn", *j->s)) j->s++;
  return j->s > start ? 0 : -1;
}

/* The top-level "message" string of a JSON object, decoded into b. */
static int json_status(const char *s, size_t len, sl_buf *b) {
  jcur j = {s, s + len, 0};
  sl_buf key = {0};
  int found = -1;
  j_ws(&j);
  if (j.s >= j.e || *j.s++ != '{') return -1;
  for (j_ws(&j); j.s < j.e && *j.s != '}';) {
    key.len = 0;
    if (j_string(&j, &key)) break;
    j_ws(&j);
    if (j.s >= j.e || *j.s++ != ':') break;
    j_ws(&j);
    int is_msg = key.len == 7 && memcmp(key.data, "message", 7) == 0 && j.s < j.e && *j.s == '"';
    if (is_msg) b->len = 0;
    if (is_msg ? j_string(&j, b) : j_value(&j)) break;
    if (is_msg) found = 0;
    j_ws(&j);
    if (j.s < j.e && *j.s == ',') j.s++, j_ws(&j);
  }
  sl_buf_free(&key);
  return found;
}

static int looks_json(const char *ct, const char *s, size_t len) {
  if (ct && strstr(ct, "json")) return 1;
  while (len && is_ws(*s)) s++, len--;
  return len && *s == '{';
}

size_t sl_otlp_status_message(const char *content_type, const void *body, size_t len, char *out,
                              size_t out_len) {
  const char *s = body;
  if (!out_len) return 0;
  out[0] = '\0';
  if (!len) return 0;
  if (looks_json(content_type, s, len)) {
    sl_buf b = {0};
    int ok = json_status(s, len, &b) == 0;
    size_t n = ok ? readable(b.data ? b.data : "", b.len, out, out_len) : 0;
    sl_buf_free(&b);
    if (ok) return n;
  }
  const char *msg;
  size_t mlen = 0;
  int64_t code;
  if (!(content_type && strstr(content_type, "text/")) &&
      pb_status((const unsigned char *)s, len, &msg, &mlen, &code) == 0) {
    if (msg) return readable(msg, mlen, out, out_len);
    snprintf(out, out_len, "google.rpc.Status code %lld", (long long)code);
    return strlen(out);
  }
  return readable(s, len, out, out_len);
}

/* ---- The client ---- */

struct sl_http_client {
  sl_url url;
  int fd;
  unsigned long connects;
};

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left for poll: -1 means no deadline, 0 means it has passed. */
static int left_ms(int64_t deadline) {
  if (deadline < 0) return -1;
  int64_t left = deadline - mono_ms();
  if (left <= 0) return 0;
  return left > 1000000 ? 1000000 : (int)left;
}

sl_http_client *sl_http_client_new(const char *url, char *why, size_t why_len) {
  sl_http_client *c = calloc(1, sizeof *c);
  if (!c) return say(why, why_len, "out of memory"), NULL;
  if (sl_url_parse(url, &c->url, why, why_len)) {
    free(c);
    return NULL;
  }
  c->fd = -1;
  return c;
}

void sl_http_client_close(sl_http_client *c) {
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
}

void sl_http_client_free(sl_http_client *c) {
  if (!c) return;
  sl_http_client_close(c);
  sl_url_free(&c->url);
  free(c);
}

unsigned long sl_http_client_connects(const sl_http_client *c) { return c->connects; }

static int open_socket(int family) {
  int fd;
#ifdef SOCK_CLOEXEC
  fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
#else
  fd = socket(family, SOCK_STREAM, 0);
  if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC), fcntl(fd, F_SETFL, O_NONBLOCK);
#endif
  if (fd < 0) return -1;
  int one = 1;
  /* Head and body go out in one sendmsg, and the next request waits for this response:
     Nagle would only add delay. */
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef SO_NOSIGPIPE
  setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
  return fd;
}

/* One non-blocking connect, waited for at most wait_ms (-1: no limit). 0 or an errno. */
static int connect_one(const struct addrinfo *ai, int wait_ms, int *out_fd) {
  int fd = open_socket(ai->ai_family);
  if (fd < 0) return errno;
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return *out_fd = fd, 0;
  int err = errno;
  if (err == EINPROGRESS) {
    struct pollfd pf = {fd, POLLOUT, 0};
    int r;
    while ((r = poll(&pf, 1, wait_ms)) < 0 && errno == EINTR) {}
    socklen_t len = sizeof err;
    if (r == 0) err = ETIMEDOUT;
    else if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  }
  if (err == 0) return *out_fd = fd, 0;
  close(fd);
  return err;
}

/* Each address gets a share of the time left, so that one that drops packets does not use up
   the deadline of the others (at least half a second, when that much is left). */
static int share_ms(int64_t deadline, int addresses_left) {
  int left = left_ms(deadline);
  if (left < 0 || addresses_left <= 1) return left;
  int share = left / addresses_left;
  return share < 500 ? (left < 500 ? left : 500) : share;
}

static sl_http_error connect_any(sl_http_client *c, int64_t deadline, sl_http_result *res) {
  struct addrinfo hints = {0}, *list = NULL;
  char port[8];
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  snprintf(port, sizeof port, "%u", (unsigned)c->url.port);
  int g = getaddrinfo(c->url.host, port, &hints, &list); /* no deadline of its own */
  if (g != 0) return res->sys_errno = g == EAI_SYSTEM ? errno : 0, SL_HTTP_ERR_RESOLVE;
  int n = 0, err = ECONNREFUSED;
  for (struct addrinfo *a = list; a; a = a->ai_next) n++;
  for (struct addrinfo *a = list; a && c->fd < 0; a = a->ai_next, n--) {
    if (left_ms(deadline) == 0) {
      err = ETIMEDOUT;
      break;
    }
    err = connect_one(a, share_ms(deadline, n), &c->fd);
  }
  freeaddrinfo(list);
  if (c->fd >= 0) return c->connects++, SL_HTTP_OK;
  res->sys_errno = err;
  return err == ETIMEDOUT && left_ms(deadline) == 0 ? SL_HTTP_ERR_TIMEOUT : SL_HTTP_ERR_CONNECT;
}

/* An idle kept-alive connection that has become readable was closed by the server (or holds
   stray bytes): either way it cannot carry the next request. */
static int idle_conn_dead(int fd) {
  struct pollfd pf = {fd, POLLIN, 0};
  return poll(&pf, 1, 0) != 0;
}

static int has_user_agent(const sl_http_request *rq) {
  for (size_t i = 0; i < rq->n_headers; i++)
    if (strlen(rq->headers[i].name) == 10 && prefix_ci(rq->headers[i].name, "user-agent"))
      return 1;
  return 0;
}

static int add_header(sl_buf *h, const char *name, const char *value) {
  if (!value) return 0;
  size_t a = strlen(name), b = strlen(value);
  if (sl_buf_reserve(h, a + b + 4)) return -1;
  sl_buf_put(h, name, a);
  sl_buf_put(h, ": ", 2);
  sl_buf_put(h, value, b);
  sl_buf_put(h, "\r\n", 2);
  return 0;
}

static int build_head(const sl_http_client *c, const sl_http_request *rq, sl_buf *h) {
  char len[24];
  snprintf(len, sizeof len, "%zu", rq->body_len);
  int bad = sl_buf_lit(h, "POST ") || sl_buf_append(h, c->url.target, strlen(c->url.target)) ||
            sl_buf_lit(h, " HTTP/1.1\r\n") || add_header(h, "Host", c->url.authority);
  if (!has_user_agent(rq)) bad |= add_header(h, "User-Agent", "spanlog/" SPANLOG_VERSION_STRING);
  bad |= add_header(h, "Content-Type", rq->content_type);
  bad |= add_header(h, "Content-Encoding", rq->content_encoding);
  for (size_t i = 0; i < rq->n_headers; i++)
    if (sl_http_header_ok(rq->headers[i].name, rq->headers[i].value))
      bad |= add_header(h, rq->headers[i].name, rq->headers[i].value);
  bad |= add_header(h, "Content-Length", len) || sl_buf_lit(h, "\r\n");
  return bad ? -1 : 0;
}

static sl_http_error io_error(int err, sl_http_result *res) {
  res->sys_errno = err;
  if (err == EPIPE || err == ECONNRESET || err == ECONNABORTED || err == ENOTCONN)
    return SL_HTTP_ERR_CLOSED;
  return err == ETIMEDOUT ? SL_HTTP_ERR_TIMEOUT : SL_HTTP_ERR_IO;
}

/* Waits until fd is ready for events, within the deadline. */
static sl_http_error wait_fd(int fd, short events, int64_t deadline, sl_http_result *res) {
  struct pollfd pf = {fd, events, 0};
  for (;;) {
    int wait = left_ms(deadline);
    if (wait == 0) return res->sys_errno = ETIMEDOUT, SL_HTTP_ERR_TIMEOUT;
    int r = poll(&pf, 1, wait);
    if (r > 0) return SL_HTTP_OK;
    if (r < 0 && errno != EINTR) return io_error(errno, res);
  }
}

/* Drops the k bytes that went out from the front of the message. */
static void advance(struct msghdr *m, size_t k) {
  while (m->msg_iovlen && k >= m->msg_iov[0].iov_len) {
    k -= m->msg_iov[0].iov_len;
    m->msg_iov++, m->msg_iovlen--;
  }
  if (m->msg_iovlen) {
    m->msg_iov[0].iov_base = (char *)m->msg_iov[0].iov_base + k;
    m->msg_iov[0].iov_len -= k;
  }
}

static sl_http_error send_all(int fd, const sl_buf *head, const sl_http_request *rq,
                              int64_t deadline, sl_http_result *res) {
  struct iovec iov[2] = {{head->data, head->len}, {(void *)rq->body, rq->body_len}};
  struct msghdr m = {0};
  m.msg_iov = iov;
  m.msg_iovlen = rq->body_len ? 2 : 1;
  while (m.msg_iovlen) {
    ssize_t w = sendmsg(fd, &m, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      sl_http_error e = wait_fd(fd, POLLOUT, deadline, res);
      if (e) return e;
      continue;
    }
    if (w < 0) return io_error(errno, res);
    advance(&m, (size_t)w);
  }
  return SL_HTTP_OK;
}

/* Reads until the response is whole. *got_any tells whether a byte of it arrived. */
static sl_http_error read_response(int fd, int64_t deadline, sl_http_result *res, int *got_any) {
  sl_http_parser p;
  char chunk[READ_CHUNK];
  sl_http_error e = SL_HTTP_OK;
  sl_http_parse_state st = SL_HTTP_PARSE_MORE;
  sl_http_parser_init(&p, res, 0);
  while (st == SL_HTTP_PARSE_MORE && !res->body_truncated) {
    ssize_t r = recv(fd, chunk, sizeof chunk, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if ((e = wait_fd(fd, POLLIN, deadline, res))) break;
      continue;
    }
    if (r < 0) {
      e = io_error(errno, res);
      break;
    }
    if (r > 0) *got_any = 1;
    size_t used = 0;
    st = r == 0 ? sl_http_parser_eof(&p, time(NULL))
                : sl_http_parser_feed(&p, chunk, (size_t)r, &used, time(NULL));
    if (st == SL_HTTP_PARSE_DONE && used < (size_t)r) res->keep_alive = 0; /* stray bytes */
  }
  if (!e && st == SL_HTTP_PARSE_ERROR) e = res->error;
  if (res->body_truncated) res->keep_alive = 0; /* the rest is discarded with the connection */
  sl_http_parser_free(&p);
  return e;
}

/* One request on the open connection. */
static sl_http_error exchange(sl_http_client *c, const sl_buf *head, const sl_http_request *rq,
                              int64_t deadline, sl_http_result *res, int *got_any) {
  sl_http_error e = send_all(c->fd, head, rq, deadline, res);
  if (e) return e;
  return read_response(c->fd, deadline, res, got_any);
}

sl_http_error sl_http_post(sl_http_client *c, const sl_http_request *rq, sl_http_result *res) {
  sl_buf head = {0};
  int64_t deadline = rq->timeout_ms > 0 ? mono_ms() + rq->timeout_ms : -1;
  sl_http_result_init(res);
  if (build_head(c, rq, &head)) return res->error = SL_HTTP_ERR_NOMEM;
  for (int attempt = 0;; attempt++) {
    if (c->fd >= 0 && idle_conn_dead(c->fd)) sl_http_client_close(c);
    int reused = c->fd >= 0, got_any = 0;
    sl_http_error e = reused ? SL_HTTP_OK : connect_any(c, deadline, res);
    if (!e) e = exchange(c, &head, rq, deadline, res, &got_any);
    res->error = e;
    if (e || !res->keep_alive) sl_http_client_close(c);
    /* The server closed a kept-alive connection under the request before answering: it
       did not process it, so sending once more on a fresh connection delivers it once. */
    if (!(e == SL_HTTP_ERR_CLOSED && reused && !got_any && attempt == 0)) break;
    sl_http_result_free(res);
  }
  sl_buf_free(&head);
  return res->error;
}
