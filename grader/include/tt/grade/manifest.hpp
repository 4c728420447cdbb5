// A module's module.json ("tt-module/2", docs/module-json.md) as a struct, and the list of modules
// in a course tree: the one contract between the course (CMake reads the same file) and tt-grade.
// Not a validator of the module's sources: only the manifest's own consistency is checked here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tt::grade {

inline constexpr const char* kManifestSchema = "tt-module/2";

struct Task {
  std::string id;  // "15.1"
  std::string title;
  int points = 0;
  int part = 0;  // the README part ("Part N") that teaches it
};

// Points for a time ratio (submission / reference): all of them at or below `full`, none at or
// above `zero`, linear between.
struct Curve {
  double full = 1.25;
  double zero = 4.0;
  double score(double ratio, double points) const;
};

enum class PerfClock { cpu, wall };  // the child's CPU clock (one thread's work) or the wall clock (threads)
std::string to_string(PerfClock c);

// Symbols a task's object files may not use (e.g. the BLAS a kernel is meant to beat).
struct Forbidden {
  std::vector<std::string> files;    // student files, relative to the module ("src/simd.cpp")
  std::vector<std::string> symbols;  // substrings of demangled symbol names ("cblas_", "tt::blas::")
};

// A performance check: the submission's build of `program` timed against the reference's, both
// speaking tt-perf/1 (common/bench/include/tt/bench/perf_server.hpp).
struct PerfCheck {
  std::vector<std::string> tasks;  // whose tests must all pass first
  std::string name;                // "case" in module.json
  std::string what;                // one sentence for the report
  std::string program;
  std::vector<std::string> args;
  int points = 0;
  PerfClock clock = PerfClock::cpu;
  Curve curve;
  double tolerance = 1e-4;  // relative, on the tt-perf/1 checksum against the reference's
  int runs = 0;             // timed runs of each program; 0 = the grade's --perf-runs
  Forbidden forbidden;
};

// One number of a measured step's result and how it scores: full points at `full`, none at
// `zero`, linear between (higher is better when full > zero).
struct MeasureField {
  std::string name;  // key of the harness's "fields"
  std::string what;
  double full = 1, zero = 0;
  int points = 0;
  double score(double value) const;
};

// A process the harness talks to: a program of the module, built as `kind` ("submission" or
// "solution"), with data-set files it must not see.
struct MeasureServer {
  std::string role, program, kind;
  std::vector<std::string> args, hidden_data;
};

// A Gradescope leaderboard column: a number of the harness's result ("fields.x" or "submission.results.y").
struct LeaderboardColumn {
  std::string name, from, order;  // order: "asc" (lower first) or "desc"
  bool gated = true;              // shown only when the gate passed
};

// A step that measures a submission from outside its process (module 20's capstone): the course's
// harness (reference build) talks to the servers over pipes, reads their CPU clocks through
// tt-grade, and writes result.json; tt-grade scores its "fields" (docs/module-json.md).
// Arguments may use {setup}, {out}, {name} and {sources}.
struct Measure {
  std::string name;                // "capstone": also the file the result is kept in (capstone.json)
  std::vector<std::string> tasks;  // whose tests must all pass first
  std::string setup;               // reference program that makes the shared data once ({setup} folder)
  std::vector<std::string> setup_args;
  std::string harness;  // reference program: the parent that measures
  std::vector<std::string> harness_args;
  std::vector<MeasureServer> servers;
  std::string data_env, data_default;  // where the data set is (hidden_data is relative to it)
  double timeout_seconds = 300;
  std::string result;  // the part of result.json a leaderboard ranks ("submission")
  std::string gate_field;
  double gate_min = 0;  // below it, every other field scores 0
  std::vector<MeasureField> fields;
  std::string board;  // reference program that ranks a folder of results (batch leaderboard)
  std::vector<LeaderboardColumn> leaderboard;
  int points() const;
};

struct Program {
  std::string name;    // "m15_perf"
  std::string source;  // "bench/m15_perf.cpp"
  std::string target;  // the CMake target, "{kind}" standing for student/solution/submission
};

// The CMake target names of a module's builds, "{kind}" standing for the kind.
struct Targets {
  std::string library, tests, bench;
};

struct Manifest {
  std::filesystem::path dir;  // the module's directory (module.json's parent)
  std::string id;             // "15"
  std::string name;           // "15_acceleration"
  std::string title;
  std::vector<std::string> depends_on;
  // "reference" (default): a submission links the reference of its dependencies, so one bug is not
  // punished twice; "integrated": the student's own (module 20), the reference only for a module
  // of theirs that does not build.
  std::string submission_links = "reference";
  std::vector<std::string> student_files;  // relative to the module directory
  std::vector<std::string> tests;
  std::vector<std::string> hidden_tests;  // instructor-only test sources (never shown to students)
  Targets targets;
  std::vector<Program> programs;
  std::string stub_marker = "not implemented yet";  // what a stub's exception says
  std::vector<Task> tasks;
  int points = 0;               // test points (sum of tasks' points)
  std::vector<PerfCheck> perf;  // performance points come on top of `points`
  std::optional<Measure> measure;

  const Task* find_task(const std::string& id) const;
  int perf_points() const;  // performance checks and measured fields together
};

// Reads module.json; throws std::runtime_error naming the file and the field on a bad manifest.
Manifest load_manifest(const std::filesystem::path& module_json);

// Every modules/*/module.json under a course root, in id order.
std::vector<Manifest> discover_modules(const std::filesystem::path& course_root);

// Problems inside a manifest alone (points don't add up, duplicate task ids, perf on an
// unknown task); empty when it is consistent.
std::vector<std::string> manifest_problems(const Manifest& m);

}  // namespace tt::grade
