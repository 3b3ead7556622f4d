/* SipHash-2-4, written from the paper's description (section 2): four 64-bit words of
 * state initialised from the key and the constants "somepseudorandomlygeneratedbytes",
 * two SipRounds per 8-byte message word, the last word carrying the length mod 256 in its
 * top byte, then 0xff xored into v2 and four finalisation rounds. */
#include "processors/keyed_hash.h"

#define SIP_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline uint64_t sip_load64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

typedef struct sip_state {
  uint64_t v0, v1, v2, v3;
} sip_state;

static inline void sip_round(sip_state *s) {
  s->v0 += s->v1;
  s->v1 = SIP_ROTL(s->v1, 13);
  s->v1 ^= s->v0;
  s->v0 = SIP_ROTL(s->v0, 32);
  s->v2 += s->v3;
  s->v3 = SIP_ROTL(s->v3, 16);
  s->v3 ^= s->v2;
  s->v0 += s->v3;
  s->v3 = SIP_ROTL(s->v3, 21);
  s->v3 ^= s->v0;
  s->v2 += s->v1;
  s->v1 = SIP_ROTL(s->v1, 17);
  s->v1 ^= s->v2;
  s->v2 = SIP_ROTL(s->v2, 32);
}

static inline void sip_absorb(sip_state *s, uint64_t m) {
  s->v3 ^= m;
  sip_round(s); /* c = 2 compression rounds */
  sip_round(s);
  s->v0 ^= m;
}

uint64_t sl_siphash24(const uint8_t key[16], const void *data, size_t n) {
  const unsigned char *p = (const unsigned char *)data;
  uint64_t k0 = sip_load64(key), k1 = sip_load64(key + 8);
  sip_state s = {
      k0 ^ UINT64_C(0x736f6d6570736575), /* "somepseu" */
      k1 ^ UINT64_C(0x646f72616e646f6d), /* "dorandom" */
      k0 ^ UINT64_C(0x6c7967656e657261), /* "lygenera" */
      k1 ^ UINT64_C(0x7465646279746573), /* "tedbytes" */
  };
  size_t whole = n & ~(size_t)7;
  for (size_t i = 0; i < whole; i += 8) sip_absorb(&s, sip_load64(p + i));
  /* The final word: the remaining 0..7 bytes, zero padding, and n mod 256 on top. */
  uint64_t last = (uint64_t)(n & 0xff) << 56;
  for (size_t i = 0; i < (n & 7); i++) last |= (uint64_t)p[whole + i] << (8 * i);
  sip_absorb(&s, last);
  s.v2 ^= 0xff;
  for (int r = 0; r < 4; r++) sip_round(&s); /* d = 4 finalisation rounds */
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

void sl_hash_identifier(const uint8_t key[16], const char *value, size_t n, char out[19]) {
  static const char hex[] = "0123456789abcdef";
  uint64_t h = sl_siphash24(key, value, n);
  out[0] = 'h';
  out[1] = ':';
  for (int i = 0; i < 16; i++) out[2 + i] = hex[(h >> (60 - 4 * i)) & 0xf];
  out[18] = '\0';
}
