#include "base/fd_write.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

int sl_write_all(int fd, const void *p, size_t n, size_t *done) {
  const char *c = p;
  size_t written = 0;
  int err = 0;
  while (written < n) {
    ssize_t w = write(fd, c + written, n - written);
    if (w > 0) {
      written += (size_t)w;
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      struct pollfd pfd = {fd, POLLOUT, 0};
      poll(&pfd, 1, 1000);
      continue;
    }
    err = w < 0 ? errno : EIO; /* 0 bytes for a non-empty write: the device took none */
    break;
  }
  if (done) *done = written;
  return err;
}
