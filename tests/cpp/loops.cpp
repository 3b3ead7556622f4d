// C++17: break and continue inside SL_SCOPE and SL_SPAN bind to the loop around them, as
// in any block; the scope is undone and the span ended either way. An exception leaving
// SL_SPAN sets the span's status to error. SL_SCOPE_HERE and SL_SPAN_HERE, declarations,
// last to the end of their block: the same, as guard objects.
#include <stdexcept>
#include <string>

#include "cpp_check.h"

static void break_and_continue_in_scope_reach_the_loop(sl_capture *cap) {
  check::current = "SL_SCOPE in a loop";
  int i, body_ends = 0;
  for (i = 0; i < 10; i++) {
    SL_SCOPE("i", i) {
      if (i == 1) continue; // to the next i, not out of the block only
      if (i == 3) break;    // out of the for loop
      log_event("iteration");
      body_ends++;
    }
    log_event("after scope"); // skipped by continue and break
  }
  log_event("after loop");
  CHECK_EQ(i, 3);
  CHECK_EQ(body_ends, 2);
  check::lines l = check::take(cap);
  // i=0: iteration, after scope; i=2: iteration, after scope; after loop
  CHECK_EQ(l.logs.size(), size_t{5});
  if (l.logs.size() != 5) return;
  const char *want_events[] = {"iteration", "after scope", "iteration", "after scope", "after loop"};
  const char *want_i[] = {"0", "<absent>", "2", "<absent>", "<absent>"};
  for (size_t k = 0; k < 5; k++) {
    CHECK_EQ(check::str(l.logs[k].get(), "event"), std::string(want_events[k]));
    CHECK_EQ(check::raw(l.logs[k].get(), "i"), std::string(want_i[k])); // undone on every way out
  }
}

static void break_and_continue_in_span_reach_the_loop(sl_capture *cap) {
  check::current = "SL_SPAN in a loop";
  int i;
  for (i = 0; i < 10; i++) {
    SL_SPAN("step", "i", i) {
      if (i == 1) continue;
      if (i == 3) break;
      log_event("in span");
    }
  }
  CHECK_EQ(i, 3);
  CHECK(sl_span_current() == nullptr); // every span ended, none left current
  check::lines l = check::take(cap);
  CHECK_EQ(l.spans.size(), size_t{4}); // i = 0, 1, 2, 3: each ended once
  CHECK_EQ(l.logs.size(), size_t{2});
  for (const check::doc &s : l.spans) CHECK_EQ(check::raw(s.get(), "parent_span_id"), std::string("null"));
}

static void an_exception_leaving_a_span_block_sets_error(sl_capture *cap) {
  check::current = "SL_SPAN and an exception";
  bool caught = false;
  try {
    SL_SPAN("throws") { throw std::runtime_error("boom"); }
  } catch (const std::runtime_error &) {
    caught = true;
  }
  SL_SPAN("returns") { log_event("fine"); }
  CHECK(caught);
  CHECK(sl_span_current() == nullptr);
  check::lines l = check::take(cap);
  check::doc status = check::object(SPAN_NAMED(l, "throws"), "status");
  CHECK_EQ(check::str(status.get(), "code"), std::string("error"));
  CHECK_EQ(check::str(status.get(), "message"), std::string("exception"));
  check::doc fine = check::object(SPAN_NAMED(l, "returns"), "status");
  CHECK_EQ(check::str(fine.get(), "code"), std::string("unset"));
}

static void here_forms_last_to_the_end_of_their_block(sl_capture *cap) {
  check::current = "SL_SCOPE_HERE and SL_SPAN_HERE";
  int i;
  for (i = 0; i < 10; i++) {
    SL_SPAN_HERE("step", "i", i);
    SL_SCOPE_HERE("i", std::to_string(i));
    if (i == 1) continue;
    if (i == 3) break;
    log_event("in step");
  }
  log_event("after loop");
  CHECK_EQ(i, 3);
  CHECK(sl_span_current() == nullptr);
  bool caught = false;
  try {
    SL_SPAN_HERE("throws");
    throw std::runtime_error("boom");
  } catch (const std::runtime_error &) {
    caught = true;
  }
  CHECK(caught);
  check::lines l = check::take(cap);
  CHECK_EQ(l.spans.size(), size_t{5}); // i = 0, 1, 2, 3 and "throws"
  CHECK_EQ(l.logs.size(), size_t{3});
  if (l.logs.size() != 3) return;
  CHECK_EQ(check::str(l.logs[0].get(), "i"), std::string("0"));
  CHECK_EQ(check::str(l.logs[1].get(), "i"), std::string("2"));
  CHECK_EQ(check::raw(l.logs[2].get(), "i"), std::string("<absent>")); // undone with the loop
  check::doc status = check::object(SPAN_NAMED(l, "throws"), "status");
  CHECK_EQ(check::str(status.get(), "code"), std::string("error"));
}

// An else after a statement with SL_SCOPE or SL_SPAN as its body belongs to the user's
// if, not to the macro's.
static void an_else_binds_to_the_users_if(sl_capture *cap) {
  check::current = "dangling else";
  int taken = 0;
  for (int flag = 0; flag < 2; flag++) {
    if (flag)
      SL_SCOPE("flag", flag) { taken += 1; }
    else
      taken += 10;
  }
  CHECK_EQ(taken, 11);
  check::take(cap);
}

int main() {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  break_and_continue_in_scope_reach_the_loop(cap);
  break_and_continue_in_span_reach_the_loop(cap);
  an_exception_leaving_a_span_block_sets_error(cap);
  an_else_binds_to_the_users_if(cap);
  here_forms_last_to_the_end_of_their_block(cap);
  sl_capture_stop(cap);
  return check::report();
}
