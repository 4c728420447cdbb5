// Tests of run.hpp: every way a test case can end gets the right status and reason, in the
// sandbox (bubblewrap when usable) and without it.
#include <catch2/catch.hpp>

#include "tt/grade/run.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;

namespace {

TestOutcome run_behaviour(const std::string& name, bool bubblewrap, double timeout = 3) {
  static TempDir tmp("tt-run-test");
  const Sandbox sb = make_sandbox(bubblewrap ? SandboxPolicy::require : SandboxPolicy::off);
  const std::filesystem::path dir = tmp.path() / (bubblewrap ? "bw" : "plain");
  const auto exe = stage_program(TT_FIXTURE_BEHAVIOURS, dir / "bin");
  Limits limits = test_limits(timeout);
  limits.output_kill = 1 << 20;
  return run_test_case(exe, name, sb, limits, dir / "out");
}

}  // namespace

TEST_CASE("each misbehaviour of a test case gets its status and reason") {
  const bool bubblewrap = GENERATE(true, false);
  if (bubblewrap && !bubblewrap_usable()) {
    WARN("bubblewrap is not usable here; only the weaker mode is tested");
    return;
  }
  CAPTURE(bubblewrap);
  SECTION("passes") { CHECK(run_behaviour("passes", bubblewrap).status == Status::passed); }
  SECTION("an assertion fails, with its expansion") {
    const auto o = run_behaviour("fails an assertion", bubblewrap);
    CHECK(o.status == Status::failed);
    REQUIRE(o.first_failure);
    CHECK(o.first_failure->original == "x == 4");
    CHECK(o.first_failure->expanded == "3 == 4");
    CHECK_THAT(o.reason, Catch::Contains("behaviours_test.cpp:"));
  }
  SECTION("a stub's exception is recognised as not implemented") {
    const auto o = run_behaviour("throws not implemented", bubblewrap);
    CHECK(o.status == Status::failed);
    CHECK(o.not_implemented);
    CHECK_THAT(o.reason, Catch::StartsWith("not implemented yet: 98.1 thing"));
  }
  SECTION("a segfault is a crash named SIGSEGV") {
    const auto o = run_behaviour("segfaults", bubblewrap);
    CHECK(o.status == Status::crashed);
    CHECK_THAT(o.reason, Catch::StartsWith("crashed: SIGSEGV"));
  }
  SECTION("std::abort is a crash named SIGABRT") {
    const auto o = run_behaviour("aborts", bubblewrap);
    CHECK(o.status == Status::crashed);
    CHECK_THAT(o.reason, Catch::StartsWith("crashed: SIGABRT"));
  }
  SECTION("exit(0) in the middle of a test is a missing result, not a pass") {
    const auto o = run_behaviour("exits 0 in the middle", bubblewrap);
    CHECK(o.status == Status::missing);
    CHECK(o.reason == "no result: process exited 0 before the test finished");
  }
  SECTION("an infinite loop times out") {
    const auto o = run_behaviour("loops forever", bubblewrap, 1);
    CHECK(o.status == Status::timeout);
    CHECK(o.reason == "timeout after 1 s");  // the loop never ends: only the kill gives this
  }
  SECTION("flooding the output is cut off") {
    const auto o = run_behaviour("floods the output", bubblewrap);
    CHECK(o.status == Status::crashed);
    CHECK_THAT(o.reason, Catch::Contains("output"));
    CHECK(o.output.size() < std::size_t{100} * 1024);
  }
  SECTION("stdout shaped like Catch2 XML cannot fake a pass") {
    const auto o = run_behaviour("prints text shaped like Catch2 XML", bubblewrap);
    CHECK(o.status == Status::failed);
  }
}

TEST_CASE("classify: a process killed by bubblewrap's 128+N status is a crash") {
  ProcessResult p;
  p.started = true;
  p.exit_code = 128 + 11;
  const auto o = classify("x", p, {}, true, test_limits(10));
  CHECK(o.status == Status::crashed);
  CHECK(o.reason == "crashed: SIGSEGV");
}
