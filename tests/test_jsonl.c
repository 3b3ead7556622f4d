/* Tests for the JSON-lines checker (jsonl.c): fixed vectors for every rule it
 * enforces, then random mutations of valid lines that must never crash it.
 * Build with -fsanitize=address,undefined: every input is handed over in a
 * heap block of exactly its length, so an over-read is caught.
 *
 *   test_jsonl [SEED]   (exit status 0 if all passed) */
#include <stdint.h>

#include "check.h"

/* A byte string: literals may hold NUL bytes, hence the explicit length. */
typedef struct {
  const char *s;
  size_t n;
  const char *err; /* for invalid lines: a substring of the expected error */
} vec;
#define V(lit) {lit, sizeof lit - 1, NULL}
#define BAD(lit, err) {lit, sizeof lit - 1, err}

/* Parses from an exactly-sized copy, freed before the result is used: this
 * also proves the document does not point into the caller's buffer. */
static jl_doc *parse(const char *s, size_t n, char *err, size_t errlen) {
  char *copy = malloc(n ? n : 1);
  if (!copy) abort();
  if (n) memcpy(copy, s, n);
  jl_doc *d = jl_parse(copy, n, err, errlen);
  free(copy);
  return d;
}

/* Prints a line readably in failure reports. */
static void show(const char *s, size_t n) {
  for (size_t i = 0; i < n && i < 200; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f) fputc(c, stderr);
    else fprintf(stderr, "\\x%02x", c);
  }
  fputs(n > 200 ? "...\n" : "\n", stderr);
}

static const vec good[] = {
    V("{}"),
    V("{\"a\":1}"),
    V("{\"a\":\"b\",\"c\":2}"),
    V("{ \"a\" : 1 ,\t\"b\" :\t[ 1 , 2 ] , \"c\" : { } }"),
    V("{\r\"a\":1\r}"), /* CR is RFC whitespace; only LF splits records */
    V("{\"n\":[0,-0,1.5,-1.5e10,1E+2,1e-2,0.0,0e0,-0.0e-0,10,123456789012345678901234567890]}"),
    V("{\"t\":true,\"f\":false,\"z\":null}"),
    V("{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}},\"e\":[],\"f\":{},\"g\":[[],[[]]]}"),
    /* the same key in different objects is no duplicate */
    V("{\"a\":{\"a\":1},\"b\":{\"a\":2},\"c\":[{\"x\":1},{\"x\":2}]}"),
    V("{\"a\":1,\"aa\":2,\"\":3,\"A\":4,\"a \":5}"),
    V("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}"),
    V("{\"s\":\"\\u0041\\u00e9\\u20AC\\uFFFF\\ud83d\\ude00\\uDBFF\\uDFFF\\u0000\"}"),
    V("{\"\\u0061\":1,\"b\\u0000\":2,\"b\":3}"),
    /* UTF-8 at every boundary of table 3-7, and DEL, which is no control */
    V("{\"s\":\"\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xe1\x80\x80 \xec\xbf\xbf \xed\x80\x80 \xed\x9f\xbf\"}"),
    V("{\"s\":\"\xee\x80\x80 \xef\xbf\xbf \xf0\x90\x80\x80 \xf1\x80\x80\x80 \xf3\xbf\xbf\xbf \xf4\x8f\xbf\xbf \x7f\"}"),
    V("{\"\xc3\xa9\xe2\x82\xac\":\"\xf0\x9f\x98\x80\"}"),
};

static const vec bad[] = {
    /* exactly one object, nothing around it */
    BAD("", "at byte 0: expected '{', found end of line"),
    BAD(" {}", "at byte 0: expected '{', found byte 0x20"),
    BAD("[]", "expected '{'"),
    BAD("1", "expected '{'"),
    BAD("\"a\"", "expected '{'"),
    BAD("null", "expected '{'"),
    BAD("{} ", "at byte 2: trailing data"),
    BAD("{}\n", "at byte 2: trailing data"),
    BAD("{}\r", "at byte 2: trailing data"),
    BAD("{}{}", "at byte 2: trailing data"),
    BAD("{\"a\":1}}", "at byte 7: trailing data"),
    BAD("{\"a\":1}\xc3\xa9", "trailing data"),
    BAD("{\"a\":1}\0", "trailing data"),
    BAD("{\"a\":1,\n\"b\":2}", "at byte 7: expected a string key, found byte 0x0a"),
    /* structure */
    BAD("{", "at byte 1: expected a string key, found end of line"),
    BAD("{\"a\"}", "at byte 4: expected ':'"),
    BAD("{\"a\" 1}", "expected ':'"),
    BAD("{\"a\":}", "at byte 5: expected a value, found '}'"),
    BAD("{\"a\":1", "at byte 6: expected ',' or '}', found end of line"),
    BAD("{\"a\":1 \"b\":2}", "expected ',' or '}', found '\"'"),
    BAD("{\"a\":1,}", "at byte 7: trailing comma"),
    BAD("{\"a\":1 , }", "at byte 9: trailing comma"),
    BAD("{,}", "expected a string key, found ','"),
    BAD("{\"a\":1,,\"b\":2}", "expected a string key"),
    BAD("{a:1}", "expected a string key, found 'a'"),
    BAD("{'a':1}", "expected a string key"),
    BAD("{1:1}", "expected a string key"),
    BAD("{\"a\":[1,]}", "at byte 8: trailing comma"),
    BAD("{\"a\":[,1]}", "expected a value, found ','"),
    BAD("{\"a\":[1 2]}", "expected ',' or ']'"),
    BAD("{\"a\":[1}", "expected ',' or ']', found '}'"),
    BAD("{\"a\":{\"b\":1]}", "expected ',' or '}', found ']'"),
    BAD("{\"a\":[", "expected a value, found end of line"),
    BAD("{\"a\":\xc3\xa9}", "expected a value, found byte 0xc3"),
    BAD("{\xc3\xa9:1}", "expected a string key, found byte 0xc3"),
    /* numbers */
    BAD("{\"a\":01}", "at byte 5: leading zero"),
    BAD("{\"a\":-01}", "at byte 6: leading zero"),
    BAD("{\"a\":00}", "leading zero"),
    BAD("{\"a\":+1}", "expected a value, found '+'"),
    BAD("{\"a\":.5}", "expected a value, found '.'"),
    BAD("{\"a\":1.}", "at byte 7: expected a digit after '.'"),
    BAD("{\"a\":1.e5}", "expected a digit after '.'"),
    BAD("{\"a\":1e}", "expected a digit in the exponent"),
    BAD("{\"a\":1E+}", "expected a digit in the exponent"),
    BAD("{\"a\":1e+-1}", "expected a digit in the exponent"),
    BAD("{\"a\":-}", "expected a digit, found '}'"),
    BAD("{\"a\":--1}", "expected a digit, found '-'"),
    BAD("{\"a\":-", "expected a digit, found end of line"),
    BAD("{\"a\":1.5.5}", "expected ',' or '}'"),
    BAD("{\"a\":0x10}", "expected ',' or '}', found 'x'"),
    BAD("{\"a\":NaN}", "expected a value, found 'N'"),
    BAD("{\"a\":Infinity}", "expected a value, found 'I'"),
    BAD("{\"a\":-Infinity}", "expected a digit, found 'I'"),
    /* literals */
    BAD("{\"a\":tru}", "expected a value, found 't'"),
    BAD("{\"a\":True}", "expected a value"),
    BAD("{\"a\":nul", "expected a value"),
    BAD("{\"a\":truex}", "expected ',' or '}', found 'x'"),
    BAD("{\"a\":nulll}", "expected ',' or '}'"),
    /* duplicate keys, at any depth, compared after decoding */
    BAD("{\"a\":1,\"a\":2}", "at byte 7: duplicate key \"a\""),
    BAD("{\"a\":1,\"b\":2,\"a\":3,\"b\":4}", "at byte 13: duplicate key \"a\""),
    BAD("{\"a\":1,\"b\":2,\"b\":3,\"a\":4}", "at byte 13: duplicate key \"b\""),
    BAD("{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\""),
    BAD("{\"\":1,\"\":2}", "duplicate key \"\""),
    BAD("{\"k\\u0000\":1,\"k\\u0000\":2}", "duplicate key \"k\\x00\""),
    BAD("{\"x\":{\"b\":1,\"b\":2}}", "at byte 12: duplicate key \"b\""),
    BAD("{\"x\":[{\"c\":1},{\"c\":1,\"c\":2}]}", "duplicate key \"c\""),
    BAD("{\"x\":{\"y\":{\"z\":{\"q\\\"\":1,\"q\\\"\":1}}}}", "duplicate key \"q\\x22\""),
    /* raw control characters in strings */
    BAD("{\"a\":\"x\x01\"}", "at byte 7: raw control character 0x01"),
    BAD("{\"a\":\"\x1f\"}", "raw control character 0x1f"),
    BAD("{\"a\":\"\t\"}", "raw control character 0x09"),
    BAD("{\"a\":\"\n\"}", "raw control character 0x0a"),
    BAD("{\"a\":\"\0\"}", "raw control character 0x00"),
    BAD("{\"a\x02\":1}", "raw control character 0x02"),
    /* strings and escapes */
    BAD("{\"a\":\"abc", "at byte 5: unterminated string"),
    BAD("{\"a", "at byte 1: unterminated string"),
    BAD("{\"a\":\"\\", "invalid escape"),
    BAD("{\"a\":\"\\x\"}", "at byte 6: invalid escape"),
    BAD("{\"a\":\"\\a\"}", "invalid escape"),
    BAD("{\"a\":\"\\'\"}", "invalid escape"),
    BAD("{\"a\":\"\\U0041\"}", "invalid escape"),
    BAD("{\"a\":\"\\\0\"}", "invalid escape"),
    BAD("{\"a\":\"\\u12\"}", "\\u needs four hex digits"),
    BAD("{\"a\":\"\\u12G4\"}", "\\u needs four hex digits"),
    BAD("{\"a\":\"\\u", "\\u needs four hex digits"),
    BAD("{\"a\":\"\\u-123\"}", "\\u needs four hex digits"),
    /* UTF-16 surrogate escapes: only a high one followed by a low one */
    BAD("{\"a\":\"\\ud800\"}", "at byte 6: high surrogate escape not followed by a low"),
    BAD("{\"a\":\"\\ud800x\"}", "high surrogate"),
    BAD("{\"a\":\"\\ud800\\u0041\"}", "high surrogate"),
    BAD("{\"a\":\"\\ud800\\ud800\"}", "high surrogate"),
    BAD("{\"a\":\"\\uD800\\uDBFF\"}", "high surrogate"),
    BAD("{\"a\":\"\\ud800\\n\"}", "high surrogate"),
    BAD("{\"a\":\"\\ud800\\ue000\"}", "high surrogate"),
    BAD("{\"a\":\"\\ud800\\", "high surrogate"),
    BAD("{\"a\":\"\\ud800\\u", "high surrogate"),
    BAD("{\"a\":\"\\udc00\"}", "at byte 6: lone low surrogate"),
    BAD("{\"a\":\"\\uDFFF\"}", "lone low surrogate"),
    BAD("{\"a\":\"\\udc00\\ud800\"}", "lone low surrogate"),
    BAD("{\"\\ud83d\":1}", "high surrogate"),
    /* invalid UTF-8: stray continuations, overlongs, surrogates, > U+10FFFF,
     * bytes that never occur, truncated sequences */
    BAD("{\"a\":\"\x80\"}", "at byte 6: invalid UTF-8"),
    BAD("{\"a\":\"\xbf\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xc0\x80\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xc1\xbf\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xe0\x80\x80\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xe0\x9f\xbf\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xf0\x80\x80\x80\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xf0\x8f\xbf\xbf\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xed\xbf\xbf\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xed\xa0\xbd\xed\xb8\x80\"}", "invalid UTF-8"), /* CESU-8 */
    BAD("{\"a\":\"\xf4\x90\x80\x80\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xf5\x80\x80\x80\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xf8\x88\x80\x80\x80\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xfe\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xff\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xc3\"}", "at byte 6: invalid UTF-8"),
    BAD("{\"a\":\"x\xe2\x82\"}", "at byte 7: invalid UTF-8"),
    BAD("{\"a\":\"\xf0\x9f\x98\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xe2\x82x\"}", "invalid UTF-8"),
    BAD("{\"a\":\"\xc3", "invalid UTF-8"),
    BAD("{\"a\":\"\xf0\x9f\x98", "invalid UTF-8"),
    BAD("{\"a\":\"\xc3\xa9\xa9\"}", "at byte 8: invalid UTF-8"),
    BAD("{\"\xc0\x80\":1}", "at byte 2: invalid UTF-8"),
};

/* Checks every fixed vector, then the error buffer's edge cases. */
static void test_vectors(void) {
  char err[256];
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    jl_doc *d = parse(good[i].s, good[i].n, err, sizeof err);
    if (!d) {
      fprintf(stderr, "rejected valid line (%s): ", err);
      show(good[i].s, good[i].n);
      check_failures++;
    }
    jl_free(d);
  }
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    strcpy(err, "(none)");
    jl_doc *d = parse(bad[i].s, bad[i].n, err, sizeof err);
    if (d || !strstr(err, bad[i].err)) {
      fprintf(stderr, "%s, wanted \"%s\", got \"%s\": ", d ? "accepted invalid line" : "wrong error", bad[i].err,
              d ? "" : err);
      show(bad[i].s, bad[i].n);
      check_failures++;
    }
    jl_free(d);
  }
  printf("vectors: %zu valid, %zu invalid\n", sizeof good / sizeof *good, sizeof bad / sizeof *bad);
  CHECK(!jl_parse("{", 1, NULL, 0));
  CHECK(!jl_parse("{", 1, err, 0));
  CHECK(!jl_parse(NULL, 0, NULL, 0));
  CHECK(!jl_parse("{", 1, err, 8) && !strcmp(err, "at byte"));
  CHECK(!jl_parse("{\"abc\":1,\"abc\":2}", 17, err, 20) && !strcmp(err, "at byte 9: duplicat"));
}

static int raw_is(const jl_doc *d, size_t i, const char *want) {
  size_t n;
  const char *r = jl_raw(d, i, &n);
  return r && n == strlen(want) && !memcmp(r, want, n);
}

static int str_is(const jl_doc *d, size_t i, const char *want, size_t wantlen) {
  size_t n;
  const char *s = jl_str(d, i, &n);
  return s && n == wantlen && !memcmp(s, want, n) && s[n] == '\0';
}

static void test_accessors(void) {
  static const char line[] =
      "{\"s\":\"a\\u0000b\",\"n\":-1.5e3 ,\"t\":true,\"f\":false,\"z\":null,"
      "\"o\":{\"x\":[1]},\"a\":[1, \"2\"],\"e\":\"\\ud83d\\ude00\\u00e9\\n\\/\xc3\xa9\",\"\":\"\"}";
  char err[256];
  jl_doc *d = parse(line, sizeof line - 1, err, sizeof err);
  CHECK(d);
  if (!d) return;
  CHECK(jl_count(d) == 9);
  static const char *const keys[] = {"s", "n", "t", "f", "z", "o", "a", "e", ""};
  static const int types[] = {JL_STRING, JL_NUMBER, JL_TRUE, JL_FALSE, JL_NULL, JL_OBJECT, JL_ARRAY, JL_STRING, JL_STRING};
  for (size_t i = 0; i < 9; i++) {
    CHECK(!strcmp(jl_key(d, i), keys[i]));
    CHECK(jl_type(d, i) == types[i]);
    CHECK(jl_find(d, keys[i]) == (long)i);
    CHECK((jl_str(d, i, NULL) != NULL) == (types[i] == JL_STRING));
  }
  CHECK(raw_is(d, 0, "\"a\\u0000b\""));
  CHECK(raw_is(d, 1, "-1.5e3"));
  CHECK(raw_is(d, 2, "true"));
  CHECK(raw_is(d, 4, "null"));
  CHECK(raw_is(d, 5, "{\"x\":[1]}"));
  CHECK(raw_is(d, 6, "[1, \"2\"]"));
  CHECK(raw_is(d, 8, "\"\""));
  CHECK(str_is(d, 0, "a\0b", 3));
  CHECK(str_is(d, 7, "\xf0\x9f\x98\x80\xc3\xa9\n/\xc3\xa9", 10));
  CHECK(str_is(d, 8, "", 0));
  size_t n = 99;
  CHECK(!jl_str(d, 1, &n) && n == 0);
  CHECK(jl_find(d, "missing") == -1);
  CHECK(!jl_key(d, 9) && jl_type(d, 9) == 0 && !jl_raw(d, 9, &n) && n == 0 && !jl_str(d, 9, &n));
  jl_free(d);

  /* A key holding NUL reads as truncated and is found by no name. */
  static const char nul_key[] = "{\"k\\u0000x\":1,\"k\\u0000\":2}";
  d = parse(nul_key, sizeof nul_key - 1, err, sizeof err);
  CHECK(d && !strcmp(jl_key(d, 0), "k") && jl_find(d, "k") == -1);
  jl_free(d);
  jl_free(NULL);
}

/* Nesting: JL_MAX_DEPTH levels pass, one more fails, and a huge depth is an
 * error too rather than a stack overflow. */
static void test_depth(void) {
  char err[256];
  size_t big = 1000000;
  char *s = malloc(big + 16);
  if (!s) abort();
  for (int extra = 0; extra < 2; extra++) {
    for (const char *open = "[{"; *open; open++) {
      /* {"k":[[...]]} or {"k":{"k":{...}}}: the top-level object is a level */
      size_t n = 0, levels = JL_MAX_DEPTH - 1 + (size_t)extra;
      s[n++] = '{';
      for (size_t i = 0; i < levels; i++) {
        if (i == 0 || *open == '{') {
          memcpy(s + n, "\"k\":", 4);
          n += 4;
        }
        s[n++] = *open;
      }
      for (size_t i = 0; i < levels; i++) s[n++] = *open == '[' ? ']' : '}';
      s[n++] = '}';
      jl_doc *d = parse(s, n, err, sizeof err);
      CHECK(extra ? !d && strstr(err, "nesting deeper than 64 levels") : d != NULL);
      jl_free(d);
    }
  }
  memcpy(s, "{\"a\":", 5);
  memset(s + 5, '[', big);
  CHECK(!parse(s, big + 5, err, sizeof err) && strstr(err, "at byte 68: nesting deeper"));
  free(s);
}

/* Lines far past any fixed buffer: a 3 MiB string, and an object with
 * 200,000 keys (the duplicate check must not be quadratic). */
static void test_big(void) {
  char err[256];
  size_t strn = (size_t)3 << 20, n = 0;
  char *s = malloc(strn + 64);
  if (!s) abort();
  n += (size_t)sprintf(s, "{\"msg\":\"");
  for (size_t i = 0; i < strn / 6; i++, n += 6) memcpy(s + n, i % 2 ? "\\u00e9" : "ab\\ncd", 6);
  n += (size_t)sprintf(s + n, "\"}");
  jl_doc *d = parse(s, n, err, sizeof err);
  size_t len;
  CHECK(d && jl_str(d, 0, &len) && len == strn / 6 / 2 * 7);
  jl_free(d);
  free(s);

  size_t keys = 200000;
  s = malloc(keys * 24 + 64);
  if (!s) abort();
  n = 0;
  s[n++] = '{';
  for (size_t i = 0; i < keys; i++) n += (size_t)sprintf(s + n, "\"key%zu\":%zu,", i * 7919 % keys, i);
  s[n - 1] = '}';
  d = parse(s, n, err, sizeof err);
  CHECK(d && jl_count(d) == keys && jl_find(d, "key199999") >= 0);
  jl_free(d);
  n += (size_t)sprintf(s + n - 1, ",\"key4242\":0}") - 1;
  CHECK(!parse(s, n, err, sizeof err) && strstr(err, "duplicate key \"key4242\""));
  free(s);
}

static uint64_t rng_state;
static uint64_t rng(void) { /* xorshift64*: small, and reproducible by seed */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}

/* After a successful parse of a mutant, the accessors must agree with each
 * other: each value re-parses alone with the same type, and strings decode
 * no longer than their quoted text. */
static void check_consistent(const jl_doc *d, const char *line, size_t n) {
  char buf[1100], err[256];
  for (size_t i = 0; i < jl_count(d); i++) {
    size_t rawlen, slen;
    const char *raw = jl_raw(d, i, &rawlen);
    const char *str = jl_str(d, i, &slen);
    long j = jl_find(d, jl_key(d, i));
    int ok = raw && rawlen > 0 && rawlen <= n && (str != NULL) == (jl_type(d, i) == JL_STRING) &&
             (!str || slen + 2 <= rawlen) && (j == (long)i || j == -1 || !strcmp(jl_key(d, (size_t)j), jl_key(d, i)));
    if (ok) {
      memcpy(buf, "{\"\":", 4);
      memcpy(buf + 4, raw, rawlen);
      buf[4 + rawlen] = '}';
      jl_doc *alone = parse(buf, rawlen + 5, err, sizeof err);
      ok = alone && jl_type(alone, 0) == jl_type(d, i);
      jl_free(alone);
    }
    if (!ok) {
      fprintf(stderr, "inconsistent member %zu of accepted line: ", i);
      show(line, n);
      check_failures++;
    }
  }
}

/* Random byte flips, truncations, insertions, deletions and copied ranges
 * (which make duplicate keys and deep nesting) of valid lines. */
static void test_mutations(void) {
  const long iterations = 200000;
  static const char *const seeds[] = {
      "{\"ts\":\"2024-01-01T00:00:00.000Z\",\"level\":\"info\",\"msg\":\"hello \\\"world\\\"\\n\","
      "\"span\":{\"id\":42,\"parent\":null,\"tags\":[\"a\",\"b\"]}}",
      "{\"s\":\"\\u00e9\\ud83d\\ude00\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"n\":[-0.5e-3,0,1E+9,true,false,null],"
      "\"o\":{\"\":{\"x\":[[]]}}}",
      "{\"a\":1}",
      "{\"k\\u0000\":\"\\u0000\\t\\\\\\/\",\"deep\":[[[[{\"a\":[{\"b\":{}}]}]]]]}",
  };
  static const unsigned char tokens[] = "{}[]\":,\\u0123456789abcdefABCDEF.eE+-tfn \t\r\n\x00\x1f\x7f\x80\xbf\xc0\xc2"
                                        "\xc3\xdf\xe0\xed\xef\xf0\xf4\xf5\xff";
  unsigned char line[1024];
  char err[256];
  long accepted = 0;
  for (long it = 0; it < iterations; it++) {
    const char *seed = seeds[rng() % (sizeof seeds / sizeof *seeds)];
    size_t n = strlen(seed);
    memcpy(line, seed, n);
    for (int m = 1 + (int)(rng() % 4); m > 0; m--) {
      size_t at = rng() % (n + 1);
      unsigned char c = rng() % 2 ? tokens[rng() % (sizeof tokens - 1)] : (unsigned char)rng();
      switch (rng() % 6) {
      case 0: /* flip a bit */
        if (at < n) line[at] ^= (unsigned char)(1u << rng() % 8);
        break;
      case 1: /* overwrite a byte */
        if (at < n) line[at] = c;
        break;
      case 2: /* truncate */
        n = at;
        break;
      case 3: /* insert a byte */
        if (n < 500) {
          memmove(line + at + 1, line + at, n - at);
          line[at] = c;
          n++;
        }
        break;
      case 4: /* delete a byte */
        if (at < n) {
          memmove(line + at, line + at + 1, n - at - 1);
          n--;
        }
        break;
      default: { /* copy a range elsewhere */
        size_t from = rng() % (n + 1), len = rng() % (n - from + 1);
        if (n + len <= 500) {
          memmove(line + at + len, line + at, n - at);
          memmove(line + at, line + (from < at ? from : from + len), len);
          n += len;
        }
      }
      }
    }
    jl_doc *d = parse((const char *)line, n, err, sizeof err);
    if (d) {
      accepted++;
      check_consistent(d, (const char *)line, n);
    } else if (strncmp(err, "at byte ", 8) || strtoul(err + 8, NULL, 10) > n) {
      fprintf(stderr, "malformed error \"%s\" for: ", err);
      show((const char *)line, n);
      check_failures++;
    }
    jl_free(d);
  }
  printf("mutations: %ld, accepted %ld, rejected %ld\n", iterations, accepted, iterations - accepted);
}

int main(int argc, char **argv) {
  rng_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x5eed;
  if (!rng_state) rng_state = 1; /* xorshift's one stuck state */
  RUN(test_vectors);
  RUN(test_accessors);
  RUN(test_depth);
  RUN(test_big);
  RUN(test_mutations);
  return check_exit();
}
