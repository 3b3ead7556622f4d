/* Keyed hashing of identifiers: SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012) with a 128-bit key and a 64-bit output, and the "h:" + 16 hex
 * form that redaction puts in place of an identifier such as a user id. The same key and
 * value always give the same text (records still group by user), and without the key the
 * value cannot be recovered or confirmed by hashing guesses. Pure functions, no state. */
#ifndef SL_KEYED_HASH_H
#define SL_KEYED_HASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of data[0..n) under key (k0 = key[0..8), k1 = key[8..16), little-endian,
   as in the paper). Returns the 64-bit tag as a number: the paper's byte string of the
   tag is this number in little-endian order. */
uint64_t sl_siphash24(const uint8_t key[16], const void *data, size_t n);

/* Writes "h:" and the 16 lowercase hex digits of sl_siphash24(key, value, n) (the number,
   most significant digit first) and a NUL: 19 bytes in all. value may hold any bytes. */
void sl_hash_identifier(const uint8_t key[16], const char *value, size_t n, char out[19]);

#endif
