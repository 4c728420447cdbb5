// The benchmark report every ./scripts/bench target writes: a readable table and tt-bench/1 JSON.
// Not a timer: measurements come from tt/timer.hpp; this only records, judges and prints them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tt::bench {

// The command line every benchmark accepts: [--quick] [--json FILE] [--impl NAME].
struct Args {
  bool quick = false;     // a smaller, faster version for smoke tests (numbers not judged)
  std::string json_path;  // write the tt-bench/1 report here when set
  std::string impl = "solution";
  std::string program;  // argv[0]: benchmarks keep their caches beside their executable
  static Args parse(int argc, char** argv);
};

// A benchmark program's main: parses the arguments and returns body(args). A bad argument is one
// line on stderr and exit code 2; an error the body throws (a missing dataset, …) is one line and
// exit code 1: "PROGRAM: error: what happened", never an abort.
int main_of(int argc, char** argv, const char* program, const std::function<int(const Args&)>& body);

struct Metric {
  std::string name;  // fixed by the issues, e.g. "simd_vs_openblas_best_1024"
  double value = 0;
  std::string unit;                                  // "ratio", "s", "accuracy", "GFLOP/s", …
  std::string target;                                // ">= 0.9", "<= 10", "= 1", "> 1.0", or "" (reported only)
  nlohmann::json detail = nlohmann::json::object();  // raw figures, runs, spread
  bool has_target() const { return !target.empty(); }
  // Whether value satisfies target (true when there is no target).
  bool met() const;
};

class Report {
 public:
  Report(std::string module, Args args);
  // Records the metric and prints its line at once.
  void add(Metric m);
  // A free-form table printed now and kept under "tables" in the JSON.
  void table(const std::string& title, const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows);
  // Prints the summary, writes the JSON if asked; returns the process exit code (0: the run
  // completed; unmet targets are reported, not errors).
  int finish();
  const Args& args() const { return args_; }

 private:
  std::string module_;
  Args args_;
  std::vector<Metric> metrics_;
  nlohmann::json tables_ = nlohmann::json::array();
};

// date, host, cpu, compiler, flags, simd (xsimd's architecture, e.g. avx512bw, arm64+neon), git, OpenBLAS core.
nlohmann::json context();
// "label  [#####-----] 12/40" redrawn on stderr; a newline when done == total.
void progress(const std::string& label, std::size_t done, std::size_t total);
// Formats a number with `digits` significant decimals.
std::string fmt(double v, int digits = 3);

}  // namespace tt::bench
