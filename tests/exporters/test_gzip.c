/* gzip: CRC-32 vectors here; with a directory, inputs of many shapes (empty, random,
   runs, a skewed alphabet that needs length-limited codes, real OTLP bodies) written as
   NAME.bin and NAME.gz for check_gzip.py to inflate with Python's gzip and zlib and the
   gzip program. */
#include <stdio.h>
#include <stdlib.h>

#include "exporters/gzip.h"
#include "exporters/otlp_encode.h"
#include "expect.h"
#include "fixtures.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t next_random(void) { /* xorshift64*: any fixed sequence will do */
  rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
  return (uint32_t)((rng * 0x2545F4914F6CDD1Du) >> 32);
}

static void crc_vectors(void) {
  EXPECT(sl_crc32(0, "", 0) == 0);
  EXPECT(sl_crc32(0, "123456789", 9) == 0xCBF43926u); /* the check value of CRC-32/ISO-HDLC */
  EXPECT(sl_crc32(0, "The quick brown fox jumps over the lazy dog", 43) == 0x414FA339u);
  /* continued in pieces, and across the eight-byte steps */
  uint32_t c = sl_crc32(0, "12345", 5);
  EXPECT(sl_crc32(c, "6789", 4) == 0xCBF43926u);
}

static void empty_output(void) {
  sl_buf b = {0};
  EXPECT(sl_gzip("", 0, &b) == 0);
  /* header, the empty fixed block 03 00, CRC 0, size 0 */
  static const unsigned char want[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_BYTES(b.data, b.len, want, sizeof want);
  sl_buf_free(&b);
}

static const char *dir;

static void write_pair(const char *name, const unsigned char *p, size_t n) {
  sl_buf gz = {0};
  char path[4096];
  EXPECT(sl_gzip(p, n, &gz) == 0);
  /* never more than the input plus the stored blocks' overhead */
  EXPECT(gz.len <= n + 18 + 5 * (n / 16383 + 1) + 8);
  for (int k = 0; k < 2 && dir; k++) {
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, k ? "gz" : "bin");
    FILE *f = fopen(path, "wb");
    const void *data = k ? (const void *)gz.data : (const void *)p;
    size_t len = k ? gz.len : n;
    EXPECT(f && fwrite(data, 1, len, f) == len && fclose(f) == 0);
  }
  sl_buf_free(&gz);
}

/* A body of n GenAI spans as the exporter sends them. */
static void otlp_body(sl_buf *body, size_t n, sl_otlp_format fmt) {
  sl_buf items = {0};
  sl_otlp_item *it = calloc(n, sizeof *it);
  size_t *off = calloc(n + 1, sizeof *off);
  static fx_genai g;
  for (size_t i = 0; i < n; i++) {
    fx_genai_span(&g, i);
    off[i] = items.len;
    EXPECT(sl_otlp_encode_span(&g.view, fmt, &items) == 0);
  }
  off[n] = items.len;
  for (size_t i = 0; i < n; i++) it[i].data = items.data + off[i], it[i].len = off[i + 1] - off[i];
  char *keys[] = {"service.name", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version"};
  char *values[] = {"agent", "spanlog", "c", "0.1.0"};
  sl_resource res = {4, keys, values};
  sl_otlp_scope scope = {"spanlog", "0.1.0"};
  EXPECT(sl_otlp_traces_request(&res, &scope, it, n, fmt, body) == 0);
  free(it), free(off), sl_buf_free(&items);
}

static void shapes(void) {
  size_t big = 3u << 20;
  unsigned char *p = malloc(big);
  write_pair("empty", p, 0);
  p[0] = 'a';
  write_pair("one", p, 1);
  write_pair("three", (const unsigned char *)"abc", 3);
  for (size_t i = 0; i < big; i++) p[i] = (unsigned char)next_random();
  write_pair("random_64k5", p, 65541);
  write_pair("random_3m", p, big);
  memset(p, 0, big);
  write_pair("zeros_3m", p, big);
  memset(p, 'x', 258 * 3 + 1);
  write_pair("run_775", p, 258 * 3 + 1);
  /* a small alphabet: short codes, long matches, matches at distance 1 */
  for (size_t i = 0; i < 1000000; i++) p[i] = "ab"[next_random() % 2 ? 0 : 1];
  write_pair("alphabet2", p, 1000000);
  /* Fibonacci frequencies over 26 symbols, shuffled: an unlimited Huffman code would be
     25 bits deep, so the 15-bit limit has work to do */
  size_t n = 0;
  uint32_t f0 = 1, f1 = 1;
  for (int s = 0; s < 26; s++) {
    for (uint32_t k = 0; k < f0 && n < big; k++) p[n++] = (unsigned char)(s * 7);
    uint32_t t = f0 + f1;
    f0 = f1, f1 = t;
  }
  for (size_t i = n - 1; i > 0; i--) {
    size_t j = next_random() % (i + 1);
    unsigned char t = p[i];
    p[i] = p[j], p[j] = t;
  }
  write_pair("fibonacci", p, n);
  /* text with repeats at every distance up to the window and past it */
  n = 0;
  while (n + 64 < big)
    n += (size_t)snprintf((char *)p + n, 64, "line %u of the log: value=%u\n", next_random() % 5000,
                          next_random() % 97);
  write_pair("text", p, n);
  sl_buf body = {0};
  otlp_body(&body, 4000, SL_OTLP_PROTOBUF);
  write_pair("otlp_protobuf", (const unsigned char *)body.data, body.len);
  body.len = 0;
  otlp_body(&body, 2000, SL_OTLP_JSON);
  write_pair("otlp_json", (const unsigned char *)body.data, body.len);
  sl_buf_free(&body);
  /* sizes around the block and stored-block limits */
  for (size_t i = 0; i < big; i++) p[i] = (unsigned char)(next_random() % 4 ? 'a' + next_random() % 3 : next_random());
  static const size_t sizes[] = {2, 4, 16383, 16384, 16385, 32767, 32768, 32769, 65535, 65536, 65537, 200000};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    char name[32];
    snprintf(name, sizeof name, "mixed_%zu", sizes[i]);
    write_pair(name, p, sizes[i]);
  }
  free(p);
}

int main(int argc, char **argv) {
  dir = argc > 1 ? argv[1] : NULL;
  crc_vectors();
  empty_output();
  shapes();
  EXPECT_DONE();
}
