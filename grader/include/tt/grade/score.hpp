// Points: a passed test earns its [points=N]; performance points come on top, only for a task
// whose tests all passed. Also the per-task summary the reports and the progress table show.
// Not where tests run (run.hpp) or where timings are taken (perf.hpp).
#pragma once

#include <string>
#include <vector>

#include "tt/grade/grade.hpp"

namespace tt::grade {

struct TaskSummary {
  std::string id, title;
  int part = 0;
  int tests = 0, passed = 0, not_implemented = 0;
  double score = 0, max_score = 0;  // tests and performance together
  std::string state;                // "passed", "failed", "not implemented", "partial", "no tests"
};

// Fills test scores and module score/max_score (perf results must already be in place).
void score_module(ModuleRecord& m);

// True when every (non-hidden and hidden) test of the task passed and there is at least one.
bool task_passed(const ModuleRecord& m, const std::string& task);

std::vector<TaskSummary> summarize_tasks(const ModuleRecord& m);

// "12", "12.5": points as people write them (at most two decimals, no trailing zeros).
std::string format_points(double x);

}  // namespace tt::grade
