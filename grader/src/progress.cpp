// `tt-grade progress`: runs a module's test binary once and prints the student's task table.
// Not the grader's scoring (score.cpp) and not the stub check (stub_check.cpp).
#include "tt/grade/progress.hpp"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "tt/grade/tags.hpp"
#include "tt/grade/temp_dir.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

std::string to_string(TaskState s) {
  switch (s) {
    case TaskState::done:
      return "done";
    case TaskState::to_do:
      return "to do";
    case TaskState::failing:
      return "failing";
  }
  return "?";
}

namespace {

// One line of a message: the first line, without the trailing spaces Catch2 keeps.
std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

void record(TaskProgress& t, const std::string& name, const Failure& f, bool stub) {
  ++t.failing;
  if (!t.first_test.empty()) {
    if (!stub && t.state == TaskState::to_do) t.state = TaskState::failing;
    return;
  }
  t.first_test = name;
  t.first = f;
  t.state = stub ? TaskState::to_do : TaskState::failing;
}

// "kv_cache_test.cpp:42: CHECK( a == b ) with expansion: 2 == 3" or the exception's message.
std::string failure_line(const Failure& f) {
  const std::string where = f.file.empty() ? "" : fs::path(f.file).filename().string() + ":" + std::to_string(f.line);
  if (f.kind == "assertion") {
    // Thrown between assertions: no expression, only what was thrown.
    if (f.original.empty())
      return where + ": " + first_line(f.expanded.substr(f.expanded.rfind("threw: ", 0) == 0 ? 7 : 0));
    std::string s = where + ": " + first_line(f.original);
    // Thrown inside the expression: Catch2 repeats it unexpanded before " threw: …".
    if (f.expanded.rfind(f.original, 0) == 0) return s + first_line(f.expanded.substr(f.original.size()));
    if (f.expanded != f.original) s += "  with expansion: " + first_line(f.expanded);
    return s;
  }
  if (f.kind == "crash") return "crashed: " + f.expanded;
  return (where.empty() ? "" : where + ": ") + first_line(f.expanded);
}

}  // namespace

ModuleProgress summarize_progress(const Manifest& m, const BinaryOutcome& run) {
  ModuleProgress p;
  std::map<std::string, std::size_t> index;
  for (const auto& t : m.tasks) {
    index[t.id] = p.tasks.size();
    p.tasks.emplace_back().task = t;
  }
  const auto task_of = [&](const std::string& tags) -> TaskProgress* {
    const auto ids = parse_tags(tags).task_ids;
    if (ids.empty() || !index.count(ids.front())) return nullptr;
    return &p.tasks[index[ids.front()]];
  };
  std::map<std::string, const CaseResult*> by_name;
  for (const auto& r : run.results) by_name[r.name] = &r;
  for (const auto& name : run.listed) {
    const auto it = by_name.find(name);
    std::string crash;
    for (const auto& c : run.crashed)
      if (c.rfind(name + ": ", 0) == 0) crash = c.substr(name.size() + 2);
    if (it == by_name.end()) {  // no result, so no tags to file it under a task
      if (!crash.empty()) p.unfiled.push_back(name + ": " + crash);
      continue;
    }
    const CaseResult& r = *it->second;
    TaskProgress* t = task_of(r.tags);
    if (t == nullptr) continue;
    const int points = parse_tags(r.tags).points.value_or(0);
    ++t->tests;
    t->max_points += points;
    if (!crash.empty()) {
      record(*t, name, {"crash", r.file, r.line, "", crash}, false);
    } else if (r.completed && r.success) {
      t->points += points;
    } else {
      const Failure f = r.failures.empty() ? Failure{"assertion", r.file, r.line, "", "failed"} : r.failures.front();
      record(*t, name, f, f.expanded.find(m.stub_marker) != std::string::npos);
    }
  }
  for (const auto& t : p.tasks) {
    p.points += t.points;
    p.max_points += t.max_points;
  }
  return p;
}

std::string format_progress(const Manifest& m, const ModuleProgress& p, const std::string& tests_binary) {
  std::ostringstream out;
  int done = 0;
  for (const auto& t : p.tasks) done += t.state == TaskState::done && t.tests > 0;
  out << "module " << m.id << " (" << m.title << "): " << p.points << " of " << p.max_points << " points, " << done
      << " of " << p.tasks.size() << " tasks done\n";
  for (const auto& t : p.tasks) {
    std::ostringstream pts;
    pts << t.points << "/" << t.max_points;
    std::string state = to_string(t.state);
    if (t.state == TaskState::failing) state = std::to_string(t.failing) + " of " + std::to_string(t.tests) + " fail";
    if (t.tests == 0) state = "no tests";
    out << "  " << std::left << std::setw(6) << t.task.id << "Part " << t.task.part << "  " << std::right
        << std::setw(5) << pts.str() << "  " << std::left << std::setw(12) << state << t.task.title << "\n";
    if (t.first_test.empty()) continue;
    if (t.state == TaskState::failing) out << "        first failing test: \"" << t.first_test << "\"\n";
    out << "        " << failure_line(t.first) << "\n";
  }
  for (const auto& c : p.unfiled) out << "  crashed before reporting: " << c << "\n";
  if (done < static_cast<int>(p.tasks.size()))
    out << "every failure of one task, in Catch2's words: " << fs::path(tests_binary).filename().string() << " \"["
        << (p.tasks.empty() ? m.id + ".1" : p.tasks.front().task.id) << "]\"\n";
  return out.str();
}

int progress_main(const std::string& module_json, const std::string& tests_binary, double timeout_seconds) {
  const Manifest m = load_manifest(module_json);
  TempDir tmp("tt-progress");
  const BinaryOutcome run = run_all_tests(tests_binary, tmp.path().string(), timeout_seconds);
  const ModuleProgress p = summarize_progress(m, run);
  std::cout << format_progress(m, p, tests_binary);
  return p.points == p.max_points && run.crashed.empty() && !run.listed.empty() ? 0 : 1;
}

}  // namespace tt::grade
