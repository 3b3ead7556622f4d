// The C++ tests' assertions and line reading: every captured line goes through the strict
// parser of tests/jsonl.h, and values are compared decoded (nested objects and one-element
// arrays are parsed again). One main per test file; failures print where and both sides.
#ifndef CPP_CHECK_H
#define CPP_CHECK_H

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "jsonl.h"
}
#include <spanlog.h>
#include <spanlog/testing.h>

namespace check {

inline int failures = 0;
inline const char *current = "";

inline void fail(const char *file, int line, const std::string &what) {
  std::fprintf(stderr, "%s:%d: [%s] %s\n", file, line, current, what.c_str());
  failures++;
}

#define CHECK(cond)                                                                       \
  do {                                                                                    \
    if (!(cond)) check::fail(__FILE__, __LINE__, "CHECK(" #cond ") failed");              \
  } while (0)
#define CHECK_EQ(a, b)                                                                    \
  do {                                                                                    \
    auto check_a = (a);                                                                   \
    auto check_b = (b);                                                                   \
    if (!(check_a == check_b))                                                            \
      check::fail(__FILE__, __LINE__, std::string(#a " == " #b " failed: got ") + check::show(check_a) + \
                                          ", want " + check::show(check_b));              \
  } while (0)

inline std::string show(const std::string &s) { return '"' + s + '"'; }
inline std::string show(const char *s) { return s ? show(std::string(s)) : "(null)"; }
inline std::string show(long long v) { return std::to_string(v); }
inline std::string show(unsigned long long v) { return std::to_string(v); }
inline std::string show(long v) { return std::to_string(v); }
inline std::string show(unsigned long v) { return std::to_string(v); }
inline std::string show(int v) { return std::to_string(v); }
inline std::string show(bool v) { return v ? "true" : "false"; }

struct doc_free {
  void operator()(jl_doc *d) const { jl_free(d); }
};
using doc = std::unique_ptr<jl_doc, doc_free>;

// One JSON line parsed; a line that does not parse is a failure (and an empty doc).
inline doc parse(const std::string &line) {
  char err[128] = "";
  jl_doc *d = jl_parse(line.data(), line.size(), err, sizeof err);
  if (!d) fail(__FILE__, __LINE__, "invalid JSON line (" + std::string(err) + "): " + line);
  return doc(d);
}

// Decoded string value of key (may hold NUL bytes); "<absent>" or "<not a string: raw>".
inline std::string str(const jl_doc *d, const char *key) {
  long i = d ? jl_find(d, key) : -1;
  if (i < 0) return "<absent>";
  size_t n = 0;
  if (const char *s = jl_str(d, static_cast<size_t>(i), &n)) return std::string(s, n);
  const char *raw = jl_raw(d, static_cast<size_t>(i), &n);
  return "<not a string: " + std::string(raw, n) + ">";
}

// The value of key as it is written in the line ("<absent>" if none).
inline std::string raw(const jl_doc *d, const char *key) {
  long i = d ? jl_find(d, key) : -1;
  if (i < 0) return "<absent>";
  size_t n = 0;
  const char *r = jl_raw(d, static_cast<size_t>(i), &n);
  return std::string(r, n);
}

// key's value, an object, as a document of its own (empty if absent or not an object).
inline doc object(const jl_doc *d, const char *key) {
  long i = d ? jl_find(d, key) : -1;
  if (i < 0 || jl_type(d, static_cast<size_t>(i)) != JL_OBJECT) return doc();
  size_t n = 0;
  const char *r = jl_raw(d, static_cast<size_t>(i), &n);
  return doc(jl_parse(r, n, nullptr, 0));
}

// key's value, an array of exactly one object, that object (else empty).
inline doc only_element(const jl_doc *d, const char *key) {
  std::string r = raw(d, key);
  if (r.size() < 4 || r.front() != '[' || r[1] != '{' || r.back() != ']' || r[r.size() - 2] != '}') return doc();
  return doc(jl_parse(r.data() + 1, r.size() - 2, nullptr, 0));
}

// What a capture holds, split: span lines (they have start_time) and log records.
struct lines {
  std::vector<doc> spans, logs;
};
inline lines take(sl_capture *cap) {
  lines out;
  size_t n = sl_capture_count(cap);
  for (size_t i = 0; i < n; i++) {
    doc d = parse(sl_capture_line(cap, i));
    if (!d) continue;
    (jl_find(d.get(), "start_time") >= 0 ? out.spans : out.logs).push_back(std::move(d));
  }
  sl_capture_clear(cap);
  return out;
}

// The one span line of that name (a failure if not exactly one).
inline const jl_doc *span_named(const lines &l, const char *name, int line) {
  const jl_doc *found = nullptr;
  int count = 0;
  for (const doc &d : l.spans)
    if (str(d.get(), "name") == name) found = d.get(), count++;
  if (count != 1) fail(__FILE__, line, std::to_string(count) + " span lines named " + name + ", want 1");
  return found;
}
#define SPAN_NAMED(l, name) check::span_named((l), (name), __LINE__)

inline int report() {
  if (failures) std::fprintf(stderr, "%d failure(s)\n", failures);
  return failures ? 1 : 0;
}

} // namespace check

#endif
