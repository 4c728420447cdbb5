// Tests of score.hpp, perf.hpp's formula, catalog.hpp's tag listing and build.hpp's log trimming.
// Not end to end: grade_test.cpp runs the whole pipeline.
#include <catch2/catch.hpp>

#include "tt/grade/build.hpp"
#include "tt/grade/catalog.hpp"
#include "tt/grade/perf.hpp"
#include "tt/grade/score.hpp"
#include "tt/grade/symbols.hpp"

using namespace tt::grade;

TEST_CASE("performance points: full within 1.25x, linear to zero at 4x") {
  const Curve c{1.25, 4.0};
  CHECK(c.score(0.5, 3) == 3);
  CHECK(c.score(1.25, 3) == 3);
  CHECK(c.score(4.0, 3) == 0);
  CHECK(c.score(9.0, 3) == 0);
  CHECK(c.score(2.625, 4) == Approx(2.0));
  CHECK(c.score(0, 3) == 0);  // no measurement, no points
}

TEST_CASE("a side's time drops its fastest and slowest run, medians are medians, checksums agree within tolerance") {
  CHECK(trimmed_mean({5, 1, 2, 3, 100}) == Approx(10.0 / 3));
  CHECK(trimmed_mean({2, 4}) == 3);  // fewer than 5 runs: nothing dropped
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 2, 3}) == 2.5);
  CHECK(checksums_agree(100.0, 200.0, 100.01, 200.0, 1e-4));
  CHECK_FALSE(checksums_agree(100.0, 200.0, 100.1, 200.0, 1e-4));
  CHECK_FALSE(checksums_agree(0.0, 0.0, 1.0, 1.0, 1e-4));
}

TEST_CASE("forbidden symbols are found in a task's object and in the student's code it calls") {
  const std::string nm =
      "lib.a:simd.cpp.o:0000000000000000 T tt::accel::matmul_simd(A, B, C)\n"
      "lib.a:simd.cpp.o:                 U helper(int)\n"
      "lib.a:simd.cpp.o:                 U memcpy\n"
      "lib.a:util.cpp.o:0000000000000040 T helper(int)\n"
      "lib.a:util.cpp.o:                 U cblas_sgemm\n"
      "lib.a:blas_kernel.cpp.o:                 U cblas_sgemm\n"
      "lib.a:loops.cpp.o:0000000000000000 T tt::accel::matmul_naive(A, B, C)\n";
  const auto members = parse_nm(nm);
  REQUIRE(members.size() == 4);
  CHECK(members.at("simd.cpp.o").undefined.count("helper(int)"));
  CHECK(members.at("util.cpp.o").defined.count("helper(int)"));
  const Forbidden f{{"src/simd.cpp", "src/loops.cpp"}, {"cblas_", "openblas"}};
  CHECK(forbidden_uses(members, f) == std::vector<std::string>{"src/simd.cpp → cblas_sgemm"});
  const Forbidden only_loops{{"src/loops.cpp"}, {"cblas_"}};
  CHECK(forbidden_uses(members, only_loops).empty());
}

TEST_CASE("points are printed as people write them") {
  CHECK(format_points(12) == "12");
  CHECK(format_points(12.5) == "12.5");
  CHECK(format_points(2.9999) == "3");
  CHECK(format_points(0.125) == "0.13");
}

TEST_CASE("Catch2's --list-tags output gives the tags") {
  const std::string text = "All available tags:\n   2  [15.1]\n  14  [m15]\n   7  [points=1]\n3 tags\n\n";
  CHECK(parse_list_tags(text) == std::vector<std::string>{"15.1", "m15", "points=1"});
}

TEST_CASE("tasks are summarized with their state, performance points included") {
  ModuleRecord m;
  m.manifest.id = "99";
  m.manifest.tasks = {{"99.1", "add", 3, 1}, {"99.2", "mul", 2, 2}, {"99.3", "none", 0, 3}};
  auto test = [](const std::string& task, int points, Status s, bool ni) {
    TestRecord t;
    t.test.task = task;
    t.test.points = points;
    t.outcome.status = s;
    t.outcome.not_implemented = ni;
    return t;
  };
  m.tests = {test("99.1", 2, Status::passed, false), test("99.1", 1, Status::passed, false),
             test("99.2", 1, Status::failed, true), test("99.2", 1, Status::failed, true)};
  PerfResult p;
  p.check.tasks = {"99.1"};
  p.check.name = "add_loop";
  p.check.program = "m99_perf";
  p.check.points = 2;
  p.score = 1.5;
  m.perf = {p};
  score_module(m);
  CHECK(m.score == 4.5);
  CHECK(m.max_score == 7);
  CHECK(task_passed(m, "99.1"));
  CHECK_FALSE(task_passed(m, "99.2"));
  CHECK_FALSE(task_passed(m, "99.3"));
  const auto s = summarize_tasks(m);
  REQUIRE(s.size() == 3);
  CHECK(s[0].state == "passed");
  CHECK(s[0].score == 4.5);
  CHECK(s[1].state == "not implemented");
  CHECK(s[2].state == "no tests");
}

TEST_CASE("build logs keep the compiler's errors with course-relative paths") {
  BuildConfig cfg;
  cfg.course_root = "/course";
  cfg.build_dir = "/work/slot-0/build";
  cfg.submission_root = "/work/slot-0/modules";
  const std::string log =
      "[1/3] Building CXX object modules/15_acceleration/CMakeFiles/x.dir/loops.cpp.o\n"
      "FAILED: modules/15_acceleration/CMakeFiles/x.dir/loops.cpp.o\n"
      "/usr/bin/c++ -Wno-error -O3 -c /work/slot-0/modules/15_acceleration/src/loops.cpp\n"
      "/work/slot-0/modules/15_acceleration/src/loops.cpp: In function 'void f()':\n"
      "/work/slot-0/modules/15_acceleration/src/loops.cpp:3:14: error: expected ';' before '}' token\n"
      "ninja: build stopped: subcommand failed.\n";
  const auto t = trim_build_log(log, cfg);
  CHECK(t ==
        "modules/15_acceleration/src/loops.cpp: In function 'void f()':\n"
        "modules/15_acceleration/src/loops.cpp:3:14: error: expected ';' before '}' token\n");
}
