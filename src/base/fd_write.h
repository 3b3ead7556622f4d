/* Writing a whole buffer to a file descriptor, as sinks and exporters' files need it. */
#ifndef SL_FD_WRITE_H
#define SL_FD_WRITE_H

#include <stddef.h>

/* write(2) until all n bytes are out: retried on EINTR, waited for (poll) on a
   non-blocking fd. 0, or an errno value; *done (may be NULL): the bytes written either
   way (a short write followed by an error leaves only part of the buffer out). */
int sl_write_all(int fd, const void *p, size_t n, size_t *done);

#endif
