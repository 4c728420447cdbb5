// A module's module.json ("tt-module/1") as a struct, and the list of modules in a course tree.
// Not a validator of the module's sources: only the manifest's own consistency is checked here.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tt::grade {

struct Task {
  std::string id;  // "15.1"
  std::string title;
  int points = 0;
  int part = 0;
};

// A performance check: `<program>_submission` timed against `<program>_solution`.
struct PerfCheck {
  std::string task;  // the task whose tests must all pass first
  std::string name;  // "case" in module.json
  std::string program;
  std::vector<std::string> args;
  int points = 0;
};

struct Manifest {
  std::filesystem::path dir;  // the module's directory (module.json's parent)
  std::string id;             // "15"
  std::string name;           // "15_acceleration"
  std::string title;
  std::vector<std::string> depends_on;
  std::vector<std::string> student_files;  // relative to the module directory
  std::vector<std::string> tests;
  std::vector<std::string> hidden_tests;  // instructor-only test sources (never shown to students)
  std::vector<Task> tasks;
  int points = 0;               // test points (sum of tasks' points)
  std::vector<PerfCheck> perf;  // performance points come on top of `points`

  const Task* find_task(const std::string& id) const;
  int perf_points() const;
};

// Reads module.json; throws std::runtime_error naming the file and the field on a bad manifest.
Manifest load_manifest(const std::filesystem::path& module_json);

// Every modules/*/module.json under a course root, in id order.
std::vector<Manifest> discover_modules(const std::filesystem::path& course_root);

// Problems inside a manifest alone (points don't add up, duplicate task ids, perf on an
// unknown task); empty when it is consistent.
std::vector<std::string> manifest_problems(const Manifest& m);

}  // namespace tt::grade
