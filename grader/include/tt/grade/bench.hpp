// The grader's own benchmark (`tt-grade bench`, wired to `./scripts/bench grader`): time to grade
// one complete submission on a warm build, and four submissions with --jobs 2; tt-bench/1 JSON.
// Not a benchmark of the course's kernels: those are the modules' benchmarks.
#pragma once

#include <filesystem>
#include <string>

#include "tt/grade/grade.hpp"

namespace tt::grade {

struct BenchOptions {
  GradeOptions grade;                   // course_root, work_root, limits
  std::filesystem::path hostile_tests;  // the grader's test executable; empty: not measured
  std::filesystem::path json_out;       // empty: table only
  bool quick = false;                   // one module, no performance points, no batch
  bool full_grade_only = false;         // the warm-up and the timed grade only (re-measuring it)
};

int run_grader_bench(const BenchOptions& b);

}  // namespace tt::grade
