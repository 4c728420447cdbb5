// Performance points: the student's program timed against the reference program in the same
// run, interleaved (sub, ref, sub, ref, …), median of N; full points within 1.25× of the
// reference time, linear down to zero at 4×.
// Not a benchmark harness: each program times its own kernel and prints {"seconds": …}.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tt/grade/manifest.hpp"
#include "tt/grade/sandbox.hpp"

namespace tt::grade {

constexpr double kPerfFullRatio = 1.25;  // at or below: full points
constexpr double kPerfZeroRatio = 4.0;   // at or above: no points

struct PerfResult {
  PerfCheck check;
  std::string status = "skipped";  // "scored", "skipped" (tests not passed), "failed" (wrong kernel, crash, no timing)
  std::string reason;
  double score = 0;
  double ratio = 0;  // median(submission) / median(reference)
  std::vector<double> submission_seconds, reference_seconds;
  double submission_median = 0, reference_median = 0;
};

// Points for a time ratio (student / reference).
double perf_score(double ratio, int points);

// The "seconds" value of the last JSON line of a program's output (nullopt when none).
std::optional<double> parse_seconds(const std::string& output);

double median(std::vector<double> v);

// Runs both programs alternately `runs` times in the sandbox.
PerfResult run_perf(const PerfCheck& check, const std::filesystem::path& submission_exe,
                    const std::filesystem::path& reference_exe, const Sandbox& sandbox, int runs,
                    double timeout_seconds, const std::filesystem::path& work_dir);

}  // namespace tt::grade
