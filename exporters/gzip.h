/* gzip (RFC 1952) of a request body, with a deflate (RFC 1951) of spanlog's own: LZ77 over
 * a 32 KiB window with hash chains and one-step lazy matching, then per block the
 * smallest of dynamic Huffman codes, the fixed codes and stored bytes. No zlib needed. */
#ifndef SL_GZIP_H
#define SL_GZIP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Appends the gzip member of in[0..n) to out (one member, mtime 0, OS "unknown").
   Returns 0, or -1 when memory ran out (out is then as it was). Inputs up to 4 GiB keep
   ISIZE exact; larger ones are still valid (ISIZE is the size modulo 2^32, as RFC 1952
   says). Thread-safe: all state is local to the call. */
int sl_gzip(const void *in, size_t n, sl_buf *out);

/* The CRC-32 of RFC 1952 (ISO 3309, reflected polynomial 0xEDB88320), continued from crc
   (0 to start). */
uint32_t sl_crc32(uint32_t crc, const void *p, size_t n);

#endif
