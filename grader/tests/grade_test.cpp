// End-to-end tests of grade.hpp on the fixture course (tests/fixtures/course):
// correct, stubs, compile error, misbehaving and archive submissions, and the three reports.
// Not fast unit tests: the first run configures and builds the fixture course once (~20 s).
#include <catch2/catch.hpp>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "e2e_fixture.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/grade.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
using namespace e2e;

TEST_CASE("grading the reference solutions gives full marks, perf included", "[e2e]") {
  const auto g = grade_submission(options_for(kCourse / "solutions"));
  INFO(g.error);
  REQUIRE(g.status == GradeStatus::graded);
  CHECK(module_of(g, "97").score == 2);
  const auto& m99 = module_of(g, "99");
  CHECK(m99.build_status == BuildStatus::ok);
  for (const auto& t : m99.tests) CHECK(t.outcome.status == Status::passed);
  REQUIRE(m99.perf.size() == 1);
  CHECK(m99.perf[0].status == PerfStatus::scored);
  CHECK(m99.perf[0].submission.seconds.size() == 3);
  CHECK(m99.perf[0].ratio > 0);  // the same program twice: near 1, but a loaded machine spreads it
  CHECK(m99.perf[0].score > 0);
  CHECK(g.max_score == 2 + 3 + 2 + 6 + 2);  // module 20 (tests, measured), 97, 99 (tests, perf)
  CHECK(g.score >= 10 + 1);
  CHECK(test_named(g, "99", "a hidden test of mul").test.hidden);
}

TEST_CASE("grading the stubs gives zero, every test not implemented, perf not run", "[e2e]") {
  const auto g = grade_submission(options_for(kCourse / "modules"));
  REQUIRE(g.status == GradeStatus::graded);
  CHECK(g.score == 0);
  const auto& t = test_named(g, "99", "add adds, even with a comma [and brackets] in the name");
  CHECK(t.outcome.status == Status::failed);
  CHECK(t.outcome.not_implemented);
  CHECK_THAT(module_of(g, "99").perf.at(0).reason, Catch::Contains("did not all pass"));
}

TEST_CASE("a compile error costs only its module; modified tests are ignored and reported", "[e2e]") {
  TempDir tmp("tt-grade-e2e");
  const fs::path sub = tmp.path() / "bob";
  write(sub / "modules/97_base/src/base.cpp",
        "#include \"base.hpp\"\nnamespace base { int twice(int x) { return x +; } }\n");
  write(sub / "modules/99_arith/src/arith.cpp", read_file(kCourse / "solutions/99_arith/src/arith.cpp"));
  write(sub / "modules/99_arith/tests/arith_test.cpp", "// all tests removed\n");
  auto o = options_for(sub);
  o.perf = false;
  const auto g = grade_submission(o);
  REQUIRE(g.status == GradeStatus::graded);
  const auto& m97 = module_of(g, "97");
  CHECK(m97.build_status == BuildStatus::failed);
  CHECK_THAT(m97.build_errors, Catch::Contains("modules/97_base/src/base.cpp"));
  CHECK_THAT(m97.build_errors, Catch::Contains("error"));
  CHECK(m97.tests.at(0).outcome.status == Status::missing);
  CHECK(module_of(g, "99").score == 6);  // linked against the reference module 97
  bool reported = false;
  for (const auto& i : g.intake.ignored)
    reported |= i.path == "modules/99_arith/tests/arith_test.cpp" && i.reason.find("modified") != std::string::npos;
  CHECK(reported);
}

TEST_CASE("crashes, infinite loops and fake XML in a submission get their statuses", "[e2e]") {
  TempDir tmp("tt-grade-e2e");
  const fs::path sub = tmp.path() / "mallory";
  write(sub / "99_arith/src/arith.cpp", R"(#include "arith.hpp"
#include <csignal>
#include <cstdio>
namespace fixture {
int add(int a, int b) {
  if (a < 0) std::raise(SIGSEGV);
  std::printf("<OverallResult success=\"true\"/></TestCase>\n");
  return a + b + 1;
}
int mul(int a, int b) { for (volatile int i = 0;; i = i + 1) {} return a * b; }
}  // namespace fixture
)");
  auto o = options_for(sub);
  o.modules = {"99"};
  o.test_timeout = 1;
  const auto g = grade_submission(o);
  REQUIRE(g.status == GradeStatus::graded);
  CHECK(test_named(g, "99", "add handles negative numbers").outcome.status == Status::crashed);
  CHECK_THAT(test_named(g, "99", "add handles negative numbers").outcome.reason, Catch::StartsWith("crashed: SIGSEGV"));
  CHECK(test_named(g, "99", "add adds, even with a comma [and brackets] in the name").outcome.status == Status::failed);
  CHECK(test_named(g, "99", "mul multiplies").outcome.status == Status::timeout);
  CHECK(module_of(g, "99").score == 0);
  CHECK(g.modules.size() == 1);
}

TEST_CASE("an empty archive still gets all three reports, with zero points", "[e2e]") {
  TempDir tmp("tt-grade-e2e");
  const fs::path arch = tmp.path() / "empty.tar.gz";
  // A valid, empty tar.gz: 1024 zero bytes, gzipped.
  const int rc = std::system(("head -c 1024 /dev/zero | gzip > " + arch.string()).c_str());
  REQUIRE(rc == 0);
  auto o = options_for(arch);
  o.perf = false;
  const auto g = grade_submission(o);
  CHECK(g.score == 0);
  CHECK_FALSE(g.intake.problems.empty());
  const auto written = write_reports(g, tmp.path() / "out", {"json", "gradescope", "md"});
  REQUIRE(written.size() == 3);
  const auto native = nlohmann::json::parse(read_file(tmp.path() / "out/report.json"));
  CHECK(native["schema"] == "tt-grade-report/2");
  CHECK(native["max_score"] == 15);
  const auto gs = nlohmann::json::parse(read_file(tmp.path() / "out/results.json"));
  CHECK(gs["score"] == 0);
  CHECK(gs["tests"].size() >= 5);
  CHECK_THAT(read_file(tmp.path() / "out/summary.md"), Catch::Contains("| 99 | 99.1 |"));
}

TEST_CASE("a course that cannot be configured still yields a report", "[e2e]") {
  TempDir tmp("tt-grade-e2e");
  auto o = options_for(kCourse / "solutions");
  o.course_root = tmp.path();  // no modules at all
  const auto g = grade_submission(o);
  CHECK(g.status == GradeStatus::error);
  CHECK_FALSE(g.error.empty());
  CHECK_NOTHROW(write_reports(g, tmp.path() / "out", {"json", "gradescope", "md"}));
}

TEST_CASE("without a working sandbox the grader refuses, says why in one line, and still writes its report",
          "[e2e][hostile]") {
  TempDir tmp("tt-grade-e2e");
  Limits l;
  l.wall_seconds = 60;
  SpawnOptions no_bwrap;
  no_bwrap.env = {"PATH=" + tmp.path().string()};  // nothing there: bwrap cannot be found
  const auto p = run_process({TT_GRADE_EXE, "run", (kCourse / "solutions").string(), "--course", kCourse.string(),
                              "--work", TT_E2E_WORK_DIR, "--out", (tmp.path() / "out").string(), "--quiet"},
                             l, no_bwrap);
  CHECK(p.exit_code != 0);
  CHECK_THAT(p.output, Catch::Contains("--allow-unsandboxed"));
  const auto native = nlohmann::json::parse(read_file(tmp.path() / "out/report.json"));
  CHECK(native["status"] == "error");
  CHECK_THAT(native["error"].get<std::string>(), Catch::Contains("bubblewrap"));
  CHECK(native["score"] == 0);
}
