// Test points, module totals and task summaries.
// Not the perf formula (perf.cpp): only its result is added here.
#include "tt/grade/score.hpp"

#include <cmath>
#include <cstdio>

namespace tt::grade {

void score_module(ModuleRecord& m) {
  m.score = 0;
  m.max_score = 0;
  for (auto& t : m.tests) {
    t.score = t.outcome.status == Status::passed ? t.test.points : 0;
    m.score += t.score;
    m.max_score += t.test.points;
  }
  for (const auto& p : m.perf) {
    m.score += p.score;
    m.max_score += p.check.points;
  }
  if (m.measure) {
    m.score += m.measure->score;
    m.max_score += m.measure->max_score();
  } else if (m.manifest.measure) {
    m.max_score += m.manifest.measure->points();
  }
}

bool task_passed(const ModuleRecord& m, const std::string& task) {
  int n = 0;
  for (const auto& t : m.tests) {
    if (t.test.task != task) continue;
    ++n;
    if (t.outcome.status != Status::passed) return false;
  }
  return n > 0;
}

std::vector<TaskSummary> summarize_tasks(const ModuleRecord& m) {
  std::vector<TaskSummary> out;
  for (const auto& task : m.manifest.tasks) {
    TaskSummary s;
    s.id = task.id;
    s.title = task.title;
    s.part = task.part;
    for (const auto& t : m.tests) {
      if (t.test.task != task.id) continue;
      ++s.tests;
      s.max_score += t.test.points;
      s.score += t.score;
      if (t.outcome.status == Status::passed) ++s.passed;
      if (t.outcome.not_implemented) ++s.not_implemented;
    }
    for (const auto& p : m.perf) {
      if (p.check.tasks.empty() || p.check.tasks.front() != task.id) continue;
      s.max_score += p.check.points;
      s.score += p.score;
    }
    if (s.tests == 0)
      s.state = "no tests";
    else if (s.passed == s.tests)
      s.state = "passed";
    else if (s.not_implemented == s.tests)
      s.state = "not implemented";
    else if (s.passed > 0)
      s.state = "partial";
    else
      s.state = "failed";
    out.push_back(s);
  }
  return out;
}

std::string format_points(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::round(x * 100) / 100);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

}  // namespace tt::grade
