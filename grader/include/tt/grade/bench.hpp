// The grader's own benchmark (`tt-grade bench`, wired to `./scripts/bench grader`): time to grade
// one complete submission on a warm build, four submissions with --jobs 2, and the similarity report
// over 200 synthetic submissions; tt-bench/1 JSON.
// Not a benchmark of the course's kernels: those are the modules' benchmarks.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tt/grade/grade.hpp"

namespace tt::grade {

struct BenchOptions {
  GradeOptions grade;                   // course_root, work_root, limits
  std::filesystem::path hostile_tests;  // the grader's test executable; empty: not measured
  std::filesystem::path json_out;       // empty: table only
  bool quick = false;                   // one module, no performance points, no batch
  std::string only;                     // one metric by name (similarity_200_seconds); empty: all
};

int run_grader_bench(const BenchOptions& b);

// similarity_200_seconds (similarity_bench.cpp): the similarity report over 200 synthetic
// submissions of module 16 (20 with quick), with the recall on planted copies in its detail.
nlohmann::json similarity_metric(const std::filesystem::path& course_root, SandboxPolicy sandbox, bool quick);

}  // namespace tt::grade
