// spanlog::logger: a bound logger as a C++ value. Its pairs are on every record logged
// through it, with() derives a logger with more pairs and leaves its parent as it was, the
// call's keys win over the logger's, copies share one logger across threads, and a record
// below the named logger's level is not kept.
#include <spanlog/spanlog.hpp>

#include <string>
#include <thread>
#include <vector>

#include "cpp_check.h"

static void pairs_are_on_every_record_and_derivation_adds(sl_capture *cap) {
  check::current = "with";
  spanlog::logger base = spanlog::logger("agent").with("request_id", std::string("r-17"));
  spanlog::logger tool = base.with("tool", "search", "request_id", "r-18");
  base.info("base.event", "n", 1);
  tool.warning("tool.event", "tool", std::string_view("override"));
  check::lines l = check::take(cap);
  CHECK_EQ(l.logs.size(), size_t{2});
  if (l.logs.size() != 2) return;
  const jl_doc *b = l.logs[0].get(), *t = l.logs[1].get();
  CHECK_EQ(check::str(b, "logger"), std::string("agent"));
  CHECK_EQ(check::str(b, "request_id"), std::string("r-17"));
  CHECK_EQ(check::str(b, "tool"), std::string("<absent>"));
  CHECK_EQ(check::raw(b, "n"), std::string("1"));
  CHECK_EQ(check::str(t, "level"), std::string("warning"));
  CHECK_EQ(check::str(t, "request_id"), std::string("r-18")); // derived: the new value
  CHECK_EQ(check::str(t, "tool"), std::string("override"));   // the call's key wins
}

static void copies_share_one_logger_across_threads(sl_capture *cap) {
  check::current = "threads";
  spanlog::logger log = spanlog::logger("agent").with("shared", true);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++)
    threads.emplace_back([log, t] { // a copy per thread
      for (int i = 0; i < 50; i++) log.info("tick", "thread", t, "i", i);
    });
  for (std::thread &th : threads) th.join();
  check::lines l = check::take(cap);
  CHECK_EQ(l.logs.size(), size_t{200});
  for (const check::doc &d : l.logs) CHECK_EQ(check::raw(d.get(), "shared"), std::string("true"));
}

static void records_below_the_level_are_not_kept(sl_capture *cap) {
  check::current = "level";
  sl_logger_set_level(sl_logger_get("quiet"), SL_LEVEL_WARNING);
  spanlog::logger quiet("quiet");
  CHECK(!quiet.enabled(SL_LEVEL_INFO));
  quiet.info("dropped");
  quiet.error("kept", "code", 7);
  check::lines l = check::take(cap);
  CHECK_EQ(l.logs.size(), size_t{1});
  if (l.logs.size() == 1) CHECK_EQ(check::str(l.logs[0].get(), "event"), std::string("kept"));
}

int main() {
  sl_capture *cap = sl_capture_start(SL_LEVEL_DEBUG);
  pairs_are_on_every_record_and_derivation_adds(cap);
  copies_share_one_logger_across_threads(cap);
  records_below_the_level_are_not_kept(cap);
  sl_capture_stop(cap);
  return check::report();
}
