// spanlog.hpp: spanlog::span ends with its scope and nests; in_span records a thrown
// exception as OpenTelemetry does (status error, an "exception" event with
// exception.type and exception.message) and rethrows it; spanlog::scope binds fields
// for its lifetime.
#include <spanlog/spanlog.hpp>

#include <stdexcept>
#include <string>

#include "cpp_check.h"

namespace app {
struct timeout_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
} // namespace app

static void spans_end_with_their_scope_and_nest(sl_capture *cap) {
  check::current = "RAII span";
  {
    spanlog::span parent("parent", "user", std::string("u1"));
    {
      spanlog::span child(SL_SPAN_CLIENT, "child", "n", 1);
      child.set("status_text", std::string_view("ok"), "retry", false);
      child.event("sent", "bytes", 12);
      CHECK(sl_span_current() == child.get());
    }
    CHECK(sl_span_current() == parent.get());
    spanlog::span moved = std::move(parent); // one span, ended once, by its new owner
    CHECK(parent.get() == nullptr);
    moved.error("timeout", "took too long");
  }
  CHECK(sl_span_current() == nullptr);
  check::lines l = check::take(cap);
  CHECK_EQ(l.spans.size(), size_t{2});
  const jl_doc *parent = SPAN_NAMED(l, "parent"), *child = SPAN_NAMED(l, "child");
  CHECK_EQ(check::str(child, "parent_span_id"), check::str(parent, "span_id"));
  CHECK_EQ(check::str(child, "trace_id"), check::str(parent, "trace_id"));
  CHECK_EQ(check::str(child, "kind"), std::string("client"));
  check::doc attrs = check::object(child, "attributes");
  CHECK_EQ(check::raw(attrs.get(), "n"), std::string("1"));
  CHECK_EQ(check::str(attrs.get(), "status_text"), std::string("ok"));
  CHECK_EQ(check::raw(attrs.get(), "retry"), std::string("false"));
  check::doc ev = check::only_element(child, "events");
  CHECK_EQ(check::str(ev.get(), "name"), std::string("sent"));
  check::doc status = check::object(parent, "status");
  CHECK_EQ(check::str(status.get(), "code"), std::string("error"));
  CHECK_EQ(check::str(status.get(), "message"), std::string("took too long"));
  check::doc parent_attrs = check::object(parent, "attributes");
  CHECK_EQ(check::str(parent_attrs.get(), "user"), std::string("u1"));
}

// The exception event of span line d: its attributes (empty doc if there is none).
static check::doc exception_attributes(const jl_doc *d) {
  check::doc ev = check::only_element(d, "events");
  CHECK_EQ(check::str(ev.get(), "name"), std::string("exception"));
  return check::object(ev.get(), "attributes");
}

static void in_span_records_and_rethrows_exceptions(sl_capture *cap) {
  check::current = "in_span";
  std::string caught;
  try {
    spanlog::in_span(
        "fetch", [](spanlog::span &s) { s.set("url", "http://x"); throw app::timeout_error("no answer in 5 s"); },
        "attempt", 1);
  } catch (const app::timeout_error &e) {
    caught = e.what();
  }
  CHECK_EQ(caught, std::string("no answer in 5 s"));
  int thrown = 0;
  try {
    spanlog::in_span("throws an int", [] { throw 42; });
  } catch (int v) {
    thrown = v;
  }
  CHECK_EQ(thrown, 42);
  int answer = spanlog::in_span("returns", [] { return 41 + 1; });
  CHECK_EQ(answer, 42);
  CHECK(sl_span_current() == nullptr);

  check::lines l = check::take(cap);
  const jl_doc *fetch = SPAN_NAMED(l, "fetch");
  check::doc ex = exception_attributes(fetch);
  CHECK_EQ(check::str(ex.get(), "exception.type"), std::string("app::timeout_error"));
  CHECK_EQ(check::str(ex.get(), "exception.message"), std::string("no answer in 5 s"));
  check::doc status = check::object(fetch, "status");
  CHECK_EQ(check::str(status.get(), "code"), std::string("error"));
  CHECK_EQ(check::str(status.get(), "message"), std::string("app::timeout_error: no answer in 5 s"));
  check::doc attrs = check::object(fetch, "attributes");
  CHECK_EQ(check::raw(attrs.get(), "attempt"), std::string("1"));
  CHECK_EQ(check::str(attrs.get(), "url"), std::string("http://x"));

  const jl_doc *int_span = SPAN_NAMED(l, "throws an int");
  check::doc int_ex = exception_attributes(int_span);
  CHECK_EQ(check::str(int_ex.get(), "exception.type"), std::string("int"));
  CHECK_EQ(check::str(int_ex.get(), "exception.message"), std::string("<absent>"));
  check::doc int_status = check::object(int_span, "status");
  CHECK_EQ(check::str(int_status.get(), "code"), std::string("error"));

  check::doc ok_status = check::object(SPAN_NAMED(l, "returns"), "status");
  CHECK_EQ(check::str(ok_status.get(), "code"), std::string("unset"));
  CHECK_EQ(check::raw(SPAN_NAMED(l, "returns"), "events"), std::string("[]"));
}

// Without in_span the exception cannot be read in a destructor: the span still gets
// status error, with the message "exception", and no exception event.
static void a_span_left_by_an_exception_has_status_error(sl_capture *cap) {
  check::current = "unwinding";
  try {
    spanlog::span s("unwound");
    throw std::logic_error("bad");
  } catch (const std::logic_error &) {
  }
  {
    // a span made while an exception is already in flight (in a destructor during
    // unwinding) and left normally keeps its status
    struct ender {
      ~ender() { spanlog::span inner("during unwinding"); }
    };
    try {
      ender e;
      throw 1;
    } catch (int) {
    }
  }
  check::lines l = check::take(cap);
  const jl_doc *unwound = SPAN_NAMED(l, "unwound");
  check::doc status = check::object(unwound, "status");
  CHECK_EQ(check::str(status.get(), "code"), std::string("error"));
  CHECK_EQ(check::str(status.get(), "message"), std::string("exception"));
  CHECK_EQ(check::raw(unwound, "events"), std::string("[]"));
  check::doc inner = check::object(SPAN_NAMED(l, "during unwinding"), "status");
  CHECK_EQ(check::str(inner.get(), "code"), std::string("unset"));
}

static void scope_binds_for_its_lifetime(sl_capture *cap) {
  check::current = "scope";
  log_bind("request_id", "outer");
  {
    spanlog::scope bound("request_id", std::string("inner"), "tool", 'x');
    log_event("inside");
  }
  log_event("outside");
  log_clear();
  check::lines l = check::take(cap);
  CHECK_EQ(l.logs.size(), size_t{2});
  if (l.logs.size() != 2) return;
  CHECK_EQ(check::str(l.logs[0].get(), "request_id"), std::string("inner"));
  CHECK_EQ(check::str(l.logs[0].get(), "tool"), std::string("x"));
  CHECK_EQ(check::str(l.logs[1].get(), "request_id"), std::string("outer"));
  CHECK_EQ(check::str(l.logs[1].get(), "tool"), std::string("<absent>"));
}

int main() {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  spans_end_with_their_scope_and_nest(cap);
  in_span_records_and_rethrows_exceptions(cap);
  a_span_left_by_an_exception_has_status_error(cap);
  scope_binds_for_its_lifetime(cap);
  sl_capture_stop(cap);
  return check::report();
}
