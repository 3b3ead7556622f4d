// C++ values in the C macros: std::string and std::string_view (counted, any bytes),
// char as a one-character string, nullptr as null, void * as its address, an enum as its
// number; temporaries
// that live only as long as the call; std::string keys; the array wrappers.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cpp_check.h"

enum color { red, green };
enum class mode : unsigned char { fast = 3 };

static std::string made(const char *part) { return std::string("made-") + part; }

static void values_render_as_their_json(sl_capture *cap) {
  check::current = "values";
  std::string query = "Q3 invoices";
  const std::string with_nul("a\0b", 3);
  std::string_view view = std::string_view("prefix-and-more").substr(0, 6); // not NUL-terminated
  std::string_view empty_view;                                              // data() is NULL
  char letter = 'x';
  int n = 7;
  void *address = &n;
  const void *no_address = nullptr;
  log_event("values", "query", query, "nul", with_nul, "view", view, "empty", empty_view, "letter", letter,
            "none", nullptr, "address", address, "no_address", no_address, "flag", true, "count", n, "color", green, "mode", mode::fast);
  check::lines l = check::take(cap);
  CHECK_EQ(l.logs.size(), size_t{1});
  if (l.logs.empty()) return;
  const jl_doc *d = l.logs[0].get();
  CHECK_EQ(check::str(d, "query"), std::string("Q3 invoices"));
  CHECK_EQ(check::str(d, "nul"), std::string("a\0b", 3));
  CHECK_EQ(check::str(d, "view"), std::string("prefix"));
  CHECK_EQ(check::str(d, "empty"), std::string(""));
  CHECK_EQ(check::str(d, "letter"), std::string("x"));
  CHECK_EQ(check::raw(d, "none"), std::string("null"));
  char want[32];
  std::snprintf(want, sizeof want, "0x%llx", static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(address)));
  CHECK_EQ(check::str(d, "address"), std::string(want));
  CHECK_EQ(check::raw(d, "no_address"), std::string("null"));
  CHECK_EQ(check::raw(d, "flag"), std::string("true"));
  CHECK_EQ(check::raw(d, "count"), std::string("7"));
  CHECK_EQ(check::raw(d, "color"), std::string("1")); // an enum is its number, as in C
  CHECK_EQ(check::raw(d, "mode"), std::string("3"));
}

// A std::string made inside the call is destroyed at the end of it: its bytes are read
// before that (the arguments are one full expression), in logs, binds and span attributes.
static void temporaries_are_read_before_they_go(sl_capture *cap) {
  check::current = "temporaries";
  log_event("temp", "made", made("log"), "joined", std::string("a") + std::string(40, 'b'));
  log_bind("bound", made("bind"));
  log_event("after bind");
  log_unbind("bound");
  sl_span *s = sl_span_start("temp.span", "attr", made("start"));
  sl_span_set(s, "set", made("set"));
  sl_span_event(s, "ev", "in_event", made("event"));
  sl_span_end(s);
  SL_SCOPE("scoped", made("scope")) { log_event("in scope"); }
  check::lines l = check::take(cap);
  CHECK_EQ(l.logs.size(), size_t{3});
  if (l.logs.size() != 3) return;
  CHECK_EQ(check::str(l.logs[0].get(), "made"), std::string("made-log"));
  CHECK_EQ(check::str(l.logs[0].get(), "joined"), "a" + std::string(40, 'b'));
  CHECK_EQ(check::str(l.logs[1].get(), "bound"), std::string("made-bind"));
  CHECK_EQ(check::str(l.logs[2].get(), "scoped"), std::string("made-scope"));
  const jl_doc *span = SPAN_NAMED(l, "temp.span");
  check::doc attrs = check::object(span, "attributes");
  CHECK_EQ(check::str(attrs.get(), "attr"), std::string("made-start"));
  CHECK_EQ(check::str(attrs.get(), "set"), std::string("made-set"));
  check::doc ev = check::only_element(span, "events");
  check::doc ev_attrs = check::object(ev.get(), "attributes");
  CHECK_EQ(check::str(ev_attrs.get(), "in_event"), std::string("made-event"));
}

static void string_keys_and_arrays(sl_capture *cap) {
  check::current = "keys and arrays";
  std::string key = "tenant";
  int64_t ints[] = {1, -2, INT64_MAX};
  std::vector<const char *> tags = {"a", "b"};
  double doubles[] = {0.5};
  bool bools[] = {true, false};
  log_event("keys", key, "acme", "ints", SL_INTS(ints, 3), "tags", SL_STRS(tags.data(), tags.size()), "doubles",
            SL_DOUBLES(doubles, 1), "bools", SL_BOOLS(bools, 2), "no_ints", SL_INTS(nullptr, 0));
  check::lines l = check::take(cap);
  CHECK_EQ(l.logs.size(), size_t{1});
  if (l.logs.empty()) return;
  const jl_doc *d = l.logs[0].get();
  CHECK_EQ(check::str(d, "tenant"), std::string("acme"));
  CHECK_EQ(check::raw(d, "ints"), std::string("[1,-2,9223372036854775807]"));
  CHECK_EQ(check::raw(d, "tags"), std::string("[\"a\",\"b\"]"));
  CHECK_EQ(check::raw(d, "doubles"), std::string("[0.5]"));
  CHECK_EQ(check::raw(d, "bools"), std::string("[true,false]"));
  CHECK_EQ(check::raw(d, "no_ints"), std::string("[]"));
}

int main() {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  values_render_as_their_json(cap);
  temporaries_are_read_before_they_go(cap);
  string_keys_and_arrays(cap);
  sl_capture_stop(cap);
  return check::report();
}
