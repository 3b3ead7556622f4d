// spanlog for C++17: RAII spans, exceptions recorded on spans, and a scope guard for bound
// fields. Header-only, over the C API (which is unchanged and usable beside it).
//
//   #include <spanlog/spanlog.hpp>
//
//   spanlog::span s("fetch", "url", url);          // started here, current until it ends
//   s.set("http.status", 200);
//   s.event("retry", "attempt", 2);
//   // ended when s goes out of scope; an exception on its way out sets status error
//
//   auto body = spanlog::in_span("fetch", [&](spanlog::span &s) { return get(url); }, "url", url);
//   // a thrown exception is recorded on the span (status error, an "exception" event with
//   // exception.type and exception.message, as OpenTelemetry's start_as_current_span does),
//   // then rethrown
//
//   spanlog::scope bound("request_id", rid);       // bound until `bound` goes out of scope
//
//   spanlog::logger log = spanlog::logger("agent").with("request_id", rid);
//   log.info("tool.start", "tool", name);          // a bound logger as a value
//
// Keys are strings (const char * or a named std::string); values are what log_event takes
// in C++ (integers, doubles, strings, std::string, std::string_view, char, bool, nullptr,
// void *, SL_STRN, SL_RAW_JSON and the array wrappers).
#ifndef SPANLOG_SPANLOG_HPP
#define SPANLOG_SPANLOG_HPP

#if !defined(__cplusplus) || __cplusplus < 201703L
#error "spanlog/spanlog.hpp needs C++17 (spanlog.h works in C and any C++)"
#endif

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "../spanlog.h"

#if __has_include(<cxxabi.h>)
#include <cxxabi.h>
#define SPANLOG_HAS_CXXABI 1
#endif

namespace spanlog {

namespace detail {

// The key/value pairs of a call as an array of sl_arg. Values are referred to, not copied:
// the array must not outlive the call it is made for.
template <std::size_t N> struct args {
  sl_arg a[N ? N : 1];
  static constexpr int count = static_cast<int>(N);
};

inline void fill(sl_arg *) {}
template <class K, class V, class... Rest>
void fill(sl_arg *out, const K &key, const V &value, const Rest &...rest) {
  *out = sl__arg(sl__key(key), value);
  fill(out + 1, rest...);
}

template <class... KV> args<sizeof...(KV) / 2> pairs(const KV &...kv) {
  static_assert(sizeof...(KV) % 2 == 0, "spanlog: a key without a value (calls take key/value pairs)");
  args<sizeof...(KV) / 2> out;
  fill(out.a, kv...);
  return out;
}

// A type's name as written in C++ ("std::runtime_error"), from its mangled name.
inline std::string type_name(const char *mangled) {
#ifdef SPANLOG_HAS_CXXABI
  int status = 0;
  char *name = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  if (name) {
    std::string out(name);
    std::free(name);
    return out;
  }
#endif
  return mangled;
}

// The type of the exception being handled (inside a catch block), or "" if unknown.
inline std::string current_exception_type() {
#ifdef SPANLOG_HAS_CXXABI
  if (const std::type_info *t = abi::__cxa_current_exception_type()) return type_name(t->name());
#endif
  return std::string();
}

} // namespace detail

// A span that ends when the object does: a child of the current span (or a new trace),
// current until it ends. Move-only; a moved-from span is empty (every call a no-op).
// An exception leaving the span's scope sets its status to error ("exception"); to record
// the exception itself (type and message), run the code through in_span, or call
// record_exception() in a catch block.
class span {
public:
  template <class... KV> explicit span(const char *name, const KV &...kv) : span(SL_SPAN_INTERNAL, name, kv...) {}
  template <class... KV> span(sl_span_kind kind, const char *name, const KV &...kv) : uncaught_(std::uncaught_exceptions()) {
    auto a = detail::pairs(kv...);
    s_ = sl__span_start(static_cast<int>(kind), sl__text_of(name), a.a, a.count);
  }
  span(span &&other) noexcept
      : s_(std::exchange(other.s_, nullptr)), uncaught_(other.uncaught_), recorded_(other.recorded_) {}
  span &operator=(span &&other) noexcept {
    if (this != &other) {
      end();
      s_ = std::exchange(other.s_, nullptr);
      uncaught_ = other.uncaught_;
      recorded_ = other.recorded_;
    }
    return *this;
  }
  span(const span &) = delete;
  span &operator=(const span &) = delete;
  ~span() {
    if (s_ && !recorded_) sl__span_end_unwinding(s_, uncaught_);
    else end();
  }

  // Attributes; a key set again takes the new value.
  template <class... KV> span &set(const KV &...kv) {
    auto a = detail::pairs(kv...);
    sl__span_set(s_, "", a.a, a.count);
    return *this;
  }
  // A timestamped event with attributes.
  template <class... KV> span &event(const char *name, const KV &...kv) {
    auto a = detail::pairs(kv...);
    sl__span_event(s_, name, a.a, a.count);
    return *this;
  }
  template <class... KV> span &event(const std::string &name, const KV &...kv) { return event(name.c_str(), kv...); }
  // Status error with message and the attribute error.type (sl_span_error).
  span &error(const char *error_type, const char *message) {
    sl_span_error(s_, error_type, message);
    return *this;
  }
  span &status(sl_span_status code, const char *message = nullptr) {
    sl_span_set_status(s_, code, message);
    return *this;
  }
  // Inside a catch block: the exception being handled, as OpenTelemetry records one: an
  // event "exception" with exception.type (the demangled type name) and
  // exception.message (what() of a std::exception, else absent), and status error with
  // the description "type: message".
  void record_exception() noexcept {
    try {
      std::string type = detail::current_exception_type();
      try {
        throw;
      } catch (const std::exception &e) {
        record(detail::type_name(typeid(e).name()), e.what());
      } catch (...) {
        record(type.empty() ? "unknown" : type, nullptr);
      }
    } catch (...) { // no memory for the names: the status still says what happened
      sl_span_set_status(s_, SL_STATUS_ERROR, "exception");
    }
    recorded_ = true;
  }
  // Ends the span now (later calls are no-ops).
  void end() noexcept {
    sl_span_end(s_);
    s_ = nullptr;
  }
  // The C handle, for the C API (NULL once ended or moved from).
  sl_span *get() const noexcept { return s_; }

private:
  void record(const std::string &type, const char *message) {
    if (message) {
      sl_span_event(s_, "exception", "exception.type", type, "exception.message", message);
      sl_span_set_status(s_, SL_STATUS_ERROR, (type + ": " + message).c_str());
    } else {
      sl_span_event(s_, "exception", "exception.type", type);
      sl_span_set_status(s_, SL_STATUS_ERROR, type.c_str());
    }
  }

  sl_span *s_ = nullptr;
  int uncaught_ = 0;
  bool recorded_ = false;
};

// Runs fn inside a span named name with the attributes kv: fn() or fn(span &). An
// exception thrown by fn is recorded on the span (record_exception) and rethrown; the span
// ends when in_span returns or throws. Returns what fn returns.
template <class F, class... KV> decltype(auto) in_span(const char *name, F &&fn, const KV &...kv) {
  span s(name, kv...);
  try {
    if constexpr (std::is_invocable_v<F &&, span &>) return std::forward<F>(fn)(s);
    else return std::forward<F>(fn)();
  } catch (...) {
    s.record_exception();
    throw;
  }
}

// Binds the pairs in the current context until the object goes out of scope, then
// restores those keys to what they were before (as SL_SCOPE does). Neither copied nor
// moved: it belongs to the block and the thread that made it.
class scope {
public:
  template <class... KV> explicit scope(const KV &...kv) {
    static_assert(sizeof...(KV) > 0, "spanlog: a scope binds at least one key/value pair");
    auto a = detail::pairs(kv...);
    s_ = sl__scope_begin(a.a, a.count);
  }
  scope(const scope &) = delete;
  scope &operator=(const scope &) = delete;
  ~scope() { sl__scope_end(&s_); }

private:
  sl__scope s_;
};

// A bound logger as a C++ value (sl_bound): a named logger and key/value pairs added to
// every record logged through it; with() derives a new one with more pairs. Copies share
// one immutable sl_bound (freed with the last copy), so a logger is cheap to pass by value
// and safe to use from several threads at once.
//
//   spanlog::logger log = spanlog::logger("agent").with("request_id", rid);
//   log.info("tool.start", "tool", name);
class logger {
public:
  // The named logger's records, with no pairs yet ("app" is the default logger).
  explicit logger(const char *name = "app") : b_(sl__bound_new(sl_logger_get(name), nullptr, 0), sl_bound_free) {}
  // This logger's pairs and these; a key it has takes the new value.
  template <class... KV> logger with(const KV &...kv) const {
    auto a = detail::pairs(kv...);
    return logger(sl__bound_derive(b_.get(), a.a, a.count));
  }
  // True if a record of that level would be kept (the arguments of a call below the level
  // are still evaluated in C++: check first where they are costly).
  bool enabled(sl_level level) const noexcept { return sl__bound_enabled(b_.get(), level); }

  template <class... KV> void log(sl_level level, const char *event, const KV &...kv) const {
    if (!enabled(level)) return;
    auto a = detail::pairs(kv...);
    sl__callsite cs = {1, static_cast<unsigned char>(level), 1, nullptr, nullptr, nullptr, nullptr};
    sl__emit_bound(&cs, b_.get(), sl__text_of(event), a.a, a.count);
  }
  template <class... KV> void debug(const char *event, const KV &...kv) const { log(SL_LEVEL_DEBUG, event, kv...); }
  template <class... KV> void info(const char *event, const KV &...kv) const { log(SL_LEVEL_INFO, event, kv...); }
  template <class... KV> void warning(const char *event, const KV &...kv) const { log(SL_LEVEL_WARNING, event, kv...); }
  template <class... KV> void error(const char *event, const KV &...kv) const { log(SL_LEVEL_ERROR, event, kv...); }
  template <class... KV> void critical(const char *event, const KV &...kv) const { log(SL_LEVEL_CRITICAL, event, kv...); }

  // The C handle, for the C macros (sl_bound_info(log.get(), ...)); owned by this logger.
  const sl_bound *get() const noexcept { return b_.get(); }

private:
  explicit logger(sl_bound *b) : b_(b, sl_bound_free) {}
  std::shared_ptr<sl_bound> b_;
};

} // namespace spanlog

#endif
