/* A null OTLP/HTTP receiver for the export benchmark: answers every POST with an empty
 * 200 at once (HTTP/1.1 keep-alive, a thread per connection) and counts the spans of the
 * protobuf ExportTraceServiceRequests it got. GET /stats answers
 * {"requests":N,"spans":N,"bytes":N}; GET /reset zeroes them.
 *
 *   otlp_null_receiver [PORT]     binds 127.0.0.1 (PORT 0: a free one); prints the port */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static _Atomic uint64_t requests, spans, bytes;

static int varint(const unsigned char **p, const unsigned char *end, uint64_t *v) {
  *v = 0;
  for (int s = 0; s < 64 && *p < end; s += 7) {
    unsigned char b = *(*p)++;
    *v |= (uint64_t)(b & 0x7f) << s;
    if (!(b & 0x80)) return 0;
  }
  return -1;
}

/* Counts the length-delimited fields numbered `field` at depth `want` of the path
   resource_spans(1) > scope_spans(2) > spans(2). */
static uint64_t count(const unsigned char *p, const unsigned char *end, int depth) {
  static const unsigned path[] = {1, 2, 2};
  uint64_t n = 0;
  while (p < end) {
    uint64_t key, len;
    if (varint(&p, end, &key)) break;
    unsigned wire = key & 7;
    if (wire == 0) {
      if (varint(&p, end, &len)) break;
      continue;
    }
    if (wire == 1 || wire == 5) {
      p += wire == 1 ? 8 : 4;
      continue;
    }
    if (wire != 2 || varint(&p, end, &len) || len > (uint64_t)(end - p)) break;
    if ((key >> 3) == path[depth]) n += depth == 2 ? 1 : count(p, p + len, depth + 1);
    p += len;
  }
  return n;
}

static void answer(int fd, const char *body) {
  char head[256];
  int n = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\n"
                   "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
  if (write(fd, head, (size_t)n) < 0) return;
}

/* One request from buf (len bytes read so far); returns the bytes it took, 0 if more
   are needed, -1 on a bad request. */
static long one_request(int fd, char *buf, size_t len) {
  char *end = memmem(buf, len, "\r\n\r\n", 4);
  if (!end) return len > 65536 ? -1 : 0;
  size_t head = (size_t)(end - buf) + 4, body = 0;
  for (char *l = buf; l < end; l = strstr(l, "\r\n") + 2)
    if (strncasecmp(l, "Content-Length:", 15) == 0) body = strtoul(l + 15, NULL, 10);
  if (len < head + body) return 0;
  if (strncmp(buf, "GET /stats", 10) == 0) {
    char s[160];
    snprintf(s, sizeof s, "{\"requests\":%llu,\"spans\":%llu,\"bytes\":%llu}", (unsigned long long)requests,
             (unsigned long long)spans, (unsigned long long)bytes);
    answer(fd, s);
  } else if (strncmp(buf, "GET /reset", 10) == 0) {
    requests = spans = bytes = 0;
    answer(fd, "");
  } else {
    const unsigned char *b = (const unsigned char *)buf + head;
    atomic_fetch_add(&spans, count(b, b + body, 0));
    atomic_fetch_add(&requests, 1);
    atomic_fetch_add(&bytes, body);
    answer(fd, "");
  }
  return (long)(head + body);
}

static void *serve(void *arg) {
  int fd = (int)(intptr_t)arg;
  size_t cap = 1 << 20, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (len == cap) {
      char *p = realloc(buf, cap *= 2);
      if (!p) break;
      buf = p;
    }
    ssize_t r = read(fd, buf + len, cap - len);
    if (r <= 0) break;
    len += (size_t)r;
    long used;
    while (len && (used = one_request(fd, buf, len)) > 0) {
      memmove(buf, buf + used, len - (size_t)used);
      len -= (size_t)used;
    }
    if (len && used < 0) break;
  }
  free(buf);
  close(fd);
  return NULL;
}

int main(int argc, char **argv) {
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(argc > 1 ? atoi(argv[1]) : 0))};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t al = sizeof a;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 64) || getsockname(s, (struct sockaddr *)&a, &al)) {
    perror("otlp_null_receiver");
    return 1;
  }
  printf("%d\n", ntohs(a.sin_port));
  fflush(stdout);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    pthread_t t;
    if (pthread_create(&t, NULL, serve, (void *)(intptr_t)c) == 0) pthread_detach(t);
    else close(c);
  }
}
