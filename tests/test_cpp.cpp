// The public header compiled as C++17: the same calls, with the same typing.
#define SPANLOG_LOGGER "cpp"
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <spanlog.h>
#include <spanlog/testing.h>
#include <string>

static int failures;

#define EXPECT(cond)                                                       \
  do {                                                                     \
    if (!(cond)) {                                                         \
      std::fprintf(stderr, "%s:%d: EXPECT(%s) failed\n", __FILE__, __LINE__, #cond); \
      failures++;                                                          \
    }                                                                      \
  } while (0)

static bool has(const char *line, const char *part) { return line && std::strstr(line, part); }

int main() {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  std::string query = "Q3 invoices";
  bool flag = true;
  log_bind("user_id", "u_8821");
  log_event("searching", "query", query.c_str(), "top_k", 5, "score", 0.87, "flag", flag,
            "big", UINT64_MAX, "small", INT64_MIN, "strn", SL_STRN("a\0b", 3), "raw",
            SL_RAW_JSON("[1,2]"), "none", static_cast<const char *>(nullptr));
  SL_SCOPE("request", 7) { log_info("in scope"); }
  log_unbind("user_id");
  log_info("after");
  // keys and events from a buffer the caller reuses at once: copied at the call
  std::string key = "k1", event = "e1";
  log_event(event.c_str(), key.c_str(), 1);
  key[1] = '2', event[1] = '2';
  log_event(event.c_str(), key.c_str(), 2);
  key = "overwritten", event = "overwritten";
  const char *no_key = nullptr;
  log_event("null key", static_cast<const char *>(nullptr), 1); // a NULL key renders as ""
  log_event("null key", no_key, 2);
  sl_flush();

  EXPECT(sl_capture_count(cap) == 7);
  EXPECT(has(sl_capture_line(cap, 5), "\"event\":\"null key\",\"\":1}"));
  EXPECT(has(sl_capture_line(cap, 6), "\"event\":\"null key\",\"\":2}"));
  EXPECT(has(sl_capture_line(cap, 3), "\"event\":\"e1\",\"k1\":1}"));
  EXPECT(has(sl_capture_line(cap, 4), "\"event\":\"e2\",\"k2\":2}"));
  const char *first = sl_capture_line(cap, 0);
  EXPECT(has(first, "\"logger\":\"cpp\",\"event\":\"searching\",\"query\":\"Q3 invoices\",\"top_k\":5,"
                    "\"score\":0.87,\"flag\":true,\"big\":18446744073709551615,"
                    "\"small\":-9223372036854775808,\"strn\":\"a\\u0000b\",\"raw\":[1,2],\"none\":null,"
                    "\"user_id\":\"u_8821\"}"));
  EXPECT(has(sl_capture_line(cap, 1), "\"request\":7"));
  EXPECT(!has(sl_capture_line(cap, 2), "user_id"));
  EXPECT(!has(sl_capture_line(cap, 2), "request"));
  sl_capture_stop(cap);
  if (failures) std::fprintf(stderr, "%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
