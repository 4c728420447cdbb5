// Tests of score.hpp, perf.hpp's formula, catalog.hpp's tag listing and build.hpp's log trimming.
// Not end to end: grade_test.cpp runs the whole pipeline.
#include <catch2/catch.hpp>

#include "tt/grade/build.hpp"
#include "tt/grade/catalog.hpp"
#include "tt/grade/perf.hpp"
#include "tt/grade/score.hpp"

using namespace tt::grade;

TEST_CASE("performance points: full within 1.25x, linear to zero at 4x") {
  CHECK(perf_score(0.5, 3) == 3);
  CHECK(perf_score(1.25, 3) == 3);
  CHECK(perf_score(4.0, 3) == 0);
  CHECK(perf_score(9.0, 3) == 0);
  CHECK(perf_score(2.625, 4) == Approx(2.0));
  CHECK(perf_score(0, 3) == 0);  // no measurement, no points
}

TEST_CASE("the seconds line is found among other output, and medians are medians") {
  CHECK(parse_seconds("warming up\n{\"seconds\": 0.25}\n") == Approx(0.25));
  CHECK(parse_seconds("{\"seconds\": 1}\nnoise {\"seconds\": 0.5, \"gflops\": 3}\n") == Approx(0.5));
  CHECK_FALSE(parse_seconds("{\"secs\": 1}\nnot json {"));
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 2, 3}) == 2.5);
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
  p.check = {"99.1", "add_loop", "m99_perf", {}, 2};
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
