// GradeOptions as batch hands them to its children (JSON) and the --isa level a grade builds at.
#include <catch2/catch.hpp>

#include "tt/grade/grade.hpp"
#include "tt/grade/process.hpp"

using namespace tt::grade;

TEST_CASE("grade options survive the JSON batch hands its children, the ISA level included") {
  GradeOptions o;
  o.submission = "/tmp/sub";
  o.course_root = "/tmp/course";
  o.work_root = "/tmp/work/isa-x86-64-v3";
  o.modules = {"15", "17"};
  o.label = "alice";
  o.isa = "x86-64-v3";
  o.perf_runs = 3;
  const GradeOptions back = grade_options_from_json(grade_options_json(o));
  CHECK(back.isa == "x86-64-v3");
  CHECK(grading_isa(back) == "x86-64-v3");
  CHECK(back.work_root == o.work_root);
  CHECK(back.modules == o.modules);
  CHECK(back.perf_runs == 3);
  GradeOptions plain;
  CHECK(grading_isa(plain) == TT_GRADE_ISA_FOR_TESTS);  // empty: the grader's own level
}

TEST_CASE("--isa takes only TT_ISA's levels and says which") {
  Limits limits;
  limits.wall_seconds = 30;
  const auto bad = run_process({TT_GRADE_EXE, "run", "--isa", "x86-64-v9", "."}, limits);
  CHECK(bad.exit_code != 0);
  CHECK_THAT(bad.output + bad.error, Catch::Contains("x86-64-v9") && Catch::Contains("x86-64-v3"));
}
