// Tests of stub_check.hpp: the rules on synthetic outcomes, then real fixture executables.
// Not tests of the course's modules (their stubcheck:mNN ctest entries do that).
#include <catch2/catch.hpp>

#include <algorithm>

#include "tt/grade/stub_check.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;

namespace {

Manifest fixture_manifest() { return load_manifest(TT_FIXTURE_DIR "/fixture_module.json"); }

CaseResult result(const std::string& name, const std::string& tags, bool success, const std::string& message = {}) {
  CaseResult r;
  r.name = name;
  r.tags = tags;
  r.completed = true;
  r.success = success;
  if (!success)
    r.failures.push_back({"exception", "x.cpp", 1, "", message.empty() ? "not implemented yet: 99.1" : message});
  return r;
}

// A consistent pair of outcomes for the fixture manifest (3 + 2 points).
std::pair<BinaryOutcome, BinaryOutcome> good_outcomes() {
  BinaryOutcome stu, sol;
  const std::vector<std::pair<std::string, std::string>> cases{
      {"a", "[m99][99.1][points=2]"}, {"b", "[m99][99.1][points=1]"}, {"c", "[m99][99.2][points=2]"}};
  for (const auto& [n, t] : cases) {
    stu.listed.push_back(n);
    sol.listed.push_back(n);
    stu.results.push_back(result(n, t, false));
    sol.results.push_back(result(n, t, true));
  }
  return {stu, sol};
}

bool mentions(const StubCheckReport& r, const std::string& text) {
  return std::any_of(r.problems.begin(), r.problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("consistent outcomes pass the stub check") {
  auto [stu, sol] = good_outcomes();
  const auto rep = judge_stubs(fixture_manifest(), stu, sol);
  CHECK(rep.problems.empty());
  CHECK(rep.tests == 3);
  CHECK(rep.points == 5);
}

TEST_CASE("each broken rule is reported naming the test") {
  auto [stu, sol] = good_outcomes();
  SECTION("a test that passes on the stubs") {
    stu.results[0].success = true;
    stu.results[0].failures.clear();
    CHECK(mentions(judge_stubs(fixture_manifest(), stu, sol), "test \"a\": PASSES on the stubs"));
  }
  SECTION("a test that fails on the solution") {
    sol.results[1] = result("b", "[m99][99.1][points=1]", false, "boom");
    CHECK(mentions(judge_stubs(fixture_manifest(), stu, sol), "test \"b\": FAILS on the solution"));
  }
  SECTION("a test without a points tag, which also breaks the sums") {
    sol.results[2].tags = stu.results[2].tags = "[m99][99.2]";
    const auto rep = judge_stubs(fixture_manifest(), stu, sol);
    CHECK(mentions(rep, "test \"c\": needs a [points=N] tag"));
    CHECK(mentions(rep, "task 99.2: its tests carry 0 points, module.json says 2"));
    CHECK(mentions(rep, "5 in total") == false);
    CHECK(mentions(rep, "the tests carry 3 points in total, module.json says 5"));
  }
  SECTION("a task tag that module.json does not know") {
    sol.results[2].tags = stu.results[2].tags = "[m99][99.7][points=2]";
    CHECK(mentions(judge_stubs(fixture_manifest(), stu, sol), "task tag [99.7] is not a task of module.json"));
  }
  SECTION("a missing module tag") {
    sol.results[0].tags = stu.results[0].tags = "[99.1][points=2]";
    CHECK(mentions(judge_stubs(fixture_manifest(), stu, sol), "missing the module tag [m99]"));
  }
  SECTION("binaries that list different tests") {
    stu.listed.push_back("d");
    CHECK(mentions(judge_stubs(fixture_manifest(), stu, sol), "test \"d\": listed by the student binary but not"));
  }
  SECTION("a name with an unbalanced bracket (ctest would merge it with the tests after it)") {
    for (auto* o : {&stu, &sol}) {
      o->listed[0] = "a in [0, 1)";
      o->results[0].name = "a in [0, 1)";
    }
    CHECK(mentions(judge_stubs(fixture_manifest(), stu, sol), "test \"a in [0, 1)\": unbalanced '[' or ']'"));
    for (auto* o : {&stu, &sol}) {
      o->listed[0] = "a at [b, h, t]";
      o->results[0].name = "a at [b, h, t]";
    }
    CHECK(judge_stubs(fixture_manifest(), stu, sol).problems.empty());
  }
  SECTION("a stub that crashes instead of throwing") {
    stu.results.erase(stu.results.begin() + 2);
    stu.crashed.push_back("c: SIGABRT");
    CHECK(mentions(judge_stubs(fixture_manifest(), stu, sol), "test \"c\": crashes on the stubs (SIGABRT)"));
  }
}

TEST_CASE("the fixture stubs and reference pass check-stubs end to end") {
  TempDir tmp("tt-stubcheck-test");
  const auto stu = run_all_tests(TT_FIXTURE_STUB, tmp.path().string(), 30);
  const auto sol = run_all_tests(TT_FIXTURE_REF, tmp.path().string(), 30);
  CHECK(stu.listed.size() == 3);
  CHECK(stu.results.size() == 3);
  const auto rep = judge_stubs(fixture_manifest(), stu, sol);
  CHECK(rep.problems.empty());
  CHECK(rep.notes.empty());
  CHECK(rep.points == 5);
}

TEST_CASE("broken stubs (one passing, one aborting) are rejected end to end") {
  TempDir tmp("tt-stubcheck-test");
  const auto stu = run_all_tests(TT_FIXTURE_BAD_STUB, tmp.path().string(), 30);
  const auto sol = run_all_tests(TT_FIXTURE_REF, tmp.path().string(), 30);
  const auto rep = judge_stubs(fixture_manifest(), stu, sol);
  CHECK(mentions(rep, "add handles negative numbers\": PASSES on the stubs"));
  CHECK(mentions(rep, "add adds, even with a comma [and brackets] in the name\": PASSES on the stubs"));
  CHECK(mentions(rep, "mul multiplies\": crashes on the stubs"));
}
