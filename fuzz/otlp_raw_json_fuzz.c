/* libFuzzer target: raw JSON text (SL_RAW_JSON, jansson values) through the OTLP value
 * encoder, in protobuf and OTLP/JSON. The encoder must not crash, and what it writes
 * must be a well-formed AnyValue either way: every protobuf field of the right number and
 * wire type, strings valid UTF-8, nesting within decoders' limits; the JSON one value
 * whose strings are valid UTF-8. A violation aborts, which the fuzzer reports.
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Isrc -I. -Iinclude fuzz/otlp_raw_json_fuzz.c exporters/otlp_encode.c \
 *     exporters/protobuf.c src/base/buf.c src/base/numfmt.c src/base/json_text.c -lm \
 *     -o otlp_raw_json_fuzz
 *   ./otlp_raw_json_fuzz fuzz/corpus/otlp_raw_json
 *
 * fuzz/replay.c runs the same function over the corpus in the test suite (fuzz/meson.build). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "exporters/otlp_encode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NESTING 100 /* what protobuf decoders accept by default */

static void require(int ok) {
  if (!ok) abort();
}

static int utf8_ok(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t bad, len = sl_utf8_sequence(p + i, n - i, &bad);
    if (!len) return 0;
    i += len;
  }
  return 1;
}

/* ---- protobuf ---- */

typedef struct pb {
  const unsigned char *p, *end;
} pb;

static uint64_t varint(pb *r) {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    require(r->p < r->end);
    unsigned char c = *r->p++;
    v |= (uint64_t)(c & 0x7f) << (shift < 64 ? shift : 0);
    if (!(c & 0x80)) return v;
  }
  abort();
}

/* The next field: its number and wire type; for wire type 2 *sub is its body. */
static unsigned field(pb *r, unsigned *wire, pb *sub) {
  uint64_t key = varint(r);
  *wire = key & 7;
  if (*wire == 2) {
    uint64_t n = varint(r);
    require(n <= (uint64_t)(r->end - r->p));
    sub->p = r->p, sub->end = r->p + n;
    r->p += n;
  } else if (*wire == 0) {
    varint(r);
  } else if (*wire == 1) {
    require(r->end - r->p >= 8);
    r->p += 8;
  } else {
    abort(); /* the encoder writes no other wire type in an AnyValue */
  }
  return (unsigned)(key >> 3);
}

static void any_value(pb r, int depth);

/* KeyValue{1 key, 2 value}; an empty key is proto3's default and may be left out. */
static void key_value(pb r, int depth) {
  while (r.p < r.end) {
    unsigned wire;
    pb sub;
    unsigned f = field(&r, &wire, &sub);
    require(wire == 2 && (f == 1 || f == 2));
    if (f == 1) require(utf8_ok(sub.p, (size_t)(sub.end - sub.p)));
    else any_value(sub, depth + 1);
  }
}

/* ArrayValue or KeyValueList: repeated field 1. */
static void list(pb r, int kv, int depth) {
  require(depth < MAX_NESTING);
  while (r.p < r.end) {
    unsigned wire;
    pb sub;
    require(field(&r, &wire, &sub) == 1 && wire == 2);
    if (kv) key_value(sub, depth + 1);
    else any_value(sub, depth + 1);
  }
}

static void any_value(pb r, int depth) {
  int members = 0;
  require(depth < MAX_NESTING);
  while (r.p < r.end) {
    unsigned wire;
    pb sub;
    unsigned f = field(&r, &wire, &sub);
    members++;
    switch (f) {
    case 1: require(wire == 2 && utf8_ok(sub.p, (size_t)(sub.end - sub.p))); break;
    case 2:
    case 3: require(wire == 0); break;
    case 4: require(wire == 1); break;
    case 5:
    case 6: require(wire == 2), list(sub, f == 6, depth + 1); break;
    default: abort();
    }
  }
  require(members <= 1); /* a oneof */
}

/* ---- JSON: strict syntax, valid UTF-8 ---- */

typedef struct js {
  const unsigned char *p, *end;
} js;

static void ws(js *r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t')) r->p++;
}

static void expect_byte(js *r, unsigned char c) {
  require(r->p < r->end && *r->p == c);
  r->p++;
}

static void json_string(js *r) {
  expect_byte(r, '"');
  for (;;) {
    require(r->p < r->end);
    unsigned c = *r->p;
    if (c == '"') break;
    require(c >= 0x20);
    if (c == '\\') {
      require(r->end - r->p >= 2 && strchr("\"\\/bfnrtu", r->p[1]) && r->p[1]);
      if (r->p[1] == 'u') {
        require(r->end - r->p >= 6);
        for (int i = 2; i < 6; i++) require(strchr("0123456789abcdefABCDEF", r->p[i]) && r->p[i]);
        r->p += 6;
      } else {
        r->p += 2;
      }
      continue;
    }
    size_t bad, len = sl_utf8_sequence(r->p, (size_t)(r->end - r->p), &bad);
    require(len > 0);
    r->p += len;
  }
  r->p++;
}

static void digits(js *r) {
  require(r->p < r->end && *r->p >= '0' && *r->p <= '9');
  while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
}

static void json_number(js *r) {
  if (*r->p == '-') r->p++;
  if (r->p < r->end && *r->p == '0') r->p++;
  else digits(r);
  if (r->p < r->end && *r->p == '.') r->p++, digits(r);
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
    r->p++;
    if (r->p < r->end && (*r->p == '+' || *r->p == '-')) r->p++;
    digits(r);
  }
}

static void json_word(js *r, const char *w) {
  size_t n = strlen(w);
  require((size_t)(r->end - r->p) >= n && memcmp(r->p, w, n) == 0);
  r->p += n;
}

static void json_value(js *r, int depth) {
  require(depth < 2 * MAX_NESTING && r->p < r->end);
  unsigned c = *r->p;
  if (c == '{' || c == '[') {
    unsigned close = c == '{' ? '}' : ']';
    r->p++;
    ws(r);
    if (r->p < r->end && *r->p == close) {
      r->p++;
      return;
    }
    for (;;) {
      if (close == '}') json_string(r), ws(r), expect_byte(r, ':'), ws(r);
      json_value(r, depth + 1);
      ws(r);
      require(r->p < r->end);
      if (*r->p == close) break;
      expect_byte(r, ',');
      ws(r);
    }
    r->p++;
  } else if (c == '"') {
    json_string(r);
  } else if (c == 't') {
    json_word(r, "true");
  } else if (c == 'f') {
    json_word(r, "false");
  } else if (c == 'n') {
    json_word(r, "null");
  } else {
    require(c == '-' || (c >= '0' && c <= '9'));
    json_number(r);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sl_buf out;
  sl_field f;
  memset(&f, 0, sizeof f);
  f.key = "k";
  f.key_len = 1;
  f.type = SL__T_RAW;
  f.str = (const char *)data;
  f.len = size;

  out.len = 0;
  require(sl_otlp_encode_value(&f, SL_OTLP_PROTOBUF, &out) == 0);
  /* the deepest place a value goes: a span event's attribute in a request (7 levels) */
  pb r = {(const unsigned char *)out.data, (const unsigned char *)out.data + out.len};
  any_value(r, 7);

  out.len = 0;
  require(sl_otlp_encode_value(&f, SL_OTLP_JSON, &out) == 0);
  js j = {(const unsigned char *)out.data, (const unsigned char *)out.data + out.len};
  require(out.len >= 2 && out.data[0] == '{');
  json_value(&j, 0);
  require(j.p == j.end); /* exactly one value, nothing after it */
  return 0;
}
