/* Tests for src/keyed_hash.c: SipHash-2-4 against the 64 reference vectors of the SipHash
   authors' vectors.h (vectors_sip64: key 00 01 .. 0f, message 00 01 .. n-1 for n = 0..63,
   the tag read as a little-endian number), the paper's appendix example among them (n = 15),
   and the "h:" + hex identifier form: stable, keyed, and sensitive to every input byte.
   Standalone: prints each failure and exits non-zero. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "processors/keyed_hash.h"
#include "check.h"

static const uint64_t sip64_vectors[64] = {
    UINT64_C(0x726fdb47dd0e0e31), UINT64_C(0x74f839c593dc67fd), UINT64_C(0x0d6c8009d9a94f5a),
    UINT64_C(0x85676696d7fb7e2d), UINT64_C(0xcf2794e0277187b7), UINT64_C(0x18765564cd99a68d),
    UINT64_C(0xcbc9466e58fee3ce), UINT64_C(0xab0200f58b01d137), UINT64_C(0x93f5f5799a932462),
    UINT64_C(0x9e0082df0ba9e4b0), UINT64_C(0x7a5dbbc594ddb9f3), UINT64_C(0xf4b32f46226bada7),
    UINT64_C(0x751e8fbc860ee5fb), UINT64_C(0x14ea5627c0843d90), UINT64_C(0xf723ca908e7af2ee),
    UINT64_C(0xa129ca6149be45e5), UINT64_C(0x3f2acc7f57c29bdb), UINT64_C(0x699ae9f52cbe4794),
    UINT64_C(0x4bc1b3f0968dd39c), UINT64_C(0xbb6dc91da77961bd), UINT64_C(0xbed65cf21aa2ee98),
    UINT64_C(0xd0f2cbb02e3b67c7), UINT64_C(0x93536795e3a33e88), UINT64_C(0xa80c038ccd5ccec8),
    UINT64_C(0xb8ad50c6f649af94), UINT64_C(0xbce192de8a85b8ea), UINT64_C(0x17d835b85bbb15f3),
    UINT64_C(0x2f2e6163076bcfad), UINT64_C(0xde4daaaca71dc9a5), UINT64_C(0xa6a2506687956571),
    UINT64_C(0xad87a3535c49ef28), UINT64_C(0x32d892fad841c342), UINT64_C(0x7127512f72f27cce),
    UINT64_C(0xa7f32346f95978e3), UINT64_C(0x12e0b01abb051238), UINT64_C(0x15e034d40fa197ae),
    UINT64_C(0x314dffbe0815a3b4), UINT64_C(0x027990f029623981), UINT64_C(0xcadcd4e59ef40c4d),
    UINT64_C(0x9abfd8766a33735c), UINT64_C(0x0e3ea96b5304a7d0), UINT64_C(0xad0c42d6fc585992),
    UINT64_C(0x187306c89bc215a9), UINT64_C(0xd4a60abcf3792b95), UINT64_C(0xf935451de4f21df2),
    UINT64_C(0xa9538f0419755787), UINT64_C(0xdb9acddff56ca510), UINT64_C(0xd06c98cd5c0975eb),
    UINT64_C(0xe612a3cb9ecba951), UINT64_C(0xc766e62cfcadaf96), UINT64_C(0xee64435a9752fe72),
    UINT64_C(0xa192d576b245165a), UINT64_C(0x0a8787bf8ecb74b2), UINT64_C(0x81b3e73d20b49b6f),
    UINT64_C(0x7fa8220ba3b2ecea), UINT64_C(0x245731c13ca42499), UINT64_C(0xb78dbfaf3a8d83bd),
    UINT64_C(0xea1ad565322a1a0b), UINT64_C(0x60e61c23a3795013), UINT64_C(0x6606d7e446282b93),
    UINT64_C(0x6ca4ecb15c5f91e1), UINT64_C(0x9f626da15c9625f3), UINT64_C(0xe51b38608ef25f57),
    UINT64_C(0x958a324ceb064572),
};

static void reference_key(uint8_t key[16]) {
  for (int i = 0; i < 16; i++) key[i] = (uint8_t)i;
}

static void test_reference_vectors(void) {
  uint8_t key[16], msg[64];
  reference_key(key);
  for (int i = 0; i < 64; i++) msg[i] = (uint8_t)i;
  for (size_t n = 0; n < 64; n++) {
    uint64_t got = sl_siphash24(key, msg, n);
    CHECK_MSG(got == sip64_vectors[n], "n=%zu: got %016llx, want %016llx", n,
              (unsigned long long)got, (unsigned long long)sip64_vectors[n]);
  }
}

/* The paper's appendix: 15-byte message 00..0e under key 00..0f gives a129ca6149be45e5. */
static void test_paper_example(void) {
  uint8_t key[16], msg[15];
  reference_key(key);
  for (int i = 0; i < 15; i++) msg[i] = (uint8_t)i;
  CHECK(sl_siphash24(key, msg, sizeof msg) == UINT64_C(0xa129ca6149be45e5));
  char out[19];
  sl_hash_identifier(key, (const char *)msg, sizeof msg, out);
  CHECK_STR(out, "h:a129ca6149be45e5");
}

static void test_identifier_form(void) {
  uint8_t key[16];
  reference_key(key);
  char out[19];
  memset(out, 'x', sizeof out);
  sl_hash_identifier(key, "", 0, out);
  CHECK_STR(out, "h:726fdb47dd0e0e31"); /* vector 0: the empty message */
  sl_hash_identifier(key, NULL, 0, out);
  CHECK_STR(out, "h:726fdb47dd0e0e31");
  sl_hash_identifier(key, "user-42", 7, out);
  CHECK_INT(strlen(out), 18);
  CHECK(out[0] == 'h' && out[1] == ':');
  for (int i = 2; i < 18; i++) CHECK((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'a' && out[i] <= 'f'));
  /* Leading zero digits are kept: some value hashes to a number below 2^60 soon enough. */
  int found = 0;
  for (unsigned i = 0; i < 100000 && !found; i++) {
    char v[16];
    int len = snprintf(v, sizeof v, "%u", i);
    if (sl_siphash24(key, v, (size_t)len) >> 60 == 0) {
      sl_hash_identifier(key, v, (size_t)len, out);
      CHECK(out[2] == '0');
      CHECK_INT(strlen(out), 18);
      found = 1;
    }
  }
  CHECK(found);
}

static void test_stable(void) {
  uint8_t key[16];
  for (int i = 0; i < 16; i++) key[i] = (uint8_t)(0xa0 + i * 7);
  char a[19], b[19];
  sl_hash_identifier(key, "alice@example.com", 17, a);
  sl_hash_identifier(key, "alice@example.com", 17, b);
  CHECK_STR(a, b);
  /* The key is read, not kept: a copy of it gives the same hash. */
  uint8_t copy[16];
  memcpy(copy, key, 16);
  sl_hash_identifier(copy, "alice@example.com", 17, b);
  CHECK_STR(a, b);
  /* Bytes past n are not read; NUL bytes inside are hashed. */
  sl_hash_identifier(key, "alice@example.comXYZ", 17, b);
  CHECK_STR(a, b);
  CHECK(sl_siphash24(key, "a\0b", 3) != sl_siphash24(key, "a\0c", 3));
  CHECK(sl_siphash24(key, "a\0b", 3) != sl_siphash24(key, "a", 1));
  /* Unaligned input gives the same result as aligned. */
  unsigned char buf[80];
  for (int i = 0; i < 80; i++) buf[i] = (unsigned char)(i * 31 + 5);
  unsigned char moved[81];
  memcpy(moved + 1, buf, 80);
  for (size_t n = 0; n <= 80; n++) CHECK(sl_siphash24(key, buf, n) == sl_siphash24(key, moved + 1, n));
}

static uint64_t rng_state = 0x6b65796564686173u;

static void test_keyed(void) {
  uint8_t k1[16], k2[16];
  for (int i = 0; i < 16; i++) k1[i] = k2[i] = (uint8_t)i;
  char a[19], b[19];
  sl_hash_identifier(k1, "user_id=1234", 12, a);
  /* Every single-bit change of the key changes the hash. */
  for (int bit = 0; bit < 128; bit++) {
    memcpy(k2, k1, 16);
    k2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    sl_hash_identifier(k2, "user_id=1234", 12, b);
    CHECK_MSG(strcmp(a, b) != 0, "key bit %d", bit);
  }
  /* Every single-bit change of the value too. */
  char v[12];
  memcpy(v, "user_id=1234", 12);
  for (int bit = 0; bit < 96; bit++) {
    v[bit / 8] ^= (char)(1u << (bit % 8));
    sl_hash_identifier(k1, v, 12, b);
    CHECK_MSG(strcmp(a, b) != 0, "value bit %d", bit);
    v[bit / 8] ^= (char)(1u << (bit % 8));
  }
  /* Random keys: 2000 keys, no two equal hashes of one value (a collision of 64-bit tags
     here has probability about 1e-13). */
  enum { NKEYS = 2000 };
  static uint64_t hashes[NKEYS];
  for (int i = 0; i < NKEYS; i++) {
    uint8_t key[16];
    uint64_t r0 = check_splitmix64(&rng_state), r1 = check_splitmix64(&rng_state);
    memcpy(key, &r0, 8);
    memcpy(key + 8, &r1, 8);
    hashes[i] = sl_siphash24(key, "same value", 10);
  }
  int dup = 0;
  for (int i = 0; i < NKEYS; i++)
    for (int j = i + 1; j < NKEYS; j++) dup += hashes[i] == hashes[j];
  CHECK_INT(dup, 0);
}

int main(void) {
  RUN(test_reference_vectors);
  RUN(test_paper_example);
  RUN(test_identifier_form);
  RUN(test_stable);
  RUN(test_keyed);
  return check_exit();
}
