/* Line reading over read(2) with one growing buffer per source. */
#define _POSIX_C_SOURCE 200809L
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK (1u << 20)
/* A longer line is not a record anyone wrote on purpose; it is skipped, not buffered. */
#define MAX_LINE (64u << 20)

int source_open(source *s, const char *path) {
  struct stat st;
  memset(s, 0, sizeof *s);
  if (!path || !strcmp(path, "-")) {
    s->fd = STDIN_FILENO;
  } else {
    s->path = path;
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) return -1;
  }
  if (fstat(s->fd, &st) == 0) {
    s->regular = S_ISREG(st.st_mode);
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    if (S_ISDIR(st.st_mode)) {
      source_close(s);
      errno = EISDIR;
      return -1;
    }
  }
  return 0;
}

void source_close(source *s) {
  if (s->path && s->fd >= 0) close(s->fd);
  s->fd = -1;
  sb_free(&s->buf);
}

/* Hands on every complete line in the buffer and keeps the unfinished rest. */
static void split_lines(source *s, line_fn fn, void *ctx) {
  char *base = s->buf.p;
  size_t start = 0, len = s->buf.len;
  char *nl;
  while ((nl = memchr(base + s->scan, '\n', len - s->scan)) != NULL) {
    size_t end = (size_t)(nl - base);
    *nl = 0;
    if (s->overlong) fn(ctx, NULL, 0);
    else fn(ctx, base + start, end - start);
    s->overlong = false;
    start = s->scan = end + 1;
  }
  s->scan = len;
  if (start) {
    memmove(base, base + start, len - start);
    s->buf.len = len - start;
    s->scan -= start;
  }
  if (s->buf.len > MAX_LINE) { /* drop what we have; the line is counted at its newline */
    s->overlong = true;
    s->buf.len = s->scan = 0;
  }
}

long source_pump(source *s, line_fn fn, void *ctx) {
  if (s->fd < 0 || s->closed) return 0;
  sb_reserve(&s->buf, READ_CHUNK);
  ssize_t n = read(s->fd, s->buf.p + s->buf.len, READ_CHUNK);
  if (n < 0) return errno == EINTR || errno == EAGAIN ? 0 : -1;
  if (n == 0) {
    if (!s->regular) s->closed = true;
    return 0;
  }
  s->buf.len += (size_t)n;
  s->offset += n;
  split_lines(s, fn, ctx);
  return (long)n;
}

void source_finish(source *s, line_fn fn, void *ctx) {
  if (s->overlong) fn(ctx, NULL, 0);
  else if (s->buf.len) {
    sb_reserve(&s->buf, 1);
    s->buf.p[s->buf.len] = 0;
    fn(ctx, s->buf.p, s->buf.len);
  }
  s->buf.len = s->scan = 0;
  s->overlong = false;
}

bool source_check_rotation(source *s, line_fn fn, void *ctx) {
  struct stat st;
  if (!s->regular || !s->path || stat(s->path, &st) != 0) return false; /* moved away, not yet recreated */
  if (st.st_dev != s->dev || st.st_ino != s->ino) {
    int fd = open(s->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    while (source_pump(s, fn, ctx) > 0) { /* what the old file got after our last read */
    }
    source_finish(s, fn, ctx);
    close(s->fd);
    s->fd = fd;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->offset = 0;
    return true;
  }
  if (st.st_size < s->offset) { /* truncated in place */
    lseek(s->fd, 0, SEEK_SET);
    s->offset = 0;
    s->buf.len = s->scan = 0;
    return true;
  }
  return false;
}

bool source_wait(source *s, int ms) {
  if (s->closed || s->fd < 0) return false;
  if (s->regular) return true;
  struct pollfd p = {.fd = s->fd, .events = POLLIN};
  return poll(&p, 1, ms) > 0;
}
