// The grading subcommands of tt-grade (run, batch, package) as CLI11 definitions and dispatch.
// Not check-stubs (stub_check.hpp) and not the grading logic itself.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tt::grade {

struct CliOptions {
  // run
  std::string submission;
  std::vector<std::string> modules;
  std::string out_dir;
  std::vector<std::string> formats{"json", "gradescope", "md"};
  bool integrated = false;
  std::string course_root;
  std::string build_root;
  bool no_hidden = false;
  bool no_perf = false;
  bool sandbox_off = false;
  bool no_capstone = false;
  double capstone_timeout = 300;
  double test_timeout = 10;
  int perf_runs = 5;
  int test_jobs = 0;  // 0 = auto: 2 for run, 1 per submission in batch
  int build_jobs = 2;
  int slot = -1;
  std::string label;
  bool quiet = false;
  // batch
  std::string batch_dir;
  int jobs = 1;
  bool force = false;
  double submission_budget = 900;
  // package
  std::string package_out;
  // bench
  std::string bench_json;
  bool bench_quick = false;
};

void add_grading_subcommands(CLI::App& app, CliOptions& opts);
int run_grading_subcommand(CLI::App& app, const CliOptions& opts);

}  // namespace tt::grade
