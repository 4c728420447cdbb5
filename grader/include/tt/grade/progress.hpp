// `tt-grade progress`: a student's view of one module: task, README part, points, state, and
// each unfinished task's first failure, once. Not a grade: no sandbox, no hidden tests, no
// performance points (`tt-grade run` is the grader's report).
#pragma once

#include <string>
#include <vector>

#include "tt/grade/catch_xml.hpp"
#include "tt/grade/manifest.hpp"
#include "tt/grade/stub_check.hpp"

namespace tt::grade {

enum class TaskState { done, to_do, failing };  // to_do: every failure is a stub's
std::string to_string(TaskState s);

struct TaskProgress {
  Task task;
  int tests = 0, failing = 0;
  int points = 0, max_points = 0;  // from the visible tests' [points=N] tags
  TaskState state = TaskState::done;
  std::string first_test;  // the first failing test (in the binary's order) and its first failure
  Failure first;
};

struct ModuleProgress {
  std::vector<TaskProgress> tasks;  // in module.json's order
  int points = 0, max_points = 0;
  std::vector<std::string> unfiled;  // "name: SIGSEGV" for a crash that left no result (no tags)
};

// Pure: groups a run's results by task tag. A crashed test counts as failing with kind "crash".
ModuleProgress summarize_progress(const Manifest& m, const BinaryOutcome& run);

// The table: a heading line, then per task one row and, unless done, its first failure (one or
// two lines). `tests_binary` goes into the closing hint (how to see every failure of a task).
std::string format_progress(const Manifest& m, const ModuleProgress& p, const std::string& tests_binary);

// End to end: runs the binary, prints the table; 0 when every task is done, 1 otherwise.
int progress_main(const std::string& module_json, const std::string& tests_binary, double timeout_seconds);

}  // namespace tt::grade
