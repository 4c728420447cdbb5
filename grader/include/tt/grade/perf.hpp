// Performance points: the submission's perf program timed against the reference's from outside
// (tt-perf/1, common/bench/include/tt/bench/perf_server.hpp): both set up once, then the grader
// asks each for one run at a time, interleaved, and reads the child's CPU clock (or the wall
// clock) itself; a weighted checksum of the last output must match the reference's.
// Not where the "tests passed first" and forbidden-symbol rules are decided: grade.cpp does that.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/manifest.hpp"
#include "tt/grade/sandbox.hpp"

namespace tt::grade {

enum class PerfStatus {
  scored,    // timed and checked: `score` points
  skipped,   // not run (tests not passed, --no-perf, the module did not build)
  failed,    // a program crashed, hung, printed nonsense or computed something else
  withheld,  // the task's files use a forbidden symbol
};
std::string to_string(PerfStatus s);

struct PerfSide {
  std::string path;             // the code path the program reported ("avx512-vnni", …)
  std::vector<double> seconds;  // per timed run, on the check's clock
  double time = 0;              // trimmed mean of `seconds` (drops the fastest and slowest from 5 runs)
  double spread = 0;            // (max - min) / median of `seconds`
  double outside_seconds = 0;   // CPU time spent between its timed runs (should be ~0)
  std::string output;           // what it printed (capped; never parsed)
};

struct PerfResult {
  PerfCheck check;
  PerfStatus status = PerfStatus::skipped;
  std::string reason;
  double score = 0;
  double ratio = 0;  // submission time / reference time
  PerfSide submission, reference;
};

// The statistic of one side: the mean without the fastest and slowest run (5 runs or more).
double trimmed_mean(std::vector<double> v);
double median(std::vector<double> v);

struct PerfRun {
  std::filesystem::path submission_exe, reference_exe;  // staged copies (stage_program)
  std::filesystem::path work_dir;                       // writable by both
  int runs = 7;
  int cpu = -1;                // both programs pinned to this CPU (cpu clock checks)
  double setup_seconds = 120;  // to get ready
  double run_seconds = 60;     // for one run (or the checksum)
};

// Never throws: whatever goes wrong is the result's status and reason.
PerfResult run_perf(const PerfCheck& check, const PerfRun& how, const Sandbox& sandbox);

// The tt-perf/1 checksums of the two programs agree: |Ss - Sr| <= tol * max(As, Ar) + 1e-9.
bool checksums_agree(double s_sub, double a_sub, double s_ref, double a_ref, double tolerance);

}  // namespace tt::grade
