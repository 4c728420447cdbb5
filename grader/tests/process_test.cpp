// Tests of process.hpp and catch_runner.hpp on the misbehaving fixture tests (no sandbox).
// Not the sandboxed runs (run_test.cpp covers those with statuses and reasons).
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>

#include <unistd.h>

#include "tt/grade/catch_runner.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;

TEST_CASE("the name filter selects exactly one test whatever its characters") {
  CHECK(catch_name_filter("a, b [c]") == "a\\,\\ b\\ \\[c\\]");
  tt::grade::TempDir tmp("tt-process-test");
  const auto names = list_test_names(TT_FIXTURE_REF);
  REQUIRE(names.size() == 3);
  for (const auto& n : names) {
    Limits limits;
    const auto inv = run_catch(TT_FIXTURE_REF, {catch_name_filter(n)}, (tmp.path() / "r.xml").string(), limits);
    REQUIRE(inv.xml.cases.size() == 1);
    CHECK(inv.xml.cases[0].name == n);
    CHECK(inv.xml.cases[0].success);
  }
}

TEST_CASE("a wall-clock timeout kills the process") {
  Limits limits;
  limits.wall_seconds = 0.5;
  const auto r = run_process({"sleep", "30"}, limits);
  CHECK(r.timed_out);
  CHECK(r.signal == SIGKILL);  // ended by the kill, not by sleep finishing
}

TEST_CASE("output is capped and a flood is killed") {
  Limits limits;
  limits.output_keep = 100;
  limits.output_kill = 1 << 20;
  const auto r = run_process({"yes"}, limits);
  CHECK(r.output_limit);
  CHECK(r.output_bytes > (1u << 20));
  CHECK(r.output.size() < 300);
}

TEST_CASE("signals and exit codes are reported") {
  Limits limits;
  CHECK(run_process({"sh", "-c", "exit 3"}, limits).exit_code == 3);
  CHECK(run_process({"sh", "-c", "kill -SEGV $$"}, limits).signal == SIGSEGV);
  CHECK(signal_name(SIGSEGV) == "SIGSEGV");
  CHECK_FALSE(run_process({"/nonexistent/tt-grade-nothing"}, limits).exit_code == 0);
}

TEST_CASE("a process tree counts as running while a thread of it computes, not while it waits") {
  Limits limits;
  limits.wall_seconds = 20;
  Child waiting({"sh", "-c", "sleep 20"}, limits);
  Child busy({"sh", "-c", "while :; do :; done"}, limits);
  bool waiting_settled = false, busy_seen_running = false;
  for (int i = 0; i < 200 && !(waiting_settled && busy_seen_running); ++i) {  // until both show
    waiting_settled = waiting_settled || !waiting.tree_running();
    busy_seen_running = busy_seen_running || busy.tree_running();
    ::usleep(10000);
  }
  CHECK(waiting_settled);
  CHECK(busy_seen_running);
  waiting.kill();
  busy.kill();
  CHECK_FALSE(busy.wait(5).exit_code == 0);
  CHECK_FALSE(busy.tree_running());  // a waited-for child is not running
}
