/* The protobuf wire writer against byte vectors worked out by hand from the encoding
   guide (https://protobuf.dev/programming-guides/encoding). */
#include <stdint.h>

#include "exporters/protobuf.h"
#include "expect.h"

#define BYTES(...) ((const unsigned char[]){__VA_ARGS__}), sizeof((const unsigned char[]){__VA_ARGS__})
/* The buffer's first got_len bytes against the listed ones. */
#define EXPECT_AT(got_len, ...)                                                          \
  do {                                                                                    \
    static const unsigned char want_[] = {__VA_ARGS__};                                   \
    EXPECT_BYTES(b.data, (got_len), want_, sizeof want_);                                 \
  } while (0)

static sl_buf b;

static void reset(void) { b.len = 0; }

static void varints(void) {
  static const struct {
    uint64_t v;
    size_t n;
    unsigned char bytes[10];
  } cases[] = {
      {0, 1, {0x00}},
      {1, 1, {0x01}},
      {127, 1, {0x7f}},
      {128, 2, {0x80, 0x01}},
      {150, 2, {0x96, 0x01}},
      {300, 2, {0xac, 0x02}},
      {16383, 2, {0xff, 0x7f}},
      {16384, 3, {0x80, 0x80, 0x01}},
      {UINT32_MAX, 5, {0xff, 0xff, 0xff, 0xff, 0x0f}},
      {(uint64_t)1 << 63, 10, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
      {UINT64_MAX, 10, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    reset();
    EXPECT(sl_buf_reserve(&b, PB_SMALL) == 0);
    pb_put_varint(&b, cases[i].v);
    EXPECT_BYTES(b.data, b.len, cases[i].bytes, cases[i].n);
    EXPECT(pb_varint_size(cases[i].v) == cases[i].n);
  }
}

static void scalars(void) {
  reset();
  EXPECT(pb_uint(&b, 1, 150) == 0); /* the guide's first example: 08 96 01 */
  EXPECT_AT(b.len, 0x08, 0x96, 0x01);
  reset();
  EXPECT(pb_uint(&b, 2, 0) == 0); /* written: oneof members keep their zero */
  EXPECT_AT(b.len, 0x10, 0x00);
  reset();
  EXPECT(pb_int64(&b, 3, -1) == 0); /* int64 -1: ten bytes */
  EXPECT_AT(b.len, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
  reset();
  EXPECT(pb_int64(&b, 3, INT64_MIN) == 0);
  EXPECT_AT(b.len, 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
  reset();
  EXPECT(pb_fixed64(&b, 7, 0x0102030405060708u) == 0);
  EXPECT_AT(b.len, 0x39, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01);
  reset();
  EXPECT(pb_fixed32(&b, 16, 0x101) == 0); /* field 16 takes a two-byte key: 0x85 0x01 */
  EXPECT_AT(b.len, 0x85, 0x01, 0x01, 0x01, 0x00, 0x00);
  reset();
  EXPECT(pb_double(&b, 4, 1.0) == 0);
  EXPECT_AT(b.len, 0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f);
  reset();
  EXPECT(pb_double(&b, 4, -2.5) == 0);
  EXPECT_AT(b.len, 0x21, 0, 0, 0, 0, 0, 0, 0x04, 0xc0);
  reset();
  EXPECT(pb_uint(&b, 536870911, 1) == 0); /* the largest field number: a five-byte key */
  EXPECT_AT(b.len, 0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01);
}

static void strings(void) {
  reset();
  EXPECT(pb_bytes(&b, 2, "testing", 7) == 0); /* the guide's 12 07 74 65 73 74 69 6e 67 */
  EXPECT_AT(b.len, 0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g');
  reset();
  EXPECT(pb_bytes(&b, 1, NULL, 0) == 0);
  EXPECT_AT(b.len, 0x0a, 0x00);
  reset();
  EXPECT(pb_len_prefix(&b, 5, 300) == 0);
  EXPECT_AT(b.len, 0x2a, 0xac, 0x02);
}

/* A sub-message of n filler bytes: its length takes 1, 2 or 3 bytes and the body moves. */
static void message_of(size_t n, const unsigned char *prefix, size_t prefix_len) {
  reset();
  EXPECT(sl_buf_append(&b, "X", 1) == 0); /* something before: marks are offsets */
  size_t m = pb_begin(&b, 3);
  EXPECT(m != SIZE_MAX);
  for (size_t i = 0; i < n; i++) EXPECT(sl_buf_append(&b, &(char){(char)(i % 251)}, 1) == 0);
  EXPECT(pb_end(&b, m) == 0);
  EXPECT(b.len == 1 + prefix_len + n);
  EXPECT_BYTES(b.data + 1, prefix_len, prefix, prefix_len);
  int ok = 1;
  for (size_t i = 0; i < n; i++) ok &= (unsigned char)b.data[1 + prefix_len + i] == i % 251;
  EXPECT(ok);
}

static void messages(void) {
  message_of(0, BYTES(0x1a, 0x00));
  message_of(127, BYTES(0x1a, 0x7f));
  message_of(128, BYTES(0x1a, 0x80, 0x01));
  message_of(16383, BYTES(0x1a, 0xff, 0x7f));
  message_of(16384, BYTES(0x1a, 0x80, 0x80, 0x01));
  message_of(2097152, BYTES(0x1a, 0x80, 0x80, 0x80, 0x01));

  /* nested: the guide's Test3 { Test1 c = 3 } with a = 150: 1a 03 08 96 01 */
  reset();
  size_t m = pb_begin(&b, 3);
  EXPECT(pb_uint(&b, 1, 150) == 0);
  EXPECT(pb_end(&b, m) == 0);
  EXPECT_AT(b.len, 0x1a, 0x03, 0x08, 0x96, 0x01);

  /* an inner message that grows past 127 bytes moves the outer one's body too */
  reset();
  size_t outer = pb_begin(&b, 1);
  EXPECT(pb_uint(&b, 1, 1) == 0);
  size_t inner = pb_begin(&b, 2);
  char filler[200];
  memset(filler, 'a', sizeof filler);
  EXPECT(pb_bytes(&b, 1, filler, sizeof filler) == 0);
  EXPECT(pb_end(&b, inner) == 0);
  EXPECT(pb_end(&b, outer) == 0);
  /* outer: 0a, length 2 + 3 + 203 = 208 (d0 01); 08 01; inner: 12, 203 (cb 01); 0a c8 01 … */
  EXPECT(b.len == 3 + 208);
  EXPECT_AT(10, 0x0a, 0xd0, 0x01, 0x08, 0x01, 0x12, 0xcb, 0x01, 0x0a, 0xc8);
  EXPECT(pb_end(&b, SIZE_MAX) == -1); /* a failed pb_begin's mark */
}

int main(void) {
  varints();
  scalars();
  strings();
  messages();
  sl_buf_free(&b);
  EXPECT_DONE();
}
