/* libFuzzer target: arbitrary bytes as a server's response to the HTTP/1.1 response parser,
 * fed in slices whose sizes come from the input, then Retry-After and the OTLP error-body
 * reader on the same bytes. fuzz/meson.build builds it (fuzz_http_response, with clang) and
 * replays its corpus in the test suite; fuzz/run.sh fuzzes it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exporters/http.h"

static void check(int cond) {
  if (!cond) abort();
}

/* The parser's promises: it never keeps more than the cap, never consumes bytes it was not
   given, and a finished response has a status from 200 to 599. */
static void parse(const uint8_t *data, size_t size, size_t cap) {
  size_t step = size ? (size_t)data[0] % 17 + 1 : 1;
  sl_http_result r;
  sl_http_parser p;
  sl_http_parse_state st = SL_HTTP_PARSE_MORE;
  sl_http_result_init(&r);
  sl_http_parser_init(&p, &r, cap);
  size_t at = size ? 1 : 0;
  while (st == SL_HTTP_PARSE_MORE && at < size) {
    size_t n = size - at < step ? size - at : step, used = 0;
    st = sl_http_parser_feed(&p, (const char *)data + at, n, &used, 1767323045);
    check(used <= n);
    check(st != SL_HTTP_PARSE_MORE || used == n);
    at += used;
  }
  if (st == SL_HTTP_PARSE_MORE) st = sl_http_parser_eof(&p, 1767323045);
  check(r.body.len <= cap);
  if (st == SL_HTTP_PARSE_DONE) check(r.status >= 200 && r.status <= 599);
  char msg[96];
  size_t n = sl_otlp_status_message(r.content_type, r.body.data, r.body.len, msg, sizeof msg);
  check(n < sizeof msg && strlen(msg) == n);
  sl_http_parser_free(&p);
  sl_http_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  parse(data, size, 64);
  parse(data, size, SL_HTTP_MAX_RESPONSE_BODY);
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  int64_t ms = sl_http_retry_after_ms(text, 1767323045);
  check(ms >= -1);
  char msg[64];
  sl_otlp_status_message(NULL, data, size, msg, sizeof msg);
  sl_otlp_status_message("application/x-protobuf", data, size, msg, sizeof msg);
  free(text);
  return 0;
}
