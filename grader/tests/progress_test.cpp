// Tests of progress.hpp: a run's results grouped by task, and the table a student reads.
// Not an end-to-end run (the course's student ctest entries run tt-grade progress on the stubs).
#include <catch2/catch.hpp>

#include "tt/grade/progress.hpp"

using namespace tt::grade;

namespace {

CaseResult result(const std::string& name, const std::string& tags, bool success, Failure f = {}) {
  CaseResult r;
  r.name = name;
  r.tags = tags;
  r.completed = true;
  r.success = success;
  if (!success) r.failures.push_back(f);
  return r;
}

const Failure kStub{"exception", "t.cpp", 3, "",
                    "not implemented yet: 99.1 add (your task 99.1: see the module README)"};
const Failure kWrong{"assertion", "/x/t.cpp", 9, "CHECK( add(1, 2) == 3 )", "4 == 3"};

}  // namespace

TEST_CASE("progress: a task is to do while every failure is a stub's, failing otherwise, done when all pass") {
  const Manifest m = load_manifest(TT_FIXTURE_DIR "/fixture_module.json");
  BinaryOutcome run;
  run.listed = {"a", "b", "c"};
  run.results = {result("a", "[m99][99.1][points=2]", false, kStub),
                 result("b", "[m99][99.1][points=1]", false, kWrong), result("c", "[m99][99.2][points=2]", true)};
  const auto p = summarize_progress(m, run);
  REQUIRE(p.tasks.size() == 2);
  CHECK(p.tasks[0].state == TaskState::failing);
  CHECK(p.tasks[0].failing == 2);
  CHECK(p.tasks[0].first_test == "a");
  CHECK(p.tasks[1].state == TaskState::done);
  CHECK(p.points == 2);
  CHECK(p.max_points == 5);

  run.results[1] = result("b", "[m99][99.1][points=1]", false, kStub);
  const auto stubs = summarize_progress(m, run);
  CHECK(stubs.tasks[0].state == TaskState::to_do);
  const std::string table = format_progress(m, stubs, "/b/m99_tests_student");
  CHECK(table.find("99.1  Part 1    0/3  to do") != std::string::npos);
  CHECK(table.find("not implemented yet: 99.1 add") != std::string::npos);
  CHECK(table.find("99.2  Part 2    2/2  done") != std::string::npos);
  CHECK(table.find("m99_tests_student \"[99.1]\"") != std::string::npos);

  run.results[0] = result("a", "[m99][99.1][points=2]", false, kWrong);
  const std::string failing = format_progress(m, summarize_progress(m, run), "m99_tests_student");
  CHECK(failing.find("first failing test: \"a\"") != std::string::npos);
  CHECK(failing.find("t.cpp:9: CHECK( add(1, 2) == 3 )  with expansion: 4 == 3") != std::string::npos);
}

TEST_CASE("progress: a crashed test fails its task with the signal") {
  const Manifest m = load_manifest(TT_FIXTURE_DIR "/fixture_module.json");
  BinaryOutcome run;
  run.listed = {"a"};
  run.results = {result("a", "[m99][99.1][points=3]", false, kStub)};
  run.crashed = {"a: SIGSEGV"};
  const auto p = summarize_progress(m, run);
  CHECK(p.tasks[0].state == TaskState::failing);
  CHECK(format_progress(m, p, "x").find("crashed: SIGSEGV") != std::string::npos);
}
